import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { runStudy, studyTable } from '../../experiment/study.js';
import { loadTaskFiles, writeFileAtomic } from '../../node/index.js';
import { renderSvg } from '../../report/svg.js';
import { studyPlotSpec } from '../../report/study-plot.js';
import { runZsStudy, zsStudyTable } from '../../experiment/zs-study.js';
import { zsPlotSpec } from '../../report/zs-plot.js';
import type { Output } from '../output.js';
import { readConfigFile, withFilePositions } from '../../node/config-file.js';

export function registerStudyCommand(program: Command, out: Output): void {
  program
    .command('study')
    .description('run a least-squares study (named runs × seeds: final distances, pulse counts) or a zero-shifting study (kind: zero-shifting)')
    .argument('<config>', 'study file (JSON or YAML), e.g. examples/01-least-squares-study.json')
    .option('--out <file>', 'write the full results as JSON (written, then renamed)')
    .option('--plot [file]', 'also write an SVG plot of the curves (default file: the --out file with .svg, else study.svg)')
    .option('--seeds <n>', 'use seeds 0..n−1 instead of the file’s seeds')
    .action(async (path: string, flags: { out?: string; plot?: string | boolean; seeds?: string }) => {
      const file = readConfigFile(path);
      // `--plot FILE` or a bare `--plot`, as in `aimsim sweep`.
      const plot = flags.plot === undefined ? null : typeof flags.plot === 'string' ? flags.plot : flags.out ? flags.out.replace(/(\.json)?$/, '.svg') : 'study.svg';
      const footer = () => {
        const files = [flags.out && `results: ${flags.out}`, plot && `plot: ${plot}`].filter(Boolean);
        if (files.length) out.stdout(`\n${files.join('; ')}`);
      };
      const config = loadTaskFiles(file.value, path) as Record<string, unknown>;
      if (flags.seeds !== undefined) {
        const n = Number(flags.seeds);
        if (!Number.isInteger(n) || n < 1 || n > 100) throw new UserError('--seeds', flags.seeds, 'must be an integer in [1, 100]', 'usage error');
        config['seeds'] = Array.from({ length: n }, (_, k) => k);
      }
      const started = Date.now();
      if (config['kind'] === 'zero-shifting') {
        const zs = await withFilePositions(file, () => runZsStudy(config, (dwMin, seed) => out.stderr(`zero-shifting dwMin ${dwMin} (seed ${seed}) … ${((Date.now() - started) / 1000).toFixed(1)} s`)));
        if (flags.out) writeFileAtomic(flags.out, JSON.stringify(zs, null, 2));
        if (plot) writeFileAtomic(plot, await renderSvg(zsPlotSpec(zs)));
        out.stdout(zsStudyTable(zs));
        footer();
        return;
      }
      const result = await withFilePositions(file, () => runStudy(config, (name, seed) => out.stderr(`running ${name} (seed ${seed}) … ${((Date.now() - started) / 1000).toFixed(1)} s`)));
      if (flags.out) writeFileAtomic(flags.out, JSON.stringify(result, null, 2));
      if (plot) writeFileAtomic(plot, await renderSvg(studyPlotSpec(result)));
      out.stdout(studyTable(result));
      footer();
    });
}
