/**
 * Issue 5: gradients of the digital path against central finite differences. The digital
 * layers use exact floating point (DigitalSgd), so backward must match ∂L/∂x and the update must
 * move every weight by exactly −lr·∂L/∂w. Tolerance: central differences with h = 1e-6 have
 * error O(h²·f‴) plus rounding O(ε/h) ≈ 1e-10; 1e-6 relative leaves a wide margin.
 */
import { describe, expect, it } from 'vitest';
import { DigitalSgd, AnalogSgd } from '../../src/algorithms/index.js';
import { resolveDevice } from '../../src/devices/index.js';
import { Activation, Conv2d, Flatten, Linear, Pool2d, Sequential, softmaxCrossEntropy, type AlgorithmFactory, type Layer } from '../../src/nn/index.js';
import { Rng } from '../../src/rng/index.js';

const rng = Rng.stream(12, 'gradients');
const digital: AlgorithmFactory = (rows, cols) => {
  const algorithm = new DigitalSgd({ rows, cols, device: resolveDevice('ideal'), seed: 0 });
  algorithm.setWeights(Float64Array.from({ length: rows * cols }, () => 0.5 * rng.normal()));
  return algorithm;
};

function network(pool: 'max' | 'avg', bias: 'digital' | 'analog', scaled = false): Sequential {
  const conv = new Conv2d([2, 6, 6], 3, digital, { kernel: 3, padding: 1, bias, outScaling: scaled ? 'column' : 'none' });
  const layers: Layer[] = [conv, new Activation('tanh', conv.outputShape)];
  const pooled = new Pool2d(pool, conv.outputShape, 2);
  layers.push(pooled, new Flatten(pooled.outputShape));
  const fc1 = new Linear(3 * 3 * 3, 5, digital, { bias, outScaling: scaled ? 'layer' : 'none' });
  layers.push(fc1, new Activation('sigmoid', [5]), new Linear(5, 4, digital, { bias: 'digital' }));
  const net = new Sequential(layers);
  for (const layer of net.layers) if (layer instanceof Linear && layer.bias) layer.bias.set(Float64Array.from({ length: layer.bias.length }, () => 0.1 * rng.normal()));
  // Output scales away from their initial 1, so that a missing α in any term shows.
  for (const layer of net.layers) if ((layer instanceof Linear || layer instanceof Conv2d) && layer.outScaling) layer.outScaling.values.set(Float64Array.from(layer.outScaling.values, () => 0.6 + 0.8 * rng.uniform()));
  return net;
}

const batch = 3;
const x = Float64Array.from({ length: batch * 72 }, () => rng.normal());
const labels = [0, 3, 1];
const lossOf = (net: Sequential, input = x) => softmaxCrossEntropy(net.forward(input, batch), labels, batch, 4);

function close(analytic: number, numeric: number): void {
  expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(numeric)));
}

