// The resource map: how a cluster's objects hang together (Ingress → Service → Pods ← ReplicaSet ← Deployment, the
// ConfigMaps, Secrets and claims pods use, the nodes they run on), each object with a health colour and its status in
// words. Large graphs are grouped so they stay readable: the pods of one owner become one node with counts, and past
// a limit whole namespaces, kinds within a namespace and the cluster's nodes collapse too; any group opens on request.
// A focus cuts the graph down to one object's neighbourhood. Pure functions over objects: they test without a cluster.
import type {
  Graph,
  GraphEdge,
  GraphEdgeType,
  GraphGroup,
  GraphHealth,
  GraphNode,
} from '../../shared/routes/integrations';
import { podStatus, type KObject } from '../kube/descriptors';
import type { Pod } from '../kube/objects';

export interface MapInput {
  nodes: KObject[];
  pods: KObject[];
  services: KObject[];
  ingresses: KObject[];
  owners: Array<{ kind: string; objects: KObject[] }>;
  /** ConfigMaps, Secrets and PVCs: the ones pods use become nodes (resource map only). */
  config?: { configmaps: KObject[]; secrets: KObject[]; pvcs: KObject[] };
}

export interface MapOptions {
  /** `Kind/namespace/name` or `Kind/name`. */
  focus?: string;
  depth?: number;
  group?: boolean;
  expand?: readonly string[];
  limit?: number;
}

export const DEFAULT_DEPTH = 2;
export const DEFAULT_LIMIT = 250;
/** Kinds a neighbourhood does not walk through (a node or a shared ConfigMap would pull in half the cluster). */
const LEAVES = new Set(['Node', 'ConfigMap', 'Secret', 'PersistentVolumeClaim']);
const RANK: Record<GraphHealth, number> = { danger: 3, warn: 2, ok: 1, muted: 0 };

export const nodeId = (kind: string, ns: string | undefined, name: string): string =>
  `${kind}/${ns ? `${ns}/` : ''}${name}`;

interface Num {
  [k: string]: unknown;
}
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const rec = (v: unknown): Num => (v && typeof v === 'object' ? (v as Num) : {});
const arr = <T = Num>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

// ---------- health of each kind ----------

function podHealth(p: KObject): { status: string; health: GraphHealth; detail: string } {
  const status = podStatus(p as Pod);
  const cs = arr(rec(p.status).containerStatuses);
  const ready = cs.filter((c) => c.ready === true).length;
  if (status === 'Running') {
    if (cs.length && ready < cs.length)
      return { status, health: 'warn', detail: `Running, ${ready} of ${cs.length} containers ready` };
    return { status, health: 'ok', detail: 'Running' };
  }
  if (status === 'Succeeded' || status === 'Completed') return { status, health: 'muted', detail: 'Completed' };
  if (/^(Pending|ContainerCreating|PodInitializing|Terminating)$|^Init:\d/.test(status))
    return { status, health: 'warn', detail: status };
  return { status, health: 'danger', detail: status };
}

function replicaHealth(desired: number, ready: number): { health: GraphHealth; detail: string } {
  if (desired === 0) return { health: 'muted', detail: 'scaled to 0' };
  const detail = `${ready} of ${desired} ready`;
  return { health: ready >= desired ? 'ok' : ready === 0 ? 'danger' : 'warn', detail };
}

