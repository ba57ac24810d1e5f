// The app marketplace: cards of add-ons KubeGraf can install from their official Helm charts, each with its state in
// this cluster (from a Helm release of its chart, or its running workloads), live. What an install needs is said
// before the user starts: the helm binary (from /api/capabilities) and internet access to the chart repository (not
// probed). Installing shows its progress; uninstalling a Helm-installed app previews every object, asks, then works
// without the helm binary.
import { createMemo, createSignal, For, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import type {
  AppCatalogEntry,
  AppState,
  HelmChangeResult,
  HelmObjectChange,
} from '../../../src/shared/routes/integrations';
import { pageById, toHash } from '../model/nav';
import { namespaceName, problem } from '../model/validate';
import { api, namespaces, route, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { subscribeKind } from '../stores/live';
import { pageHidden } from '../stores/plugins';
import { inScope } from '../stores/scope';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { TextField } from '../ui/field';
import { Modal } from '../ui/modal';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import '../styles/apps.css';

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';

const STATE: Record<AppState, { label: string; tone: Tone }> = {
  installed: { label: 'Installed', tone: 'ok' },
  degraded: { label: 'Degraded', tone: 'warn' },
  progressing: { label: 'In progress', tone: 'info' },
  failed: { label: 'Failed', tone: 'danger' },
  notInstalled: { label: 'Not installed', tone: 'muted' },
};

const KIND_PAGE: Record<string, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

const hostOf = (repo: string) => repo.replace(/^(https?|oci):\/\//, '').split('/')[0];

/** The pages a plugin's app lights up, when the plugin is on. */
const PLUGIN_PAGE: Record<string, string> = {
  argocd: 'argocd',
  'cert-manager': 'certificates',
  kserve: 'inference-services',
  kiali: 'kiali',
  mlflow: 'mlflow',
  feast: 'feast',
  gpu: 'gpu-dashboard',
};

/** Calls `f` once a burst of changes is over. */
function debounced(f: () => void, ms = 500): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(t));
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

export function AppsPage(): JSX.Element {
  const list = createLoader(() => api().call('apps.list', {}));
  const caps = createLoader(() => api().call('capabilities', {}));
  const [q, setQ] = createSignal(route().params.app ?? '');
  const [category, setCategory] = createSignal('');
  const [show, setShow] = createSignal<'all' | 'installed' | 'available'>('all');
  const [installing, setInstalling] = createSignal<AppCatalogEntry | undefined>();
  const [removing, setRemoving] = createSignal<AppCatalogEntry | undefined>();
  // Live: Helm release records are Secrets, and apps found by their workloads come and go with them.
  const refresh = debounced(() => void list.reload());
  const unsubs: Array<() => void> = [];
  for (const kind of ['secrets', 'deployments', 'statefulsets', 'daemonsets'])
    unsubs.push(subscribeKind(kind, undefined, (m) => m.type !== 'error' && refresh()));
  onCleanup(() => unsubs.forEach((u) => u()));

  const helm = () => caps.value()?.tools.helm;
  const apps = () => list.value()?.apps ?? [];
  const categories = createMemo(() => [...new Set(apps().map((a) => a.category))]);
  // The namespace picker applies to what is installed; what is not installed can go anywhere, so it always shows.
  const inPicked = (a: AppCatalogEntry) => !a.installed || inScope(a.namespace, namespaces());
  const hiddenByScope = () => apps().filter((a) => !inPicked(a)).length;
  const shown = createMemo(() =>
    apps().filter(
      (a) =>
        inPicked(a) &&
        (!category() || a.category === category()) &&
        (show() === 'all' || (show() === 'installed') === a.installed) &&
        (!q() || `${a.name} ${a.title} ${a.description} ${a.category}`.toLowerCase().includes(q().toLowerCase())),
    ),
  );
  const installedCount = () => apps().filter((a) => a.installed).length;

  return (
    <div class="kg-page" data-testid="page-apps">
      <div class="kg-page-head">
        <h1>Apps</h1>
        <Show when={list.value()}>
          <span class="kg-muted" data-testid="apps-counts">
            {installedCount()} of {apps().length} in this cluster
          </span>
        </Show>
      </div>
      <p class="kg-muted">
        Add-ons from their official Helm charts. What already runs here is found from Helm releases of each chart, or
        from workloads with its names and <code>app.kubernetes.io</code> labels.
      </p>
      <Requirements helm={helm()} loading={!caps.value() && !caps.error()} />
      <div class="kg-toolbar">
        <input
          class="kg-input"
          type="search"
          placeholder="Search apps"
          aria-label="Search apps"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="apps-search"
        />
        <div class="kg-chips" role="group" aria-label="Show">
          <For
            each={
              [
                ['all', 'All'],
                ['installed', 'Installed'],
                ['available', 'Not installed'],
              ] as const
            }
          >
            {([id, label]) => (
              <button
                class="kg-chip kg-chip-btn"
                aria-pressed={show() === id}
                onClick={() => setShow(id)}
                data-testid={`apps-show-${id}`}
              >
                {label}
              </button>
            )}
          </For>
        </div>
        <select
          class="kg-input"
          aria-label="Category"
          value={category()}
          onChange={(e) => setCategory(e.currentTarget.value)}
          data-testid="apps-category"
        >
          <option value="">All categories</option>
          <For each={categories()}>{(c) => <option value={c}>{c}</option>}</For>
        </select>
      </div>
      <Show when={!list.error()} fallback={<ErrorState error={list.error()} retry={list.reload} what="the apps" />}>
        <Show when={list.value()} fallback={<Loading label="Looking for apps in the cluster…" />}>
          <Show when={hiddenByScope()}>
            <p class="kg-muted kg-small" data-testid="apps-scope-note">
              {hiddenByScope()} installed app{hiddenByScope() === 1 ? ' runs' : 's run'} outside the chosen namespaces
              and {hiddenByScope() === 1 ? 'is' : 'are'} not shown.
            </p>
          </Show>
          <Show
            when={shown().length}
            fallback={
              <Empty
                title={q() ? `No app matches "${q()}"` : 'No apps to show'}
                hint="Clear the search or pick another category."
              />
            }
          >
            <div class="kg-app-grid" data-testid="apps-grid">
              <For each={shown()}>
                {(a) => (
                  <AppCard
                    app={a}
                    helmAvailable={helm()?.available}
                    onInstall={() => setInstalling(a)}
                    onUninstall={() => setRemoving(a)}
                  />
                )}
              </For>
            </div>
          </Show>
        </Show>
      </Show>
      <Show when={installing()} keyed>
        {(a) => (
          <InstallDialog
            app={a}
            onClose={() => setInstalling(undefined)}
            onDone={() => {
              void list.reload();
              void caps.reload();
            }}
          />
        )}
      </Show>
      <Show when={removing()} keyed>
        {(a) => <UninstallDialog app={a} onClose={() => setRemoving(undefined)} onDone={() => void list.reload()} />}
      </Show>
    </div>
  );
}

/** What installing needs, said before anyone starts: the helm binary and internet access to chart repositories. */
function Requirements(p: {
  helm?: { available: boolean; version?: string; message: string };
  loading: boolean;
}): JSX.Element {
  return (
    <section class="kg-app-needs" aria-label="What installing needs" data-testid="apps-requirements">
      <Show when={!p.loading} fallback={<span class="kg-muted">Checking for the helm binary…</span>}>
        <Show
          when={p.helm?.available}
          fallback={
            <div class="kg-banner kg-tone-warn" role="note" data-testid="apps-needs-helm">
              <strong>Installing needs Helm.</strong> KubeGraf installs an app by rendering its chart with the helm
              binary on the machine running KubeGraf, and none was found on its PATH. Install Helm 3 (
              <a href="https://helm.sh/docs/intro/install/" target="_blank" rel="noreferrer">
                helm.sh/docs/intro/install
              </a>
              ), then reload this page. Uninstalling an app that was installed with Helm works without it.
            </div>
          }
        >
          <div class="kg-app-need" data-testid="apps-helm-found">
            <Badge tone="ok">helm</Badge> {p.helm?.version} found: apps can be installed.
          </div>
        </Show>
        <div class="kg-app-need kg-muted" data-testid="apps-needs-internet">
          <Badge tone="info">internet</Badge> Installing downloads the chart from its repository, so this machine needs
          internet access to it. KubeGraf does not check that in advance; an install that cannot reach the repository
          says so.
        </div>
      </Show>
    </section>
  );
}

function AppCard(p: {
  app: AppCatalogEntry;
  helmAvailable?: boolean;
  onInstall: () => void;
  onUninstall: () => void;
}): JSX.Element {
  const a = () => p.app;
  const st = () => STATE[a().state];
  const openPage = () => {
    const id = a().plugin && PLUGIN_PAGE[a().plugin!];
    return id && pageById(id) && !pageHidden(id) ? pageById(id) : undefined;
  };
  return (
    <article
      class="kg-app-card"
      classList={{ 'kg-app-installed': a().installed }}
      aria-label={a().title}
      data-testid={`app-card-${a().name}`}
    >
      <header class="kg-app-head">
        <div>
          <h2 class="kg-app-title">{a().title}</h2>
          <div class="kg-muted kg-small">{a().category}</div>
        </div>
        <Badge tone={st().tone} testId="app-state" title={a().message}>
          {st().label}
        </Badge>
      </header>
      <p class="kg-app-desc">{a().description}</p>
      <Show
        when={a().installed}
        fallback={
          <p class="kg-muted kg-small" data-testid="app-chart">
            Chart <code>{a().chart}</code> from {hostOf(a().repo)} into namespace <code>{a().defaultNamespace}</code>
          </p>
        }
      >
        <p class="kg-small" data-testid="app-detail">
          <Show
            when={a().release}
            fallback={<span>Found by its workloads in {a().namespace} (not installed with Helm)</span>}
          >
            {(r) => (
              <span>
                Helm release <strong>{r().name}</strong> in {r().namespace} · chart {r().chartVersion}
                <Show when={r().appVersion}> · app {r().appVersion}</Show> ·{' '}
                <Badge tone={r().status === 'deployed' ? 'ok' : r().status === 'failed' ? 'danger' : 'info'}>
                  {r().status}
                </Badge>{' '}
                <When at={r().updated} />
              </span>
            )}
          </Show>
        </p>
        <Show when={a().state === 'failed' || a().state === 'degraded'}>
          <p class={`kg-small kg-app-problem kg-status kg-tone-${st().tone}`} data-testid="app-problem">
            {a().message.replace(/^.*?: |^.*?; /, '')}
          </p>
        </Show>
        <Show when={a().workloads.length}>
          <ul class="kg-chips kg-app-workloads" aria-label="Workloads">
            <For each={a().workloads.slice(0, 6)}>
              {(w) => (
                <li>
                  <a
                    class="kg-chip"
                    href={toHash(KIND_PAGE[w.kind], { ns: w.namespace, name: w.name })}
                    title={`${w.kind} ${w.namespace}/${w.name}: ${w.ready} of ${w.desired} ready`}
                  >
                    <span class={`kg-dot kg-tone-${w.ready >= w.desired ? 'ok' : 'warn'}`} aria-hidden="true" />
                    {w.name} {w.ready}/{w.desired}
                  </a>
                </li>
              )}
            </For>
            <Show when={a().workloads.length > 6}>
              <li class="kg-muted kg-small">+{a().workloads.length - 6} more</li>
            </Show>
          </ul>
        </Show>
      </Show>
      <footer class="kg-app-foot">
        <Switch>
          <Match when={!a().installed}>
            <Show
              when={p.helmAvailable !== false}
              fallback={
                <>
                  <Button disabled title="Installing needs the helm binary on the machine running KubeGraf">
                    Install…
                  </Button>
                  <Badge tone="warn" testId="app-needs-helm" title="No helm binary on PATH">
                    needs helm
                  </Badge>
                </>
              }
            >
              <Button
                variant="primary"
                requires="apps.install"
                disabled={p.helmAvailable === undefined}
                onClick={() => p.onInstall()}
                testId={`app-install-${a().name}`}
              >
                Install…
              </Button>
              <span class="kg-muted kg-small">needs internet</span>
            </Show>
          </Match>
          <Match when={a().release}>
            <Button
              variant="danger"
              requires="apps.uninstall"
              onClick={() => p.onUninstall()}
              testId={`app-uninstall-${a().name}`}
            >
              Uninstall…
            </Button>
          </Match>
          <Match when={a().installed}>
            <span class="kg-muted kg-small" data-testid="app-not-helm">
              Installed without Helm: remove it with the tool that installed it.
            </span>
          </Match>
        </Switch>
        <span class="kg-spacer" />
        <Show when={openPage()}>
          {(pg) => (
            <a href={toHash(pg().id)} data-testid="app-open-page">
              Open {pg().label}
            </a>
          )}
        </Show>
        <a href={a().home} target="_blank" rel="noreferrer" class="kg-small">
          Docs
        </a>
      </footer>
    </article>
  );
}

/** Namespace, what will run, then helm install with its progress and the result. */
function InstallDialog(p: { app: AppCatalogEntry; onClose: () => void; onDone: () => void }): JSX.Element {
  const [ns, setNs] = createSignal(p.app.defaultNamespace);
  const [phase, setPhase] = createSignal<'form' | 'running' | 'done'>('form');
  const [outcome, setOutcome] = createSignal<{ ok: boolean; message: string } | undefined>();
  const [elapsed, setElapsed] = createSignal(0);
  const nsError = () => problem(namespaceName(ns()));
  let timer: ReturnType<typeof setInterval> | undefined;
  onCleanup(() => clearInterval(timer));
  const oci = p.app.repo.startsWith('oci://');
  const go = async () => {
    if (nsError()) return;
    setPhase('running');
    const start = Date.now();
    timer = setInterval(() => setElapsed(Math.round((Date.now() - start) / 1000)), 1000);
    try {
      const r = await api().call('apps.install', { name: p.app.name, namespace: ns() });
      setOutcome({ ok: true, message: r.message });
      toast(r.message, 'ok');
    } catch (e) {
      const err = toApiError(e);
      setOutcome({ ok: false, message: err.message });
      toast(`Installing ${p.app.title} failed (${err.code})`, 'danger');
    }
    clearInterval(timer);
    setPhase('done');
    p.onDone();
  };
  return (
    <Modal
      title={`Install ${p.app.title}`}
      onClose={() => phase() !== 'running' && p.onClose()}
      testId="app-install-dialog"
      footer={
        <Switch>
          <Match when={phase() === 'form'}>
            <button class="kg-plain-btn" onClick={() => p.onClose()}>
              Cancel
            </button>
            <button
              class="kg-plain-btn kg-primary"
              data-testid="app-install-go"
              disabled={!!nsError()}
              onClick={() => void go()}
            >
              Install
            </button>
          </Match>
          <Match when={phase() === 'done'}>
            <button class="kg-plain-btn kg-primary" onClick={() => p.onClose()} data-testid="app-install-close">
              Close
            </button>
          </Match>
        </Switch>
      }
    >
      <Switch>
        <Match when={phase() === 'form'}>
          <TextField
            label="Namespace"
            value={ns()}
            onInput={setNs}
            error={nsError()}
            hint="Created when it does not exist."
            autofocus
            testId="app-install-namespace"
          />
          <p class="kg-small">KubeGraf will run, on this machine:</p>
          <pre class="kg-code kg-small kg-app-cmd" data-testid="app-install-command">
            helm install {p.app.name} {oci ? `${p.app.repo}/${p.app.chart}` : `${p.app.chart} --repo ${p.app.repo}`}{' '}
            --namespace {ns() || '…'} --create-namespace --wait --timeout 5m
          </pre>
          <p class="kg-muted kg-small">
            This downloads the chart from {hostOf(p.app.repo)} (needs internet access) and waits until its workloads are
            ready, five minutes at most.
          </p>
        </Match>
        <Match when={phase() === 'running'}>
          <Loading
            label={`Installing ${p.app.title} into ${ns()}: helm waits for its workloads to be ready (${elapsed()}s, up to 5 minutes)…`}
          />
        </Match>
        <Match when={phase() === 'done'}>
          <div
            class={`kg-state ${outcome()?.ok ? '' : 'kg-state-error'}`}
            role="status"
            data-testid="app-install-result"
          >
            <strong>{outcome()?.ok ? 'Installed' : 'Not installed'}</strong>
            <span>{outcome()?.message}</span>
          </div>
        </Match>
      </Switch>
    </Modal>
  );
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

/** Preview (dry run) of every object, a confirmation, the native uninstall with its progress, then the result. */
function UninstallDialog(p: { app: AppCatalogEntry; onClose: () => void; onDone: () => void }): JSX.Element {
  const rel = p.app.release!;
  const [keepHistory, setKeepHistory] = createSignal(false);
  const [phase, setPhase] = createSignal<'preview' | 'running' | 'done'>('preview');
  const [result, setResult] = createSignal<HelmChangeResult | undefined>();
  const [failure, setFailure] = createSignal<string | undefined>();
  const run = (dryRun: boolean) =>
    api().call('apps.uninstall', { name: rel.name, namespace: rel.namespace, keepHistory: keepHistory(), dryRun });
  const preview = createLoader(() => run(true), { key: keepHistory });
  const doomed = () => preview.value()?.objects.filter((o) => o.action === 'deleted').length ?? 0;
  const go = async () => {
    setPhase('running');
    try {
      const r = await run(false);
      setResult(r);
      toast(`Uninstalled ${p.app.title}`, 'ok');
    } catch (e) {
      setFailure(toApiError(e).message);
      toast(`Uninstalling ${p.app.title} failed`, 'danger');
    }
    setPhase('done');
    p.onDone();
  };
  const shown = () => (phase() === 'done' ? result()?.objects : preview.value()?.objects) ?? [];
  return (
    <Modal
      title={`Uninstall ${p.app.title}?`}
      wide
      onClose={() => phase() !== 'running' && p.onClose()}
      testId="app-uninstall-dialog"
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
              Uninstall
            </button>
          </Match>
          <Match when={phase() === 'done'}>
            <button class="kg-plain-btn kg-primary" data-testid="app-uninstall-close" onClick={() => p.onClose()}>
              Close
            </button>
          </Match>
        </Switch>
      }
    >
      <Switch>
        <Match when={phase() === 'preview'}>
          <p>
            Removes Helm release <strong>{rel.name}</strong> from namespace {rel.namespace} and the objects it created,
            the way <code>helm uninstall</code> does (no helm binary needed).
          </p>
          <label class="kg-check">
            <input
              type="checkbox"
              checked={keepHistory()}
              onChange={(e) => setKeepHistory(e.currentTarget.checked)}
              data-testid="app-keep-history"
            />{' '}
            Keep the release history (like <code>helm uninstall --keep-history</code>)
          </label>
          <Show
            when={!preview.error()}
            fallback={<ErrorState error={preview.error()} retry={preview.reload} what="the preview" />}
          >
            <Show
              when={preview.value()}
              fallback={<Loading label="Checking every object with the server (dry run)…" />}
            >
              <p data-testid="app-uninstall-summary">
                This would delete {doomed()} object{doomed() === 1 ? '' : 's'}. Nothing has been deleted yet.
              </p>
            </Show>
          </Show>
        </Match>
        <Match when={phase() === 'running'}>
          <Loading label={`Uninstalling ${p.app.title}: deleting ${doomed()} objects in Helm's order…`} />
        </Match>
        <Match when={phase() === 'done'}>
          <div class={`kg-state ${failure() ? 'kg-state-error' : ''}`} role="status" data-testid="app-uninstall-result">
            <strong>{failure() ? 'Failed' : 'Uninstalled'}</strong>
            <span>{failure() ?? result()?.message.replace(/; delete hooks were not run.*$/s, '')}</span>
          </div>
        </Match>
      </Switch>
      <Show when={shown().length}>
        <ul
          class="kg-helm-objects"
          data-testid={phase() === 'done' ? 'app-uninstall-objects' : 'app-uninstall-preview'}
        >
          <For each={shown()}>
            {(o) => (
              <li data-testid="app-object">
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
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Modal>
  );
}
