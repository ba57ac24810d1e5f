// What every API handler is given: the engines and stores of this process.
import { KubeEngine, type KubeEngineOptions } from '../kube/engine';
import { IncidentEngine } from '../incidents/engine';
import { MetricsEngine } from '../metrics/engine';
import { KubeGrafStore } from '../store/store';
import { ListKeeper } from './lists';
import { SettingsStore } from '../store/settings';
import { fileSecretStore, type SecretStore } from '../store/secrets';
import type { AccountStore } from '../store/accounts';
import { ConnectorEngine, type ConnectorEngineOptions } from '../connectors/engine';
import { GpuHistoryKeeper } from '../integrations/gpu';

export interface ApiDeps {
  kube: KubeEngine;
  incidents: IncidentEngine;
  metrics: MetricsEngine;
  /** The sql.js database in the data dir: incidents, history, notifications, executions, settings, feedback. */
  store: KubeGrafStore;
  lists: ListKeeper;
  settings: SettingsStore;
  /** Present when the server requires user accounts (non-loopback host). */
  accounts?: AccountStore;
  dataDir: string;
  /** KubeGraf's own version. */
  version: string;
  /** The cluster is the built-in simulator. */
  demo: boolean;
  /** Kubeconfig files in use (helm needs one). */
  kubeconfigFiles: string[];
  /** Credentials KubeGraf keeps (AI provider keys, connector secrets). */
  secrets: SecretStore;
  /** Sends incidents and notifications out to webhooks, Slack, PagerDuty and Opsgenie. */
  connectors: ConnectorEngine;
}

export interface OpenDepsOptions {
  kubeconfigFiles: string[];
  dataDir: string;
  /** Switch to this context at start (else connect the current one). */
  context?: string;
  demo?: boolean;
  version?: string;
  accounts?: AccountStore;
  kube?: Omit<KubeEngineOptions, 'files'>;
  /** An engine the caller already runs and keeps owning (the VS Code host's); else one is made here. */
  engine?: KubeEngine;
  autoRemediation?: boolean;
  /** Where credentials go (VS Code passes its SecretStorage); else a 0600 file in the data dir. */
  secrets?: SecretStore;
  /** Connector delivery settings (tests shorten the retry schedule). */
  connectors?: Pick<ConnectorEngineOptions, 'retryDelaysMs' | 'jitter' | 'random' | 'timeoutMs'>;
}

/**
 * The engines every face runs (the local server and the VS Code extension host alike): the Kubernetes engine over
 * the kubeconfig, the store in the data dir, the metrics and incident engines over both. `close()` stops them in
 * order: engines before the cluster connection they use, the store last so their final writes land.
 */
export async function openDeps(
  o: OpenDepsOptions,
): Promise<ApiDeps & { gpus: GpuHistoryKeeper; close(): Promise<void> }> {
  const kube = o.engine ?? new KubeEngine({ files: o.kubeconfigFiles, ...o.kube });
  if (!o.engine) {
    if (o.context) await kube.switchContext(o.context);
    else if (kube.currentContext()) await kube.connect(kube.currentContext());
  } else if (kube.currentContext() && kube.context(kube.currentContext()).connection.state === 'idle') {
    // A host that connects lazily (VS Code's tree) has not yet: the dashboard and the engines need the current context,
    // and its state (connected, unreachable…) is what they show. A failure is recorded on the connection.
    void kube.connect(kube.currentContext()).catch(() => undefined);
  }
  const store = await KubeGrafStore.open({ dataDir: o.dataDir });
  const metrics = new MetricsEngine({ kube, store });
  const settings = new SettingsStore(o.dataDir);
  const incidents = new IncidentEngine({
    kube,
    store,
    metrics,
    verifyWindowSeconds: async () => (await settings.get()).fixVerificationSeconds,
  });
  if (o.autoRemediation) await incidents.setPolicy({ enabled: true });
  const secrets = o.secrets ?? fileSecretStore(o.dataDir);
  // Events come only while detection runs: a connector that is on keeps it running on the current context.
  const detect = async () => {
    const c = kube.currentContext();
    if (c) await incidents.start(c);
  };
  const connectors = new ConnectorEngine({
    ...o.connectors,
    db: () => store.db,
    secrets,
    version: o.version ?? '0.1.0',
    wantEvents: detect,
    sources: {
      onIncident: (fn) => incidents.events.on('incident', fn),
      onNotification: (fn) => store.onNotification(fn),
      incident: (id) => incidents.incident(id),
      openIncidents: () =>
        incidents
          .allIncidents()
          .filter((i) => i.status === 'open')
          .map((i) => i.id),
    },
  });
  connectors.start();
  const offContexts = kube.events.on('contexts', () => connectors.ensureEvents());
  const deps: ApiDeps = {
    kube,
    incidents,
    metrics,
    store,
    lists: new ListKeeper(kube),
    settings,
    accounts: o.accounts,
    dataDir: o.dataDir,
    version: o.version ?? '0.1.0',
    demo: Boolean(o.demo),
    kubeconfigFiles: o.kubeconfigFiles,
    secrets,
    connectors,
  };
  const gpus = new GpuHistoryKeeper(deps);
  return {
    ...deps,
    gpus,
    close: async () => {
      offContexts();
      gpus.close();
      await connectors.close();
      await incidents.close();
      await metrics.close();
      await deps.lists.close();
      if (!o.engine) await kube.close();
      await store.close();
    },
  };
}
