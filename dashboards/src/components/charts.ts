// ECharts, tree-shaken to the pieces the pages use, with one place that sizes charts to their containers.
import { LineChart, BarChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, DataZoomComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { h } from './dom';

echarts.use([LineChart, BarChart, HeatmapChart, VisualMapComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

const charts = new Set<echarts.ECharts>();
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

/** Disposes the charts of the previous page, so navigating does not leak canvases. */
export function disposeCharts(): void {
  charts.forEach((c) => c.dispose());
  charts.clear();
}

/**
 * A chart in a figure with a caption; `summary` is the chart's key figure as text, for screen readers and for the
 * browser tests, which read numbers rather than pixels.
 */
export function chart(title: string, option: ChartOption, summary: string, height = 260): HTMLElement {
  const canvas = h('div', { class: 'chart', style: `height:${height}px`, role: 'img', 'aria-label': `${title}: ${summary}` });
  const figure = h('figure', { class: 'panel' }, h('figcaption', {}, title, h('span', { class: 'summary' }, summary)), canvas);
  // Initialised after insertion, when the container has a size.
  requestAnimationFrame(() => {
    const instance = echarts.init(canvas, undefined, { renderer: 'canvas' });
    instance.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
    charts.add(instance);
  });
  return figure;
}

export function sparkline(values: Array<[number, number]>, label: string): HTMLElement {
  const canvas = h('div', { class: 'sparkline', role: 'img', 'aria-label': label });
  requestAnimationFrame(() => {
    const instance = echarts.init(canvas, undefined, { renderer: 'canvas' });
    instance.setOption({
      animation: false,
      grid: { left: 0, right: 0, top: 2, bottom: 2 },
      xAxis: { type: 'time', show: false },
      yAxis: { type: 'value', show: false, min: (v: { min: number }) => Math.min(0, v.min), max: 1 },
      series: [{ type: 'line', data: values, showSymbol: false, lineStyle: { width: 1.5, color: '#2563eb' }, areaStyle: { opacity: 0.15 } }],
    });
    charts.add(instance);
  });
  return canvas;
}

export const COLORS = ['#2563eb', '#d97706', '#dc2626', '#7c3aed', '#059669'];
