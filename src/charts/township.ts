/**
 * The weekly digest's chart: one horizontal bar per township, its attendance rate, labelled with the rate and
 * the township's counts of cadres at risk and below target. ECharts renders it server-side to an SVG string
 * (no canvas, no browser, no native download) and resvg turns that into a PNG with the Noto CJK font.
 */
import * as echarts from 'echarts';
import { chartTexts } from '../../templates/digest.js';
import type { ChartRow } from './chart-row.js';
import { CJK_FAMILY, findCjkFont } from './font.js';
import { rasterize, type Raster } from './render.js';

export type { ChartRow } from './chart-row.js';

export interface ChartOptions {
  /** The chart's title (from `templates/digest.ts`). */
  title: string;
  /** A line under the title saying what the bars and numbers are (default from the templates). */
  subtitle?: string;
  /** SVG width in units (default 800); the PNG is `pixelRatio` times larger. */
  width?: number;
  /** SVG height (default: enough for the rows). */
  height?: number;
  /** Default 2, sharp on phone screens. */
  pixelRatio?: number;
  /** The font file; default `findCjkFont()`. */
  fontFile?: string;
}

const BAR = '#4f7cdb';
const BAR_LOW = '#e8833a';
/** Below this rate a bar is drawn in the warning colour. */
const LOW_RATE = 0.8;

/** The chart's SVG document. Pure apart from ECharts itself. */
export function townshipChartSvg(rows: readonly ChartRow[], opts: ChartOptions): string {
  const width = opts.width ?? 800;
  const height = opts.height ?? 130 + 46 * Math.max(rows.length, 1);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CJK_FAMILY },
      title: {
        text: opts.title,
        subtext: opts.subtitle ?? chartTexts.subtitle,
        left: 'center',
        top: 12,
        textStyle: { fontSize: 18, fontFamily: CJK_FAMILY },
        subtextStyle: { fontSize: 12, color: '#666', fontFamily: CJK_FAMILY },
      },
      grid: { left: 20, right: 210, top: 78, bottom: 36, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize: 12 } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.name),
        axisLabel: { fontSize: 15, color: '#222' },
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 28,
          data: rows.map((r) => ({
            value: r.rate === null ? 0 : Math.round(r.rate * 1000) / 10,
            itemStyle: { color: r.rate !== null && r.rate < LOW_RATE ? BAR_LOW : BAR },
            label: { show: true, position: 'right', fontSize: 13, color: '#333', formatter: chartTexts.rowLabel(r) },
          })),
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a raster image (PNG and pixels), for callers that inspect it. Throws `FontMissingError`. */
export function renderTownshipRaster(rows: readonly ChartRow[], opts: ChartOptions): Raster {
  const fontFile = opts.fontFile ?? findCjkFont();
  return rasterize(townshipChartSvg(rows, opts), {
    fontFiles: [fontFile],
    defaultFontFamily: CJK_FAMILY,
    pixelRatio: opts.pixelRatio ?? 2,
  });
}

/**
 * Render the township chart as a PNG: `rows` in the order given (top to bottom), a rate of null drawn as an
 * empty bar labelled "—". Throws `FontMissingError`, which says to run `sh scripts/bootstrap.sh`, when the
 * Chinese font is not installed.
 */
export function renderTownshipChart(rows: readonly ChartRow[], opts: ChartOptions): Buffer {
  return renderTownshipRaster(rows, opts).png;
}
