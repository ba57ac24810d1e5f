// What the Clusters tree shows, as plain data: node shapes, kind groups, labels, status icons, tooltips and the
// context values menus match on. No `vscode` import, so all of it is unit-tested without a workbench.
import type { Capability, ContextInfo } from '../shared/kube';
import type { HelmHistoryEntry, HelmReleaseSummary } from '../shared/routes/integrations';
import type { Finding, FindingSeverity } from '../shared/insights';
import { KINDS, kindById, pluralLabel, treeGroupOf, type TreeGroup } from '../shared/kinds';
import {
  kindId,
  podReady,
  podRestarts,
  podStatus,
  nodeStatus,
  type KObject,
  type KindDescriptor,
} from '../core/kube/descriptors';
import type {
  DaemonSet,
  Deployment,
  Job,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ReplicaSet,
  Service,
  StatefulSet,
} from '../core/kube/objects';

/** The tree's kind groups: the shared table's sections. */
export type GroupName = TreeGroup;

export const GROUP_ORDER: GroupName[] = [
  'Workloads',
  'Networking',
  'Config & Storage',
  'Access Control',
  'Cluster',
  'Custom Resources',
  'Other',
];

/** Each kind's place in the shared table: the order the tree lists kinds in within a group. */
const RANK = new Map<string, number>(KINDS.map((d, i) => [kindId(d), i]));

/** The fields of a kind the tree needs (a KindDescriptor or a KindDto). */
export type KindLike = Pick<KindDescriptor, 'group' | 'plural' | 'custom' | 'namespaced' | 'kind'>;

/** The table's tree group of a kind; a kind served by a CRD, or not in the table, is a Custom Resource (or Other). */
export function groupOf(d: Pick<KindDescriptor, 'group' | 'plural' | 'custom'>): GroupName {
  const def = kindById(kindId(d));
  return def ? treeGroupOf(def) : d.custom ? 'Custom Resources' : 'Other';
}

/** The kinds of one group for one scope (a namespace, or cluster-scoped kinds), in the table's order, then by name. */
export function kindsOfGroup<K extends KindLike>(kinds: readonly K[], group: GroupName, namespaced: boolean): K[] {
  const rank = (d: K) => RANK.get(kindId(d)) ?? RANK.size;
  return kinds
    .filter((d) => d.namespaced === namespaced && groupOf(d) === group && kindId(d) !== 'namespaces')
    .sort((a, b) => rank(a) - rank(b) || a.kind.localeCompare(b.kind));
}

/** Groups that have at least one kind in this scope, in display order. */
export function groupsFor(kinds: readonly KindLike[], namespaced: boolean): GroupName[] {
  return GROUP_ORDER.filter((g) => kindsOfGroup(kinds, g, namespaced).length > 0);
}

// ---------------- nodes ----------------

export type TreeNode =
  | { type: 'context'; id: string; context: string }
  | { type: 'namespace'; id: string; context: string; namespace: string }
  | { type: 'clusterScope'; id: string; context: string }
  | { type: 'group'; id: string; context: string; namespace?: string; group: GroupName }
  | { type: 'kind'; id: string; context: string; namespace?: string; kind: string }
  | { type: 'object'; id: string; context: string; namespace?: string; kind: string; name: string }
  | { type: 'container'; id: string; context: string; namespace: string; pod: string; container: string; init: boolean }
  | { type: 'loadMore'; id: string; context: string; namespace?: string; kind: string; remaining: number }
  | { type: 'helmReleases'; id: string; context: string }
  | { type: 'helmRelease'; id: string; context: string; namespace: string; name: string; release: HelmReleaseSummary }
  | {
      type: 'helmRevision';
      id: string;
      context: string;
      namespace: string;
      name: string;
      revision: number;
      entry: HelmHistoryEntry;
      current: boolean;
    }
  | { type: 'finding'; id: string; context: string; namespace?: string; parent: string; finding: Finding }
  | {
      type: 'message';
      id: string;
      context: string;
      text: string;
      severity: 'info' | 'warning' | 'error';
      detail?: string;
    };

