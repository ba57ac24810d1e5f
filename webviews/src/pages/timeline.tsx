// What happened, over time: incidents opened and resolved, fixes, changes and warning events of the chosen window,
// charted by severity (how much went wrong when) with the entries below, newest first, each linking to its object
// and its incident. Follows the namespace picker (entries about objects of other namespaces are left out).
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { Severity, TimelineEntry } from '../../../src/shared/incidents';
import { api, namespaces, navigate } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope } from '../stores/scope';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { SeriesChart, type ChartSeries } from '../components/seriesChart';
import { ObjectLink } from '../components/objectLink';
import { bucketMs, readableTimes } from '../model/insightFormat';
import '../styles/insightsPages.css';

const WINDOWS = [
  [1, 'Last hour'],
  [6, 'Last 6 hours'],
  [24, 'Last 24 hours'],
  [72, 'Last 3 days'],
  [168, 'Last 7 days'],
  [720, 'Last 30 days'],
] as const;
const KIND_LABEL: Record<TimelineEntry['kind'], string> = {
  incident_opened: 'Incident opened',
  incident_resolved: 'Incident resolved',
  fix: 'Fix',
  change: 'Change',
  event: 'Warning event',
};
const KIND_TONE: Record<TimelineEntry['kind'], 'danger' | 'ok' | 'info' | 'muted' | 'warn'> = {
  incident_opened: 'danger',
  incident_resolved: 'ok',
  fix: 'info',
  change: 'muted',
  event: 'warn',
};
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
const SEVERITY_TONE: Record<Severity, 'danger' | 'warn' | 'info' | 'muted'> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warn',
  low: 'info',
};
const SEVERITY_COLOR: Record<Severity | 'none', string> = {
  critical: '#ef4444',
  high: '#f97316',
  medium: '#ca8a04',
  low: '#3b82f6',
  none: '#10b981',
};
const PAGE = 200;
export function TimelinePage(): JSX.Element {
  const [hours, setHours] = createSignal(24);
  const [kinds, setKinds] = createSignal<Set<TimelineEntry['kind']>>(
    new Set(Object.keys(KIND_LABEL) as TimelineEntry['kind'][]),
  );
  const [text, setText] = createSignal('');
  const [shown, setShown] = createSignal(PAGE);
  const data = createLoader(() => api().call('brain.timeline', { hours: hours() }), { key: hours, refreshMs: 30_000 });
  const scoped = createMemo(() =>
    (data.value()?.entries ?? []).filter((e) => !e.object || inScope(e.object.namespace, namespaces())),
  );
  const entries = createMemo(() => {
    const q = text().trim().toLowerCase();
    return scoped()
      .filter((e) => kinds().has(e.kind))
      .filter((e) => !q || `${e.title} ${e.detail ?? ''} ${e.object?.name ?? ''}`.toLowerCase().includes(q))
      .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  });
  const chart = createMemo(() => {
    const step = bucketMs(hours());
    const end = Math.ceil(Date.now() / step) * step;
    const start = end - Math.ceil((hours() * 3_600_000) / step) * step;
    const n = Math.round((end - start) / step);
    const counts: Record<Severity | 'none', number[]> = {
      critical: Array(n).fill(0),
      high: Array(n).fill(0),
      medium: Array(n).fill(0),
      low: Array(n).fill(0),
      none: Array(n).fill(0),
    };
    for (const e of entries()) {
      const i = Math.floor((Date.parse(e.time) - start) / step);
      if (i >= 0 && i < n) counts[e.severity ?? 'none'][i]++;
    }
    const long = hours() > 24;
    const labels = Array.from({ length: n }, (_, i) => {
      const d = new Date(start + i * step);
      return long
        ? d.toLocaleString(undefined, {
            month: 'short',
            day: 'numeric',
            hour: step < 86_400_000 ? '2-digit' : undefined,
          })
        : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    });
    const series: ChartSeries[] = [
      ...SEVERITIES.filter((s) => counts[s].some((v) => v > 0)).map((s) => ({
        label: SEVERITY_LABEL[s],
        values: counts[s],
        color: SEVERITY_COLOR[s],
      })),
      ...(counts.none.some((v) => v > 0)
        ? [{ label: 'Changes, fixes and events without severity', values: counts.none, color: SEVERITY_COLOR.none }]
        : []),
    ];
    return { labels, series };
  });
  const totals = createMemo(() => {
    const c: Record<string, number> = {};
    for (const e of scoped()) c[e.kind] = (c[e.kind] ?? 0) + 1;
    return c;
  });
  const toggle = (k: TimelineEntry['kind']) =>
    setKinds((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });
  const windowLabel = () => WINDOWS.find((w) => w[0] === hours())?.[1].toLowerCase() ?? `last ${hours()} hours`;
  return (
    <div class="kg-page" data-testid="page-timeline">
      <div class="kg-page-head">
        <h1>Timeline</h1>
        <span class="kg-muted">
          Incidents, fixes, changes and warning events of the {windowLabel()}
          {namespaces().length ? ` in ${namespaces().join(', ')}` : ''}
        </span>
      </div>
      <div class="kg-toolbar">
        <label>
          Window{' '}
          <select
            class="kg-input"
            aria-label="Time window"
            value={hours()}
            onChange={(e) => {
              setHours(Number(e.currentTarget.value));
              setShown(PAGE);
            }}
            data-testid="timeline-hours"
          >
            <For each={WINDOWS}>{([v, l]) => <option value={v}>{l}</option>}</For>
          </select>
        </label>
        <div class="kg-chips" role="group" aria-label="Kinds of entries">
          <For each={Object.keys(KIND_LABEL) as TimelineEntry['kind'][]}>
            {(k) => (
              <button
                class="kg-chip kg-chip-btn"
                aria-pressed={kinds().has(k)}
                onClick={() => toggle(k)}
                data-testid={`timeline-kind-${k}`}
              >
                {KIND_LABEL[k]} <span class="kg-muted">{totals()[k] ?? 0}</span>
              </button>
            )}
          </For>
        </div>
        <input
          class="kg-input"
          type="search"
          placeholder="Filter entries…"
          aria-label="Filter entries by text"
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          data-testid="timeline-filter"
        />
        <Button onClick={() => void data.reload()} label="Refresh the timeline">
          Refresh
        </Button>
      </div>
      <Show
        when={!data.error() || data.value()}
        fallback={<ErrorState error={data.error()} retry={data.reload} what="the timeline" />}
      >
        <Show when={data.value()} fallback={<Loading label="Reading the timeline…" />}>
          <section class="kg-insight-card" aria-label="Entries over time">
            <h2>Entries over time, by severity</h2>
            <SeriesChart
              labels={() => chart().labels}
              series={() => chart().series}
              label={`Timeline entries per ${bucketMs(hours()) >= 3_600_000 ? `${bucketMs(hours()) / 3_600_000} hour(s)` : `${bucketMs(hours()) / 60_000} minutes`} by severity`}
              height={220}
              testId="timeline-chart"
            />
          </section>
          <Show
            when={entries().length}
            fallback={
              <Empty
                title={`Nothing happened in the ${windowLabel()}`}
                hint="Pick a longer window, another namespace, or turn on more kinds of entries."
              />
            }
          >
            <ol class="kg-timeline" data-testid="timeline-list">
              <For each={entries().slice(0, shown())}>
                {(e) => (
                  <li class="kg-timeline-entry" data-testid="timeline-entry" data-kind={e.kind}>
                    <span class="kg-timeline-time">
                      <When at={e.time} />
                    </span>
                    <span
                      class={`kg-timeline-dot kg-tone-${e.severity ? SEVERITY_TONE[e.severity] : KIND_TONE[e.kind]}`}
                    />
                    <div class="kg-timeline-body">
                      <div>
                        <Badge tone={KIND_TONE[e.kind]}>{KIND_LABEL[e.kind]}</Badge>{' '}
                        <Show when={e.severity}>
                          <Badge tone={SEVERITY_TONE[e.severity!]}>{SEVERITY_LABEL[e.severity!]}</Badge>{' '}
                        </Show>
                        <strong>{readableTimes(e.title)}</strong>
                      </div>
                      <Show when={e.detail}>
                        <div class="kg-muted">{readableTimes(e.detail!)}</div>
                      </Show>
                      <div class="kg-timeline-links">
                        <Show when={e.object}>{(o) => <ObjectLink object={o()} testId="timeline-object" />}</Show>
                        <Show when={e.incidentId}>
                          <button
                            class="kg-inline-link"
                            onClick={() => navigate('incidents', { id: e.incidentId! })}
                            data-testid="timeline-incident"
                          >
                            Open the incident
                          </button>
                        </Show>
                      </div>
                    </div>
                  </li>
                )}
              </For>
            </ol>
            <Show when={entries().length > shown()}>
              <Button onClick={() => setShown((n) => n + PAGE)} testId="timeline-more">
                Show {Math.min(PAGE, entries().length - shown())} more of {entries().length - shown()}
              </Button>
            </Show>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
