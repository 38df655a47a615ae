/** Live line and bar charts (uPlot), sized to their container and labelled for screen readers. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { element } from './dom.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

export interface ChartOptions {
  title: string;
  x: string;
  y: string;
  series: string[];
  bars?: boolean;
  logY?: boolean;
  /** Mark every point (a series with few points, such as one per epoch). */
  points?: boolean;
}

export class Chart {
  readonly root: HTMLElement;
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData = [[]];
  private readonly observer: ResizeObserver;

  private options: ChartOptions;

  constructor(parent: HTMLElement, options: ChartOptions) {
    this.options = options;
    this.root = element('figure', { class: 'chart', role: 'img', 'aria-label': options.title });
    this.root.append(element('figcaption', {}, options.title));
    parent.append(this.root);
    this.observer = new ResizeObserver(() => this.rebuild());
    this.observer.observe(this.root);
  }

  /** New series names (e.g. pulses by purpose as purposes appear); redraws. */
  setSeries(series: string[]): void {
    if (series.join('\u0000') === this.options.series.join('\u0000')) return;
    this.options = { ...this.options, series };
    this.plot?.destroy();
    this.plot = null;
    this.rebuild();
  }

  setData(x: ArrayLike<number>, ys: ArrayLike<number | null>[]): void {
    this.data = [Array.from(x), ...ys.map((y) => Array.from(y))] as uPlot.AlignedData;
    if (this.plot) this.plot.setData(this.data);
    else this.rebuild();
  }

  private rebuild(): void {
    const width = Math.max(240, this.root.clientWidth - 4);
    const height = Math.round(Math.min(260, Math.max(160, width * 0.5)));
    if (this.plot) {
      this.plot.setSize({ width, height });
      return;
    }
    if (this.data.length !== this.options.series.length + 1) return;
    const bars = this.options.bars ? uPlot.paths.bars!({ size: [0.9, 40] }) : undefined;
    this.plot = new uPlot(
      {
        width,
        height,
        legend: { show: true },
        scales: { x: { time: false }, y: this.options.logY ? { distr: 3 } : {} },
        axes: [{ label: this.options.x }, { label: this.options.y, size: 64, values: (_plot, ticks) => ticks.map((tick) => (tick == null ? '' : compact(tick))) }],
        series: [
          { label: this.options.x },
          ...this.options.series.map((label, i) => ({
            label,
            stroke: COLORS[i % COLORS.length]!,
            width: 1.5,
            ...(bars ? { paths: bars, fill: `${COLORS[i % COLORS.length]!}88` } : {}),
            ...(this.options.points ? { points: { show: true, size: 5 } } : { points: { show: false } }),
          })),
        ],
      },
      this.data,
      this.root,
    );
  }
}

/** Tick labels that fit: 12,000,000 → 12M, 0.00025 → 2.5e-4. */
function compact(value: number): string {
  const size = Math.abs(value);
  if (size >= 1e9) return `${+(value / 1e9).toPrecision(3)}G`;
  if (size >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (size >= 1e4) return `${+(value / 1e3).toPrecision(3)}k`;
  if (size !== 0 && size < 1e-3) return value.toExponential(1);
  return String(+value.toPrecision(4));
}

/** Counts of `values` in `bins` equal bins over their range: bin centres and counts. */
export function histogram(values: ArrayLike<number>, bins = 30): { centres: number[]; counts: number[] } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  if (!Number.isFinite(min)) return { centres: [], counts: [] };
  if (max === min) return { centres: [min], counts: [values.length] };
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.floor((values[i]! - min) / width))]!++;
  return { centres: counts.map((_, b) => min + (b + 0.5) * width), counts };
}
