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
  cell: (o: KObj) => Cell;
}

const col = (name: string, cell: (o: KObj) => Cell, extra: Partial<Column> = {}): Column => ({ name, cell, ...extra });
const wide = (name: string, cell: (o: KObj) => Cell): Column => ({ name, cell, priority: 1 });
const NAME = col('Name', (o) => o.metadata.name, { format: 'name' });
const AGE = col('Age', (o) => age(o.metadata.creationTimestamp));
const none = (s: string | undefined | null) => (s === undefined || s === null || s === '' ? '<none>' : s);

/** kubectl's HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y${d % 365}d`;
}

export const age = (ts: string | undefined) => (ts ? humanDuration(Date.now() - Date.parse(ts)) : '<unknown>');

/** The STATUS column of `kubectl get pods`, following kubectl's printPod. */
export function podStatus(p: KObj): string {
  const st = p.status ?? {};
  let reason: string = st.reason || st.phase || 'Pending';
  const inits: KObj[] = st.initContainerStatuses ?? [];
  let initializing = false;
  inits.forEach((c, i) => {
    if (c.state?.terminated?.exitCode === 0) return;
    initializing = true;
    if (c.state?.terminated)
      reason = c.state.terminated.reason
        ? `Init:${c.state.terminated.reason}`
        : `Init:ExitCode:${c.state.terminated.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(p.spec?.initContainers ?? []).length}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...(st.containerStatuses ?? [])].reverse()) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated)
        reason = c.state.terminated.signal
          ? `Signal:${c.state.terminated.signal}`
          : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (p.metadata.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function podRestarts(p: KObj): string {
  let n = 0;
  let last = 0;
  for (const c of p.status?.containerStatuses ?? []) {
    n += c.restartCount ?? 0;
    const t = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
    if (t > last) last = t;
  }
  return last && n ? `${n} (${humanDuration(Date.now() - last)} ago)` : String(n);
}

const containers = (spec: KObj | undefined) => (spec?.containers ?? []) as KObj[];
const selectorString = (sel: KObj | undefined) => {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? sel)
    .filter(([, v]) => typeof v === 'string')
    .map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? [])
    parts.push(`${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`);
  return parts.length ? parts.join(',') : '<none>';
};
const workloadWide = (specOf: (o: KObj) => KObj | undefined) => [
  wide('Containers', (o) =>
    containers(specOf(o))
      .map((c) => c.name)
      .join(','),
  ),
  wide('Images', (o) =>
    containers(specOf(o))
      .map((c) => c.image)
      .join(','),
  ),
  wide('Selector', (o) => selectorString(o.spec?.selector)),
];
const podTemplate = (o: KObj) => o.spec?.template?.spec;

function nodeRoles(n: KObj): string {
  const roles = Object.keys(n.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeStatus(n: KObj): string {
  const ready = (n.status?.conditions ?? []).find((c: KObj) => c.type === 'Ready');
  const s = [ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'];
  if (n.spec?.unschedulable) s.push('SchedulingDisabled');
  return s.join(',');
}

const addr = (n: KObj, type: string) => none((n.status?.addresses ?? []).find((a: KObj) => a.type === type)?.address);

function servicePorts(s: KObj): string {
  const ports: KObj[] = s.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIp(s: KObj): string {
  const ext: string[] = [...(s.spec?.externalIPs ?? [])];
  for (const i of s.status?.loadBalancer?.ingress ?? []) ext.push(i.ip ?? i.hostname);
  if (ext.length) return ext.join(',');
  return s.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>';
}

function endpointsString(e: KObj): string {
  const out: string[] = [];
  for (const sub of e.subsets ?? [])
    for (const a of sub.addresses ?? [])
      for (const p of sub.ports ?? [{}]) out.push(p.port ? `${a.ip}:${p.port}` : a.ip);
  if (!out.length) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

const TABLES: Record<string, Column[]> = {
  pods: [
    NAME,
    col(
      'Ready',
      (p) => `${(p.status?.containerStatuses ?? []).filter((c: KObj) => c.ready).length}/${containers(p.spec).length}`,
    ),
    col('Status', podStatus),
    col('Restarts', podRestarts),
    AGE,
    wide('IP', (p) => none(p.status?.podIP)),
    wide('Node', (p) => none(p.spec?.nodeName)),
    wide('Nominated Node', (p) => none(p.status?.nominatedNodeName)),
    wide('Readiness Gates', (p) => (p.spec?.readinessGates?.length ? String(p.spec.readinessGates.length) : '<none>')),
  ],
  'apps/deployments': [
    NAME,
    col('Ready', (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`),
    col('Up-to-date', (d) => d.status?.updatedReplicas ?? 0, { type: 'integer' }),
    col('Available', (d) => d.status?.availableReplicas ?? 0, { type: 'integer' }),
    AGE,
    ...workloadWide(podTemplate),
  ],
  'apps/replicasets': [
    NAME,
    col('Desired', (r) => r.spec?.replicas ?? 1, { type: 'integer' }),
    col('Current', (r) => r.status?.replicas ?? 0, { type: 'integer' }),
    col('Ready', (r) => r.status?.readyReplicas ?? 0, { type: 'integer' }),
    AGE,
    ...workloadWide(podTemplate),
  ],
  'apps/statefulsets': [
    NAME,
    col('Ready', (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`),
    AGE,
    ...workloadWide(podTemplate).slice(0, 2),
  ],
  'apps/daemonsets': [
    NAME,
    col('Desired', (d) => d.status?.desiredNumberScheduled ?? 0, { type: 'integer' }),
    col('Current', (d) => d.status?.currentNumberScheduled ?? 0, { type: 'integer' }),
    col('Ready', (d) => d.status?.numberReady ?? 0, { type: 'integer' }),
    col('Up-to-date', (d) => d.status?.updatedNumberScheduled ?? 0, { type: 'integer' }),
    col('Available', (d) => d.status?.numberAvailable ?? 0, { type: 'integer' }),
    col('Node Selector', (d) => selectorString(d.spec?.template?.spec?.nodeSelector)),
    AGE,
    ...workloadWide(podTemplate),
  ],
  'discovery.k8s.io/endpointslices': [
    NAME,
    col('AddressType', (e) => e.addressType ?? ''),
    col(
      'Ports',
      (e) =>
        ((e.ports ?? []) as KObj[]).map((p) => (p.port === undefined ? '<unset>' : String(p.port))).join(',') ||
        '<unset>',
    ),
    col('Endpoints', (e) => {
      const ips: string[] = ((e.endpoints ?? []) as KObj[]).flatMap((x) => x.addresses ?? []);
      if (!ips.length) return '<none>';
      return ips.length > 3 ? `${ips.slice(0, 3).join(',')} + ${ips.length - 3} more...` : ips.join(',');
    }),
    AGE,
  ],
  'apps/controllerrevisions': [
    NAME,
    col('Controller', (c) => {
      const ref = (c.metadata.ownerReferences ?? []).find((o) => o.controller);
      return ref ? `${ref.kind.toLowerCase()}.${ref.apiVersion.split('/')[0]}/${ref.name}` : '<none>';
    }),
    col('Revision', (c) => c.revision ?? 0, { type: 'integer' }),
    AGE,
  ],
  'batch/jobs': [
    NAME,
    col('Status', (j) => {
      const c = (j.status?.conditions ?? []).find(
        (x: KObj) => x.status === 'True' && (x.type === 'Complete' || x.type === 'Failed'),
      );
      return c ? c.type : j.spec?.suspend ? 'Suspended' : 'Running';
    }),
    col('Completions', (j) => `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}`),
    col('Duration', (j) =>
      j.status?.startTime
        ? humanDuration(
            (j.status.completionTime ? Date.parse(j.status.completionTime) : Date.now()) -
              Date.parse(j.status.startTime),
          )
        : '',
    ),
    AGE,
    ...workloadWide(podTemplate),
  ],
  'batch/cronjobs': [
    NAME,
    col('Schedule', (c) => c.spec?.schedule ?? ''),
    col('Timezone', (c) => none(c.spec?.timeZone)),
    col('Suspend', (c) => (c.spec?.suspend ? 'True' : 'False')),
    col('Active', (c) => (c.status?.active ?? []).length, { type: 'integer' }),
    col('Last Schedule', (c) => (c.status?.lastScheduleTime ? age(c.status.lastScheduleTime) : '<none>')),
    AGE,
  ],
  nodes: [
    NAME,
    col('Status', nodeStatus),
    col('Roles', nodeRoles),
    AGE,
    col('Version', (n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
    wide('Internal-IP', (n) => addr(n, 'InternalIP')),
    wide('External-IP', (n) => addr(n, 'ExternalIP')),
    wide('OS-Image', (n) => n.status?.nodeInfo?.osImage ?? '<unknown>'),
    wide('Kernel-Version', (n) => n.status?.nodeInfo?.kernelVersion ?? '<unknown>'),
    wide('Container-Runtime', (n) => n.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>'),
  ],
  services: [
    NAME,
    col('Type', (s) => s.spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', (s) => none(s.spec?.clusterIP)),
    col('External-IP', externalIp),
    col('Port(s)', servicePorts),
    AGE,
    wide('Selector', (s) => selectorString(s.spec?.selector)),
  ],
  endpoints: [NAME, col('Endpoints', endpointsString), AGE],
  namespaces: [NAME, col('Status', (n) => n.status?.phase ?? 'Active'), AGE],
  configmaps: [
    NAME,
    col('Data', (c) => Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, { type: 'integer' }),
    AGE,
  ],
  secrets: [
    NAME,
    col('Type', (s) => s.type ?? 'Opaque'),
    col('Data', (s) => Object.keys(s.data ?? {}).length, { type: 'integer' }),
    AGE,
  ],
  serviceaccounts: [NAME, col('Secrets', (s) => (s.secrets ?? []).length, { type: 'integer' }), AGE],
  events: [
    col('Last Seen', (e) => age(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp)),
    col('Type', (e) => e.type ?? 'Normal'),
    col('Reason', (e) => e.reason ?? ''),
    col('Object', (e) => `${String(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`),
    col('Message', (e) => String(e.message ?? '').trim()),
    wide('Subobject', (e) => e.involvedObject?.fieldPath ?? ''),
    wide('Source', (e) => e.source?.component ?? e.reportingComponent ?? ''),
    wide('First Seen', (e) => age(e.firstTimestamp ?? e.metadata.creationTimestamp)),
    wide('Count', (e) => e.count ?? 1),
    wide('Name', (e) => e.metadata.name),
  ],
  persistentvolumes: [
    NAME,
    col('Capacity', (p) => p.spec?.capacity?.storage ?? ''),
    col('Access Modes', (p) => accessModes(p.spec?.accessModes)),
    col('Reclaim Policy', (p) => p.spec?.persistentVolumeReclaimPolicy ?? 'Delete'),
    col('Status', (p) => p.status?.phase ?? 'Pending'),
    col('Claim', (p) => (p.spec?.claimRef ? `${p.spec.claimRef.namespace}/${p.spec.claimRef.name}` : '')),
    col('StorageClass', (p) => p.spec?.storageClassName ?? ''),
    col('VolumeAttributesClass', () => '<unset>'),
    col('Reason', (p) => p.status?.reason ?? ''),
    AGE,
  ],
  persistentvolumeclaims: [
    NAME,
    col('Status', (p) => p.status?.phase ?? 'Pending'),
    col('Volume', (p) => p.spec?.volumeName ?? ''),
    col('Capacity', (p) => p.status?.capacity?.storage ?? ''),
    col('Access Modes', (p) => accessModes(p.status?.accessModes)),
    col('StorageClass', (p) => p.spec?.storageClassName ?? ''),
    col('VolumeAttributesClass', () => '<unset>'),
    AGE,
  ],
  'networking.k8s.io/ingresses': [
    NAME,
    col('Class', (i) => none(i.spec?.ingressClassName)),
    col('Hosts', (i) => (i.spec?.rules ?? []).map((r: KObj) => r.host ?? '*').join(',') || '*'),
    col('Address', (i) => (i.status?.loadBalancer?.ingress ?? []).map((x: KObj) => x.ip ?? x.hostname).join(',')),
    col('Ports', (i) => ((i.spec?.tls ?? []).length ? '80, 443' : '80')),
    AGE,
  ],
  'networking.k8s.io/networkpolicies': [NAME, col('Pod-Selector', (n) => selectorString(n.spec?.podSelector)), AGE],
  'autoscaling/horizontalpodautoscalers': [
    NAME,
    col('Reference', (h) => `${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`),
    col('Targets', (h) => hpaTargets(h)),
    col('MinPods', (h) => h.spec?.minReplicas ?? 1, { type: 'integer' }),
    col('MaxPods', (h) => h.spec?.maxReplicas ?? 0, { type: 'integer' }),
    col('Replicas', (h) => h.status?.currentReplicas ?? 0, { type: 'integer' }),
    AGE,
  ],
  'policy/poddisruptionbudgets': [
    NAME,
    col('Min Available', (p) => (p.spec?.minAvailable !== undefined ? String(p.spec.minAvailable) : 'N/A')),
    col('Max Unavailable', (p) => (p.spec?.maxUnavailable !== undefined ? String(p.spec.maxUnavailable) : 'N/A')),
    col('Allowed Disruptions', (p) => p.status?.disruptionsAllowed ?? 0, { type: 'integer' }),
    AGE,
  ],
  'storage.k8s.io/volumeattachments': [
    NAME,
    col('Attacher', (v) => v.spec?.attacher ?? ''),
    col('PV', (v) => v.spec?.source?.persistentVolumeName ?? ''),
    col('Node', (v) => v.spec?.nodeName ?? ''),
    col('Attached', (v) => Boolean(v.status?.attached)),
    AGE,
  ],
  'storage.k8s.io/storageclasses': [
    col(
      'Name',
      (s) =>
        s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'
          ? `${s.metadata.name} (default)`
          : s.metadata.name,
      { format: 'name' },
    ),
    col('Provisioner', (s) => s.provisioner ?? ''),
    col('ReclaimPolicy', (s) => s.reclaimPolicy ?? 'Delete'),
    col('VolumeBindingMode', (s) => s.volumeBindingMode ?? 'Immediate'),
    col('AllowVolumeExpansion', (s) => Boolean(s.allowVolumeExpansion)),
    AGE,
  ],
  'rbac.authorization.k8s.io/rolebindings': [NAME, col('Role', (b) => `${b.roleRef?.kind}/${b.roleRef?.name}`), AGE],
  'rbac.authorization.k8s.io/clusterrolebindings': [
    NAME,
    col('Role', (b) => `${b.roleRef?.kind}/${b.roleRef?.name}`),
    AGE,
  ],
  'rbac.authorization.k8s.io/roles': [NAME, col('Created At', (r) => r.metadata.creationTimestamp ?? '')],
  'rbac.authorization.k8s.io/clusterroles': [NAME, col('Created At', (r) => r.metadata.creationTimestamp ?? '')],
  'apiextensions.k8s.io/customresourcedefinitions': [
    NAME,
    col('Created At', (r) => r.metadata.creationTimestamp ?? ''),
  ],
};

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

function hpaTargets(h: KObj): string {
  const specs: KObj[] = h.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  return specs
    .map((m, i) => {
      const target = m.resource?.target?.averageUtilization;
      const cur = h.status?.currentMetrics?.[i]?.resource?.current?.averageUtilization;
      return `${m.resource?.name ?? m.type}: ${cur === undefined ? '<unknown>' : `${cur}%`}/${target ?? '?'}%`;
    })
    .join(', ');
}

/** A CRD's additionalPrinterColumns, each cell the first value its JSONPath selects (as the API server's table convertor). */
export function crdColumns(
  printerColumns: Array<{ name: string; type: string; jsonPath: string; priority?: number; format?: string }>,
): Column[] {
  const cols = printerColumns.map((c) =>
    col(
      c.name,
      (o) => {
        // A missing value, or one of the wrong type, is a null cell: kubectl prints <none>.
        const v = jsonPathValue(o, c.jsonPath);
        if (v === undefined || v === null) return null;
        switch (c.type) {
          case 'date':
            return typeof v === 'string' ? age(v) : null;
          case 'integer':
            return typeof v === 'number' ? Math.trunc(v) : null;
          case 'number':
            return typeof v === 'number' ? v : null;
          case 'boolean':
            return typeof v === 'boolean' ? v : null;
          default:
            return typeof v === 'object' ? JSON.stringify(v) : String(v);
        }
      },
      { type: c.type === 'date' ? 'string' : c.type, priority: c.priority ?? 0, format: c.format },
    ),
  );
  return [NAME, ...cols, ...(printerColumns.some((c) => c.name.toLowerCase() === 'age') ? [] : [AGE])];
}

export function columnsFor(tk: string, crdPrinterColumns?: Parameters<typeof crdColumns>[0]): Column[] {
  if (TABLES[tk]) return TABLES[tk];
  if (crdPrinterColumns?.length) return crdColumns(crdPrinterColumns);
  return [NAME, AGE];
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
