/**
 * aihwkit's learnable output scales (MappingParameter.learn_out_scaling, out_scaling_columnwise):
 * a digital factor α (one per layer, or one per output) multiplies the analog MVM's output,
 * y = α ⊙ (W·x) + b, and is trained by the same SGD step as the digital bias. The analog array
 * sees the error α ⊙ dy in its backward pass and its pulsed update, as torch's autograd gives it.
 * With weight_scaling_omega 0 (the seed papers' code) the scales start at 1.
 */
export type OutScalingMode = 'none' | 'layer' | 'column';

export class OutScaling {
  /** α: one value (layer) or one per output (column). */
  readonly values: Float64Array;
  private readonly outputs: number;
  private raw: Float64Array = new Float64Array(0);
  /** α ⊙ dy, reused from batch to batch (the layer keeps it until its update). */
  private scaled: Float64Array = new Float64Array(0);
  private readonly gradient: Float64Array;

  constructor(mode: Exclude<OutScalingMode, 'none'>, outputs: number) {
    this.outputs = outputs;
    this.values = new Float64Array(mode === 'layer' ? 1 : outputs).fill(1);
    this.gradient = new Float64Array(this.values.length);
  }

  private scaleOf(o: number): number {
    return this.values.length === 1 ? this.values[0]! : this.values[o]!;
  }

  /** Scales the array's output (rows × outputs) in place, keeping W·x for the gradient of α. */
  forward(y: Float64Array, rows: number): void {
    if (this.raw.length !== rows * this.outputs) this.raw = new Float64Array(rows * this.outputs);
    this.raw.set(y.subarray(0, rows * this.outputs));
    for (let r = 0; r < rows; r++) for (let o = 0; o < this.outputs; o++) y[r * this.outputs + o] = y[r * this.outputs + o]! * this.scaleOf(o);
  }

  /** ∂L/∂α from dy (rows × outputs); returns the array's error α ⊙ dy (valid until the next call). */
  backward(dy: Float64Array, rows: number): Float64Array {
    this.gradient.fill(0);
    if (this.scaled.length !== rows * this.outputs) this.scaled = new Float64Array(rows * this.outputs);
    const scaled = this.scaled;
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < this.outputs; o++) {
        const k = r * this.outputs + o;
        const g = dy[k]! * this.raw[k]!;
        if (this.values.length === 1) this.gradient[0] = this.gradient[0]! + g;
        else this.gradient[o] = this.gradient[o]! + g;
        scaled[k] = dy[k]! * this.scaleOf(o);
      }
    }
    return scaled;
  }

  /** α ← α − lr·∂L/∂α (plain SGD, as AnalogSGD steps digital parameters). */
  update(lr: number): void {
    for (let i = 0; i < this.values.length; i++) this.values[i] = this.values[i]! - lr * this.gradient[i]!;
  }
}
