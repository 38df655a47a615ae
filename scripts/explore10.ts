import { runLeastSquares } from '../src/experiment/least-squares.js';
const task = { inputs: 8, outputs: 4, optimumScale: 0.2, optimumOffset: 0.3, noise: 0.3, seed: 1 };
const base = { preset: 'soft-bounds-reference', wMax: 1, wMin: -1, dwMin: 0.0025, dwMinStd: 0.1, dwMinDtod: 0.1, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0.05, upDown: 0.2, subtractSymmetryPoint: true };
const device = { ...base, referenceMean: 0.3 };
for (const steps of [20000, 40000]) for (const inChopProb of [0.01, 0.02]) for (const transferLr of [16, 32]) for (const fastLr of [0.05, 0.1]) {
  const a = { kind: 'chopped-tiki-taka', fastLr, inChopProb, transferLr, autoGranularity: 1000 };
  const t0 = performance.now();
  const r = runLeastSquares({ device, slowDevice: base, algorithm: a, steps, lr: 0.02, task, batch: 1, seed: 2, evaluateEvery: 500 });
  console.log(steps, JSON.stringify(a).padEnd(90), 'mid', r.distance[Math.floor(r.distance.length/2)]!.toFixed(4), 'tail', r.tailDistance.toFixed(4), (performance.now()-t0).toFixed(0));
}
