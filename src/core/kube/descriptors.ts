// Kinds are data: one row per built-in kind of the shared table (../../shared/kinds.ts) with its columns and status
// logic here, plus rows built from discovery for CRDs. Trees, tables and actions read these.
import { ageSince } from '../../shared/age';
import { jsonPathValue } from '../../shared/jsonPath';
import type { Capability, ColumnDto, KindDto, KindRef } from '../../shared/kube';
import { KINDS, kindId, type KindDef } from '../../shared/kinds';
import type {
  ClusterRoleBinding,
  ConfigMap,
  CronJob,
  DaemonSet,
  Deployment,
  Endpoints,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  KEvent,
  Namespace,
  NetworkPolicy,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  ReplicaSet,
  RoleBinding,
  Secret,
  Service,
  ServiceAccount,
  StatefulSet,
  StorageClass,
  VolumeAttachment,
} from './objects';

/**
 * A raw Kubernetes object as the API server sends it (the cache keeps server JSON as is). Spec and status are unknown
 * JSON unless the code knows the kind: then it reads the kind's typed view (./objects: `Pod`, `ViewOf<'pods'>`).
 */
export interface KObject<Spec = Record<string, unknown>, Status = Record<string, unknown>> {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion?: string; kind: string; name: string; uid: string; controller?: boolean }>;
    generation?: number;
    [k: string]: unknown;
  };
  spec?: Spec;
  status?: Status;
  [k: string]: unknown;
}

export interface Column {
  id: string;
  label: string;
  wide?: boolean;
  get: (o: KObject, now: number) => string | number;
}

/** A column is a shorthand or a full definition (Headlamp's idea). */
export type ColumnSpec = 'name' | 'namespace' | 'age' | 'labels' | Column;

export interface KindDescriptor extends KindRef {
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  columns: ColumnSpec[];
  capabilities: Capability[];
  custom: boolean;
}

export const apiVersionOf = (k: KindRef): string => (k.group ? `${k.group}/${k.version}` : k.version);

/** `pods`, `deployments.apps`: the id faces use for a kind (the shared table's). */
export { kindId };

