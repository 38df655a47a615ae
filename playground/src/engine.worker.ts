/**
 * The engine of the playground, in a dedicated Web Worker: device characterisation and training
 * with the library's own code. Kernel threads start here (Atomics.wait is allowed in a worker)
 * when the page is cross-origin isolated; otherwise one thread, with the same numbers.
 * Pause is the library's own checkpoint: stop after the current batch, keep the checkpoint,
 * and resume from it bit for bit (as `aimsim run --resume` does).
 */
import {
  characterizeDevice, IDX_FILES, idxDataset, KernelThreadDied, prepareLeastSquares, UserError, resolveTaskFiles, idxFileOf, resolveDevice, runExperiment, useWebKernelThreads, webThreadsUnavailable,
  type Checkpoint, type ExperimentConfig, type ImageDataset, type IdxFileName, type NamedBytes, type RunEvent,
} from '../../src/index.js';
import type { DroppedFile, FromEngine, ToEngine } from './protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToEngine>) => void) | null;
  postMessage(message: FromEngine, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const send = (message: FromEngine, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

function errorLine(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The dataset a config names, from the files dropped on the page (the embedded one needs none). */
function droppedDataset(files: DroppedFile[]) {
  return async (data: ExperimentConfig['data']): Promise<ImageDataset> => {
    if (data.dataset !== 'fashion-mnist' && data.dataset !== 'mnist') {
      throw new UserError('data.dataset', data.dataset, 'must be embedded-fashion-mnist, or fashion-mnist or mnist with their four IDX files dropped on the page', 'data error');
    }
    const found: Partial<Record<IdxFileName, NamedBytes>> = {};
    for (const file of files) {
      const which = idxFileOf(file.name);
      if (which) found[which] = file;
    }
    const missing = IDX_FILES.filter((name) => !found[name]);
    if (missing.length > 0) throw new UserError('data files', files.map((f) => f.name), `must include the four IDX files of ${data.dataset}; drop ${missing.join(', ')} (optionally .gz)`, 'data error');
    return idxDataset((base) => found[base]!, data.dataset, 'dropped files');
  };
}

interface Run {
  config: unknown;
  liveEvery: number;
  files: DroppedFile[];
  controller: AbortController;
  checkpoint?: Checkpoint;
  /**
   * running; pausing or stopping: asked to, finishing its batch; paused: held at its checkpoint
   * (also after a kernel thread died), the only phase Resume acts on.
   */
  phase: 'running' | 'pausing' | 'stopping' | 'paused';
}
const runs = new Map<number, Run>();

function forward(run: number, event: RunEvent, state: Run): void {
  if (event.type === 'checkpoint') {
    state.checkpoint = event.checkpoint;
    return;
  }
  const transfer = event.type === 'live'
    ? Object.values(event.layers).flatMap((layer) => [layer.weights.buffer, ...(layer.symmetricPoints ? [layer.symmetricPoints.buffer] : [])])
    : [];
  send({ type: 'event', run, event }, transfer as Transferable[]);
}

async function train(id: number, state: Run): Promise<void> {
  state.controller = new AbortController();
  state.phase = 'running';
  // Tiles take the kernel threads installed when they are made: wait for a (re)start to finish.
  await threadsReady;
  try {
    const result = await runExperiment(state.config, {
      signal: state.controller.signal,
      onEvent: (event) => forward(id, event, state),
      loadDataset: droppedDataset(state.files),
      liveEvery: state.liveEvery,
      ...(state.checkpoint ? { resumeFrom: state.checkpoint } : {}),
    });
    // (The phase changes while the run awaits: read it afresh.)
    if (result.status === 'partial' && (state.phase as Run['phase']) === 'pausing') {
      state.phase = 'paused';
      send({ type: 'paused', run: id });
      return;
    }
    runs.delete(id);
    if (result.status === 'partial') send({ type: 'stopped', run: id });
  } catch (error) {
    if (error instanceof KernelThreadDied) {
      // The run keeps its last checkpoint (none: it starts again from 0), and the engine starts
      // fresh threads for the Resume; a run asked to stop just stops.
      restartThreads();
      if ((state.phase as Run['phase']) === 'stopping') {
        runs.delete(id);
        send({ type: 'stopped', run: id });
        return;
      }
      state.phase = 'paused';
      send({ type: 'died', run: id, message: `${error.message}; Resume continues from ${resumePoint(state.checkpoint)} on fresh threads` });
      return;
    }
    runs.delete(id);
    send({ type: 'error', run: id, message: errorLine(error) });
  }
}

/** Where a run resumed from `checkpoint` continues. */
function resumePoint(checkpoint: Checkpoint | undefined): string {
  if (!checkpoint) return 'the start';
  return checkpoint.batch > 0 ? `batch ${checkpoint.batch + 1} of epoch ${checkpoint.epoch + 1}` : `the start of epoch ${checkpoint.epoch + 1}`;
}

/** Least-squares runs in progress, to stop. */
const leastSquaresRuns = new Map<number, AbortController>();

/** The run's task files, taken from the dropped files by name (the CLI reads them next to the config). */
function droppedTaskFiles(config: unknown, files: DroppedFile[]): unknown {
  return resolveTaskFiles(config, (field, name) => {
    // A dropped file has a bare name; the config may name it with a folder (as for the CLI).
    const file = files.find((f) => name === f.name || name.endsWith(`/${f.name}`));
    if (!file) throw new UserError(field, name, `must be a file dropped on the page (dropped: ${files.map((f) => f.name).join(', ') || 'none'})`, 'data error');
    return file;
  });
}

async function leastSquares(id: number, config: unknown, files: DroppedFile[]): Promise<void> {
  const controller = new AbortController();
  leastSquaresRuns.set(id, controller);
  await threadsReady;
  try {
    const prepared = prepareLeastSquares(droppedTaskFiles(config, files));
    send({ type: 'least-squares-start', run: id, rows: prepared.rows, cols: prepared.cols, optimum: Float64Array.from(prepared.optimum) });
    const result = await prepared.trainLive({
      signal: controller.signal,
      onRecord: (record) => send({ type: 'least-squares-record', run: id, record }, [record.weights.buffer as ArrayBuffer]),
    });
    send({ type: 'least-squares-done', run: id, result });
  } catch (error) {
    if (error instanceof KernelThreadDied) restartThreads();
    send({ type: 'error', run: id, message: errorLine(error) });
  } finally {
    leastSquaresRuns.delete(id);
  }
}

/** The thread count the page asked for, what stops the threads now running, and their start. */
let wanted = 1;
let stopThreads: (() => void) | null = null;
let threadsReady: Promise<void> = Promise.resolve();

function restartThreads(): void {
  stopThreads?.();
  stopThreads = null;
  threadsReady = init(wanted);
}

async function init(threads: number): Promise<void> {
  wanted = threads;
  const why = webThreadsUnavailable();
  let used = 1;
  if (threads > 1 && why === null) {
    try {
      stopThreads = await useWebKernelThreads(threads);
      used = threads;
    } catch (error) {
      send({ type: 'ready', threads: 1, why: errorLine(error) });
      return;
    }
  }
  send({ type: 'ready', threads: used, why: threads > 1 ? why : null });
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      threadsReady = init(message.threads);
      return;
    case 'characterize':
      try {
        const config = resolveDevice(message.name, message.overrides);
        send({ type: 'characterized', id: message.id, result: characterizeDevice(message.name, config, message.options, { detail: true }) });
      } catch (error) {
        send({ type: 'error', id: message.id, message: errorLine(error) });
      }
      return;
    case 'train': {
      const state: Run = { config: message.config, liveEvery: message.liveEvery, files: message.files, controller: new AbortController(), phase: 'running' };
      runs.set(message.run, state);
      void train(message.run, state);
      return;
    }
    case 'least-squares':
      void leastSquares(message.run, message.config, message.files);
      return;
    case 'pause': {
      const state = runs.get(message.run);
      if (state?.phase !== 'running') return;
      state.phase = 'pausing';
      state.controller.abort();
      return;
    }
    case 'stop': {
      leastSquaresRuns.get(message.run)?.abort();
      const state = runs.get(message.run);
      if (!state) return;
      if (state.phase === 'paused') {
        // Not running: stopping only forgets its checkpoint.
        runs.delete(message.run);
        send({ type: 'stopped', run: message.run });
        return;
      }
      // Running, or finishing its batch for a pause: train() reports the stop when it returns.
      state.phase = 'stopping';
      state.controller.abort();
      return;
    }
    case 'resume': {
      // A paused run has its checkpoint; one whose kernel thread died may start again from 0.
      const state = runs.get(message.run);
      if (state?.phase === 'paused') void train(message.run, state);
      return;
    }
  }
};
