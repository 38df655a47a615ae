import { summarize, type Summary } from '../core/stats.js';
import { Rng } from '../rng/index.js';
import { AnalogTile } from './tile.js';
import { findDevicePreset } from '../devices/presets.js';
import { buildDevice, deviceModels, type DeviceConfig } from '../devices/registry.js';
import type { SymmetricPointMethod } from '../devices/response.js';
import { pmaxToSoftBounds } from '../devices/soft-bounds-pmax.js';

export interface CharacterizeOptions {
  /** Number of devices (d2d samples). */
  devices: number;
  /** Pulses per direction of the response curve (N up, then N down); 0 = auto (2 × states). */
  pulses: number;
  /** Alternating up/down pairs for the empirical SP; 0 = auto. */
  pairs: number;
  seed: number;
}

export const defaultCharacterizeOptions: CharacterizeOptions = { devices: 100, pulses: 0, pairs: 0, seed: 0 };

export interface Trace {
  pulse: number[];
  mean: number[];
  std: number[];
}

export interface DeviceCharacterization {
  name: string;
  kind: DeviceConfig['kind'];
  citation: string | null;
  equation: string;
  config: DeviceConfig;
  devices: number;
  seed: number;
  /** Weight granularity (aihwkit-model.md §2.1). */
  granularity: number;
  /** (wMax − wMin)/granularity of the mean device; null when unbounded (ideal). */
  states: number | null;
  symmetricPoint: {
    method: SymmetricPointMethod;
    /** Mean and std over devices of each device's own SP (conductance, where Δ⁺ = Δ⁻). */
    mean: number;
    std: number;
    min: number;
    max: number;
    /** The SP of the mean device (all device-to-device spreads 0), closed form where one exists. */
    meanDevice: number;
    /** The SP as an effective weight, SP − reference (differs for the *-reference models). */
    effective: { mean: number; std: number };
    /** Measured: time average of the last 10 % of the alternating sequence, over devices. */
    measured: { mean: number; std: number; pairs: number };
  };
  /** N up then N down pulses from effective weight 0: mean and std over devices of the weight. */
  response: Trace & { pulses: number };
  /** Alternating ± pulses from 0 (up, down, up, ...): mean and std over devices. */
  alternating: Trace;
  /** With `detail` (the playground's device explorer): the data behind its other panels. */
  detail?: DeviceDetail;
}

/** What the device explorer draws beside the mean traces. */
export interface DeviceDetail {
  /** Expected step sizes Δ⁺(g) and Δ⁻(g) of the mean device over its conductance range. */
  steps: { conductance: number[]; up: number[]; down: number[] };
  /** Every device's SP as an effective weight (SP − reference). */
  symmetricPoints: number[];
  /** The first few devices' weights at every recorded pulse of the response curve (one list per device). */
  devices: { pulse: number[]; weights: number[][] };
}

const DETAIL_DEVICES = 5;
const DETAIL_STEP_POINTS = 101;

const MAX_TRACE_POINTS = 400;

/** The device with every device-to-device spread set to zero: the "mean device" of a config. */
export function meanDeviceConfig(config: DeviceConfig): DeviceConfig {
  const zeroed: Record<string, unknown> = { ...config };
  for (const key of Object.keys(zeroed)) {
    if (key.endsWith('Dtod') || key === 'corruptDevicesProb' || key === 'referenceStd') zeroed[key] = 0;
  }
  return zeroed as DeviceConfig;
}

/** Conductance range of the mean device (the range the number of states refers to). */
export function meanRange(config: DeviceConfig): { wMin: number; wMax: number } | null {
  if (config.kind === 'ideal') return null;
  if (config.kind === 'soft-bounds-pmax') {
    const sb = pmaxToSoftBounds(config);
    return { wMin: sb.wMin, wMax: sb.wMax };
  }
  return { wMin: config.wMin, wMax: config.wMax };
}

function trace(): Trace {
  return { pulse: [], mean: [], std: [] };
}

function record(target: Trace, pulse: number, values: ArrayLike<number>): void {
  const s: Summary = summarize(values);
  target.pulse.push(pulse);
  target.mean.push(s.mean);
  target.std.push(s.std);
}

/**
 * Characterises a device model the way aihwkit's `compute_pulse_response` and
 * `plot_device_symmetry` do: a response curve (N up, then N down pulses), the SP of every device
 * (analytic or numeric), and the SP measured by alternating pulses. Pure computation: the CLI,
 * reports and tests draw or check the returned data.
 */
