/**
 * The plain-TS reference kernels (issue 8): the oracle every other backend is tested against, and
 * the fallback where WebAssembly is missing.
 */

let sparseIndex = new Int32Array(0);

/** y = W·x (rows outputs) or y = Wᵀ·x (cols outputs), exact. */
export function multiply(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array): void {
  if (!transposed) {
    // Sparse inputs (the one-hot column reads of the transfers): sum over the non-zero inputs
    // only, in the same order. Skipped terms are exact zeros, so the sums are the same (up to the
    // sign of an all-zero sum).
    let nonZero = 0;
    for (let j = 0; j < cols; j++) if (x[j] !== 0) nonZero++;
    if (nonZero * 8 <= cols) {
      if (sparseIndex.length < nonZero) sparseIndex = new Int32Array(cols);
      let n = 0;
      for (let j = 0; j < cols; j++) if (x[j] !== 0) sparseIndex[n++] = j;
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        const base = i * cols;
        for (let t = 0; t < n; t++) {
          const j = sparseIndex[t]!;
          sum += weights[base + j]! * x[j]!;
        }
        y[i] = sum;
      }
      return;
    }
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      const base = i * cols;
      for (let j = 0; j < cols; j++) sum += weights[base + j]! * x[j]!;
      y[i] = sum;
    }
    return;
  }
  y.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const base = i * cols;
    for (let j = 0; j < cols; j++) y[j] = y[j]! + weights[base + j]! * xi;
  }
}

/**
 * Batched y_b = W·x_b (or Wᵀ·x_b) for `batch` vectors stored row-major in X (batch × in) and
 * Y (batch × out). Four vectors share each pass over W (the weights are read from memory once
 * per four vectors instead of once per vector); every output is accumulated in the same order as
 * `multiply`, so the results are bit-identical to calling it per vector.
 */
export function multiplyBatchTs(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array, batch: number): void {
  const inSize = transposed ? rows : cols;
  const outSize = transposed ? cols : rows;
  let b = 0;
  if (!transposed) {
    for (; b + 4 <= batch; b += 4) {
      const x0 = b * cols;
      const x1 = x0 + cols;
      const x2 = x1 + cols;
      const x3 = x2 + cols;
      let i = 0;
      // two rows × four vectors: eight independent sums, each in j order as in `multiply`
      for (; i + 2 <= rows; i += 2) {
        const r0 = i * cols;
        const r1 = r0 + cols;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let j = 0; j < cols; j++) {
          const w0 = weights[r0 + j]!;
          const w1 = weights[r1 + j]!;
          const v0 = x[x0 + j]!;
          const v1 = x[x1 + j]!;
          const v2 = x[x2 + j]!;
          const v3 = x[x3 + j]!;
          s00 += w0 * v0;
          s01 += w0 * v1;
          s02 += w0 * v2;
          s03 += w0 * v3;
          s10 += w1 * v0;
          s11 += w1 * v1;
          s12 += w1 * v2;
          s13 += w1 * v3;
        }
        y[b * rows + i] = s00;
        y[(b + 1) * rows + i] = s01;
        y[(b + 2) * rows + i] = s02;
        y[(b + 3) * rows + i] = s03;
        y[b * rows + i + 1] = s10;
        y[(b + 1) * rows + i + 1] = s11;
        y[(b + 2) * rows + i + 1] = s12;
        y[(b + 3) * rows + i + 1] = s13;
      }
      for (; i < rows; i++) {
        const base = i * cols;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0; j < cols; j++) {
          const w = weights[base + j]!;
          s0 += w * x[x0 + j]!;
          s1 += w * x[x1 + j]!;
          s2 += w * x[x2 + j]!;
          s3 += w * x[x3 + j]!;
        }
        y[b * rows + i] = s0;
        y[(b + 1) * rows + i] = s1;
        y[(b + 2) * rows + i] = s2;
        y[(b + 3) * rows + i] = s3;
      }
    }
  } else {
    for (; b + 4 <= batch; b += 4) {
      const y0 = b * cols;
      const y1 = y0 + cols;
      const y2 = y1 + cols;
      const y3 = y2 + cols;
      y.fill(0, y0, y0 + 4 * cols);
      for (let i = 0; i < rows; i++) {
        const base = i * cols;
        const a0 = x[b * rows + i]!;
        const a1 = x[(b + 1) * rows + i]!;
        const a2 = x[(b + 2) * rows + i]!;
        const a3 = x[(b + 3) * rows + i]!;
        // zero inputs are skipped, as in `multiply` (adding +0 would be the same except for −0)
        if (a0 !== 0 && a1 !== 0 && a2 !== 0 && a3 !== 0) {
          for (let j = 0; j < cols; j++) {
            const w = weights[base + j]!;
            y[y0 + j] = y[y0 + j]! + w * a0;
            y[y1 + j] = y[y1 + j]! + w * a1;
            y[y2 + j] = y[y2 + j]! + w * a2;
            y[y3 + j] = y[y3 + j]! + w * a3;
          }
        } else {
          if (a0 !== 0) for (let j = 0; j < cols; j++) y[y0 + j] = y[y0 + j]! + weights[base + j]! * a0;
          if (a1 !== 0) for (let j = 0; j < cols; j++) y[y1 + j] = y[y1 + j]! + weights[base + j]! * a1;
          if (a2 !== 0) for (let j = 0; j < cols; j++) y[y2 + j] = y[y2 + j]! + weights[base + j]! * a2;
          if (a3 !== 0) for (let j = 0; j < cols; j++) y[y3 + j] = y[y3 + j]! + weights[base + j]! * a3;
        }
      }
    }
  }
  for (; b < batch; b++) multiply(weights, rows, cols, transposed, x.subarray(b * inSize, (b + 1) * inSize), y.subarray(b * outSize, (b + 1) * outSize));
}

