/**
 * The aimsim side of bench/lenet-aihwkit/lenet_aihwkit.py: the papers' LeNet-5 (examples/03's
 * network) on the first `--images` Fashion-MNIST training images, batch 16, lr 0.05, with the
 * aihwkit-default configs of bench/aihwkit-defaults (soft bounds, TTv1; aihwkit's 512 × 512
 * mapping). Prints one JSON line per config: CPU ms of the training loop per image (process CPU
 * from the run's start event to its last batch) and the mean train loss.
 *   npx tsx bench/lenet-aihwkit/lenet.ts --configs sb,tt --images 2000
 */
import { runExperiment } from '../../src/experiment/run.js';
import { loadConfigDataset } from '../../src/node/datasets.js';
import { loadConfigFile } from '../../src/node/config-file.js';

const flag = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1]! : fallback;
};
const images = Number(flag('--images', '2000'));
const seed = Number(flag('--seed', '0'));
const lenet = loadConfigFile('examples/03-lenet5.yaml') as { network: unknown };
// mp: aihwkit's DigitalRankUpdateRPUConfig(device=MixedPrecisionCompound(device=SoftBoundsDevice())).
// cttv2 / agad: the chopped and dynamic compounds at aihwkit's defaults (bench/aihwkit-defaults).
const configs: Record<string, unknown> = { fp: { kind: 'digital-sgd' }, sb: 'sgd', tt: { kind: 'tiki-taka' }, mp: { kind: 'mixed-precision' }, cttv2: { kind: 'chopped-tiki-taka' }, agad: { kind: 'agad' } };
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
for (const name of flag('--configs', 'sb,tt').split(',')) {
  // "<config>-perfect" (-fperfect, -bperfect): the same with perfect forward and backward IO
  // (forward only, backward only), to isolate where two simulators differ.
  const [base = name, perfect = ''] = name.split('-');
  let started = 0;
  let trainMs = 0;
  const result = await runExperiment(
    {
      name: `lenet-${name}`,
      seed,
      data: { dataset: 'fashion-mnist', trainLimit: images, testLimit: 16 },
      network: lenet.network,
      device: 'soft-bounds',
      algorithm: configs[base],
      forward: { isPerfect: perfect === 'perfect' || perfect === 'fperfect' },
      backward: { isPerfect: perfect === 'perfect' || perfect === 'bperfect' },
      mapping: { maxInputSize: 512, maxOutputSize: 512 },
      training: { epochs: 1, batch: 16, lr: 0.05 },
    },
    {
      loadDataset: loadConfigDataset,
      onEvent: (event) => {
        if (event.type === 'start') started = cpuMs();
        if (event.type === 'batch' && event.batch === event.batchesPerEpoch) trainMs = cpuMs() - started;
      },
    },
  );
  console.log(JSON.stringify({ side: 'aimsim', config: name, seed, images, cpu_ms_per_image: trainMs / images, epoch_cpu_s: (60 * trainMs) / images, train_loss: result.epochs[0]!.trainLoss }));
}
