import { runLeastSquares } from '../src/experiment/least-squares.js';
const offset = Number(process.argv[2] ?? 0);
const device = { preset: 'soft-bounds-reference', wMax: 1, wMin: -1, dwMin: 0.001, dwMinStd: 0.1, dwMinDtod: 0.1, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0.05, upDown: 0.2, subtractSymmetryPoint: true, referenceMean: offset };
const task = { inputs: 8, outputs: 4, optimumScale: 0.2, optimumOffset: 0.3, noise: 0.3, seed: 1 };
const runs: [string, unknown, number][] = [
  ['asgd lr .05', 'sgd', 0.05], ['asgd lr .0125', 'sgd', 0.0125], ['digital', { kind: 'digital-sgd' }, 0.05],
  ['ttv1', { preset: 'ttv1' }, 0.05], ['ttv2 buffered', { kind: 'buffered-tiki-taka' }, 0.05],
  ['c-ttv2', { kind: 'chopped-tiki-taka', fastLr: 0.05, scaleFastLr: false }, 0.05], ['agad', { kind: 'agad', fastLr: 0.05 }, 0.05], ['mp', 'mp', 0.05],
];
for (const [n, a, lr] of runs) {
  const t0 = performance.now();
  const r = runLeastSquares({ device, algorithm: a, steps: Number(process.argv[3] ?? 6000), lr, task, batch: 1, seed: 2 });
  console.log(n.padEnd(16), 'd0', r.distance[0]!.toFixed(3), 'mid', r.distance[Math.floor(r.distance.length/2)]!.toFixed(4), 'tail', r.tailDistance.toFixed(4), 'pulses', r.report.totalPulses, (performance.now()-t0).toFixed(0)+'ms');
}
