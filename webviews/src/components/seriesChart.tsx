// A Chart.js chart of several lines over the same time axis (one per GPU, node or run), for comparing series rather
// than showing one total (lineChart.tsx fills its areas; here lines stay thin so eight of them remain readable).
// Colours work on dark and light themes; axis text and grid follow the theme's variables. The newest value of each
// series is in the accessible label, and the container says how many points it plots.
import {
  Chart,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { createEffect, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';
import { theme } from '../stores/app';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** Eight colours that keep their contrast on both a dark and a white background. */
export const SERIES_COLORS = ['#3b82f6', '#f97316', '#10b981', '#a855f7', '#ef4444', '#0891b2', '#ca8a04', '#db2777'];

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color?: string;
}

export function SeriesChart(p: {
  labels: () => string[];
  series: () => ChartSeries[];
  /** Appended to values on the axis and in tooltips ("%", " W"). */
  unit?: string;
  min?: number;
  max?: number;
  /** Whether the value axis starts at zero (default); off for scores that move in a narrow band. */
  zero?: boolean;
  suggestedMax?: number;
  decimals?: number;
  /** What the chart shows, for screen readers (the newest values are added). */
  label: string;
  height?: number;
  testId?: string;
  /** Steps ("step 3") rather than times on the x axis: shown as given. */
  xTitle?: string;
}): JSX.Element {
  let canvas!: HTMLCanvasElement;
  let box!: HTMLDivElement;
  let chart: Chart<'line', Array<number | null>, string> | undefined;
  const css = (v: string, d: string) => getComputedStyle(document.body).getPropertyValue(v).trim() || d;
  const fmt = (v: number) => `${v.toFixed(p.decimals ?? 0)}${p.unit ?? ''}`;
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
          y: {
            min: p.min,
            max: p.max,
            beginAtZero: p.zero !== false,
            suggestedMax: p.suggestedMax,
            // Tick steps like 0.1 add up to 0.9000000000000001: round away the float noise.
            ticks: { callback: (v) => `${Number(Number(v).toPrecision(6))}${p.unit ?? ''}`, maxTicksLimit: 6 },
          },
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0 }, title: { display: !!p.xTitle, text: p.xTitle ?? '' } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, padding: 10 } },
          tooltip: {
            callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.y === null ? '—' : fmt(c.parsed.y)}` },
          },
        },
      },
    });
  });
  // Theme colours are read once the new theme's variables apply (the theme signal changes just before the body's
  // class does), so a switch never leaves the previous theme's text colour on the new background.
  const [themed, setThemed] = createSignal(0);
  createEffect(
    on(
      theme,
      () => {
        queueMicrotask(() => setThemed((n) => n + 1));
      },
      { defer: true },
    ),
  );
  // Inside VS Code the editor switches themes by the body's class, not our signal.
  const watch = new MutationObserver(() => setThemed((n) => n + 1));
  watch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  onCleanup(() => watch.disconnect());
  createEffect(() => {
    themed();
    const labels = p.labels();
    const series = p.series();
    if (!chart) return;
    const fg = css('--vscode-foreground', '#ccc');
    const muted = css('--vscode-descriptionForeground', fg);
    const grid = document.body.classList.contains('vscode-light') ? 'rgba(0,0,0,0.08)' : 'rgba(255,255,255,0.08)';
    chart.data.labels = labels;
    chart.data.datasets = series.map((s, i) => {
      const color = s.color ?? SERIES_COLORS[i % SERIES_COLORS.length];
      return {
        label: s.label,
        data: s.values,
        borderColor: color,
        backgroundColor: color,
        fill: false,
        // One point alone would be invisible as a line: show dots until there is a line to draw.
        pointRadius: labels.length < 3 ? 3 : 0,
        pointHoverRadius: 4,
        tension: 0.2,
        borderWidth: 2,
        spanGaps: true,
      };
    });
    for (const axis of ['x', 'y'] as const) {
      const sc = chart.options.scales?.[axis];
      if (sc) {
        sc.ticks = { ...sc.ticks, color: muted };
        sc.grid = { ...sc.grid, color: grid };
        if ('title' in sc && sc.title) sc.title = { ...sc.title, color: muted };
      }
    }
    if (chart.options.plugins?.legend?.labels) chart.options.plugins.legend.labels.color = fg;
    chart.update('none');
    box.dataset.points = String(labels.length);
    box.dataset.series = String(series.length);
    const newest = series
      .map((s) => {
        const v = [...s.values].reverse().find((x) => x !== null && x !== undefined);
        return `${s.label} ${v === undefined || v === null ? 'no reading' : fmt(v)}`;
      })
      .join(', ');
    canvas.setAttribute('aria-label', `${p.label}${newest ? `. Latest: ${newest}` : ''}`);
  });
  onCleanup(() => chart?.destroy());
  return (
    <div ref={box} class="kg-chart" style={{ height: `${p.height ?? 220}px` }} data-testid={p.testId}>
      <canvas ref={canvas} role="img" aria-label={p.label} />
    </div>
  );
}