export function characterizeDevice(name: string, config: DeviceConfig, options: Partial<CharacterizeOptions> = {}, { detail = false }: { detail?: boolean } = {}): DeviceCharacterization {
  const opts = { ...defaultCharacterizeOptions, ...options };
  const cols = Math.max(1, Math.ceil(Math.sqrt(opts.devices)));
  const rows = Math.ceil(opts.devices / cols);
  const makeTile = () => new AnalogTile({ rows, cols, device: config, seed: opts.seed, name: 'device' });
  const tile = makeTile();
  const size = tile.size;

  const range = meanRange(config);
  const granularity = tile.device.granularity;
  const states = range ? (range.wMax - range.wMin) / granularity : null;
  const pulses = opts.pulses > 0 ? Math.round(opts.pulses) : Math.min(Math.max(Math.ceil(2 * (states ?? 500)), 20), 20000);
  const pairs = opts.pairs > 0 ? Math.round(opts.pairs) : Math.min(Math.max(3 * pulses, 200), 60000);

  const up = new Int8Array(size).fill(1);
  const down = new Int8Array(size).fill(-1);

  // Response curve: N up then N down, every device from effective weight 0.
  const response = trace();
  const traced = Math.min(DETAIL_DEVICES, size);
  const devices: DeviceDetail['devices'] = { pulse: [], weights: Array.from({ length: detail ? traced : 0 }, () => []) };
  const every = Math.max(1, Math.ceil((2 * pulses) / MAX_TRACE_POINTS));
  const keep = (n: number) => {
    const weights = tile.weights();
    record(response, n, weights);
    if (!detail) return;
    devices.pulse.push(n);
    devices.weights.forEach((list, k) => list.push(weights[k]!));
  };
  keep(0);
  for (let n = 1; n <= 2 * pulses; n++) {
    tile.pulseDevices(n <= pulses ? up : down, 'characterization');
    if (n % every === 0 || n === pulses || n === 2 * pulses) keep(n);
  }

  // Alternating sequence on a fresh array of the same devices (same seed, so the same d2d draws).
  const alt = makeTile();
  const alternating = trace();
  const altEvery = Math.max(1, Math.ceil((2 * pairs) / MAX_TRACE_POINTS));
  const tail = Math.max(1, Math.floor(pairs / 10));
  const measured = new Float64Array(size);
  record(alternating, 0, alt.weights());
  for (let n = 1; n <= pairs; n++) {
    alt.pulseDevices(up, 'characterization');
    const late = n > pairs - tail;
    if (late) accumulate(measured, alt.conductance, 1 / (2 * tail));
    alt.pulseDevices(down, 'characterization');
    if (late) accumulate(measured, alt.conductance, 1 / (2 * tail));
    if ((2 * n) % altEvery === 0 || n === pairs) record(alternating, 2 * n, alt.weights());
  }

  const spConductance = tile.conductanceSymmetricPoints();
  const spStats = summarize(spConductance);
  const spEffective = summarize(tile.symmetricPoints());
  const measuredStats = summarize(measured);
  const meanDevice = buildDevice(meanDeviceConfig(config), 1, Rng.stream(opts.seed, 'mean-device'));

  const result: DeviceCharacterization = {
    name,
    kind: config.kind,
    citation: findDevicePreset(name)?.citation ?? null,
    equation: deviceModels[config.kind].equation,
    config,
    devices: size,
    seed: opts.seed,
    granularity,
    states,
    symmetricPoint: {
      method: tile.device.symmetricPointMethod,
      mean: spStats.mean,
      std: spStats.std,
      min: spStats.min,
      max: spStats.max,
      meanDevice: meanDevice.symmetricPoint(0),
      effective: { mean: spEffective.mean, std: spEffective.std },
      measured: { mean: measuredStats.mean, std: measuredStats.std, pairs },
    },
    response: { ...response, pulses },
    alternating,
  };
  if (detail) result.detail = { steps: stepCurve(meanDevice, range), symmetricPoints: Array.from(tile.symmetricPoints()), devices };
  return result;
}

/** Δ⁺(g) and Δ⁻(g) of one device over [wMin, wMax] (±1 for the unbounded ideal device). */
function stepCurve(device: ReturnType<typeof buildDevice>, range: { wMin: number; wMax: number } | null): DeviceDetail['steps'] {
  const { wMin, wMax } = range ?? { wMin: -1, wMax: 1 };
  const steps: DeviceDetail['steps'] = { conductance: [], up: [], down: [] };
  for (let i = 0; i < DETAIL_STEP_POINTS; i++) {
    const g = wMin + ((wMax - wMin) * i) / (DETAIL_STEP_POINTS - 1);
    steps.conductance.push(g);
    steps.up.push(device.expectedUp(0, g));
    steps.down.push(device.expectedDown(0, g));
  }
  return steps;
}

function accumulate(target: Float64Array, values: Float64Array, weight: number): void {
  for (let k = 0; k < target.length; k++) target[k] = target[k]! + values[k]! * weight;
}
