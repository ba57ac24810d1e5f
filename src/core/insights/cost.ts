// Cost, as OpenCost and Kubecost allocate it: each running pod costs max(request, usage) of CPU, memory and GPUs at
// the prices of the node it runs on; what the nodes cost beyond what their pods are allocated is idle. Usage and its
// history come from the metrics engine's samples of metrics.k8s.io; without them, allocation falls back to requests
// and says so. Right-sizing sets each workload container's requests to a high percentile of its usage plus headroom,
// as findings whose fix patches the workload's pod template.
import type {
  CostAllocation,
  CostAnalysis,
  CostRow,
  LabelCostRow,
  NodeCost,
  NodeTypePrices,
  PriceOverride,
  RightSizing,
  WorkloadCostRow,
} from '../../shared/cost';
import type { Finding, FindingSeverity } from '../../shared/insights';
import { quantity } from '../../shared/quantity';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import type { KObject } from '../kube/descriptors';
import type { ContainerPoint } from '../metrics/engine';
import { KubeError } from '../kube/errors';
import { isActivePod, podRequests } from '../analysis/reports';
import { findingId, type InsightAnalysis } from './analysis';
import { weightedScores } from './weights';
import { cacheVersion, Memo } from './memo';
import {
  CATALOG_NOTE,
  defaultPrices,
  DEFAULT_TYPE,
  INSTANCE_CATALOG,
  NO_TYPE,
  PRICES_SETTING,
  resolvePrices,
  type ResolvedPrices,
} from './prices';

const GIB = 2 ** 30;
const MIB = 2 ** 20;
const HOURS_PER_MONTH = 730;
export const RIGHT_SIZING = { percentile: 0.95, headroom: 0.2, minCpuMillicores: 10, minMemoryMiB: 32 };
/** A request is over-provisioned at twice the recommendation and at least this much above it. */
const OVER = { ratio: 2, cpuMillicores: 100, memoryBytes: 128 * MIB };
const INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
const RIGHT_SIZED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
/** Labels every pod of a controller carries, useless to aggregate cost by. */
const NOISE_LABELS =
  /^(pod-template-hash|controller-revision-hash|pod-template-generation|statefulset\.kubernetes\.io\/|apps\.kubernetes\.io\/pod-index|batch\.kubernetes\.io\/|controller-uid|job-name)/;

const round = (n: number, d = 4) => Math.round(n * 10 ** d) / 10 ** d;

type Container = { name: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };
type Pod = KObject & { spec?: { nodeName?: string; containers?: Container[] } };

interface Usage {
  /** Average over the window: cores, bytes. */
  cpu: number;
  mem: number;
}

interface Acc {
  cpuReq: number;
  memReq: number;
  gpu: number;
  cpuUse: number;
  memUse: number;
  /** Requests of the pods whose usage is known (the efficiency's denominator). */
  cpuReqSeen: number;
  memReqSeen: number;
  seen: number;
  cpuCost: number;
  ramCost: number;
  gpuCost: number;
  pods: number;
}
const acc = (): Acc => ({
  cpuReq: 0,
  memReq: 0,
  gpu: 0,
  cpuUse: 0,
  memUse: 0,
  cpuReqSeen: 0,
  memReqSeen: 0,
  seen: 0,
  cpuCost: 0,
  ramCost: 0,
  gpuCost: 0,
  pods: 0,
});

/** The controlling owner reference (else the first): a loop, not a closure per object (tsx wraps each in __name). */
export function controllerRef<T extends { controller?: boolean }>(refs: T[] | undefined): T | undefined {
  if (!refs?.length) return undefined;
  for (const r of refs) if (r.controller) return r;
  return refs[0];
}

function addPod(
  a: Acc,
  req: { cpu: number; memory: number; gpu: number },
  u: Usage | undefined,
  cpuCost: number,
  ramCost: number,
  gpuCost: number,
): void {
  a.cpuReq += req.cpu;
  a.memReq += req.memory;
  a.gpu += req.gpu;
  if (u) {
    a.cpuUse += u.cpu;
    a.memUse += u.mem;
    a.cpuReqSeen += req.cpu;
    a.memReqSeen += req.memory;
    a.seen++;
  }
  a.cpuCost += cpuCost;
  a.ramCost += ramCost;
  a.gpuCost += gpuCost;
  a.pods++;
}