/** URL path of a collection or an object. */
export function resourcePath(
  k: KindRef & { namespaced: boolean },
  namespace?: string,
  name?: string,
  sub?: string,
): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  let p = base;
  if (k.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${k.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

// ---------- formatting helpers used by columns and describe ----------

/** kubectl's human duration: 45s, 12m, 3h4m, 5d, 2y (the formula the webview's live ages share). */
export function humanAge(fromIso: string | undefined, now: number): string {
  return ageSince(fromIso, now) || '<unknown>';
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** kubectl's pod STATUS column logic (waiting/terminated reasons win over the phase). */
export function podStatus(o: Pod): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const st = o.status ?? {};
  let reason: string = st.reason || st.phase || 'Unknown';
  const init = st.initContainerStatuses ?? [];
  for (let i = 0; i < init.length; i++) {
    const c = init[i];
    if (c.state?.terminated && c.state.terminated.exitCode === 0) continue;
    if (c.state?.terminated)
      return c.state.terminated.reason
        ? `Init:${c.state.terminated.reason}`
        : `Init:ExitCode:${c.state.terminated.exitCode ?? 0}`;
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      return `Init:${c.state.waiting.reason}`;
    return `Init:${i}/${(o.spec?.initContainers ?? []).length}`;
  }
  let running = false;
  const cs = st.containerStatuses ?? [];
  for (let i = cs.length - 1; i >= 0; i--) {
    const c = cs[i];
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state?.terminated)
      reason = c.state.terminated.signal
        ? `Signal:${c.state.terminated.signal}`
        : `ExitCode:${c.state.terminated.exitCode ?? 0}`;
    else if (c.ready && c.state?.running) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  return reason;
}

export function podReady(o: Pod): string {
  const cs = o.status?.containerStatuses ?? [];
  const total = (o.spec?.containers ?? []).length || cs.length;
  return `${cs.filter((c) => c.ready).length}/${total}`;
}

export function podRestarts(o: Pod): number {
  const cs = o.status?.containerStatuses ?? [];
  return cs.reduce((a, c) => a + n(c.restartCount), 0);
}

export function nodeStatus(o: Node): string {
  const ready = (o.status?.conditions ?? []).find((c) => c.type === 'Ready');
  let s = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  if (o.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

export function nodeRoles(o: KObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}

export function formatLabels(l: Record<string, string> | undefined): string {
  const e = Object.entries(l ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

export function selectorString(
  sel:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
      }
    | undefined,
): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** The images of a workload's pod template. */
const images = (o: Deployment | StatefulSet | ReplicaSet): string =>
  (o.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(',');

/** A column that reads one kind's typed view. */
interface KindColumn<T> extends Omit<Column, 'get'> {
  get: (o: T, now: number) => string | number;
}
const col = <T>(id: string, label: string, get: KindColumn<T>['get'], wide?: boolean): KindColumn<T> =>
  wide ? { id, label, get, wide } : { id, label, get };
/** The columns of a kind whose objects the cache holds as that kind's view. */
const columns = <T extends KObject>(...cs: Array<KindColumn<T>>): Column[] => cs as unknown as Column[];
const orNone = (v: unknown): string => (v === undefined || v === null || v === '' ? '<none>' : String(v));

// ---------- the table ----------

/** The columns of each built-in kind between its name (and namespace) and its age, keyed by kind id. */
const COLUMNS: Record<string, ColumnSpec[]> = {
  pods: columns<Pod>(
    col('ready', 'Ready', podReady),
    col('status', 'Status', podStatus),
    col('restarts', 'Restarts', podRestarts),
    col('ip', 'IP', (o) => orNone(o.status?.podIP), true),
    col('node', 'Node', (o) => orNone(o.spec?.nodeName), true),
  ),
  'deployments.apps': columns<Deployment>(
    col('ready', 'Ready', (o) => `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas ?? 1)}`),
    col('upToDate', 'Up-to-date', (o) => n(o.status?.updatedReplicas)),
    col('available', 'Available', (o) => n(o.status?.availableReplicas)),
    col('images', 'Images', (o) => images(o), true),
    col('selector', 'Selector', (o) => selectorString(o.spec?.selector), true),
  ),
  'statefulsets.apps': columns<StatefulSet>(
    col('ready', 'Ready', (o) => `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas ?? 1)}`),
    col('images', 'Images', (o) => images(o), true),
  ),
  'daemonsets.apps': columns<DaemonSet>(
    col('desired', 'Desired', (o) => n(o.status?.desiredNumberScheduled)),
    col('current', 'Current', (o) => n(o.status?.currentNumberScheduled)),
    col('ready', 'Ready', (o) => n(o.status?.numberReady)),
    col('upToDate', 'Up-to-date', (o) => n(o.status?.updatedNumberScheduled)),
    col('available', 'Available', (o) => n(o.status?.numberAvailable)),
    col('nodeSelector', 'Node Selector', (o) => formatLabels(o.spec?.template?.spec?.nodeSelector)),
  ),
  'replicasets.apps': columns<ReplicaSet>(
    col('desired', 'Desired', (o) => n(o.spec?.replicas ?? 1)),
    col('current', 'Current', (o) => n(o.status?.replicas)),
    col('ready', 'Ready', (o) => n(o.status?.readyReplicas)),
    col('images', 'Images', (o) => images(o), true),
  ),
  'jobs.batch': columns<Job>(
    col('status', 'Status', (o) => {
      const conds: Array<{ type: string; status: string }> = o.status?.conditions ?? [];
      if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Complete';
      if (conds.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
      return o.spec?.suspend ? 'Suspended' : 'Running';
    }),
    col('completions', 'Completions', (o) => `${n(o.status?.succeeded)}/${n(o.spec?.completions ?? 1)}`),
  ),
  'cronjobs.batch': columns<CronJob>(
    col('schedule', 'Schedule', (o) => orNone(o.spec?.schedule)),
    col('suspend', 'Suspend', (o) => (o.spec?.suspend ? 'True' : 'False')),
    col('active', 'Active', (o) => (o.status?.active ?? []).length),
    col('lastSchedule', 'Last Schedule', (o, now) =>
      o.status?.lastScheduleTime ? humanAge(o.status.lastScheduleTime, now) : '<none>',
    ),
  ),
  services: columns<Service>(
    col('type', 'Type', (o) => o.spec?.type ?? 'ClusterIP'),
    col('clusterIP', 'Cluster-IP', (o) => orNone(o.spec?.clusterIP)),
    col('externalIP', 'External-IP', (o) => {
      const ing: Array<{ ip?: string; hostname?: string }> = o.status?.loadBalancer?.ingress ?? [];
      const ext = [...(o.spec?.externalIPs ?? []), ...ing.map((i) => i.ip ?? i.hostname ?? '')].filter(Boolean);
      return ext.length ? ext.join(',') : o.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>';
    }),
    col(
      'ports',
      'Port(s)',
      (o) =>
        ((o.spec?.ports ?? []) as Array<{ port: number; nodePort?: number; protocol?: string }>)
          .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
          .join(',') || '<none>',
    ),
    col('selector', 'Selector', (o) => formatLabels(o.spec?.selector), true),
  ),
  endpoints: columns<Endpoints>(
    col('endpoints', 'Endpoints', (o) => {
      const out: string[] = [];
      for (const s of (o.subsets ?? []) as Array<{
        addresses?: Array<{ ip: string }>;
        ports?: Array<{ port: number }>;
      }>) {
        for (const a of s.addresses ?? [])
          for (const p of s.ports ?? [{ port: 0 }]) out.push(p.port ? `${a.ip}:${p.port}` : a.ip);
      }
      return out.length
        ? out.length > 3
          ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...`
          : out.join(',')
        : '<none>';
    }),
  ),
  'ingresses.networking.k8s.io': columns<Ingress>(
    col('class', 'Class', (o) => orNone(o.spec?.ingressClassName)),
    col(
      'hosts',
      'Hosts',
      (o) => ((o.spec?.rules ?? []) as Array<{ host?: string }>).map((r) => r.host ?? '*').join(',') || '*',
    ),
    col('address', 'Address', (o) =>
      ((o.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>)
        .map((i) => i.ip ?? i.hostname)
        .join(','),
    ),
  ),
  'networkpolicies.networking.k8s.io': columns<NetworkPolicy>(
    col('podSelector', 'Pod-Selector', (o) => selectorString(o.spec?.podSelector).replace('<none>', '<none>')),
  ),
  configmaps: columns<ConfigMap>(
    col(
      'data',
      'Data',
      (o) => Object.keys((o.data as object) ?? {}).length + Object.keys((o.binaryData as object) ?? {}).length,
    ),
  ),
  secrets: columns<Secret>(
    col('type', 'Type', (o) => String(o.type ?? 'Opaque')),
    col('data', 'Data', (o) => Object.keys((o.data as object) ?? {}).length),
  ),
  persistentvolumes: columns<PersistentVolume>(
    col('capacity', 'Capacity', (o) => orNone(o.spec?.capacity?.storage)),
    col('accessModes', 'Access Modes', (o) => ((o.spec?.accessModes ?? []) as string[]).map(abbrevMode).join(',')),
    col('reclaimPolicy', 'Reclaim Policy', (o) => orNone(o.spec?.persistentVolumeReclaimPolicy)),
    col('status', 'Status', (o) => orNone(o.status?.phase)),
    col('claim', 'Claim', (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : '')),
    col('storageClass', 'StorageClass', (o) => orNone(o.spec?.storageClassName)),
  ),
  persistentvolumeclaims: columns<PersistentVolumeClaim>(
    col('status', 'Status', (o) => orNone(o.status?.phase)),
    col('volume', 'Volume', (o) => o.spec?.volumeName ?? ''),
    col('capacity', 'Capacity', (o) => o.status?.capacity?.storage ?? ''),
    col('accessModes', 'Access Modes', (o) =>
      ((o.status?.accessModes ?? o.spec?.accessModes ?? []) as string[]).map(abbrevMode).join(','),
    ),
    col('storageClass', 'StorageClass', (o) => orNone(o.spec?.storageClassName)),
  ),
  'storageclasses.storage.k8s.io': columns<StorageClass>(
    col('provisioner', 'Provisioner', (o) => String(o.provisioner ?? '')),
    col('reclaimPolicy', 'ReclaimPolicy', (o) => String(o.reclaimPolicy ?? 'Delete')),
    col('volumeBindingMode', 'VolumeBindingMode', (o) => String(o.volumeBindingMode ?? 'Immediate')),
  ),
  'volumeattachments.storage.k8s.io': columns<VolumeAttachment>(
    col('attacher', 'Attacher', (o) => orNone(o.spec?.attacher)),
    col('pv', 'PV', (o) => orNone(o.spec?.source?.persistentVolumeName)),
    col('node', 'Node', (o) => orNone(o.spec?.nodeName)),
    col('attached', 'Attached', (o) => (o.status?.attached ? 'true' : 'false')),
  ),
  namespaces: columns<Namespace>(col('status', 'Status', (o) => orNone(o.status?.phase ?? 'Active'))),
  nodes: columns<Node>(
    col('status', 'Status', nodeStatus),
    col('roles', 'Roles', nodeRoles),
    col('version', 'Version', (o) => orNone(o.status?.nodeInfo?.kubeletVersion)),
    col(
      'internalIP',
      'Internal-IP',
      (o) =>
        orNone(
          ((o.status?.addresses ?? []) as Array<{ type: string; address: string }>).find((a) => a.type === 'InternalIP')
            ?.address,
        ),
      true,
    ),
    col('osImage', 'OS-Image', (o) => orNone(o.status?.nodeInfo?.osImage), true),
  ),
  events: columns<KEvent>(
    col('lastSeen', 'Last Seen', (o, now) => humanAge(eventTime(o), now)),
    col('type', 'Type', (o) => String(o.type ?? '')),
    col('reason', 'Reason', (o) => String(o.reason ?? '')),
    col('object', 'Object', (o) => {
      const io = o.involvedObject as { kind?: string; name?: string } | undefined;
      return io ? `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}` : '';
    }),
    col('message', 'Message', (o) => String(o.message ?? '')),
  ),
  'horizontalpodautoscalers.autoscaling': columns<HorizontalPodAutoscaler>(
    col('reference', 'Reference', (o) =>
      o.spec?.scaleTargetRef ? `${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}` : '',
    ),
    col('minPods', 'MinPods', (o) => n(o.spec?.minReplicas ?? 1)),
    col('maxPods', 'MaxPods', (o) => n(o.spec?.maxReplicas)),
    col('replicas', 'Replicas', (o) => n(o.status?.currentReplicas)),
  ),
  'poddisruptionbudgets.policy': columns<PodDisruptionBudget>(
    col('minAvailable', 'Min Available', (o) => orNone(o.spec?.minAvailable ?? 'N/A')),
    col('maxUnavailable', 'Max Unavailable', (o) => orNone(o.spec?.maxUnavailable ?? 'N/A')),
    col('allowed', 'Allowed Disruptions', (o) => n(o.status?.disruptionsAllowed)),
  ),
  serviceaccounts: columns<ServiceAccount>(col('secrets', 'Secrets', (o) => ((o.secrets as unknown[]) ?? []).length)),
  'rolebindings.rbac.authorization.k8s.io': columns<RoleBinding>(col('role', 'Role', (o) => roleRef(o))),
  'clusterrolebindings.rbac.authorization.k8s.io': columns<ClusterRoleBinding>(col('role', 'Role', (o) => roleRef(o))),
  'customresourcedefinitions.apiextensions.k8s.io': columns<KObject>(
    col('group', 'Group', (o) => String(o.spec?.group ?? '')),
    col('scope', 'Scope', (o) => String(o.spec?.scope ?? '')),
  ),
};

/** The kind's identity and capabilities from the shared table; its columns from COLUMNS (none: name and age only). */
function descriptorOf(d: KindDef): KindDescriptor {
  const base: ColumnSpec[] = d.namespaced ? ['namespace', 'name'] : ['name'];
  return {
    group: d.group,
    version: d.version,
    plural: d.plural,
    kind: d.kind,
    namespaced: d.namespaced,
    shortNames: [...d.shortNames],
    columns: [...base, ...(COLUMNS[kindId(d)] ?? []), 'age'],
    capabilities: [...d.capabilities],
    custom: false,
  };
}

/** Every kind of the shared table that is built into Kubernetes (CRD-served kinds come from discovery). */
export const BUILTIN_KINDS: readonly KindDescriptor[] = (KINDS as readonly KindDef[])
  .filter((d) => !d.crd)
  .map(descriptorOf);

function roleRef(o: KObject): string {
  const r = o.roleRef as { kind?: string; name?: string } | undefined;
  return r ? `${r.kind}/${r.name}` : '';
}

function abbrevMode(m: string): string {
  return (
    (
      { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' } as Record<
        string,
        string
      >
    )[m] ?? m
  );
}

export function eventTime(o: KObject): string | undefined {
  return (
    (o.lastTimestamp as string) ||
    (o.eventTime as string) ||
    (o.series as { lastObservedTime?: string } | undefined)?.lastObservedTime ||
    (o.firstTimestamp as string) ||
    o.metadata.creationTimestamp
  );
}

// ---------- columns ----------

const SHORTHAND: Record<'name' | 'namespace' | 'age' | 'labels', Column> = {
  name: col('name', 'Name', (o) => o.metadata.name),
  namespace: col('namespace', 'Namespace', (o) => o.metadata.namespace ?? ''),
  age: col('age', 'Age', (o, now) => humanAge(o.metadata.creationTimestamp, now)),
  labels: col('labels', 'Labels', (o) => formatLabels(o.metadata.labels), true),
};

export function resolveColumns(d: KindDescriptor): Column[] {
  return d.columns.map((c) => (typeof c === 'string' ? SHORTHAND[c] : c));
}

/** One row of display strings for an object, in column order. */
export function rowOf(d: KindDescriptor, o: KObject, now = Date.now()): Array<string | number> {
  return resolveColumns(d).map((c) => c.get(o, now));
}

export function toKindDto(d: KindDescriptor): KindDto {
  return {
    group: d.group,
    version: d.version,
    plural: d.plural,
    kind: d.kind,
    namespaced: d.namespaced,
    shortNames: d.shortNames,
    columns: resolveColumns(d).map((c): ColumnDto =>
      c.wide ? { id: c.id, label: c.label, wide: true } : { id: c.id, label: c.label },
    ),
    capabilities: d.capabilities,
    custom: d.custom,
  };
}

// ---------- CRDs ----------

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  additionalPrinterColumns?: Array<{ name: string; type?: string; jsonPath: string; priority?: number }>;
  subresources?: { scale?: unknown };
}

/** A descriptor for a CRD's served (preferably storage) version, with its printer columns (k9s: every CRD gets columns). */
export function descriptorFromCrd(crd: KObject): KindDescriptor | undefined {
  const spec = crd.spec as
    | {
        group: string;
        names: { plural: string; kind: string; shortNames?: string[] };
        scope: string;
        versions: CrdVersion[];
      }
    | undefined;
  if (!spec?.group || !spec.names?.plural) return undefined;
  const served = (spec.versions ?? []).filter((v) => v.served !== false);
  const v = served.find((x) => x.storage) ?? served[0];
  if (!v) return undefined;
  const namespaced = spec.scope !== 'Cluster';
  const printer: Column[] = (v.additionalPrinterColumns ?? [])
    .filter((c) => !/^\.metadata\.creationTimestamp$/.test(c.jsonPath))
    .map((c) =>
      col(
        `col:${c.name}`,
        c.name,
        (o, now) => {
          const val = jsonPathValue(o, c.jsonPath);
          if (val === undefined || val === null) return '<none>';
          if (c.type === 'date') return humanAge(String(val), now);
          return typeof val === 'object' ? JSON.stringify(val) : typeof val === 'number' ? val : String(val);
        },
        (c.priority ?? 0) > 0,
      ),
    );
  const caps: Capability[] = ['edit', 'delete'];
  if (v.subresources?.scale) caps.unshift('scale');
  return {
    group: spec.group,
    version: v.name,
    plural: spec.names.plural,
    kind: spec.names.kind,
    namespaced,
    shortNames: spec.names.shortNames ?? [],
    columns: [
      ...(namespaced ? (['namespace', 'name'] as ColumnSpec[]) : (['name'] as ColumnSpec[])),
      ...printer,
      'age',
    ],
    capabilities: caps,
    custom: true,
  };
}

/** Built-in rows plus CRD rows; lookups by id (`deployments.apps`), kind, or short name. */
export class DescriptorRegistry {
  private byId = new Map<string, KindDescriptor>();

  constructor(builtins: readonly KindDescriptor[] = BUILTIN_KINDS) {
    for (const d of builtins) this.byId.set(kindId(d), d);
  }

  all(): KindDescriptor[] {
    return [...this.byId.values()];
  }

  get(id: string): KindDescriptor | undefined {
    return this.byId.get(id);
  }

  byRef(ref: { group: string; plural: string }): KindDescriptor | undefined {
    return this.byId.get(kindId(ref));
  }

  /** `Deployment`, `apps/v1 Deployment`, `deploy`, `deployments`, `deployments.apps`. */
  resolve(name: string, apiVersion?: string): KindDescriptor | undefined {
    const direct = this.byId.get(name);
    if (direct) return direct;
    const lower = name.toLowerCase();
    const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : apiVersion ? '' : undefined;
    for (const d of this.byId.values()) {
      if (group !== undefined && d.group !== group) continue;
      if (d.kind === name || d.kind.toLowerCase() === lower || d.plural === lower || d.shortNames.includes(lower))
        return d;
    }
    return undefined;
  }

  /** Replaces the CRD rows with the given CRDs; returns true when anything changed. */
  setCrds(crds: KObject[]): boolean {
    const next = new Map<string, KindDescriptor>();
    for (const c of crds) {
      const d = descriptorFromCrd(c);
      if (d && !this.isBuiltin(kindId(d))) next.set(kindId(d), d);
    }
    let changed = false;
    for (const [id, d] of this.byId) {
      if (d.custom && !next.has(id)) {
        this.byId.delete(id);
        changed = true;
      }
    }
    for (const [id, d] of next) {
      const prev = this.byId.get(id);
      if (
        !prev ||
        prev.version !== d.version ||
        prev.columns.length !== d.columns.length ||
        prev.namespaced !== d.namespaced
      )
        changed = true;
      this.byId.set(id, d);
    }
    return changed;
  }

  private isBuiltin(id: string): boolean {
    return BUILTIN_KINDS.some((d) => kindId(d) === id);
  }
}
