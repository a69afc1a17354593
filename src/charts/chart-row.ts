/**
 * The data of one bar of the weekly chart, apart from the renderer: the digest builds rows and the templates label
 * them without loading ECharts (and without a cycle through the chart's texts).
 */

/** One township of the chart. `rate` is 0–1, or null when no cadre-day was due (drawn as an empty bar). */
export interface ChartRow {
  name: string;
  rate: number | null;
  atRisk: number;
  belowTarget: number;
}