function allocation(a: Acc): CostAllocation {
  const hourly = a.cpuCost + a.ramCost + a.gpuCost;
  const r: CostAllocation = {
    cpuCores: round(a.cpuReq, 3),
    memoryGiB: round(a.memReq / GIB, 3),
    gpus: a.gpu,
    cpuCost: round(a.cpuCost),
    ramCost: round(a.ramCost),
    gpuCost: round(a.gpuCost),
    hourlyCost: round(hourly),
    monthlyCost: round(hourly * HOURS_PER_MONTH, 2),
    pods: a.pods,
  };
  if (a.seen) {
    r.cpuUsageCores = round(a.cpuUse, 3);
    r.memoryUsageGiB = round(a.memUse / GIB, 3);
    if (a.cpuReqSeen) r.cpuEfficiency = round(a.cpuUse / a.cpuReqSeen, 3);
    if (a.memReqSeen) r.memoryEfficiency = round(a.memUse / a.memReqSeen, 3);
  }
  return r;
}

/** Requests per pod spec: specs are replaced, never mutated, on change, so the parsed quantities keep until then. */
/** A controller: its kind, name, the `ns/name` key of its object and the `kind/ns/name` key of its row. */
interface Owner {
  kind: string;
  name: string;
  key: string;
  wk: string;
}
/** What an object says that the allocation keys on, made once per object version (a watch cache replaces an object
 * when it changes): strings made once keep their hash, so 100k pods cost map lookups, not new strings. */
interface Facts {
  ns: string;
  key: string;
  /** A pod as its own row, when no controller owns it. */
  self: Owner;
  owner?: Owner;
  /** Label keys worth grouping by (not the controllers' hashes). */
  labelKeys: string[];
}
const facts = new WeakMap<object, Facts>();
function factsOf(o: KObject): Facts {
  let f = facts.get(o);
  if (f) return f;
  const ns = o.metadata.namespace ?? '';
  const name = o.metadata.name;
  const ref = controllerRef(o.metadata.ownerReferences);
  const owner = (kind: string, n: string): Owner => ({ kind, name: n, key: `${ns}/${n}`, wk: `${kind}/${ns}/${n}` });
  f = {
    ns,
    key: `${ns}/${name}`,
    self: owner('Pod', name),
    ...(ref ? { owner: owner(ref.kind, ref.name) } : {}),
    labelKeys: Object.keys(o.metadata.labels ?? {}).filter((k) => !NOISE_LABELS.test(k)),
  };
  facts.set(o, f);
  return f;
}

