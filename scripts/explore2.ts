import { runLeastSquares } from '../src/experiment/least-squares.js';
const g = Number(process.argv[2] ?? 0.4);
const algs: unknown[] = [{ preset: 'ttv1', gamma: g }, { kind: 'buffered-tiki-taka', gamma: g }, { preset: 'c-ttv2', gamma: g }, { preset: 'agad', gamma: g }, { kind: 'chopped-tiki-taka', gamma: g }, { kind: 'agad', gamma: g }];
for (const a of algs) {
  const r = runLeastSquares({ device: 'ideal', algorithm: a, steps: 3000, lr: 0.05, task: { inputs: 10, outputs: 5 } });
  console.log(JSON.stringify(a).padEnd(50), 'tail', r.tailDistance.toFixed(4), 'transfers', r.report.transfers);
}
