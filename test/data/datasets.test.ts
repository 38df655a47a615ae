import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DigitalSgd } from '../../src/algorithms/index.js';
import { epochBatches } from '../../src/data/batches.js';
import { parseCifar10 } from '../../src/data/cifar10.js';
import { gather } from '../../src/data/dataset.js';
import { loadEmbeddedFashionMnist } from '../../src/data/embedded.js';
import { parseIdx } from '../../src/data/idx.js';
import { resolveDevice } from '../../src/devices/index.js';
import { Linear, accuracy, softmaxCrossEntropy } from '../../src/nn/index.js';
import { loadIdxDataset } from '../../src/node/index.js';
import { idxBytes as idx } from '../support/idx-fixture.js';
import { Rng } from '../../src/rng/index.js';

describe('embedded default dataset', () => {
  it('decodes to a balanced 14×14 Fashion-MNIST subset: 200 training and 50 test images per class', async () => {
    const data = await loadEmbeddedFashionMnist();
    expect(data.shape).toEqual([1, 14, 14]);
    expect(data.train.count).toBe(2000);
    expect(data.test.count).toBe(500);
    for (let c = 0; c < 10; c++) {
      expect(data.train.labels.filter((l) => l === c).length).toBe(200);
      expect(data.test.labels.filter((l) => l === c).length).toBe(50);
    }
    expect(data.train.pixels.length).toBe(2000 * 196);
    expect(Math.max(...data.train.pixels.subarray(0, 196))).toBeGreaterThan(100); // real images, not blank
  });

  it('is learnable: a digital softmax regression reaches > 65 % test accuracy in 5 epochs (chance: 10 %)', async () => {
    const data = await loadEmbeddedFashionMnist();
    const layer = new Linear(196, 10, (rows, cols) => new DigitalSgd({ rows, cols, device: resolveDevice('ideal'), seed: 0 }));
    const rng = Rng.stream(1, 'shuffle');
    for (let epoch = 0; epoch < 5; epoch++) {
      for (const indices of epochBatches(data.train.count, 20, rng)) {
        const { x, labels } = gather(data.train, 196, indices);
        const { grad } = softmaxCrossEntropy(layer.forward(x, indices.length), labels, indices.length, 10);
        layer.backward(grad, indices.length);
        layer.update(0.5);
      }
    }
    const all = Int32Array.from({ length: data.test.count }, (_, i) => i);
    const { x, labels } = gather(data.test, 196, all);
    expect(accuracy(layer.forward(x, all.length), labels, all.length, 10)).toBeGreaterThan(0.65);
  });
});

describe('batching', () => {
  it('an epoch visits every sample once, in a seeded order; the last batch may be short', () => {
    const a = epochBatches(103, 10, Rng.stream(5, 'epoch'));
    const b = epochBatches(103, 10, Rng.stream(5, 'epoch'));
    const c = epochBatches(103, 10, Rng.stream(6, 'epoch'));
    expect(a.length).toBe(11);
    expect(a[10]!.length).toBe(3);
    const flat = a.flatMap((batch) => Array.from(batch));
    expect([...flat].sort((p, q) => p - q)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(flat).toEqual(b.flatMap((batch) => Array.from(batch)));
    expect(flat).not.toEqual(c.flatMap((batch) => Array.from(batch)));
    expect(Array.from(epochBatches(5, 2, null)[1]!)).toEqual([2, 3]);
  });
});

describe('IDX and CIFAR-10 loaders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aimsim-idx-'));
  const image = (v: number) => new Array<number>(784).fill(v);
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idx([2, 28, 28], [...image(10), ...image(20)])));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idx([2], [3, 7])));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx([1, 28, 28], image(255)));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([1], [9]));

  it('reads gzipped and plain IDX files from a folder', async () => {
    const data = await loadIdxDataset(dir);
    expect(data.train.count).toBe(2);
    expect(Array.from(data.train.labels)).toEqual([3, 7]);
    expect(data.train.pixels[784]).toBe(20);
    expect(data.test.pixels[0]).toBe(255);
    expect(gather(data.test, 784, [0]).x[5]).toBe(1);
  });

  it('a missing or corrupt file is a clear error naming the path', async () => {
    await expect(loadIdxDataset(join(dir, 'nowhere'))).rejects.toThrow(/data error at data\.path: missing file .* got ".*nowhere\/train-images-idx3-ubyte"/);
    const bad = mkdtempSync(join(tmpdir(), 'aimsim-idx-bad-'));
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), idx([2, 28, 28], image(1))); // one image short
    writeFileSync(join(bad, 'train-labels-idx1-ubyte'), idx([2], [0, 1]));
    await expect(loadIdxDataset(bad)).rejects.toThrow(/train-images-idx3-ubyte: must be 1584 bytes for dimensions 2×28×28 \(truncated or corrupt\)/);
    expect(() => parseIdx(Uint8Array.of(1, 2, 3, 4), 'x.idx')).toThrow('data error at x.idx: must be an IDX file (magic 0x0000), got 4');
  });

  it('parses CIFAR-10 binary records and rejects a wrong length', () => {
    const record = (label: number, v: number) => [label, ...new Array<number>(3072).fill(v)];
    const split = parseCifar10([{ name: 'b.bin', bytes: Uint8Array.from([...record(4, 9), ...record(1, 200)]) }]);
    expect(split.count).toBe(2);
    expect(Array.from(split.labels)).toEqual([4, 1]);
    expect(split.pixels[3072]).toBe(200);
    expect(() => parseCifar10([{ name: 'short.bin', bytes: new Uint8Array(100) }])).toThrow(/data error at short\.bin: must be a multiple of 3073 bytes/);
  });
});
