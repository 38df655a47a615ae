/** Small descriptive statistics used by reports, the CLI and tests. */

export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
  count: number;
}

/** Mean, sample standard deviation (n − 1), min and max, skipping NaN entries. */
export function summarize(values: ArrayLike<number>): Summary {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    count++;
    // Welford's update: stable for the long, nearly constant series a device produces.
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, count };
  return { mean, std: count > 1 ? Math.sqrt(m2 / (count - 1)) : 0, min, max, count };
}
