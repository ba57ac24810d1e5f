// `kubectl describe`-style text from objects the engine already has. Pure: the caller fetches events and relatives.
import { stringify } from 'yaml';
import {
  eventTime,
  formatLabels,
  humanAge,
  nodeRoles,
  podStatus,
  selectorString,
  type KObject,
  type KindDescriptor,
} from './descriptors';
import type { LabelSelector } from './objectIndex';
import type { Deployment, Node, Pod, PodTemplate, Service } from './objects';

export interface DescribeRelated {
  /** Events whose involvedObject.uid is the object's uid. */
  events: KObject[];
  /** Deployment: its ReplicaSets. */
  replicaSets?: KObject[];
  /** Node: pods on it; workloads: their pods. */
  pods?: KObject[];
}

class Writer {
  private lines: string[] = [];
  line(indent: number, label: string, value?: unknown): void {
    const pad = '  '.repeat(indent);
    if (value === undefined) this.lines.push(`${pad}${label}`);
    else
      this.lines.push(
        `${pad}${`${label}:`.padEnd(Math.max(0, 22 - pad.length))}${value === '' ? '' : ` ${value}`}`.replace(
          /:\s+$/,
          ':',
        ),
      );
  }
  map(indent: number, label: string, m: Record<string, string> | undefined): void {
    const e = Object.entries(m ?? {});
    if (!e.length) return this.line(indent, label, '<none>');
    e.forEach(([k, v], i) =>
      i === 0 ? this.line(indent, label, `${k}=${v}`) : this.lines.push(`${' '.repeat(indent * 2 + 23)}${k}=${v}`),
    );
  }
  raw(s: string): void {
    this.lines.push(s);
  }
  table(indent: number, header: string[], rows: string[][]): void {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (r: string[]) =>
      '  '.repeat(indent) +
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('   ')
        .trimEnd();
    this.lines.push(fmt(header));
    this.lines.push(fmt(widths.map((w) => '-'.repeat(w))));
    rows.forEach((r) => this.lines.push(fmt(r)));
  }
  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

function conditions(w: Writer, conds: Array<{ type: string; status: string; reason?: string }> | undefined): void {
  if (!conds?.length) return;
  w.line(0, 'Conditions:');
  w.table(
    1,
    ['Type', 'Status', 'Reason'],
    conds.map((c) => [c.type, c.status, c.reason ?? '']),
  );
}

function containers(w: Writer, o: KObject): void {
  const statuses = new Map<
    string,
    {
      ready?: boolean;
      restartCount?: number;
      state?: Record<string, { reason?: string; exitCode?: number; startedAt?: string }>;
    }
  >(((o.status?.containerStatuses ?? []) as Array<{ name: string }>).map((s) => [s.name, s as never]));
  const list = (o.spec?.containers ?? []) as Array<{
    name: string;
    image?: string;
    ports?: Array<{ containerPort: number; protocol?: string }>;
    command?: string[];
    args?: string[];
  }>;
  w.line(0, 'Containers:');
  for (const c of list) {
    w.line(1, `${c.name}:`);
    w.line(2, 'Image', c.image ?? '');
    if (c.ports?.length) w.line(2, 'Port', c.ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', '));
    if (c.command?.length) w.line(2, 'Command', c.command.join(' '));
    const s = statuses.get(c.name);
    if (s) {
      const [stateName, detail] = Object.entries(s.state ?? {})[0] ?? ['Unknown', {}];
      w.line(2, 'State', stateName[0].toUpperCase() + stateName.slice(1));
      if (detail?.reason) w.line(3, 'Reason', detail.reason);
      if (detail?.exitCode !== undefined) w.line(3, 'Exit Code', detail.exitCode);
      if (detail?.startedAt) w.line(3, 'Started', detail.startedAt);
      w.line(2, 'Ready', s.ready ? 'True' : 'False');
      w.line(2, 'Restart Count', s.restartCount ?? 0);
    }
  }
}

