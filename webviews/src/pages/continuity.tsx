// Continuity: what one lost pod, node or zone, one drain or one deleted claim would take down, grouped as an on-call
// engineer thinks of it (availability, disruption, placement, data and backups), each with its object, why it matters
// and its fix; and Velero's backups per namespace holding data. Follows the header's namespace picker.
import { createMemo, For, Show, type JSX } from 'solid-js';
import { FindingList } from '../components/findings';
import { api } from '../stores/app';
import { createLoader } from '../stores/loader';
import { oneNamespace, scopeKey } from '../stores/scope';
import { Badge } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { openObject } from './cost';
import '../styles/insightsPages.css';
import '../styles/inlineLink.css';
import { ScoreTrend } from '../components/scoreTrend';

const FAMILIES = ['Availability', 'Disruption', 'Placement', 'Data & backups'];

const age = (h?: number) =>
  h === undefined
    ? 'never'
    : h >= 48
      ? `${Math.round(h / 24)} days ago`
      : h >= 1
        ? `${Math.round(h)} h ago`
        : 'just now';

export function ContinuityPage(): JSX.Element {
  const data = createLoader(() => api().call('continuity.summary', { namespace: oneNamespace() }), { key: scopeKey });
  const groups = createMemo(() => {
    const f = data.value()?.findings ?? [];
    return FAMILIES.map((family) => ({
      family,
      list: f.filter((x) => x.family === family),
    }));
  });
  return (
    <div class="kg-page" data-testid="page-continuity">
      <div class="kg-page-head">
        <h1>Continuity</h1>
      </div>
      <Show when={!data.error()} fallback={<ErrorState error={data.error()} retry={data.reload} what="continuity" />}>
        <Show when={data.value()} fallback={<Loading label="Checking replicas, budgets and backups…" />}>
          {(s) => (
            <>
              <ScoreTrend source="continuity" label="Continuity score" reloadKey={() => data.value()} />
              <div class="kg-cards">
                <div class="kg-card" data-testid="continuity-score">
                  <div class="kg-card-title">Score</div>
                  <div class="kg-card-value">{s().score}</div>
                  <div class="kg-card-sub">
                    share of {s().workloads} workloads without an availability, disruption or placement risk
                  </div>
                </div>
                <div class="kg-card">
                  <div class="kg-card-title">Single replica</div>
                  <div class="kg-card-value">{s().singleReplica.length}</div>
                  <div class="kg-card-sub">{s().withoutPdb.length} replicated without a disruption budget</div>
                </div>
                <div class="kg-card">
                  <div class="kg-card-title">Data</div>
                  <div class="kg-card-value">{s().volumes.boundClaims}</div>
                  <div class="kg-card-sub">
                    bound claims · {s().volumes.deleteReclaim.length} deleted with their claim ·{' '}
                    {s().volumes.snapshotClasses.length || 'no'} snapshot class
                    {s().volumes.snapshotClasses.length === 1 ? '' : 'es'}
                  </div>
                </div>
                <div class="kg-card">
                  <div class="kg-card-title">Zones</div>
                  <div class="kg-card-value">{s().zones.length}</div>
                  <div class="kg-card-sub">{s().zones.join(', ') || 'nodes carry no zone label'}</div>
                </div>
              </div>

              <h2>Risks</h2>
              <p class="kg-muted" data-testid="continuity-families">
                <For each={groups()}>
                  {(g, i) => (
                    <>
                      {i() ? ' · ' : ''}
                      {g.family} <strong>{g.list.length}</strong>
                    </>
                  )}
                </For>
              </p>
              <FindingList
                findings={s().findings}
                onChanged={() => void data.reload()}
                emptyTitle="No continuity risk found"
              />

              <h2>Backups</h2>
              <Show
                when={s().backups.velero}
                fallback={
                  <Empty
                    title="Velero is not installed"
                    hint="Without a backup tool, a deleted namespace or a lost disk cannot be restored. Install Velero and schedule backups of the namespaces holding data."
                  />
                }
              >
                <table class="kg-simple-table kg-insight-table" data-testid="continuity-backups">
                  <thead>
                    <tr>
                      <th>Namespace</th>
                      <th class="kg-num">Claims</th>
                      <th>Schedules</th>
                      <th>Last successful backup</th>
                      <th>Last attempt</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={s().backups.namespaces}>
                      {(n) => (
                        <tr data-testid="backup-row" data-namespace={n.namespace}>
                          <td>
                            <button
                              class="kg-inline-link"
                              onClick={() => openObject({ kind: 'Namespace', name: n.namespace })}
                            >
                              <strong>{n.namespace}</strong>
                            </button>
                          </td>
                          <td class="kg-num">{n.claims}</td>
                          <td>{n.schedules.join(', ') || <Badge tone="danger">none</Badge>}</td>
                          <td data-testid="backup-age">
                            <Badge
                              tone={n.ageHours === undefined || n.ageHours > s().backups.maxAgeHours ? 'danger' : 'ok'}
                            >
                              {age(n.ageHours)}
                            </Badge>{' '}
                            <span class="kg-muted kg-small">{n.lastSuccess?.backup}</span>
                          </td>
                          <td>
                            <Show when={n.lastAttempt} fallback="—">
                              {(a) => (
                                <>
                                  <Badge
                                    tone={
                                      a().phase === 'Completed' ? 'ok' : a().phase === 'InProgress' ? 'info' : 'danger'
                                    }
                                  >
                                    {a().phase}
                                  </Badge>{' '}
                                  <When at={a().at} />
                                </>
                              )}
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <h3>Schedules</h3>
                <table class="kg-simple-table kg-insight-table" data-testid="continuity-schedules">
                  <thead>
                    <tr>
                      <th>Schedule</th>
                      <th>Cron</th>
                      <th>Namespaces</th>
                      <th>Retention</th>
                      <th>Last backup</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={s().backups.schedules}>
                      {(x) => (
                        <tr>
                          <td>
                            <strong>{x.name}</strong>{' '}
                            <Show when={x.paused}>
                              <Badge tone="warn">paused</Badge>
                            </Show>
                          </td>
                          <td>
                            <code>{x.schedule}</code>
                          </td>
                          <td>{x.includedNamespaces.join(', ') || 'all'}</td>
                          <td>{x.ttl ?? '—'}</td>
                          <td>
                            <When at={x.lastBackup} />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}
