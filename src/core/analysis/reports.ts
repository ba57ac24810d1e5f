// Analyses computed from the watch cache: security findings from pod specs and RBAC, topology graphs, and the pods'
// effective requests the cost analysis (src/core/insights/cost.ts) prices. Pure functions over objects, so they test without a cluster.
import type { Graph, GraphNode, SecurityFinding, SecurityReport } from '../../shared/routes/integrations';
import { matchesSelector } from '../kube/objectIndex';
import { podStatus, type KObject } from '../kube/descriptors';
import type { ConfigMap, Ingress, Node, PersistentVolumeClaim, Pod, Secret, Service } from '../kube/objects';
import { quantity } from '../../shared/quantity';

type Container = {
  name: string;
  image?: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
};

/** A pod's effective requests: containers summed, raised to the largest init container, plus overhead. */
export function podRequests(p: KObject): { cpu: number; memory: number; gpu: number } {
  const sum = { cpu: 0, memory: 0, gpu: 0 };
  const req = (c: Container, k: string) => quantity(c.resources?.requests?.[k] ?? c.resources?.limits?.[k]);
  for (const c of (p.spec?.containers ?? []) as Container[]) {
    sum.cpu += req(c, 'cpu');
    sum.memory += req(c, 'memory');
    sum.gpu += req(c, 'nvidia.com/gpu');
  }
  for (const c of (p.spec?.initContainers ?? []) as Container[]) {
    sum.cpu = Math.max(sum.cpu, req(c, 'cpu'));
    sum.memory = Math.max(sum.memory, req(c, 'memory'));
    sum.gpu = Math.max(sum.gpu, req(c, 'nvidia.com/gpu'));
  }
  const oh = (p.spec?.overhead ?? {}) as Record<string, string>;
  sum.cpu += quantity(oh.cpu);
  sum.memory += quantity(oh.memory);
  return sum;
}

export const isActivePod = (p: KObject) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

// ---------- security ----------

const WEIGHT = { critical: 10, high: 5, medium: 2, low: 1 } as const;

