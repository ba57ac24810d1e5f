// Extension entry. Activation is cheap: views, commands and providers are registered, but the Kubernetes engine is
// only built (and clusters probed) when a view shows its contents or a command needs it.
import * as vscode from 'vscode';
import { registerGeneratedDocs } from './generatedDocs';
import { registerChatParticipant } from './chatParticipant';
import { ClusterTree } from './clusterTree';
import { registerCommands, type Faces } from './commands';
import { KubeGrafHost } from './host';
import { VIEW_IDS } from './manifest';
import { IncidentsTree, PortForwardsTree, type IncidentSource } from './sideViews';
import type { IncidentEngine } from '../core/incidents/engine';
import type { Incident } from '../shared/incidents';
import { StatusBar } from './statusBar';
import { EDIT_SCHEME, ObjectFileSystem, VIEW_SCHEME } from './yamlDocs';

let host: KubeGrafHost | undefined;

export interface KubeGrafApi {
  /** For tests and other extensions: the host's engine, built on first use. */
  readonly host: KubeGrafHost;
}

export function activate(ext: vscode.ExtensionContext): KubeGrafApi {
  const h = (host = new KubeGrafHost(ext));
  const tree = new ClusterTree(h);
  const clustersView = vscode.window.createTreeView(VIEW_IDS.clusters, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  tree.attach(clustersView);

  // Incident rules the user turned off (kubegraf.incidents.rules: {"pod_crash_loop": false}) are not shown.
  const ruleOn = (i: Incident) => h.config<Record<string, boolean>>('incidents.rules', {})[i.type] !== false;
  const incidents = new IncidentsTree(
    undefined,
    'Open this view to start incident detection…',
    ruleOn,
    () => h.currentContext(),
    (c) => h.scope(c),
  );
  const incidentsView = vscode.window.createTreeView(VIEW_IDS.incidents, { treeDataProvider: incidents });
  incidents.attach(incidentsView);
  // Detection watches many kinds: it starts when the Incidents view shows (or a command needs it), not at activation.
  let incidentsStarting: Promise<void> | undefined;
  const startIncidents = (): Promise<void> =>
    (incidentsStarting ??= (async () => {
      if (!h.config<boolean>('incidents.enabled', true))
        return incidents.setSource(undefined, 'Incident detection is off (kubegraf.incidents.enabled).');
      const ctx = h.currentContext();
      if (!ctx) return incidents.setSource(undefined, 'No Kubernetes context: nothing to watch for incidents.');
      incidents.setSource(undefined, `Scanning ${ctx} for incidents…`);
      try {
        const d = await h.apiDeps();
        await d.incidents.start(ctx);
        incidents.setSource(incidentSource(d.incidents));
      } catch (e) {
        incidentsStarting = undefined;
        incidents.setSource(undefined, `The incident engine could not start: ${(e as Error).message}`);
      }
    })());
  if (incidentsView.visible) void startIncidents();
  ext.subscriptions.push(
    incidentsView.onDidChangeVisibility((e) => e.visible && void startIncidents()),
    h.onDidChangeEngine(() => {
      incidentsStarting = undefined;
      incidents.setSource(undefined, 'Open this view to start incident detection…');
      if (incidentsView.visible) void startIncidents();
    }),
    h.onDidChangeContexts(() => {
      // A switched context gets its own detection (start is idempotent per context); the view lists its incidents.
      incidents.update();
      const ctx = h.currentContext();
      if (ctx && incidents.available)
        void h
          .apiDeps()
          .then((d) => d.incidents.start(ctx))
          .catch(() => undefined);
    }),
    h.onDidChangeNamespace(() => {
      incidents.update();
      tree.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kubegraf.incidents.rules')) incidents.update();
    }),
  );

  const portForwards = new PortForwardsTree(h);
  const pfView = vscode.window.createTreeView(VIEW_IDS.portForwards, { treeDataProvider: portForwards });

  const status = new StatusBar(h);
  incidents.onDidChangeCount((n) => status.setIncidentCount(n));

  const faces: Faces = {
    host: h,
    tree,
    incidents,
    portForwards,
    status,
    // The panel host pulls in the route tables and handlers: loaded when first opened, not at activation.
    openDashboard: async () => (await import('./dashboardPanel')).DashboardPanel.show(h),
    startIncidents,
  };

  ext.subscriptions.push(
    clustersView,
    incidentsView,
    pfView,
    tree,
    incidents,
    portForwards,
    status,
    registerGeneratedDocs(),
    vscode.workspace.registerFileSystemProvider(VIEW_SCHEME, new ObjectFileSystem(h, false), {
      isCaseSensitive: true,
      isReadonly: true,
    }),
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, new ObjectFileSystem(h, true), { isCaseSensitive: true }),
    ...registerCommands(faces),
    { dispose: () => void h.dispose() },
  );
  // `@kubegraf` in chat: only where this VS Code has the chat API; activation never depends on it.
  try {
    const participant = registerChatParticipant(h);
    if (participant) ext.subscriptions.push(participant);
  } catch (e) {
    console.warn(`KubeGraf: chat participant not registered: ${(e as Error).message}`);
  }
  return { host: h };
}

function incidentSource(engine: IncidentEngine): IncidentSource {
  return {
    list: () => engine.allIncidents(),
    onChange: (fn) => engine.events.on('incident', () => fn()),
    previewFix: (id, fixId) => engine.previewFix(id, fixId),
    applyFix: (id, fixId) => engine.applyFix(id, fixId),
  };
}

export async function deactivate(): Promise<void> {
  await host?.dispose();
  host = undefined;
}
