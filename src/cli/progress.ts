import { SingleBar } from 'cli-progress';
import type { EpochMetrics } from '../experiment/run.js';
import type { Output } from './output.js';

/** What the CLI shows while a run trains (the runner itself only emits events). */
export interface ProgressSink {
  start(epochs: number, batchesPerEpoch: number, dataset: string): void;
  batch(epoch: number, batch: number, loss: number): void;
  epoch(metrics: EpochMetrics): void;
  stop(): void;
}

export function formatEpoch(m: EpochMetrics): string {
  const pulses = Object.values(m.pulsesByPurpose).reduce((a, b) => a + b, 0);
  const rate = m.seconds > 0 ? pulses / m.seconds / 1e6 : 0;
  const line = `  epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(4)}, test accuracy ${(100 * m.testAccuracy).toFixed(2)} %, ${(pulses / 1e6).toFixed(2)} M pulses, ${m.seconds.toFixed(1)} s (${rate.toFixed(1)} M pulses/s)`;
  // A run without analog tiles (digital SGD) has nothing on chip to estimate.
  if (!m.hardware || (m.hardware.training.time === 0 && m.hardware.training.energy === 0)) return line;
  const { training, perSample } = m.hardware;
  const energy = training.energy > 0 ? `, ${formatSi(training.energy, 'J')} (${formatSi(perSample.energy, 'J')}/sample)` : '';
  return `${line}; on chip ${formatSi(training.time, 's')} (${formatSi(perSample.time, 's')}/sample)${energy}`;
}

const PREFIXES: [number, string][] = [
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
];

/** 4.2e-7 s → `420 ns`: three significant digits with an SI prefix. */
export function formatSi(value: number, unit: string): string {
  if (value === 0) return `0 ${unit}`;
  const [scale, prefix] = PREFIXES.find(([s]) => Math.abs(value) >= s) ?? PREFIXES[PREFIXES.length - 1]!;
  return `${Number((value / scale).toPrecision(3))} ${prefix}${unit}`;
}

/** A cli-progress bar per epoch on a terminal: batch, loss and the last test accuracy. */
export function ttyProgress(out: Output): ProgressSink {
  let bar: SingleBar | null = null;
  let epochs = 0;
  let batches = 0;
  let accuracy = '–';
  const open = (epoch: number) => {
    bar = new SingleBar({
      format: `  epoch ${epoch}/${epochs} [{bar}] {value}/{total} batches, loss {loss}, last test accuracy {accuracy}, {eta_formatted} left`,
      hideCursor: true,
      clearOnComplete: true,
    });
    bar.start(batches, 0, { loss: '–', accuracy });
  };
  return {
    start(e, b, dataset) {
      epochs = e;
      batches = b;
      out.stdout(`aimsim run: ${e} epochs × ${b} batches on ${dataset}`);
    },
    batch(epoch, batch, loss) {
      if (!bar) open(epoch);
      bar!.update(batch, { loss: loss.toFixed(3), accuracy });
    },
    epoch(metrics) {
      bar?.stop();
      bar = null;
      accuracy = `${(100 * metrics.testAccuracy).toFixed(2)} %`;
      out.stdout(formatEpoch(metrics));
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Plain lines for logs (CI, no TTY): one every `intervalMs` during an epoch, and one per epoch. */
export function plainProgress(out: Output, intervalMs = 10_000, now = () => Date.now()): ProgressSink {
  let last = now();
  let batches = 0;
  return {
    start(epochs, b, dataset) {
      batches = b;
      out.stdout(`aimsim run: ${epochs} epochs × ${b} batches on ${dataset}`);
    },
    batch(epoch, batch, loss) {
      if (now() - last < intervalMs) return;
      last = now();
      out.stdout(`  epoch ${epoch}: batch ${batch}/${batches}, loss ${loss.toFixed(4)}`);
    },
    epoch(metrics) {
      last = now();
      out.stdout(formatEpoch(metrics));
    },
    stop() {},
  };
}
