/**
 * Lets the event loop run (timers, I/O, signal handlers such as Ctrl-C) between batches. A
 * microtask is not enough: signals and messages are macrotasks. `setImmediate` where the platform
 * has it (Node), else a zero timeout (browsers, workers).
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
