import { runLeastSquares } from '../src/experiment/least-squares.js';
const steps = 20000;
const task = { inputs: 8, outputs: 4, optimumScale: 0.2, optimumOffset: 0.3, noise: 0.3, seed: 1 };
const base = { preset: 'soft-bounds-reference', wMax: 1, wMin: -1, dwMin: 0.0025, dwMinStd: 0.1, dwMinDtod: 0.1, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0.05, upDown: 0.2, subtractSymmetryPoint: true };
for (const offset of [0.3]) {
  const device = { ...base, referenceMean: offset };
  const runs: [string, unknown][] = [['ttv1', 'ttv1'], ['ttv2', { kind: 'buffered-tiki-taka' }], ['asgd', 'sgd']];
  for (const kind of ['chopped-tiki-taka', 'agad']) for (const inChopProb of [0.05, 0.02]) runs.push([`${kind} p${inChopProb}`, { kind, fastLr: 0.05, inChopProb, transferLr: 16, autoGranularity: 1000 }]);
  for (const [n, a] of runs) {
    const r = runLeastSquares({ device, slowDevice: base, algorithm: a, steps, lr: 0.02, task, batch: 1, seed: 2, evaluateEvery: 500 });
    console.log(`off ${offset}`, n.padEnd(30), 'mid', r.distance[Math.floor(r.distance.length/2)]!.toFixed(4), 'tail', r.tailDistance.toFixed(4));
  }
}
