import { z } from 'zod';
import { LIMITS, boundedInt } from '../core/limits.js';
import { num } from '../devices/fields.js';
import { calibrationSchema } from '../calibration/zero-shifting.js';
import { ioSchema } from '../tile/io-config.js';
import { updateOverridesSchema } from '../tile/update-config.js';
import { mappingOverrideSchema, mappingSchema } from '../tile/mapping.js';
import { inferenceSchema } from '../inference/config.js';
import { hardwareSchema } from '../hardware/cost.js';

const bias = z.enum(['none', 'digital', 'analog']).default('digital').describe('bias: none, exact digital, or an analog column fixed at input 1');
const analog = z.boolean().default(true).describe('weights on analog tiles with the configured algorithm, or exact digital');
const deviceOverride = z.union([z.string(), z.object({ preset: z.string() }).loose()]).optional().describe('this layer’s device (default: the top-level device)');
const algorithmOverride = z.unknown().optional().describe('this layer’s algorithm (default: the top-level algorithm)');
const outScaling = z
  .enum(['none', 'layer', 'column'])
  .default('none')
  .describe('learnable digital output scales α (y = α ⊙ W·x + b, trained by SGD like the bias): none, one per layer, or one per output; aihwkit learn_out_scaling (out_scaling_columnwise for column)');
const layerMapping = mappingOverrideSchema.optional().describe('this layer’s tile limits, over the top-level mapping');
const positive = (doc: string, value?: number, max: number = LIMITS.dimension) => (value === undefined ? boundedInt(max, doc) : boundedInt(max, doc).default(value));

/** One layer of a sequential network (issue 5 `src/nn/`). */
export const layerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('linear'), outputs: positive('output features'), bias, analog, outScaling, mapping: layerMapping, device: deviceOverride, algorithm: algorithmOverride }).strict(),
  z
    .object({
      type: z.literal('conv2d'),
      channels: positive('output channels'),
      kernel: positive('kernel size k (k × k)', undefined, LIMITS.kernel),
      stride: positive('stride', 1, LIMITS.kernel),
      padding: boundedInt(LIMITS.kernel, 'zero padding', 0).default(0),
      bias,
      analog,
      outScaling,
      mapping: layerMapping,
      device: deviceOverride,
      algorithm: algorithmOverride,
    })
    .strict(),
  z.object({ type: z.literal('relu') }).strict(),
  z.object({ type: z.literal('sigmoid') }).strict(),
  z.object({ type: z.literal('tanh') }).strict(),
  z.object({ type: z.literal('maxpool'), kernel: positive('window and stride', undefined, LIMITS.kernel) }).strict(),
  z.object({ type: z.literal('avgpool'), kernel: positive('window and stride', undefined, LIMITS.kernel) }).strict(),
  z.object({ type: z.literal('flatten') }).strict(),
]);
export type LayerConfig = z.output<typeof layerSchema>;

const deviceField = z.union([z.string(), z.object({ preset: z.string() }).loose()]);

/** An image-classification experiment (issue 5). Every field has a default: `{}` is the default run. */
export const experimentSchema = z
  .object({
    name: z.string().default('experiment').describe('label of the run'),
    seed: z.number().int().min(0).default(0).describe('seed of everything: weights, devices, noise, shuffling'),
    data: z
      .object({
        dataset: z.enum(['embedded-fashion-mnist', 'fashion-mnist', 'mnist', 'cifar10']).default('embedded-fashion-mnist').describe('dataset; only the embedded one needs no files'),
        path: z.string().optional().describe('folder of the IDX or CIFAR-10 binary files (fashion-mnist defaults to Debian’s package folder)'),
        trainLimit: z.number().int().min(1).optional().describe('use only the first N training samples'),
        testLimit: z.number().int().min(1).optional().describe('use only the first N test samples'),
      })
      .strict()
      .prefault({ dataset: 'embedded-fashion-mnist' })
      .describe('the dataset and how much of it to use'),
    network: z
      .object({ layers: z.array(layerSchema).min(1).describe('layers in order; the last must output one value per class') })
      .strict()
      .prefault({ layers: [{ type: 'flatten' }, { type: 'linear', outputs: 64, bias: 'digital', analog: true }, { type: 'sigmoid' }, { type: 'linear', outputs: 10, bias: 'digital', analog: true }] })
      .describe('the layers; default: flatten, linear 64, sigmoid, linear 10 (both analog)'),
    device: deviceField
      .prefault({ preset: 'soft-bounds-reference', subtractSymmetryPoint: true, dwMin: 0.002 })
      .describe('device preset or kind, or { preset, ...fields }'),
    algorithm: z
      .unknown()
      .prefault({ preset: 'c-ttv2', inChopProb: 0.01, fastLr: 0.5, autoGranularity: 1000 })
      .describe('algorithm preset name, or { kind | preset, ...fields }'),
    forward: ioSchema.partial().prefault({}).describe('forward IO of the analog layers'),
    backward: ioSchema.partial().prefault({}).describe('backward IO of the analog layers'),
    update: updateOverridesSchema.prefault({}).describe('pulse-train settings of the gradient updates, over the algorithm preset’s (unset fields: the preset’s, else the tile defaults)'),
    mapping: mappingSchema
      .prefault({})
      .describe('how analog layers are split onto physical tiles (aihwkit MappingParameter); a layer’s own mapping overrides it; default: one tile per layer'),
    calibration: calibrationSchema
      .optional()
      .describe('zero-shift the named arrays of every analog layer before training and program their references (the two-stage baseline, papers.md §2.7); the pulses are counted under calibration and reference'),
    hardware: hardwareSchema
      .prefault({})
      .describe('the estimate of energy and time on chip from the counters, per epoch and per sample, by purpose and tile (docs/hardware-cost.md); default: the reram-literature preset'),
    inference: inferenceSchema
      .optional()
      .describe('after the last epoch, program the trained weights (or keep the trained conductances) and read the test accuracy at times after programming, with drift and noise (docs/inference.md)'),
    training: z
      .object({
        epochs: positive('epochs', 10, 1_000_000),
        batch: positive('mini-batch size', 10, LIMITS.batch),
        lr: num(0.1, 'learning rate', { gt: 0 }),
        lrDecayEvery: z.number().int().min(1).optional().describe('step schedule: multiply lr by lrDecayFactor every this many epochs (PyTorch StepLR)'),
        lrDecayFactor: num(0.5, 'factor of the step schedule', { gt: 0, max: 1 }),
      })
      .strict()
      .prefault({ epochs: 10, batch: 10, lr: 0.1 })
      .describe('epochs, mini-batch size and learning rate'),
  })
  .strict();
export type ExperimentConfig = z.output<typeof experimentSchema>;
