// Incidents by severity; detail with evidence, root cause, timeline and recommended fixes; a fix preview shows the
// diff (server dry run) and the permission check, and applying it streams into the execution panel.
import { createMemo, createSignal, For, Index, onCleanup, Show, type JSX } from 'solid-js';
import type { Incident, IncidentDetail, IncidentList, RecommendedFix, Severity } from '../../../src/shared/incidents';
import { api, namespaces, navigate, route, toast } from '../stores/app';
import { incidentFeed, inScope } from '../stores/incidents';
import { createLoader } from '../stores/loader';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { FixDialog } from '../components/fixDialog';
import { toApiError } from '../host/apiError';
import { SEVERITY_TONE } from './dashboard';
import { FixOutcomeBadge, FixOutcomeCard, FixTrack } from '../components/fixOutcome';
import '../styles/fixes.css';
import { When } from '../ui/when';

const ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function Incidents(): JSX.Element {
  const [status, setStatus] = createSignal<'open' | 'resolved' | 'all'>('open');
  const [sev, setSev] = createSignal<Severity[]>([]);
  const [q, setQ] = createSignal('');
  // Open incidents (and every count) come from the one feed the sidebar and dashboard read; resolved ones are asked for.
  const feed = incidentFeed();
  const list = createLoader<IncidentList | undefined>(
    async () => (status() === 'open' ? undefined : api().call('incidents.list', { status: status() })),
    { refreshMs: 10_000 },
  );
  const shown = () =>
    status() === 'open' ? feed.open() : list.value() && inScope(list.value()!.incidents, namespaces());
  const failed = () => (status() === 'open' ? feed.error() : list.error());
  const rows = createMemo(() => {
    const text = q().toLowerCase();
    return (shown() ?? [])
      .filter(
        (i) =>
          (status() === 'all' || i.status === status()) &&
          (!sev().length || sev().includes(i.severity)) &&
          (!text ||
            `${i.title} ${i.type} ${i.resource.namespace ?? ''} ${i.resource.name}`.toLowerCase().includes(text)),
      )
      .sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || b.lastSeen.localeCompare(a.lastSeen));
  });
  const selected = () => route().params.id;
  const select = (id?: string) => navigate('incidents', id ? { id } : {});
  const rescan = async () => {
    try {
      await api().call('incidents.refresh', {});
      await Promise.all([list.reload(), feed.reload()]);
      toast('Incidents rescanned', 'ok');
    } catch (e) {
      toast(`Rescan failed: ${toApiError(e).message}`, 'danger');
    }
  };
  const toggleSev = (s: Severity) => setSev((x) => (x.includes(s) ? x.filter((y) => y !== s) : [...x, s]));
  return (
    <div class="kg-page" data-testid="page-incidents">
      <div class="kg-page-head">
        <h1>Incidents</h1>
        <Show when={feed.counts()}>
          {(c) => (
            <span class="kg-chips" role="group" aria-label="Filter by severity (open incidents)">
              <For each={['critical', 'high', 'medium', 'low'] as Severity[]}>
                {(s) => (
                  <button
                    class="kg-chip kg-chip-btn"
                    aria-pressed={sev().includes(s)}
                    onClick={() => toggleSev(s)}
                    data-testid={`sev-${s}`}
                  >
                    <span class={`kg-dot kg-tone-${SEVERITY_TONE[s]}`} /> {s}{' '}
                    <span class="kg-muted" data-testid={`sev-${s}-count`}>
                      {c().bySeverity[s]}
                    </span>
                  </button>
                )}
              </For>
            </span>
          )}
        </Show>
        <Show when={feed.counts() && !feed.synced()}>
          <Badge tone="warn" title="Detection has not seen every kind yet">
            syncing
          </Badge>
        </Show>
      </div>
      <div class="kg-toolbar">
        <input
          class="kg-input kg-grow"
          type="search"
          placeholder="Filter incidents"
          aria-label="Filter incidents"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="incident-filter"
        />
        <select
          aria-label="Status"
          value={status()}
          onChange={(e) => {
            setStatus(e.currentTarget.value as 'open');
            void list.reload();
          }}
        >
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
        <Button onClick={() => void rescan()}>Rescan</Button>
      </div>
      <div class="kg-split">
        <div class="kg-split-main">
          <Show
            when={!failed() || shown()}
            fallback={
              <ErrorState
                error={failed()}
                retry={() => void (status() === 'open' ? feed.reload() : list.reload())}
                what="incidents"
              />
            }
          >
            <Show when={shown()} fallback={<Loading label="Loading incidents…" />}>
              <Show
                when={rows().length}
                fallback={
                  <Empty
                    title={status() === 'open' ? 'No open incidents' : 'No incidents'}
                    hint="Faults such as crash loops, OOM kills and image pull errors appear here as they happen."
                  />
                }
              >
                <table class="kg-simple-table" data-testid="incident-table">
                  <thead>
                    <tr>
                      <th>Severity</th>
                      <th>Incident</th>
                      <th>Object</th>
                      <th>Seen</th>
                      <th>Count</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(i) => (
                        <tr
                          classList={{ 'kg-active': selected() === i.id }}
                          data-testid="incident-row"
                          tabIndex={0}
                          onClick={() => select(i.id)}
                          onKeyDown={(e) => e.key === 'Enter' && select(i.id)}
                        >
                          <td>
                            <Badge tone={SEVERITY_TONE[i.severity]}>{i.severity}</Badge>
                          </td>
                          <td>
                            <strong>{i.title}</strong>
                            <div class="kg-muted">
                              {i.type} <FixOutcomeBadge v={i.fixVerification} />
                            </div>
                          </td>
                          <td>
                            {i.resource.kind}/{i.resource.namespace ? `${i.resource.namespace}/` : ''}
                            {i.resource.name}
                          </td>
                          <td class="kg-muted">
                            <When at={i.lastSeen} testId="incident-seen" />
                          </td>
                          <td>{i.occurrences}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </Show>
          </Show>
        </div>
        <Show when={selected()} keyed>
          {(id) => <IncidentDetailView id={id} summary={shown()?.find((i) => i.id === id)} onClose={() => select()} />}
        </Show>
      </div>
    </div>
  );
}

