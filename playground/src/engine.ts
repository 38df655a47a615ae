/** The page's side of the engine worker: one worker, requests by id, run events by run number. */
import type { CharacterizeOptions, DeviceCharacterization } from '../../src/index.js';
import type { DroppedFile, FromEngine, ToEngine } from './protocol.js';

export type RunMessage = Extract<FromEngine, { run: number }> | { type: 'error'; run?: number; message: string };

/** Whether a run's message is its last (a finished run, a stop, an error). */
function ends(message: RunMessage): boolean {
  return message.type === 'stopped' || message.type === 'error' || message.type === 'least-squares-done'
    || (message.type === 'event' && message.event.type === 'done' && message.event.result.status === 'completed');
}

export class Engine {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: DeviceCharacterization) => void; reject: (e: Error) => void }>();
  private readonly runListeners = new Map<number, (message: RunMessage) => void>();
  /** Kernel threads the engine runs with, and why not more (null once it could start them). */
  readonly ready: Promise<{ threads: number; why: string | null }>;
  /** Hears every later report of the threads (after a kernel thread died and they restarted). */
  onThreads: ((threads: number, why: string | null) => void) | null = null;
  /** Why the engine worker cannot be used (it failed), or null. */
  private failure: string | null = null;

  constructor(threads: number) {
    this.worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'aimsim-engine' });
    let markReady: (value: { threads: number; why: string | null }) => void = () => {};
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.worker.onmessage = (event: MessageEvent<FromEngine>) => {
      const message = event.data;
      if (message.type === 'ready') {
        markReady({ threads: message.threads, why: message.why });
        this.onThreads?.(message.threads, message.why);
      }
      else if (message.type === 'characterized') this.settle(message.id, message.result);
      else if (message.type === 'error' && message.id !== undefined) this.settle(message.id, new Error(message.message));
      else if ('run' in message && message.run !== undefined) {
        this.runListeners.get(message.run)?.(message as RunMessage);
        if (ends(message as RunMessage)) this.runListeners.delete(message.run);
      }
    };
    // A worker that cannot start (its script failed to load, say) would otherwise leave the page
    // waiting: say why, and fail what waits on it.
    this.worker.onerror = (event) => {
      const why = `the engine worker failed: ${event.message || 'it could not start'}; reload the page`;
      this.failure = why;
      markReady({ threads: 0, why });
      this.onThreads?.(0, why);
      for (const id of this.pending.keys()) this.settle(id, new Error(why));
      for (const [run, listen] of this.runListeners) listen({ type: 'error', run, message: why });
      this.runListeners.clear();
    };
    this.post({ type: 'init', threads });
  }

  private post(message: ToEngine, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private settle(id: number, value: DeviceCharacterization | Error): void {
    const waiting = this.pending.get(id);
    this.pending.delete(id);
    if (!waiting) return;
    if (value instanceof Error) waiting.reject(value);
    else waiting.resolve(value);
  }

  characterize(name: string, overrides: Record<string, unknown>, options: Partial<CharacterizeOptions>): Promise<DeviceCharacterization> {
    if (this.failure) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'characterize', id, name, overrides, options });
    });
  }

  /** Starts a run; `listen` gets its events until it ends (done, stopped or an error). */
  train(config: unknown, liveEvery: number, files: DroppedFile[], listen: (message: RunMessage) => void): number {
    const run = this.nextId++;
    if (this.refuse(run, listen)) return run;
    this.runListeners.set(run, listen);
    this.post({ type: 'train', run, config, liveEvery, files });
    return run;
  }

  /** Starts a least-squares run; `listen` gets its records and its result (or an error). */
  leastSquares(config: unknown, files: DroppedFile[], listen: (message: RunMessage) => void): number {
    const run = this.nextId++;
    if (this.refuse(run, listen)) return run;
    this.runListeners.set(run, listen);
    this.post({ type: 'least-squares', run, config, files });
    return run;
  }

  /** A failed engine takes no runs: the run fails at once (after the caller has its number). */
  private refuse(run: number, listen: (message: RunMessage) => void): boolean {
    const failure = this.failure;
    if (failure === null) return false;
    queueMicrotask(() => listen({ type: 'error', run, message: failure }));
    return true;
  }

  control(type: 'pause' | 'resume' | 'stop', run: number): void {
    this.post({ type, run });
  }
}