function ownerHealth(kind: string, o: KObject): { status?: string; health: GraphHealth; detail: string } {
  const spec = rec(o.spec);
  const st = rec(o.status);
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      return replicaHealth(typeof spec.replicas === 'number' ? spec.replicas : 1, num(st.readyReplicas));
    case 'DaemonSet':
      return replicaHealth(num(st.desiredNumberScheduled), num(st.numberReady));
    case 'Job': {
      const conds = arr(st.conditions);
      if (conds.some((c) => c.type === 'Failed' && c.status === 'True'))
        return { status: 'Failed', health: 'danger', detail: `Failed${c(conds, 'Failed')}` };
      if (conds.some((c) => c.type === 'Complete' && c.status === 'True'))
        return { status: 'Complete', health: 'muted', detail: 'Complete' };
      return num(st.active)
        ? { status: 'Running', health: 'ok', detail: `Running, ${num(st.active)} active` }
        : { status: 'Pending', health: 'warn', detail: 'waiting to start' };
    }
    case 'CronJob':
      return spec.suspend === true
        ? { status: 'Suspended', health: 'muted', detail: 'Suspended' }
        : { status: 'Scheduled', health: 'ok', detail: `Scheduled ${String(spec.schedule ?? '')}`.trim() };
    default:
      return { health: 'ok', detail: '' };
  }
}
const c = (conds: Num[], type: string) => {
  const r = conds.find((x) => x.type === type)?.reason;
  return typeof r === 'string' && r ? ` (${r})` : '';
};

function nodeHealth(n: KObject): { status: string; health: GraphHealth; detail: string } {
  const ready = arr(rec(n.status).conditions).find((x) => x.type === 'Ready')?.status === 'True';
  if (!ready) return { status: 'NotReady', health: 'danger', detail: 'Not ready' };
  if (rec(n.spec).unschedulable === true) return { status: 'Ready', health: 'warn', detail: 'Ready, cordoned' };
  return { status: 'Ready', health: 'ok', detail: 'Ready' };
}

// ---------- the full graph ----------

interface Built {
  nodes: Map<string, GraphNode>;
  edges: GraphEdge[];
  /** Old ReplicaSets of a Deployment (no replicas, no pods): hidden when grouping. */
  idleReplicaSets: Set<string>;
}

