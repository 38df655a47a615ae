/**
 * Node-only entry point (architecture.md decision 5): file IO lives here, never in the core.
 */
export * from '../index.js';
export { loadIdxDataset, loadCifar10, loadConfigDataset, DEBIAN_FASHION_MNIST } from './datasets.js';
export { fsError, makeFolder, processAlive, writeFileAtomic } from './files.js';
export { writeRunReport } from './report.js';
export { loadConfigFile, readConfigFile, type ConfigFile } from './config-file.js';
export { loadTaskFiles } from './task-files.js';
export { NodeKernelThreads, useKernelThreads } from './threads.js';
