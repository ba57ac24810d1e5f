// Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`): the columns kubectl's printers show.
import type { KObj } from './store';
import { jsonPathValue } from '../shared/jsonPath';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}
type Cell = string | number | boolean | null;
interface Column {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
  /** The first Kubernetes minor whose printer has this column (the simulator answers as the version it reports). */
  since?: number;
  cell: (o: KObj) => Cell;
}

const col = (name: string, cell: (o: KObj) => Cell, extra: Partial<Column> = {}): Column => ({ name, cell, ...extra });
const int = (name: string, cell: (o: KObj) => Cell, extra: Partial<Column> = {}): Column =>
  col(name, cell, { type: 'integer', ...extra });
const wide = (name: string, cell: (o: KObj) => Cell, extra: Partial<Column> = {}): Column =>
  col(name, cell, { priority: 1, ...extra });
const NAME = col('Name', (o) => o.metadata.name, { format: 'name' });
const AGE = col('Age', (o) => age(o.metadata.creationTimestamp));
const none = (s: string | undefined | null) => (s === undefined || s === null || s === '' ? '<none>' : s);
const unset = (s: string | undefined | null) => (s === undefined || s === null ? '<unset>' : s);

/** apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.trunc(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${h / 24}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 365 * 2) return `${d}d`;
  if (h < 24 * 365 * 8) return d % 365 === 0 ? `${Math.floor(d / 365)}y` : `${Math.floor(d / 365)}y${d % 365}d`;
  return `${Math.floor(d / 365)}y`;
}

/** translateTimestampSince: a zero time is `<unknown>`. */
export const age = (ts: string | undefined | null) => (ts ? humanDuration(Date.now() - Date.parse(ts)) : '<unknown>');

