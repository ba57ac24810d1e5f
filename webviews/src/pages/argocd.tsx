// Argo CD, as its own UI presents it: application tiles with health and sync in Argo's colours, and an application's
// page with its resource tree (down to pods, each node opening the object's details), the diff of Git vs the cluster
// per resource, Sync (prune, dry run), Refresh (normal, hard), History with Rollback, and the running operation's
// progress resource by resource. Everything follows the Applications live; actions go through the Application the way
// the argocd CLI requests them, and the Argo CD controller performs them.
import { createEffect, createMemo, createSignal, For, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import type {
  ArgoApp,
  ArgoAppDetails,
  ArgoHistoryEntry,
  ArgoOperation,
  ArgoOperationSummary,
  ArgoTreeNode,
} from '../../../src/shared/routes/integrations';
import { api, namespaces, navigate, route, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { subscribeKind } from '../stores/live';
import { inScope } from '../stores/scope';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { Modal } from '../ui/modal';
import { Tabs } from '../ui/tabs';
import { TextField } from '../ui/field';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { DiffView } from '../components/diffView';
import { ObjectDrawer } from '../components/objectDrawer';
import '../styles/argocd.css';

const APPS_KIND = 'applications.argoproj.io';
const short = (sha?: string) => (sha && /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : (sha ?? ''));

/** Calls `f` once a burst of changes has settled. */
function debounced(f: () => void, ms = 250): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(t));
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

/** Live: reruns `f` when objects of `kind` change (in `namespace`, or all). */
function onChanges(kind: string, namespace: () => string | undefined, f: () => void): void {
  let off: (() => void) | undefined;
  createEffect(() => {
    off?.();
    off = subscribeKind(kind, namespace(), (m) => m.type !== 'error' && m.type !== 'status' && f());
  });
  onCleanup(() => off?.());
}

// ---------------- Argo's status icons ----------------

// Functions, not elements: a DOM node can sit in one place only, and every icon needs its own.
const PATHS: Record<string, () => JSX.Element> = {
  heart: () => <path d="M8 14.2s-6.2-3.9-6.2-8.3A3.4 3.4 0 0 1 8 3.9a3.4 3.4 0 0 1 6.2 2c0 4.4-6.2 8.3-6.2 8.3z" />,
  broken: () => (
    <>
      <path d="M7.4 4.2 6.6 7l2 1.4-1 3 .4 2.6S1.8 10.3 1.8 5.9a3.4 3.4 0 0 1 5.6-1.7z" />
      <path d="M8.6 4.2a3.4 3.4 0 0 1 5.6 1.7c0 4-5 7.5-6 8.1l.5-2.5 1.1-3.2-2-1.5z" />
    </>
  ),
  pause: () => (
    <>
      <rect x="3.5" y="2.5" width="3.2" height="11" rx="1" />
      <rect x="9.3" y="2.5" width="3.2" height="11" rx="1" />
    </>
  ),
  ghost: () => (
    <path d="M8 1.5a5 5 0 0 0-5 5v8l1.7-1.3L6.3 14.5 8 13.2l1.7 1.3 1.6-1.3L13 14.5v-8a5 5 0 0 0-5-5zM6 7.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2zm4 0a1 1 0 1 1 0-2 1 1 0 0 1 0 2z" />
  ),
  question: () => (
    <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.1 11.6a1 1 0 1 1 0-2 1 1 0 0 1 0 2zm1.4-4.4c-.6.4-.7.6-.7 1.1H7.3c0-1 .3-1.6 1.1-2.1.6-.4.8-.6.8-1.1 0-.5-.4-.8-1.1-.8-.6 0-1.1.3-1.4.9L5.4 5.5C6 4.5 7 4 8.2 4c1.6 0 2.6.8 2.6 2.1 0 .9-.5 1.5-1.3 2.1z" />
  ),
  check: () => <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm-1.1 10.3L3.8 8.2l1.1-1.1 2 2 4.2-4.2 1.1 1.1z" />,
  up: () => <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.9 11H7.1V7.3L5.2 9.2 4 8l4-4 4 4-1.2 1.2-1.9-1.9z" />,
  cross: () => (
    <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm2.9 8.8-1.1 1.1L8 9.1l-1.8 1.8-1.1-1.1L6.9 8 5.1 6.2l1.1-1.1L8 6.9l1.8-1.8 1.1 1.1L9.1 8z" />
  ),
  spin: () => <path d="M8 1.5A6.5 6.5 0 1 0 14.5 8h-2A4.5 4.5 0 1 1 8 3.5z" />,
  stop: () => <rect x="3" y="3" width="10" height="10" rx="2" />,
};

const ICON: Record<string, string> = {
  Healthy: 'heart',
  Degraded: 'broken',
  Suspended: 'pause',
  Missing: 'ghost',
  Unknown: 'question',
  Progressing: 'spin',
  Synced: 'check',
  OutOfSync: 'up',
  Succeeded: 'check',
  Running: 'spin',
  Terminating: 'stop',
  Failed: 'cross',
  Error: 'cross',
  SyncFailed: 'cross',
  Pruned: 'check',
  PruneSkipped: 'up',
};

/** An Argo CD status: its icon and word in Argo's colour. */
export function ArgoStatus(p: { status: string; label?: string; testId?: string; title?: string }): JSX.Element {
  const icon = () => ICON[p.status] ?? 'question';
  return (
    <span class={`kg-argo-status kg-argo-c-${p.status}`} data-testid={p.testId} data-status={p.status} title={p.title}>
      <svg
        width="14"
        height="14"
        viewBox="0 0 16 16"
        fill="currentColor"
        aria-hidden="true"
        class={icon() === 'spin' ? 'kg-argo-spin' : undefined}
      >
        {PATHS[icon()]()}
      </svg>
      {p.label ?? p.status}
    </span>
  );
}

const opLabel = (o: ArgoOperationSummary) => `${o.rollback ? 'Rollback' : 'Sync'}${o.dryRun ? ' (dry run)' : ''}`;

/** "Sync OK to 53e28ff", "Syncing…", "Sync failed" as Argo CD's LAST SYNC panel words it. */
function lastSyncText(o: ArgoOperationSummary): string {
  const what = opLabel(o);
  if (o.phase === 'Running') return `${what} running${o.revision ? ` to ${short(o.revision)}` : ''}`;
  if (o.phase === 'Terminating') return `${what} terminating`;
  if (o.phase === 'Succeeded') return `${what} OK${o.revision ? ` to ${short(o.revision)}` : ''}`;
  return `${what} ${o.phase === 'Error' ? 'error' : 'failed'}`;
}

// ---------------- the page ----------------

export function ArgoCdPage(): JSX.Element {
  const selected = () => route().params.app;
  return (
    <div class="kg-page kg-argo" data-testid="page-argocd">
      <Show when={selected()} keyed fallback={<AppList />}>
        {(key) => {
          const [ns, name] = key.includes('/') ? key.split('/', 2) : ['', key];
          return <AppPage namespace={ns} name={name} />;
        }}
      </Show>
    </div>
  );
}

const open = (a: { namespace: string; name: string }) => navigate('argocd', { app: `${a.namespace}/${a.name}` });

function AppList(): JSX.Element {
  const list = createLoader(() => api().call('argocd.apps', {}));
  onChanges(
    APPS_KIND,
    () => undefined,
    debounced(() => void list.reload()),
  );
  const [q, setQ] = createSignal('');
  const [sync, setSync] = createSignal<string[]>([]);
  const [health, setHealth] = createSignal<string[]>([]);
  const [syncing, setSyncing] = createSignal<ArgoApp | undefined>();
  // An app is in scope when it lives in, or deploys to, a chosen namespace.
  const scoped = createMemo(() =>
    (list.value()?.apps ?? []).filter(
      (a) =>
        !namespaces().length || inScope(a.namespace, namespaces()) || inScope(a.destination.namespace, namespaces()),
    ),
  );
  const rows = createMemo(() =>
    scoped().filter(
      (a) =>
        (!sync().length || sync().includes(a.syncStatus)) &&
        (!health().length || health().includes(a.healthStatus)) &&
        (!q() ||
          `${a.name} ${a.project} ${a.repoURL ?? ''} ${a.path ?? ''} ${a.destination.namespace ?? ''}`
            .toLowerCase()
            .includes(q().toLowerCase())),
    ),
  );
  const counts = (f: (a: ArgoApp) => string) => {
    const m = new Map<string, number>();
    for (const a of scoped()) m.set(f(a), (m.get(f(a)) ?? 0) + 1);
    return [...m.entries()].sort();
  };
  const toggle = (set: (f: (x: string[]) => string[]) => void, s: string) =>
    set((xs) => (xs.includes(s) ? xs.filter((x) => x !== s) : [...xs, s]));
  return (
    <>
      <div class="kg-page-head">
        <h1>Argo CD Applications</h1>
        <Show when={list.value()}>
          <span class="kg-muted" data-testid="argo-count" aria-live="polite">
            {rows().length === scoped().length ? scoped().length : `${rows().length} of ${scoped().length}`}{' '}
            applications
          </span>
          <Badge tone="ok" title="Tiles follow the Applications as Argo CD updates them">
            live
          </Badge>
        </Show>
      </div>
      <p class="kg-muted" data-testid="argo-intro">
        The Applications of the cluster's Argo CD. Sync, rollback and refresh are requested on the Application, as the
        argocd CLI does; Argo CD's controller carries them out and this page follows its progress.
      </p>
      <div class="kg-toolbar kg-filters">
        <input
          class="kg-input kg-grow"
          type="search"
          placeholder="Filter by name, project, repository, path, namespace"
          aria-label="Filter applications"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="argo-filter"
        />
      </div>
      <Show when={scoped().length > 1}>
        <div class="kg-chips" role="group" aria-label="Filter by sync and health status">
          <For each={counts((a) => a.syncStatus)}>
            {([s, n]) => (
              <button
                class="kg-chip kg-chip-btn"
                aria-pressed={sync().includes(s)}
                onClick={() => toggle(setSync, s)}
                data-testid={`argo-chip-${s}`}
              >
                <ArgoStatus status={s} /> <span class="kg-muted">{n}</span>
              </button>
            )}
          </For>
          <For each={counts((a) => a.healthStatus)}>
            {([s, n]) => (
              <button
                class="kg-chip kg-chip-btn"
                aria-pressed={health().includes(s)}
                onClick={() => toggle(setHealth, s)}
                data-testid={`argo-chip-${s}`}
              >
                <ArgoStatus status={s} /> <span class="kg-muted">{n}</span>
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show
        when={!list.error()}
        fallback={
          <Show
            when={list.error()?.status === 424}
            fallback={<ErrorState error={list.error()} retry={list.reload} what="Argo CD applications" />}
          >
            <Empty
              title="Argo CD is not installed in this cluster"
              hint="Install Argo CD (the Apps page can install its Helm chart); its Applications then appear here."
            />
          </Show>
        }
      >
        <Show when={list.value()} fallback={<Loading label="Reading Argo CD applications…" />}>
          <Show
            when={rows().length}
            fallback={
              <Empty
                title={
                  q() || sync().length || health().length
                    ? 'No application matches the filters'
                    : scoped().length < (list.value()?.apps.length ?? 0)
                      ? 'No application deploys to the chosen namespaces'
                      : 'No Argo CD applications yet'
                }
                hint={
                  q() || sync().length || health().length
                    ? 'Clear the filter text or the status chips.'
                    : scoped().length < (list.value()?.apps.length ?? 0)
                      ? 'Pick other namespaces in the namespace picker, or all namespaces.'
                      : 'Create one with `argocd app create` or an Application manifest; it appears here.'
                }
              />
            }
          >
            <div class="kg-argo-tiles" data-testid="argo-tiles">
              <For each={rows()}>{(a) => <AppTile app={a} onSync={() => setSyncing(a)} />}</For>
            </div>
          </Show>
        </Show>
      </Show>
      <Show when={syncing()} keyed>
        {(a) => <SyncDialog app={a} onClose={() => setSyncing(undefined)} />}
      </Show>
    </>
  );
}

function AppTile(p: { app: ArgoApp; onSync: () => void }): JSX.Element {
  const a = () => p.app;
  const stop = (e: Event) => e.stopPropagation();
  return (
    <div
      class={`kg-argo-tile kg-argo-b-${a().healthStatus}`}
      onClick={() => open(a())}
      data-testid="argo-tile"
      data-app={a().name}
    >
      <div class="kg-argo-tile-head">
        <button
          class="kg-link kg-argo-tile-name"
          onClick={(e) => {
            e.stopPropagation();
            open(a());
          }}
          aria-label={`Open application ${a().name}: ${a().healthStatus}, ${a().syncStatus}`}
          data-testid="argo-tile-open"
        >
          {a().name}
        </button>
        <span class="kg-muted kg-small">project {a().project}</span>
      </div>
      <div class="kg-argo-row">
        <ArgoStatus status={a().healthStatus} testId="argo-tile-health" title={a().healthMessage} />
        <ArgoStatus status={a().syncStatus} testId="argo-tile-sync" />
        <Show when={a().operationPending || a().lastOperation?.phase === 'Running'}>
          <ArgoStatus status="Running" label="Syncing" />
        </Show>
        <Show when={a().refreshing}>
          <ArgoStatus status="Progressing" label="Refreshing" />
        </Show>
      </div>
      <dl class="kg-dl">
        <dt>Repository</dt>
        <dd title={a().repoURL}>{a().repoURL ?? '—'}</dd>
        <dt>Path</dt>
        <dd>{a().path ?? '—'}</dd>
        <dt>Target revision</dt>
        <dd>
          {a().targetRevision || 'HEAD'}
          <Show when={a().revision}>
            {' '}
            <span class="kg-muted kg-argo-sha">({short(a().revision)})</span>
          </Show>
        </dd>
        <dt>Destination</dt>
        <dd>
          {a().destination.namespace ?? '—'}
          <span class="kg-muted">
            {' '}
            on{' '}
            {a().destination.name ||
              (a().destination.server === 'https://kubernetes.default.svc' ? 'in-cluster' : a().destination.server)}
          </span>
        </dd>
        <dt>Last sync</dt>
        <dd data-testid="argo-tile-last-sync">
          <Show when={a().lastOperation} fallback={<span class="kg-muted">never</span>}>
            {(o) => (
              <>
                <ArgoStatus status={o().phase} label={lastSyncText(o())} />{' '}
                <span class="kg-muted">
                  <When at={o().finishedAt ?? o().startedAt} />
                </span>
              </>
            )}
          </Show>
        </dd>
        <dt>Sync policy</dt>
        <dd>
          {a().autoSync ? `Automated${a().selfHeal ? ', self-heal' : ''}${a().autoPrune ? ', prune' : ''}` : 'Manual'}
        </dd>
      </dl>
      <div class="kg-argo-actions" onClick={stop}>
        <Button
          requires="argocd.sync"
          disabled={a().operationPending}
          title={a().operationPending ? 'An operation is in progress' : undefined}
          onClick={() => p.onSync()}
          testId="argo-tile-sync-btn"
          label={`Sync ${a().name}`}
        >
          Sync…
        </Button>
        <RefreshButtons app={a()} compact />
      </div>
    </div>
  );
}

function RefreshButtons(p: { app: ArgoApp; compact?: boolean }): JSX.Element {
  const refresh = async (hard: boolean) => {
    try {
      const r = await api().call('argocd.refresh', { namespace: p.app.namespace, name: p.app.name, hard });
      toast(r.message, 'ok');
    } catch (e) {
      toast(`Refresh failed: ${toApiError(e).message}`, 'danger');
    }
  };
  return (
    <>
      <Button
        requires="argocd.refresh"
        onClick={() => void refresh(false)}
        title="Compare the cluster with Git again"
        testId="argo-refresh"
        label={`Refresh ${p.app.name}`}
      >
        Refresh
      </Button>
      <Show when={!p.compact}>
        <Button
          requires="argocd.refresh"
          onClick={() => void refresh(true)}
          title="Refresh and also drop Argo CD's cached manifests, so they are rendered from Git again"
          testId="argo-hard-refresh"
          label={`Hard refresh ${p.app.name}`}
        >
          Hard refresh
        </Button>
      </Show>
    </>
  );
}

// ---------------- one application ----------------

function AppPage(p: { namespace: string; name: string }): JSX.Element {
  const [changed, setChanged] = createSignal(0);
  const details = createLoader(() => api().call('argocd.app', { namespace: p.namespace || undefined, name: p.name }));
  const bump = debounced(() => {
    void details.reload();
    setChanged((n) => n + 1);
  });
  onChanges(APPS_KIND, () => p.namespace || undefined, bump);
  // The tree follows its pods (and so the ReplicaSets and Deployments they belong to) as they come and go.
  const dest = () => details.value()?.destination.namespace;
  createEffect(() => {
    const ns = dest();
    if (!ns) return;
    onChanges('pods', () => ns, bump);
  });
  const [tab, setTab] = createSignal(route().params.tab ?? 'tree');
  const [dialog, setDialog] = createSignal<
    { kind: 'sync' } | { kind: 'rollback'; entry: ArgoHistoryEntry } | { kind: 'terminate' } | undefined
  >();
  const [drawer, setDrawer] = createSignal<ArgoTreeNode | undefined>();
  const [diffOf, setDiffOf] = createSignal<ArgoTreeNode | undefined>();
  const running = () => {
    const d = details.value();
    return !!d && (d.operationPending || d.operation?.phase === 'Running' || d.operation?.phase === 'Terminating');
  };
  return (
    <>
      <a class="kg-argo-back" href="#/argocd" data-testid="argo-back">
        ← Applications
      </a>
      <Show
        when={!details.error()}
        fallback={<ErrorState error={details.error()} retry={details.reload} what={`application ${p.name}`} />}
      >
        <Show when={details.value()} fallback={<Loading label={`Reading application ${p.name}…`} />}>
          {(d) => (
            <>
              <div class="kg-page-head">
                <h1 data-testid="argo-app-title">{d().name}</h1>
                <span class="kg-muted">
                  project {d().project} · {d().namespace}
                </span>
                <Badge tone="ok" title="This page follows the Application and its pods live">
                  live
                </Badge>
              </div>
              <div class="kg-argo-actions">
                <Button
                  variant="primary"
                  requires="argocd.sync"
                  disabled={running()}
                  title={running() ? 'An operation is in progress' : undefined}
                  onClick={() => setDialog({ kind: 'sync' })}
                  testId="argo-sync"
                  label={`Sync ${d().name}`}
                >
                  Sync…
                </Button>
                <RefreshButtons app={d()} />
                <Show when={running()}>
                  <Button
                    variant="danger"
                    requires="argocd.terminate"
                    onClick={() => setDialog({ kind: 'terminate' })}
                    testId="argo-terminate"
                  >
                    Terminate…
                  </Button>
                </Show>
              </div>
              <StatusPanels d={d()} />
              <Show when={d().conditions.length}>
                <For each={d().conditions}>
                  {(c) => (
                    <p class="kg-banner kg-tone-danger" role="alert" data-testid="argo-condition">
                      <strong>{c.type}:</strong> {c.message}
                    </p>
                  )}
                </For>
              </Show>
              <Show when={d().operation && running() && tab() !== 'operation'}>
                <OperationView op={d().operation!} pending={d().operationPending} testId="argo-operation" />
              </Show>
              <Tabs
                label="Application"
                active={tab()}
                onChange={setTab}
                tabs={[
                  { id: 'tree', label: `Resources (${d().resources.length})` },
                  { id: 'diff', label: 'Diff' },
                  { id: 'history', label: `History and rollback (${d().history.length})` },
                  { id: 'operation', label: 'Last sync result' },
                  { id: 'summary', label: 'Summary' },
                ]}
              />
              <div class="kg-argo-tab">
                <Switch>
                  <Match when={tab() === 'tree'}>
                    <ResourceTree
                      nodes={d().tree}
                      onOpen={setDrawer}
                      onDiff={(n) => {
                        setDiffOf(n);
                        setTab('diff');
                      }}
                    />
                  </Match>
                  <Match when={tab() === 'diff'}>
                    <DiffTab app={d()} changed={changed} only={diffOf()} onAll={() => setDiffOf(undefined)} />
                  </Match>
                  <Match when={tab() === 'history'}>
                    <History d={d()} onRollback={(entry) => setDialog({ kind: 'rollback', entry })} />
                  </Match>
                  <Match when={tab() === 'operation'}>
                    <Show
                      when={d().operation}
                      fallback={<Empty title="No operation yet" hint="Sync the application to see its result here." />}
                    >
                      {(op) => <OperationView op={op()} pending={d().operationPending} testId="argo-last-operation" />}
                    </Show>
                  </Match>
                  <Match when={tab() === 'summary'}>
                    <Summary d={d()} />
                  </Match>
                </Switch>
              </div>
              <Switch>
                <Match when={dialog()?.kind === 'sync'}>
                  <SyncDialog app={d()} onClose={() => setDialog(undefined)} />
                </Match>
                <Match when={dialog()?.kind === 'rollback'}>
                  <RollbackDialog
                    app={d()}
                    entry={(dialog() as { entry: ArgoHistoryEntry }).entry}
                    onClose={() => setDialog(undefined)}
                  />
                </Match>
                <Match when={dialog()?.kind === 'terminate'}>
                  <TerminateDialog app={d()} onClose={() => setDialog(undefined)} />
                </Match>
              </Switch>
            </>
          )}
        </Show>
      </Show>
      <Show when={drawer()} keyed>
        {(n) => <NodeDrawer node={n} onClose={() => setDrawer(undefined)} />}
      </Show>
    </>
  );
}

function StatusPanels(p: { d: ArgoAppDetails }): JSX.Element {
  const d = () => p.d;
  return (
    <div class="kg-argo-panels">
      <section class="kg-argo-panel" data-testid="argo-panel-health">
        <h3>App health</h3>
        <ArgoStatus status={d().healthStatus} />
        <Show when={d().healthMessage}>
          <p class="kg-muted">{d().healthMessage}</p>
        </Show>
      </section>
      <section class="kg-argo-panel" data-testid="argo-panel-sync">
        <h3>Sync status</h3>
        <ArgoStatus status={d().syncStatus} />
        <p>
          from {d().targetRevision || 'HEAD'}
          <Show when={d().revision}>
            {' '}
            (<span class="kg-argo-sha">{short(d().revision)}</span>)
          </Show>
          <Show when={d().refreshing}>
            {' '}
            <ArgoStatus status="Progressing" label={`${d().refreshing === 'hard' ? 'Hard refresh' : 'Refreshing'}…`} />
          </Show>
        </p>
        <p class="kg-muted">
          {d().autoSync ? `Auto-sync is on${d().selfHeal ? ' with self-heal' : ''}` : 'Auto-sync is off'}
          <Show when={d().reconciledAt}>
            {' '}
            · compared <When at={d().reconciledAt} />
          </Show>
        </p>
      </section>
      <section class="kg-argo-panel" data-testid="argo-panel-last-sync">
        <h3>Last sync</h3>
        <Show when={d().operation} fallback={<span class="kg-muted">Never synced</span>}>
          {(o) => (
            <>
              <ArgoStatus status={o().phase} label={lastSyncText(o())} />
              <p class="kg-muted">
                <Show when={o().initiatedBy}>by {o().initiatedBy} · </Show>
                <When at={o().finishedAt ?? o().startedAt} />
              </p>
              <Show when={o().message}>
                <p>{o().message}</p>
              </Show>
            </>
          )}
        </Show>
      </section>
    </div>
  );
}

/** An operation's phase, message and each resource's result as the controller reports them. */
function OperationView(p: { op: ArgoOperation; pending?: boolean; testId: string }): JSX.Element {
  const o = () => p.op;
  return (
    <section class={`kg-argo-op kg-argo-b-${o().phase}`} data-testid={p.testId} aria-live="polite">
      <div class="kg-argo-op-head">
        <ArgoStatus status={o().phase} label={`${opLabel(o())}: ${o().phase}`} testId={`${p.testId}-phase`} />
        <Show when={o().revision}>
          <span>
            to <span class="kg-argo-sha">{short(o().revision)}</span>
          </span>
        </Show>
        <Show when={o().prune}>
          <Badge tone="warn">prune</Badge>
        </Show>
        <span class="kg-muted">
          started <When at={o().startedAt} />
          <Show when={o().finishedAt}>
            {' '}
            · finished <When at={o().finishedAt} />
          </Show>
          <Show when={o().initiatedBy}> · by {o().initiatedBy}</Show>
        </span>
      </div>
      <Show when={o().message}>
        <p class="kg-small" data-testid={`${p.testId}-message`}>
          {o().message}
        </p>
      </Show>
      <Show
        when={o().resources.length}
        fallback={<p class="kg-muted kg-small">{p.pending ? 'Waiting for the Argo CD controller…' : 'No resources'}</p>}
      >
        <ul class="kg-argo-results" data-testid={`${p.testId}-results`}>
          <For each={o().resources}>
            {(r) => (
              <li data-testid="argo-result">
                <ArgoStatus status={r.status ?? 'Unknown'} />
                <span>
                  {r.kind} <strong>{r.name}</strong>
                </span>
                <span class="kg-muted">{r.message}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

const KIND_ABBR: Record<string, string> = {
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  Pod: 'pod',
  Service: 'svc',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  ConfigMap: 'cm',
  Secret: 'secret',
  Job: 'job',
  CronJob: 'cronjob',
  Ingress: 'ing',
  PersistentVolumeClaim: 'pvc',
  ServiceAccount: 'sa',
  Namespace: 'ns',
};

function ResourceTree(p: {
  nodes: ArgoTreeNode[];
  onOpen: (n: ArgoTreeNode) => void;
  onDiff: (n: ArgoTreeNode) => void;
}): JSX.Element {
  const managed = () => p.nodes.filter((n) => n.managed);
  const summary = () => {
    const m = new Map<string, number>();
    for (const n of managed()) m.set(n.kind, (m.get(n.kind) ?? 0) + 1);
    return [...m.entries()].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ');
  };
  return (
    <Show
      when={p.nodes.length}
      fallback={
        <Empty
          title="No resources yet"
          hint="Argo CD has not compared this application with Git yet, or its source renders no manifests."
        />
      }
    >
      <p class="kg-muted kg-small">
        {managed().length} managed resource{managed().length === 1 ? '' : 's'} ({summary()}), with what they own below
        them. Select a name for its details.
      </p>
      <ul class="kg-argo-tree" data-testid="argo-tree" aria-label="Resource tree">
        <For each={p.nodes}>
          {(n) => (
            <li class="kg-argo-node" data-testid="argo-node" data-kind={n.kind} data-name={n.name} data-depth={n.depth}>
              <span class="kg-argo-node-id">
                <For each={Array.from({ length: n.depth })}>{() => <span class="kg-argo-indent" />}</For>
                <span class="kg-argo-kind" title={n.kind}>
                  {KIND_ABBR[n.kind] ?? n.kind}
                </span>
                <button
                  class="kg-link kg-argo-node-name"
                  onClick={() => p.onOpen(n)}
                  title={`${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}`}
                  data-testid="argo-node-open"
                >
                  {n.name}
                </button>
              </span>
              <span>
                <Show when={n.health}>
                  {(h) => <ArgoStatus status={h().status} title={h().message} testId="argo-node-health" />}
                </Show>
              </span>
              <span>
                <Show when={n.syncStatus}>
                  <ArgoStatus status={n.syncStatus!} testId="argo-node-sync" />
                </Show>
              </span>
              <span class="kg-argo-info">
                <Show when={n.requiresPruning}>
                  <Badge tone="warn" title="In the cluster but no longer in Git: a sync with prune deletes it">
                    requires pruning
                  </Badge>
                </Show>
                <Show when={n.missing}>
                  <Badge tone="warn" title="In Git but not in the cluster: a sync creates it">
                    missing
                  </Badge>
                </Show>
                <For each={n.info}>{(i) => <span class="kg-argo-fact">{i}</span>}</For>
              </span>
              <span class="kg-argo-node-end">
                <Show when={n.managed && n.syncStatus === 'OutOfSync'}>
                  <button
                    class="kg-row-btn"
                    onClick={() => p.onDiff(n)}
                    data-testid="argo-node-diff"
                    aria-label={`Diff of ${n.kind} ${n.name}`}
                  >
                    Diff
                  </button>
                </Show>
                <span class="kg-muted kg-small">
                  <When at={n.createdAt} ago={false} />
                </span>
              </span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** The object's details drawer, as on its kind's page (overview, YAML, describe, events). */
function NodeDrawer(p: { node: ArgoTreeNode; onClose: () => void }): JSX.Element {
  return <ObjectDrawer target={{ ...p.node, group: p.node.group ?? '' }} onClose={p.onClose} />;
}

function DiffTab(p: { app: ArgoApp; changed: () => number; only?: ArgoTreeNode; onAll: () => void }): JSX.Element {
  const diff = createLoader(() => api().call('argocd.diff', { namespace: p.app.namespace, name: p.app.name }), {
    key: p.changed,
  });
  const [all, setAll] = createSignal(false);
  const items = () =>
    (diff.value()?.resources ?? [])
      .filter((r) =>
        p.only
          ? r.kind === p.only.kind && r.name === p.only.name && (r.group ?? '') === (p.only.group ?? '')
          : all() || r.diff,
      )
      .sort((a, b) => Number(!a.diff) - Number(!b.diff));
  const differing = () => (diff.value()?.resources ?? []).filter((r) => r.diff).length;
  return (
    <div data-testid="argo-diff">
      <div class="kg-toolbar">
        <Show
          when={p.only}
          fallback={
            <label class="kg-check">
              <input type="checkbox" checked={all()} onChange={(e) => setAll(e.currentTarget.checked)} /> Show resources
              that match Git too
            </label>
          }
        >
          <span>
            {p.only!.kind} {p.only!.name} only ·{' '}
            <button class="kg-link" onClick={() => p.onAll()} data-testid="argo-diff-all">
              show every resource
            </button>
          </span>
        </Show>
      </div>
      <p class="kg-muted kg-small">
        Live state (−) against what the cluster would hold after a sync (+), from Argo CD's own comparison with Git at{' '}
        <span class="kg-argo-sha">{short(diff.value()?.revision ?? p.app.revision)}</span>.
      </p>
      <Show when={!diff.error()} fallback={<ErrorState error={diff.error()} retry={diff.reload} what="the diff" />}>
        <Show when={diff.value()} fallback={<Loading label="Asking Argo CD for the desired state…" />}>
          <Show
            when={items().length}
            fallback={
              <Empty
                title={differing() ? 'Nothing to show' : 'Every resource matches Git'}
                hint={differing() ? undefined : 'The cluster holds what Git describes; a sync would change nothing.'}
              />
            }
          >
            <For each={items()}>
              {(r) => (
                <section class="kg-argo-diff-item" data-testid="argo-diff-item" data-name={r.name} data-kind={r.kind}>
                  <h4>
                    <span>
                      {r.kind} <strong>{r.name}</strong>
                      <span class="kg-muted kg-small"> {r.namespace}</span>
                    </span>
                    <ArgoStatus status={r.status} />
                    <Show when={r.requiresPruning}>
                      <Badge tone="warn">not in Git: requires pruning</Badge>
                    </Show>
                    <Show when={!r.inCluster}>
                      <Badge tone="info">not in the cluster: a sync creates it</Badge>
                    </Show>
                  </h4>
                  <DiffView diff={r.diff} testId="argo-diff-text" />
                </section>
              )}
            </For>
          </Show>
        </Show>
      </Show>
    </div>
  );
}

function History(p: { d: ArgoAppDetails; onRollback: (h: ArgoHistoryEntry) => void }): JSX.Element {
  const rows = () => [...p.d.history].reverse();
  const why = () =>
    p.d.autoSync
      ? 'Rollback is off while auto-sync is on: Argo CD would sync straight back to the target revision'
      : p.d.operationPending
        ? 'An operation is in progress'
        : undefined;
  return (
    <Show
      when={rows().length}
      fallback={<Empty title="No deployment history" hint="Every successful sync adds an entry here." />}
    >
      <Show when={p.d.commitNote}>
        <p class="kg-muted kg-small">{p.d.commitNote}</p>
      </Show>
      <Show when={p.d.autoSync}>
        <p class="kg-banner kg-tone-warn" role="note">
          Auto-sync is on for {p.d.name}, so it cannot be rolled back: Argo CD refuses, as it would sync back to{' '}
          {p.d.targetRevision || 'HEAD'} at once. Turn automated sync off in the Application first.
        </p>
      </Show>
      <table class="kg-simple-table" data-testid="argo-history">
        <thead>
          <tr>
            <th>ID</th>
            <th>Revision</th>
            <th>Deployed</th>
            <th>Initiated by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(h) => (
              <tr data-testid="argo-history-row" data-id={h.id}>
                <td>{h.id}</td>
                <td>
                  <span class="kg-argo-sha" title={h.revision}>
                    {short(h.revision)}
                  </span>{' '}
                  <Show when={h.current}>
                    <Badge tone="ok">deployed now</Badge>
                  </Show>
                  <Show when={h.commit}>
                    {(c) => (
                      <span class="kg-argo-commit">
                        {c().message?.split('\n')[0]}
                        <Show when={c().author}> — {c().author?.replace(/\s*<.*>$/, '')}</Show>
                      </span>
                    )}
                  </Show>
                </td>
                <td class="kg-muted">
                  <When at={h.deployedAt} />
                </td>
                <td>{h.initiatedBy ?? '—'}</td>
                <td>
                  <Show when={!h.current}>
                    <Button
                      requires="argocd.rollback"
                      disabled={!!why()}
                      title={why()}
                      onClick={() => p.onRollback(h)}
                      testId={`argo-rollback-${h.id}`}
                      label={`Rollback to history entry ${h.id}`}
                    >
                      Rollback…
                    </Button>
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

function Summary(p: { d: ArgoAppDetails }): JSX.Element {
  const d = () => p.d;
  return (
    <dl class="kg-dl" data-testid="argo-summary">
      <dt>Project</dt>
      <dd>{d().project}</dd>
      <dt>Repository</dt>
      <dd>{d().repoURL ?? '—'}</dd>
      <dt>Path</dt>
      <dd>{d().path ?? '—'}</dd>
      <dt>Target revision</dt>
      <dd>{d().targetRevision || 'HEAD'}</dd>
      <dt>Destination</dt>
      <dd>
        {d().destination.namespace ?? '—'} on {d().destination.name ?? d().destination.server ?? '—'}
      </dd>
      <dt>Sync policy</dt>
      <dd>
        {d().autoSync
          ? `Automated (prune ${d().autoPrune ? 'on' : 'off'}, self-heal ${d().selfHeal ? 'on' : 'off'})`
          : 'Manual'}
      </dd>
      <dt>Created</dt>
      <dd>
        <When at={d().createdAt} />
      </dd>
      <dt>Last compared</dt>
      <dd>
        <When at={d().reconciledAt} />
      </dd>
    </dl>
  );
}

// ---------------- dialogs ----------------

function SyncDialog(p: { app: ArgoApp; onClose: () => void }): JSX.Element {
  const [revision, setRevision] = createSignal(p.app.targetRevision || 'HEAD');
  const [prune, setPrune] = createSignal(false);
  const [dryRun, setDryRun] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const outOfSync = () => p.app.resources.filter((r) => r.status !== 'Synced' && !r.requiresPruning);
  const prunable = () => p.app.resources.filter((r) => r.requiresPruning);
  const revError = () =>
    !revision().trim()
      ? 'Give a revision: a branch, tag or commit SHA (HEAD for the newest)'
      : revision().length > 256
        ? 'A revision is at most 256 characters'
        : /\s/.test(revision().trim())
          ? 'A revision has no spaces'
          : undefined;
  const go = async () => {
    if (revError()) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const r = await api().call('argocd.sync', {
        namespace: p.app.namespace,
        name: p.app.name,
        revision: revision().trim(),
        prune: prune(),
        dryRun: dryRun(),
      });
      toast(r.message, 'ok');
      p.onClose();
    } catch (e) {
      setFailure(toApiError(e).message);
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`Sync ${p.app.name}?`}
      onClose={() => !busy() && p.onClose()}
      testId="argo-sync-dialog"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onClose()} disabled={busy()}>
            Cancel
          </button>
          <button
            class="kg-plain-btn kg-primary"
            data-testid="argo-sync-confirm"
            disabled={busy() || !!revError()}
            onClick={() => void go()}
          >
            {busy() ? 'Requesting…' : dryRun() ? 'Dry run' : 'Synchronize'}
          </button>
        </>
      }
    >
      <p>
        Argo CD applies {p.app.path ? <code>{p.app.path}</code> : 'the source'} of <code>{p.app.repoURL}</code> to{' '}
        <strong>{p.app.destination.namespace}</strong>.{' '}
        {outOfSync().length
          ? `${outOfSync().length} resource${outOfSync().length === 1 ? ' differs' : 's differ'} from Git: ${outOfSync()
              .map((r) => `${r.kind} ${r.name}`)
              .join(', ')}.`
          : 'Every resource already matches Git.'}
      </p>
      <TextField
        label="Revision"
        value={revision()}
        onInput={setRevision}
        error={revError()}
        hint={<span class="kg-muted">Branch, tag or commit; the app's target revision by default.</span>}
        testId="argo-sync-revision"
      />
      <div class="kg-argo-options">
        <label class="kg-check">
          <input
            type="checkbox"
            checked={prune()}
            onChange={(e) => setPrune(e.currentTarget.checked)}
            data-testid="argo-sync-prune"
          />{' '}
          Prune
          <span class="kg-muted">
            {prunable().length
              ? `Deletes what is no longer in Git: ${prunable()
                  .map((r) => `${r.kind} ${r.name}`)
                  .join(', ')}.`
              : 'Deletes resources no longer in Git (none now).'}{' '}
            Without it they stay, marked "requires pruning".
          </span>
        </label>
        <label class="kg-check">
          <input
            type="checkbox"
            checked={dryRun()}
            onChange={(e) => setDryRun(e.currentTarget.checked)}
            data-testid="argo-sync-dry-run"
          />{' '}
          Dry run
          <span class="kg-muted">
            Argo CD runs every step against the API server without changing anything, and records no history.
          </span>
        </label>
      </div>
      <Show when={failure()}>
        <p class="kg-error-text" role="alert" data-testid="argo-sync-error">
          {failure()}
        </p>
      </Show>
    </Modal>
  );
}

function RollbackDialog(p: { app: ArgoApp; entry: ArgoHistoryEntry; onClose: () => void }): JSX.Element {
  const [prune, setPrune] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const go = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const r = await api().call('argocd.rollback', {
        namespace: p.app.namespace,
        name: p.app.name,
        id: p.entry.id,
        prune: prune(),
      });
      toast(r.message, 'ok');
      p.onClose();
    } catch (e) {
      setFailure(toApiError(e).message);
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`Roll back ${p.app.name} to history entry ${p.entry.id}?`}
      onClose={() => !busy() && p.onClose()}
      testId="argo-rollback-dialog"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onClose()} disabled={busy()}>
            Cancel
          </button>
          <button
            class="kg-plain-btn kg-danger"
            data-testid="argo-rollback-confirm"
            disabled={busy()}
            onClick={() => void go()}
          >
            {busy() ? 'Requesting…' : 'Roll back'}
          </button>
        </>
      }
    >
      <p>
        Argo CD deploys revision <span class="kg-argo-sha">{short(p.entry.revision)}</span>
        <Show when={p.entry.commit?.message}> ("{p.entry.commit!.message!.split('\n')[0]}")</Show>, as deployed{' '}
        <When at={p.entry.deployedAt} />, to <strong>{p.app.destination.namespace}</strong>.
      </p>
      <p class="kg-muted">
        Git is not changed: {p.app.name} will show OutOfSync against {p.app.targetRevision || 'HEAD'} until the next
        sync.
      </p>
      <div class="kg-argo-options">
        <label class="kg-check">
          <input
            type="checkbox"
            checked={prune()}
            onChange={(e) => setPrune(e.currentTarget.checked)}
            data-testid="argo-rollback-prune"
          />{' '}
          Prune
          <span class="kg-muted">Delete resources that revision does not have.</span>
        </label>
      </div>
      <Show when={failure()}>
        <p class="kg-error-text" role="alert" data-testid="argo-rollback-error">
          {failure()}
        </p>
      </Show>
    </Modal>
  );
}

function TerminateDialog(p: { app: ArgoApp; onClose: () => void }): JSX.Element {
  const [failure, setFailure] = createSignal<string | undefined>();
  const go = async () => {
    try {
      const r = await api().call('argocd.terminate', { namespace: p.app.namespace, name: p.app.name });
      toast(r.message, 'ok');
      p.onClose();
    } catch (e) {
      setFailure(toApiError(e).message);
    }
  };
  return (
    <Modal
      title={`Terminate the operation on ${p.app.name}?`}
      onClose={p.onClose}
      testId="argo-terminate-dialog"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onClose()}>
            Cancel
          </button>
          <button class="kg-plain-btn kg-danger" data-testid="argo-terminate-confirm" onClick={() => void go()}>
            Terminate
          </button>
        </>
      }
    >
      <p>Resources already applied stay as they are; the rest are not applied.</p>
      <Show when={failure()}>
        <p class="kg-error-text" role="alert">
          {failure()}
        </p>
      </Show>
    </Modal>
  );
}
