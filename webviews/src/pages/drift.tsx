// Drift: what the cluster runs against what was declared for it — the last `kubectl apply`, the Helm release
// manifest, Argo CD's Git state — grouped by that source. Each drifted object lists its drifted fields (declared →
// live, changed by whom and when, from managedFields), opens a diff (live → declared) with the declared and live
// YAML, links to its details drawer, and offers Revert through the shared fix dialog. Follows the namespace picker
// and re-reads when workloads or config change.
import { createEffect, createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { ScoreTrend } from '../components/scoreTrend';
import {
  DRIFT_SOURCES,
  DRIFT_SOURCE_TITLES,
  type DriftField,
  type DriftObject,
  type DriftSource,
} from '../../../src/shared/drift';
import { api, namespaces } from '../stores/app';
import { createLoader } from '../stores/loader';
import { Keyed } from '../ui/keyed';
import { subscribeKind } from '../stores/live';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { Badge, Button } from '../ui/button';
import { Modal } from '../ui/modal';
import { FindingFixDialog, SeverityBadge } from '../components/findings';
import { ObjectDrawer } from '../components/objectDrawer';
import { Tabs } from '../ui/tabs';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { DiffView } from '../components/diffView';
import '../styles/drift.css';
import '../styles/inlineLink.css';

/** Kinds whose changes can move drift: re-read the page when one of them changes in scope. */
const WATCHED = ['deployments', 'statefulsets', 'daemonsets', 'services', 'configmaps'];

const SOURCE_HINT: Record<DriftSource, string> = {
  lastApplied: 'Compared with the last-applied-configuration annotation kubectl apply keeps on the object.',
  helmManifest: "Compared with the manifest of the release's deployed revision, decoded from its release Secret.",
  argocd: "Compared with the Application's rendered Git state, read from argocd-server.",
};

type SortKey = 'recent' | 'name' | 'fields';

function debounced(f: () => void, ms = 600): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(t));
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const where = (o: { namespace?: string; name: string }) => (o.namespace ? `${o.namespace}/${o.name}` : o.name);
const keyOf = (o: DriftObject) => `${o.source}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
const latestChange = (o: DriftObject) =>
  o.fields.reduce((m, f) => (f.time && f.time > m ? f.time : m), '') || o.declaredAt || '';

/** A declared or live value, short: scalars as they are, objects as compact JSON, absent as a dash. */
function Value(p: { v: unknown; absent: string }): JSX.Element {
  const text = () =>
    p.v === undefined ? '' : typeof p.v === 'object' ? JSON.stringify(p.v) : String(p.v as string | number);
  return (
    <Show when={p.v !== undefined} fallback={<span class="kg-muted kg-drift-absent">{p.absent}</span>}>
      <code class="kg-drift-value" title={text()}>
        {text()}
      </code>
    </Show>
  );
}

function scoreTone(score: number): 'ok' | 'warn' | 'danger' {
  return score >= 95 ? 'ok' : score >= 75 ? 'warn' : 'danger';
}

export function DriftPage(): JSX.Element {
  const data = createLoader(() => api().call('drift.analysis', { namespace: oneNamespace() }), { key: scopeKey });
  const [q, setQ] = createSignal('');
  const [only, setOnly] = createSignal<DriftSource | undefined>();
  const [showInSync, setShowInSync] = createSignal(false);
  const [sort, setSort] = createSignal<SortKey>('recent');
  const [open, setOpen] = createSignal<DriftObject | undefined>();
  const [diffOf, setDiffOf] = createSignal<DriftObject | undefined>();
  const [revertOf, setRevertOf] = createSignal<DriftObject | undefined>();

  const refresh = debounced(() => void data.reload());
  let unsubs: Array<() => void> = [];
  createEffect(() => {
    for (const u of unsubs) u();
    const ns = oneNamespace() || undefined;
    unsubs = WATCHED.map((k) => subscribeKind(k, ns, (m) => m.type !== 'error' && m.type !== 'status' && refresh()));
  });
  onCleanup(() => unsubs.forEach((u) => u()));

  const matches = (o: DriftObject) =>
    inScope(o.namespace, namespaces()) &&
    (!only() || o.source === only()) &&
    (!q() ||
      `${o.kind} ${where(o)} ${o.owner} ${o.fields.map((f) => `${f.path} ${f.manager ?? ''} ${f.by ?? ''}`).join(' ')}`
        .toLowerCase()
        .includes(q().toLowerCase()));
  const drifted = createMemo(() => {
    const list = (data.value()?.drifted ?? []).filter(matches);
    const by: Record<SortKey, (a: DriftObject, b: DriftObject) => number> = {
      recent: (a, b) => latestChange(b).localeCompare(latestChange(a)) || keyOf(a).localeCompare(keyOf(b)),
      name: (a, b) => where(a).localeCompare(where(b)) || a.kind.localeCompare(b.kind),
      fields: (a, b) => b.fields.length - a.fields.length || keyOf(a).localeCompare(keyOf(b)),
    };
    return [...list].sort(by[sort()]);
  });
  const inSync = createMemo(() => (data.value()?.objects ?? []).filter((o) => o.inSync && matches(o)));
  const counts = createMemo(() => {
    const c = Object.fromEntries(DRIFT_SOURCES.map((s) => [s, { tracked: 0, drifted: 0 }])) as Record<
      DriftSource,
      { tracked: number; drifted: number }
    >;
    for (const o of data.value()?.objects ?? []) {
      if (!inScope(o.namespace, namespaces())) continue;
      c[o.source].tracked++;
      if (!o.inSync) c[o.source].drifted++;
    }
    return c;
  });
  const nsScores = createMemo(() =>
    Object.entries(data.value()?.scores.namespaces ?? {})
      .filter(([ns]) => inScope(ns, namespaces()))
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])),
  );
  const total = () => DRIFT_SOURCES.reduce((n, s) => n + counts()[s].tracked, 0);
  const totalDrifted = () => DRIFT_SOURCES.reduce((n, s) => n + counts()[s].drifted, 0);
  const inSyncPct = () => (total() ? Math.round((100 * (total() - totalDrifted())) / total()) : 100);

  return (
    <div class="kg-page" data-testid="page-drift">
      <div class="kg-page-head">
        <h1>Drift</h1>
        <Show when={data.value()}>
          <span class="kg-muted" data-testid="drift-count">
            {totalDrifted()} of {total()} tracked object{total() === 1 ? '' : 's'} drifted
          </span>
        </Show>
      </div>
      <p class="kg-muted">
        Live objects against what declared them: the last <code>kubectl apply</code>, their Helm release, or Argo CD's
        Git state. Only fields the declaration sets are compared, so server defaults and controllers' own fields never
        count as drift; who changed a field comes from the object's managed fields.
      </p>
      <Show when={!data.error()} fallback={<ErrorState error={data.error()} retry={data.reload} what="drift" />}>
        <Show when={data.value()} fallback={<Loading label="Comparing live objects with their declared state…" />}>
          <ScoreTrend source="drift" label="Share of objects in sync" reloadKey={() => data.value()} />
          <div class="kg-drift-summary" data-testid="drift-summary">
            <div class="kg-drift-tile kg-drift-score" data-testid="drift-score">
              <span class="kg-drift-tile-title">In sync</span>
              <span class={`kg-drift-big kg-tone-text-${scoreTone(inSyncPct())}`}>{inSyncPct()}%</span>
              <span class="kg-muted kg-small">of tracked objects</span>
            </div>
            <For each={DRIFT_SOURCES}>
              {(s) => (
                <button
                  class="kg-drift-tile"
                  classList={{ 'kg-active': only() === s }}
                  aria-pressed={only() === s}
                  title={SOURCE_HINT[s]}
                  onClick={() => setOnly(only() === s ? undefined : s)}
                  data-testid={`drift-tile-${s}`}
                >
                  <span class="kg-drift-tile-title">{DRIFT_SOURCE_TITLES[s]}</span>
                  <span class="kg-drift-big">
                    {counts()[s].drifted}
                    <span class="kg-muted kg-small"> / {counts()[s].tracked}</span>
                  </span>
                  <span class="kg-muted kg-small">
                    {counts()[s].tracked ? 'drifted / tracked' : 'nothing tracked in scope'}
                  </span>
                </button>
              )}
            </For>
          </div>
          <Show when={nsScores().length > 1}>
            <div class="kg-drift-ns" data-testid="drift-ns-scores" aria-label="Share in sync per namespace">
              <For each={nsScores()}>
                {([ns, score]) => (
                  <span class="kg-drift-ns-chip" title={`${score}% of the tracked objects in ${ns} are in sync`}>
                    <span>{ns}</span>
                    <span class="kg-drift-bar">
                      <span class={`kg-drift-bar-fill kg-bg-${scoreTone(score)}`} style={{ width: `${score}%` }} />
                    </span>
                    <span class="kg-small">{score}%</span>
                  </span>
                )}
              </For>
            </div>
          </Show>
          <For each={data.value()!.notes}>
            {(n) => (
              <p class="kg-drift-note" data-testid="drift-note">
                {n}
              </p>
            )}
          </For>
          <div class="kg-toolbar">
            <input
              class="kg-input"
              type="search"
              placeholder="Filter by object, field or who changed it"
              aria-label="Filter drift"
              value={q()}
              onInput={(e) => setQ(e.currentTarget.value)}
              data-testid="drift-filter"
              style={{ 'min-width': '320px' }}
            />
            <label class="kg-small">
              Sort{' '}
              <select
                class="kg-input"
                value={sort()}
                onChange={(e) => setSort(e.currentTarget.value as SortKey)}
                data-testid="drift-sort"
              >
                <option value="recent">Most recent change</option>
                <option value="name">Namespace and name</option>
                <option value="fields">Most drifted fields</option>
              </select>
            </label>
            <label class="kg-small">
              <input
                type="checkbox"
                checked={showInSync()}
                onChange={(e) => setShowInSync(e.currentTarget.checked)}
                data-testid="drift-show-in-sync"
              />{' '}
              Show objects in sync
            </label>
          </div>
          <Show
            when={drifted().length}
            fallback={
              <Empty
                title={q() || only() ? 'No drifted object matches' : 'No drift in this scope'}
                hint={
                  total()
                    ? `All ${total()} tracked objects match what declared them.`
                    : 'Objects applied with kubectl apply, installed by Helm or deployed by Argo CD are tracked here.'
                }
              />
            }
          >
            <For each={DRIFT_SOURCES.filter((s) => drifted().some((o) => o.source === s))}>
              {(s) => (
                <section class="kg-drift-group" data-testid={`drift-group-${s}`}>
                  <h2>
                    {DRIFT_SOURCE_TITLES[s]}{' '}
                    <Badge tone="warn">{drifted().filter((o) => o.source === s).length} drifted</Badge>
                  </h2>
                  <p class="kg-muted kg-small">{SOURCE_HINT[s]}</p>
                  <Keyed each={drifted().filter((o) => o.source === s)} by={keyOf}>
                    {(o) => (
                      <DriftCard
                        o={o()}
                        onOpen={() => setOpen(o())}
                        onDiff={() => setDiffOf(o())}
                        onRevert={() => setRevertOf(o())}
                      />
                    )}
                  </Keyed>
                </section>
              )}
            </For>
          </Show>
          <Show when={showInSync()}>
            <section class="kg-drift-group" data-testid="drift-in-sync">
              <h2>
                In sync <Badge tone="ok">{inSync().length}</Badge>
              </h2>
              <table class="kg-simple-table">
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Object</th>
                    <th>Declared by</th>
                    <th>Declared</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={inSync()}>
                    {(o) => (
                      <tr data-testid="drift-in-sync-row">
                        <td>{o.kind}</td>
                        <td>
                          <button class="kg-inline-link" onClick={() => setOpen(o)}>
                            {where(o)}
                          </button>
                        </td>
                        <td>{o.owner}</td>
                        <td class="kg-muted">
                          <When at={o.declaredAt} />
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </section>
          </Show>
        </Show>
      </Show>
      <Show when={open()} keyed>
        {(o) => (
          <ObjectDrawer
            target={{ kind: o.kind, group: groupOf(o.apiVersion), namespace: o.namespace, name: o.name }}
            onClose={() => setOpen(undefined)}
          />
        )}
      </Show>
      <Show when={diffOf()} keyed>
        {(o) => <DiffDialog o={o} onClose={() => setDiffOf(undefined)} />}
      </Show>
      <Show when={revertOf()?.finding} keyed>
        {(f) => (
          <FindingFixDialog finding={f} onClose={() => setRevertOf(undefined)} onApplied={() => void data.reload()} />
        )}
      </Show>
    </div>
  );
}

function DriftCard(p: { o: DriftObject; onOpen: () => void; onDiff: () => void; onRevert: () => void }): JSX.Element {
  const o = () => p.o;
  return (
    <article class="kg-drift-card" data-testid="drift-object" data-name={o().name} data-kind={o().kind}>
      <header class="kg-drift-card-head">
        <Show when={o().finding}>{(f) => <SeverityBadge severity={f().severity} />}</Show>
        <Badge tone="info">{o().kind}</Badge>
        <button class="kg-inline-link kg-drift-name" onClick={p.onOpen} data-testid="drift-object-link">
          {where(o())}
        </button>
        <span class="kg-muted kg-small kg-drift-owner">
          {o().owner}
          <Show when={o().declaredAt}>
            {' · declared '}
            <When at={o().declaredAt} />
          </Show>
        </span>
        <span class="kg-drift-actions">
          <Button onClick={p.onDiff} testId="drift-diff">
            Diff
          </Button>
          <Show when={o().fields.length}>
            <Button
              onClick={p.onRevert}
              testId="drift-revert"
              title="Set the drifted fields back to the declared values"
            >
              Revert…
            </Button>
          </Show>
        </span>
      </header>
      <Show
        when={o().fields.length}
        fallback={<p class="kg-muted kg-small">{o().note ?? 'Out of sync; no field-level detail available.'}</p>}
      >
        <table class="kg-simple-table kg-drift-fields" data-testid="drift-fields">
          <thead>
            <tr>
              <th>Field</th>
              <th>Declared</th>
              <th>Live</th>
              <th>Changed by</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            <For each={o().fields}>{(f) => <FieldRow f={f} />}</For>
          </tbody>
        </table>
      </Show>
    </article>
  );
}

/** A field path that wraps after its dots and brackets, never inside a name. */
function Breakable(p: { text: string }): JSX.Element {
  const parts = () => p.text.split(/(?<=[.\]])/);
  return (
    <For each={parts()}>
      {(s) => (
        <>
          {s}
          <wbr />
        </>
      )}
    </For>
  );
}

function FieldRow(p: { f: DriftField }): JSX.Element {
  return (
    <tr data-testid="drift-field" data-path={p.f.path}>
      <td>
        <code class="kg-drift-path" title={p.f.path}>
          <Breakable text={p.f.path} />
        </code>
      </td>
      <td>
        <Value v={p.f.desired} absent="not declared" />
      </td>
      <td>
        <Value v={p.f.live} absent="removed" />
      </td>
      <td>
        <Show when={p.f.by} fallback={<span class="kg-muted">unknown</span>}>
          <span title={`field manager ${p.f.manager ?? ''}${p.f.operation ? ` · ${p.f.operation}` : ''}`}>
            <Badge tone={/^kubectl/.test(p.f.by ?? '') ? 'warn' : 'muted'} testId="drift-field-by">
              {p.f.by}
            </Badge>
          </span>
        </Show>
      </td>
      <td class="kg-muted kg-drift-when">
        <When at={p.f.time} />
      </td>
    </tr>
  );
}

/** Live → declared as a diff, with the declared manifest and the live object, from GET /api/drift/diff. */
function DiffDialog(p: { o: DriftObject; onClose: () => void }): JSX.Element {
  const d = createLoader(() =>
    api().call('drift.diff', {
      kind: p.o.kind,
      ...(p.o.namespace ? { namespace: p.o.namespace } : {}),
      name: p.o.name,
      source: p.o.source,
    }),
  );
  const [tab, setTab] = createSignal('diff');
  return (
    <Modal
      title={`${p.o.kind} ${where(p.o)}: live vs ${DRIFT_SOURCE_TITLES[p.o.source]}`}
      onClose={p.onClose}
      wide
      testId="drift-diff-dialog"
    >
      <Show when={!d.error()} fallback={<ErrorState error={d.error()} retry={d.reload} what="the diff" />}>
        <Show when={d.value()} fallback={<Loading label="Reading the declared and live object…" />}>
          {(v) => (
            <>
              <p class="kg-muted kg-small">
                {v().owner}. Lines marked − are live, + what reverting to the declared state sets.
              </p>
              <Tabs
                label="Diff views"
                active={tab()}
                onChange={setTab}
                tabs={[
                  { id: 'diff', label: 'Changes' },
                  { id: 'desired', label: 'Declared' },
                  { id: 'live', label: 'Live' },
                ]}
              />
              <Show when={tab() === 'diff'}>
                <DiffView diff={v().diff} testId="drift-diff-view" />
              </Show>
              <Show when={tab() === 'desired'}>
                <pre class="kg-drift-yaml" data-testid="drift-desired-yaml" tabIndex={0}>
                  {v().desired}
                </pre>
              </Show>
              <Show when={tab() === 'live'}>
                <pre class="kg-drift-yaml" data-testid="drift-live-yaml" tabIndex={0}>
                  {v().live}
                </pre>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </Modal>
  );
}
