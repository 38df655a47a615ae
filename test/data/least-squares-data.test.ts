/**
 * Issue 15: the least-squares task takes explicit data (A, W* or b, W₀; arrays or .npy/.json
 * files) and draws the papers' fixed data set: A ~ σ_A·N(0, 1) of N × D, W* ~ σ_W*·N(0, 1),
 * b = A·W* + noise, loss ½‖A·W − b‖²/N, the whole set every step.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { LeastSquaresTask, leastSquaresSchema } from '../../src/data/least-squares.js';
import { parseNpy } from '../../src/data/npy.js';
import { prepareLeastSquares, runLeastSquares, type LeastSquaresRecord } from '../../src/experiment/least-squares.js';
import { resolveTaskFiles } from '../../src/data/task-files.js';
import { loadTaskFiles } from '../../src/node/index.js';

/** A .npy file as numpy.save writes it (format 1.0, little-endian float64, C order). */
function npy(rows: number[][]): Uint8Array {
  const shape = `(${rows.length}, ${rows[0]!.length})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const bytes = new Uint8Array(10 + header.length + 8 * rows.length * rows[0]!.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), 10);
  const view = new DataView(bytes.buffer);
  rows.flat().forEach((v, i) => view.setFloat64(10 + header.length + 8 * i, v, true));
  return bytes;
}

describe('the fixed data set of the papers', () => {
  it('draws A (N × D) and b = A·W* once; the loss is ½‖A·W − b‖²/N and W* is its optimum', () => {
    const task = new LeastSquaresTask(leastSquaresSchema.parse({ inputs: 6, outputs: 1, samples: 40, optimumScale: 0.5, noise: 0, seed: 4 }));
    expect(task.data!.samples).toBe(40);
    expect(task.loss(task.generator)).toBeLessThan(1e-25);
    expect(task.distance(task.generator)).toBeLessThan(1e-10);
    const zero = new Float64Array(6);
    let manual = 0;
    for (let b = 0; b < 40; b++) manual += task.data!.y[b]! ** 2;
    expect(task.loss(zero)).toBeCloseTo(manual / 80, 12);
    // Batches walk the rows in order; the default batch is the whole set.
    const first = task.batch(40);
    expect(Array.from(first.x)).toEqual(Array.from(task.data!.x));
  });

  it('digital SGD on the mean loss, full batch, converges to W*', () => {
    const r = runLeastSquares({ task: { inputs: 6, outputs: 1, samples: 40, noise: 0 }, algorithm: { kind: 'digital-sgd' }, device: 'ideal', reduction: 'mean', lr: 0.3, steps: 400, initialWeight: 0 });
    expect(r.finalDistance).toBeLessThan(1e-6);
    expect(r.tailExcessLoss).toBeLessThan(1e-10);
  });

  it('with label noise the optimum is the least-squares solution, not W*', () => {
    // A = [[1, 0], [0, 2], [1, 1]], b = [1, 2, 3]: AᵀA = [[2, 1], [1, 5]], Aᵀb = [4, 7] → W = [13/9, 10/9]
    const task = new LeastSquaresTask(leastSquaresSchema.parse({ inputs: 2, outputs: 1, A: [[1, 0], [0, 2], [1, 1]], b: [[1], [2], [3]] }));
    expect(task.optimum[0]).toBeCloseTo(13 / 9, 12);
    expect(task.optimum[1]).toBeCloseTo(10 / 9, 12);
    expect(task.optimalLoss).toBeCloseTo(task.loss([13 / 9, 10 / 9]), 14);
  });

  it('explicit A, W* and W₀ as arrays: W₀ is where training starts', () => {
    const r = runLeastSquares({
      task: { inputs: 2, outputs: 1, A: [[1, 0], [0, 1], [1, 1]], optimum: [[0.5, -0.25]], initialWeights: [[0.1, 0.2]], noise: 0 },
      algorithm: { kind: 'digital-sgd' }, device: 'ideal', reduction: 'mean', lr: 0.5, steps: 1, evaluateEvery: 1,
    });
    expect(r.distance[0]).toBeCloseTo(Math.hypot(0.1 - 0.5, 0.2 + 0.25), 12);
    expect(r.optimum[0]).toBeCloseTo(0.5, 12);
    expect(r.optimum[1]).toBeCloseTo(-0.25, 12);
  });

  it('the same data from .npy and .json files, relative to the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-lsq-'));
    const A = [[1, 0], [0, 1], [1, 1], [2, -1]];
    writeFileSync(join(dir, 'A.npy'), npy(A));
    expect(parseNpy(npy(A), 'A.npy')).toEqual(A);
    writeFileSync(join(dir, 'rest.json'), JSON.stringify({ optimum: [[0.5, -0.25]], initialWeights: [[0, 0]] }));
    const study = { seeds: [0], base: { task: { inputs: 2, outputs: 1, noise: 0, A: 'A.npy', file: 'rest.json' }, algorithm: { kind: 'digital-sgd' }, device: 'ideal', reduction: 'mean', lr: 0.4, steps: 300 }, runs: [{ name: 'digital' }] };
    const resolved = loadTaskFiles(study, join(dir, 'study.json')) as { base: { task: Record<string, unknown> } };
    expect(resolved.base.task['A']).toEqual(A);
    expect(resolved.base.task['optimum']).toEqual([[0.5, -0.25]]);
    writeFileSync(join(dir, 'study.json'), JSON.stringify(study));
    const lines: string[] = [];
    expect(await main(['study', join(dir, 'study.json'), '--out', join(dir, 'out.json')], { stdout: (l) => lines.push(l), stderr: () => {} })).toBe(0);
    expect(lines.join('\n')).toMatch(/\| digital \|  \| digital-sgd \| [0-9.e-]+ ± 0 \|/);
    // A corrupt .npy is one line naming the file.
    writeFileSync(join(dir, 'A.npy'), npy(A).subarray(0, 100));
    const errors: string[] = [];
    expect(await main(['study', join(dir, 'study.json')], { stdout: () => {}, stderr: (l) => errors.push(l) })).toBe(2);
    expect(errors).toEqual([expect.stringMatching(/^aimsim: data error at .*A\.npy: must be a \.npy file of a 1- or 2-D float or int array \(.*truncated or corrupt\)/)]);
  });

  it('files given by name (the playground’s dropped files) resolve as the CLI’s paths do; a missing one is the reader’s error', () => {
    const A = [[1, 0], [0, 1], [1, 1], [2, -1]];
    const dropped = new Map([['A.npy', npy(A)], ['rest.json', new TextEncoder().encode(JSON.stringify({ optimum: [[0.5, -0.25]] }))]]);
    const read = (field: string, name: string) => {
      const bytes = dropped.get(name);
      if (!bytes) throw new Error(`${field}: drop ${name}`);
      return { bytes, name };
    };
    const task = resolveTaskFiles({ task: { inputs: 2, outputs: 1, A: 'A.npy', file: 'rest.json' } }, read).task as Record<string, unknown>;
    expect(task).toEqual({ inputs: 2, outputs: 1, A, optimum: [[0.5, -0.25]] });
    expect(() => resolveTaskFiles({ task: { b: 'b.npy' } }, read)).toThrow('task.b: drop b.npy');
  });

  it('a live run (the playground’s) gives the numbers of a plain run; stopped, it keeps the records so far and says where it stopped', async () => {
    const config = {
      task: { inputs: 6, outputs: 3, optimumOffset: 0.2 }, device: { preset: 'soft-bounds-reference', upDown: 0.2, subtractSymmetryPoint: true, dwMin: 0.005 },
      algorithm: 'c-ttv2', lr: 0.05, steps: 400, evaluateEvery: 20, seed: 4,
    };
    const plain = runLeastSquares(config);
    const records: LeastSquaresRecord[] = [];
    const live = await prepareLeastSquares(config).trainLive({ onRecord: (record) => records.push(record) });
    expect(live).toEqual(plain);
    expect(records.map((r) => r.step)).toEqual(plain.steps);
    expect(records.at(-1)!.weights).toEqual(Float64Array.from(plain.weights));
    const controller = new AbortController();
    const stopped = await prepareLeastSquares(config).trainLive({ signal: controller.signal, onRecord: (record) => record.step === 100 && controller.abort() });
    expect(stopped.stoppedAt).toBe(100);
    expect(stopped.steps).toEqual(plain.steps.slice(0, 6));
    expect(stopped.distance).toEqual(plain.distance.slice(0, 6));
  });

  it('mismatched sizes and gradient noise on an analog run are one-line errors', () => {
    expect(() => runLeastSquares({ task: { inputs: 3, outputs: 1, A: [[1, 2]] } })).toThrow('config error at task.A: must be 1 × 3, got "1 × 2"');
    expect(() => runLeastSquares({ algorithm: 'sgd', gradientNoise: 0.1 })).toThrow(/run\.gradientNoise: applies to digital-sgd only/);
    expect(() => runLeastSquares({ task: { A: 'A.npy' } })).toThrow(/task\.A: is a file: load it through the CLI or aimsim\/node/);
  });

  it('digital gradient noise leaves a floor that scales with the learning rate', () => {
    const floor = (lr: number) =>
      runLeastSquares({ task: { inputs: 5, outputs: 1, samples: 50, noise: 0 }, algorithm: { kind: 'digital-sgd' }, device: 'ideal', reduction: 'mean', lr, gradientNoise: 0.05, steps: 3000, evaluateEvery: 10 }).tailExcessLoss;
    const ratio = floor(0.2) / floor(0.05);
    expect(ratio).toBeGreaterThan(2.5); // ∝ lr: 4 in expectation
    expect(ratio).toBeLessThan(6);
  });
});
