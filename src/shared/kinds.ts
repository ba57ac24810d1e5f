// THE table of Kubernetes kinds KubeGraf knows by name: identity (group, version, plural, kind, scope), the words of
// their generic routes, where they show (tree group, navigation page) and what can be done to them. The route table,
// the Clusters tree, the webview's navigation and actions, the `/ws` subscriptions and the engine's descriptors all
// read this one list; a kind is added here, once. Columns and status logic stay in core (keyed by kind id).
import type { Capability } from './kube';

/** The Clusters tree's groups; `Cluster` holds cluster-wide kinds (nodes, events), `Other` what fits nowhere. */
export type TreeGroup =
  'Workloads' | 'Networking' | 'Config & Storage' | 'Access Control' | 'Cluster' | 'Custom Resources' | 'Other';

/** The webview's sidebar sections a kind's page may sit in (a subset of its SECTIONS). */
export type KindNavSection =
  'Overview' | 'Workloads' | 'Networking' | 'Config & Storage' | 'Access Control' | 'Platform' | 'Custom Resources';

export interface KindPage {
  /** Page id (`#/{id}`); default: the `many` word. */
  id?: string;
  /** Sidebar label; default: the kind's plural label (`Pods`, `Ingresses`). */
  label?: string;
  /** Sidebar section; default: the tree group. */
  section?: KindNavSection;
  /** A page with its own component instead of the generic resource table. */
  component?: string;
  /** Palette words besides the kind's short names. */
  keywords?: readonly string[];
}

export interface KindDef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  /** Words of the generic routes (`/api/{one}/details`, `/api/{many}`); none: the kind has routes of its own only. */
  one?: string;
  many?: string;
  /** Tree group (and, unless the page says otherwise, sidebar section). */
  section: TreeGroup;
  page: KindPage;
  /** What can be done to an object of the kind; each has a route (see capabilityRoute) and a tree/row action. */
  capabilities: readonly Capability[];
  /** Served by a CRD when one is installed (cert-manager): not built in; the tree lists it under Custom Resources. */
  crd?: boolean;
  /** How `restart` restarts: a rollout (the default) or deleting the object so its controller recreates it. */
  restartBy?: 'rollout' | 'recreate';
  /** Its details list the pods it selects or owns. */
  relatedPods?: boolean;
  /** The list route of a kind without generic routes (`events.list`). */
  listRoute?: string;
}

const RW: Capability[] = ['edit', 'delete'];

/** Every kind, in the order the tree lists them within a group (and search breaks ties by). */
export const KINDS = [
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    one: 'pod',
    many: 'pods',
    section: 'Workloads',
    page: {},
    capabilities: ['logs', 'exec', 'portForward', 'restart', 'edit', 'delete'],
    restartBy: 'recreate',
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    one: 'deployment',
    many: 'deployments',
    section: 'Workloads',
    page: {},
    capabilities: ['scale', 'restart', 'rollback', 'logs', 'edit', 'delete', 'portForward'],
    relatedPods: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    one: 'statefulset',
    many: 'statefulsets',
    section: 'Workloads',
    page: {},
    capabilities: ['scale', 'restart', 'rollback', 'logs', 'edit', 'delete'],
    relatedPods: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    one: 'daemonset',
    many: 'daemonsets',
    section: 'Workloads',
    page: {},
    capabilities: ['restart', 'rollback', 'logs', 'edit', 'delete'],
    relatedPods: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    one: 'replicaset',
    many: 'replicasets',
    section: 'Workloads',
    page: {},
    capabilities: ['scale', 'logs', 'edit', 'delete'],
    relatedPods: true,
  },
  {
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    kind: 'Job',
    namespaced: true,
    shortNames: [],
    one: 'job',
    many: 'jobs',
    section: 'Workloads',
    page: {},
    capabilities: ['logs', 'edit', 'delete'],
    relatedPods: true,
  },
  {
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    one: 'cronjob',
    many: 'cronjobs',
    section: 'Workloads',
    page: {},
    capabilities: RW,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    one: 'hpa',
    many: 'hpas',
    section: 'Workloads',
    page: { id: 'hpa', label: 'Horizontal Pod Autoscalers' },
    capabilities: RW,
  },
  {
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    one: 'pdb',
    many: 'pdbs',
    section: 'Workloads',
    page: { id: 'pdb', label: 'Pod Disruption Budgets' },
    capabilities: RW,
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    one: 'service',
    many: 'services',
    section: 'Networking',
    page: {},
    capabilities: ['portForward', 'edit', 'delete'],
    relatedPods: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
    one: 'endpoint',
    many: 'endpoints',
    section: 'Networking',
    page: {},
    capabilities: RW,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
    one: 'ingress',
    many: 'ingresses',
    section: 'Networking',
    page: {},
    capabilities: RW,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
    one: 'networkpolicy',
    many: 'networkpolicies',
    section: 'Networking',
    page: { id: 'network-policies', label: 'Network Policies' },
    capabilities: RW,
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    one: 'configmap',
    many: 'configmaps',
    section: 'Config & Storage',
    page: {},
    capabilities: RW,
  },
  {
    group: '',
    version: 'v1',
    plural: 'secrets',
    kind: 'Secret',
    namespaced: true,
    shortNames: [],
    one: 'secret',
    many: 'secrets',
    section: 'Config & Storage',
    page: {},
    capabilities: RW,
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    one: 'pvc',
    many: 'pvcs',
    section: 'Config & Storage',
    page: { label: 'Persistent Volume Claims', keywords: ['storage'] },
    capabilities: RW,
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    one: 'pv',
    many: 'pvs',
    section: 'Config & Storage',
    page: { label: 'Persistent Volumes', keywords: ['storage'] },
    capabilities: RW,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
    one: 'storageclass',
    many: 'storageclasses',
    section: 'Config & Storage',
    page: { label: 'Storage Classes' },
    capabilities: RW,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'volumeattachments',
    kind: 'VolumeAttachment',
    namespaced: false,
    shortNames: [],
    one: 'volumeattachment',
    many: 'volumeattachments',
    section: 'Config & Storage',
    page: { label: 'Volume Attachments', keywords: ['storage', 'csi', 'attach'] },
    capabilities: ['delete'],
  },
  {
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'certificates',
    kind: 'Certificate',
    namespaced: true,
    shortNames: [],
    one: 'certificate',
    many: 'certificates',
    section: 'Config & Storage',
    page: { component: 'certificates', keywords: ['cert', 'tls', 'expiry', 'renew', 'cert-manager'] },
    capabilities: RW,
    crd: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    one: 'service-account',
    many: 'service-accounts',
    section: 'Access Control',
    page: { label: 'Service Accounts' },
    capabilities: RW,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'roles',
    kind: 'Role',
    namespaced: true,
    shortNames: [],
    one: 'role',
    many: 'roles',
    section: 'Access Control',
    page: { keywords: ['rbac'] },
    capabilities: RW,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
    shortNames: [],
    one: 'rolebinding',
    many: 'rolebindings',
    section: 'Access Control',
    page: { label: 'Role Bindings', keywords: ['rbac'] },
    capabilities: RW,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterroles',
    kind: 'ClusterRole',
    namespaced: false,
    shortNames: [],
    one: 'clusterrole',
    many: 'clusterroles',
    section: 'Access Control',
    page: { label: 'Cluster Roles', keywords: ['rbac'] },
    capabilities: RW,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
    shortNames: [],
    one: 'clusterrolebinding',
    many: 'clusterrolebindings',
    section: 'Access Control',
    page: { label: 'Cluster Role Bindings', keywords: ['rbac'] },
    capabilities: RW,
  },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    one: 'namespace',
    many: 'namespaces',
    section: 'Cluster',
    page: { section: 'Platform' },
    capabilities: RW,
  },
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    one: 'node',
    many: 'nodes',
    section: 'Cluster',
    page: { section: 'Platform', component: 'nodes', keywords: ['cordon', 'drain'] },
    capabilities: ['cordon', 'drain', 'edit', 'delete'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    section: 'Cluster',
    page: { id: 'events', section: 'Overview', component: 'events' },
    capabilities: ['delete'],
    listRoute: 'events.list',
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    section: 'Other',
    page: {
      id: 'custom-resources',
      label: 'Custom Resources',
      section: 'Custom Resources',
      component: 'customResources',
    },
    capabilities: RW,
    listRoute: 'crds.list',
  },
] as const satisfies readonly KindDef[];

