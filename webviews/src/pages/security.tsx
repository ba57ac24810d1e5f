// Security: the cluster's (or the chosen namespace's) score with its daily trend, every finding grouped by family with
// its why and a Fix… through the shared preview and apply path, the Pod Security Standards level each namespace
// enforces against the level its workloads would pass, and RBAC: cluster-admins, unused roles, who reads Secrets, and
// a who-can query for any verb and resource. Follows the namespace picker.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { Finding, FindingSeverity } from '../../../src/shared/insights';
import type { PssLevel, PssNamespace, RbacSummary, WhoCanResult } from '../../../src/shared/security';
import { api, namespaces } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { ErrorState, Loading, Empty } from '../ui/states';
import { Tabs } from '../ui/tabs';
import { compareCells, SortHeader, type TableSort } from '../ui/sortHeader';
import { FindingList, FINDING_TONE } from '../components/findings';
import { ObjectDrawer, type ObjectTarget } from '../components/objectDrawer';
import { ScoreTrend } from '../components/scoreTrend';
import '../styles/security.css';
import '../styles/inlineLink.css';

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';
const scoreTone = (s: number): Tone => (s >= 85 ? 'ok' : s >= 65 ? 'warn' : 'danger');
const LEVEL_TONE: Record<PssLevel, Tone> = { restricted: 'ok', baseline: 'info', privileged: 'danger' };
const SEVERITIES: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];

function ScoreRing(p: { score: number; label: string; testId?: string }): JSX.Element {
  return (
    <div class={`kg-sec-score kg-tone-${scoreTone(p.score)}`} data-testid={p.testId} data-score={p.score}>
      <span class="kg-sec-score-value">{p.score}</span>
      <span class="kg-sec-score-label">{p.label}</span>
    </div>
  );
}

