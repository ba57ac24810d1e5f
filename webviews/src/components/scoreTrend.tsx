// An analysis's score per day (the cluster's, and the namespace in view), as the store keeps it: the trend every
// insight page shows beside its score.
import { createMemo, Show, type JSX } from 'solid-js';
import type { InsightSource } from '../../../src/shared/insights';
import { api, namespaces } from '../stores/app';
import { createLoader } from '../stores/loader';
import { scopeKey } from '../stores/scope';
import { SeriesChart } from './seriesChart';
import '../styles/findings.css';

export function ScoreTrend(p: {
  source: InsightSource;
  /** What the score measures, for the chart's label: "Security score". */
  label: string;
  /** Reload with the page's data (a fix applied, a rescan). */
  reloadKey?: () => unknown;
  /** In a row beside the score: take the room left. */
  grow?: boolean;
}): JSX.Element {
  const trend = createLoader(
    () =>
      api()
        .call('insights.scores', { source: p.source, days: 30 })
        .catch(() => undefined),
    { key: () => `${scopeKey()}|${String(p.reloadKey?.() ?? '')}` },
  );
  const chosen = () => (namespaces().length === 1 ? namespaces()[0] : undefined);
  const points = () => trend.value()?.points ?? [];
  const days = createMemo(() => [...new Set(points().map((x) => x.day))].sort());
  const line = (ns?: string) =>
    days().map((d) => points().find((x) => x.day === d && x.namespace === ns)?.score ?? null);
  return (
    <div class={`kg-score-trend${p.grow ? ' kg-grow' : ''}`} data-testid="score-trend">
      <Show
        when={days().length > 1}
        fallback={
          <div class="kg-muted kg-small" data-testid="score-trend-empty">
            Trend:{' '}
            {days().length ? 'today is the first day scored; the line starts tomorrow.' : 'no scores stored yet.'}
          </div>
        }
      >
        <SeriesChart
          label={`${p.label} per day`}
          labels={days}
          series={() => [
            { label: 'Cluster', values: line(undefined) },
            ...(chosen() ? [{ label: chosen()!, values: line(chosen()) }] : []),
          ]}
          min={0}
          max={100}
          height={120}
          testId="score-trend-chart"
        />
      </Show>
    </div>
  );
}
