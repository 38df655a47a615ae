// Not part of the kernels (scripts/build-wasm.mjs builds gemm.ts only); run by bench/rng-probe/run.ts.
// A throughput probe for issue 21 (docs/performance.md, "What stops issue 21's bars"): how fast
// could random numbers be made for the pulse kernel by other generators? Not used by aimsim.
//   exactNormals: xoshiro128** + the 128-layer ziggurat's fast path, one stream (the slow path is
//     replaced by a redraw, so slightly faster than the kernel's exact normals).
//   philoxWords: Philox-4×32-10 (Salmon et al. 2011), scalar, u32 words from a counter.
//   lanesNormals: four xoshiro128** streams in the lanes of an i32x4, the ziggurat's fast path in
//     SIMD (table lookups lane by lane); the rare slow path (~1.2 %) is replaced by a rejection
//     redraw of the same cost order, so the values are not exact normals: this measures speed only.

let zk: usize = 0; // ⌈k⌉ as i32, 128 entries
let zw: usize = 0; // w as f64, 128 entries

export function setTables(kCeil: usize, w: usize): void {
  zk = kCeil;
  zw = w;
}

export function exactNormals(dst: usize, count: i32, rng: usize): void {
  let a0 = load<u32>(rng), a1 = load<u32>(rng, 4), a2 = load<u32>(rng, 8), a3 = load<u32>(rng, 12);
  let q = 0;
  while (q < count) {
    const u = rotl<u32>(a1 * 5, 7) * 9;
    const t = a1 << 9;
    a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= t; a3 = rotl<u32>(a3, 11);
    const iz = <i32>(u & 127);
    const hz = <i32>u >> 7;
    if (abs<i32>(hz) < load<i32>(zk + (<usize>iz << 2))) {
      store<f64>(dst + (<usize>q << 3), <f64>hz * load<f64>(zw + (<usize>iz << 3)));
      q++;
    }
  }
  store<u32>(rng, a0); store<u32>(rng, a1, 4); store<u32>(rng, a2, 8); store<u32>(rng, a3, 12);
}

@inline function mulhilo(a: u32, b: u32, lo: usize): u32 {
  const p = <u64>a * <u64>b;
  store<u32>(lo, <u32>p);
  return <u32>(p >> 32);
}

export function philoxWords(dst: usize, count: i32, key0: u32, key1: u32, scratch: usize): void {
  let ctr: u32 = 0;
  for (let q = 0; q + 4 <= count; q += 4) {
    let c0 = ctr++, c1: u32 = 0, c2: u32 = 0x12345, c3: u32 = 0x6789;
    let k0 = key0, k1 = key1;
    for (let r = 0; r < 10; r++) {
      const hi0 = mulhilo(0xd2511f53, c0, scratch);
      const lo0 = load<u32>(scratch);
      const hi1 = mulhilo(0xcd9e8d57, c2, scratch);
      const lo1 = load<u32>(scratch);
      c0 = hi1 ^ c1 ^ k0;
      c1 = lo1;
      c2 = hi0 ^ c3 ^ k1;
      c3 = lo0;
      k0 += 0x9e3779b9;
      k1 += 0xbb67ae85;
    }
    const o = dst + (<usize>q << 2);
    store<u32>(o, c0); store<u32>(o, c1, 4); store<u32>(o, c2, 8); store<u32>(o, c3, 12);
  }
}

@inline function rotlLanes(x: v128, r: i32): v128 {
  return v128.or(i32x4.shl(x, r), i32x4.shr_u(x, 32 - r));
}

export function lanesNormals(dst: usize, count: i32, state: usize): void {
  let s0 = v128.load(state), s1 = v128.load(state, 16), s2 = v128.load(state, 32), s3 = v128.load(state, 48);
  const five = i32x4.splat(5), nine = i32x4.splat(9), mask = i32x4.splat(127);
  let q = 0;
  while (q + 4 <= count) {
    const u = i32x4.mul(rotlLanes(i32x4.mul(s1, five), 7), nine);
    const t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3); s2 = v128.xor(s2, t); s3 = rotlLanes(s3, 11);
    const iz = v128.and(u, mask);
    const hz = i32x4.shr_s(u, 7);
    const i0 = <usize>i32x4.extract_lane(iz, 0), i1 = <usize>i32x4.extract_lane(iz, 1);
    const i2 = <usize>i32x4.extract_lane(iz, 2), i3 = <usize>i32x4.extract_lane(iz, 3);
    let k = i32x4.splat(load<i32>(zk + (i0 << 2)));
    k = i32x4.replace_lane(k, 1, load<i32>(zk + (i1 << 2)));
    k = i32x4.replace_lane(k, 2, load<i32>(zk + (i2 << 2)));
    k = i32x4.replace_lane(k, 3, load<i32>(zk + (i3 << 2)));
    const fast = i32x4.lt_s(i32x4.abs(hz), k);
    let wLo = f64x2.splat(load<f64>(zw + (i0 << 3)));
    wLo = f64x2.replace_lane(wLo, 1, load<f64>(zw + (i1 << 3)));
    let wHi = f64x2.splat(load<f64>(zw + (i2 << 3)));
    wHi = f64x2.replace_lane(wHi, 1, load<f64>(zw + (i3 << 3)));
    const zLo = f64x2.mul(f64x2.convert_low_i32x4_s(hz), wLo);
    const zHi = f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(hz, hz, 2, 3, 0, 1)), wHi);
    if (i32x4.all_true(fast)) {
      v128.store(dst + (<usize>q << 3), zLo);
      v128.store(dst + (<usize>q << 3), zHi, 16);
      q += 4;
    }
  }
  v128.store(state, s0); v128.store(state, s1, 16); v128.store(state, s2, 32); v128.store(state, s3, 48);
}
