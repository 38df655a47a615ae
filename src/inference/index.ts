export { inferenceSchema, noiseModelSchema, type InferenceConfig, type NoiseModelConfig } from './config.js';
export { NoiseModel, toConductances, toWeights, type ConductancePair } from './noise-model.js';
export { ReadoutTile } from './readout-tile.js';
export { evaluateInference, type InferencePoint, type InferenceResult } from './evaluate.js';
export { formatDuration, formatInference } from './format.js';
