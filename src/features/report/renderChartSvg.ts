import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../../domain/metrics/metricsReport.ts';

/**
 * A Vega-Lite chart as standalone SVG, rendered headless (no browser, no canvas): GitHub shows
 * SVG files in Markdown, and text stays selectable and sharp at any zoom.
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
