import { runLeastSquares } from '../src/experiment/least-squares.js';
const task = { inputs: 8, outputs: 4, optimumScale: 0.2, optimumOffset: 0.3, noise: 0.3, seed: 1 };
const base = { preset: 'soft-bounds-reference', wMax: 1, wMin: -1, dwMin: 0.0025, dwMinStd: 0.1, dwMinDtod: 0.1, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0.05, upDown: 0.2, subtractSymmetryPoint: true };
for (const off of [0.3, 0]) for (const inChopProb of [0.1, 0.2]) for (const transferLr of [4, 8, 16]) {
  const a = { kind: 'chopped-tiki-taka', fastLr: 0.05, inChopProb, inChopRandom: false, transferLr, autoGranularity: 1000 };
  const r = runLeastSquares({ device: { ...base, referenceMean: off }, slowDevice: base, algorithm: a, steps: 20000, lr: 0.02, task, batch: 1, seed: 2, evaluateEvery: 500 });
  console.log(off, JSON.stringify(a).padEnd(100), 'mid', r.distance[Math.floor(r.distance.length/2)]!.toFixed(4), 'tail', r.tailDistance.toFixed(4));
}
