// Every KubeGraf command, once: id, title, icon, where it shows (palette, tree menus with `when` clauses) and whether it
// needs a reachable cluster. package.json's `contributes` is generated from this table (see manifest.ts), and the
// extension registers a handler for every row, so no command is ever "not found".
export type Needs = 'nothing' | 'cluster';

export interface MenuPlacement {
  menu: 'view/item/context' | 'view/title' | 'commandPalette' | 'explorer/context' | 'editor/title';
  when: string;
  group?: string;
}

export interface CommandSpec {
  id: string;
  title: string;
  icon?: string;
  needs: Needs;
  /** `when` for the command palette; `false` hides it there (tree-only commands that need a node). */
  palette?: string | false;
  menus?: MenuPlacement[];
}

const CLUSTERS = 'view == kubegraf.clusters';
const item = (re: string) => `${CLUSTERS} && viewItem =~ /${re}/`;

export const COMMANDS: readonly CommandSpec[] = [
  {
    id: 'kubegraf.openDashboard',
    title: 'Open Dashboard',
    icon: '$(dashboard)',
    needs: 'nothing',
    menus: [{ menu: 'view/title', when: CLUSTERS, group: 'navigation@1' }],
  },
  {
    id: 'kubegraf.openDashboardInBrowser',
    title: 'Open Dashboard in Browser',
    icon: '$(link-external)',
    needs: 'nothing',
  },
  {
    id: 'kubegraf.refresh',
    title: 'Refresh',
    icon: '$(refresh)',
    needs: 'nothing',
    menus: [{ menu: 'view/title', when: CLUSTERS, group: 'navigation@3' }],
  },
  {
    id: 'kubegraf.switchContext',
    title: 'Switch Context…',
    icon: '$(server-environment)',
    needs: 'nothing',
    menus: [{ menu: 'view/item/context', when: item('kgContext'), group: '1_context@1' }],
  },
  {
    id: 'kubegraf.switchNamespace',
    title: 'Switch Namespace…',
    icon: '$(symbol-namespace)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: `${CLUSTERS} && viewItem =~ /kgNamespace/`, group: '1_context@2' }],
  },
  {
    id: 'kubegraf.reconnect',
    title: 'Reconnect',
    icon: '$(debug-restart)',
    needs: 'nothing',
    menus: [
      {
        menu: 'view/item/context',
        when: item('kgContext state:(unreachable|reconnecting|idle)'),
        group: '1_context@3',
      },
    ],
  },
  {
    id: 'kubegraf.filter',
    title: 'Filter Objects…',
    icon: '$(filter)',
    needs: 'nothing',
    menus: [{ menu: 'view/title', when: CLUSTERS, group: 'navigation@2' }],
  },
  {
    id: 'kubegraf.clearFilter',
    title: 'Clear Filter',
    icon: '$(clear-all)',
    needs: 'nothing',
    menus: [{ menu: 'view/title', when: `${CLUSTERS} && kubegraf.filtered`, group: 'navigation@2' }],
  },
  { id: 'kubegraf.loadMore', title: 'Load More', needs: 'nothing', palette: false },
  {
    id: 'kubegraf.showYaml',
    title: 'Show YAML',
    icon: '$(file-code)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('kgObject'), group: '2_view@1' }],
  },
  {
    id: 'kubegraf.editYaml',
    title: 'Edit YAML',
    icon: '$(edit)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:edit'), group: '2_view@2' }],
  },
  {
    id: 'kubegraf.describe',
    title: 'Describe',
    icon: '$(info)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('kgObject'), group: '2_view@3' }],
  },
  {
    id: 'kubegraf.logs',
    title: 'Show Logs',
    icon: '$(output)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:logs'), group: '3_pod@1' }],
  },
  { id: 'kubegraf.stopLogs', title: 'Stop Following Logs', needs: 'nothing', palette: 'kubegraf.followingLogs' },
  {
    id: 'kubegraf.exec',
    title: 'Open Terminal (Exec)',
    icon: '$(terminal)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:exec'), group: '3_pod@2' }],
  },
  {
    id: 'kubegraf.portForward',
    title: 'Port Forward…',
    icon: '$(plug)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:portForward'), group: '3_pod@3' }],
  },
  {
    id: 'kubegraf.stopPortForward',
    title: 'Stop Port Forward',
    icon: '$(debug-stop)',
    needs: 'nothing',
    menus: [
      {
        menu: 'view/item/context',
        when: 'view == kubegraf.portForwards && viewItem == kgPortForward',
        group: 'inline',
      },
    ],
  },
  {
    id: 'kubegraf.copyPortForwardUrl',
    title: 'Copy Port Forward URL',
    icon: '$(copy)',
    needs: 'nothing',
    menus: [
      {
        menu: 'view/item/context',
        when: 'view == kubegraf.portForwards && viewItem == kgPortForward',
        group: 'inline',
      },
    ],
  },
  {
    id: 'kubegraf.scale',
    title: 'Scale…',
    icon: '$(arrow-both)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:scale'), group: '4_workload@1' }],
  },
  {
    id: 'kubegraf.restart',
    title: 'Restart (Rollout)',
    icon: '$(debug-restart)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:restart'), group: '4_workload@2' }],
  },
  {
    id: 'kubegraf.rollback',
    title: 'Roll Back…',
    icon: '$(history)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:rollback'), group: '4_workload@3' }],
  },
  {
    id: 'kubegraf.helmRollback',
    title: 'Roll Back Helm Release…',
    icon: '$(history)',
    needs: 'cluster',
    palette: false,
    menus: [
      { menu: 'view/item/context', when: item('kgHelmRelease'), group: '4_helm@1' },
      { menu: 'view/item/context', when: item('kgHelmRevision earlier'), group: '4_helm@1' },
    ],
  },
  {
    id: 'kubegraf.helmUninstall',
    title: 'Uninstall Helm Release…',
    icon: '$(trash)',
    needs: 'cluster',
    palette: false,
    menus: [{ menu: 'view/item/context', when: item('kgHelmRelease'), group: '4_helm@2' }],
  },
  {
    id: 'kubegraf.cordon',
    title: 'Cordon Node',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:cordon'), group: '5_node@1' }],
  },
  {
    id: 'kubegraf.uncordon',
    title: 'Uncordon Node',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:cordon'), group: '5_node@2' }],
  },
  {
    id: 'kubegraf.drain',
    title: 'Drain Node…',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:drain'), group: '5_node@3' }],
  },
  {
    id: 'kubegraf.copyName',
    title: 'Copy Name',
    icon: '$(copy)',
    needs: 'nothing',
    menus: [{ menu: 'view/item/context', when: item('kgObject|kgContainer|kgContext|kgNamespace'), group: '8_copy@1' }],
  },
  {
    id: 'kubegraf.delete',
    title: 'Delete…',
    icon: '$(trash)',
    needs: 'cluster',
    menus: [{ menu: 'view/item/context', when: item('cap:delete'), group: '9_danger@1' }],
  },
  {
    id: 'kubegraf.showIncident',
    title: 'Show Incident Details',
    needs: 'nothing',
    menus: [
      {
        menu: 'view/item/context',
        when: 'view == kubegraf.incidents && viewItem =~ /kgIncident/',
        group: '1_incident@1',
      },
    ],
  },
  {
    id: 'kubegraf.previewFix',
    title: 'Preview Fix',
    needs: 'cluster',
    menus: [
      { menu: 'view/item/context', when: 'view == kubegraf.incidents && viewItem =~ /hasFix/', group: '1_incident@2' },
    ],
  },
  {
    id: 'kubegraf.applyFix',
    title: 'Apply Fix…',
    needs: 'cluster',
    menus: [
      { menu: 'view/item/context', when: 'view == kubegraf.incidents && viewItem =~ /hasFix/', group: '1_incident@3' },
    ],
  },
  {
    id: 'kubegraf.fixFinding',
    title: 'Fix Finding…',
    icon: '$(lightbulb-autofix)',
    needs: 'cluster',
    menus: [
      { menu: 'view/item/context', when: item('kgFinding fixable'), group: 'inline' },
      { menu: 'view/item/context', when: item('kgFinding fixable'), group: '1_finding@1' },
    ],
  },
  {
    id: 'kubegraf.applyManifest',
    title: 'Apply YAML to Cluster…',
    icon: '$(cloud-upload)',
    needs: 'cluster',
    menus: [
      { menu: 'explorer/context', when: 'resourceExtname == .yaml || resourceExtname == .yml', group: '7_kubegraf@1' },
      { menu: 'editor/title', when: 'resourceLangId == yaml', group: '7_kubegraf@1' },
    ],
  },
  { id: 'kubegraf.startDemoCluster', title: 'Start Demo Cluster', icon: '$(beaker)', needs: 'nothing' },
  { id: 'kubegraf.stopDemoCluster', title: 'Stop Demo Cluster', needs: 'nothing', palette: 'kubegraf.demoRunning' },
  { id: 'kubegraf.showErrorDetails', title: 'Show Error Details', needs: 'nothing', palette: false },
];

export const CATEGORY = 'KubeGraf';

export function commandSpec(id: string): CommandSpec {
  const c = COMMANDS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown command ${id}`);
  return c;
}

/** Why a cluster command cannot run right now, or undefined when it can. */
export function blockedReason(
  spec: Pick<CommandSpec, 'needs' | 'title'>,
  state: { context?: string; connection?: { state: string; reason?: string } },
): string | undefined {
  if (spec.needs !== 'cluster') return undefined;
  if (!state.context)
    return `${spec.title}: no Kubernetes context is configured. Set kubegraf.kubeconfigPaths or run "KubeGraf: Start Demo Cluster".`;
  const c = state.connection;
  if (c?.state === 'unreachable')
    return `${spec.title}: context "${state.context}" is unreachable (${c.reason ?? 'no reason given'}).`;
  return undefined;
}