function podTemplate(w: Writer, t: PodTemplate | undefined): void {
  if (!t) return;
  w.line(0, 'Pod Template:');
  w.map(1, 'Labels', t.metadata?.labels);
  for (const c of t.spec?.containers ?? []) {
    w.line(1, `${c.name}:`);
    w.line(2, 'Image', c.image ?? '');
  }
}

function eventsSection(w: Writer, events: KObject[], now: number): void {
  if (!events.length) {
    w.line(0, 'Events', '<none>');
    return;
  }
  const sorted = [...events].sort((a, b) => Date.parse(eventTime(a) ?? '') - Date.parse(eventTime(b) ?? ''));
  w.line(0, 'Events:');
  w.table(
    1,
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    sorted.map((e) => {
      const count = Number(e.count ?? 1);
      const age =
        humanAge(eventTime(e), now) +
        (count > 1 ? ` (x${count} over ${humanAge(String(e.firstTimestamp ?? eventTime(e)), now)})` : '');
      const src = e.source as { component?: string; host?: string } | undefined;
      return [
        String(e.type ?? ''),
        String(e.reason ?? ''),
        age,
        String(src?.component ?? e.reportingComponent ?? ''),
        String(e.message ?? '').trim(),
      ];
    }),
  );
}

/** The describe text for one object. `now` is a parameter so tests are stable. */
export function describeObject(d: KindDescriptor, o: KObject, rel: DescribeRelated, now = Date.now()): string {
  const w = new Writer();
  const m = o.metadata;
  w.line(0, 'Name', m.name);
  if (d.namespaced) w.line(0, 'Namespace', m.namespace ?? '');
  w.map(0, 'Labels', m.labels);
  w.map(
    0,
    'Annotations',
    Object.fromEntries(
      Object.entries(m.annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'),
    ),
  );
  w.line(0, 'CreationTimestamp', m.creationTimestamp ?? '<unknown>');
  if (m.deletionTimestamp) w.line(0, 'DeletionTimestamp', m.deletionTimestamp);
  const ctrl = (m.ownerReferences ?? []).find((r) => r.controller);
  if (ctrl) w.line(0, 'Controlled By', `${ctrl.kind}/${ctrl.name}`);

  const id = d.group ? `${d.plural}.${d.group}` : d.plural;
  switch (id) {
    case 'pods': {
      const p = o as Pod;
      w.line(0, 'Node', p.spec?.nodeName ? `${p.spec.nodeName}/${p.status?.hostIP ?? ''}` : '<none>');
      w.line(0, 'Status', podStatus(p));
      w.line(0, 'IP', p.status?.podIP ?? '');
      containers(w, p);
      conditions(w, p.status?.conditions);
      break;
    }
    case 'deployments.apps': {
      const dep = o as Deployment;
      w.line(0, 'Selector', selectorString(dep.spec?.selector));
      const s = dep.status ?? {};
      w.line(
        0,
        'Replicas',
        `${dep.spec?.replicas ?? 1} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable`,
      );
      w.line(0, 'StrategyType', dep.spec?.strategy?.type ?? 'RollingUpdate');
      podTemplate(w, dep.spec?.template);
      conditions(w, s.conditions);
      const rss = [...(rel.replicaSets ?? [])].sort((a, b) => revisionOf(b) - revisionOf(a));
      const newest = rss.find((r) => Number(r.spec?.replicas ?? 0) > 0) ?? rss[0];
      const fmt = (r: KObject) =>
        `${r.metadata.name} (${r.status?.replicas ?? 0}/${r.spec?.replicas ?? 0} replicas created)`;
      const old = rss.filter((r) => r !== newest && Number(r.status?.replicas ?? 0) > 0);
      w.line(0, 'OldReplicaSets', old.length ? old.map(fmt).join(', ') : '<none>');
      w.line(0, 'NewReplicaSet', newest ? fmt(newest) : '<none>');
      break;
    }
    case 'statefulsets.apps':
    case 'replicasets.apps':
    case 'daemonsets.apps': {
      const wl = o as Workload;
      w.line(0, 'Selector', selectorString(wl.spec?.selector));
      if (wl.spec?.replicas !== undefined)
        w.line(0, 'Replicas', `${wl.status?.replicas ?? 0} current / ${wl.spec.replicas} desired`);
      podTemplate(w, wl.spec?.template);
      conditions(w, wl.status?.conditions);
      break;
    }
    case 'nodes': {
      const n = o as Node;
      w.line(0, 'Roles', nodeRoles(n));
      const taints = (n.spec?.taints ?? []) as Array<{ key: string; value?: string; effect: string }>;
      w.line(
        0,
        'Taints',
        taints.length ? taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') : '<none>',
      );
      w.line(0, 'Unschedulable', n.spec?.unschedulable ? 'true' : 'false');
      conditions(w, n.status?.conditions);
      const addrs = (n.status?.addresses ?? []) as Array<{ type: string; address: string }>;
      if (addrs.length) {
        w.line(0, 'Addresses:');
        addrs.forEach((a) => w.line(1, a.type, a.address));
      }
      for (const sec of ['capacity', 'allocatable'] as const) {
        const v = n.status?.[sec] as Record<string, string> | undefined;
        if (!v) continue;
        w.line(0, `${sec[0].toUpperCase()}${sec.slice(1)}:`);
        Object.entries(v).forEach(([k, q]) => w.line(1, k, q));
      }
      if (rel.pods) {
        const live = rel.pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
        w.line(0, 'Non-terminated Pods', `(${live.length} in total)`);
        if (live.length)
          w.table(
            1,
            ['Namespace', 'Name', 'Age'],
            live.map((p) => [p.metadata.namespace ?? '', p.metadata.name, humanAge(p.metadata.creationTimestamp, now)]),
          );
      }
      break;
    }
    case 'services': {
      const svc = o as Service;
      w.line(0, 'Selector', formatLabels(svc.spec?.selector));
      w.line(0, 'Type', svc.spec?.type ?? 'ClusterIP');
      w.line(0, 'IP', svc.spec?.clusterIP ?? '');
      for (const p of (svc.spec?.ports ?? []) as Array<{
        name?: string;
        port: number;
        targetPort?: unknown;
        protocol?: string;
      }>) {
        w.line(0, 'Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}`);
        w.line(0, 'TargetPort', `${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`);
      }
      break;
    }
    case 'configmaps':
    case 'secrets': {
      w.raw('');
      w.raw('Data');
      w.raw('====');
      const data = (o.data ?? {}) as Record<string, string>;
      for (const [k, v] of Object.entries(data)) {
        if (id === 'secrets') w.raw(`${k}:  ${Buffer.from(v, 'base64').length} bytes`);
        else {
          w.raw(`${k}:`);
          w.raw('----');
          w.raw(v);
        }
      }
      break;
    }
    default: {
      // Kinds without a special layout: spec and status as YAML, as kubectl does for CRDs.
      for (const sec of ['spec', 'status', 'data'] as const) {
        const v = o[sec];
        if (v === undefined || v === null) continue;
        w.line(0, `${sec[0].toUpperCase()}${sec.slice(1)}:`);
        w.raw(
          stringify(v, { version: '1.1', indent: 2, lineWidth: 0, aliasDuplicateObjects: false })
            .trimEnd()
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n'),
        );
      }
    }
  }
  eventsSection(w, rel.events, now);
  return w.toString();
}

/** What describe reads of a StatefulSet, ReplicaSet or DaemonSet. */
type Workload = KObject<
  { selector?: LabelSelector; replicas?: number; template?: PodTemplate },
  { replicas?: number; conditions?: Array<{ type: string; status: string; reason?: string }> }
>;

export function revisionOf(o: KObject): number {
  return Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}