const requestsOf = new WeakMap<object, ReturnType<typeof podRequests>>();
function requests(p: Pod): ReturnType<typeof podRequests> {
  const key = p.spec as object | undefined;
  if (!key) return podRequests(p);
  let r = requestsOf.get(key);
  if (!r) requestsOf.set(key, (r = podRequests(p)));
  return r;
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

/** The stored price overrides (node type or `*` → prices). */
export async function priceOverrides(deps: ApiDeps): Promise<Record<string, PriceOverride>> {
  const v = (await deps.settings.get())[PRICES_SETTING];
  return v && typeof v === 'object' ? (v as Record<string, PriceOverride>) : {};
}

/** Sets (or, with every price absent, removes) the override of one node type. */
export async function savePriceOverride(
  deps: ApiDeps,
  type: string,
  o: PriceOverride,
): Promise<Record<string, PriceOverride>> {
  const cur = { ...(await priceOverrides(deps)) };
  const clean: PriceOverride = {};
  for (const k of ['cpuPerCoreHour', 'ramPerGiBHour', 'gpuPerHour', 'nodeHourly'] as const)
    if (typeof o[k] === 'number') clean[k] = o[k];
  if (Object.keys(clean).length) cur[type] = clean;
  else delete cur[type];
  // The whole map is replaced (settings merge one level deep, which would keep a removed type).
  await deps.settings.save({ [PRICES_SETTING]: null });
  await deps.settings.save({ [PRICES_SETTING]: cur });
  return cur;
}

type PodSeries = ReadonlyMap<string, ReadonlyMap<string, { readonly items: readonly ContainerPoint[] }>>;

/** Everything the analysis reads, so it runs the same over the watch caches and over a benchmark's objects. */
export interface CostInput {
  pods: Pod[];
  nodes: KObject[];
  replicaSets: KObject[];
  jobs: KObject[];
  workloads: KObject[];
  /** The metrics engine's samples per pod (`ns/pod`), per container (CPU in millicores, memory in bytes). */
  series: PodSeries;
  metrics: { available: boolean; reason?: string };
  overrides: Record<string, PriceOverride>;
}

const COST_KINDS = [
  'pods',
  'nodes',
  'replicasets.apps',
  'jobs.batch',
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
];
const memo = new Memo<CostAnalysis>();

async function readInput(deps: ApiDeps, context: string): Promise<CostInput> {
  const get = async (k: string) => ((await objects(deps, context, k)) ?? []) as KObject[];
  let metrics: CostInput['metrics'];
  try {
    await deps.metrics.start(context);
    const st = deps.metrics.status(context);
    metrics = { available: st.available, ...(st.reason ? { reason: st.reason } : {}) };
  } catch (e) {
    metrics = { available: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const [pods, nodes, replicaSets, jobs, deployments, statefulSets, daemonSets, overrides] = await Promise.all([
    get('pods'),
    get('nodes'),
    get('replicasets.apps'),
    get('jobs.batch'),
    get('deployments.apps'),
    get('statefulsets.apps'),
    get('daemonsets.apps'),
    priceOverrides(deps),
  ]);
  return {
    pods: pods as Pod[],
    nodes,
    replicaSets,
    jobs,
    workloads: [
      ...deployments.map((o) => ({ ...o, kind: 'Deployment' })),
      ...statefulSets.map((o) => ({ ...o, kind: 'StatefulSet' })),
      ...daemonSets.map((o) => ({ ...o, kind: 'DaemonSet' })),
    ],
    series: deps.metrics.podSeries(context),
    metrics,
    overrides,
  };
}

/** The cost analysis of the context's cluster (rows of `namespace` only, when given; idle and nodes stay cluster-wide). */
export async function costAnalysis(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
  label?: string,
): Promise<CostAnalysis> {
  const ctx = contextOf(deps, context);
  // Started before the version is read, so the first sample is part of the first answer.
  await deps.metrics.start(ctx).catch(() => undefined);
  const version = [await cacheVersion(deps, ctx, COST_KINDS), JSON.stringify(await priceOverrides(deps))].join('#');
  // A new metrics sample (every 15 s) moves usage a little: the last answer serves while the next is computed.
  return memo.get(
    deps,
    `${ctx}|${namespace ?? ''}|${label ?? ''}`,
    version,
    async () => analyseCost(await readInput(deps, ctx), namespace || undefined, label || undefined),
    String(deps.metrics.status(ctx).samples),
  );
}

export function analyseCost(input: CostInput, namespace?: string, labelKey?: string): CostAnalysis {
  const defaults = defaultPrices(input.overrides);
  // Nodes: their type, prices and what they cost whole.
  /** Per node: its prices, its row, and what its pods hold (one lookup per pod). */
  const onNodes = new Map<string, { pr: ResolvedPrices; row: NodeCost; cpu: number; mem: number; gpu: number }>();
  const types = new Map<string, NodeTypePrices>();
  for (const n of input.nodes) {
    const cap = (n.status?.capacity ?? {}) as Record<string, string>;
    const cores = quantity(cap.cpu);
    const gib = quantity(cap.memory) / GIB;
    const gpus = quantity(cap['nvidia.com/gpu']);
    const type = n.metadata.labels?.[INSTANCE_TYPE] || NO_TYPE;
    const pr = resolvePrices(type, { cores, gib, gpus }, input.overrides, defaults);
    const hourly = cores * pr.cpuPerCoreHour + gib * pr.ramPerGiBHour + gpus * pr.gpuPerHour;
    const ready = ((n.status?.conditions ?? []) as Array<{ type: string; status: string }>).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );
    const row: NodeCost = {
      name: n.metadata.name,
      type,
      source: pr.source,
      ready,
      cpuCores: round(cores, 3),
      memoryGiB: round(gib, 3),
      gpus,
      hourlyCost: hourly,
      allocatedHourly: 0,
      idleHourly: 0,
    };
    onNodes.set(n.metadata.name, { pr, row, cpu: 0, mem: 0, gpu: 0 });
    const t = types.get(type);
    if (t) t.nodes++;
    else {
      const row: NodeTypePrices = {
        type,
        nodes: 1,
        source: pr.source,
        sourceDetail: pr.sourceDetail,
        cpuPerCoreHour: round(pr.cpuPerCoreHour, 6),
        ramPerGiBHour: round(pr.ramPerGiBHour, 6),
        gpuPerHour: round(pr.gpuPerHour, 4),
        nodeHourly: round(hourly),
      };
      if (input.overrides[type]) row.override = input.overrides[type];
      const cat = INSTANCE_CATALOG.find((x) => x.type === type);
      if (cat) row.catalog = cat;
      types.set(type, row);
    }
  }

  // Usage: a pod's average over its sampled window (cores, bytes), summed over its containers.
  let samples = 0;
  let first = Infinity;
  let last = -Infinity;
  const usageOf = (rings: ReadonlyMap<string, { readonly items: readonly ContainerPoint[] }> | undefined) => {
    if (!rings) return undefined;
    let u: Usage | undefined;
    for (const r of rings.values()) {
      const pts = r.items;
      if (!pts.length) continue;
      let cpu = 0;
      let mem = 0;
      for (const x of pts) {
        cpu += x.cpu;
        mem += x.mem;
      }
      u ??= { cpu: 0, mem: 0 };
      u.cpu += cpu / pts.length / 1000;
      u.mem += mem / pts.length;
      if (pts.length > samples) samples = pts.length;
      if (pts[0].t < first) first = pts[0].t;
      if (pts[pts.length - 1].t > last) last = pts[pts.length - 1].t;
    }
    return u;
  };

  // Owners: a pod's controller at the top of its chain.
  const rsOwner = new Map<string, Owner>();
  for (const rs of input.replicaSets) {
    const f = factsOf(rs);
    if (f.owner) rsOwner.set(f.key, f.owner);
  }
  const jobOwner = new Map<string, Owner>();
  for (const j of input.jobs) {
    const f = factsOf(j);
    if (f.owner) jobOwner.set(f.key, f.owner);
  }
  const controllerOf = (f: Facts): Owner => {
    const o = f.owner;
    if (!o) return f.self;
    if (o.kind === 'ReplicaSet') return rsOwner.get(o.key) ?? o;
    if (o.kind === 'Job') return jobOwner.get(o.key) ?? o;
    return o;
  };

  const byNs = new Map<string, Acc>();
  const byWorkload = new Map<string, Acc & { kind: string; namespace: string; name: string }>();
  const byLabel = new Map<string, Acc>();
  const labelCounts = new Map<string, number>();
  /** Workload containers in scope: their pods, for right-sizing. */
  const podsOf = new Map<string, SizedWorkload>();
  const total = acc();
  let usedCost = 0;
  for (const p of input.pods) {
    const nodeName = p.spec?.nodeName;
    if (!nodeName || !isActivePod(p)) continue;
    const onNode = onNodes.get(nodeName);
    if (!onNode) continue;
    const pr = onNode.pr;
    const req = requests(p);
    const f = factsOf(p);
    const rings = input.series.get(f.key);
    const u = usageOf(rings);
    const cpu = Math.max(req.cpu, u?.cpu ?? 0);
    const mem = Math.max(req.memory, u?.mem ?? 0);
    onNode.cpu += cpu;
    onNode.mem += mem;
    onNode.gpu += req.gpu;
    const cpuCost = cpu * pr.cpuPerCoreHour;
    const ramCost = (mem / GIB) * pr.ramPerGiBHour;
    const gpuCost = req.gpu * pr.gpuPerHour;
    onNode.row.allocatedHourly += cpuCost + ramCost + gpuCost;
    const ns = f.ns;
    if (namespace && ns !== namespace) continue;
    if (u) usedCost += u.cpu * pr.cpuPerCoreHour + (u.mem / GIB) * pr.ramPerGiBHour;
    addPod(total, req, u, cpuCost, ramCost, gpuCost);
    let n = byNs.get(ns);
    if (!n) byNs.set(ns, (n = acc()));
    addPod(n, req, u, cpuCost, ramCost, gpuCost);
    const c = controllerOf(f);
    const wk = c.wk;
    let w = byWorkload.get(wk);
    if (!w) byWorkload.set(wk, (w = { ...acc(), kind: c.kind, namespace: ns, name: c.name }));
    addPod(w, req, u, cpuCost, ramCost, gpuCost);
    if (RIGHT_SIZED_KINDS.has(c.kind)) {
      let r = podsOf.get(wk);
      if (!r) podsOf.set(wk, (r = { kind: c.kind, namespace: ns, name: c.name, pods: [], prices: [], series: [] }));
      r.pods.push(p);
      r.prices.push(pr);
      r.series.push(rings);
    }
    for (const k of f.labelKeys) labelCounts.set(k, (labelCounts.get(k) ?? 0) + 1);
    if (labelKey) {
      const v = p.metadata.labels?.[labelKey] ?? '__unallocated__';
      let l = byLabel.get(v);
      if (!l) byLabel.set(v, (l = acc()));
      addPod(l, req, u, cpuCost, ramCost, gpuCost);
    }
  }

  let clusterHourly = 0;
  let idleHourly = 0;
  let idleCpu = 0;
  let idleMem = 0;
  let idleGpu = 0;
  const nodes: NodeCost[] = [];
  for (const { row: n, ...a } of onNodes.values()) {
    clusterHourly += n.hourlyCost;
    n.idleHourly = Math.max(0, n.hourlyCost - n.allocatedHourly);
    idleHourly += n.idleHourly;
    idleCpu += Math.max(0, n.cpuCores - a.cpu);
    idleMem += Math.max(0, n.memoryGiB - a.mem / GIB);
    idleGpu += Math.max(0, n.gpus - a.gpu);
    nodes.push({
      ...n,
      hourlyCost: round(n.hourlyCost),
      allocatedHourly: round(Math.min(n.allocatedHourly, n.hourlyCost)),
      idleHourly: round(n.idleHourly),
    });
  }
  nodes.sort((a, b) => b.idleHourly - a.idleHourly || a.name.localeCompare(b.name));

  const byCost = <T extends CostAllocation>(a: T, b: T) => b.hourlyCost - a.hourlyCost;
  const namespaces: CostRow[] = [...byNs].map(([ns, a]) => ({ namespace: ns, ...allocation(a) })).sort(byCost);
  const workloads: WorkloadCostRow[] = [...byWorkload.values()]
    .map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name, ...allocation(w) }))
    .sort(byCost);
  const labels: LabelCostRow[] = [...byLabel].map(([value, a]) => ({ value, ...allocation(a) })).sort(byCost);
  const totalAlloc = allocation(total);
  // Cost efficiency over CPU and memory (a GPU's use is not in metrics.k8s.io).
  const allocatedHourly = total.cpuCost + total.ramCost;

  const workloadObjs = new Map<string, KObject>();
  for (const w of input.workloads) workloadObjs.set(`${w.kind}/${w.metadata.namespace}/${w.metadata.name}`, w);
  const recommendations = rightSize(podsOf, workloadObjs);

  return {
    currency: 'USD',
    pricing: {
      ...{
        cpuPerCoreHour: round(defaults.cpuPerCoreHour, 6),
        ramPerGiBHour: round(defaults.ramPerGiBHour, 6),
        gpuPerHour: round(defaults.gpuPerHour, 4),
      },
      source: input.overrides[DEFAULT_TYPE]
        ? 'Default prices set in KubeGraf; instance types priced from the catalog or as set per node type'
        : 'OpenCost default pricing (configs/default.json); instance types priced from the catalog or as set per node type',
    },
    namespaces,
    total: {
      hourlyCost: totalAlloc.hourlyCost,
      monthlyCost: totalAlloc.monthlyCost,
      clusterHourly: round(clusterHourly),
      clusterMonthly: round(clusterHourly * HOURS_PER_MONTH, 2),
      idleHourly: round(idleHourly),
      idleMonthly: round(idleHourly * HOURS_PER_MONTH, 2),
    },
    workloads,
    labels: { key: labelKey ?? '', rows: labels },
    labelKeys: [...labelCounts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 20)
      .map(([k]) => k),
    idle: {
      hourlyCost: round(idleHourly),
      monthlyCost: round(idleHourly * HOURS_PER_MONTH, 2),
      cpuCores: round(idleCpu, 3),
      memoryGiB: round(idleMem, 3),
      gpus: idleGpu,
      share: clusterHourly ? round(idleHourly / clusterHourly, 3) : 0,
    },
    efficiency: {
      ...(totalAlloc.cpuEfficiency !== undefined ? { cpu: totalAlloc.cpuEfficiency } : {}),
      ...(totalAlloc.memoryEfficiency !== undefined ? { memory: totalAlloc.memoryEfficiency } : {}),
      ...(total.seen && allocatedHourly ? { cost: round(usedCost / allocatedHourly, 3) } : {}),
    },
    usage: {
      available: input.metrics.available && samples > 0,
      ...(input.metrics.reason ? { reason: input.metrics.reason } : {}),
      samples,
      windowMinutes: samples > 1 ? round((last - first) / 60_000, 1) : 0,
    },
    nodes,
    prices: {
      nodeTypes: [...types.values()].sort((a, b) => b.nodes - a.nodes || a.type.localeCompare(b.type)),
      catalog: INSTANCE_CATALOG,
      catalogNote: CATALOG_NOTE,
      defaults: {
        cpuPerCoreHour: round(defaults.cpuPerCoreHour, 6),
        ramPerGiBHour: round(defaults.ramPerGiBHour, 6),
        gpuPerHour: round(defaults.gpuPerHour, 4),
      },
    },
    recommendations,
    findings: recommendations.map(rightSizingFinding),
    rightSizing: { ...RIGHT_SIZING },
  };
}