const scope = (ns: string | undefined) => ns ?? '*';

export const nodeIds = {
  context: (c: string) => `ctx/${c}`,
  namespace: (c: string, ns: string) => `ns/${c}/${ns}`,
  clusterScope: (c: string) => `cluster/${c}`,
  group: (c: string, ns: string | undefined, g: GroupName) => `grp/${c}/${scope(ns)}/${g}`,
  kind: (c: string, ns: string | undefined, kind: string) => `kind/${c}/${scope(ns)}/${kind}`,
  object: (c: string, ns: string | undefined, kind: string, name: string) => `obj/${c}/${scope(ns)}/${kind}/${name}`,
  container: (c: string, ns: string, pod: string, container: string) => `ctr/${c}/${ns}/${pod}/${container}`,
  loadMore: (c: string, ns: string | undefined, kind: string) => `more/${c}/${scope(ns)}/${kind}`,
  message: (parent: string, key: string) => `msg/${parent}/${key}`,
  helmReleases: (c: string) => `helm/${c}`,
  helmRelease: (c: string, ns: string, name: string) => `helmrel/${c}/${ns}/${name}`,
  helmRevision: (c: string, ns: string, name: string, rev: number) => `helmrev/${c}/${ns}/${name}/${rev}`,
  finding: (c: string, id: string) => `finding/${c}/${id}`,
};

// ---------------- presentation ----------------

/** A theme icon id and an optional theme colour id; the VS Code layer turns these into ThemeIcons. */
export interface IconSpec {
  id: string;
  color?: string;
}

