// Wasm SIMD kernels (AssemblyScript, f64x2). Build: `npm run build:wasm` (scripts/build-wasm.mjs).
// Memory layout is chosen by the caller: W (rows × cols), X (batch × in), Y (batch × out), f64.

/**
 * Y[b, i] = Σ_j W[i, j]·X[b, j]. The lanes hold two vectors (b, b + 1), read from `xi`, the
 * batch interleaved in pairs (xi[(p·cols + j)·2 + l] = X[2p + l, j]); each lane sums over j in
 * order, starting from 0, exactly as the TS reference `multiply`, so the results are bit-identical.
 * Two rows × two pairs per pass over W. `batch` must be even (the caller pads).
 */
export function gemmNN(w: usize, rows: i32, cols: i32, xi: usize, y: usize, batch: i32): void {
  const pairs = batch >> 1;
  for (let p = 0; p < pairs; p += 2) {
    const twoPairs = p + 1 < pairs;
    const xa = xi + <usize>(p * cols) * 16;
    const xb = twoPairs ? xa + <usize>cols * 16 : xa;
    for (let i = 0; i < rows; i += 2) {
      const twoRows = i + 1 < rows;
      const r0 = w + <usize>(i * cols) * 8;
      const r1 = twoRows ? r0 + <usize>cols * 8 : r0;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
      for (let j = 0; j < cols; j++) {
        const w0 = v128.load64_splat(r0 + <usize>j * 8);
        const w1 = v128.load64_splat(r1 + <usize>j * 8);
        const va = v128.load(xa + <usize>j * 16);
        const vb = v128.load(xb + <usize>j * 16);
        s00 = f64x2.add(s00, f64x2.mul(w0, va));
        s01 = f64x2.add(s01, f64x2.mul(w0, vb));
        s10 = f64x2.add(s10, f64x2.mul(w1, va));
        s11 = f64x2.add(s11, f64x2.mul(w1, vb));
      }
      const b = p * 2;
      store<f64>(y + <usize>(b * rows + i) * 8, f64x2.extract_lane(s00, 0));
      store<f64>(y + <usize>((b + 1) * rows + i) * 8, f64x2.extract_lane(s00, 1));
      if (twoRows) {
        store<f64>(y + <usize>(b * rows + i + 1) * 8, f64x2.extract_lane(s10, 0));
        store<f64>(y + <usize>((b + 1) * rows + i + 1) * 8, f64x2.extract_lane(s10, 1));
      }
      if (twoPairs) {
        store<f64>(y + <usize>((b + 2) * rows + i) * 8, f64x2.extract_lane(s01, 0));
        store<f64>(y + <usize>((b + 3) * rows + i) * 8, f64x2.extract_lane(s01, 1));
        if (twoRows) {
          store<f64>(y + <usize>((b + 2) * rows + i + 1) * 8, f64x2.extract_lane(s11, 0));
          store<f64>(y + <usize>((b + 3) * rows + i + 1) * 8, f64x2.extract_lane(s11, 1));
        }
      }
    }
  }
}

/** Interleaves X (batch × cols, batch even) into pairs: out[(p·cols + j)·2 + l] = X[2p + l, j]. */
export function interleavePairs(x: usize, cols: i32, batch: i32, out: usize): void {
  for (let b = 0; b < batch; b++) {
    const p = b >> 1;
    const l = b & 1;
    for (let j = 0; j < cols; j++) store<f64>(out + <usize>((p * cols + j) * 2 + l) * 8, load<f64>(x + <usize>(b * cols + j) * 8));
  }
}

/** Y[b, j] = Σ_i W[i, j]·X[b, i]: lanes over j, rows accumulated in order and zero inputs skipped, as in `multiply` (bit-identical). */
export function gemmTN(w: usize, rows: i32, cols: i32, x: usize, y: usize, batch: i32): void {
  const even = cols & ~1;
  for (let b = 0; b < batch; b++) {
    const yb = y + <usize>(b * cols) * 8;
    memory.fill(yb, 0, <usize>cols * 8);
    const xb = x + <usize>(b * rows) * 8;
    for (let i = 0; i < rows; i++) {
      const a = load<f64>(xb + <usize>i * 8);
      if (a == 0) continue;
      const av = f64x2.splat(a);
      const r = w + <usize>(i * cols) * 8;
      for (let j = 0; j < even; j += 2) {
        const o = <usize>j * 8;
        v128.store(yb + o, f64x2.add(v128.load(yb + o), f64x2.mul(v128.load(r + o), av)));
      }
      if (even < cols) {
        const o = <usize>even * 8;
        store<f64>(yb + o, load<f64>(yb + o) + load<f64>(r + o) * a);
      }
    }
  }
}
