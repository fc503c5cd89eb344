// Situation panel charts with Apache ECharts, tree-shaken: only the bar, line and pie charts and
// the grid/tooltip/legend/title components are bundled (echarts/core + use()).
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { t } from '../../i18n/i18n.js';
import { PLATFORMS } from '../../shared/taxonomy.js';
import { OPEN_STATUSES, twoLines } from './logic.js';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  CanvasRenderer,
]);

/** Situation rows → the stacked bar's series: one per open status (OPEN_STATUSES' order), one bar per platform. */
export function platformSeries(rows) {
  const statuses = OPEN_STATUSES.filter((s) => rows.some((r) => r.status === s));
  return statuses.map((s) => ({
    status: s,
    data: PLATFORMS.map((p) => rows.filter((r) => r.platform === p && r.status === s).reduce((n, r) => n + r.count, 0)),
  }));
}

export function createCharts(elements) {
  const charts = Object.fromEntries(
    Object.entries(elements).map(([k, el]) => [k, echarts.init(el, null, { renderer: 'canvas' })]),
  );
  const resize = () => Object.values(charts).forEach((c) => c.resize());
  const observer = new ResizeObserver(resize);
  Object.values(elements).forEach((el) => observer.observe(el));
  const title = (key, big) => ({ text: t(key), textStyle: { fontSize: big ? 20 : 13 }, left: 4, top: 2 });
  const grid = { left: 40, right: 10, top: 30, bottom: 24, containLabel: true };

  return {
    charts,
    render(situation, series, { wall = false } = {}) {
      if (situation) {
        const ps = platformSeries(situation.openByPlatformAndStatus ?? []);
        charts.platform.setOption(
          {
            title: title('command.chart.byPlatform', wall),
            tooltip: { trigger: 'axis' },
            grid,
            xAxis: {
              type: 'category',
              data: PLATFORMS.map((p) => t(`app.platform.${p}`)),
              axisLabel: {
                fontSize: wall ? 16 : 10,
                interval: 0,
                lineHeight: wall ? 18 : 11,
                formatter: twoLines,
                // each label keeps to its own slot (English words are long): cut rather than overlap
                width: Math.max(28, (charts.platform.getWidth() - 70) / PLATFORMS.length - 4),
                overflow: 'truncate',
              },
            },
            yAxis: { type: 'value' },
            series: ps.map((s) => ({
              type: 'bar',
              stack: 'open',
              name: t(`command.status.${s.status}`),
              data: s.data,
            })),
          },
          true,
        );
        charts.channel.setOption(
          {
            title: title('command.chart.byChannel', wall),
            tooltip: { trigger: 'item' },
            series: [
              {
                type: 'pie',
                radius: ['35%', '65%'],
                center: ['50%', '58%'],
                label: { fontSize: wall ? 15 : 11 },
                data: (situation.todayByChannel ?? []).map((r) => ({
                  name: t(`app.channel.${r.channel}`),
                  value: r.count,
                })),
              },
            ],
          },
          true,
        );
        const grids = [...(situation.busiestGrids ?? [])].slice(0, 8).reverse();
        charts.grid.setOption(
          {
            title: title('command.chart.byGrid', wall),
            tooltip: { trigger: 'axis' },
            grid: { ...grid, left: 8 },
            // counts are whole numbers: no 0.5 steps; long grid names are cut (the tooltip has them whole)
            // so the bars keep room and the value labels do not run into each other
            xAxis: {
              type: 'value',
              minInterval: 1,
              splitNumber: 3,
              axisLabel: { hideOverlap: true, fontSize: wall ? 14 : 10 },
            },
            yAxis: {
              type: 'category',
              data: grids.map((g) => g.name || g.code),
              axisLabel: { fontSize: wall ? 14 : 10, width: wall ? 220 : 96, overflow: 'truncate', hideOverlap: true },
            },
            series: [
              {
                type: 'bar',
                name: t('command.chart.count'),
                data: grids.map((g) => g.open),
                itemStyle: { color: '#c0392b' },
              },
            ],
          },
          true,
        );
      }
      if (series) {
        charts.series.setOption(
          {
            title: title('command.chart.series', wall),
            tooltip: { trigger: 'axis' },
            grid,
            xAxis: { type: 'category', data: series.series.map((b) => b.start.slice(5, 10)) },
            yAxis: { type: 'value' },
            series: [
              {
                type: 'line',
                name: t('command.chart.count'),
                data: series.series.map((b) => b.count),
                areaStyle: { opacity: 0.2 },
                smooth: true,
                showSymbol: series.series.length < 40,
              },
            ],
          },
          true,
        );
      }
    },
    resize,
    dispose() {
      observer.disconnect();
      Object.values(charts).forEach((c) => c.dispose());
    },
  };
}