describe('gradients of the digital path match finite differences', () => {
  for (const [pool, bias, scaled] of [['max', 'digital', false], ['max', 'analog', false], ['avg', 'digital', false], ['avg', 'analog', false], ['max', 'digital', true], ['avg', 'analog', true]] as const) {
    {
      it(`conv → tanh → ${pool}pool → flatten → linear → sigmoid → linear, ${bias} bias${scaled ? ', learnable output scales (column on the conv, layer on the first linear)' : ''}`, () => {
        const net = network(pool, bias, scaled);
        const h = 1e-6;
        // ∂L/∂x
        const { grad } = lossOf(net);
        const dx = net.backward(grad, batch);
        for (const k of [0, 7, 35, 71, 100, 150, 215]) {
          const plus = Float64Array.from(x);
          const minus = Float64Array.from(x);
          plus[k]! += h;
          minus[k]! -= h;
          close(dx[k]!, (lossOf(net, plus).loss - lossOf(net, minus).loss) / (2 * h));
        }
        // ∂L/∂w of every weight matrix and bias, numerically first (weights unchanged) ...
        const numeric: { layer: number; kind: 'w' | 'b' | 'a'; k: number; value: number }[] = [];
        net.layers.forEach((layer, li) => {
          if (!(layer instanceof Linear || layer instanceof Conv2d)) return;
          const w = layer.weights.weights();
          for (const k of [0, Math.floor(w.length / 2), w.length - 1]) {
            const original = w[k]!;
            const set = (v: number) => {
              const copy = Float64Array.from(layer.weights.weights());
              copy[k] = v;
              layer.weights.setWeights(copy);
            };
            set(original + h);
            const up = lossOf(net).loss;
            set(original - h);
            const down = lossOf(net).loss;
            set(original);
            numeric.push({ layer: li, kind: 'w', k, value: (up - down) / (2 * h) });
          }
          if (layer.bias) {
            const b = layer.bias;
            const original = b[0]!;
            b[0] = original + h;
            const up = lossOf(net).loss;
            b[0] = original - h;
            const down = lossOf(net).loss;
            b[0] = original;
            numeric.push({ layer: li, kind: 'b', k: 0, value: (up - down) / (2 * h) });
          }
          if (layer.outScaling) {
            const a = layer.outScaling.values;
            const k = a.length - 1;
            const original = a[k]!;
            a[k] = original + h;
            const up = lossOf(net).loss;
            a[k] = original - h;
            const down = lossOf(net).loss;
            a[k] = original;
            numeric.push({ layer: li, kind: 'a', k, value: (up - down) / (2 * h) });
          }
        });
        // ... then the update must move each by exactly −lr·gradient.
        const before = net.layers.map((layer) =>
          layer instanceof Linear || layer instanceof Conv2d
            ? { w: Float64Array.from(layer.weights.weights()), b: layer.bias ? Float64Array.from(layer.bias) : null, a: layer.outScaling ? Float64Array.from(layer.outScaling.values) : null }
            : null,
        );
        const again = lossOf(net);
        net.backward(again.grad, batch);
        const lr = 1e-3;
        net.update(lr);
        for (const n of numeric) {
          const layer = net.layers[n.layer] as Linear | Conv2d;
          const after = n.kind === 'w' ? layer.weights.weights()[n.k]! : n.kind === 'b' ? layer.bias![n.k]! : layer.outScaling!.values[n.k]!;
          const previous = n.kind === 'w' ? before[n.layer]!.w[n.k]! : n.kind === 'b' ? before[n.layer]!.b![n.k]! : before[n.layer]!.a![n.k]!;
          close((previous - after) / lr, n.value);
        }
      });
    }
  }
});

describe('analog layers', () => {
  it('a conv layer applies one pulsed vector update per patch, in order (aihwkit-model.md §1.2)', () => {
    const analog: AlgorithmFactory = (rows, cols, name) => new AnalogSgd({ rows, cols, device: resolveDevice('soft-bounds'), seed: 1, name });
    const conv = new Conv2d([1, 5, 5], 2, analog, { kernel: 3 });
    const input = Float64Array.from({ length: 2 * 25 }, () => rng.normal());
    const y = conv.forward(input, 2);
    conv.backward(Float64Array.from(y, (v) => 0.1 * v), 2);
    conv.update(0.05);
    const report = conv.weights.report();
    expect(report.tiles['array']!.updates['update']).toBe(2 * 9);
    expect(report.tiles['array']!.reads['forward']).toBe(2 * 9);
    expect(report.tiles['array']!.reads['backward']).toBe(2 * 9);
    expect(report.totalPulses).toBeGreaterThan(0);
  });

  it('mismatched layer sizes are a one-line error', () => {
    expect(() => new Sequential([new Linear(4, 3, digital), new Linear(5, 2, digital)])).toThrow('config error at network.layers[1]: must take the 3 outputs of linear, got [5]');
  });
});
