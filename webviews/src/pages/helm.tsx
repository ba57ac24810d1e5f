// Helm releases, read from the cluster's release records (no helm binary needed): a live table that follows the
// namespace picker, a release's details (values, manifest, notes, hooks, chart, history), a diff between any two
// revisions, and rollback and uninstall with a preview of every object first, a confirmation, then the result.
import { createEffect, createSignal, For, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import { stringify } from 'yaml';
import type {
  HelmChangeResult,
  HelmObjectChange,
  HelmRelease,
  HelmReleaseSummary,
} from '../../../src/shared/routes/integrations';
import { api, namespaces, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { subscribeKind } from '../stores/live';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { Drawer } from '../ui/drawer';
import { Modal } from '../ui/modal';
import { Tabs } from '../ui/tabs';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { DiffView } from '../components/diffView';

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';

export function statusTone(s: string): Tone {
  if (s === 'deployed') return 'ok';
  if (s === 'failed') return 'danger';
  if (s.startsWith('pending') || s === 'uninstalling') return 'warn';
  if (s === 'superseded' || s === 'uninstalled') return 'muted';
  return 'info';
}

const ACTION_TONE: Record<HelmObjectChange['action'], Tone> = {
  created: 'info',
  configured: 'warn',
  unchanged: 'muted',
  deleted: 'danger',
  kept: 'ok',
  absent: 'muted',
  failed: 'danger',
};

/** A result message without its hooks clause: the dialog says which hooks were skipped on a line of its own. */
const withoutHooks = (m: string) => m.replace(/; (rollback|delete) hooks were not run.*$/s, '');

const yamlOf = (v: unknown): string =>
  v && typeof v === 'object' && !Object.keys(v).length ? '{}  # none\n' : stringify(v);

/** Calls `f` at most once per `ms` while changes keep coming (a burst of watch events is one reload). */
function debounced(f: () => void, ms = 400): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(t));
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

type Selected = { namespace: string; name: string };

export function HelmPage(): JSX.Element {
  const list = createLoader(() => api().call('helm.releases', { namespace: oneNamespace() }), { key: scopeKey });
  const [q, setQ] = createSignal('');
  const [selected, setSelected] = createSignal<Selected | undefined>();
  const [changed, setChanged] = createSignal(0);
  // Live: release records are Secrets; any change to them in scope re-reads the releases (and an open release).
  const refresh = debounced(() => {
    void list.reload();
    setChanged((n) => n + 1);
  });
  let unsub: (() => void) | undefined;
  createEffect(() => {
    unsub?.();
    unsub = subscribeKind('secrets', oneNamespace() || undefined, (m) => m.type !== 'error' && refresh());
  });
  onCleanup(() => unsub?.());
  const rows = () =>
    (list.value()?.releases ?? []).filter(
      (r) =>
        inScope(r.namespace, namespaces()) &&
        (!q() || `${r.name} ${r.namespace} ${r.chart}`.toLowerCase().includes(q().toLowerCase())),
    );
  return (
    <div class="kg-page" data-testid="page-helm">
      <div class="kg-page-head">
        <h1>Helm Releases</h1>
      </div>
      <p class="kg-muted" data-testid="helm-intro">
        Read from the release records Helm keeps in the cluster. Viewing, rolling back and uninstalling need no helm
        binary; installing or upgrading a chart needs the helm binary on the machine running KubeGraf.
      </p>
      <div class="kg-toolbar">
        <input
          class="kg-input"
          type="search"
          placeholder="Filter releases"
          aria-label="Filter releases"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="helm-filter"
        />
      </div>
      <Show when={!list.error()} fallback={<ErrorState error={list.error()} retry={list.reload} what="releases" />}>
        <Show when={list.value()} fallback={<Loading label="Reading Helm releases…" />}>
          <Show
            when={rows().length}
            fallback={
              <Empty
                title={q() ? `No release matches "${q()}"` : 'No Helm releases in this scope'}
                hint="Releases installed with Helm 3 (secrets storage) appear here."
              />
            }
          >
            <table class="kg-simple-table" data-testid="helm-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Namespace</th>
                  <th>Chart</th>
                  <th>App version</th>
                  <th>Revision</th>
                  <th>Status</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(r) => (
                    <tr
                      classList={{
                        'kg-active': selected()?.name === r.name && selected()?.namespace === r.namespace,
                      }}
                      tabIndex={0}
                      data-testid="helm-row"
                      onClick={() => setSelected({ namespace: r.namespace, name: r.name })}
                      onKeyDown={(e) => e.key === 'Enter' && setSelected({ namespace: r.namespace, name: r.name })}
                    >
                      <td>
                        <strong>{r.name}</strong>
                      </td>
                      <td>{r.namespace}</td>
                      <td>
                        {r.chart}-{r.chartVersion}
                      </td>
                      <td>{r.appVersion}</td>
                      <td>{r.revision}</td>
                      <td>
                        <Badge tone={statusTone(r.status)} testId="helm-status">
                          {r.status}
                        </Badge>
                      </td>
                      <td class="kg-muted">
                        <When at={r.updated} />
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
      <Show when={selected()} keyed>
        {(s) => (
          <ReleaseDrawer
            sel={s}
            summary={list.value()?.releases.find((r) => r.name === s.name && r.namespace === s.namespace)}
            changed={changed}
            onClose={() => setSelected(undefined)}
          />
        )}
      </Show>
    </div>
  );
}

type Action = { kind: 'rollback'; revision: number } | { kind: 'uninstall' };

function ReleaseDrawer(p: {
  sel: Selected;
  summary?: HelmReleaseSummary;
  changed: () => number;
  onClose: () => void;
}): JSX.Element {
  const [tab, setTab] = createSignal('overview');
  const key = () => p.changed();
  const rel = createLoader(() => api().call('helm.release', { namespace: p.sel.namespace, name: p.sel.name }), {
    key,
  });
  const hist = createLoader(() => api().call('helm.history', { namespace: p.sel.namespace, name: p.sel.name }), {
    key,
  });
  const [action, setAction] = createSignal<Action | undefined>();
  const revs = () => hist.value()?.history ?? [];
  const current = () => revs()[revs().length - 1]?.revision;
  return (
    <Drawer
      label={`Helm release ${p.sel.name}`}
      subtitle={`Helm release · ${p.sel.namespace}`}
      title={p.sel.name}
      closeLabel="Close release"
      onClose={p.onClose}
      testId="helm-drawer"
      dialogOpen={!!action()}
    >
      <div class="kg-actions">
        <Button
          requires="helm.rollback"
          disabled={revs().length < 2}
          title={revs().length < 2 ? 'The release has no earlier revision' : undefined}
          onClick={() => setAction({ kind: 'rollback', revision: revs()[revs().length - 2].revision })}
          testId="helm-rollback"
        >
          {revs().length < 2 ? 'Roll back…' : `Roll back to ${revs()[revs().length - 2].revision}…`}
        </Button>
        <Button
          variant="danger"
          requires="helm.uninstall"
          onClick={() => setAction({ kind: 'uninstall' })}
          testId="helm-uninstall"
        >
          Uninstall…
        </Button>
      </div>
      <Tabs
        label="Release"
        active={tab()}
        onChange={setTab}
        tabs={[
          { id: 'overview', label: 'Overview' },
          { id: 'values', label: 'Values' },
          { id: 'manifest', label: 'Manifest' },
          { id: 'notes', label: 'Notes' },
          { id: 'hooks', label: 'Hooks' },
          { id: 'history', label: 'History' },
          { id: 'diff', label: 'Diff' },
        ]}
      />
      <div class="kg-drawer-body">
        <Show when={!rel.error()} fallback={<ErrorState error={rel.error()} retry={rel.reload} what="the release" />}>
          <Show when={rel.value()} fallback={<Loading />}>
            {(r) => (
              <Switch>
                <Match when={tab() === 'overview'}>
                  <Overview r={r()} />
                </Match>
                <Match when={tab() === 'values'}>
                  <Values r={r()} />
                </Match>
                <Match when={tab() === 'manifest'}>
                  <pre class="kg-code" data-testid="helm-manifest" tabIndex={0}>
                    {r().manifest || '# (empty manifest)'}
                  </pre>
                </Match>
                <Match when={tab() === 'notes'}>
                  <Show when={r().notes} fallback={<Empty title="The chart has no notes" />}>
                    <pre class="kg-code" data-testid="helm-notes">
                      {r().notes}
                    </pre>
                  </Show>
                </Match>
                <Match when={tab() === 'hooks'}>
                  <Hooks r={r()} />
                </Match>
                <Match when={tab() === 'history'}>
                  <History
                    rows={revs()}
                    current={current()}
                    onRollback={(revision) => setAction({ kind: 'rollback', revision })}
                  />
                </Match>
                <Match when={tab() === 'diff'}>
                  <RevisionDiff sel={p.sel} revisions={revs().map((x) => x.revision)} />
                </Match>
              </Switch>
            )}
          </Show>
        </Show>
      </div>
      <Show when={action()} keyed>
        {(a) => (
          <ChangeDialog
            sel={p.sel}
            action={a}
            current={current()}
            onClose={() => setAction(undefined)}
            onDone={() => {
              void rel.reload();
              void hist.reload();
            }}
          />
        )}
      </Show>
    </Drawer>
  );
}

function Overview(p: { r: HelmRelease }): JSX.Element {
  const meta = () => Object.entries(p.r.chartMetadata).filter(([, v]) => v !== '' && v !== undefined && v !== null);
  return (
    <div data-testid="helm-overview">
      <dl class="kg-dl">
        <dt>Status</dt>
        <dd>
          <Badge tone={statusTone(p.r.status)}>{p.r.status}</Badge> {p.r.description}
        </dd>
        <dt>Revision</dt>
        <dd>{p.r.revision}</dd>
        <dt>Chart</dt>
        <dd>
          {p.r.chart}-{p.r.chartVersion}
        </dd>
        <dt>App version</dt>
        <dd>{p.r.appVersion || '—'}</dd>
        <dt>First deployed</dt>
        <dd>
          <When at={p.r.firstDeployed} />
        </dd>
        <dt>Last deployed</dt>
        <dd>
          <When at={p.r.updated} />
        </dd>
      </dl>
      <h3>Chart metadata</h3>
      <dl class="kg-dl" data-testid="helm-chart-meta">
        <For each={meta()}>
          {([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
            </>
          )}
        </For>
      </dl>
    </div>
  );
}

function Values(p: { r: HelmRelease }): JSX.Element {
  const [which, setWhich] = createSignal<'config' | 'computed' | 'defaults'>('config');
  const text = () => yamlOf(which() === 'config' ? p.r.config : which() === 'computed' ? p.r.computed : p.r.values);
  return (
    <div>
      <div class="kg-toolbar" role="radiogroup" aria-label="Which values">
        <For
          each={
            [
              ['config', 'User-supplied'],
              ['computed', 'Computed (all)'],
              ['defaults', 'Chart defaults'],
            ] as const
          }
        >
          {([id, label]) => (
            <button
              class="kg-row-btn"
              role="radio"
              aria-pressed={which() === id}
              aria-checked={which() === id}
              onClick={() => setWhich(id)}
              data-testid={`helm-values-${id}`}
            >
              {label}
            </button>
          )}
        </For>
      </div>
      <p class="kg-muted kg-small">Values whose key names a credential (password, token, apiKey…) are masked.</p>
      <pre class="kg-code" data-testid="helm-values" tabIndex={0}>
        {text()}
      </pre>
    </div>
  );
}

function Hooks(p: { r: HelmRelease }): JSX.Element {
  return (
    <Show
      when={p.r.hooks.length}
      fallback={<Empty title="No hooks" hint="This revision's chart declares no Helm hooks." />}
    >
      <p class="kg-muted kg-small">KubeGraf shows hooks but does not run them on rollback or uninstall.</p>
      <table class="kg-simple-table" data-testid="helm-hooks">
        <thead>
          <tr>
            <th>Hook</th>
            <th>Events</th>
            <th>Weight</th>
            <th>Last run</th>
          </tr>
        </thead>
        <tbody>
          <For each={p.r.hooks}>
            {(h) => (
              <tr>
                <td>
                  {h.kind} {h.name}
                </td>
                <td>{h.events.join(', ')}</td>
                <td>{h.weight}</td>
                <td>
                  <Show when={h.lastRun} fallback={<span class="kg-muted">never</span>}>
                    {(l) => (
                      <>
                        <Badge tone={l().phase === 'Succeeded' ? 'ok' : l().phase === 'Failed' ? 'danger' : 'info'}>
                          {l().phase}
                        </Badge>{' '}
                        <When at={l().completedAt || l().startedAt} />
                      </>
                    )}
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}

function History(p: {
  rows: Array<{
    revision: number;
    updated: string;
    status: string;
    chart: string;
    app_version: string;
    description: string;
  }>;
  current?: number;
  onRollback: (revision: number) => void;
}): JSX.Element {
  return (
    <table class="kg-simple-table" data-testid="helm-history">
      <thead>
        <tr>
          <th>Revision</th>
          <th>Updated</th>
          <th>Status</th>
          <th>Chart</th>
          <th>App version</th>
          <th>Description</th>
          <th />
        </tr>
      </thead>
      <tbody>
        <For each={[...p.rows].reverse()}>
          {(h) => (
            <tr data-testid="helm-history-row">
              <td>{h.revision}</td>
              <td class="kg-muted">
                <When at={h.updated} />
              </td>
              <td>
                <Badge tone={statusTone(h.status)}>{h.status}</Badge>
              </td>
              <td>{h.chart}</td>
              <td>{h.app_version}</td>
              <td>{h.description}</td>
              <td>
                <Show when={h.revision !== p.current}>
                  <Button
                    requires="helm.rollback"
                    onClick={() => p.onRollback(h.revision)}
                    testId={`helm-rollback-to-${h.revision}`}
                    label={`Roll back to revision ${h.revision}`}
                  >
                    Roll back here
                  </Button>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function RevisionDiff(p: { sel: Selected; revisions: number[] }): JSX.Element {
  const last = () => p.revisions[p.revisions.length - 1] ?? 1;
  const [from, setFrom] = createSignal(p.revisions[p.revisions.length - 2] ?? last());
  const [to, setTo] = createSignal(last());
  const diff = createLoader(
    () => api().call('helm.diff', { namespace: p.sel.namespace, name: p.sel.name, from: from(), to: to() }),
    { key: () => `${from()}-${to()}` },
  );
  const pickRev = (label: string, value: () => number, set: (n: number) => void, testId: string) => (
    <label>
      {label}{' '}
      <select
        aria-label={`${label} revision`}
        value={value()}
        onChange={(e) => set(Number(e.currentTarget.value))}
        data-testid={testId}
      >
        <For each={p.revisions}>{(r) => <option value={r}>revision {r}</option>}</For>
      </select>
    </label>
  );
  return (
    <div data-testid="helm-diff">
      <div class="kg-toolbar">
        {pickRev('From', from, setFrom, 'helm-diff-from')}
        {pickRev('To', to, setTo, 'helm-diff-to')}
      </div>
      <Show when={!diff.error()} fallback={<ErrorState error={diff.error()} retry={diff.reload} what="the diff" />}>
        <Show when={diff.value()} fallback={<Loading />}>
          {(d) => (
            <>
              <Show when={d().summary.length}>
                <ul data-testid="helm-diff-summary">
                  <For each={d().summary}>{(s) => <li>{s}</li>}</For>
                </ul>
              </Show>
              <h3>User-supplied values</h3>
              <DiffView diff={d().values} testId="helm-diff-values" />
              <h3>Computed values</h3>
              <DiffView diff={d().computed} testId="helm-diff-computed" />
              <h3>Manifest</h3>
              <DiffView diff={d().manifest} testId="helm-diff-manifest" />
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}

/** What a rollback or uninstall does to each object, with its diff on demand. */
function ObjectChanges(p: { objects: HelmObjectChange[]; testId: string }): JSX.Element {
  return (
    <Show when={p.objects.length} fallback={<p class="kg-muted">The release has no objects.</p>}>
      <ul class="kg-helm-objects" data-testid={p.testId}>
        <For each={p.objects}>
          {(o) => (
            <li data-testid="helm-object">
              <Badge tone={ACTION_TONE[o.action]}>{o.action === 'absent' ? 'already gone' : o.action}</Badge>{' '}
              <strong>
                {o.kind} {o.namespace ? `${o.namespace}/` : ''}
                {o.name}
              </strong>
              <Show when={o.note}>
                <span class="kg-muted"> · {o.note}</span>
              </Show>
              <Show when={o.error}>
                <div class="kg-tone-danger" role="alert">
                  {o.error}
                </div>
              </Show>
              <Show when={o.diff}>
                <details>
                  <summary>Changes</summary>
                  <DiffView diff={o.diff!} />
                </details>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** Preview (dry run), confirm, run, result: one dialog for rollback and uninstall. */
function ChangeDialog(p: {
  sel: Selected;
  action: Action;
  current?: number;
  onClose: () => void;
  onDone: () => void;
}): JSX.Element {
  const [keepHistory, setKeepHistory] = createSignal(false);
  const [phase, setPhase] = createSignal<'preview' | 'running' | 'done'>('preview');
  const [result, setResult] = createSignal<HelmChangeResult | undefined>();
  const [failure, setFailure] = createSignal<{ message: string; result?: HelmChangeResult } | undefined>();
  const run = (dryRun: boolean) =>
    p.action.kind === 'rollback'
      ? api().call('helm.rollback', {
          namespace: p.sel.namespace,
          name: p.sel.name,
          revision: p.action.revision,
          dryRun,
        })
      : api().call('helm.uninstall', {
          namespace: p.sel.namespace,
          name: p.sel.name,
          keepHistory: keepHistory(),
          dryRun,
        });
  const preview = createLoader(() => run(true), { key: keepHistory });
  const rollback = p.action.kind === 'rollback';
  const title = () =>
    rollback
      ? `Roll back ${p.sel.namespace}/${p.sel.name} to revision ${(p.action as { revision: number }).revision}?`
      : `Uninstall ${p.sel.namespace}/${p.sel.name}?`;
  const go = async () => {
    setPhase('running');
    try {
      const r = await run(false);
      setResult(r);
      toast(r.message, 'ok');
    } catch (e) {
      const err = toApiError(e);
      setFailure({ message: err.message, result: err.details as HelmChangeResult | undefined });
      toast(`${rollback ? 'Rollback' : 'Uninstall'} failed: ${err.message}`, 'danger');
    }
    setPhase('done');
    p.onDone();
  };
  const shown = () => (phase() === 'done' ? (result() ?? failure()?.result) : preview.value());
  return (
    <Modal
      title={title()}
      wide
      onClose={() => phase() !== 'running' && p.onClose()}
      testId="helm-change-dialog"
      footer={
        <Switch>
          <Match when={phase() === 'preview'}>
            <button class="kg-plain-btn" onClick={() => p.onClose()}>
              Cancel
            </button>
            <button
              class="kg-plain-btn kg-danger"
              data-testid="confirm-ok"
              disabled={!preview.value()}
              onClick={() => void go()}
            >
              {rollback ? 'Roll back' : 'Uninstall'}
            </button>
          </Match>
          <Match when={phase() === 'done'}>
            <button class="kg-plain-btn kg-primary" data-testid="helm-change-close" onClick={() => p.onClose()}>
              Close
            </button>
          </Match>
        </Switch>
      }
    >
      <Show when={!rollback}>
        <label class="kg-check">
          <input
            type="checkbox"
            checked={keepHistory()}
            disabled={phase() !== 'preview'}
            onChange={(e) => setKeepHistory(e.currentTarget.checked)}
            data-testid="helm-keep-history"
          />{' '}
          Keep the release history (like <code>helm uninstall --keep-history</code>)
        </label>
      </Show>
      <Switch>
        <Match when={phase() === 'running'}>
          <Loading label={rollback ? 'Rolling back…' : 'Uninstalling…'} />
        </Match>
        <Match when={phase() === 'done'}>
          <div class={`kg-state ${failure() ? 'kg-state-error' : ''}`} role="status" data-testid="helm-change-result">
            <strong>{failure() ? 'Failed' : 'Done'}</strong>
            <span>{failure()?.message ?? withoutHooks(result()?.message ?? '')}</span>
          </div>
        </Match>
        <Match when={phase() === 'preview'}>
          <Show
            when={!preview.error()}
            fallback={<ErrorState error={preview.error()} retry={preview.reload} what="the preview" />}
          >
            <Show
              when={preview.value()}
              fallback={<Loading label="Checking every object with the server (dry run)…" />}
            >
              {(v) => (
                <p data-testid="helm-preview-summary">
                  {withoutHooks(v().message).replace(/^would /, 'This would ')}.{' '}
                  {rollback ? 'Nothing has changed yet.' : 'Nothing has been deleted yet.'}
                </p>
              )}
            </Show>
          </Show>
        </Match>
      </Switch>
      <Show when={shown()}>
        {(s) => (
          <>
            <Show when={s().hooksSkipped.length}>
              <p class="kg-banner kg-tone-warn" role="note" data-testid="helm-hooks-skipped">
                Hooks are not run by KubeGraf; skipped: {s().hooksSkipped.join('; ')}
              </p>
            </Show>
            <ObjectChanges objects={s().objects} testId={phase() === 'done' ? 'helm-result-objects' : 'helm-preview'} />
          </>
        )}
      </Show>
    </Modal>
  );
}
