/**
 * `buffer` when it has `length` entries, else a new one. A layer returns its outputs and input
 * gradients in buffers it reuses from batch to batch: they stay valid until its next forward (or
 * backward) call, which is all a training step needs (forward, backward, update, in that order),
 * and it spares the garbage collector megabytes per batch in a convolutional network.
 */
export function sized(buffer: Float64Array, length: number): Float64Array {
  return buffer.length === length ? buffer : new Float64Array(length);
}
