/**
 * Messages between the page and the engine worker (engine.worker.ts). The engine is the
 * library's own src/; the page never runs a kernel, so it stays responsive and Atomics.wait is
 * allowed where the kernels run.
 */
import type { CharacterizeOptions, DeviceCharacterization, LeastSquaresRecord, LeastSquaresResult, NamedBytes, RunEvent } from '../../src/index.js';

/** A dropped file: its name (for error messages and to tell the four IDX files apart) and bytes. */
export type DroppedFile = NamedBytes;

export type ToEngine =
  | { type: 'init'; threads: number }
  | { type: 'characterize'; id: number; name: string; overrides: Record<string, unknown>; options: Partial<CharacterizeOptions> }
  | { type: 'train'; run: number; config: unknown; liveEvery: number; files: DroppedFile[] }
  /** A least-squares run (the CLI's study cell): its task files, if any, among `files` by name. */
  | { type: 'least-squares'; run: number; config: unknown; files: DroppedFile[] }
  | { type: 'pause'; run: number }
  | { type: 'resume'; run: number }
  | { type: 'stop'; run: number };

export type FromEngine =
  | { type: 'ready'; threads: number; why: string | null }
  | { type: 'characterized'; id: number; result: DeviceCharacterization }
  /** Run events as the library sends them, less the checkpoints (they stay in the engine for resume). */
  | { type: 'event'; run: number; event: Exclude<RunEvent, { type: 'checkpoint' }> }
  | { type: 'paused'; run: number }
  /** A kernel thread died: the run is held at its last checkpoint, and Resume continues it. */
  | { type: 'died'; run: number; message: string }
  | { type: 'least-squares-start'; run: number; rows: number; cols: number; optimum: Float64Array }
  | { type: 'least-squares-record'; run: number; record: LeastSquaresRecord }
  | { type: 'least-squares-done'; run: number; result: LeastSquaresResult }
  | { type: 'stopped'; run: number }
  /** One line: a UserError's message (the field, the value, what is allowed) or what went wrong. */
  | { type: 'error'; id?: number; run?: number; message: string };