function IncidentDetailView(p: { id: string; summary?: Incident; onClose: () => void }): JSX.Element {
  const detail = createLoader<IncidentDetail>(() => api().call('incidents.get', { id: p.id }));
  // A fix's verdict arrives after the fix: refreshed while one is being verified.
  const verifying = setInterval(
    () => detail.value()?.fixVerification?.outcome === 'verifying' && void detail.reload(),
    3000,
  );
  onCleanup(() => clearInterval(verifying));
  const [fix, setFix] = createSignal<RecommendedFix | undefined>();
  const inc = () => detail.value() ?? (p.summary as IncidentDetail | undefined);
  return (
    <aside class="kg-split-side" aria-label="Incident details" data-testid="incident-detail">
      <header class="kg-drawer-head">
        <h2>{inc()?.title ?? p.id}</h2>
        <button class="kg-icon-btn" aria-label="Close incident" onClick={() => p.onClose()}>
          ✕
        </button>
      </header>
      <Show
        when={!detail.error() || inc()}
        fallback={<ErrorState error={detail.error()} retry={detail.reload} what="the incident" />}
      >
        <Show when={inc()} fallback={<Loading />}>
          {(i) => (
            <div class="kg-incident">
              <p>
                <Badge tone={SEVERITY_TONE[i().severity]}>{i().severity}</Badge>{' '}
                <Badge tone={i().status === 'open' ? 'warn' : 'ok'}>{i().status}</Badge>{' '}
                <span class="kg-muted">
                  first seen <When at={i().firstSeen} /> · {i().occurrences}×
                </span>
              </p>
              <p>{i().description}</p>
              <Show when={i().fixVerification}>
                {(v) => (
                  <FixOutcomeCard
                    v={v()}
                    canFix={(id) => i().status === 'open' && i().recommendedFixes.some((f) => f.id === id)}
                    onFix={(id) => setFix(i().recommendedFixes.find((f) => f.id === id))}
                    onUndone={() => void detail.reload()}
                  />
                )}
              </Show>
              <h3>Root cause</h3>
              <p data-testid="root-cause">{i().rootCause}</p>
              <Show when={i().precedingChange}>
                {(c) => (
                  <p class="kg-muted">
                    Preceded by a change: {c().summary} ({new Date(c().time).toLocaleTimeString()})
                  </p>
                )}
              </Show>
              <h3>Evidence</h3>
              <dl class="kg-dl" data-testid="evidence">
                <For
                  each={Object.entries(i().evidence).filter(([, v]) => typeof v === 'string' || typeof v === 'number')}
                >
                  {([k, v]) => (
                    <>
                      <dt>{k}</dt>
                      <dd>{String(v)}</dd>
                    </>
                  )}
                </For>
              </dl>
              <Show when={i().evidence.events.length}>
                <ul class="kg-events">
                  <For each={i().evidence.events.slice(0, 10)}>
                    {(e) => (
                      <li>
                        <Badge tone={e.type === 'Warning' ? 'warn' : 'muted'}>{e.reason}</Badge> {e.message}
                        {e.count && e.count > 1 ? ` ×${e.count}` : ''}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <For each={i().evidence.logs}>
                {(l) => (
                  <details>
                    <summary>
                      Logs of {l.pod}/{l.container}
                      {l.previous ? ' (previous run)' : ''}
                    </summary>
                    <pre class="kg-code">{l.lines.join('\n')}</pre>
                  </details>
                )}
              </For>
              <Show when={detail.value()?.history.length}>
                <h3>Timeline</h3>
                <ol class="kg-timeline" data-testid="timeline">
                  <For each={detail.value()?.history ?? []}>
                    {(h) => (
                      <li>
                        <span class="kg-muted">{new Date(h.time).toLocaleTimeString()}</span>{' '}
                        {h.event.replace('_', ' ')} — {h.detail}
                      </li>
                    )}
                  </For>
                </ol>
              </Show>
              <h3>Recommended fixes</h3>
              <Show
                when={i().recommendedFixes.length}
                fallback={<p class="kg-muted">No automatic fix for this incident; see the runbook.</p>}
              >
                <ul class="kg-list" data-testid="fixes">
                  {/* Index, not For: a refresh while a fix is verified updates the rows in place, keeping focus. */}
                  <Index each={i().recommendedFixes}>
                    {(f) => (
                      <li class="kg-fix">
                        <div>
                          <strong>{f().description}</strong>{' '}
                          <Badge tone={f().risk === 'high' ? 'danger' : f().risk === 'medium' ? 'warn' : 'ok'}>
                            risk {f().risk}
                          </Badge>{' '}
                          <FixTrack track={f().track} />
                        </div>
                        <code class="kg-muted">{f().preview}</code>
                        <Show when={f().rationale}>
                          {(r) => (
                            <p class="kg-muted kg-fix-rationale" data-testid="fix-rationale">
                              {r()}
                            </p>
                          )}
                        </Show>
                        <div>
                          <Button onClick={() => setFix(f())} testId="fix-preview">
                            Preview fix
                          </Button>
                        </div>
                      </li>
                    )}
                  </Index>
                </ul>
              </Show>
              <Show when={detail.value()?.runbook}>
                {(rb) => (
                  <details>
                    <summary>Runbook: {rb().title}</summary>
                    <p>{rb().summary}</p>
                    <ol>
                      <For each={rb().steps}>{(s) => <li>{s}</li>}</For>
                    </ol>
                    <pre class="kg-code">{rb().commands.join('\n')}</pre>
                  </details>
                )}
              </Show>
              <div class="kg-toolbar">
                <Show when={i().resource.kind === 'Pod'}>
                  <Button
                    onClick={() => navigate('pods', { name: i().resource.name, ns: i().resource.namespace ?? '' })}
                  >
                    Open pod
                  </Button>
                </Show>
              </div>
            </div>
          )}
        </Show>
      </Show>
      <Show when={fix()} keyed>
        {(f) => (
          <FixPreviewModal
            incidentId={p.id}
            fix={f}
            onClose={() => setFix(undefined)}
            onApplied={() => void detail.reload()}
          />
        )}
      </Show>
    </aside>
  );
}

function FixPreviewModal(p: {
  incidentId: string;
  fix: RecommendedFix;
  onClose: () => void;
  onApplied: () => void;
}): JSX.Element {
  return (
    <FixDialog
      title={p.fix.description}
      target={p.fix.target}
      about={
        <>
          impact {p.fix.impact} · risk {p.fix.risk}
        </>
      }
      preview={() => api().call('incidents.fixPreview', { incidentId: p.incidentId, fixId: p.fix.id })}
      apply={() => api().call('incidents.fixApply', { incidentId: p.incidentId, fixId: p.fix.id, confirm: true })}
      onClose={p.onClose}
      onApplied={p.onApplied}
    />
  );
}
