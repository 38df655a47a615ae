import { z } from 'zod';
import type { TrainingAlgorithm } from '../algorithms/index.js';
import type { CounterSnapshot } from '../tile/counters.js';
import { UserError } from '../core/errors.js';
import { num } from '../devices/fields.js';

/**
 * Hardware constants of a cost estimate (docs/hardware-cost.md). Times in seconds, energies in
 * joules. An energy left at 0 is not estimated: the report then shows time only for that part.
 */
const constants = {
  pulseTime: num(5e-9, 'duration t_sp of one pulse slot of a pulse train, s', { min: 0 }),
  updateSlots: num(5, 'pulse slots of one parallel update (a vector pair): l_avg of P-MT25; all devices of a tile are pulsed in the same slots', { min: 0 }),
  readTime: num(40e-9, 'duration t_M of one MVM of one vector on a tile (forward, backward or a transfer read), s', { min: 0 }),
  flopsPerSecond: num(0.7e12, 'digital throughput for the per-sample digital work, flop/s', { gt: 0 }),
  pulseEnergy: num(0, 'energy of one pulse on one device, J (0: not estimated)', { min: 0 }),
  cellReadEnergy: num(0, 'energy of one device in one MVM, J (0: not estimated)', { min: 0 }),
  adcEnergy: num(0, 'energy of one ADC conversion (one output of one MVM), J (0: not estimated)', { min: 0 }),
  dacEnergy: num(0, 'energy of one DAC conversion (one input of one MVM), J (0: not estimated)', { min: 0 }),
  flopEnergy: num(0, 'energy of one digital flop, J (0: not estimated)', { min: 0 }),
};

/**
 * Presets (docs/hardware-cost.md, where each constant's source is quoted).
 * - `p-mt25`: the constants of P-MT25 §4.3 Table 5 (t_sp = 5 ns, t_M = 40 ns, l_avg = 5,
 *   0.7 TFLOPS); the paper gives no per-pulse or per-read energies, so none are set.
 * - `reram-literature` (the default): P-MT25's times with published ReRAM energies: 0.1 pJ per
 *   pulse (the best switching energy in Lanza et al. 2019's table of ReRAM requirements), 11 fJ per device per MVM
 *   (Marinella et al. 2018: the analog ReRAM block's energy per MAC, its converters included, so
 *   no ADC/DAC energy is added) and 2.3 pJ per digital flop (Horowitz 2014, 45 nm: the mean of a
 *   32-bit float add, 0.9 pJ, and multiply, 3.7 pJ).
 */
const pmt25Times = { pulseTime: 5e-9, updateSlots: 5, readTime: 40e-9, flopsPerSecond: 0.7e12 };
export const hardwarePresets = {
  'reram-literature': { ...pmt25Times, pulseEnergy: 0.1e-12, cellReadEnergy: 11e-15, adcEnergy: 0, dacEnergy: 0, flopEnergy: 2.3e-12 },
  'p-mt25': { ...pmt25Times, pulseEnergy: 0, cellReadEnergy: 0, adcEnergy: 0, dacEnergy: 0, flopEnergy: 0 },
} as const;

export const hardwareSchema = z
  .object({
    preset: z.enum(Object.keys(hardwarePresets) as [keyof typeof hardwarePresets]).default('reram-literature').describe('the constants to start from; any field below overrides it'),
    ...Object.fromEntries(Object.entries(constants).map(([key, field]) => [key, (field.unwrap() as z.ZodNumber).optional().describe(`${field.description ?? key}; unset: the preset’s`)])),
  })
  .strict();
export type HardwareInput = z.input<typeof hardwareSchema>;
export type HardwareConstants = { [K in keyof typeof constants]: number };

/** The constants of a `hardware` section: its preset with the fields it sets. */
export function hardwareConstants(section: z.output<typeof hardwareSchema>): HardwareConstants {
  const { preset, ...fields } = section as { preset: keyof typeof hardwarePresets } & Partial<HardwareConstants>;
  const out: HardwareConstants = { ...hardwarePresets[preset] };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key as keyof HardwareConstants] = value;
  if (!(out.flopsPerSecond > 0)) throw new UserError('hardware.flopsPerSecond', out.flopsPerSecond, 'must be > 0');
  return out;
}

export interface Cost {
  /** Joules (0 where the energies are not set). */
  energy: number;
  /** Seconds, each tile's work done one step after another. */
  time: number;
}

export interface CostReport {
  /** Over the analog tiles, by purpose (update, transfer, reference, calibration, forward, …). */
  byPurpose: Record<string, Cost>;
  /** By layer and tile (`1:linear/fast`, `1:linear/r0c1/fast`). */
  byTile: Record<string, Cost>;
  /** The per-sample digital work (pulse-train preparation, mixed precision's accumulator). */
  digital: Cost;
  total: Cost;
}

const zero = (): Cost => ({ energy: 0, time: 0 });
const add = (into: Record<string, Cost>, key: string, cost: Cost) => {
  const entry = (into[key] ??= zero());
  entry.energy += cost.energy;
  entry.time += cost.time;
};

