/**
 * The purpose forward reads are counted under: `forward` while training, `test` while a run
 * evaluates its test set (so that the counters, and the hardware estimate made from them, keep
 * the two apart). JS runs one call at a time, so a module-level setting is enough.
 */
let forwardPurpose = 'forward';

export function currentForwardPurpose(): string {
  return forwardPurpose;
}

/** Runs `fn` with forward reads counted under `purpose`. */
export function withForwardPurpose<T>(purpose: string, fn: () => T): T {
  const previous = forwardPurpose;
  forwardPurpose = purpose;
  try {
    return fn();
  } finally {
    forwardPurpose = previous;
  }
}
