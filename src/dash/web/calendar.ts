/**
 * The year calendar heat-map of a cadre's presence: an ECharts custom build (echarts/core with the calendar,
 * the heat-map, the piecewise visual map and the tooltip, drawn on canvas). This module is a chunk of its own,
 * loaded by `import()` only on the pages that chart.
 */
import { init, use } from 'echarts/core';
import { HeatmapChart } from 'echarts/charts';
import { CalendarComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import * as T from '../../../templates/dash-pages.js';

use([HeatmapChart, CalendarComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export interface CalendarDay {
  date: string;
  mark: string;
  sources?: string[];
}

/** The marks as the heat-map's values, in the legend's order. */
const LEVEL: Record<string, number> = { present: 4, 'self-reported': 3, pending: 3, leave: 2, off: 1, absent: 0 };

export function drawCalendar(el: HTMLElement, days: readonly CalendarDay[], range: [string, string]): void {
  const vertical = el.clientWidth < 600;
  const chart = init(el, undefined, { renderer: 'canvas' });
  const byDate = new Map(days.map((d) => [d.date, d]));
  chart.setOption({
    tooltip: {
      formatter: (p: unknown) => {
        const date = (p as { data: [string, number] }).data[0];
        const d = byDate.get(date);
        const sources = d?.sources?.length ? `（${d.sources.map((s) => T.value[s] ?? s).join('、')}）` : '';
        return `${T.dayLabel(date)} ${d ? (T.value[d.mark] ?? d.mark) : ''}${sources}`;
      },
    },
    visualMap: {
      type: 'piecewise',
      orient: 'horizontal',
      left: 'center',
      top: 0,
      pieces: [
        { value: 4, label: T.legend.present, color: '#15803d' },
        { value: 3, label: T.legend.selfReported, color: '#86efac' },
        { value: 2, label: T.legend.leave, color: '#60a5fa' },
        { value: 1, label: T.legend.off, color: '#e5e7eb' },
        { value: 0, label: T.legend.absent, color: '#fca5a5' },
      ],
    },
    calendar: {
      range,
      orient: vertical ? 'vertical' : 'horizontal',
      top: vertical ? 60 : 50,
      left: vertical ? 40 : 40,
      right: vertical ? 10 : 10,
      bottom: 10,
      cellSize: vertical ? ['auto', 'auto'] : ['auto', 16],
      dayLabel: { firstDay: 1, nameMap: 'ZH' },
      monthLabel: { nameMap: 'ZH' },
      yearLabel: { show: false },
      splitLine: { lineStyle: { color: '#9ca3af' } },
      itemStyle: { borderColor: '#fff' },
    },
    series: [
      {
        type: 'heatmap',
        coordinateSystem: 'calendar',
        data: days.filter((d) => d.mark in LEVEL).map((d) => [d.date, LEVEL[d.mark]]),
      },
    ],
  });
  addEventListener('resize', () => chart.resize());
}
