import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { Agad, agadSchema } from './agad.js';
import { AnalogSgd, analogSgdSchema } from './analog-sgd.js';
import { BufferedTikiTaka, bufferedTikiTakaSchema } from './buffered-tiki-taka.js';
import { ChoppedTikiTaka, choppedTikiTakaSchema } from './chopped-tiki-taka.js';
import { DigitalSgd, digitalSgdSchema } from './digital-sgd.js';
import { MixedPrecision, mixedPrecisionSchema } from './mixed-precision.js';
import { TikiTaka, tikiTakaSchema } from './tiki-taka.js';
import { ResidualLearningV2, residualLearningV2Schema } from './residual-learning-v2.js';
import { Rider, riderSchema } from './rider.js';
import { MultiTileResidual, multiTileResidualSchema } from './multi-tile-residual.js';
import type { AlgorithmSetup, TrainingAlgorithm } from './types.js';

export const algorithmSchemas = {
  'digital-sgd': digitalSgdSchema,
  'analog-sgd': analogSgdSchema,
  'tiki-taka': tikiTakaSchema,
  'buffered-tiki-taka': bufferedTikiTakaSchema,
  'residual-learning-v2': residualLearningV2Schema,
  'chopped-tiki-taka': choppedTikiTakaSchema,
  agad: agadSchema,
  rider: riderSchema,
  'mixed-precision': mixedPrecisionSchema,
  'multi-tile-residual': multiTileResidualSchema,
} as const;

export type AlgorithmKind = keyof typeof algorithmSchemas;
export type AlgorithmConfig = { [K in AlgorithmKind]: z.output<(typeof algorithmSchemas)[K]> }[AlgorithmKind];
export const algorithmKinds = Object.keys(algorithmSchemas) as AlgorithmKind[];

/**
 * The `build_config` shortcuts of aihwkit-model.md §5.9, as data. Each sets the algorithm fields
 * and the gradient update's bit length (`update`), never a class of its own.
 */
export const algorithmPresets: Record<string, { kind: AlgorithmKind; values: Record<string, unknown>; update?: Record<string, unknown>; note: string }> = {
  sgd: { kind: 'analog-sgd', values: {}, note: 'SingleRPUConfig' },
  ttv1: {
    kind: 'tiki-taka',
    values: { transferForward: { noiseManagement: 'none', boundManagement: 'none' } },
    note: 'TransferCompound with NM/BM off on the transfer reads',
  },
  ttv2: {
    kind: 'chopped-tiki-taka',
    values: { inChopProb: 0 },
    update: { desiredBl: 5 },
    note: 'ChoppedTransferCompound with in_chop_prob 0 (TTv2 realised by the chopped compound), BL 5',
  },
  'c-ttv2': {
    kind: 'chopped-tiki-taka',
    values: { fastLr: 0.1, autoScale: true },
    update: { desiredBl: 5 },
    note: 'ChoppedTransferCompound with fast_lr 0.1, auto_scale, BL 5',
  },
  agad: {
    kind: 'agad',
    values: { autoScale: true, fastLr: 0.1, transferUpdate: { desiredBl: 1, updateBlManagement: true, updateManagement: true } },
    note: 'DynamicTransferCompound with auto_scale, fast_lr 0.1, transfer with UBLM on',
  },
  mp: { kind: 'mixed-precision', values: {}, note: 'MixedPrecisionCompound' },
  rider: { kind: 'rider', values: { chopProb: 0 }, note: 'RIDER (P-SP26 Alg. 2): E-RIDER without chopper' },
  'e-rider': {
    kind: 'rider',
    values: { chopProb: 0.05, residualReference: 'synced-copy' },
    note: 'E-RIDER (P-SP26 Alg. 3): chopper flip probability 0.05, P compared with the analog copy Q̃ synced at each flip',
  },
  'rl-v1': {
    kind: 'tiki-taka',
    values: { gamma: 0.4, transferForward: { isPerfect: true } },
    note: 'Residual Learning v1 (P-RF25 eq. 9–11): TT-v1 with mixing γ 0.4 and ideal transfer reads',
  },
  'rl-v2': {
    kind: 'residual-learning-v2',
    values: { gamma: 0.4, transferForward: { isPerfect: true } },
    note: 'Residual Learning v2 (P-RF25 §5): low-pass buffer, threshold Δw_min, γ 0.4',
  },
};

/** Validates an algorithm config object (with `kind`), or expands a preset name; fills defaults. */
export function parseAlgorithmConfig(input: unknown, root = 'algorithm'): { config: AlgorithmConfig; update?: Record<string, unknown> } {
  let value = input;
  let update: Record<string, unknown> | undefined;
  const asObject = (v: unknown) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
  const name = typeof input === 'string' ? input : asObject(input)?.['preset'];
  if (name !== undefined) {
    const preset = typeof name === 'string' ? algorithmPresets[name] : undefined;
    if (!preset) throw new UserError(`${root}.preset`, name, `must be one of: ${Object.keys(algorithmPresets).join(', ')}`);
    const { preset: _preset, ...rest } = asObject(input) ?? {};
    value = { ...preset.values, ...rest, kind: preset.kind };
    update = preset.update;
  }
  const kind = asObject(value)?.['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(algorithmSchemas, kind)) {
    throw new UserError(`${root}.kind`, kind, `must be one of: ${algorithmKinds.join(', ')} (or a preset: ${Object.keys(algorithmPresets).join(', ')})`);
  }
  const schema = algorithmSchemas[kind as AlgorithmKind] as unknown as z.ZodObject;
  const result = schema.safeParse(value);
  if (!result.success) throw zodIssueToUserError(result.error, value, root, (path) => (path.length === 0 ? Object.keys(schema.shape) : undefined));
  return update ? { config: result.data as AlgorithmConfig, update } : { config: result.data as AlgorithmConfig };
}

/** Builds the algorithm a config names (exhaustive over the kinds). */
export function createAlgorithm(setup: AlgorithmSetup, config: AlgorithmConfig): TrainingAlgorithm {
  switch (config.kind) {
    case 'digital-sgd':
      return new DigitalSgd(setup);
    case 'analog-sgd':
      return new AnalogSgd(setup);
    case 'tiki-taka':
      return new TikiTaka(setup, config);
    case 'buffered-tiki-taka':
      return new BufferedTikiTaka(setup, config);
    case 'residual-learning-v2':
      return new ResidualLearningV2(setup, config);
    case 'chopped-tiki-taka':
      return new ChoppedTikiTaka(setup, config);
    case 'agad':
      return new Agad(setup, config);
    case 'rider':
      return new Rider(setup, config);
    case 'mixed-precision':
      return new MixedPrecision(setup, config);
    case 'multi-tile-residual':
      return new MultiTileResidual(setup, config);
    default: {
      const unknown: never = config;
      throw new Error(`aimsim internal error: no algorithm ${JSON.stringify(unknown)}`);
    }
  }
}
