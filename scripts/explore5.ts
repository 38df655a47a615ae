import { runLeastSquares } from '../src/experiment/least-squares.js';
const offset = Number(process.argv[2] ?? 0);
const steps = Number(process.argv[3] ?? 20000);
const dw = Number(process.argv[4] ?? 0.0025);
const device = { preset: 'soft-bounds-reference', wMax: 1, wMin: -1, dwMin: dw, dwMinStd: 0.1, dwMinDtod: 0.1, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0.05, upDown: 0.2, subtractSymmetryPoint: true, referenceMean: offset };
const task = { inputs: 8, outputs: 4, optimumScale: 0.2, optimumOffset: 0.3, noise: 0.3, seed: 1 };
const runs: [string, unknown, number][] = [
  ['asgd lr .02', 'sgd', 0.02], ['asgd lr .005', 'sgd', 0.005], ['digital .005', { kind: 'digital-sgd' }, 0.005],
  ['ttv1', { preset: 'ttv1' }, 0.02], ['ttv2 buffered', { kind: 'buffered-tiki-taka' }, 0.02],
  ['c-ttv2', { kind: 'chopped-tiki-taka', fastLr: 0.02 }, 0.02], ['agad', { kind: 'agad', fastLr: 0.02 }, 0.02], ['mp', 'mp', 0.005],
];
for (const [n, a, lr] of runs) {
  const t0 = performance.now();
  const r = runLeastSquares({ device, algorithm: a, steps, lr, task, batch: 1, seed: 2, evaluateEvery: 500 });
  console.log(n.padEnd(16), 'mid', r.distance[Math.floor(r.distance.length/2)]!.toFixed(4), 'tail', r.tailDistance.toFixed(4), 'pulses', r.report.totalPulses, (performance.now()-t0).toFixed(0)+'ms');
}
