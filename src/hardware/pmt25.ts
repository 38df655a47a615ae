/**
 * P-MT25 §4.3, Table 5: the per-sample update time of each method on a D × D layer with batch B
 * (papers.md). The paper states the analog latency of its multi-tile method,
 * l_avg·t_sp·n/(n − 1) + t_M/(n − 1); the formulas of the other methods are not in the spec and
 * are reconstructed here from the same constants: each reproduces the printed value to its last
 * digit; for MP it is the only one a search over small integer combinations of the terms found
 * (docs/hardware-cost.md).
 */
export interface Pmt25Constants {
  /** Tile size D and batch B. */
  D: number;
  B: number;
  /** Tiles n of the multi-tile method. */
  tiles: number;
  /** Average pulses per update l_avg, pulse duration t_sp and MVM time t_M (ns). */
  lAvg: number;
  tSp: number;
  tM: number;
  /** Digital throughput, flop per ns (0.7 TFLOPS = 700). */
  flopsPerNs: number;
}

/** Table 5's constants: D = 512, B = 100, n = 2, l_avg = 5, t_sp = 5 ns, t_M = 40 ns, 0.7 TFLOPS. */
export const PMT25_TABLE5: Pmt25Constants = { D: 512, B: 100, tiles: 2, lAvg: 5, tSp: 5, tM: 40, flopsPerNs: 700 };

export const pmt25Methods = ['tt-v2', 'analog-sgd', 'mixed-precision', 'multi-tile'] as const;
export type Pmt25Method = (typeof pmt25Methods)[number];

/** Per-sample update time in ns. */
export function pmt25UpdateTime(method: Pmt25Method, c: Pmt25Constants = PMT25_TABLE5): number {
  const { D, B, tiles: n, lAvg, tSp, tM, flopsPerNs: F } = c;
  // Preparing the pulse trains: 8 flops per element of x and δ (8D), for every method but MP.
  const digital = (8 * D) / F;
  switch (method) {
    case 'analog-sgd':
      return lAvg * tSp + digital;
    case 'multi-tile':
      // Stated in the paper.
      return (lAvg * tSp * n) / (n - 1) + tM / (n - 1) + digital;
    case 'tt-v2':
      // Reconstructed: A's update and a write of C per sample, one column read per batch.
      return 2 * lAvg * tSp + tM / B + digital;
    case 'mixed-precision':
      // Reconstructed: the digital rank-one accumulation (8D²), 4D flops, D row writes per batch.
      return (8 * D * D + 4 * D) / F + (D * tSp) / B;
  }
}