export function SecurityPage(): JSX.Element {
  const data = createLoader(() => api().call('security', { namespace: oneNamespace(), legacyFindings: false }), {
    key: scopeKey,
  });
  const [tab, setTab] = createSignal('findings');
  const inView = (f: Finding) =>
    inScope(f.target.namespace ?? (f.target.kind === 'Namespace' ? f.target.name : undefined), namespaces()) ||
    (!f.target.namespace && f.target.kind !== 'Namespace' && !namespaces().length);
  const findings = createMemo(() => (data.value()?.insights ?? []).filter(inView));
  const counts = createMemo(() => {
    const c: Record<FindingSeverity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const f of findings()) c[f.severity]++;
    return c;
  });
  const chosen = () => (namespaces().length === 1 ? namespaces()[0] : undefined);
  const headline = () => {
    const d = data.value();
    if (!d) return 0;
    const ns = chosen();
    return ns ? (d.scores.namespaces[ns] ?? d.score) : d.scores.cluster;
  };

  return (
    <div class="kg-page" data-testid="page-security">
      <div class="kg-page-head">
        <h1>Security</h1>
        <Show when={data.value()}>
          {(d) => (
            <span class="kg-muted" data-testid="sec-scanned">
              {d().scanned.workloads} workloads · {d().scanned.pods} pods · {d().scanned.namespaces} namespace
              {d().scanned.namespaces === 1 ? '' : 's'} checked
            </span>
          )}
        </Show>
        <span class="kg-grow" />
        <Button onClick={() => void data.reload()} testId="sec-refresh" title="Run the checks again">
          Rescan
        </Button>
      </div>
      <Show when={!data.error()} fallback={<ErrorState error={data.error()} retry={data.reload} what="security" />}>
        <Show when={data.value()} fallback={<Loading label="Checking workloads, RBAC and network policies…" />}>
          {(d) => (
            <>
              <section class="kg-sec-head" aria-label="Score">
                <ScoreRing
                  score={headline()}
                  label={chosen() ? `${chosen()} score` : 'Cluster score'}
                  testId="sec-score"
                />
                <div class="kg-sec-counts">
                  <For each={SEVERITIES}>
                    {(s) => (
                      <div class="kg-sec-count" data-testid={`sec-count-${s}`}>
                        <Badge tone={FINDING_TONE[s]}>{s}</Badge>
                        <strong>{counts()[s]}</strong>
                      </div>
                    )}
                  </For>
                  <div class="kg-muted kg-small">
                    The score is the passed share of every check, weighted by severity (as Polaris scores).
                  </div>
                </div>
                <ScoreTrend source="security" label="Security score" reloadKey={() => data.value()} grow />
              </section>
              <Tabs
                label="Security views"
                active={tab()}
                onChange={setTab}
                tabs={[
                  { id: 'findings', label: `Findings (${findings().length})` },
                  { id: 'namespaces', label: 'Namespaces' },
                  { id: 'pss', label: 'Pod Security Standards' },
                  { id: 'rbac', label: 'RBAC' },
                ]}
              />
              <div class="kg-sec-tab" role="tabpanel">
                <Show when={tab() === 'findings'}>
                  <FindingList
                    findings={findings()}
                    onChanged={() => void data.reload()}
                    emptyTitle="No security finding in this scope"
                  />
                </Show>
                <Show when={tab() === 'namespaces'}>
                  <NamespaceScores
                    scores={d().scores.namespaces}
                    findings={findings()}
                    pss={d().pss}
                    noPolicy={d().namespacesWithoutNetworkPolicy}
                  />
                </Show>
                <Show when={tab() === 'pss'}>
                  <PssPanel pss={d().pss.filter((p) => inScope(p.namespace, namespaces()))} />
                </Show>
                <Show when={tab() === 'rbac'}>
                  <RbacPanel rbac={d().rbac} />
                </Show>
              </div>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}

/** The score per day over the last 30 days (stored daily by the insights registry). */
function NamespaceScores(p: {
  scores: Record<string, number>;
  findings: Finding[];
  pss: PssNamespace[];
  noPolicy: string[];
}): JSX.Element {
  const [sort, setSort] = createSignal<TableSort>({ by: 'score', desc: false });
  const rows = createMemo(() => {
    const out = Object.entries(p.scores)
      .filter(([ns]) => inScope(ns, namespaces()))
      .map(([ns, score]) => {
        const mine = p.findings.filter(
          (f) => (f.target.namespace ?? (f.target.kind === 'Namespace' ? f.target.name : '')) === ns,
        );
        const pss = p.pss.find((x) => x.namespace === ns);
        return {
          ns,
          score,
          critical: mine.filter((f) => f.severity === 'critical').length,
          high: mine.filter((f) => f.severity === 'high').length,
          total: mine.length,
          enforce: pss?.enforce ?? '',
          couldEnforce: pss?.couldEnforce ?? '',
          policy: !p.noPolicy.includes(ns),
        };
      });
    const s = sort();
    const key = s.by as keyof (typeof out)[number];
    out.sort((a, b) => compareCells(a[key], b[key], s.desc));
    return out;
  });
  const h = (id: string, label: string) => (
    <SortHeader id={id} sort={sort} setSort={setSort}>
      {label}
    </SortHeader>
  );
  return (
    <table class="kg-simple-table kg-sec-table" data-testid="sec-ns-table">
      <thead>
        <tr>
          {h('ns', 'Namespace')}
          {h('score', 'Score')}
          {h('critical', 'Critical')}
          {h('high', 'High')}
          {h('total', 'Findings')}
          {h('enforce', 'PSS enforced')}
          {h('couldEnforce', 'Could enforce')}
          <th>NetworkPolicy</th>
        </tr>
      </thead>
      <tbody>
        <For each={rows()}>
          {(r) => (
            <tr data-testid="sec-ns-row" data-namespace={r.ns}>
              <td>
                <strong>{r.ns}</strong>
              </td>
              <td>
                <span class="kg-sec-bar" style={{ '--kg-sec-w': `${r.score}%` }} data-tone={scoreTone(r.score)}>
                  <span />
                </span>{' '}
                <Badge tone={scoreTone(r.score)}>{r.score}</Badge>
              </td>
              <td>{r.critical || <span class="kg-muted">0</span>}</td>
              <td>{r.high || <span class="kg-muted">0</span>}</td>
              <td>{r.total}</td>
              <td>
                <Show when={r.enforce} fallback={<span class="kg-muted">none</span>}>
                  <Badge tone={LEVEL_TONE[r.enforce as PssLevel]}>{r.enforce}</Badge>
                </Show>
              </td>
              <td>
                <Show when={r.couldEnforce} fallback={<span class="kg-muted">—</span>}>
                  <Badge tone={LEVEL_TONE[r.couldEnforce as PssLevel]}>{r.couldEnforce}</Badge>
                </Show>
              </td>
              <td>{r.policy ? 'yes' : <span class="kg-muted">none</span>}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function PssPanel(p: { pss: PssNamespace[] }): JSX.Element {
  const [open, setOpen] = createSignal<string | undefined>();
  const [drawer, setDrawer] = createSignal<ObjectTarget | undefined>();
  return (
    <>
      <p class="kg-muted kg-small">
        What each namespace enforces (<code>pod-security.kubernetes.io/enforce</code>) against the strictest Pod
        Security Standard all its workloads pass today; a workload failing its namespace's enforced level gets its next
        pod refused.
      </p>
      <Show when={p.pss.length} fallback={<Empty title="No workloads in this scope" />}>
        <table class="kg-simple-table kg-sec-table" data-testid="sec-pss-table">
          <thead>
            <tr>
              <th>Namespace</th>
              <th>Enforced</th>
              <th>Could enforce</th>
              <th>Workloads</th>
              <th>Pass baseline</th>
              <th>Pass restricted</th>
              <th>Would fail restricted</th>
            </tr>
          </thead>
          <tbody>
            <For each={p.pss}>
              {(n) => {
                const failing = () => n.violations;
                const mismatch = () => !!n.enforce && levelRank(n.couldEnforce) < levelRank(n.enforce);
                return (
                  <>
                    <tr data-testid="sec-pss-row" data-namespace={n.namespace}>
                      <td>
                        <strong>{n.namespace}</strong>
                      </td>
                      <td>
                        <Show when={n.enforce} fallback={<span class="kg-muted">none (privileged)</span>}>
                          <Badge tone={mismatch() ? 'danger' : LEVEL_TONE[n.enforce!]} testId="sec-pss-enforce">
                            {n.enforce}
                          </Badge>
                        </Show>
                      </td>
                      <td>
                        <Badge tone={LEVEL_TONE[n.couldEnforce]} testId="sec-pss-could">
                          {n.couldEnforce}
                        </Badge>
                      </td>
                      <td>{n.workloads}</td>
                      <td>
                        {n.passing.baseline} / {n.workloads}
                      </td>
                      <td>
                        {n.passing.restricted} / {n.workloads}
                      </td>
                      <td>
                        <Show when={failing().length} fallback={<span class="kg-muted">none</span>}>
                          <button
                            class="kg-inline-link"
                            aria-expanded={open() === n.namespace}
                            onClick={() => setOpen(open() === n.namespace ? undefined : n.namespace)}
                            data-testid="sec-pss-toggle"
                          >
                            {failing().length} workload{failing().length === 1 ? '' : 's'}
                          </button>
                        </Show>
                      </td>
                    </tr>
                    <Show when={open() === n.namespace}>
                      <tr class="kg-sec-detail">
                        <td colSpan={7}>
                          <ul class="kg-sec-violations" data-testid="sec-pss-violations">
                            <For each={failing()}>
                              {(v) => (
                                <li>
                                  <button
                                    class="kg-inline-link"
                                    onClick={() => setDrawer({ kind: v.kind, namespace: n.namespace, name: v.name })}
                                  >
                                    {v.kind} {v.name}
                                  </button>{' '}
                                  <Badge tone={LEVEL_TONE[v.passes]}>passes {v.passes}</Badge>{' '}
                                  <span class="kg-small">
                                    {[...v.baseline.map((m) => `baseline: ${m}`), ...v.restricted].join(' · ')}
                                  </span>
                                </li>
                              )}
                            </For>
                          </ul>
                        </td>
                      </tr>
                    </Show>
                  </>
                );
              }}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={drawer()} keyed>
        {(t) => <ObjectDrawer target={t} onClose={() => setDrawer(undefined)} />}
      </Show>
    </>
  );
}

const levelRank = (l?: PssLevel) => (l === 'restricted' ? 2 : l === 'baseline' ? 1 : 0);

const VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'escalate',
  'bind',
  'impersonate',
  '*',
];

function RbacPanel(p: { rbac: RbacSummary }): JSX.Element {
  const [verb, setVerb] = createSignal('delete');
  const [resource, setResource] = createSignal('secrets');
  const [ns, setNs] = createSignal(oneNamespace());
  const [result, setResult] = createSignal<WhoCanResult | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [drawer, setDrawer] = createSignal<ObjectTarget | undefined>();
  const ask = async (e?: Event) => {
    e?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await api().call('security.whoCan', {
          verb: verb().trim(),
          resource: resource().trim(),
          namespace: ns().trim(),
        }),
      );
    } catch (x) {
      setResult(undefined);
      setError(toApiError(x).message);
    } finally {
      setBusy(false);
    }
  };
  const readers = () => p.rbac.secretReaders.filter((r) => inScope(r.namespace, namespaces()));
  return (
    <div class="kg-sec-rbac">
      <section class="kg-section" aria-label="Who can">
        <h3>Who can…</h3>
        <form class="kg-sec-whocan" onSubmit={(e) => void ask(e)} data-testid="sec-whocan-form">
          <label>
            Verb
            <input
              class="kg-input"
              list="kg-sec-verbs"
              value={verb()}
              onInput={(e) => setVerb(e.currentTarget.value)}
              data-testid="sec-whocan-verb"
            />
            <datalist id="kg-sec-verbs">
              <For each={VERBS}>{(v) => <option value={v} />}</For>
            </datalist>
          </label>
          <label>
            Resource
            <input
              class="kg-input"
              value={resource()}
              placeholder="secrets, pods/exec, deployments.apps"
              onInput={(e) => setResource(e.currentTarget.value)}
              data-testid="sec-whocan-resource"
            />
          </label>
          <label>
            Namespace
            <input
              class="kg-input"
              value={ns()}
              placeholder="empty: cluster-wide"
              onInput={(e) => setNs(e.currentTarget.value)}
              data-testid="sec-whocan-namespace"
            />
          </label>
          <Button variant="primary" onClick={() => void ask()} disabled={busy()} testId="sec-whocan-ask">
            Ask
          </Button>
        </form>
        <Show when={error()}>
          <div class="kg-banner kg-tone-danger" role="alert" data-testid="sec-whocan-error">
            {error()}
          </div>
        </Show>
        <Show when={result()}>
          {(r) => (
            <div data-testid="sec-whocan-result">
              <p class="kg-small">
                <strong>{r().subjects.length}</strong> subject{r().subjects.length === 1 ? '' : 's'} can{' '}
                <code>{r().verb}</code> <code>{r().resource}</code>{' '}
                {r().namespace ? (
                  <>
                    in <strong>{r().namespace}</strong>
                  </>
                ) : (
                  'in every namespace'
                )}
              </p>
              <Show when={r().subjects.length}>
                <table class="kg-simple-table kg-sec-table" data-testid="sec-whocan-table">
                  <thead>
                    <tr>
                      <th>Subject</th>
                      <th>Kind</th>
                      <th>Granted by</th>
                      <th>Role</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={r().subjects}>
                      {(s) => (
                        <tr data-testid="sec-whocan-row" data-name={s.name}>
                          <td>
                            <Show when={s.kind === 'ServiceAccount'} fallback={<strong>{s.name}</strong>}>
                              <button
                                class="kg-inline-link"
                                onClick={() =>
                                  setDrawer({ kind: 'ServiceAccount', namespace: s.namespace, name: s.name })
                                }
                              >
                                <strong>{s.name}</strong>
                              </button>
                              <div class="kg-muted kg-small">{s.namespace}</div>
                            </Show>
                          </td>
                          <td>{s.kind}</td>
                          <td>
                            <For each={s.via}>
                              {(v) => (
                                <div>
                                  <button
                                    class="kg-inline-link"
                                    onClick={() =>
                                      setDrawer({
                                        kind: v.binding.kind,
                                        namespace: v.binding.namespace,
                                        name: v.binding.name,
                                      })
                                    }
                                  >
                                    {v.binding.kind} {v.binding.namespace ? `${v.binding.namespace}/` : ''}
                                    {v.binding.name}
                                  </button>
                                  <Show when={v.resourceNames}>
                                    <span class="kg-muted kg-small"> only {v.resourceNames!.join(', ')}</span>
                                  </Show>
                                </div>
                              )}
                            </For>
                          </td>
                          <td>
                            <For each={s.via}>
                              {(v) => (
                                <div>
                                  <button
                                    class="kg-inline-link"
                                    onClick={() =>
                                      setDrawer({
                                        kind: v.role.kind,
                                        namespace: v.role.kind === 'Role' ? v.binding.namespace : undefined,
                                        name: v.role.name,
                                      })
                                    }
                                  >
                                    {v.role.kind} {v.role.name}
                                  </button>
                                </div>
                              )}
                            </For>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </div>
          )}
        </Show>
      </section>
      <div class="kg-sec-rbac-grid">
        <section class="kg-section" aria-label="Cluster admins" data-testid="sec-cluster-admins">
          <h3>
            cluster-admin (or * on *) <span class="kg-muted">{p.rbac.clusterAdmins.length}</span>
          </h3>
          <Show when={p.rbac.clusterAdmins.length} fallback={<span class="kg-muted">Nobody beyond the system.</span>}>
            <ul>
              <For each={p.rbac.clusterAdmins}>
                {(a) => (
                  <li>
                    {a.kind}{' '}
                    <strong>
                      {a.namespace ? `${a.namespace}/` : ''}
                      {a.name}
                    </strong>{' '}
                    <span class="kg-muted kg-small">via {a.binding}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
        <section class="kg-section" aria-label="Unused roles" data-testid="sec-unused-roles">
          <h3>
            Roles bound to nothing <span class="kg-muted">{p.rbac.unusedRoles.length}</span>
          </h3>
          <Show when={p.rbac.unusedRoles.length} fallback={<span class="kg-muted">None.</span>}>
            <ul>
              <For each={p.rbac.unusedRoles}>
                {(r) => (
                  <li>
                    <button
                      class="kg-inline-link"
                      onClick={() => setDrawer({ kind: r.kind, namespace: r.namespace, name: r.name })}
                    >
                      {r.kind} {r.namespace ? `${r.namespace}/` : ''}
                      {r.name}
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
        <section class="kg-section" aria-label="Secret readers" data-testid="sec-secret-readers">
          <h3>Who can read Secrets</h3>
          <table class="kg-simple-table">
            <thead>
              <tr>
                <th>Namespace</th>
                <th>Subjects</th>
              </tr>
            </thead>
            <tbody>
              <For each={readers()}>
                {(r) => (
                  <tr>
                    <td>{r.namespace}</td>
                    <td>
                      <button
                        class="kg-inline-link"
                        onClick={() => {
                          setVerb('get');
                          setResource('secrets');
                          setNs(r.namespace);
                          void ask();
                        }}
                        title="Show who"
                      >
                        {r.subjects}
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </section>
      </div>
      <Show when={drawer()} keyed>
        {(t) => <ObjectDrawer target={t} onClose={() => setDrawer(undefined)} />}
      </Show>
    </div>
  );
}
