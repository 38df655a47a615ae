import type { Output } from './output.js';

/**
 * A repeat within this time is the same request delivered twice: GNU `timeout` signals both the
 * command and its process group, and a terminal's Ctrl-C reaches npx, which forwards it, as well
 * as node. Quitting on it would lose the partial results the first one asked for.
 */
export const REPEAT_WINDOW_MS = 1000;

/**
 * Ctrl-C and SIGTERM during a run (issue 14): the first one asks the run to stop after the
 * current batch (it then writes a checkpoint and partial results and says how to resume); a
 * second one, more than REPEAT_WINDOW_MS later, quits at once.
 */
export function onInterrupt(out: Output): { signal: AbortSignal; exitCode(): number; dispose(): void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  let receivedAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (received && Date.now() - receivedAt < REPEAT_WINDOW_MS) return;
    if (received) {
      out.stderr(`aimsim: ${signal} again: quitting now (the last checkpoint is kept)`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    received = signal;
    receivedAt = Date.now();
    out.stderr(`aimsim: ${signal}: stopping after the current batch to save a checkpoint (${signal === 'SIGINT' ? 'Ctrl-C' : 'send it'} again, a second or more later, to quit now)`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    // The shell's convention: 128 + the signal number.
    exitCode: () => (received === 'SIGTERM' ? 143 : 130),
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
