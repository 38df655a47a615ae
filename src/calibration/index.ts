export { zeroShift, zeroShiftingSchema, calibrateAlgorithm, calibrationSchema, checkCalibrationArrays } from './zero-shifting.js';
export type { ZeroShiftingConfig, ZeroShiftingResult, CalibrationConfig } from './zero-shifting.js';