export function securityReport(
  pods: KObject[],
  netpols: KObject[],
  namespaces: string[],
  crbs: KObject[],
): SecurityReport {
  const findings: SecurityFinding[] = [];
  const seen = new Set<string>();
  const add = (f: SecurityFinding) => {
    const key = `${f.rule}|${f.namespace}|${f.kind}|${f.name}|${f.container ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(f);
  };
  for (const p of pods) {
    // Replicas share a spec: report the workload once (the ReplicaSet's owner name is the deployment name plus a hash).
    const owner = p.metadata.ownerReferences?.find((r) => r.controller);
    const kind = owner ? (owner.kind === 'ReplicaSet' ? 'Deployment' : owner.kind) : 'Pod';
    const name = owner
      ? owner.kind === 'ReplicaSet'
        ? owner.name.replace(/-[a-z0-9]{5,10}$/, '')
        : owner.name
      : p.metadata.name;
    const ns = p.metadata.namespace;
    const base = { namespace: ns, kind, name };
    const spec = p.spec ?? {};
    if (spec.hostNetwork)
      add({
        ...base,
        severity: 'high',
        rule: 'hostNetwork',
        title: 'Uses the host network namespace',
        remediation: 'Remove spec.hostNetwork unless the pod must bind node ports directly',
      });
    if (spec.hostPID)
      add({
        ...base,
        severity: 'high',
        rule: 'hostPID',
        title: 'Shares the host PID namespace',
        remediation: 'Remove spec.hostPID',
      });
    if (spec.hostIPC)
      add({
        ...base,
        severity: 'high',
        rule: 'hostIPC',
        title: 'Shares the host IPC namespace',
        remediation: 'Remove spec.hostIPC',
      });
    for (const v of (spec.volumes ?? []) as Array<{ name: string; hostPath?: { path: string } }>) {
      if (v.hostPath)
        add({
          ...base,
          severity: 'high',
          rule: 'hostPath',
          title: `Mounts host path ${v.hostPath.path}`,
          remediation: 'Use a PersistentVolumeClaim, ConfigMap or emptyDir instead of hostPath',
        });
    }
    const podSc = (spec.securityContext ?? {}) as { runAsNonRoot?: boolean; runAsUser?: number };
    for (const c of (spec.containers ?? []) as Container[]) {
      const sc = (c.securityContext ?? {}) as {
        privileged?: boolean;
        allowPrivilegeEscalation?: boolean;
        runAsNonRoot?: boolean;
        runAsUser?: number;
        readOnlyRootFilesystem?: boolean;
        capabilities?: { add?: string[] };
      };
      const cb = { ...base, container: c.name };
      if (sc.privileged)
        add({
          ...cb,
          severity: 'critical',
          rule: 'privileged',
          title: 'Privileged container',
          remediation: 'Set securityContext.privileged: false and grant only the capabilities needed',
        });
      const dangerous = (sc.capabilities?.add ?? []).filter((x) =>
        ['SYS_ADMIN', 'NET_ADMIN', 'ALL', 'SYS_PTRACE', 'SYS_MODULE'].includes(x),
      );
      if (dangerous.length)
        add({
          ...cb,
          severity: 'high',
          rule: 'capabilities',
          title: `Adds capabilities ${dangerous.join(', ')}`,
          remediation: 'Drop ALL capabilities and add back only what the process needs',
        });
      const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      const uid = sc.runAsUser ?? podSc.runAsUser;
      if (!nonRoot && !(uid && uid > 0))
        add({
          ...cb,
          severity: 'medium',
          rule: 'runAsRoot',
          title: 'May run as root',
          remediation: 'Set securityContext.runAsNonRoot: true (and a non-zero runAsUser)',
        });
      if (sc.allowPrivilegeEscalation !== false && !sc.privileged)
        add({
          ...cb,
          severity: 'medium',
          rule: 'privilegeEscalation',
          title: 'Privilege escalation not disabled',
          remediation: 'Set securityContext.allowPrivilegeEscalation: false',
        });
      if (!sc.readOnlyRootFilesystem)
        add({
          ...cb,
          severity: 'low',
          rule: 'writableRootFs',
          title: 'Writable root filesystem',
          remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir where writes are needed',
        });
      if (!c.resources?.limits?.memory || !c.resources?.limits?.cpu)
        add({
          ...cb,
          severity: 'low',
          rule: 'noLimits',
          title: 'No CPU or memory limit',
          remediation: 'Set resources.limits so one container cannot starve its node',
        });
      const img = c.image ?? '';
      const tag = img.includes('@') ? 'digest' : img.split('/').pop()!.split(':')[1];
      if (!tag || tag === 'latest')
        add({
          ...cb,
          severity: 'low',
          rule: 'latestTag',
          title: `Image ${img} is not pinned`,
          remediation: 'Pin images to a version tag or digest',
        });
    }
  }
  const covered = new Set(netpols.map((n) => n.metadata.namespace));
  const without = namespaces.filter((n) => !covered.has(n) && !n.startsWith('kube-'));
  for (const n of without)
    add({
      severity: 'medium',
      rule: 'noNetworkPolicy',
      title: 'No NetworkPolicy: every pod accepts traffic from everywhere',
      namespace: n,
      kind: 'Namespace',
      name: n,
      remediation: 'Add a default-deny NetworkPolicy and allow only the flows you need',
    });
  for (const b of crbs) {
    if ((b.roleRef as { name?: string } | undefined)?.name !== 'cluster-admin') continue;
    for (const s of (b.subjects ?? []) as Array<{ kind: string; name: string; namespace?: string }>) {
      if (s.name.startsWith('system:')) continue;
      add({
        severity: 'high',
        rule: 'clusterAdmin',
        title: `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name} is bound to cluster-admin`,
        kind: 'ClusterRoleBinding',
        name: b.metadata.name,
        remediation: 'Bind a narrower role',
      });
    }
  }
  const summary = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) summary[f.severity]++;
  const order = { critical: 0, high: 1, medium: 2, low: 3 };
  findings.sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      a.name.localeCompare(b.name),
  );
  const penalty = findings.reduce((n, f) => n + WEIGHT[f.severity], 0);
  const workloads = Math.max(1, new Set(findings.map((f) => `${f.namespace}/${f.kind}/${f.name}`)).size);
  return {
    score: Math.max(0, Math.round(100 - (penalty / workloads) * 4)),
    summary,
    findings,
    namespacesWithoutNetworkPolicy: without,
    scanned: { pods: pods.length, namespaces: namespaces.length },
  };
}

// ---------- graphs ----------

export interface GraphInput {
  nodes: Node[];
  pods: Pod[];
  services: Service[];
  ingresses: Ingress[];
  owners: Array<{ kind: string; objects: KObject[] }>;
  /** ConfigMaps, Secrets and PVCs pods mount (resource map only). */
  config?: { configmaps: ConfigMap[]; secrets: Secret[]; pvcs: PersistentVolumeClaim[] };
}

export function buildGraph(g: GraphInput): Graph {
  const nodes: GraphNode[] = [];
  const ids = new Set<string>();
  const edges: Graph['edges'] = [];
  const id = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ? `${ns}/` : ''}${name}`;
  const add = (kind: string, o: KObject, status?: string) => {
    const i = id(kind, o.metadata.namespace, o.metadata.name);
    if (ids.has(i)) return i;
    ids.add(i);
    const n: GraphNode = { id: i, kind, name: o.metadata.name };
    if (o.metadata.namespace) n.namespace = o.metadata.namespace;
    if (status) n.status = status;
    nodes.push(n);
    return i;
  };
  const byUid = new Map<string, string>();
  for (const n of g.nodes)
    byUid.set(
      n.metadata.uid ?? '',
      add(
        'Node',
        n,
        (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status === 'True'
          ? 'Ready'
          : 'NotReady',
      ),
    );
  for (const { kind, objects } of g.owners) for (const o of objects) byUid.set(o.metadata.uid ?? '', add(kind, o));
  for (const p of g.pods) {
    const pid = add('Pod', p, podStatus(p));
    byUid.set(p.metadata.uid ?? '', pid);
    if (p.spec?.nodeName && ids.has(`Node/${p.spec.nodeName}`))
      edges.push({ source: pid, target: `Node/${p.spec.nodeName}`, type: 'runsOn' });
    if (g.config) {
      for (const v of (p.spec?.volumes ?? []) as Array<{
        configMap?: { name: string };
        secret?: { secretName: string };
        persistentVolumeClaim?: { claimName: string };
      }>) {
        const ns = p.metadata.namespace;
        const ref = v.configMap
          ? id('ConfigMap', ns, v.configMap.name)
          : v.secret
            ? id('Secret', ns, v.secret.secretName)
            : v.persistentVolumeClaim
              ? id('PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName)
              : undefined;
        if (ref) {
          if (!ids.has(ref)) {
            ids.add(ref);
            const [kind] = ref.split('/');
            nodes.push({ id: ref, kind, name: ref.split('/').pop()!, namespace: ns });
          }
          edges.push({ source: pid, target: ref, type: 'mounts' });
        }
      }
    }
  }
  // Owner edges after every object has an id.
  for (const o of [...g.owners.flatMap((x) => x.objects), ...g.pods]) {
    const me = byUid.get(o.metadata.uid ?? '');
    for (const r of o.metadata.ownerReferences ?? []) {
      const parent = byUid.get(r.uid);
      if (me && parent) edges.push({ source: parent, target: me, type: 'owns' });
    }
  }
  for (const s of g.services) {
    const sid = add('Service', s, s.spec?.type ?? 'ClusterIP');
    const sel = s.spec?.selector as Record<string, string> | undefined;
    if (!sel || !Object.keys(sel).length) continue;
    for (const p of g.pods)
      if (p.metadata.namespace === s.metadata.namespace && matchesSelector(p.metadata.labels, { matchLabels: sel }))
        edges.push({ source: sid, target: byUid.get(p.metadata.uid ?? '')!, type: 'selects' });
  }
  for (const ing of g.ingresses) {
    const iid = add('Ingress', ing);
    const backends = new Set<string>();
    for (const r of (ing.spec?.rules ?? []) as Array<{
      http?: { paths?: Array<{ backend?: { service?: { name: string } } }> };
    }>)
      for (const p of r.http?.paths ?? []) if (p.backend?.service) backends.add(p.backend.service.name);
    const def = ing.spec?.defaultBackend?.service?.name;
    if (def) backends.add(def);
    for (const b of backends) {
      const sid = id('Service', ing.metadata.namespace, b);
      if (ids.has(sid)) edges.push({ source: iid, target: sid, type: 'routes' });
    }
  }
  return { nodes, edges };
}