export interface Presentation {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: IconSpec;
  /** Matched by `viewItem` in package.json menus: a type word, then `cap:` words for what the node can do. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
}

const OK: IconSpec = { id: 'pass-filled', color: 'testing.iconPassed' };
const WARN: IconSpec = { id: 'warning', color: 'list.warningForeground' };
const ERR: IconSpec = { id: 'error', color: 'list.errorForeground' };
const PENDING: IconSpec = { id: 'clock', color: 'list.warningForeground' };
const DONE: IconSpec = { id: 'check', color: 'disabledForeground' };

const FAILING =
  /CrashLoopBackOff|Error|OOMKilled|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|InvalidImageName|Evicted|Failed|ContainerStatusUnknown|Init:(?!\d)/;

/** The icon for a pod's kubectl STATUS and its readiness. */
export function podIcon(status: string, ready: string): IconSpec {
  if (status === 'Terminating') return { id: 'trash', color: 'disabledForeground' };
  if (status === 'Completed' || status === 'Succeeded') return DONE;
  if (FAILING.test(status)) return ERR;
  if (status === 'Running') {
    const [r, t] = ready.split('/').map(Number);
    return r === t ? OK : WARN;
  }
  return PENDING;
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** What a kind adds to an object's row: description, status icon, tooltip facts, whether it expands. */
interface Look {
  description?: string;
  icon?: IconSpec;
  facts?: string[];
  collapsible?: Presentation['collapsible'];
}

/** Readiness of a workload as `ready/desired`. */
const replicaLook = (want: number, ready: number): Look => {
  const text = `${ready}/${want} ready`;
  return { description: text, icon: ready >= want ? OK : WARN, facts: [`Ready: ${text}`] };
};
/** A look that reads one kind's typed view (the caches hold each kind's objects as that kind). */
const look = <T extends KObject>(f: (o: T) => Look) => f as unknown as (o: KObject) => Look;
const specReplicas = look<Deployment | StatefulSet | ReplicaSet>((o) =>
  replicaLook(n(o.spec?.replicas ?? 1), n(o.status?.readyReplicas)),
);
const phaseLook = look<PersistentVolumeClaim | PersistentVolume>((o) => ({
  description: String(o.status?.phase ?? ''),
  icon: o.status?.phase === 'Bound' ? OK : PENDING,
}));

/** Per-kind status presentation (core behaviour keyed by kind id, like the columns); other kinds show name and facts. */
const LOOKS: Record<string, (o: KObject) => Look> = {
  pods: look<Pod>((o) => {
    const status = podStatus(o);
    const ready = podReady(o);
    const restarts = podRestarts(o);
    const facts = [`Status: ${status}`, `Ready: ${ready}`, `Restarts: ${restarts}`];
    if (o.spec?.nodeName) facts.push(`Node: ${o.spec.nodeName}`);
    if (o.status?.podIP) facts.push(`IP: ${o.status.podIP}`);
    return {
      description: `${status} · ${ready}${restarts ? ` · ${restarts} restart${restarts === 1 ? '' : 's'}` : ''}`,
      icon: podIcon(status, ready),
      facts,
      collapsible: 'collapsed',
    };
  }),
  nodes: look<Node>((o) => {
    const s = nodeStatus(o);
    const facts = [`Status: ${s}`];
    if (o.status?.nodeInfo?.kubeletVersion) facts.push(`Kubelet: ${o.status.nodeInfo.kubeletVersion}`);
    return {
      description: s,
      icon: s.startsWith('Ready') ? (s.includes('SchedulingDisabled') ? WARN : OK) : ERR,
      facts,
    };
  }),
  'deployments.apps': specReplicas,
  'statefulsets.apps': specReplicas,
  'replicasets.apps': specReplicas,
  'daemonsets.apps': look<DaemonSet>((o) => replicaLook(n(o.status?.desiredNumberScheduled), n(o.status?.numberReady))),
  'jobs.batch': look<Job>((o) => {
    const done = n(o.status?.succeeded) >= n(o.spec?.completions ?? 1);
    const failed = (o.status?.conditions ?? []).some((c) => c.type === 'Failed' && c.status === 'True');
    return {
      description: failed ? 'Failed' : done ? 'Complete' : 'Running',
      icon: failed ? ERR : done ? DONE : PENDING,
    };
  }),
  services: look<Service>((o) => ({ description: `${o.spec?.type ?? 'ClusterIP'} ${o.spec?.clusterIP ?? ''}`.trim() })),
  persistentvolumeclaims: phaseLook,
  persistentvolumes: phaseLook,
};

/** What a cluster object looks like in the tree: status icon, short description, tooltip with the key facts. */
export function objectPresentation(
  d: KindLike & { capabilities: readonly Capability[] },
  o: KObject,
  caps: readonly Capability[] = d.capabilities,
): Presentation {
  const id = kindId(d);
  const name = o.metadata.name;
  const look = LOOKS[id]?.(o) ?? {};
  const facts: string[] = [
    `${d.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${name}`,
    ...(look.facts ?? []),
  ];
  if (o.metadata.creationTimestamp) facts.push(`Created: ${o.metadata.creationTimestamp}`);
  const labels = Object.entries(o.metadata.labels ?? {});
  if (labels.length)
    facts.push(
      `Labels: ${labels
        .slice(0, 6)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}${labels.length > 6 ? ', …' : ''}`,
    );
  const p: Presentation = {
    label: name,
    tooltip: facts.join('\n'),
    contextValue: objectContextValue(id, caps),
    collapsible: look.collapsible ?? 'none',
  };
  if (look.description) p.description = look.description;
  if (look.icon) p.icon = look.icon;
  return p;
}

/** `kgObject kind:pods cap:logs cap:exec …`: menus use `viewItem =~ /cap:scale/` (the table's capabilities). */
export function objectContextValue(id: string, caps: readonly Capability[]): string {
  return ['kgObject', `kind:${id}`, ...caps.map((c) => `cap:${c}`)].join(' ');
}

export interface ContainerFacts {
  name: string;
  image?: string;
  init: boolean;
  ready?: boolean;
  restarts: number;
  state: string;
}

/** The containers of a pod (init containers first), with their state from the pod's status. */
export function containersOf(pod: Pod): ContainerFacts[] {
  const statuses = new Map(
    [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [s.name, s]),
  );
  const list = (arr: Array<{ name: string; image?: string }> | undefined, init: boolean) =>
    (arr ?? []).map((c) => {
      const s = statuses.get(c.name);
      const [stateName, detail] = Object.entries(s?.state ?? {})[0] ?? ['unknown', undefined];
      const reason = detail && 'reason' in detail ? detail.reason : undefined;
      const state = reason ? `${stateName}: ${reason}` : stateName;
      return { name: c.name, image: c.image, init, ready: s?.ready, restarts: s?.restartCount ?? 0, state };
    });
  return [...list(pod.spec?.initContainers, true), ...list(pod.spec?.containers, false)];
}

export function containerPresentation(c: ContainerFacts): Presentation {
  const icon = c.state.startsWith('running')
    ? c.ready
      ? OK
      : WARN
    : c.state.startsWith('terminated: Completed')
      ? DONE
      : c.state === 'unknown'
        ? PENDING
        : ERR;
  const caps = c.init ? ['cap:logs'] : ['cap:logs', 'cap:exec'];
  return {
    label: c.name,
    description: `${c.init ? 'init · ' : ''}${c.state}${c.restarts ? ` · ${c.restarts} restarts` : ''}`,
    tooltip: [
      `Container ${c.name}${c.init ? ' (init)' : ''}`,
      c.image ? `Image: ${c.image}` : '',
      `State: ${c.state}`,
      `Restarts: ${c.restarts}`,
    ]
      .filter(Boolean)
      .join('\n'),
    icon,
    contextValue: ['kgContainer', ...caps].join(' '),
    collapsible: 'none',
  };
}

/** A context row: its connection state is its icon and description; unreachable contexts say why. */
export function contextPresentation(c: ContextInfo): Presentation {
  const s = c.connection;
  let icon: IconSpec;
  let description: string;
  switch (s.state) {
    case 'connected':
      icon = { id: 'vm-active', color: 'testing.iconPassed' };
      description =
        [c.serverVersion, c.nodeCount !== undefined ? `${c.nodeCount} nodes` : ''].filter(Boolean).join(' · ') ||
        'connected';
      break;
    case 'unreachable':
      icon = { id: 'vm-outline', color: 'list.errorForeground' };
      description = `unreachable: ${s.reason}`;
      break;
    case 'reconnecting':
      icon = { id: 'sync', color: 'list.warningForeground' };
      description = `reconnecting: ${s.reason}`;
      break;
    case 'connecting':
      icon = { id: 'loading~spin' };
      description = 'connecting…';
      break;
    default:
      icon = { id: 'vm-outline' };
      description = '';
  }
  if (c.current) description = description ? `current · ${description}` : 'current';
  const tooltip = [
    `Context ${c.name}`,
    `Cluster: ${c.cluster}`,
    `User: ${c.user}`,
    `Server: ${c.server}`,
    c.namespace ? `Namespace: ${c.namespace}` : '',
    `State: ${s.state}${'reason' in s ? ` (${s.reason})` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    label: c.name,
    description,
    tooltip,
    icon,
    contextValue: `kgContext state:${s.state}${c.current ? ' current' : ''}`,
    collapsible: c.current ? 'expanded' : 'collapsed',
  };
}

// ---------------- Helm ----------------

/** The icon of a Helm release status (`helm list` STATUS). */
export function helmStatusIcon(status: string): IconSpec {
  if (status === 'deployed') return OK;
  if (status === 'failed') return ERR;
  if (status.startsWith('pending') || status === 'uninstalling') return PENDING;
  return DONE;
}

/** A release row: its namespace, chart and revision; menus match `kgHelmRelease`. */
export function helmReleasePresentation(r: HelmReleaseSummary): Presentation {
  return {
    label: r.name,
    description: `${r.namespace} · ${r.chart}-${r.chartVersion} · rev ${r.revision} · ${r.status}`,
    tooltip: [
      `Helm release ${r.namespace}/${r.name}`,
      `Chart: ${r.chart}-${r.chartVersion}${r.appVersion ? ` (app ${r.appVersion})` : ''}`,
      `Revision: ${r.revision}`,
      `Status: ${r.status}`,
      r.description ? `Description: ${r.description}` : '',
      r.updated ? `Updated: ${r.updated}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: helmStatusIcon(r.status),
    contextValue: `kgHelmRelease status:${r.status}`,
    collapsible: 'collapsed',
  };
}

/** A revision row (`helm history`); the current one offers no rollback to itself. */
export function helmRevisionPresentation(h: HelmHistoryEntry, current: boolean): Presentation {
  return {
    label: `Revision ${h.revision}`,
    description: `${h.status} · ${h.chart}${h.description ? ` · ${h.description}` : ''}`,
    tooltip: [
      `Revision ${h.revision}${current ? ' (current)' : ''}`,
      `Status: ${h.status}`,
      `Chart: ${h.chart}${h.app_version ? ` (app ${h.app_version})` : ''}`,
      `Updated: ${h.updated}`,
      `Description: ${h.description}`,
    ].join('\n'),
    icon: helmStatusIcon(h.status),
    contextValue: `kgHelmRevision ${current ? 'current' : 'earlier'}`,
    collapsible: 'none',
  };
}

// ---------------- lists: filter and paging ----------------

/** Case-insensitive substring filter on names; an empty filter keeps everything. */
export function matchesFilter(name: string, filter: string | undefined): boolean {
  if (!filter) return true;
  return name.toLowerCase().includes(filter.trim().toLowerCase());
}

export interface Page<T> {
  items: T[];
  /** How many matching items are not shown yet ("Load more"). */
  remaining: number;
}

/** Filters, sorts by name and cuts a list to `limit`. */
export function pageOf(objects: readonly KObject[], filter: string | undefined, limit: number): Page<KObject> {
  const matching = objects
    .filter((o) => matchesFilter(o.metadata.name, filter))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return { items: matching.slice(0, limit), remaining: Math.max(0, matching.length - limit) };
}

/** Trailing debounce keyed by node id: a burst of watch batches becomes one tree refresh per node. */
export class KeyedDebouncer<K> {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();
  constructor(
    private readonly ms: () => number,
    private readonly fire: (key: K) => void,
  ) {}
  schedule(key: K): void {
    if (this.timers.has(key)) return;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.fire(key);
      }, this.ms()),
    );
  }
  pending(): number {
    return this.timers.size;
  }
  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }
}