/**
 * Digital flops per vector update of a rows × cols tile: 4·(rows + cols) to prepare the pulse
 * trains (P-MT25 Table 5's 8D for a D × D tile), plus 8·rows·cols for the digital accumulator of
 * mixed precision (its 8D²).
 */
function digitalFlops(kind: string, rows: number, cols: number, updates: number): number {
  return updates * (kind === 'mixed-precision' ? 8 * rows * cols : 4 * (rows + cols));
}

/**
 * Mixed precision counts its samples as `update` updates of its array, but accumulates them
 * digitally: they take no pulse slots; its pulses come with its transfers (direct writes).
 */
const analogUpdates = (kind: string, purpose: string, count: number) => (kind === 'mixed-precision' && purpose === 'update' ? 0 : count);

/** Every analog tile's counters, by `layer/role` (as `CostReport.byTile`). */
export type TileCounters = Record<string, CounterSnapshot>;

export function tileCounters(algorithms: Record<string, TrainingAlgorithm>): TileCounters {
  const out: TileCounters = {};
  for (const [layer, algorithm] of Object.entries(algorithms)) for (const [role, tile] of Object.entries(algorithm.tiles())) out[`${layer}/${role}`] = tile.counters.snapshot();
  return out;
}

/**
 * The estimate of everything the analog layers have done (docs/hardware-cost.md), from their
 * counters, or from `counters` taken earlier (the start of an epoch a checkpoint interrupted):
 * pulses × energy; per vector update, `updateSlots` slots of `pulseTime` (the devices of a tile
 * are pulsed in parallel), and per direct write its counted slots; per vector read, `readTime`,
 * the devices' read energy and one DAC conversion per input and one ADC conversion per output;
 * digital flops per update.
 */
export function hardwareCost(algorithms: Record<string, TrainingAlgorithm>, hw: HardwareConstants, counters: TileCounters = tileCounters(algorithms)): CostReport {
  const report: CostReport = { byPurpose: {}, byTile: {}, digital: zero(), total: zero() };
  for (const [layer, algorithm] of Object.entries(algorithms)) {
    // A mapped layer's tiles are those of all its blocks, which share its kind.
    let flops = 0;
    for (const [role, tile] of Object.entries(algorithm.tiles())) {
      const key = `${layer}/${role}`;
      const { pulses, reads, updates, slots } = counters[key] ?? { pulses: {}, reads: {}, updates: {}, slots: {} };
      flops += digitalFlops(algorithm.kind, tile.rows, tile.cols, Object.values(updates).reduce((a, b) => a + b, 0));
      const purposes = new Set([...Object.keys(pulses), ...Object.keys(reads), ...Object.keys(updates), ...Object.keys(slots)]);
      for (const purpose of purposes) {
        const p = pulses[purpose] ? pulses[purpose].up + pulses[purpose].down : 0;
        const r = reads[purpose] ?? 0;
        const u = analogUpdates(algorithm.kind, purpose, updates[purpose] ?? 0);
        // A backward read has the rows as inputs and the columns as outputs.
        const [inputs, outputs] = purpose === 'backward' ? [tile.rows, tile.cols] : [tile.cols, tile.rows];
        const cost = {
          energy: p * hw.pulseEnergy + r * (tile.rows * tile.cols * hw.cellReadEnergy + inputs * hw.dacEnergy + outputs * hw.adcEnergy),
          time: (u * hw.updateSlots + (slots[purpose] ?? 0)) * hw.pulseTime + r * hw.readTime,
        };
        add(report.byPurpose, purpose, cost);
        add(report.byTile, key, cost);
      }
    }
    report.digital.energy += flops * hw.flopEnergy;
    report.digital.time += flops / hw.flopsPerSecond;
  }
  const analog = Object.values(report.byTile).reduce((sum, c) => ({ energy: sum.energy + c.energy, time: sum.time + c.time }), zero());
  report.total = { energy: analog.energy + report.digital.energy, time: analog.time + report.digital.time };
  return report;
}

/** a + sign·b, field by field (sign −1: the cost of what happened between two estimates). */
export function combineCost(a: CostReport, b: CostReport, sign: 1 | -1): CostReport {
  const one = (x: Cost | undefined, y: Cost | undefined): Cost => ({ energy: (x?.energy ?? 0) + sign * (y?.energy ?? 0), time: (x?.time ?? 0) + sign * (y?.time ?? 0) });
  const map = (x: Record<string, Cost>, y: Record<string, Cost>) => {
    const out: Record<string, Cost> = {};
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const c = one(x[key], y[key]);
      if (c.energy !== 0 || c.time !== 0) out[key] = c;
    }
    return out;
  };
  return { byPurpose: map(a.byPurpose, b.byPurpose), byTile: map(a.byTile, b.byTile), digital: one(a.digital, b.digital), total: one(a.total, b.total) };
}

export function emptyCost(): CostReport {
  return { byPurpose: {}, byTile: {}, digital: zero(), total: zero() };
}
