// A Chart.js line chart whose series follow a signal. Colours come from the theme's CSS variables.
import {
  Chart,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Filler,
  Legend,
  Tooltip,
} from 'chart.js';
import { createEffect, onCleanup, onMount, type JSX } from 'solid-js';
import { theme } from '../stores/app';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Legend, Tooltip);

export interface Series {
  label: string;
  values: number[];
  color: string;
}

export function LineChart(p: {
  labels: () => string[];
  series: () => Series[];
  max?: number;
  unit?: string;
  label: string;
  testId?: string;
}): JSX.Element {
  let canvas!: HTMLCanvasElement;
  let chart: Chart | undefined;
  const css = (v: string, d: string) => getComputedStyle(document.body).getPropertyValue(v).trim() || d;
  onMount(() => {
    chart = new Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          y: { min: 0, max: p.max, ticks: { callback: (v) => `${v}${p.unit ?? ''}` } },
          x: { ticks: { maxTicksLimit: 6 } },
        },
        plugins: { legend: { labels: { boxWidth: 12 } } },
      },
    });
  });
  createEffect(() => {
    theme();
    const labels = p.labels();
    const series = p.series();
    if (!chart) return;
    const fg = css('--vscode-foreground', '#ccc');
    const grid = css('--vscode-panel-border', 'rgba(128,128,128,.3)');
    chart.data.labels = labels;
    chart.data.datasets = series.map((s) => ({
      label: s.label,
      data: s.values,
      borderColor: s.color,
      backgroundColor: `${s.color}33`,
      fill: true,
      pointRadius: 0,
      tension: 0.25,
      borderWidth: 2,
    }));
    for (const axis of ['x', 'y'] as const) {
      const sc = chart.options.scales?.[axis];
      if (sc) {
        sc.ticks = { ...sc.ticks, color: fg };
        sc.grid = { ...sc.grid, color: grid };
      }
    }
    if (chart.options.plugins?.legend?.labels) chart.options.plugins.legend.labels.color = fg;
    chart.update('none');
  });
  onCleanup(() => chart?.destroy());
  return (
    <div class="kg-chart" data-testid={p.testId}>
      <canvas ref={canvas} role="img" aria-label={p.label} />
    </div>
  );
}
