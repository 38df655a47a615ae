export { Rng, RNG_STATE_VERSION } from './rng.js';
export type { StreamKey } from './hash.js';
