import { z } from 'zod';
import type { Rng } from '../rng/index.js';
import { constantStep, type ConstantStepConfig } from './constant-step.js';
import { expStep, type ExpStepConfig } from './exp-step.js';
import { ideal, type IdealConfig } from './ideal.js';
import { limitedState, type LimitedStateConfig } from './limited-state.js';
import { linearStep, type LinearStepConfig } from './linear-step.js';
import type { DeviceModel } from './model.js';
import { piecewiseStep, type PiecewiseStepConfig } from './piecewise-step.js';
import { powStepReference, type PowStepReferenceConfig } from './pow-step-reference.js';
import { powStep, type PowStepConfig } from './pow-step.js';
import type { DeviceResponse } from './response.js';
import { softBoundsPmax, type SoftBoundsPmaxConfig } from './soft-bounds-pmax.js';
import { softBoundsReference, type SoftBoundsReferenceConfig } from './soft-bounds-reference.js';
import { softBounds, type SoftBoundsConfig } from './soft-bounds.js';

/** A resolved device configuration: the `kind` picks the model (style.md: kind discriminator). */
export type DeviceConfig =
  | IdealConfig
  | ConstantStepConfig
  | LinearStepConfig
  | SoftBoundsConfig
  | SoftBoundsPmaxConfig
  | SoftBoundsReferenceConfig
  | ExpStepConfig
  | PowStepConfig
  | PowStepReferenceConfig
  | PiecewiseStepConfig
  | LimitedStateConfig;

export type DeviceKind = DeviceConfig['kind'];

/** Every model, by kind. Adding a model is one file plus one line here. */
export const deviceModels: { readonly [K in DeviceKind]: DeviceModel<Extract<DeviceConfig, { kind: K }>> } = {
  ideal,
  'constant-step': constantStep,
  'linear-step': linearStep,
  'soft-bounds': softBounds,
  'soft-bounds-pmax': softBoundsPmax,
  'soft-bounds-reference': softBoundsReference,
  'exp-step': expStep,
  'pow-step': powStep,
  'pow-step-reference': powStepReference,
  'piecewise-step': piecewiseStep,
  'limited-state': limitedState,
};

export const deviceKinds = Object.keys(deviceModels) as DeviceKind[];

export function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && Object.hasOwn(deviceModels, value);
}

/** The zod schema of any device config (a discriminated union on `kind`). */
export const deviceSchema = z.discriminatedUnion('kind', [
  ideal.schema,
  constantStep.schema,
  linearStep.schema,
  softBounds.schema,
  softBoundsPmax.schema,
  softBoundsReference.schema,
  expStep.schema,
  powStep.schema,
  powStepReference.schema,
  piecewiseStep.schema,
  limitedState.schema,
] as unknown as [z.ZodObject, ...z.ZodObject[]]);

/** The configurable field names of a model (for error messages and `--set` help). */
export function deviceFieldNames(kind: DeviceKind): string[] {
  const schema = deviceModels[kind].schema as unknown as z.ZodObject;
  return Object.keys(schema.shape).filter((key) => key !== 'kind');
}

/** Draws the hidden parameters of `size` devices of the configured model. */
export function buildDevice(config: DeviceConfig, size: number, rng: Rng): DeviceResponse {
  switch (config.kind) {
    case 'ideal':
      return ideal.build(config, size, rng);
    case 'constant-step':
      return constantStep.build(config, size, rng);
    case 'linear-step':
      return linearStep.build(config, size, rng);
    case 'soft-bounds':
      return softBounds.build(config, size, rng);
    case 'soft-bounds-pmax':
      return softBoundsPmax.build(config, size, rng);
    case 'soft-bounds-reference':
      return softBoundsReference.build(config, size, rng);
    case 'exp-step':
      return expStep.build(config, size, rng);
    case 'pow-step':
      return powStep.build(config, size, rng);
    case 'pow-step-reference':
      return powStepReference.build(config, size, rng);
    case 'piecewise-step':
      return piecewiseStep.build(config, size, rng);
    case 'limited-state':
      return limitedState.build(config, size, rng);
    default: {
      const unknownKind: never = config;
      throw new Error(`aimsim internal error: no device model for ${JSON.stringify(unknownKind)}`);
    }
  }
}
