/** aimsim public API (platform-neutral: no node:* imports here or below). */
export { UserError } from './core/errors.js';
export { summarize } from './core/stats.js';
export type { Summary } from './core/stats.js';
export * from './rng/index.js';
export * from './devices/index.js';
export * from './tile/index.js';
export { characterizeDevice, meanDeviceConfig, defaultCharacterizeOptions } from './tile/characterize-device.js';
export type { CharacterizeOptions, DeviceCharacterization, Trace } from './tile/characterize-device.js';
export { devicePlotSpec } from './report/device-plot.js';
export { renderSvg } from './report/svg.js';
export * from './algorithms/index.js';
export * from './nn/index.js';
