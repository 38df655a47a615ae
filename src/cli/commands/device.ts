import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { deviceFieldNames, deviceNames, devicePresets, deviceKinds, resolveDevice, findDevicePreset } from '../../devices/index.js';
import { characterizeDevice, defaultCharacterizeOptions, type CharacterizeOptions, type DeviceCharacterization } from '../../tile/characterize-device.js';
import { devicePlotSpec } from '../../report/device-plot.js';
import { renderSvg } from '../../report/svg.js';
import { writeFileAtomic } from '../../node/index.js';
import { parseSetPairs } from '../set-values.js';
import type { Output } from '../output.js';
import { registerDeviceFitCommand } from './device-fit.js';

/** `--set` keys that steer the characterisation rather than the device. */
const optionKeys: Record<keyof CharacterizeOptions, string> = {
  devices: 'number of devices (d2d samples), default 100',
  pulses: 'pulses per direction of the response curve, default 2 × states',
  pairs: 'alternating up/down pairs for the measured SP, default 3 × pulses',
  seed: 'random seed, default 0',
};

function splitOptions(name: string, set: Record<string, unknown>): { device: Record<string, unknown>; options: CharacterizeOptions } {
  const options: CharacterizeOptions = { ...defaultCharacterizeOptions };
  const device: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(set)) {
    if (Object.hasOwn(optionKeys, key)) {
      const min = key === 'devices' ? 1 : 0;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 1e7) {
        throw new UserError(key, value, `must be an integer in [${min}, 1e7]`, 'usage error');
      }
      options[key as keyof CharacterizeOptions] = value;
    } else {
      device[key] = value;
    }
  }
  const preset = findDevicePreset(name);
  const kind = preset?.kind ?? name;
  // Name the unknown key with every allowed one (device fields and characterisation options).
  if (deviceKinds.includes(kind as never)) {
    const fields = deviceFieldNames(kind as never);
    for (const key of Object.keys(device)) {
      if (!fields.includes(key)) {
        throw new UserError(`device.${key}`, device[key], `unknown key for ${kind}; allowed keys: ${[...fields, ...Object.keys(optionKeys)].join(', ')}`);
      }
    }
  }
  return { device, options };
}

function changedFields(result: DeviceCharacterization): string {
  const defaults = resolveDevice(result.kind) as unknown as Record<string, unknown>;
  const config = result.config as unknown as Record<string, unknown>;
  const changed = Object.keys(config).filter((key) => key !== 'kind' && JSON.stringify(config[key]) !== JSON.stringify(defaults[key]));
  return changed.length === 0 ? '(none: model defaults)' : changed.map((key) => `${key}=${JSON.stringify(config[key])}`).join(', ');
}

const fmt = (v: number | null) => (v === null ? '∞' : Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

export function formatCharacterization(r: DeviceCharacterization): string {
  const sp = r.symmetricPoint;
  const peak = r.response.pulses;
  const atPeak = r.response.pulse.indexOf(peak);
  const last = r.response.mean.length - 1;
  const lines = [
    `aimsim device ${r.name} (kind ${r.kind}): ${r.devices} devices, seed ${r.seed}`,
    r.citation ? `  source:          ${r.citation}` : null,
    `  steps:           ${r.equation}`,
    `  set vs defaults: ${changedFields(r)}`,
    `  granularity:     ${fmt(r.granularity)}   states: ${fmt(r.states === null ? null : Math.round(r.states * 10) / 10)}`,
    `  symmetric point: ${fmt(sp.mean)} ± ${fmt(sp.std)} over devices (${sp.method}), range [${fmt(sp.min)}, ${fmt(sp.max)}]`,
    `                   mean device: ${fmt(sp.meanDevice)}; as effective weight (SP − reference): ${fmt(sp.effective.mean)} ± ${fmt(sp.effective.std)}`,
    `                   measured after ${sp.measured.pairs} alternating pairs: ${fmt(sp.measured.mean)} ± ${fmt(sp.measured.std)}`,
    `  response:        ${peak} up then ${peak} down pulses from 0: ${fmt(r.response.mean[atPeak]!)} ± ${fmt(r.response.std[atPeak]!)} at the top, ${fmt(r.response.mean[last]!)} ± ${fmt(r.response.std[last]!)} at the end`,
  ];
  return lines.filter((line) => line !== null).join('\n');
}

export function registerDeviceCommand(program: Command, out: Output): void {
  const device = program
    .command('device')
    .description('characterise a device preset or model kind: response curve, symmetric points, number of states')
    .argument('[preset-or-kind]', `a preset (${devicePresets.map((p) => p.name).join(', ')}) or a kind (${deviceKinds.join(', ')}); omit to list them`)
    .option('--set <key=value>', `set a device field, or one of: ${Object.keys(optionKeys).join(', ')} (repeatable)`, (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--json', 'print one JSON object instead of text')
    .option('--out <file>', 'write an SVG plot of the curves (written, then renamed)')
    .action(async (name: string | undefined, flags: { set: string[]; json?: boolean; out?: string }) => {
      if (name === undefined) {
        out.stdout('presets:\n' + devicePresets.map((p) => `  ${p.name.padEnd(18)} ${p.kind.padEnd(22)} ${p.citation}`).join('\n'));
        out.stdout('kinds:\n' + deviceKinds.map((k) => `  ${k}`).join('\n'));
        return;
      }
      if (!deviceNames().includes(name)) {
        throw new UserError('device', name, `unknown device; allowed presets and kinds: ${deviceNames().join(', ')}`, 'usage error');
      }
      const { device, options } = splitOptions(name, parseSetPairs(flags.set));
      const config = resolveDevice(name, device);
      const result = characterizeDevice(name, config, options);
      if (flags.out) {
        writeFileAtomic(flags.out, await renderSvg(devicePlotSpec(result)));
      }
      if (flags.json) out.stdout(JSON.stringify(result));
      else {
        out.stdout(formatCharacterization(result));
        if (flags.out) out.stdout(`  plot:            ${flags.out}`);
      }
    });
  // `device fit --out …` is the subcommand's --out, not the characterisation's (see main.ts).
  device.enablePositionalOptions();
  registerDeviceFitCommand(device, out);
}
