import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/** Renders a vega-lite spec to an SVG string, with no DOM or canvas (anchors.md §9.1). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
