import { runLeastSquares } from '../src/experiment/least-squares.js';
const steps = 20000;
const task = { inputs: 8, outputs: 4, optimumScale: 0.2, optimumOffset: 0.3, noise: 0.3, seed: 1 };
for (const offset of [0, 0.3]) {
  const device = { preset: 'soft-bounds-reference', wMax: 1, wMin: -1, dwMin: 0.0025, dwMinStd: 0.1, dwMinDtod: 0.1, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0.05, upDown: 0.2, subtractSymmetryPoint: true, referenceMean: offset };
  for (const kind of ['chopped-tiki-taka', 'agad']) for (const fastLr of [0.01, 0.05]) for (const inChopProb of [0.1, 0.02]) for (const transferLr of [1, 8]) {
    const a = { kind, fastLr, inChopProb, transferLr, autoGranularity: 1000 };
    const r = runLeastSquares({ device, algorithm: a, steps, lr: 0.02, task, batch: 1, seed: 2, evaluateEvery: 500 });
    console.log(`off ${offset}`, JSON.stringify(a).padEnd(90), 'mid', r.distance[Math.floor(r.distance.length/2)]!.toFixed(4), 'tail', r.tailDistance.toFixed(4));
  }
}
