// A Chart.js horizontal bar chart of a few named values (cost by namespace), in the theme's colours. The values are
// in the accessible label too.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { createEffect, onCleanup, onMount, type JSX } from 'solid-js';
import { SERIES_COLORS } from './seriesChart';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export function BarChart(p: {
  labels: () => string[];
  values: () => number[];
  format: (v: number) => string;
  label: string;
  height?: number;
  testId?: string;
  onPick?: (label: string) => void;
}): JSX.Element {
  let canvas!: HTMLCanvasElement;
  let chart: Chart<'bar', number[], string> | undefined;
  const css = (v: string, d: string) => getComputedStyle(document.body).getPropertyValue(v).trim() || d;
  onMount(() => {
    chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => p.format(Number(c.parsed.x)) } } },
        scales: { x: { beginAtZero: true, ticks: { callback: (v) => p.format(Number(v)), maxTicksLimit: 6 } } },
        onClick: (_e, els) => {
          const i = els[0]?.index;
          if (i !== undefined && p.onPick) p.onPick(p.labels()[i]);
        },
      },
    });
  });
  createEffect(() => {
    const labels = p.labels();
    const values = p.values();
    if (!chart) return;
    const muted = css('--vscode-descriptionForeground', '#999');
    chart.data.labels = labels;
    chart.data.datasets = [{ data: values, backgroundColor: SERIES_COLORS[0], borderRadius: 3 }];
    for (const axis of ['x', 'y'] as const) {
      const sc = chart.options.scales?.[axis];
      if (sc) sc.ticks = { ...sc.ticks, color: muted };
    }
    chart.update('none');
    canvas.setAttribute('aria-label', `${p.label}: ${labels.map((l, i) => `${l} ${p.format(values[i])}`).join(', ')}`);
  });
  onCleanup(() => chart?.destroy());
  return (
    <div class="kg-chart" style={{ height: `${p.height ?? 220}px` }} data-testid={p.testId}>
      <canvas ref={canvas} role="img" aria-label={p.label} />
    </div>
  );
}
