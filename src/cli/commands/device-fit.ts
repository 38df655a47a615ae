import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as toYaml } from 'yaml';
import { UserError } from '../../core/errors.js';
import { BIC_TIE, fitDevice, fitModels, type FitModel, type ModelFit } from '../../fit/fit-device.js';
import { fitPlotSpec } from '../../fit/fit-plot.js';
import { tracesFromRows, type ConductanceRange, type Trace, type TraceRow } from '../../fit/traces.js';
import { writeFileAtomic } from '../../node/index.js';
import { renderSvg } from '../../report/svg.js';
import type { Output } from '../output.js';

const COLUMNS = ['pulse', 'direction', 'weight', 'conductance', 'device'];

/** Reads a CSV (header pulse,direction,weight|conductance[,device]) or a JSON array of such rows. */
function readTraces(path: string, range: ConductanceRange | null): Trace[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError('data file', path, `must be a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, 'usage error');
  }
  if (path.toLowerCase().endsWith('.json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UserError(path, 'invalid JSON', 'must be a JSON array of rows {pulse, direction, weight | conductance, device}', 'usage error');
    }
    if (!Array.isArray(value) || !value.every((row) => row !== null && typeof row === 'object')) throw new UserError(path, typeof value, 'must be a JSON array of rows {pulse, direction, weight | conductance, device}', 'usage error');
    return tracesFromRows(value as TraceRow[], path, range, (i) => `row ${i}`);
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new UserError(path, 'unreadable CSV', `must be CSV with a header row (${(error as Error).message.split('\n')[0]})`, 'usage error');
  }
  const header = rows.length ? Object.keys(rows[0]!) : [];
  const unknown = header.filter((h) => !COLUMNS.includes(h));
  if (unknown.length) throw new UserError(`${path}: header`, unknown[0], `has unknown columns; allowed: ${COLUMNS.join(', ')} (pulse, direction and weight or conductance needed)`, 'usage error');
  return tracesFromRows(rows as unknown as TraceRow[], path, range);
}

const fmt = (v: number) => Number(v.toPrecision(4)).toString();

function ranking(fits: ModelFit[]): string[] {
  const best = Math.min(...fits.map((f) => f.bic));
  return fits.map((f) => `  ${f.kind.padEnd(15)} BIC ${fmt(f.bic).padStart(10)}  ΔBIC ${fmt(f.bic - best).padStart(8)}  k ${String(f.parameters).padStart(3)}  c2c noise ${fmt(f.devices.reduce((a, d) => a + d.noise, 0) / f.devices.length)}`);
}

/** The device section of a config, `{ preset: kind, ...fields }`, with the fit in a comment. */
function deviceYaml(fit: ModelFit, source: string): string {
  const { kind, ...fields } = fit.config;
  const rounded = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(6)) : Array.isArray(v) ? v.map((x: number) => Number(x.toPrecision(6))) : v]));
  const header = [
    `# Fitted by aimsim device fit from ${source}: ${fit.kind}, ${fit.devices.length} device(s), BIC ${fmt(fit.bic)}.`,
    `# ${fmt(fit.states)} states, symmetric point ${fmt(fit.symmetricPoint)}. Use it as a run's device section.`,
  ].join('\n');
  return `${header}\n${toYaml({ device: { preset: kind, ...rounded } })}`;
}

export function registerDeviceFitCommand(device: Command, out: Output): void {
  device
    .command('fit')
    .description('fit a device model to measured pulse-response traces (docs/device-fit.md)')
    .argument('<data>', 'CSV with a header pulse,direction,weight (direction up/down; a device column for several devices; conductance instead of weight with --g-min/--g-max), or a JSON array of the same rows')
    .option('--model <model>', `auto (every model, ranked by BIC) or one of: ${fitModels.join(', ')}`, 'auto')
    .option('--out <file>', 'write the fitted device as YAML: a device section for a run config')
    .option('--plot <file>', 'write an SVG of the first device’s data against the fitted model and its noise band')
    .option('--g-min <µS>', 'conductance mapped to weight −1')
    .option('--g-max <µS>', 'conductance mapped to weight +1')
    .option('--json', 'print every fit as one JSON object')
    .action(async (path: string, flags: { model: string; out?: string; plot?: string; gMin?: string; gMax?: string; json?: boolean }) => {
      if (flags.model !== 'auto' && !fitModels.includes(flags.model as FitModel)) throw new UserError('--model', flags.model, `must be auto or one of: ${fitModels.join(', ')}`, 'usage error');
      let range: ConductanceRange | null = null;
      if (flags.gMin !== undefined || flags.gMax !== undefined) {
        const gMin = Number(flags.gMin);
        const gMax = Number(flags.gMax);
        if (!Number.isFinite(gMin) || !Number.isFinite(gMax) || !(gMax > gMin)) throw new UserError('--g-min/--g-max', `${flags.gMin}/${flags.gMax}`, 'must both be numbers with g-max > g-min', 'usage error');
        range = { gMin, gMax };
      }
      const traces = readTraces(path, range);
      const fits = fitDevice(traces, flags.model as FitModel | 'auto');
      const best = fits[0]!;
      if (flags.out) writeFileAtomic(flags.out, deviceYaml(best, path));
      if (flags.plot) writeFileAtomic(flags.plot, await renderSvg(fitPlotSpec(best, traces)));
      if (flags.json) {
        out.stdout(JSON.stringify({ best: best.kind, fits }));
        return;
      }
      out.stdout(`aimsim device fit ${path}: ${traces.length} device(s), ${traces.reduce((a, t) => a + t.weights.length - 1, 0)} steps`);
      if (fits.length > 1) out.stdout([`models by BIC (n·ln(RSS/n) + k·ln n, lower is better; within ${BIC_TIE} counts as a tie, won by the simpler family):`, ...ranking(fits)].join('\n'));
      const { kind, ...fields } = best.config;
      // Spreads that were not estimated are 0 in the file; the line shows what the data gave.
      const shown = Object.entries(fields).filter(([k, v]) => !(k.endsWith('Dtod') && v === 0));
      out.stdout(`fitted ${kind}: ${shown.map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.map((x: number) => fmt(x)).join(', ')}]` : typeof v === 'number' ? fmt(v) : JSON.stringify(v)}`).join(', ')}`);
      out.stdout(`states: ${fmt(best.states)}   symmetric point: ${fmt(best.symmetricPoint)}`);
      if (flags.out) out.stdout(`device: ${flags.out}`);
      if (flags.plot) out.stdout(`plot: ${flags.plot}`);
    });
}