const isRestartableInit = (c: KObj | undefined) => c?.restartPolicy === 'Always';
const condTrue = (conds: KObj[] | undefined, type: string) =>
  (conds ?? []).some((c) => c.type === type && c.status === 'True');

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS of `kubectl get pods`, following the API server's printPod. */
export function podSummary(p: KObj): PodSummary {
  const st = p.status ?? {};
  const initSpecs: KObj[] = p.spec?.initContainers ?? [];
  const initByName = new Map(initSpecs.map((c) => [c.name, c]));
  let total = (p.spec?.containers ?? []).length + initSpecs.filter(isRestartableInit).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const finished = (c: KObj) => Date.parse(c.lastState?.terminated?.finishedAt ?? '') || 0;
  let reason: string = st.reason || st.phase || '';
  if ((st.conditions ?? []).some((c: KObj) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated'))
    reason = 'SchedulingGated';

  let initializing = false;
  const inits: KObj[] = st.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finished(c));
    const sidecar = isRestartableInit(initByName.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finished(c));
    }
    const term = c.state?.terminated;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${term.exitCode ?? 0}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || condTrue(st.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs: KObj[] = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finished(c));
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = condTrue(st.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const phase = st.phase;
  if (p.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  total = Math.max(total, 0);
  return {
    ready: `${ready}/${total}`,
    status: reason,
    restarts:
      restarts && lastRestart ? `${restarts} (${humanDuration(Date.now() - lastRestart)} ago)` : String(restarts),
  };
}

/** The STATUS column of `kubectl get pods`. */
export const podStatus = (p: KObj): string => podSummary(p).status;

const containers = (spec: KObj | undefined) => (spec?.containers ?? []) as KObj[];

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

/** labels.Selector.String() of a LabelSelector: requirements sorted by key; "" for an empty selector. */
function selectorString(sel: KObj | undefined): string {
  if (!sel) return '';
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of (sel.matchExpressions ?? []) as KObj[]) {
    const values = [...((e.values ?? []) as string[])].sort().join(',');
    const text: Record<string, string> = {
      In: `${e.key} in (${values})`,
      NotIn: `${e.key} notin (${values})`,
      Exists: String(e.key),
      DoesNotExist: `!${e.key}`,
    };
    reqs.push([e.key, text[e.operator] ?? `${e.key} ${String(e.operator).toLowerCase()} (${values})`]);
  }
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(',');
}

/** metav1.FormatLabelSelector: the selector's string, `<none>` when it selects everything (or nothing). */
const formatLabelSelector = (sel: KObj | undefined) => selectorString(sel) || '<none>';

const names = (spec: KObj | undefined) =>
  containers(spec)
    .map((c) => c.name)
    .join(',');
const images = (spec: KObj | undefined) =>
  containers(spec)
    .map((c) => c.image)
    .join(',');
const podTemplate = (o: KObj) => o.spec?.template?.spec;
const workloadWide = (selector: (o: KObj) => string) => [
  wide('Containers', (o) => names(podTemplate(o))),
  wide('Images', (o) => images(podTemplate(o))),
  wide('Selector', selector),
];

/** Roles from `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label, sorted. */
function nodeRoles(n: KObj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((n.metadata.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

/** `Ready` only when the Ready condition is True, `NotReady` for False and Unknown alike; `,SchedulingDisabled` when cordoned. */
export function nodeStatus(n: KObj): string {
  const ready = (n.status?.conditions ?? []).find((c: KObj) => c.type === 'Ready');
  const s = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (n.spec?.unschedulable) s.push('SchedulingDisabled');
  return s.join(',');
}

const addr = (n: KObj, type: string) => none((n.status?.addresses ?? []).find((a: KObj) => a.type === type)?.address);

function servicePorts(s: KObj): string {
  const ports: KObj[] = s.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/** Load-balancer ingress points: IPs, else hostnames, sorted and unique (never clipped: the server prints wide). */
const lbIngress = (lb: KObj | undefined): string[] =>
  [...new Set(((lb?.ingress ?? []) as KObj[]).map((i) => i.ip || i.hostname).filter(Boolean) as string[])].sort();

function externalIp(s: KObj): string {
  const ext: string[] = s.spec?.externalIPs ?? [];
  switch (s.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = lbIngress(s.status?.loadBalancer);
      if (ext.length) return [...lb, ...ext].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.spec?.externalName ?? '';
  }
  return '<unknown>';
}

/** Up to three items, then ` + N more...`. */
function listWithMore(list: string[], empty: string, max = 3): string {
  if (!list.length) return empty;
  return list.length > max ? `${list.slice(0, max).join(',')} + ${list.length - max} more...` : list.join(',');
}

function endpointsString(e: KObj): string {
  if (!(e.subsets ?? []).length) return '<none>';
  const out: string[] = [];
  const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  for (const sub of e.subsets as KObj[]) {
    const addrs: KObj[] = sub.addresses ?? [];
    if (!(sub.ports ?? []).length) for (const a of addrs) out.push(a.ip);
    else for (const p of sub.ports as KObj[]) for (const a of addrs) out.push(hostPort(a.ip, p.port));
  }
  return listWithMore(out, '');
}

function ingressHosts(rules: KObj[] | undefined): string {
  const all = (rules ?? []) as KObj[];
  const hosts = all
    .slice(0, 3)
    .map((r) => r.host)
    .filter(Boolean);
  if (!hosts.length) return '*';
  return all.length > 3 ? `${hosts.join(',')} + ${all.length - 3} more...` : hosts.join(',');
}

/** Event SOURCE: component (or reportingController), then `, host` (or reportingInstance) when there is one. */
function eventSource(e: KObj): string {
  const component = e.source?.component || e.reportingComponent || e.reportingController || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function eventTimes(e: KObj): { first: string; last: string; count: number } {
  const first = e.firstTimestamp ? age(e.firstTimestamp) : age(e.eventTime);
  let last = e.lastTimestamp ? age(e.lastTimestamp) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = age(e.series.lastObservedTime);
    count = e.series.count ?? 0;
  } else if (!count) count = 1;
  return { first, last, count };
}

const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

/** rbac.SubjectsStrings: users, groups and service accounts of a binding, each joined with ", ". */
function subjects(b: KObj, kind: 'User' | 'Group' | 'ServiceAccount'): string {
  return ((b.subjects ?? []) as KObj[])
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}
const bindingColumns = [
  NAME,
  col('Role', (b) => `${b.roleRef?.kind}/${b.roleRef?.name}`),
  AGE,
  wide('Users', (b) => subjects(b, 'User')),
  wide('Groups', (b) => subjects(b, 'Group')),
  wide('ServiceAccounts', (b) => subjects(b, 'ServiceAccount')),
];

/** Kinds without a printer get the API server's default table: Name and Created At (RFC 3339). */
const DEFAULT_TABLE = [
  NAME,
  col(
    'Created At',
    (o) =>
      o.metadata.creationTimestamp
        ? new Date(o.metadata.creationTimestamp).toISOString().replace(/\.\d+Z$/, 'Z')
        : null,
    { type: 'date' },
  ),
];

function isDefaultClass(o: KObj): boolean {
  const a = o.metadata.annotations ?? {};
  return (
    a['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    a['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

const TABLES: Record<string, Column[]> = {
  pods: [
    NAME,
    col('Ready', (p) => podSummary(p).ready),
    col('Status', (p) => podSummary(p).status),
    col('Restarts', (p) => podSummary(p).restarts),
    AGE,
    wide('IP', (p) => none(p.status?.podIPs?.[0]?.ip ?? p.status?.podIP)),
    wide('Node', (p) => none(p.spec?.nodeName)),
    wide('Nominated Node', (p) => none(p.status?.nominatedNodeName)),
    wide('Readiness Gates', (p) => {
      const gates: KObj[] = p.spec?.readinessGates ?? [];
      if (!gates.length) return '<none>';
      const conds: KObj[] = p.status?.conditions ?? [];
      const ok = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
      return `${ok}/${gates.length}`;
    }),
  ],
  'apps/deployments': [
    NAME,
    col('Ready', (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`),
    col('Up-to-date', (d) => d.status?.updatedReplicas ?? 0),
    col('Available', (d) => d.status?.availableReplicas ?? 0),
    AGE,
    ...workloadWide((d) => selectorString(d.spec?.selector)),
  ],
  'apps/replicasets': [
    NAME,
    int('Desired', (r) => r.spec?.replicas ?? 1),
    int('Current', (r) => r.status?.replicas ?? 0),
    int('Ready', (r) => r.status?.readyReplicas ?? 0),
    AGE,
    ...workloadWide((r) => formatLabelSelector(r.spec?.selector)),
  ],
  'apps/statefulsets': [
    NAME,
    col('Ready', (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`),
    AGE,
    ...workloadWide(() => '').slice(0, 2),
  ],
  'apps/daemonsets': [
    NAME,
    int('Desired', (d) => d.status?.desiredNumberScheduled ?? 0),
    int('Current', (d) => d.status?.currentNumberScheduled ?? 0),
    int('Ready', (d) => d.status?.numberReady ?? 0),
    int('Up-to-date', (d) => d.status?.updatedNumberScheduled ?? 0),
    int('Available', (d) => d.status?.numberAvailable ?? 0),
    col('Node Selector', (d) => formatLabels(d.spec?.template?.spec?.nodeSelector)),
    AGE,
    ...workloadWide((d) => formatLabelSelector(d.spec?.selector)),
  ],
  'discovery.k8s.io/endpointslices': [
    NAME,
    col('AddressType', (e) => e.addressType ?? ''),
    col('Ports', (e) =>
      listWithMore(
        ((e.ports ?? []) as KObj[]).map((p) =>
          p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'),
        ),
        '<unset>',
      ),
    ),
    col('Endpoints', (e) =>
      listWithMore(
        ((e.endpoints ?? []) as KObj[]).flatMap((x) => x.addresses ?? []),
        '<unset>',
      ),
    ),
    AGE,
  ],
  'apps/controllerrevisions': [
    NAME,
    col('Controller', (c) => {
      const ref = (c.metadata.ownerReferences ?? []).find((o) => o.controller);
      if (!ref) return '<none>';
      const group = String(ref.apiVersion).includes('/') ? String(ref.apiVersion).split('/')[0] : '';
      return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
    }),
    col('Revision', (c) => c.revision ?? 0),
    AGE,
  ],
  'batch/jobs': [
    NAME,
    col(
      'Status',
      (j) => {
        const conds: KObj[] = j.status?.conditions ?? [];
        // hasJobCondition: the first condition of that type decides.
        const has = (type: string) => conds.find((c) => c.type === type)?.status === 'True';
        if (has('Complete')) return 'Complete';
        if (has('Failed')) return 'Failed';
        if (j.metadata.deletionTimestamp) return 'Terminating';
        if (has('Suspended')) return 'Suspended';
        if (has('FailureTarget')) return 'FailureTarget';
        return 'Running';
      },
      { since: 30 },
    ),
    col('Completions', (j) => {
      const succeeded = j.status?.succeeded ?? 0;
      if (j.spec?.completions !== undefined && j.spec?.completions !== null)
        return `${succeeded}/${j.spec.completions}`;
      const parallelism = j.spec?.parallelism ?? 0;
      return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }),
    col('Duration', (j) => {
      const start = j.status?.startTime;
      if (!start) return '';
      const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : Date.now();
      return humanDuration(end - Date.parse(start));
    }),
    AGE,
    ...workloadWide((j) => formatLabelSelector(j.spec?.selector)),
  ],
  'batch/cronjobs': [
    NAME,
    col('Schedule', (c) => c.spec?.schedule ?? ''),
    col('Timezone', (c) => none(c.spec?.timeZone)),
    col('Suspend', (c) => (c.spec?.suspend === undefined ? '<unset>' : c.spec.suspend ? 'True' : 'False'), {
      type: 'boolean',
    }),
    int('Active', (c) => (c.status?.active ?? []).length),
    col('Last Schedule', (c) => (c.status?.lastScheduleTime ? age(c.status.lastScheduleTime) : '<none>')),
    AGE,
    wide('Containers', (c) => names(c.spec?.jobTemplate?.spec?.template?.spec)),
    wide('Images', (c) => images(c.spec?.jobTemplate?.spec?.template?.spec)),
    wide('Selector', (c) => formatLabelSelector(c.spec?.jobTemplate?.spec?.selector)),
  ],
  nodes: [
    NAME,
    col('Status', nodeStatus),
    col('Roles', nodeRoles),
    AGE,
    col('Version', (n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
    wide('Internal-IP', (n) => addr(n, 'InternalIP')),
    wide('External-IP', (n) => addr(n, 'ExternalIP')),
    wide('OS-Image', (n) => n.status?.nodeInfo?.osImage || '<unknown>'),
    wide('Kernel-Version', (n) => n.status?.nodeInfo?.kernelVersion || '<unknown>'),
    wide('Container-Runtime', (n) => n.status?.nodeInfo?.containerRuntimeVersion || '<unknown>'),
  ],
  services: [
    NAME,
    col('Type', (s) => s.spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', (s) => none(s.spec?.clusterIPs?.[0] ?? s.spec?.clusterIP)),
    col('External-IP', externalIp),
    col('Port(s)', servicePorts),
    AGE,
    wide('Selector', (s) => formatLabels(s.spec?.selector)),
  ],
  endpoints: [NAME, col('Endpoints', endpointsString), AGE],
  namespaces: [NAME, col('Status', (n) => n.status?.phase ?? ''), AGE],
  configmaps: [
    NAME,
    col('Data', (c) => Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length),
    AGE,
  ],
  secrets: [NAME, col('Type', (s) => s.type ?? 'Opaque'), col('Data', (s) => Object.keys(s.data ?? {}).length), AGE],
  serviceaccounts: [NAME, col('Secrets', (s) => (s.secrets ?? []).length), AGE],
  events: [
    col('Last Seen', (e) => eventTimes(e).last),
    col('Type', (e) => e.type ?? ''),
    col('Reason', (e) => e.reason ?? ''),
    col('Object', (e) => {
      const kind = String(e.involvedObject?.kind ?? '').toLowerCase();
      return e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    }),
    wide('Subobject', (e) => e.involvedObject?.fieldPath ?? ''),
    wide('Source', eventSource),
    col('Message', (e) => String(e.message ?? '').trim()),
    wide('First Seen', (e) => eventTimes(e).first),
    wide('Count', (e) => eventTimes(e).count),
    wide('Name', (e) => e.metadata.name, { format: 'name' }),
  ],
  persistentvolumes: [
    NAME,
    col('Capacity', (p) => p.spec?.capacity?.storage ?? '0'),
    col('Access Modes', (p) => accessModes(p.spec?.accessModes)),
    col('Reclaim Policy', (p) => p.spec?.persistentVolumeReclaimPolicy ?? ''),
    col('Status', (p) => (p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? ''))),
    col('Claim', (p) => (p.spec?.claimRef ? `${p.spec.claimRef.namespace ?? ''}/${p.spec.claimRef.name ?? ''}` : '')),
    col(
      'StorageClass',
      (p) => p.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? p.spec?.storageClassName ?? '',
    ),
    col('VolumeAttributesClass', (p) => unset(p.spec?.volumeAttributesClassName), { since: 29 }),
    col('Reason', (p) => p.status?.reason ?? ''),
    AGE,
    wide('VolumeMode', (p) => unset(p.spec?.volumeMode)),
  ],
  persistentvolumeclaims: [
    NAME,
    col('Status', (p) => (p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? ''))),
    col('Volume', (p) => p.spec?.volumeName ?? ''),
    col('Capacity', (p) => (p.spec?.volumeName ? (p.status?.capacity?.storage ?? '0') : '')),
    col('Access Modes', (p) => (p.spec?.volumeName ? accessModes(p.status?.accessModes) : '')),
    col(
      'StorageClass',
      (p) => p.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? p.spec?.storageClassName ?? '',
    ),
    col('VolumeAttributesClass', (p) => unset(p.spec?.volumeAttributesClassName), { since: 29 }),
    AGE,
    wide('VolumeMode', (p) => unset(p.spec?.volumeMode)),
  ],
  resourcequotas: [NAME, col('Request', (q) => quotaColumn(q, false)), col('Limit', (q) => quotaColumn(q, true)), AGE],
  'coordination.k8s.io/leases': [NAME, col('Holder', (l) => l.spec?.holderIdentity ?? ''), AGE],
  'networking.k8s.io/ingresses': [
    NAME,
    col('Class', (i) => i.spec?.ingressClassName ?? '<none>'),
    col('Hosts', (i) => ingressHosts(i.spec?.rules)),
    col('Address', (i) => lbIngress(i.status?.loadBalancer).join(',')),
    col('Ports', (i) => ((i.spec?.tls ?? []).length ? '80, 443' : '80')),
    AGE,
  ],
  'networking.k8s.io/ingressclasses': [
    NAME,
    col('Controller', (c) => c.spec?.controller ?? ''),
    col('Parameters', (c) => {
      const p = c.spec?.parameters;
      if (!p) return '<none>';
      return `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}`;
    }),
    AGE,
  ],
  'networking.k8s.io/networkpolicies': [
    NAME,
    col('Pod-Selector', (n) => formatLabelSelector(n.spec?.podSelector)),
    AGE,
  ],
  'autoscaling/horizontalpodautoscalers': [
    NAME,
    col('Reference', (h) => `${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`),
    col('Targets', hpaTargets),
    col('MinPods', (h) => (h.spec?.minReplicas === undefined ? '<unset>' : String(h.spec.minReplicas))),
    col('MaxPods', (h) => h.spec?.maxReplicas ?? 0),
    col('Replicas', (h) => h.status?.currentReplicas ?? 0),
    AGE,
  ],
  'policy/poddisruptionbudgets': [
    NAME,
    col('Min Available', (p) => intOrString(p.spec?.minAvailable)),
    col('Max Unavailable', (p) => intOrString(p.spec?.maxUnavailable)),
    int('Allowed Disruptions', (p) => p.status?.disruptionsAllowed ?? 0),
    AGE,
  ],
  'storage.k8s.io/volumeattachments': [
    NAME,
    col('Attacher', (v) => v.spec?.attacher ?? '', { format: 'name' }),
    col('PV', (v) => v.spec?.source?.persistentVolumeName ?? ''),
    col('Node', (v) => v.spec?.nodeName ?? ''),
    col('Attached', (v) => Boolean(v.status?.attached), { type: 'boolean' }),
    AGE,
  ],
  'storage.k8s.io/storageclasses': [
    col('Name', (s) => (isDefaultClass(s) ? `${s.metadata.name} (default)` : s.metadata.name), { format: 'name' }),
    col('Provisioner', (s) => s.provisioner ?? ''),
    col('ReclaimPolicy', (s) => s.reclaimPolicy ?? 'Delete'),
    col('VolumeBindingMode', (s) => s.volumeBindingMode ?? 'Immediate'),
    col('AllowVolumeExpansion', (s) => Boolean(s.allowVolumeExpansion)),
    AGE,
  ],
  'rbac.authorization.k8s.io/rolebindings': bindingColumns,
  'rbac.authorization.k8s.io/clusterrolebindings': bindingColumns,
};

/** ResourceQuota REQUEST / LIMIT: `resource: used/hard` for each hard limit, sorted, limits.* in the second column. */
function quotaColumn(q: KObj, limits: boolean): string {
  const hard: Record<string, string> = q.status?.hard ?? {};
  const used: Record<string, string> = q.status?.used ?? {};
  return Object.keys(hard)
    .sort()
    .filter((r) => (r.split('.').length > 1 && r.split('.')[0] === 'limits') === limits)
    .map((r) => `${r}: ${used[r] ?? '0'}/${hard[r]}`)
    .join(', ');
}

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  // helper.GetAccessModesAsString: each mode once, in this order.
  const order = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
  return order
    .filter((m) => (modes ?? []).includes(m))
    .map((m) => short[m])
    .join(',');
}

/** formatHPAMetrics: at most two targets, then ` + N more...`. */
function hpaTargets(h: KObj): string {
  const specs: KObj[] = h.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses: KObj[] = h.status?.currentMetrics ?? [];
  const q = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const list = specs.map((m, i) => {
    const st = statuses[i];
    const unknown = '<unknown>';
    switch (m.type) {
      case 'External':
      case 'Object': {
        const key = m.type === 'External' ? 'external' : 'object';
        const t = m[key]?.target ?? {};
        const cur = st?.[key]?.current;
        if (t.averageValue !== undefined) return `${q(cur?.averageValue) ?? unknown}/${t.averageValue} (avg)`;
        return `${(st?.[key] && q(cur?.value)) ?? unknown}/${t.value}`;
      }
      case 'Pods':
        return `${q(st?.pods?.current?.averageValue) ?? unknown}/${m.pods?.target?.averageValue}`;
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const t = m[key]?.target ?? {};
        const cur = st?.[key]?.current;
        if (t.averageValue !== undefined)
          return `${m[key]?.name}: ${q(cur?.averageValue) ?? unknown}/${t.averageValue}`;
        const c = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : unknown;
        const target = t.averageUtilization !== undefined ? `${t.averageUtilization}%` : '<auto>';
        return `${m[key]?.name}: ${c}/${target}`;
      }
    }
    return '<unknown type>';
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/**
 * A CRD's additionalPrinterColumns: Name, then exactly the declared columns (a CRD that declares none gets Age). A
 * missing value is null; a `date` column shows the time since.
 */
export function crdColumns(
  printerColumns: Array<{ name: string; type: string; jsonPath: string; priority?: number; format?: string }>,
): Column[] {
  const cols = printerColumns.map((c) =>
    col(
      c.name,
      (o) => {
        const v = jsonPathValue(o, c.jsonPath);
        if (v === undefined || v === null) return null;
        switch (c.type) {
          case 'date':
            return typeof v === 'string' ? (Number.isFinite(Date.parse(v)) ? age(v) : '<invalid>') : null;
          case 'integer':
            return typeof v === 'number' ? Math.trunc(v) : null;
          case 'number':
            return typeof v === 'number' ? v : null;
          case 'boolean':
            return typeof v === 'boolean' ? v : null;
        }
        return typeof v === 'object' ? JSON.stringify(v) : String(v);
      },
      { type: c.type, priority: c.priority ?? 0, format: c.format },
    ),
  );
  return [NAME, ...cols];
}

/**
 * kubectl's printers for built-in kinds (as of the reported minor version), else the default table. A custom resource
 * (its CRD's printer columns given, possibly none) gets Name plus those columns, or Name and Age.
 */
export function columnsFor(
  tk: string,
  crdPrinterColumns?: Parameters<typeof crdColumns>[0] | null,
  kubeMinor = Infinity,
): Column[] {
  if (crdPrinterColumns !== undefined) return crdPrinterColumns?.length ? crdColumns(crdPrinterColumns) : [NAME, AGE];
  if (TABLES[tk]) return TABLES[tk].filter((c) => (c.since ?? 0) <= kubeMinor);
  return DEFAULT_TABLE;
}

export function columnDefinitions(cols: Column[]): ColumnDefinition[] {
  return cols.map((c) => ({
    name: c.name,
    type: c.type ?? 'string',
    format: c.format ?? '',
    description: c.name,
    priority: c.priority ?? 0,
  }));
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableRow(cols: Column[], o: KObj, include: IncludeObject): Record<string, unknown> {
  const row: Record<string, unknown> = { cells: cols.map((c) => c.cell(o)) };
  if (include === 'Object') row.object = o;
  else if (include === 'Metadata')
    row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
  return row;
}