/** `Pod` → `Pods` (the shared table's labels). */
export { pluralLabel };

// ---------------- findings ----------------

const SEVERITY_ORDER: FindingSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

const FINDING_ICON: Record<FindingSeverity, IconSpec> = {
  critical: ERR,
  high: ERR,
  medium: WARN,
  low: { id: 'info', color: 'list.warningForeground' },
  info: { id: 'info' },
};

/** How findings are keyed to the objects they are about (`Deployment/shop/api`). */
export const findingKey = (t: { kind: string; namespace?: string; name: string }): string =>
  `${t.kind}/${t.namespace ?? ''}/${t.name}`;

/** An object with findings: their count and worst severity after its status, each in the tooltip, and expandable. */
export function withFindings(p: Presentation, findings: readonly Finding[]): Presentation {
  if (!findings.length) return p;
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const worst = sorted[0].severity;
  const count = `${findings.length} finding${findings.length === 1 ? '' : 's'} (${worst})`;
  return {
    ...p,
    description: p.description ? `${p.description} · ${count}` : count,
    tooltip: `${p.tooltip ?? p.label}\n\nFindings:\n${sorted.map((f) => `• ${f.severity}: ${f.title}`).join('\n')}`,
    collapsible: p.collapsible === 'none' ? 'collapsed' : p.collapsible,
  };
}

/** A finding under its object: what is wrong, its severity, why it matters; `fixable` when KubeGraf can fix it. */
export function findingPresentation(f: Finding): Presentation {
  return {
    label: f.title,
    description: `${f.severity}${f.container ? ` · ${f.container}` : ''} · ${f.family}`,
    tooltip: `${f.title} (${f.severity})\n${f.why}${f.fix ? `\n\nFix: ${f.fix.description}` : ''}`,
    icon: FINDING_ICON[f.severity],
    contextValue: `kgFinding${f.fix ? ' fixable' : ''}`,
    collapsible: 'none',
  };
}