function build(g: MapInput): Built {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const byUid = new Map<string, string>();
  const add = (kind: string, o: KObject, h: { status?: string; health?: GraphHealth; detail?: string }) => {
    const id = nodeId(kind, o.metadata.namespace, o.metadata.name);
    const old = nodes.get(id);
    if (old) return id;
    const n: GraphNode = { id, kind, name: o.metadata.name };
    if (o.metadata.namespace) n.namespace = o.metadata.namespace;
    if (h.status) n.status = h.status;
    if (h.health) n.health = h.health;
    if (h.detail) n.detail = h.detail;
    nodes.set(id, n);
    if (o.metadata.uid) byUid.set(o.metadata.uid, id);
    return id;
  };
  for (const n of g.nodes) add('Node', n, nodeHealth(n));
  for (const { kind, objects } of g.owners) for (const o of objects) add(kind, o, ownerHealth(kind, o));
  // Pods by namespace, and by the first label of each Service's selector (label → value → pods), so a selector
  // looks at its candidates only.
  const wanted = new Map<string, Map<string, Map<string, KObject[]>>>();
  const selectors = g.services.map((s) => Object.entries(rec(rec(s.spec).selector) as Record<string, string>));
  g.services.forEach((s, i) => {
    const first = selectors[i][0];
    if (!first) return;
    const ns = s.metadata.namespace ?? '';
    let byKey = wanted.get(ns);
    if (!byKey) wanted.set(ns, (byKey = new Map()));
    let byValue = byKey.get(first[0]);
    if (!byValue) byKey.set(first[0], (byValue = new Map()));
    if (!byValue.has(first[1])) byValue.set(first[1], []);
  });
  const nsPods = new Map<string, KObject[]>();
  const podsOfOwner = new Map<string, number>();
  for (const p of g.pods) {
    const pid = add('Pod', p, podHealth(p));
    const ns = p.metadata.namespace ?? '';
    let list = nsPods.get(ns);
    if (!list) nsPods.set(ns, (list = []));
    list.push(p);
    const byKey = wanted.get(ns);
    const labels = p.metadata.labels;
    if (byKey && labels)
      for (const k in labels) {
        const l = byKey.get(k)?.get(labels[k]);
        if (l) l.push(p);
      }
    const nodeName = rec(p.spec).nodeName;
    if (typeof nodeName === 'string' && nodes.has(`Node/${nodeName}`))
      edges.push({ source: pid, target: `Node/${nodeName}`, type: 'runsOn' });
  }
  // Owner edges once every object has an id.
  for (const list of [...g.owners.map((x) => x.objects), g.pods])
    for (const o of list) {
      const me = o.metadata.uid ? byUid.get(o.metadata.uid) : undefined;
      if (!me) continue;
      for (const r of o.metadata.ownerReferences ?? []) {
        const parent = byUid.get(r.uid);
        if (!parent) continue;
        edges.push({ source: parent, target: me, type: 'owns' });
        if (list === g.pods) podsOfOwner.set(parent, (podsOfOwner.get(parent) ?? 0) + 1);
      }
    }
  const idleReplicaSets = new Set<string>();
  for (const rs of g.owners.find((o) => o.kind === 'ReplicaSet')?.objects ?? []) {
    const id = nodeId('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
    const ownedByDeployment = (rs.metadata.ownerReferences ?? []).some((r) => r.kind === 'Deployment');
    if (ownedByDeployment && num(rec(rs.spec).replicas) === 0 && !podsOfOwner.get(id)) idleReplicaSets.add(id);
  }
  if (g.config) mounts(g, nodes, edges, nsPods);
  g.services.forEach((s, i) => {
    const pairs = selectors[i];
    const ns = s.metadata.namespace ?? '';
    let selected = 0;
    let ready = 0;
    const sid = add('Service', s, { status: String(rec(s.spec).type ?? 'ClusterIP') });
    for (const p of pairs.length ? (wanted.get(ns)?.get(pairs[0][0])?.get(pairs[0][1]) ?? []) : []) {
      if (!pairs.every(([k, v]) => p.metadata.labels?.[k] === v)) continue;
      const pid = nodeId('Pod', ns, p.metadata.name);
      edges.push({ source: sid, target: pid, type: 'selects' });
      selected++;
      if (nodes.get(pid)?.health === 'ok') ready++;
    }
    const n = nodes.get(sid)!;
    const type = rec(s.spec).type;
    if (!pairs.length) {
      n.health = 'muted';
      n.detail = type === 'ExternalName' ? `ExternalName ${String(rec(s.spec).externalName ?? '')}` : 'no selector';
    } else if (!selected) {
      n.health = 'warn';
      n.detail = 'selects no pods';
    } else {
      n.health = ready === selected ? 'ok' : ready === 0 ? 'danger' : 'warn';
      n.detail = `${ready} of ${selected} pods ready`;
    }
  });
  for (const ing of g.ingresses) {
    const iid = add('Ingress', ing, {});
    const spec = rec(ing.spec);
    const backends = new Set<string>();
    for (const r of arr(spec.rules))
      for (const p of arr(rec(r.http).paths)) {
        const svc = rec(rec(p.backend).service).name;
        if (typeof svc === 'string') backends.add(svc);
      }
    const def = rec(rec(spec.defaultBackend).service).name;
    if (typeof def === 'string') backends.add(def);
    const missing: string[] = [];
    for (const b of backends) {
      const sid = nodeId('Service', ing.metadata.namespace, b);
      if (nodes.has(sid)) edges.push({ source: iid, target: sid, type: 'routes' });
      else missing.push(b);
    }
    const hosts = arr(spec.rules)
      .map((r) => r.host)
      .filter((h): h is string => typeof h === 'string');
    const n = nodes.get(iid)!;
    n.health = missing.length ? 'warn' : 'ok';
    n.detail = missing.length
      ? `no Service ${missing.join(', ')}`
      : hosts.length
        ? hosts.join(', ')
        : `${backends.size} backend${backends.size === 1 ? '' : 's'}`;
    n.status = arr(spec.tls).length ? 'TLS' : 'HTTP';
  }
  const oldSets = new Map<string, number>();
  for (const e of edges)
    if (e.type === 'owns' && idleReplicaSets.has(e.target)) oldSets.set(e.source, (oldSets.get(e.source) ?? 0) + 1);
  for (const [id, old] of oldSets) {
    const n = nodes.get(id)!;
    n.detail = `${n.detail ?? ''}${n.detail ? ', ' : ''}${old} old ReplicaSet${old === 1 ? '' : 's'}`;
  }
  return { nodes, edges, idleReplicaSets };
}

/** What each pod uses: ConfigMaps, Secrets and claims, as volumes, env and image pull secrets. */
function mounts(g: MapInput, nodes: Map<string, GraphNode>, edges: GraphEdge[], nsPods: Map<string, KObject[]>) {
  const cfg = g.config!;
  const exists = new Map<string, KObject>();
  for (const o of cfg.configmaps) exists.set(nodeId('ConfigMap', o.metadata.namespace, o.metadata.name), o);
  for (const o of cfg.secrets) exists.set(nodeId('Secret', o.metadata.namespace, o.metadata.name), o);
  for (const o of cfg.pvcs) exists.set(nodeId('PersistentVolumeClaim', o.metadata.namespace, o.metadata.name), o);
  // What this pod already uses (a pod names the same Secret in a volume and in env: one edge).
  const seen: string[] = [];
  const use = (pid: string, kind: string, ns: string, name: unknown, via: string, optional: boolean) => {
    if (typeof name !== 'string' || !name) return;
    const id = nodeId(kind, ns, name);
    if (seen.includes(id)) return;
    seen.push(id);
    if (!nodes.has(id)) {
      const o = exists.get(id);
      const n: GraphNode = { id, kind, name, namespace: ns };
      if (!o) {
        n.status = 'Missing';
        n.health = optional ? 'muted' : 'danger';
        n.detail = optional ? 'not found (optional)' : 'not found';
      } else if (kind === 'PersistentVolumeClaim') {
        const phase = String(rec(o.status).phase ?? 'Pending');
        const size = rec(rec(o.status).capacity).storage ?? rec(rec(rec(o.spec).resources).requests).storage;
        n.status = phase;
        n.health = phase === 'Bound' ? 'ok' : phase === 'Lost' ? 'danger' : 'warn';
        n.detail = `${phase}${typeof size === 'string' ? `, ${size}` : ''}`;
      } else {
        const keys = Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length;
        n.health = 'ok';
        n.detail = `${keys} key${keys === 1 ? '' : 's'}`;
      }
      nodes.set(id, n);
    }
    edges.push({ source: pid, target: id, type: 'mounts', via });
  };
  for (const [ns, pods] of nsPods)
    for (const p of pods) {
      const pid = nodeId('Pod', ns, p.metadata.name);
      const spec = rec(p.spec);
      seen.length = 0;
      for (const v of arr(spec.volumes)) {
        const cm = rec(v.configMap);
        const sec = rec(v.secret);
        const pvc = rec(v.persistentVolumeClaim);
        if (v.configMap) use(pid, 'ConfigMap', ns, cm.name, 'volume', cm.optional === true);
        if (v.secret) use(pid, 'Secret', ns, sec.secretName, 'volume', sec.optional === true);
        if (v.persistentVolumeClaim) use(pid, 'PersistentVolumeClaim', ns, pvc.claimName, 'volume', false);
        for (const s of arr(rec(v.projected).sources)) {
          if (s.configMap)
            use(pid, 'ConfigMap', ns, rec(s.configMap).name, 'volume', rec(s.configMap).optional === true);
          if (s.secret) use(pid, 'Secret', ns, rec(s.secret).name, 'volume', rec(s.secret).optional === true);
        }
      }
      for (const ctr of [...arr(spec.initContainers), ...arr(spec.containers)]) {
        for (const e of arr(ctr.envFrom)) {
          if (e.configMapRef)
            use(pid, 'ConfigMap', ns, rec(e.configMapRef).name, 'env', rec(e.configMapRef).optional === true);
          if (e.secretRef) use(pid, 'Secret', ns, rec(e.secretRef).name, 'env', rec(e.secretRef).optional === true);
        }
        for (const e of arr(ctr.env)) {
          const from = rec(e.valueFrom);
          if (from.configMapKeyRef)
            use(
              pid,
              'ConfigMap',
              ns,
              rec(from.configMapKeyRef).name,
              'env',
              rec(from.configMapKeyRef).optional === true,
            );
          if (from.secretKeyRef)
            use(pid, 'Secret', ns, rec(from.secretKeyRef).name, 'env', rec(from.secretKeyRef).optional === true);
        }
      }
      for (const s of arr(spec.imagePullSecrets)) use(pid, 'Secret', ns, s.name, 'image pull', true);
    }
}

// ---------- focus and grouping ----------

/** The objects within `depth` hops of `focus`; an owner chain (Deployment, its ReplicaSets, their pods) is one hop. */
function neighbourhood(edges: GraphEdge[], focus: string, depth: number): Set<string> {
  const adj = new Map<string, Array<{ to: string; owns: boolean }>>();
  const link = (a: string, b: string, owns: boolean) => {
    const l = adj.get(a);
    if (l) l.push({ to: b, owns });
    else adj.set(a, [{ to: b, owns }]);
  };
  for (const e of edges) {
    link(e.source, e.target, e.type === 'owns');
    link(e.target, e.source, e.type === 'owns');
  }
  const kindOf = (id: string) => id.slice(0, id.indexOf('/'));
  const seen = new Set<string>([focus]);
  let level = [focus];
  for (let d = 0; d <= depth && level.length; d++) {
    // Owner edges cost nothing: close this level over them, then step one hop along every other edge.
    for (let i = 0; i < level.length; i++) {
      const at = level[i];
      if (at !== focus && LEAVES.has(kindOf(at))) continue;
      for (const { to, owns } of adj.get(at) ?? [])
        if (owns && !seen.has(to)) {
          seen.add(to);
          level.push(to);
        }
    }
    if (d === depth) break;
    const next: string[] = [];
    for (const at of level) {
      if (at !== focus && LEAVES.has(kindOf(at))) continue;
      for (const { to, owns } of adj.get(at) ?? [])
        if (!owns && !seen.has(to)) {
          seen.add(to);
          next.push(to);
        }
    }
    level = next;
  }
  return seen;
}

const emptyHealth = (): Record<GraphHealth, number> => ({ ok: 0, warn: 0, danger: 0, muted: 0 });
const worstOf = (health: Record<GraphHealth, number>): GraphHealth =>
  (Object.keys(health) as GraphHealth[]).reduce<GraphHealth>(
    (w, h) => (health[h] > 0 && RANK[h] > RANK[w] ? h : w),
    'muted',
  );

const inNamespaces = (g: MapInput, keep: (ns: string | undefined) => boolean, nodes = g.nodes): MapInput => {
  const f = (l: KObject[]) => l.filter((o) => keep(o.metadata.namespace));
  return {
    nodes,
    pods: f(g.pods),
    services: f(g.services),
    ingresses: f(g.ingresses),
    owners: g.owners.map((o) => ({ kind: o.kind, objects: f(o.objects) })),
    config: g.config && {
      configmaps: f(g.config.configmaps),
      secrets: f(g.config.secrets),
      pvcs: f(g.config.pvcs),
    },
  };
};

/** The objects a focus can reach: its namespace, or for a node the namespaces of the pods it runs. */
function narrowToFocus(g: MapInput, focus: string): MapInput {
  const [kind, a, b] = focus.split('/');
  if (kind === 'Node') {
    const spaces = new Set(g.pods.filter((p) => rec(p.spec).nodeName === a).map((p) => p.metadata.namespace));
    return inNamespaces(g, (ns) => spaces.has(ns));
  }
  if (b === undefined) return g;
  return inNamespaces(g, (ns) => ns === a);
}

/** Past eight times the limit, every namespace not asked open is drawn from counts: one group node each, with edges
 * to the nodes its pods run on. The input keeps the open namespaces only. */
function closeNamespaces(
  g: MapInput,
  expand: Set<string>,
  limit: number,
): { input: MapInput; nodes: GraphNode[]; edges: GraphEdge[]; objects: number } {
  const lists: Array<[string, KObject[]]> = [
    ['Pod', g.pods],
    ['Service', g.services],
    ['Ingress', g.ingresses],
    ...g.owners.map((o): [string, KObject[]] => [o.kind, o.objects]),
  ];
  const size = lists.reduce((n, [, l]) => n + l.length, g.nodes.length);
  const spaces = new Set<string>();
  for (const [, l] of lists) for (const o of l) if (o.metadata.namespace) spaces.add(o.metadata.namespace);
  if (size <= 8 * limit || spaces.size < 2) return { input: g, nodes: [], edges: [], objects: 0 };
  const closed = new Set([...spaces].filter((ns) => !expand.has(`group:namespace:${ns}`)));
  const groups = new Map<string, GraphGroup>();
  const edges: GraphEdge[] = [];
  const hosts = new Map<string, Map<string, number>>();
  let objects = 0;
  for (const [kind, l] of lists)
    for (const o of l) {
      const ns = o.metadata.namespace;
      if (!ns || !closed.has(ns)) continue;
      objects++;
      let gr = groups.get(ns);
      if (!gr) groups.set(ns, (gr = { type: 'namespace', members: 0, kinds: {}, health: emptyHealth() }));
      gr.members++;
      gr.kinds[kind] = (gr.kinds[kind] ?? 0) + 1;
      if (kind === 'Pod') {
        gr.health[podHealth(o).health]++;
        const on = rec(o.spec).nodeName;
        if (typeof on === 'string') {
          let h = hosts.get(ns);
          if (!h) hosts.set(ns, (h = new Map()));
          h.set(on, (h.get(on) ?? 0) + 1);
        }
      } else if (kind !== 'Service' && kind !== 'Ingress') gr.health[ownerHealth(kind, o).health]++;
    }
  // More namespaces than half the limit: the troubled and the largest stay, the rest fold into one node.
  const order = [...groups].sort(
    (a, b) => RANK[worstOf(b[1].health)] - RANK[worstOf(a[1].health)] || b[1].members - a[1].members,
  );
  const room = Math.max(10, Math.floor(limit / 2));
  const folded = order.length > room && !expand.has('group:namespaces:') ? order.slice(room - 1) : [];
  const groupId = new Map(order.map(([ns]) => [ns, `group:namespace:${ns}`]));
  const nodes: GraphNode[] = order.slice(0, order.length - folded.length).map(([ns, group]) => ({
    id: `group:namespace:${ns}`,
    kind: 'Group',
    name: ns,
    namespace: ns,
    health: worstOf(group.health),
    group,
    detail: groupDetail(group),
  }));
  if (folded.length) {
    const all: GraphGroup = { type: 'namespaces', members: 0, kinds: {}, health: emptyHealth() };
    for (const [ns, gr] of folded) {
      groupId.set(ns, 'group:namespaces:');
      all.members += gr.members;
      for (const [k, v] of Object.entries(gr.kinds)) all.kinds[k] = (all.kinds[k] ?? 0) + v;
      for (const h of Object.keys(all.health) as GraphHealth[]) all.health[h] += gr.health[h];
    }
    all.namespaces = folded.length;
    nodes.push({
      id: 'group:namespaces:',
      kind: 'Group',
      name: `${folded.length.toLocaleString('en-US')} more namespaces`,
      health: worstOf(all.health),
      group: all,
      detail: groupDetail(all),
    });
  }
  const known = new Set(g.nodes.map((n) => n.metadata.name));
  for (const [ns, h] of hosts)
    for (const [on, count] of h)
      if (known.has(on)) edges.push({ source: groupId.get(ns)!, target: `Node/${on}`, type: 'runsOn', count });
  // Nothing opened: only the cluster's nodes are left to build (namespaced lists all closed).
  const rest =
    closed.size === spaces.size
      ? {
          nodes: g.nodes,
          pods: [],
          services: [],
          ingresses: [],
          owners: [],
          config: g.config && { configmaps: [], secrets: [], pvcs: [] },
        }
      : inNamespaces(g, (ns) => !ns || !closed.has(ns));
  return { input: rest, nodes, edges, objects };
}

/** The graph of the objects (see the file's comment); keys `nodes` and `edges` as the route always answered. */
export function resourceGraph(whole: MapInput, opts: MapOptions = {}): Graph {
  const grouped = opts.group === true;
  const expand = new Set(opts.expand ?? []);
  // Big inputs are cut before the graph is built: a focus needs its own namespace only (a node's, those of its
  // pods), and a grouped map of many namespaces draws the closed ones from counts, never object by object.
  let input = whole;
  let pre: { nodes: GraphNode[]; edges: GraphEdge[]; objects: number } | undefined;
  if (opts.focus) input = narrowToFocus(whole, opts.focus);
  else if (grouped) {
    const cut = closeNamespaces(whole, expand, opts.limit ?? DEFAULT_LIMIT);
    input = cut.input;
    pre = cut;
  }
  const { nodes, edges, idleReplicaSets } = build(input);
  if (pre) edges.push(...pre.edges);
  let keep: Set<string> | undefined;
  let focus: Graph['focus'];
  if (opts.focus) {
    const depth = opts.depth ?? DEFAULT_DEPTH;
    const found = nodes.has(opts.focus);
    focus = { id: opts.focus, depth, found };
    keep = found ? neighbourhood(edges, opts.focus, depth) : new Set();
  }
  if (!grouped && !keep) return { nodes: [...nodes.values()], edges };
  const total = nodes.size + (pre?.objects ?? 0);
  // Which node each object is drawn as: itself, a group, or nothing (outside the focus, an old ReplicaSet).
  const rep = new Map<string, string>();
  const groupOf = new Map<string, GraphGroup & { ns?: string; name: string }>();
  for (const id of nodes.keys())
    if (!keep || keep.has(id))
      if (!(grouped && idleReplicaSets.has(id) && id !== opts.focus && !expand.has(id))) rep.set(id, id);
  const premade = new Map((pre?.nodes ?? []).map((n) => [n.id, n]));
  for (const id of premade.keys()) rep.set(id, id);
  if (grouped) {
    const owner = new Map<string, string>();
    const count = new Map<string, number>();
    for (const e of edges)
      if (e.type === 'owns' && e.target.startsWith('Pod/') && rep.has(e.target) && rep.has(e.source)) {
        owner.set(e.target, e.source);
        count.set(e.source, (count.get(e.source) ?? 0) + 1);
      }
    for (const [pod, o] of owner) {
      const gid = `group:pods:${o}`;
      if ((count.get(o) ?? 0) >= 2 && !expand.has(gid) && pod !== opts.focus) rep.set(pod, gid);
    }
    const limit = opts.limit ?? DEFAULT_LIMIT;
    const shown = () => new Set(rep.values()).size;
    if (shown() > limit) {
      const hosts = [...rep.keys()].filter((id) => id.startsWith('Node/'));
      if (hosts.length > 1 && !expand.has('group:nodes:')) for (const h of hosts) rep.set(h, 'group:nodes:');
    }
    const nsOf = (id: string) => nodes.get(id)?.namespace;
    if (shown() > limit) {
      const spaces = new Set([...rep.keys()].map(nsOf).filter((n): n is string => !!n));
      if (spaces.size > 1)
        for (const [id, r] of rep) {
          const ns = nsOf(id);
          if (ns && !expand.has(`group:namespace:${ns}`) && r !== opts.focus) rep.set(id, `group:namespace:${ns}`);
        }
    }
    if (shown() > limit) {
      // Still too many: the largest kinds of the opened namespaces collapse, one at a time.
      const byKind = new Map<string, Set<string>>();
      for (const [id, r] of rep) {
        const ns = nsOf(id);
        if (!ns || r.startsWith('group:namespace:') || r === opts.focus) continue;
        const key = `${ns}/${nodes.get(id)!.kind}`;
        const s = byKind.get(key) ?? new Set<string>();
        s.add(r);
        byKind.set(key, s);
      }
      const order = [...byKind].filter(([k]) => !expand.has(`group:kind:${k}`)).sort((a, b) => b[1].size - a[1].size);
      let n = shown();
      for (const [k, reps] of order) {
        if (n <= limit || reps.size < 2) break;
        for (const [id, r] of rep) if (reps.has(r) && r !== opts.focus) rep.set(id, `group:kind:${k}`);
        n -= reps.size - 1;
      }
    }
    for (const [id, r] of rep) {
      if (!r.startsWith('group:') || premade.has(id)) continue;
      const n = nodes.get(id)!;
      let gr = groupOf.get(r);
      if (!gr) {
        const [, type, rest = ''] = /^group:(\w+):(.*)$/.exec(r) as unknown as [string, GraphGroup['type'], string];
        const name =
          type === 'pods'
            ? (nodes.get(rest)?.name ?? rest)
            : type === 'namespace'
              ? rest
              : type === 'kind'
                ? rest.slice(rest.indexOf('/') + 1)
                : 'Nodes';
        gr = { type, members: 0, kinds: {}, health: emptyHealth(), name };
        if (type === 'pods') gr.owner = rest;
        if (type !== 'nodes') gr.ns = type === 'namespace' ? rest : n.namespace;
        groupOf.set(r, gr);
      }
      gr.members++;
      gr.kinds[n.kind] = (gr.kinds[n.kind] ?? 0) + 1;
      gr.health[n.health ?? 'muted']++;
    }
  }
  const out: GraphNode[] = [];
  for (const [id, r] of rep) if (id === r) out.push(nodes.get(id) ?? premade.get(id)!);
  for (const [gid, gr] of groupOf) {
    const { ns, name, ...group } = gr;
    const n: GraphNode = {
      id: gid,
      kind: 'Group',
      name,
      health: worstOf(group.health),
      group,
      detail: groupDetail(group),
    };
    if (ns) n.namespace = ns;
    out.push(n);
  }
  const merged = new Map<string, GraphEdge>();
  for (const e of edges) {
    const s = rep.get(e.source);
    const t = rep.get(e.target);
    if (!s || !t || s === t) continue;
    const key = `${s}\u0000${t}\u0000${e.type}`;
    const m = merged.get(key);
    if (m) m.count = (m.count ?? 1) + (e.count ?? 1);
    else {
      const ne: GraphEdge = { source: s, target: t, type: e.type };
      if (e.via) ne.via = e.via;
      if (s !== e.source || t !== e.target || e.count) ne.count = e.count ?? 1;
      merged.set(key, ne);
    }
  }
  const res: Graph = { nodes: out, edges: [...merged.values()], total };
  if (focus) res.focus = focus;
  if (expand.size) res.expanded = [...expand];
  return res;
}

const KIND_WORDS: Record<string, [string, string]> = {
  Pod: ['pod', 'pods'],
  Node: ['node', 'nodes'],
};
const plural = (kind: string, n: number) =>
  `${n.toLocaleString('en-US')} ${KIND_WORDS[kind]?.[n === 1 ? 0 : 1] ?? (n === 1 ? kind : `${kind}s`)}`;

/** "5 pods: 1 failing": the members, and the worst of them (the full counts are in `group.health`). */
function groupDetail(g: GraphGroup): string {
  const kinds = Object.entries(g.kinds).sort((a, b) => b[1] - a[1]);
  const what = kinds.length === 1 ? plural(kinds[0][0], kinds[0][1]) : `${g.members.toLocaleString('en-US')} objects`;
  if (g.health.danger) return `${what}: ${g.health.danger.toLocaleString('en-US')} failing`;
  if (g.health.warn) return `${what}: ${g.health.warn.toLocaleString('en-US')} not ready`;
  return what;
}

/** Edge types for the legend and tests. */
export const EDGE_TYPES: readonly GraphEdgeType[] = ['owns', 'selects', 'routes', 'runsOn', 'mounts'];
