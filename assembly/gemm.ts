// Wasm SIMD kernels (AssemblyScript, f64x2). Build: `npm run build:wasm` (scripts/build-wasm.mjs).
// Memory layout is chosen by the caller: W (rows × cols), X (batch × in), Y (batch × out), f64.

/**
 * Y[b, i] = Σ_j W[i, j]·X[b, j]. The lanes hold two vectors (b, b + 1), read from `xi`, the
 * batch interleaved in pairs (xi[(p·cols + j)·2 + l] = X[2p + l, j]); each lane sums over j in
 * order, starting from 0, exactly as the TS reference `multiply`, so the results are bit-identical.
 * Two rows × two pairs per pass over W. `batch` must be even (the caller pads).
 */
export function gemmNN(w: usize, rows: i32, cols: i32, xi: usize, y: usize, batch: i32): void {
  gemmNNRows(w, 0, rows, rows, cols, xi, y, batch);
}

/** gemmNN for output rows [rowStart, rowEnd) only (`rows` is the full count, the stride of Y). */
export function gemmNNRows(w: usize, rowStart: i32, rowEnd: i32, rows: i32, cols: i32, xi: usize, y: usize, batch: i32): void {
  const pairs = batch >> 1;
  for (let i = rowStart; i < rowEnd; i += 2) {
    const twoRows = i + 1 < rowEnd;
    const r0 = w + <usize>(i * cols) * 8;
    const r1 = twoRows ? r0 + <usize>cols * 8 : r0;
    let p = 0;
    // Four pairs (eight samples) per pass over the two rows, then two, then one.
    for (; p + 4 <= pairs; p += 4) {
      const xa = xi + <usize>(p * cols) * 16;
      const xb = xa + <usize>cols * 16;
      const xc = xb + <usize>cols * 16;
      const xd = xc + <usize>cols * 16;
      let a0 = f64x2.splat(0), b0 = f64x2.splat(0), c0 = f64x2.splat(0), d0 = f64x2.splat(0);
      let a1 = f64x2.splat(0), b1 = f64x2.splat(0), c1 = f64x2.splat(0), d1 = f64x2.splat(0);
      for (let j = 0; j < cols; j++) {
        const w0 = v128.load64_splat(r0 + <usize>j * 8);
        const w1 = v128.load64_splat(r1 + <usize>j * 8);
        const o = <usize>j * 16;
        const va = v128.load(xa + o);
        const vb = v128.load(xb + o);
        const vc = v128.load(xc + o);
        const vd = v128.load(xd + o);
        a0 = f64x2.add(a0, f64x2.mul(w0, va));
        b0 = f64x2.add(b0, f64x2.mul(w0, vb));
        c0 = f64x2.add(c0, f64x2.mul(w0, vc));
        d0 = f64x2.add(d0, f64x2.mul(w0, vd));
        a1 = f64x2.add(a1, f64x2.mul(w1, va));
        b1 = f64x2.add(b1, f64x2.mul(w1, vb));
        c1 = f64x2.add(c1, f64x2.mul(w1, vc));
        d1 = f64x2.add(d1, f64x2.mul(w1, vd));
      }
      storePair(y, rows, p * 2, i, a0);
      storePair(y, rows, p * 2 + 2, i, b0);
      storePair(y, rows, p * 2 + 4, i, c0);
      storePair(y, rows, p * 2 + 6, i, d0);
      if (twoRows) {
        storePair(y, rows, p * 2, i + 1, a1);
        storePair(y, rows, p * 2 + 2, i + 1, b1);
        storePair(y, rows, p * 2 + 4, i + 1, c1);
        storePair(y, rows, p * 2 + 6, i + 1, d1);
      }
    }
    for (; p + 2 <= pairs; p += 2) {
      const xa = xi + <usize>(p * cols) * 16;
      const xb = xa + <usize>cols * 16;
      let a0 = f64x2.splat(0), b0 = f64x2.splat(0), a1 = f64x2.splat(0), b1 = f64x2.splat(0);
      for (let j = 0; j < cols; j++) {
        const w0 = v128.load64_splat(r0 + <usize>j * 8);
        const w1 = v128.load64_splat(r1 + <usize>j * 8);
        const va = v128.load(xa + <usize>j * 16);
        const vb = v128.load(xb + <usize>j * 16);
        a0 = f64x2.add(a0, f64x2.mul(w0, va));
        b0 = f64x2.add(b0, f64x2.mul(w0, vb));
        a1 = f64x2.add(a1, f64x2.mul(w1, va));
        b1 = f64x2.add(b1, f64x2.mul(w1, vb));
      }
      storePair(y, rows, p * 2, i, a0);
      storePair(y, rows, p * 2 + 2, i, b0);
      if (twoRows) {
        storePair(y, rows, p * 2, i + 1, a1);
        storePair(y, rows, p * 2 + 2, i + 1, b1);
      }
    }
    for (; p < pairs; p++) {
      const xa = xi + <usize>(p * cols) * 16;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      for (let j = 0; j < cols; j++) {
        const va = v128.load(xa + <usize>j * 16);
        a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(r0 + <usize>j * 8), va));
        a1 = f64x2.add(a1, f64x2.mul(v128.load64_splat(r1 + <usize>j * 8), va));
      }
      storePair(y, rows, p * 2, i, a0);
      if (twoRows) storePair(y, rows, p * 2, i + 1, a1);
    }
  }
}

/** Y[b, i] and Y[b + 1, i] from the two lanes of `v`. */
@inline function storePair(y: usize, rows: i32, b: i32, i: i32, v: v128): void {
  store<f64>(y + <usize>(b * rows + i) * 8, f64x2.extract_lane(v, 0));
  store<f64>(y + <usize>((b + 1) * rows + i) * 8, f64x2.extract_lane(v, 1));
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
  gemmTNCols(w, rows, cols, 0, cols, x, y, batch);
}

