import { runLeastSquares } from '../src/experiment/least-squares.js';
const algs: unknown[] = ['sgd', { kind: 'digital-sgd' }, 'ttv1', { kind: 'buffered-tiki-taka' }, 'c-ttv2', 'agad', 'mp'];
const dev = process.argv[2] ?? 'ideal';
for (const a of algs) {
  const t0 = performance.now();
  const r = runLeastSquares({ device: dev === 'ideal' ? 'ideal' : JSON.parse(dev), algorithm: a, steps: Number(process.argv[3] ?? 2000), lr: Number(process.argv[4] ?? 0.05), batch: 1, task: { inputs: 10, outputs: 5 } });
  console.log(String(r.algorithm).padEnd(20), 'd0', r.distance[0]!.toFixed(3), 'tail', r.tailDistance.toFixed(4), 'pulses', r.report.totalPulses, 'transfers', r.report.transfers, (performance.now()-t0).toFixed(0)+'ms');
}
