// Analyses computed from the watch cache: cost from resource requests,
// topology graphs, continuity. Pure functions over objects, so they test without a cluster.
import type { CostReport, CostRow, Graph, GraphNode } from '../../shared/routes/integrations';
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

// ---------- cost ----------

/** OpenCost's default.json prices ("based on GCP us-central1"), used when no cloud pricing is known. */
export const DEFAULT_PRICING = {
  cpuPerCoreHour: 0.031611,
  ramPerGiBHour: 0.004237 * 1.073741824,
  gpuPerHour: 0.95,
  source: 'OpenCost default pricing (configs/default.json)',
};

export function costReport(pods: KObject[]): CostReport {
  const rows = new Map<string, CostRow>();
  for (const p of pods.filter(isActivePod)) {
    const ns = p.metadata.namespace ?? '';
    const r = rows.get(ns) ?? {
      namespace: ns,
      cpuCores: 0,
      memoryGiB: 0,
      gpus: 0,
      hourlyCost: 0,
      monthlyCost: 0,
      pods: 0,
    };
    const q = podRequests(p);
    r.cpuCores += q.cpu;
    r.memoryGiB += q.memory / 2 ** 30;
    r.gpus += q.gpu;
    r.pods++;
    rows.set(ns, r);
  }
  const round = (n: number, d = 4) => Math.round(n * 10 ** d) / 10 ** d;
  const list = [...rows.values()].map((r) => {
    const hourly =
      r.cpuCores * DEFAULT_PRICING.cpuPerCoreHour +
      r.memoryGiB * DEFAULT_PRICING.ramPerGiBHour +
      r.gpus * DEFAULT_PRICING.gpuPerHour;
    return {
      ...r,
      cpuCores: round(r.cpuCores, 3),
      memoryGiB: round(r.memoryGiB, 3),
      hourlyCost: round(hourly),
      monthlyCost: round(hourly * 730, 2),
    };
  });
  list.sort((a, b) => b.hourlyCost - a.hourlyCost);
  const hourly = list.reduce((n, r) => n + r.hourlyCost, 0);
  return {
    currency: 'USD',
    pricing: DEFAULT_PRICING,
    namespaces: list,
    total: { hourlyCost: round(hourly), monthlyCost: round(hourly * 730, 2) },
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
