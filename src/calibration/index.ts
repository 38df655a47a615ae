export { zeroShift, zeroShiftingSchema, calibrateAlgorithm, calibrationSchema } from './zero-shifting.js';
export type { ZeroShiftingConfig, ZeroShiftingResult, CalibrationConfig } from './zero-shifting.js';
