// The SRE agent: what it sees now (open incidents, from the same feed as the sidebar and the incident list, so the
// numbers agree), what changed, memory pressure, and what it did or declined on its own. Its limits are set on the
// AI Agents page.
import { For, Show, type JSX } from 'solid-js';
import type {
  BrainSummary,
  OomInsight,
  RemediationDecision,
  RemediationStatus,
  Severity,
} from '../../../src/shared/incidents';
import { api, navigate } from '../stores/app';
import { createLoader } from '../stores/loader';
import { incidentFeed } from '../stores/incidents';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { SEVERITY_TONE, severityLine } from './dashboard';
import '../styles/aiAgents.css';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

/** The brain's score, from the counts every page shows. */
export const healthOf = (by: Record<Severity, number>): number =>
  Math.max(0, 100 - by.critical * 20 - by.high * 10 - by.medium * 4 - by.low);

export function SreAgent(): JSX.Element {
  const feed = incidentFeed();
  const brain = createLoader<BrainSummary>(() => api().call('brain.summary', {}), { refreshMs: 30_000 });
  const oom = createLoader<{ insights: OomInsight[] }>(() => api().call('brain.oomInsights', {}), {
    refreshMs: 60_000,
  });
  const status = createLoader<RemediationStatus>(() => api().call('incidents.remediation.status', {}), {
    refreshMs: 30_000,
  });
  const decisions = createLoader<{ decisions: RemediationDecision[] }>(
    () => api().call('incidents.remediation.decisions', { limit: 10 }),
    { refreshMs: 30_000 },
  );
  const urgent = () =>
    [...(feed.open() ?? [])]
      .sort(
        (a, b) =>
          SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.lastSeen.localeCompare(a.lastSeen),
      )
      .slice(0, 6);
  return (
    <div class="kg-page" data-testid="page-sre-agent">
      <div class="kg-page-head">
        <h1>SRE Agent</h1>
        <Show when={status.value()}>
          {(s) => (
            <Badge tone={s().policy.enabled ? 'ok' : 'muted'} title="Auto-remediation">
              {s().policy.enabled ? 'acting on its own, within limits' : 'watching only (acts when you say so)'}
            </Badge>
          )}
        </Show>
        <div class="kg-grow" />
        <Button onClick={() => navigate('ai-agents')} testId="sre-configure">
          Limits and tools…
        </Button>
      </div>
      <section class="kg-cards" aria-label="What the agent sees">
        <button class="kg-card" onClick={() => navigate('incidents')} data-testid="sre-open">
          <span class="kg-card-title">Open incidents</span>
          <span class="kg-card-value" data-testid="sre-open-count">
            {feed.counts()?.total ?? (feed.error() ? '–' : '…')}
          </span>
          <span class="kg-muted kg-card-sub" data-testid="sre-severity">
            {feed.counts() ? severityLine(feed.counts()!.bySeverity) : ''}
          </span>
        </button>
        <div class="kg-card">
          <span class="kg-card-title">Health</span>
          <span class="kg-card-value" data-testid="sre-health">
            {feed.counts() ? healthOf(feed.counts()!.bySeverity) : '…'}
          </span>
          <span class="kg-muted kg-card-sub">score of 100, from open incidents</span>
        </div>
        <div class="kg-card">
          <span class="kg-card-title">Actions in the last hour</span>
          <span class="kg-card-value">{status.value() ? `${status.value()!.actionsLastHour}` : '…'}</span>
          <span class="kg-muted kg-card-sub">
            {status.value() ? `at most ${status.value()!.policy.maxActionsPerHour}` : ''}
          </span>
        </div>
      </section>
      <div class="kg-grid2">
        <section class="kg-panel">
          <h2>Most urgent</h2>
          <Show
            when={!feed.error() || feed.open()}
            fallback={<ErrorState error={feed.error()} retry={feed.reload} what="incidents" />}
          >
            <Show when={feed.open()} fallback={<Loading />}>
              <Show
                when={urgent().length}
                fallback={<Empty title="No open incidents" hint="Nothing needs attention right now." />}
              >
                <ul class="kg-list" data-testid="sre-urgent">
                  <For each={urgent()}>
                    {(i) => (
                      <li>
                        <Badge tone={SEVERITY_TONE[i.severity]}>{i.severity}</Badge>{' '}
                        <button class="kg-link" onClick={() => navigate('incidents', { id: i.id })}>
                          {i.title}
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </Show>
          </Show>
        </section>
        <section class="kg-panel">
          <h2>Changes in the last 24 hours</h2>
          <Show
            when={!brain.error()}
            fallback={<ErrorState error={brain.error()} retry={brain.reload} what="recent changes" />}
          >
            <Show when={brain.value()} fallback={<Loading />}>
              {(b) => (
                <Show
                  when={b().recentChanges.length}
                  fallback={
                    <Empty title="No changes seen" hint="Rollouts, config edits, scaling and node changes show here." />
                  }
                >
                  <ul class="kg-list">
                    <For each={b().recentChanges}>
                      {(c) => (
                        <li>
                          <span class="kg-muted">{new Date(c.time).toLocaleTimeString()}</span> {c.summary}
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              )}
            </Show>
          </Show>
        </section>
      </div>
      <div class="kg-grid2">
        <section class="kg-panel">
          <h2>Memory pressure</h2>
          <Show
            when={!oom.error()}
            fallback={<ErrorState error={oom.error()} retry={oom.reload} what="memory insights" />}
          >
            <Show when={oom.value()} fallback={<Loading />}>
              {(o) => (
                <Show when={o().insights.length} fallback={<Empty title="No container ran out of memory" />}>
                  <table class="kg-simple-table">
                    <thead>
                      <tr>
                        <th>Workload</th>
                        <th>Container</th>
                        <th>OOM kills</th>
                        <th>Limit</th>
                        <th>Suggestion</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={o().insights}>
                        {(x) => (
                          <tr>
                            <td>
                              {x.workload.namespace ? `${x.workload.namespace}/` : ''}
                              {x.workload.name}
                            </td>
                            <td>{x.container}</td>
                            <td>{x.oomKills}</td>
                            <td>{x.memoryLimit ?? '—'}</td>
                            <td>{x.recommendation}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              )}
            </Show>
          </Show>
        </section>
        <section class="kg-panel">
          <h2>What it did on its own</h2>
          <Show
            when={!decisions.error()}
            fallback={<ErrorState error={decisions.error()} retry={decisions.reload} what="decisions" />}
          >
            <Show when={decisions.value()} fallback={<Loading />}>
              {(d) => (
                <Show
                  when={d().decisions.length}
                  fallback={
                    <Empty
                      title="Nothing yet"
                      hint={
                        status.value()?.policy.enabled
                          ? 'It acts when an incident matches its allowed fixes.'
                          : 'Auto-remediation is off: fixes wait for you.'
                      }
                    />
                  }
                >
                  <ul class="kg-list">
                    <For each={d().decisions}>
                      {(x) => (
                        <li>
                          <Badge tone={x.decision === 'taken' ? 'ok' : 'muted'}>{x.decision}</Badge> {x.reason}
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              )}
            </Show>
          </Show>
        </section>
      </div>
    </div>
  );
}
