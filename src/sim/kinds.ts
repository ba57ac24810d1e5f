// The resource types the simulated API server serves. Built-in rows here; CRDs add rows at run time.

export interface SubresourceDef {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

export interface ResourceType {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources?: SubresourceDef[];
  /** Served from code, not from the object store (metrics, access reviews). */
  virtual?: boolean;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const RO = ['get', 'list'];
const status = (kind: string): SubresourceDef => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const scale: SubresourceDef = {
  name: 'scale',
  kind: 'Scale',
  group: 'autoscaling',
  version: 'v1',
  verbs: ['get', 'patch', 'update'],
};

function t(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return { group, version, resource, kind, singular: kind.toLowerCase(), namespaced, verbs: RW, ...extra };
}

export const BUILTIN_TYPES: ResourceType[] = [
  t('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      status('Pod'),
    ],
  }),
  t('', 'v1', 'services', 'Service', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [status('Service')],
  }),
  t('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  t('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  t('', 'v1', 'secrets', 'Secret', true),
  t('', 'v1', 'namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
  }),
  t('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: [status('Node')] }),
  t('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  t('', 'v1', 'persistentvolumes', 'PersistentVolume', false, {
    shortNames: ['pv'],
    subresources: [status('PersistentVolume')],
  }),
  t('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, {
    shortNames: ['pvc'],
    subresources: [status('PersistentVolumeClaim')],
  }),
  t('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  t('', 'v1', 'resourcequotas', 'ResourceQuota', true, {
    shortNames: ['quota'],
    subresources: [status('ResourceQuota')],
  }),
  t('', 'v1', 'limitranges', 'LimitRange', true, { shortNames: ['limits'] }),
  t('apps', 'v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [scale, status('Deployment')],
  }),
  t('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [scale, status('ReplicaSet')],
  }),
  t('apps', 'v1', 'statefulsets', 'StatefulSet', true, {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [scale, status('StatefulSet')],
  }),
  t('apps', 'v1', 'daemonsets', 'DaemonSet', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [status('DaemonSet')],
  }),
  t('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  t('batch', 'v1', 'jobs', 'Job', true, { categories: ['all'], subresources: [status('Job')] }),
  t('batch', 'v1', 'cronjobs', 'CronJob', true, {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: [status('CronJob')],
  }),
  t('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: [status('HorizontalPodAutoscaler')],
  }),
  t('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, {
    shortNames: ['ing'],
    subresources: [status('Ingress')],
  }),
  t('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  t('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  t('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, {
    shortNames: ['pdb'],
    subresources: [status('PodDisruptionBudget')],
  }),
  t('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, { shortNames: ['sc'] }),
  t('storage.k8s.io', 'v1', 'volumeattachments', 'VolumeAttachment', false, {
    subresources: [status('VolumeAttachment')],
  }),
  t('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  t('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  t('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  t('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  t('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: [status('CustomResourceDefinition')],
  }),
  t('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  t('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  t('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, {
    verbs: ['create'],
    virtual: true,
  }),
  t('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, {
    verbs: ['create'],
    virtual: true,
  }),
  t('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false, { verbs: RO, virtual: true }),
  t('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', true, { verbs: RO, virtual: true }),
];

export const typeKey = (group: string, resource: string) => (group ? `${group}/${resource}` : resource);

export const apiVersionOf = (t: { group: string; version: string }) =>
  t.group ? `${t.group}/${t.version}` : t.version;

/** Registry of served types, looked up by group/version/resource, by kind, or by short name. */
export class TypeRegistry {
  private byGVR = new Map<string, ResourceType>();
  private listeners = new Set<() => void>();

  constructor(types: ResourceType[] = BUILTIN_TYPES) {
    for (const rt of types) this.byGVR.set(`${rt.group}/${rt.version}/${rt.resource}`, rt);
  }

  all(): ResourceType[] {
    return [...this.byGVR.values()];
  }

  get(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGVR.get(`${group}/${version}/${resource}`);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    for (const rt of this.byGVR.values()) if (rt.kind === kind && apiVersionOf(rt) === apiVersion) return rt;
    return undefined;
  }

  groupVersions(): Array<{ group: string; versions: string[] }> {
    const m = new Map<string, string[]>();
    for (const rt of this.byGVR.values()) {
      const vs = m.get(rt.group) ?? [];
      if (!vs.includes(rt.version)) vs.push(rt.version);
      m.set(rt.group, vs);
    }
    return [...m.entries()].map(([group, versions]) => ({ group, versions }));
  }

  add(rt: ResourceType): void {
    this.byGVR.set(`${rt.group}/${rt.version}/${rt.resource}`, rt);
    this.listeners.forEach((l) => l());
  }

  remove(group: string, version: string, resource: string): void {
    if (this.byGVR.delete(`${group}/${version}/${resource}`)) this.listeners.forEach((l) => l());
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
