// What the metrics history says is unusual or coming: samples far from a container's own mean (anomalies, charted as
// their score over time), and trends that will end badly (memory growing toward its limit, incidents that keep
// coming back), each with the evidence it rests on in words, its object and how sure it is. Follows the namespace
// picker.
import { createMemo, For, Show, type JSX } from 'solid-js';
import type { Anomaly, Prediction } from '../../../src/shared/incidents';
import { api, namespaces, navigate } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope } from '../stores/scope';
import { timeAgo } from '../stores/clock';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { SeriesChart } from '../components/seriesChart';
import { ObjectLink } from '../components/objectLink';
import { bytes, cpu, until } from '../model/insightFormat';
import '../styles/insightsPages.css';

const PREDICTION_TITLE: Record<Prediction['kind'], string> = {
  memory_exhaustion: 'Memory will run out',
  restart_acceleration: 'Restarts are speeding up',
  recurring_incident: 'This incident keeps coming back',
};
const PREDICTION_BASIS: Record<Prediction['kind'], string> = {
  memory_exhaustion:
    'A straight line fitted through the container’s memory samples, extended until it meets the memory limit. It holds only while the growth stays steady; a restart or a drop in load resets it.',
  restart_acceleration: 'The time between restarts has been getting shorter over the recent restarts.',
  recurring_incident:
    'The same kind of incident opened on this workload at least three times; KubeGraf learned the pattern from the incident history.',
};

const value = (a: Anomaly, v: number) => (a.metric === 'cpu' ? cpu(v) : bytes(v));
const pct = (r: number) => `${Math.round(r * 100)}%`;
/** How far from usual, in words a reader can act on: "3.4× its usual 120 MiB". */
const howFar = (a: Anomaly) =>
  a.mean > 0 && a.value > a.mean
    ? `${(a.value / a.mean).toFixed(1)}× its usual ${value(a, a.mean)}`
    : `${value(a, a.value)} against a usual ${value(a, a.mean)}`;

