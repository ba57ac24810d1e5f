// The app shell: sidebar, header, the current page, the execution panel, dialogs, toasts, and the palette.
import { createMemo, For, Match, onCleanup, onMount, Show, Switch, type JSX } from 'solid-js';
import { NOT_FOUND, pageById } from './model/nav';
import { route, setPaletteOpen, paletteOpen, toasts } from './stores/app';
import { createLoader } from './stores/loader';
import { incidentFeed } from './stores/incidents';
import { api } from './stores/app';
import { entryByMany } from './stores/kinds';
import { Sidebar } from './components/sidebar';
import { Header } from './components/header';
import { CommandPalette } from './components/commandPalette';
import { ExecutionPanel } from './components/executionPanel';
import { ActionDialogs } from './components/objectActions';
import { ResourcePage } from './pages/resourcePage';
import { Dashboard } from './pages/dashboard';
import { Incidents } from './pages/incidents';
import { Events } from './pages/events';
import { Nodes } from './pages/nodes';
import { PortForwards } from './pages/portForwards';
import { Metrics } from './pages/metrics';
import { Logs } from './pages/logs';
import { TerminalPage } from './pages/terminal';
import { ClusterManager } from './pages/clusterManager';
import { ClusterOverview } from './pages/clusterOverview';
import { Settings } from './pages/settings';
import { CustomResources } from './pages/customResources';
import { AutoFix } from './pages/autofix';
import { Assistant } from './pages/assistant';
import { Users } from './pages/users';
import { SignIn } from './components/signIn';
import { SreAgent } from './pages/sreAgent';
import { AiAgents } from './pages/aiAgents';
import { HelmPage } from './pages/helm';
import { AppsPage } from './pages/apps';
import { PluginOff, PluginsPage } from './pages/plugins';
import { pluginOff, startPlugins } from './stores/plugins';
import { ArgoCdPage } from './pages/argocd';
import { GpuDashboard } from './pages/gpu';
import { MlflowPage } from './pages/mlflow';
import { FeastPage } from './pages/feast';
import { Connectors } from './pages/connectors';
import { TrainingJobs } from './pages/trainingJobs';
import { InferenceServices } from './pages/inferenceServices';
import { KialiPage } from './pages/kiali';
import { CertificatesPage } from './pages/certificates';
import { DriftPage } from './pages/drift';
import { ResourceMap } from './pages/resourceMap';
import { TimelinePage } from './pages/timeline';
import { AnomaliesPage } from './pages/anomalies';
import { KnowledgeBank } from './pages/knowledgeBank';
import { CostPage } from './pages/cost';
import { ContinuityPage } from './pages/continuity';
import { SecurityPage } from './pages/security';
import { Empty, Loading } from './ui/states';
import { startLive } from './stores/live';
import { NotFound } from './pages/notFound';

const CUSTOM: Record<string, () => JSX.Element> = {
  dashboard: Dashboard,
  incidents: Incidents,
  events: Events,
  nodes: Nodes,
  portForwards: PortForwards,
  metrics: Metrics,
  logs: Logs,
  terminal: TerminalPage,
  clusterManager: ClusterManager,
  clusterOverview: ClusterOverview,
  settings: Settings,
  customResources: CustomResources,
  autofix: AutoFix,
  assistant: Assistant,
  users: Users,
  sreAgent: SreAgent,
  aiAgents: AiAgents,
  helm: HelmPage,
  apps: AppsPage,
  plugins: PluginsPage,
  argocd: ArgoCdPage,
  gpu: GpuDashboard,
  mlflow: MlflowPage,
  feast: FeastPage,
  connectors: Connectors,
  trainingJobs: TrainingJobs,
  inferenceServices: InferenceServices,
  kiali: KialiPage,
  certificates: CertificatesPage,
  drift: DriftPage,
  resourceMap: ResourceMap,
  timeline: TimelinePage,
  anomalies: AnomaliesPage,
  knowledgeBank: KnowledgeBank,
  cost: CostPage,
  continuity: ContinuityPage,
  security: SecurityPage,
};

/**
 * Without a valid token every call answers 401: say how to get in rather than showing a wall of errors. The shell (and
 * its sockets) mounts only once the server has let us in: mounting it first and dropping it on the 401 closed
 * `/ws/metrics` while it was still connecting, and left `/ws` retrying a handshake it could never pass.
 */
export function App(): JSX.Element {
  const gate = createLoader(() => api().call('status', {}));
  const signedIn = () => gate.value() !== undefined || (gate.error() !== undefined && gate.error()!.status !== 401);
  return (
    <Switch
      fallback={
        <div class="kg-boot">
          <Loading label="Opening KubeGraf…" />
        </div>
      }
    >
      <Match when={gate.error()?.status === 401}>
        <SignIn />
      </Match>
      <Match when={signedIn()}>
        <Shell />
      </Match>
    </Switch>
  );
}

function Shell(): JSX.Element {
  const page = createMemo(() => pageById(route().page));
  const incidents = incidentFeed();
  const onKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      setPaletteOpen(!paletteOpen());
    }
  };
  onMount(() => {
    window.addEventListener('keydown', onKey);
    startLive();
    startPlugins();
  });
  onCleanup(() => window.removeEventListener('keydown', onKey));
  return (
    <div class="kg-app">
      <a
        class="kg-skip"
        href="#kg-main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('kg-main')?.focus();
        }}
      >
        Skip to content
      </a>
      <Sidebar unreadIncidents={() => incidents.counts()?.total ?? 0} />
      <div class="kg-main-col">
        <Header />
        {/* A tab stop of its own: a page of read-only text scrolls with the keyboard too (WCAG 2.1.1). */}
        <main id="kg-main" class="kg-content" tabIndex={0} aria-label={page()?.label ?? 'Page not found'}>
          {/* Keyed on the page id: a page's state and subscriptions end when the user leaves it. */}
          <Show
            when={page()?.id}
            keyed
            fallback={<NotFound path={route().page === NOT_FOUND ? (route().params.path ?? '') : route().page} />}
          >
            {(_id: string) => {
              const pg = page()!;
              const v = pg.view;
              return (
                <Switch fallback={<Empty title="Unknown page" />}>
                  <Match when={pluginOff(pg.id)}>{(off) => <PluginOff plugin={off()} page={pg.label} />}</Match>
                  <Match when={v.type === 'resource' && v}>
                    {(r) => {
                      const entry = entryByMany(r().many);
                      return entry ? (
                        <ResourcePage entry={entry} title={pg.label} />
                      ) : (
                        <Empty title={`No routes for ${r().many}`} />
                      );
                    }}
                  </Match>
                  <Match when={v.type === 'custom' && v}>
                    {(c) => {
                      const C = CUSTOM[c().component];
                      return C ? <C /> : <Empty title="Unknown page" />;
                    }}
                  </Match>
                </Switch>
              );
            }}
          </Show>
        </main>
        <ExecutionPanel />
      </div>
      <CommandPalette />
      <ActionDialogs />
      <div class="kg-toasts" role="status" aria-live="polite">
        <For each={toasts()}>
          {(t) => (
            <div class={`kg-toast kg-tone-${t.tone}`} data-testid="toast">
              {t.text}
            </div>
          )}
        </For>
      </div>
    </div>
  );
}
