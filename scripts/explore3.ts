import { runLeastSquares } from '../src/experiment/least-squares.js';
const algs: unknown[] = [{ preset: 'c-ttv2', gamma: 0.4 }, { preset: 'agad', gamma: 0.4 }, { kind: 'chopped-tiki-taka', gamma: 0.4, fastLr: 0.05 }, { kind: 'agad', gamma: 0.4, fastLr: 0.05 }, { kind: 'chopped-tiki-taka', fastLr: 0.05 }, { kind: 'agad', fastLr: 0.05 }];
for (const a of algs) {
  const r = runLeastSquares({ device: { preset: 'ideal', dwMin: 0.01 }, algorithm: a, steps: 3000, lr: 0.05, task: { inputs: 10, outputs: 5 } });
  console.log(JSON.stringify(a).padEnd(60), 'd0', r.distance[0]!.toFixed(3), 'tail', r.tailDistance.toFixed(4), 'transfers', r.report.transfers);
}