/**
 * gemmTN for output columns [colStart, colEnd) only. Four samples share each pass over a row of
 * W (read once from memory, not once per sample); each output still sums over i in order.
 */
export function gemmTNCols(w: usize, rows: i32, cols: i32, colStart: i32, colEnd: i32, x: usize, y: usize, batch: i32): void {
  const width = colEnd - colStart;
  const even = colStart + (width & ~1);
  for (let b0 = 0; b0 < batch; b0 += 4) {
    const nb = min(4, batch - b0);
    for (let k = 0; k < nb; k++) memory.fill(y + <usize>((b0 + k) * cols + colStart) * 8, 0, <usize>width * 8);
    const y0 = y + <usize>(b0 * cols) * 8;
    const y1 = y0 + <usize>cols * 8;
    const y2 = y1 + <usize>cols * 8;
    const y3 = y2 + <usize>cols * 8;
    for (let i = 0; i < rows; i++) {
      const r = w + <usize>(i * cols) * 8;
      const a0 = load<f64>(x + <usize>(b0 * rows + i) * 8);
      if (nb == 4) {
        const a1 = load<f64>(x + <usize>((b0 + 1) * rows + i) * 8);
        const a2 = load<f64>(x + <usize>((b0 + 2) * rows + i) * 8);
        const a3 = load<f64>(x + <usize>((b0 + 3) * rows + i) * 8);
        if (a0 != 0 && a1 != 0 && a2 != 0 && a3 != 0) {
          const v0 = f64x2.splat(a0), v1 = f64x2.splat(a1), v2 = f64x2.splat(a2), v3 = f64x2.splat(a3);
          for (let j = colStart; j < even; j += 2) {
            const o = <usize>j * 8;
            const wv = v128.load(r + o);
            v128.store(y0 + o, f64x2.add(v128.load(y0 + o), f64x2.mul(wv, v0)));
            v128.store(y1 + o, f64x2.add(v128.load(y1 + o), f64x2.mul(wv, v1)));
            v128.store(y2 + o, f64x2.add(v128.load(y2 + o), f64x2.mul(wv, v2)));
            v128.store(y3 + o, f64x2.add(v128.load(y3 + o), f64x2.mul(wv, v3)));
          }
          if (even < colEnd) {
            const o = <usize>even * 8;
            const wj = load<f64>(r + o);
            store<f64>(y0 + o, load<f64>(y0 + o) + wj * a0);
            store<f64>(y1 + o, load<f64>(y1 + o) + wj * a1);
            store<f64>(y2 + o, load<f64>(y2 + o) + wj * a2);
            store<f64>(y3 + o, load<f64>(y3 + o) + wj * a3);
          }
          continue;
        }
      }
      for (let k = 0; k < nb; k++) {
        const a = k == 0 ? a0 : load<f64>(x + <usize>((b0 + k) * rows + i) * 8);
        if (a == 0) continue;
        const yb = y0 + <usize>(k * cols) * 8;
        const av = f64x2.splat(a);
        for (let j = colStart; j < even; j += 2) {
          const o = <usize>j * 8;
          v128.store(yb + o, f64x2.add(v128.load(yb + o), f64x2.mul(v128.load(r + o), av)));
        }
        if (even < colEnd) {
          const o = <usize>even * 8;
          store<f64>(yb + o, load<f64>(yb + o) + load<f64>(r + o) * a);
        }
      }
    }
  }
}

/**
 * W[i, j] −= s_b·X[b, j] for b = 0 … batch−1 in order, s_b = lr·D[b, i], samples with s_b = 0
 * skipped: the digital SGD step, bit-identical to DigitalSgd's TS loop (the same subtractions in
 * the same order per element; lanes over j). `list` is scratch for `batch` i32.
 */
export function rankUpdate(w: usize, rows: i32, cols: i32, x: usize, d: usize, batch: i32, lr: f64, list: usize): void {
  const even = cols & ~1;
  for (let i = 0; i < rows; i++) {
    let n = 0;
    for (let b = 0; b < batch; b++) {
      if (lr * load<f64>(d + <usize>(b * rows + i) * 8) != 0) {
        store<i32>(list + <usize>n * 4, b);
        n++;
      }
    }
    const r = w + <usize>(i * cols) * 8;
    let t = 0;
    for (; t + 4 <= n; t += 4) {
      const b0 = load<i32>(list + <usize>t * 4);
      const b1 = load<i32>(list + <usize>(t + 1) * 4);
      const b2 = load<i32>(list + <usize>(t + 2) * 4);
      const b3 = load<i32>(list + <usize>(t + 3) * 4);
      const c0 = lr * load<f64>(d + <usize>(b0 * rows + i) * 8);
      const c1 = lr * load<f64>(d + <usize>(b1 * rows + i) * 8);
      const c2 = lr * load<f64>(d + <usize>(b2 * rows + i) * 8);
      const c3 = lr * load<f64>(d + <usize>(b3 * rows + i) * 8);
      const v0 = f64x2.splat(c0), v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3);
      const x0 = x + <usize>(b0 * cols) * 8, x1 = x + <usize>(b1 * cols) * 8;
      const x2 = x + <usize>(b2 * cols) * 8, x3 = x + <usize>(b3 * cols) * 8;
      for (let j = 0; j < even; j += 2) {
        const o = <usize>j * 8;
        let v = v128.load(r + o);
        v = f64x2.sub(v, f64x2.mul(v0, v128.load(x0 + o)));
        v = f64x2.sub(v, f64x2.mul(v1, v128.load(x1 + o)));
        v = f64x2.sub(v, f64x2.mul(v2, v128.load(x2 + o)));
        v = f64x2.sub(v, f64x2.mul(v3, v128.load(x3 + o)));
        v128.store(r + o, v);
      }
      if (even < cols) {
        const o = <usize>even * 8;
        let s = load<f64>(r + o);
        s -= c0 * load<f64>(x0 + o);
        s -= c1 * load<f64>(x1 + o);
        s -= c2 * load<f64>(x2 + o);
        s -= c3 * load<f64>(x3 + o);
        store<f64>(r + o, s);
      }
    }
    for (; t < n; t++) {
      const b0 = load<i32>(list + <usize>t * 4);
      const c0 = lr * load<f64>(d + <usize>(b0 * rows + i) * 8);
      const v0 = f64x2.splat(c0);
      const x0 = x + <usize>(b0 * cols) * 8;
      for (let j = 0; j < even; j += 2) {
        const o = <usize>j * 8;
        v128.store(r + o, f64x2.sub(v128.load(r + o), f64x2.mul(v0, v128.load(x0 + o))));
      }
      if (even < cols) {
        const o = <usize>even * 8;
        store<f64>(r + o, load<f64>(r + o) - c0 * load<f64>(x0 + o));
      }
    }
  }
}