export type KindEntry = (typeof KINDS)[number];

/** The kinds that have the generic routes (`one`/`many` words). */
export type RoutedKind = Extract<KindEntry, { one: string; many: string }>;

/** `pods`, `deployments.apps`: the id faces and the engine use for a kind. */
export const kindId = (k: { group: string; plural: string }): string => (k.group ? `${k.plural}.${k.group}` : k.plural);

const ALL: readonly KindDef[] = KINDS;
const BY_ID = new Map(ALL.map((d) => [kindId(d), d]));

export const kindById = (id: string): KindDef | undefined => BY_ID.get(id);

/** A route word (`pods`, `service-account`) or a kind id (`deployments.apps`). */
export const kindByWord = (w: string): KindDef | undefined =>
  BY_ID.get(w) ?? ALL.find((d) => d.many === w || d.one === w);

/** The Clusters tree group of a kind: its section, or Custom Resources for one a CRD serves. */
export const treeGroupOf = (d: KindDef): TreeGroup => (d.crd ? 'Custom Resources' : d.section);

/** `Pod` → `Pods`, `Ingress` → `Ingresses`, `NetworkPolicy` → `NetworkPolicies`; `Endpoints` stays. */
export function pluralLabel(kind: string): string {
  if (kind.endsWith('Endpoints')) return kind;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/** A kind's page: id, label, sidebar section, palette keywords, and either its own component or the resource table. */
export function pageOfKind(d: KindDef): {
  id: string;
  label: string;
  section: KindNavSection;
  keywords: string[];
  component?: string;
  many?: string;
} {
  const p = d.page;
  const section = p.section ?? (d.section as KindNavSection);
  return {
    id: p.id ?? d.many ?? d.plural,
    label: p.label ?? pluralLabel(d.kind),
    section,
    keywords: [...d.shortNames, ...(p.keywords ?? [])],
    ...(p.component ? { component: p.component } : d.many ? { many: d.many } : {}),
  };
}

/**
 * Capabilities that are generic routes of the kind itself: `/api/{one}/update` (edit), `/api/{one}/delete` and
 * `/api/{many}/bulk/delete` (delete), `/api/{one}/scale`, …; list, details, yaml and describe every routed kind has.
 */
export const ROUTE_CAPABILITIES = ['edit', 'delete', 'scale', 'restart', 'rollback'] as const;
export type RouteCapability = (typeof ROUTE_CAPABILITIES)[number];

/** The route a capability of a kind goes through (for roles and permission checks), by its route words. */
export function capabilityRoute(c: Capability, one: string): string {
  switch (c) {
    case 'logs':
      return 'pod.logs';
    case 'exec':
      return 'pod.terminal';
    case 'portForward':
      return 'portforward.start';
    case 'cordon':
      return 'node.cordon';
    case 'drain':
      return 'node.drain';
    case 'edit':
      return `${one}.update`;
    default:
      return `${one}.${c}`;
  }
}
