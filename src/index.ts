/** aimsim public API (platform-neutral: no node:* imports here or below). */
export { UserError } from './core/errors.js';
export { summarize } from './core/stats.js';
export type { Summary } from './core/stats.js';
export * from './rng/index.js';
export * from './devices/index.js';
export * from './tile/index.js';
export { characterizeDevice, meanDeviceConfig, defaultCharacterizeOptions } from './tile/characterize-device.js';
export type { CharacterizeOptions, DeviceCharacterization, DeviceDetail, Trace } from './tile/characterize-device.js';
export { devicePlotSpec } from './report/device-plot.js';
export { renderSvg } from './report/svg.js';
export * from './algorithms/index.js';
export * from './nn/index.js';
export type { ImageDataset, Split } from './data/dataset.js';
export { gather } from './data/dataset.js';
export { epochBatches } from './data/batches.js';
export { parseIdx, readIdx, gunzip } from './data/idx.js';
export { idxDataset, idxFileOf, IDX_FILES, type IdxFileName, type NamedBytes } from './data/idx-dataset.js';
export { parseNpy } from './data/npy.js';
export { parseCifar10, CIFAR10_CLASSES } from './data/cifar10.js';
export { loadEmbeddedFashionMnist, FASHION_MNIST_CLASSES } from './data/embedded.js';
export { LeastSquaresTask, leastSquaresSchema } from './data/least-squares.js';
export { runLeastSquares, prepareLeastSquares, leastSquaresRunSchema, type LeastSquaresResult, type LeastSquaresRecord, type PreparedLeastSquares } from './experiment/least-squares.js';
export { resolveTaskFiles, parseTaskFile, type TaskFileReader } from './data/task-files.js';
export { runStudy, studyTable, studySchema } from './experiment/study.js';
export {
  runExperiment, prepareExperiment, parseExperiment, buildNetwork, planNetwork, describeNetwork, estimateMemory, formatBytes, checkCheckpoint, CHECKPOINT_VERSION,
  type RunEvent, type RunOptions, type LiveEvent, type PreparedExperiment, type ExperimentResult, type EpochMetrics, type Checkpoint, type LayerPlan, type MemoryEstimate, type Histogram, type LayerSnapshot,
} from './experiment/run.js';
export { experimentSchema, layerSchema, type ExperimentConfig, type LayerConfig } from './config/experiment.js';
export { deviceFieldsJsonSchema, experimentJsonSchema } from './config/json-schema.js';
export { configDifference } from './config/diff.js';
export { labelRuns, runSetup, reportData, reportSpecs, reportHtml, type ReportRun } from './report/run-report.js';
export { sweepPlotSpec } from './report/sweep-plot.js';
export { crossGrids, sweepCells, summarizeSweep, sweepTable, type SweepCell, type SweepPoint, type SweepRow } from './experiment/sweep.js';
export { LIMITS } from './core/limits.js';
export { kernelBackend, kernelBackends, setKernelBackend, kernelThreads, setKernelThreads, type KernelBackend, type KernelThreads } from './kernels/index.js';
export { useWebKernelThreads, WebKernelThreads, webThreadsUnavailable } from './kernels/web-threads.js';
export { KernelThreadDied } from './kernels/pool.js';