// ---- The pulsed update of linear-response devices (src/tile/update.ts `pulseLinearElement`) ----
// xoshiro128** and the ziggurat normal of src/rng/rng.ts, replayed draw for draw. The log and
// exp of the ziggurat's rare slow path are fdlibm's, as in src/core/math.ts (stdlib's ports),
// operation for operation: engines' own Math.log and Math.exp differ in the last bit.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;

@inline function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >> 32);
}

@inline function withHighWord(x: f64, high: i32): f64 {
  return reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | (<u64><u32>high << 32));
}

/** fdlibm's log (stdlib math-base-special-ln). */
export function fdlibmLog(x: f64): f64 {
  if (x == 0.0) return -Infinity;
  if (isNaN(x) || x < 0.0) return NaN;
  let hx = highWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    k -= 54;
    x *= 1.80143985094819840000e16;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i: i32 = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1.0;
  const kf = <f64>k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0.0) {
      if (k == 0) return 0.0;
      return kf * LN2_HI + kf * LN2_LO;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    return kf * LN2_HI - (R - kf * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j: i32 = 0x6b851 - hx;
  const t1 = w * (w == 0.0 ? 0.3999999999940942 : 0.3999999999940942 + w * (0.22222198432149784 + w * 0.15313837699209373));
  const t2 = z * (w == 0.0 ? 0.6666666666666735 : 0.6666666666666735 + w * (0.2857142874366239 + w * (0.1818357216161805 + w * 0.14798198605116586)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return kf * LN2_HI - (hfsq - (s * (hfsq + R) + kf * LN2_LO) - f);
  }
  if (k == 0) return f - s * (f - R);
  return kf * LN2_HI - (s * (f - R) - kf * LN2_LO - f);
}

/** stdlib's ldexp: y·2^k by the exponent bits, one rounding for a subnormal result. */
function ldexp(y: f64, k: i32): f64 {
  if (k == 0 || y == 0.0 || !isFinite(y)) return y;
  // y is a normal number here (exp's 1 − … lies in [0.5, 2]).
  let e = ((highWord(y) >> 20) & 0x7ff) - 1023 + k;
  if (e < -1074) return y < 0.0 ? -0.0 : 0.0;
  if (e > 1023) return y < 0.0 ? -Infinity : Infinity;
  let m: f64 = 1.0;
  if (e <= -1023) {
    e += 52;
    m = 2.220446049250313e-16;
  }
  const high = (highWord(y) & <i32>0x800fffff) | ((e + 1023) << 20);
  return m * withHighWord(y, high);
}

/** fdlibm's exp (stdlib math-base-special-exp). */
export function fdlibmExp(x: f64): f64 {
  if (isNaN(x) || x == Infinity) return x;
  if (x == -Infinity) return 0.0;
  if (x > 7.09782712893383973096e2) return Infinity;
  if (x < -7.45133219101941108420e2) return 0.0;
  const nearZero: f64 = 1.0 / <f64>(1 << 28);
  if (x > -nearZero && x < nearZero) return 1.0 + x;
  const k = x < 0.0 ? Math.ceil(1.44269504088896338700 * x - 0.5) : Math.floor(1.44269504088896338700 * x + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const p = t == 0.0 ? 0.16666666666666602 : 0.16666666666666602 + t * (-0.0027777777777015593 + t * (0.00006613756321437934 + t * (-0.0000016533902205465252 + t * 4.1381367970572385e-8)));
  const c = r - t * p;
  const y = 1.0 - (lo - (r * c) / (2.0 - c) - hi);
  return ldexp(y, <i32>k);
}

/** fdlibm's expm1 (stdlib math-base-special-expm1), operation for operation. */
export function fdlibmExpm1(x: f64): f64 {
  if (x == Infinity || isNaN(x)) return x;
  if (x == -Infinity) return -1.0;
  if (x == 0.0) return x;
  const sign = x < 0.0;
  const y = sign ? -x : x;
  if (y >= 3.88162421113569373274e1) {
    if (sign) return -1.0;
    if (y >= 7.09782712893383973096e2) return Infinity;
  }
  const hx = highWord(y);
  let k: i32 = 0;
  let c: f64 = 0.0;
  if (y > 0.34657359027997264) {
    let hi: f64;
    let lo: f64;
    if (y < 1.03972077083991796413) {
      if (sign) {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      } else {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      }
    } else {
      k = <i32>(sign ? 1.44269504088896338700 * x - 0.5 : 1.44269504088896338700 * x + 0.5);
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 1016070144) {
    return x;
  }
  const halfX = 0.5 * x;
  const z = x * halfX;
  const q = z == 0.0 ? -0.03333333333333313 : -0.03333333333333313 + z * (0.0015873015872548146 + z * (-0.0000793650757867488 + z * (0.000004008217827329362 + z * -2.0109921818362437e-7)));
  const r1 = 1.0 + z * q;
  let t = 3.0 - r1 * halfX;
  let e = z * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - z);
  const twopk = reinterpret<f64>(<u64><u32>((1023 + k) << 20) << 32);
  e = x * (e - c) - c;
  e -= z;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  if (k <= -2 || k > 56) {
    let v = 1.0 - (e - x);
    if (k == 1024) v = withHighWord(v, highWord(v) + (k << 20));
    else v *= twopk;
    return v - 1.0;
  }
  let v: f64;
  if (k < 20) {
    t = withHighWord(1.0, 1072693248 - (0x200000 >> k));
    v = t - (e - x);
  } else {
    t = withHighWord(1.0, (1023 - k) << 20);
    v = x - (e + t);
    v += 1.0;
  }
  return v * twopk;
}

/** fdlibm's tanh on fdlibmExpm1, as src/core/math.ts `tanh`. */
export function fdlibmTanh(x: f64): f64 {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return jx >= 0 ? 1.0 / x + 1.0 : 1.0 / x - 1.0;
  let z: f64;
  if (ix < 0x40360000) {
    if (ix < 0x3e300000) return x;
    if (ix >= 0x3ff00000) {
      const t = fdlibmExpm1(2.0 * Math.abs(x));
      z = 1.0 - 2.0 / (t + 2.0);
    } else {
      const t = fdlibmExpm1(-2.0 * Math.abs(x));
      z = -t / (t + 2.0);
    }
  } else {
    z = 1.0;
  }
  return jx >= 0 ? z : -z;
}

/**
 * y[k] = f(x[k]) for k < n, f the activation of src/nn/activations.ts `Activation.forward`:
 * kind 0 ReLU, 1 sigmoid 1/(1 + exp(−v)), 2 tanh; the same arithmetic and fdlibm functions.
 */
export function activation(kind: i32, x: usize, y: usize, n: i32): void {
  for (let k = 0; k < n; k++) {
    const v = load<f64>(x + (<usize>k << 3));
    let r: f64;
    if (kind == 0) r = v > 0.0 ? v : 0.0;
    else if (kind == 1) r = 1.0 / (1.0 + fdlibmExp(-v));
    else r = fdlibmTanh(v);
    store<f64>(y + (<usize>k << 3), r);
  }
}

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;
let zk: usize = 0;
let zw: usize = 0;
let zf: usize = 0;
let zi: usize = 0;
const ZIGGURAT_R: f64 = 3.442619855899;
const U32_TO_UNIT: f64 = 2.3283064365386963e-10;

/**
 * Where the ziggurat tables lie: k, w, f (128 f64 each) and ⌈k⌉ as i32 (128), so the fast path
 * compares integers: for an integer h, |h| < k ⇔ |h| < ⌈k⌉.
 */
export function setZigguratTables(k: usize, w: usize, f: usize, kCeil: usize): void {
  zk = k;
  zw = w;
  zf = f;
  zi = kCeil;
}

@inline function nextU32(): u32 {
  const x = s1 * 5;
  const result = rotl<u32>(x, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

function normalSlow(hz: i32, iz: i32): f64 {
  while (true) {
    if (iz == 0) {
      let x: f64;
      let y: f64;
      do {
        x = -fdlibmLog((<f64>nextU32() + 0.5) * U32_TO_UNIT) / ZIGGURAT_R;
        y = -fdlibmLog((<f64>nextU32() + 0.5) * U32_TO_UNIT);
      } while (y + y < x * x);
      return hz > 0 ? ZIGGURAT_R + x : -ZIGGURAT_R - x;
    }
    const x = <f64>hz * load<f64>(zw + (<usize>iz << 3));
    const fi = load<f64>(zf + (<usize>iz << 3));
    const fp = load<f64>(zf + (<usize>(iz - 1) << 3));
    if (fi + <f64>nextU32() * U32_TO_UNIT * (fp - fi) < fdlibmExp(-0.5 * x * x)) return x;
    const u = nextU32();
    iz = <i32>(u & 127);
    hz = <i32>u >> 7;
    if (<f64>abs<i32>(hz) < load<f64>(zk + (<usize>iz << 3))) return <f64>hz * load<f64>(zw + (<usize>iz << 3));
  }
  return 0; // unreachable
}

/**
 * dst[q] = scale·z_q for q < count, z the standard normals of the stream whose state (4 u32) is
 * at `rng`, in draw order: xoshiro128** and the ziggurat of src/rng/rng.ts (fast path with the
 * state in locals, the rare slow path through the globals). The state is written back.
 */
function fillNormals(dst: usize, count: i32, scale: f64, rng: usize): void {
  let a0 = load<u32>(rng);
  let a1 = load<u32>(rng, 4);
  let a2 = load<u32>(rng, 8);
  let a3 = load<u32>(rng, 12);
  let q = 0;
  let iz = 0;
  let hz = 0;
  while (q < count) {
    // The fast path in a tight loop of its own; a draw outside the ziggurat's core leaves it
    // with that draw's iz and hz, for the slow path below (the same draws in the same order).
    for (; q < count; q++) {
      const u = rotl<u32>(a1 * 5, 7) * 9;
      const t = a1 << 9;
      a2 ^= a0;
      a3 ^= a1;
      a1 ^= a2;
      a0 ^= a3;
      a2 ^= t;
      a3 = rotl<u32>(a3, 11);
      iz = <i32>(u & 127);
      hz = <i32>u >> 7;
      if (abs<i32>(hz) >= load<i32>(zi + (<usize>iz << 2))) break;
      store<f64>(dst + (<usize>q << 3), scale * (<f64>hz * load<f64>(zw + (<usize>iz << 3))));
    }
    if (q == count) break;
    s0 = a0;
    s1 = a1;
    s2 = a2;
    s3 = a3;
    store<f64>(dst + (<usize>q << 3), scale * normalSlow(hz, iz));
    a0 = s0;
    a1 = s1;
    a2 = s2;
    a3 = s3;
    q++;
  }
  store<u32>(rng, a0);
  store<u32>(rng, a1, 4);
  store<u32>(rng, a2, 8);
  store<u32>(rng, a3, 12);
}

/**
 * One pulse on a linear-response device, direction folded into the parameters (Δ⁻ stored
 * negated): g + (offset + slope·g)(1 + noise) (multiplicative c2c noise) or
 * g + slope·g + offset(1 + noise) (additive), then the clip to [lo, hi]; as `pulseLinearElement`.
 */
@inline function pulseStep(g: f64, offset: f64, slope: f64, noise: f64, hi: f64, lo: f64, mult: i32): f64 {
  let v = mult ? g + (offset + slope * g) * (1.0 + noise) : g + slope * g + offset * (1.0 + noise);
  v = select<f64>(hi, v, v > hi);
  return select<f64>(lo, v, v < lo);
}

/**
 * For each of `samples` samples (cols columns, trains xBits, active columns `active`/`activeCount`
 * as `pulseTrains` left them), the columns whose x train fires in pulse slot b, as bitmaps:
 * masks[(s·32 + b)·nw + w] bit t ⇔ column 32w + t fires in slot b (nw = ⌈cols/32⌉). `pulseLinear`
 * takes the union over a row's d slots instead of scanning every active column when that is cheaper.
 */
export function columnMasks(samples: i32, cols: i32, xBits: usize, active: usize, activeCount: usize, masks: usize): void {
  const nw = (cols + 31) >> 5;
  memory.fill(masks, 0, (<usize>samples * 32 * <usize>nw) << 2);
  for (let s = 0; s < samples; s++) {
    const ms = masks + ((<usize>s * 32 * <usize>nw) << 2);
    const xb = xBits + ((<usize>s * cols) << 2);
    const act = active + ((<usize>s * cols) << 2);
    const na = load<i32>(activeCount + (<usize>s << 2));
    for (let a = 0; a < na; a++) {
      const j = load<i32>(act + (<usize>a << 2));
      let word = load<u32>(xb + (<usize>j << 2));
      const bit: u32 = <u32>1 << <u32>(j & 31);
      const at = ms + (<usize>(j >> 5) << 2);
      while (word != 0) {
        const slot = at + ((<usize>ctz<u32>(word) * <usize>nw) << 2);
        store<u32>(slot, load<u32>(slot) | bit);
        word &= word - 1;
      }
    }
  }
}

/**
 * The coincidences and pulses of `samples` one-word (BL ≤ 32) stochastic-compressed updates of a
 * linear-response device array, in the order of src/tile/update.ts: per row, the samples in order;
 * per sample, the active columns compacted, then each hit element's `popcount(x & d)` pulses of
 * sign −x·d, each with its c2c normal and the clip to [b_min, b_max]. Rows are independent (one
 * random stream each, states in `rng`, 4 u32 per row, read and written back). Pulse totals are
 * written to out[0] (up) and out[1] (down) as f64. Each touched element's effective weight
 * eff = g − ref is kept up to date, so the tile need not recompute W after the update.
 * Layout: xBits (samples × cols u32), dBits (samples × rows u32), active (samples × cols i32,
 * counts in activeCount), masks (`columnMasks` of these samples), xv (samples × cols f64), dv (samples × rows f64), `hits` (cols i32),
 * `zbuf` (32·cols f64: the noise terms σ·z of one row-sample's pulses). Only rows
 * [rowStart, rowEnd) are processed, so threads can split the rows (each with its own hits, zbuf
 * and out) and the result does not depend on the split.
 */
export function pulseLinear(
  samples: i32, rows: i32, cols: i32,
  xBits: usize, dBits: usize, active: usize, activeCount: usize, masks: usize, xv: usize, dv: usize,
  g: usize, params: usize,
  sigma: f64, multNoise: i32, rng: usize, hits: usize, out: usize, eff: usize, ref: usize, zbuf: usize,
  rowStart: i32, rowEnd: i32,
): void {
  let up: i64 = 0;
  let down: i64 = 0;
  const noisy = sigma > 0;
  const nw = (cols + 31) >> 5;
  for (let i = rowStart; i < rowEnd; i++) {
    const r = rng + (<usize>i << 4);
    const rowBase = <usize>i * <usize>cols;
    for (let s = 0; s < samples; s++) {
      const dWord = load<u32>(dBits + ((<usize>s * rows + i) << 2));
      if (dWord == 0) continue;
      const di = load<f64>(dv + ((<usize>s * rows + i) << 3));
      const xb = xBits + ((<usize>s * cols) << 2);
      const act = active + ((<usize>s * cols) << 2);
      const na = load<i32>(activeCount + (<usize>s << 2));
      let n = 0;
      let total = 0;
      const bits = <i32>popcnt<u32>(dWord);
      if (bits * nw < na) {
        // Few pulse slots in d: the hit columns are the union of the columns whose x train fires
        // in one of d's slots (`columnMasks`), walked in ascending j: the same hits, in the same order.
        const ms = masks + ((<usize>s * 32 * <usize>nw) << 2);
        for (let w = 0; w < nw; w++) {
          let m: u32 = 0;
          let dw = dWord;
          while (dw != 0) {
            m |= load<u32>(ms + ((<usize>ctz<u32>(dw) * <usize>nw + <usize>w) << 2));
            dw &= dw - 1;
          }
          while (m != 0) {
            const j = (w << 5) + <i32>ctz<u32>(m);
            store<i32>(hits + (<usize>n << 2), j);
            total += <i32>popcnt<u32>(load<u32>(xb + (<usize>j << 2)) & dWord);
            n++;
            m &= m - 1;
          }
        }
      } else {
        for (let a = 0; a < na; a++) {
          const j = load<i32>(act + (<usize>a << 2));
          store<i32>(hits + (<usize>n << 2), j);
          const m = load<u32>(xb + (<usize>j << 2)) & dWord;
          n += <i32>((m | (0 - m)) >> 31);
          total += <i32>popcnt<u32>(m);
        }
      }
      // The normals of all this row-sample's pulses first, in draw order (a tight loop the CPU
      // pipelines), then the pulses consume them in the same order: the same numbers.
      if (noisy) fillNormals(zbuf, total, sigma, r);
      else memory.fill(zbuf, 0, <usize>total << 3);
      let zq: usize = zbuf;
      const xs = xv + ((<usize>s * cols) << 3);
      // Two elements at a time: their pulse chains are independent, so the CPU overlaps them.
      // Each element still takes its own pulses, with its own normals, in order.
      let h = 0;
      for (; h + 1 < n; h += 2) {
        const jA = load<i32>(hits + (<usize>h << 2));
        const jB = load<i32>(hits + (<usize>(h + 1) << 2));
        const cA = <i32>popcnt<u32>(load<u32>(xb + (<usize>jA << 2)) & dWord);
        const cB = <i32>popcnt<u32>(load<u32>(xb + (<usize>jB << 2)) & dWord);
        const kA = (rowBase + <usize>jA) << 3;
        const kB = (rowBase + <usize>jB) << 3;
        const pA = params + (kA << 3);
        const pB = params + (kB << 3);
        const upA = load<f64>(xs + (<usize>jA << 3)) * di < 0;
        const upB = load<f64>(xs + (<usize>jB << 3)) * di < 0;
        const hiA = load<f64>(pA), loA = load<f64>(pA, 8);
        const hiB = load<f64>(pB), loB = load<f64>(pB, 8);
        const dA = pA + select<usize>(0, 16, upA);
        const dB = pB + select<usize>(0, 16, upB);
        const offA = load<f64>(dA, 16), slA = load<f64>(dA, 24);
        const offB = load<f64>(dB, 16), slB = load<f64>(dB, 24);
        let gA = load<f64>(g + kA);
        let gB = load<f64>(g + kB);
        let zA = zq;
        let zB = zq + (<usize>cA << 3);
        zq = zB + (<usize>cB << 3);
        const common = min(cA, cB);
        for (let p = 0; p < common; p++) {
          gA = pulseStep(gA, offA, slA, load<f64>(zA), hiA, loA, multNoise);
          gB = pulseStep(gB, offB, slB, load<f64>(zB), hiB, loB, multNoise);
          zA += 8;
          zB += 8;
        }
        for (let p = common; p < cA; p++) {
          gA = pulseStep(gA, offA, slA, load<f64>(zA), hiA, loA, multNoise);
          zA += 8;
        }
        for (let p = common; p < cB; p++) {
          gB = pulseStep(gB, offB, slB, load<f64>(zB), hiB, loB, multNoise);
          zB += 8;
        }
        up += select<i64>(cA, 0, upA) + select<i64>(cB, 0, upB);
        down += select<i64>(0, cA, upA) + select<i64>(0, cB, upB);
        store<f64>(g + kA, gA);
        store<f64>(eff + kA, gA - load<f64>(ref + kA));
        store<f64>(g + kB, gB);
        store<f64>(eff + kB, gB - load<f64>(ref + kB));
      }
      if (h < n) {
        const j = load<i32>(hits + (<usize>h << 2));
        const count = <i32>popcnt<u32>(load<u32>(xb + (<usize>j << 2)) & dWord);
        const k = (rowBase + <usize>j) << 3;
        const pk = params + (k << 3);
        const isUp = load<f64>(xs + (<usize>j << 3)) * di < 0;
        const hi = load<f64>(pk);
        const lo = load<f64>(pk, 8);
        const pd = pk + select<usize>(0, 16, isUp);
        const offset = load<f64>(pd, 16);
        const slope = load<f64>(pd, 24);
        let gk = load<f64>(g + k);
        for (let p = 0; p < count; p++) {
          gk = pulseStep(gk, offset, slope, load<f64>(zq), hi, lo, multNoise);
          zq += 8;
        }
        up += select<i64>(count, 0, isUp);
        down += select<i64>(0, count, isUp);
        store<f64>(g + k, gk);
        store<f64>(eff + k, gk - load<f64>(ref + k));
      }
    }
  }
  store<f64>(out, <f64>up);
  store<f64>(out, <f64>down, 8);
}

/**
 * Stochastic pulse trains of one word (BL ≤ 32), as src/tile/pulse-scaling.ts `fillPulseTrain`
 * for n probabilities in order: slot k fires iff p > U_k (U = u32·2⁻³²); p ≥ 1 fires in every
 * slot and p ≤ 0 in none, neither drawing. The stream's state (4 u32 at `rng`) is read and
 * written back. With `active` ≠ 0 the indices of the trains that fire are listed there. Returns
 * how many trains fire.
 */
export function pulseTrains(probs: usize, n: i32, bl: i32, bits: usize, active: usize, rng: usize): i32 {
  let a0 = load<u32>(rng);
  let a1 = load<u32>(rng, 4);
  let a2 = load<u32>(rng, 8);
  let a3 = load<u32>(rng, 12);
  const full: u32 = bl >= 32 ? 0xffffffff : (<u32>1 << <u32>bl) - 1;
  let fired = 0;
  for (let j = 0; j < n; j++) {
    const p = load<f64>(probs + (<usize>j << 3));
    let word: u32 = 0;
    if (p > 0) {
      if (p >= 1) {
        word = full;
      } else {
        for (let k = 0; k < bl; k++) {
          const u = rotl<u32>(a1 * 5, 7) * 9;
          const t = a1 << 9;
          a2 ^= a0;
          a3 ^= a1;
          a1 ^= a2;
          a0 ^= a3;
          a2 ^= t;
          a3 = rotl<u32>(a3, 11);
          word |= select<u32>(<u32>1 << <u32>k, 0, p > <f64>u * U32_TO_UNIT);
        }
      }
    }
    store<u32>(bits + (<usize>j << 2), word);
    if (active) store<i32>(active + (<usize>fired << 2), j);
    fired += <i32>(word != 0);
  }
  store<u32>(rng, a0);
  store<u32>(rng, a1, 4);
  store<u32>(rng, a2, 8);
  store<u32>(rng, a3, 12);
  return fired;
}

/** Largest |v| of n values (NaN ignored), as src/tile/update.ts `absMax`. */
function absMaxOf(v: usize, n: i32): f64 {
  let m: f64 = 0;
  for (let k = 0; k < n; k++) {
    const a = abs<f64>(load<f64>(v + (<usize>k << 3)));
    if (a > m) m = a;
  }
  return m;
}

/**
 * The per-sample set-up of `samples` stochastic-compressed updates, queued in slots
 * [first, first + samples) of the pulse kernel's scratch, whose x and d the caller staged in xv and
 * dv: per sample in order, the abs-maxima, `pulseScaling` of src/tile/pulse-scaling.ts (flags: 1
 * fixed BL, 2 update-BL management, 4 update management), the probabilities p = b·|x| and q = a·|d|
 * (no discretisation), and the trains of `pulseTrains` from the train stream at `rng` (x side, then
 * d side). A sample with no update due gets no trains (zero d words, no active column). Stops at
 * the first sample whose BL needs more than one word, before any draw of it, and returns its index
 * (relative to `first`); else returns `samples`. The same operations in the same order as the TS.
 */
export function pulsePrepare(
  first: i32, samples: i32, rows: i32, cols: i32, xv: usize, dv: usize,
  lr: f64, granularity: f64, desiredBl: i32, flags: i32, umGradScale: f64,
  xBits: usize, dBits: usize, active: usize, activeCount: usize, probs: usize, rng: usize,
): i32 {
  const fixedBl = (flags & 1) != 0;
  const blManagement = (flags & 2) != 0;
  const updateManagement = (flags & 4) != 0;
  const desired = <f64>desiredBl;
  for (let t = 0; t < samples; t++) {
    const s = first + t;
    const xs = xv + ((<usize>s * cols) << 3);
    const ds = dv + ((<usize>s * rows) << 3);
    const xAbsMax = absMaxOf(xs, cols);
    const dAbsMax = absMaxOf(ds, rows);
    let bl: f64;
    let a: f64;
    let b: f64;
    if (fixedBl || blManagement || granularity * desired >= lr) {
      bl = desired;
      a = b = Math.sqrt(lr / (granularity * bl));
    } else {
      const c = Math.ceil(lr / granularity);
      bl = c > 1 ? c : 1;
      a = b = 1;
    }
    let due = true;
    if (updateManagement || blManagement) {
      let dHat = umGradScale * dAbsMax;
      const xHat = xAbsMax;
      if (xHat == 0 || dHat == 0) due = false;
      else {
        const k = (lr * xHat * dHat) / granularity;
        if (!(k > 0)) due = false;
        else {
          if (blManagement) {
            const c = Math.ceil(k);
            bl = c < desired ? c : desired;
            a = b = Math.sqrt(lr / (granularity * bl));
          }
          if (updateManagement) {
            if (k > desired) dHat *= desired / k;
            a *= Math.sqrt(xHat / dHat);
            b *= Math.sqrt(dHat / xHat);
          }
        }
      }
    }
    if (!due) {
      store<i32>(activeCount + (<usize>s << 2), 0);
      memory.fill(dBits + ((<usize>s * rows) << 2), 0, <usize>rows << 2);
      continue;
    }
    if (bl > 32) return t;
    const n = <i32>bl;
    for (let j = 0; j < cols; j++) store<f64>(probs + (<usize>j << 3), b * abs<f64>(load<f64>(xs + (<usize>j << 3))));
    store<i32>(activeCount + (<usize>s << 2), pulseTrains(probs, cols, n, xBits + ((<usize>s * cols) << 2), active + ((<usize>s * cols) << 2), rng));
    for (let i = 0; i < rows; i++) store<f64>(probs + (<usize>i << 3), a * abs<f64>(load<f64>(ds + (<usize>i << 3))));
    pulseTrains(probs, rows, n, dBits + ((<usize>s * rows) << 2), 0, rng);
  }
  return samples;
}

// ---- The input stage of the IO pipeline (src/tile/io.ts `analogMvm`, batched first pass) ----

/**
 * For each of `batch` vectors of X (inSize f64 each), in order: the noise-management scale α
 * (`noiseManagementScale`; mode 0 none, 1 abs-max, 2 max, 3 constant, 4 average-abs-max with its
 * running value in state[0], 5 abs-max-np-sum); a scale ≤ 0 gives α = 0 and a zero XQ[b] (the
 * vector reads as zeros, aihwkit's short-cut), a non-finite one α = 1;
 * then the DAC of `convertInput` without input noise or stochastic rounding: XQ[b] =
 * clip(quantize(x/α), ±inpBound), negative values scaled by (1 − inpAsymmetry). α is written to
 * alpha[b]. The same operations in the same order as the TS, so the same numbers.
 */
export function ioInput(
  x: usize, xq: usize, alpha: usize, batch: i32, inSize: i32,
  mode: i32, nmThres: f64, nmDecay: f64, state: usize, nmAssumedWmax: f64, outBound: f64, maxBmRes: f64,
  inputStep: f64, inpBound: f64, inpAsymmetry: f64,
): void {
  for (let b = 0; b < batch; b++) {
    const xb = x + ((<usize>b * <usize>inSize) << 3);
    const ob = xq + ((<usize>b * <usize>inSize) << 3);
    // Branch-free (the signs of x are data): the same comparisons as the TS, as selects.
    let absMax: f64 = 0;
    for (let j = 0; j < inSize; j++) {
      const a = abs<f64>(load<f64>(xb + (<usize>j << 3)));
      absMax = select<f64>(a, absMax, a > absMax);
    }
    let scale: f64 = 1;
    if (mode == 1) scale = nmThres > 0 ? min<f64>(absMax, nmThres) : absMax;
    else if (mode == 2) {
      let largest: f64 = -Infinity;
      for (let j = 0; j < inSize; j++) {
        const v = load<f64>(xb + (<usize>j << 3));
        largest = select<f64>(v, largest, v > largest);
      }
      scale = largest;
    }
    else if (mode == 3) scale = nmThres > 0 ? nmThres : 1;
    else if (mode == 4) {
      const previous = load<f64>(state);
      const next = previous == 0 ? absMax : (1 - nmDecay) * previous + nmDecay * absMax;
      store<f64>(state, next);
      scale = next;
    } else if (mode == 5) {
      let positiveSum: f64 = 0;
      let negativeSum: f64 = 0;
      for (let j = 0; j < inSize; j++) {
        const v = load<f64>(xb + (<usize>j << 3));
        if (v > 0) positiveSum += v;
        else negativeSum -= v;
      }
      const resolutionCap = inputStep > 0 ? (absMax * maxBmRes) / inputStep : Infinity;
      const sumScale = (max<f64>(positiveSum, negativeSum) * nmAssumedWmax) / outBound;
      scale = max<f64>(absMax, min<f64>(resolutionCap, sumScale));
    }
    // A scale ≤ 0 (noise management on; this batched pass has no input noise) reads as zeros,
    // as aihwkit's short-cut: α = 0 marks it for ioOutput, and x' is zero.
    if (scale <= 0) {
      store<f64>(alpha + (<usize>b << 3), 0);
      memory.fill(ob, 0, <usize>inSize << 3);
      continue;
    }
    if (!isFinite<f64>(scale)) scale = 1;
    store<f64>(alpha + (<usize>b << 3), scale);
    const inverse = 1 / scale;
    // v·1 = v exactly, so the asymmetry factor needs no test of inpAsymmetry ≠ 0.
    const negativeFactor = 1 - inpAsymmetry;
    const quantize = inputStep != 0;
    for (let j = 0; j < inSize; j++) {
      let v = inverse * load<f64>(xb + (<usize>j << 3));
      if (quantize) {
        const q = Math.floor(abs<f64>(v) / inputStep + 0.5) * inputStep;
        v = select<f64>(-q, q, v < 0);
      }
      v = select<f64>(inpBound, select<f64>(-inpBound, v, v < -inpBound), v > inpBound);
      v = select<f64>(v * negativeFactor, v, v < 0);
      store<f64>(ob + (<usize>j << 3), v);
    }
  }
}

// ---- The output stage of the IO pipeline (src/tile/io.ts `analogMvm`, first pass) ----

/**
 * For samples b in [from, to) of a batched first pass Y (m outputs each), in order (α_b = 0:
 * zeros, no draws): output asymmetry, output noise (σ·scale_i·z, z from the stream at `rng`), rounding to the ADC step,
 * clipping at ±bound (0: unbounded), then OUT[b] = y'·(outScale·α_b). Stops at the first sample
 * that saturates while bound management may act (`bmActive`), its noise drawn and its row of OUT
 * holding y' unscaled, and returns its index (the caller redoes it); else returns `to`. The same
 * arithmetic and draws as the TS loop; the stream's state is read and written back. `z` is
 * scratch for (to − from)·m f64.
 */
export function ioOutput(
  y: usize, out: usize, alpha: usize, m: i32, from: i32, to: i32,
  asym: f64, noise: f64, scale: usize, step: f64, bound: f64, testNegative: i32, bmActive: i32, outScale: f64, rng: usize, z: usize,
): i32 {
  // Without bound management no vector stops the pass, so the normals of all its vectors (α ≠ 0)
  // are drawn up front in one run, in the same order: vector by vector, output by output.
  const drawnAhead = noise > 0 && !bmActive;
  if (drawnAhead) {
    let vectors = 0;
    for (let v = from; v < to; v++) vectors += <i32>(load<f64>(alpha + <usize>v * 8) != 0);
    fillNormals(z, vectors * m, 1.0, rng);
  }
  let zb = z;
  let b = from;
  for (; b < to; b++) {
    const yb = y + <usize>(b * m) * 8;
    const ob = out + <usize>(b * m) * 8;
    // α = 0: the vector reads as exact zeros, with no draws (ioInput's short-cut).
    if (load<f64>(alpha + <usize>b * 8) == 0) {
      memory.fill(ob, 0, <usize>m << 3);
      continue;
    }
    // The vector's output-noise normals, one per output in order, drawn up front.
    if (noise > 0 && !drawnAhead) fillNormals(z, m, 1.0, rng);
    // Branch-free on the data (signs, saturation): the TS's comparisons as selects; v·1 = v.
    let hit = false;
    const negativeFactor = 1 - asym;
    const noisy = noise > 0;
    const quantize = step != 0;
    const bounded = bound > 0;
    const negativeHits = testNegative != 0;
    for (let i = 0; i < m; i++) {
      let v = load<f64>(yb + <usize>i * 8);
      v = select<f64>(v * negativeFactor, v, v < 0);
      if (noisy) v += noise * (scale ? load<f64>(scale + <usize>i * 8) : 1.0) * load<f64>(zb + <usize>i * 8);
      if (quantize) {
        const q = Math.floor(Math.abs(v) / step + 0.5) * step;
        v = select<f64>(-q, q, v < 0);
      }
      if (bounded) {
        const over = v >= bound;
        const under = v <= -bound;
        hit = hit | over | (under & negativeHits);
        v = select<f64>(bound, select<f64>(-bound, v, under), over);
      }
      store<f64>(ob + <usize>i * 8, v);
    }
    if (hit && bmActive) break;
    if (drawnAhead) zb += <usize>m << 3;
    const rescale = outScale * load<f64>(alpha + <usize>b * 8) * 1.0;
    for (let i = 0; i < m; i++) store<f64>(ob + <usize>i * 8, load<f64>(ob + <usize>i * 8) * rescale);
  }
  return b;
}
