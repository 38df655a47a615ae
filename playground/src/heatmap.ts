/**
 * A rows × cols array drawn on a canvas with a diverging colour map symmetric about 0 (blue
 * negative, white 0, red positive), its range in the caption; NaN (no value) is grey.
 */
import { element } from './dom.js';

export class Heatmap {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;

  private readonly title: string;

  constructor(parent: HTMLElement, title: string) {
    this.title = title;
    this.root = element('figure', { class: 'heatmap' });
    this.caption = element('figcaption', {}, title);
    this.canvas = element('canvas', { role: 'img', 'aria-label': title });
    this.canvas.hidden = true; // until there is something to draw
    this.root.append(this.caption, this.canvas);
    parent.append(this.root);
  }

  /** `range`: the colour scale's ±limit (shared by maps to be compared); default the values' largest |v|. */
  draw(values: ArrayLike<number> | null, rows: number, cols: number, note = '', range?: number): void {
    if (!values) {
      this.caption.textContent = `${this.title}: ${note || 'not available'}`;
      this.canvas.hidden = true;
      return;
    }
    let limit = range ?? 0;
    if (range === undefined) for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) limit = Math.max(limit, Math.abs(values[i]!));
    this.canvas.hidden = false;
    this.canvas.width = cols;
    // Small arrays drawn larger, wide ones at most 420 px (the CSS keeps them within the column).
    this.canvas.style.width = `${Math.min(420, Math.max(120, cols * 28))}px`;
    this.canvas.height = rows;
    const context = this.canvas.getContext('2d')!;
    const image = context.createImageData(cols, rows);
    for (let k = 0; k < rows * cols; k++) {
      const v = values[k]!;
      const t = limit > 0 && Number.isFinite(v) ? Math.max(-1, Math.min(1, v / limit)) : 0;
      const [r, g, b] = Number.isFinite(v) ? (t >= 0 ? [255, 255 * (1 - t), 255 * (1 - t)] : [255 * (1 + t), 255 * (1 + t), 255]) : [160, 160, 160];
      image.data.set([r, g, b, 255], 4 * k);
    }
    context.putImageData(image, 0, 0);
    const scale = limit > 0 ? `colour range ±${limit.toPrecision(3)}` : 'all exactly 0';
    const summary = `${this.title}: ${rows} × ${cols}, ${scale}${note ? `; ${note}` : ''}`;
    this.caption.textContent = summary;
    this.canvas.setAttribute('aria-label', summary);
  }
}