export function AnomaliesPage(): JSX.Element {
  const summary = createLoader(() => api().call('brain.ml.summary', {}), { refreshMs: 30_000 });
  const preds = createLoader(() => api().call('brain.ml.predictions', {}), { refreshMs: 30_000 });
  const timeline = createLoader(() => api().call('brain.ml.timeline', {}), { refreshMs: 30_000 });
  const scoped = <T extends { object: { namespace?: string } }>(l: T[] | undefined) =>
    (l ?? []).filter((x) => inScope(x.object.namespace, namespaces()));
  const anomalies = createMemo(() => scoped(timeline.value()?.anomalies));
  const predictions = createMemo(() => scoped(preds.value()?.predictions));
  // Anomaly score over time: the largest deviation (in standard deviations) per interval, per metric; 0 where
  // nothing was unusual.
  const chart = createMemo(() => {
    const list = anomalies();
    if (!list.length) return { labels: [] as string[], cpu: [] as number[], memory: [] as number[] };
    const times = list.map((a) => Date.parse(a.time));
    const end = Math.max(Date.now(), ...times);
    const start = Math.min(...times);
    const n = 30;
    const step = Math.max(60_000, Math.ceil((end - start) / (n - 1)));
    const cpuV = Array<number>(n).fill(0);
    const memV = Array<number>(n).fill(0);
    for (const a of list) {
      const i = Math.min(n - 1, Math.floor((Date.parse(a.time) - start) / step));
      const arr = a.metric === 'cpu' ? cpuV : memV;
      arr[i] = Math.max(arr[i], Math.round(Math.abs(a.zScore) * 10) / 10);
    }
    const labels = Array.from({ length: n }, (_, i) =>
      new Date(start + i * step).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
    );
    return { labels, cpu: cpuV, memory: memV };
  });
  // The objects with the most unusual samples, most unusual first.
  const byObject = createMemo(() => {
    const m = new Map<string, { a: Anomaly; count: number; worst: number }>();
    for (const a of anomalies()) {
      const key = `${a.object.namespace}/${a.object.name}/${a.metric}`;
      const r = m.get(key);
      if (!r) m.set(key, { a, count: 1, worst: Math.abs(a.zScore) });
      else {
        r.count++;
        if (Math.abs(a.zScore) > r.worst) {
          r.worst = Math.abs(a.zScore);
          r.a = a;
        }
      }
    }
    return [...m.values()].sort((x, y) => y.worst - x.worst).slice(0, 12);
  });
  // Too few samples yet to know what is usual: how many there are, and when there will be enough.
  const learning = () => {
    const x = summary.value();
    if (!x?.metricsAvailable || x.samples >= x.minSamples || !x.intervalMs) return undefined;
    const secs = Math.round(x.intervalMs / 1000);
    const wait = Math.ceil(((x.minSamples - x.samples) * x.intervalMs) / 60_000);
    return {
      samples: x.samples,
      min: x.minSamples,
      every: secs === 1 ? 'second' : `${secs} seconds`,
      ready: wait <= 1 ? 'within a minute' : `in about ${wait} minutes`,
    };
  };
  const maxZ = () => Math.max(3, ...byObject().map((r) => r.worst));
  const s = () => summary.value();
  return (
    <div class="kg-page" data-testid="page-anomalies">
      <div class="kg-page-head">
        <h1>Anomalies and predictions</h1>
        <Show when={s()}>
          {(x) => (
            <span class="kg-muted" data-testid="anomalies-basis">
              {x().metricsAvailable
                ? `${x().seriesAnalysed.toLocaleString('en-US')} container metric series analysed`
                : 'No metrics yet: the metrics server is not answering'}
            </span>
          )}
        </Show>
        <Button
          onClick={() => {
            void summary.reload();
            void preds.reload();
            void timeline.reload();
          }}
          label="Refresh"
        >
          Refresh
        </Button>
      </div>
      <Show
        when={!timeline.error() || timeline.value()}
        fallback={<ErrorState error={timeline.error()} retry={timeline.reload} what="the anomalies" />}
      >
        <Show when={timeline.value() && preds.value()} fallback={<Loading label="Reading the metrics history…" />}>
          <div class="kg-chips" data-testid="anomalies-summary">
            <span class="kg-chip">
              {anomalies().length} unusual sample{anomalies().length === 1 ? '' : 's'}
            </span>
            <span class="kg-chip">
              {predictions().length} prediction{predictions().length === 1 ? '' : 's'}
            </span>
            <Show when={namespaces().length}>
              <span class="kg-chip">in {namespaces().join(', ')}</span>
            </Show>
          </div>
          <section class="kg-insight-card" aria-label="Predictions">
            <h2>Predictions</h2>
            <Show
              when={predictions().length}
              fallback={
                <p class="kg-muted" data-testid="predictions-empty">
                  No trend points to trouble: no container’s memory is growing toward its limit within six hours, and no
                  incident has come back three times.
                </p>
              }
            >
              <div class="kg-insight-grid" data-testid="predictions">
                <For each={predictions()}>
                  {(p) => (
                    <article class="kg-prediction" data-testid="prediction" data-kind={p.kind}>
                      <header>
                        <Badge tone={p.kind === 'memory_exhaustion' ? 'danger' : 'warn'}>
                          {PREDICTION_TITLE[p.kind]}
                        </Badge>
                        <Show when={p.eta}>
                          <strong data-testid="prediction-eta">{until(p.eta!)}</strong>
                        </Show>
                      </header>
                      <div>
                        <ObjectLink object={p.object} testId="prediction-object" />
                        <Show when={p.container}>
                          <span class="kg-muted"> · container {p.container}</span>
                        </Show>
                      </div>
                      <p>{p.description.charAt(0).toUpperCase() + p.description.slice(1)}.</p>
                      <div class="kg-confidence" title="How sure the prediction is">
                        <span>Confidence {pct(p.confidence)}</span>
                        <meter min="0" max="1" value={p.confidence} aria-label={`Confidence ${pct(p.confidence)}`} />
                      </div>
                      <p class="kg-muted kg-basis">
                        <strong>Why:</strong> {PREDICTION_BASIS[p.kind]}
                      </p>
                    </article>
                  )}
                </For>
              </div>
            </Show>
            <Show when={preds.value()?.basis}>
              <p class="kg-muted" data-testid="predictions-basis">
                Based on {preds.value()!.basis.charAt(0).toLowerCase() + preds.value()!.basis.slice(1)}
              </p>
            </Show>
          </section>
          <section class="kg-insight-card" aria-label="Anomaly scores over time">
            <h2>Anomaly score over time</h2>
            <p class="kg-muted">
              How far the most unusual sample of each interval was from its container’s own average, in standard
              deviations (3 or more counts as an anomaly).
            </p>
            <Show
              when={anomalies().length}
              fallback={
                <Show
                  when={learning()}
                  fallback={
                    <Empty
                      title="Nothing unusual in the metrics history"
                      hint="An anomaly is a CPU or memory sample more than 3 standard deviations from its container's own average; it needs at least 10 samples of the container."
                    />
                  }
                >
                  {(l) => (
                    <Empty
                      title={`Learning what is usual: ${l().samples} of ${l().min} samples`}
                      hint={`An anomaly is a CPU or memory sample more than 3 standard deviations from its container's own average, so each container needs ${l().min} samples first. One comes every ${l().every}; the first anomalies can show ${l().ready}.`}
                    />
                  )}
                </Show>
              }
            >
              <SeriesChart
                labels={() => chart().labels}
                series={() => [
                  { label: 'CPU', values: chart().cpu, color: '#3b82f6' },
                  { label: 'Memory', values: chart().memory, color: '#a855f7' },
                ]}
                unit="σ"
                decimals={1}
                label="Largest anomaly score per interval, CPU and memory"
                height={220}
                testId="anomalies-chart"
              />
              <h3>Most unusual</h3>
              <ul class="kg-anomaly-bars" data-testid="anomalies-objects">
                <For each={byObject()}>
                  {(r) => (
                    <li data-testid="anomaly-object">
                      <div class="kg-anomaly-label">
                        <ObjectLink object={r.a.object} showKind={false} />
                        <span class="kg-muted">
                          {' '}
                          {r.a.metric === 'cpu' ? 'CPU' : 'memory'} {r.a.zScore > 0 ? 'spike' : 'drop'}: {howFar(r.a)},{' '}
                          {r.count} time{r.count === 1 ? '' : 's'}, last {timeAgo(r.a.time)}
                        </span>
                      </div>
                      <div
                        class={`kg-anomaly-bar kg-anomaly-${r.a.metric}`}
                        style={{ width: `${Math.round((r.worst / maxZ()) * 100)}%` }}
                        title={`${r.worst.toFixed(1)} standard deviations from usual`}
                      >
                        {r.worst.toFixed(1)}σ
                      </div>
                    </li>
                  )}
                </For>
              </ul>
              <p class="kg-muted">
                Newest: <When at={anomalies()[0]?.time} />.{' '}
                <button class="kg-inline-link" onClick={() => navigate('metrics')}>
                  Open Metrics
                </button>
              </p>
            </Show>
          </section>
        </Show>
      </Show>
    </div>
  );
}