const templateContainers = (w: KObject | undefined): Container[] =>
  ((w?.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec?.containers ??
    []) as Container[];

/** A workload whose containers may be right-sized: its pods, each with its node's prices and its samples. */
interface SizedWorkload {
  kind: string;
  namespace: string;
  name: string;
  pods: Pod[];
  prices: ResolvedPrices[];
  series: Array<ReadonlyMap<string, { readonly items: readonly ContainerPoint[] }> | undefined>;
}

function rightSize(podsOf: Map<string, SizedWorkload>, workloads: Map<string, KObject>): RightSizing[] {
  const out: RightSizing[] = [];
  for (const [wk, w] of podsOf) {
    const obj = workloads.get(wk);
    const containers = obj ? templateContainers(obj) : (w.pods[0].spec?.containers ?? []);
    // Average node prices of the workload's pods: what a unit of its requests costs.
    const cpuRate = w.prices.reduce((a, p) => a + p.cpuPerCoreHour, 0) / w.prices.length;
    const ramRate = w.prices.reduce((a, p) => a + p.ramPerGiBHour, 0) / w.prices.length;
    for (const c of containers) {
      const cpus: number[] = [];
      const mems: number[] = [];
      let first = Infinity;
      let last = -Infinity;
      let podsSeen = 0;
      // Peaks found in the loop: a large workload has more samples than a spread call may take as arguments.
      let cpuPeak = 0;
      let memPeak = 0;
      for (const rings of w.series) {
        const pts = rings?.get(c.name)?.items;
        if (!pts?.length) continue;
        podsSeen++;
        for (const x of pts) {
          cpus.push(x.cpu);
          mems.push(x.mem);
          if (x.cpu > cpuPeak) cpuPeak = x.cpu;
          if (x.mem > memPeak) memPeak = x.mem;
        }
        first = Math.min(first, pts[0].t);
        last = Math.max(last, pts[pts.length - 1].t);
      }
      if (!cpus.length) continue;
      const reqCpu = quantity(c.resources?.requests?.cpu) * 1000;
      const reqMem = quantity(c.resources?.requests?.memory);
      if (!reqCpu && !reqMem) continue;
      const cpuP95 = percentile(cpus, RIGHT_SIZING.percentile);
      const memP95 = percentile(mems, RIGHT_SIZING.percentile);
      const recCpu = Math.max(RIGHT_SIZING.minCpuMillicores, Math.ceil((cpuP95 * (1 + RIGHT_SIZING.headroom)) / 5) * 5);
      const recMem = Math.max(
        RIGHT_SIZING.minMemoryMiB * MIB,
        Math.ceil(Math.max(memP95 * (1 + RIGHT_SIZING.headroom), memPeak) / (4 * MIB)) * 4 * MIB,
      );
      const under = (reqCpu > 0 && cpuP95 > reqCpu) || (reqMem > 0 && memP95 > reqMem * 0.9);
      const overCpu = reqCpu >= OVER.ratio * recCpu && reqCpu - recCpu >= OVER.cpuMillicores;
      const overMem = reqMem >= OVER.ratio * recMem && reqMem - recMem >= OVER.memoryBytes;
      if (!under && !overCpu && !overMem) continue;
      // Change a resource only where it is off by a quarter or more (or is the one found wrong).
      const off = (cur: number, rec: number) => cur > 0 && Math.abs(cur - rec) / cur >= 0.25;
      const newCpu =
        (under && reqCpu > 0 && cpuP95 > reqCpu) || overCpu || off(reqCpu, recCpu) ? recCpu : reqCpu || recCpu;
      const newMem =
        (under && reqMem > 0 && memP95 > reqMem * 0.9) || overMem || off(reqMem, recMem) ? recMem : reqMem || recMem;
      // Usage per pod (average) bounds what a smaller request saves: a pod costs max(request, usage).
      let useCpu = 0;
      let useMem = 0;
      for (const rings of w.series) {
        const pts = rings?.get(c.name)?.items;
        if (!pts?.length) continue;
        useCpu += pts.reduce((a, x) => a + x.cpu, 0) / pts.length;
        useMem += pts.reduce((a, x) => a + x.mem, 0) / pts.length;
      }
      useCpu /= Math.max(1, podsSeen);
      useMem /= Math.max(1, podsSeen);
      const perPodHourly =
        ((Math.max(reqCpu, useCpu) - Math.max(newCpu, useCpu)) / 1000) * cpuRate +
        ((Math.max(reqMem, useMem) - Math.max(newMem, useMem)) / GIB) * ramRate;
      const samples = cpus.length / Math.max(1, podsSeen);
      const windowMinutes = last > first ? (last - first) / 60_000 : 0;
      const check = under ? 'underProvisioned' : 'overProvisioned';
      out.push({
        findingId: findingId('cost', check, { kind: w.kind, namespace: w.namespace, name: w.name }, c.name),
        check,
        kind: w.kind,
        namespace: w.namespace,
        name: w.name,
        container: c.name,
        pods: w.pods.length,
        current: { cpu: Math.round(reqCpu), memory: Math.round(reqMem) },
        recommended: { cpu: newCpu, memory: newMem },
        usage: {
          cpuP95: round(cpuP95, 2),
          memoryP95: Math.round(memP95),
          cpuPeak: round(cpuPeak, 2),
          memoryPeak: Math.round(memPeak),
        },
        samples: Math.round(samples),
        windowMinutes: round(windowMinutes, 1),
        confidence: windowMinutes >= 24 * 60 ? 'high' : windowMinutes >= 60 ? 'medium' : 'low',
        monthlySavings: round(perPodHourly * w.pods.length * HOURS_PER_MONTH, 2),
      });
    }
  }
  return out.sort((a, b) => b.monthlySavings - a.monthlySavings);
}

// ---------- findings ----------

export const cpuText = (m: number): string =>
  m >= 1000 ? `${round(m / 1000, 2)} core${m === 1000 ? '' : 's'}` : `${Math.round(m)}m`;
export const memText = (b: number): string => (b >= GIB ? `${round(b / GIB, 2)} GiB` : `${Math.round(b / MIB)} MiB`);
const money = (n: number) => `$${Math.abs(n) >= 100 ? Math.round(Math.abs(n)) : Math.abs(n).toFixed(2)}`;

function severityOf(r: RightSizing): FindingSeverity {
  if (r.check === 'underProvisioned')
    return r.usage.memoryP95 > r.current.memory && r.current.memory ? 'high' : 'medium';
  const ratio = Math.max(
    r.recommended.cpu ? r.current.cpu / r.recommended.cpu : 0,
    r.recommended.memory ? r.current.memory / r.recommended.memory : 0,
  );
  return r.monthlySavings >= 20 || (ratio >= 5 && r.monthlySavings >= 5) ? 'medium' : 'low';
}

export function rightSizingFinding(r: RightSizing): Finding {
  const ratio = Math.max(
    r.recommended.cpu ? r.current.cpu / r.recommended.cpu : 0,
    r.recommended.memory ? r.current.memory / r.recommended.memory : 0,
  );
  const over = r.check === 'overProvisioned';
  return {
    id: r.findingId,
    source: 'cost',
    check: r.check,
    family: 'Right-sizing',
    severity: severityOf(r),
    target: { kind: r.kind, namespace: r.namespace, name: r.name },
    container: r.container,
    title: over
      ? `Requests ${ratio >= 2 ? `${Math.floor(ratio)}× ` : ''}what container ${r.container} uses`
      : `Container ${r.container} uses more than it requests`,
    why: over
      ? `It reserves ${cpuText(r.current.cpu)} CPU and ${memText(r.current.memory)} memory but its p95 use is ${cpuText(r.usage.cpuP95)} and ${memText(r.usage.memoryP95)}: capacity no other pod can be scheduled on, ${money(r.monthlySavings)} a month.`
      : `Its p95 use (${cpuText(r.usage.cpuP95)} CPU, ${memText(r.usage.memoryP95)}) is above its requests (${cpuText(r.current.cpu)}, ${memText(r.current.memory)}), so the scheduler packs it onto nodes that cannot give it that, and it is throttled or evicted first.`,
    fix: {
      description: `Set the requests of container ${r.container} to ${cpuText(r.recommended.cpu)} CPU and ${memText(r.recommended.memory)} memory`,
      type: 'patch',
    },
  };
}

function millis(m: number): string {
  return `${Math.max(1, Math.round(m))}m`;
}
function mebis(b: number): string {
  return `${Math.max(1, Math.ceil(b / MIB))}Mi`;
}

export const costInsights: InsightAnalysis = {
  source: 'cost',
  async findings(deps, context, namespace) {
    const a = await costAnalysis(deps, context, namespace);
    return [...a.findings];
  },
  scores: weightedScores,
  async fixObject(finding, live, deps, context) {
    const a = await costAnalysis(deps, context, finding.target.namespace);
    const r = a.recommendations.find((x) => x.findingId === finding.id);
    if (!r)
      throw new KubeError('invalid', `${finding.target.kind} ${finding.target.name} no longer needs right-sizing`);
    const next = structuredClone(live);
    const c = templateContainers(next).find((x) => x.name === r.container);
    if (!c)
      throw new KubeError('invalid', `container ${r.container} is no longer in ${live.kind} ${live.metadata.name}`);
    const res = (c.resources ??= {});
    const requests = (res.requests ??= {});
    requests.cpu = millis(r.recommended.cpu);
    requests.memory = mebis(r.recommended.memory);
    // A limit below the new request would be refused: raise it to the request.
    if (res.limits?.cpu && quantity(res.limits.cpu) * 1000 < r.recommended.cpu) res.limits.cpu = requests.cpu;
    if (res.limits?.memory && quantity(res.limits.memory) < r.recommended.memory) res.limits.memory = requests.memory;
    return next;
  },
};
