// Cost allocation as OpenCost and Kubecost define it: what each pod costs is max(request, usage) of each resource at
// the price of the node it runs on; what the nodes cost beyond that is idle. The wire shape of `GET /api/cost/analysis`
// (its first keys are the original report's) and of the price editor.
import type { Finding } from './insights';

/** Prices of one resource unit per hour, in the report's currency. */
export interface UnitPrices {
  cpuPerCoreHour: number;
  ramPerGiBHour: number;
  gpuPerHour: number;
}

/** Where a node type's prices come from. */
export type PriceSource = 'custom' | 'catalog' | 'default';

/** An edit of the prices of one node type (`*`: every node without a price of its own). */
export interface PriceOverride {
  cpuPerCoreHour?: number;
  ramPerGiBHour?: number;
  gpuPerHour?: number;
  /** The whole node's hourly price: split over its CPU, memory and GPUs in the default prices' proportions. */
  nodeHourly?: number;
}

export interface NodeTypePrices extends UnitPrices {
  /** `node.kubernetes.io/instance-type`, or `(no instance type)`. */
  type: string;
  nodes: number;
  source: PriceSource;
  /** In words: "GCP e2-standard-4 on-demand list price (us-central1)", "set in KubeGraf", "OpenCost default pricing". */
  sourceDetail: string;
  /** What one node of this type costs per hour (at its capacity). */
  nodeHourly: number;
  /** The stored override, when there is one (what the editor starts from). */
  override?: PriceOverride;
  /** The catalog's entry for this type, when it has one (shown next to an override). */
  catalog?: CatalogPrice;
}

/** One row of the offline table of cloud instance types. */
export interface CatalogPrice {
  type: string;
  provider: 'AWS' | 'GCP' | 'Azure';
  region: string;
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  gpuModel?: string;
  hourly: number;
}

/** Cost and usage of a group of pods (a namespace, a workload, a label value). */
export interface CostAllocation {
  /** Requested (cores / GiB / GPUs) summed over the group's running pods. */
  cpuCores: number;
  memoryGiB: number;
  gpus: number;
  /** Average usage over the sampled window (absent when metrics.k8s.io gives none). */
  cpuUsageCores?: number;
  memoryUsageGiB?: number;
  /** usage ÷ requests (0–1+), absent without usage or requests. */
  cpuEfficiency?: number;
  memoryEfficiency?: number;
  cpuCost: number;
  ramCost: number;
  gpuCost: number;
  hourlyCost: number;
  monthlyCost: number;
  pods: number;
}

/** The original report's namespace row, with usage and efficiency beside it. */
export interface CostRow extends CostAllocation {
  namespace: string;
}

export interface WorkloadCostRow extends CostAllocation {
  /** The controller at the top of the owner chain (Deployment, StatefulSet, DaemonSet, CronJob, Job…), or `Pod`. */
  kind: string;
  namespace: string;
  name: string;
}

export interface LabelCostRow extends CostAllocation {
  /** The label's value; `__unallocated__` for pods without the label. */
  value: string;
}

export interface NodeCost {
  name: string;
  type: string;
  source: PriceSource;
  ready: boolean;
  cpuCores: number;
  memoryGiB: number;
  gpus: number;
  hourlyCost: number;
  /** The part of the node's cost its pods are allocated. */
  allocatedHourly: number;
  idleHourly: number;
}

export interface RightSizing {
  /** The finding that carries the patch (`POST /api/insights/fix-preview`). */
  findingId: string;
  check: 'overProvisioned' | 'underProvisioned';
  kind: string;
  namespace: string;
  name: string;
  container: string;
  pods: number;
  /** Per container: CPU in millicores, memory in bytes. */
  current: { cpu: number; memory: number };
  recommended: { cpu: number; memory: number };
  usage: { cpuP95: number; memoryP95: number; cpuPeak: number; memoryPeak: number };
  /** Samples the percentiles are over, and the window they span. */
  samples: number;
  windowMinutes: number;
  confidence: 'low' | 'medium' | 'high';
  /** What the change saves per month over all the workload's pods (negative: what it adds). */
  monthlySavings: number;
}

export interface CostAnalysis {
  currency: 'USD';
  /** The default prices (on-prem, or as edited under `*`). */
  pricing: UnitPrices & { source: string };
  namespaces: CostRow[];
  total: {
    hourlyCost: number;
    monthlyCost: number;
    /** What every node costs, allocated or not (cluster-wide, whatever the namespace filter). */
    clusterHourly: number;
    clusterMonthly: number;
    idleHourly: number;
    idleMonthly: number;
  };
  workloads: WorkloadCostRow[];
  /** By the chosen label key (`label=`), and the keys worth offering. */
  labels: { key: string; rows: LabelCostRow[] };
  labelKeys: string[];
  idle: {
    hourlyCost: number;
    monthlyCost: number;
    /** Capacity no pod is allocated (cores, GiB, GPUs). */
    cpuCores: number;
    memoryGiB: number;
    gpus: number;
    /** Share of the nodes' cost that is idle (0–1). */
    share: number;
  };
  efficiency: {
    cpu?: number;
    memory?: number;
    /** Cost of what is used ÷ cost of what is allocated (OpenCost's "cost efficiency"). */
    cost?: number;
  };
  usage: { available: boolean; reason?: string; samples: number; windowMinutes: number };
  nodes: NodeCost[];
  prices: { nodeTypes: NodeTypePrices[]; catalog: CatalogPrice[]; catalogNote: string; defaults: UnitPrices };
  recommendations: RightSizing[];
  /** The recommendations as insight findings (with their fix). */
  findings: Finding[];
  /** Right-sizing rules: percentile, headroom, minimums. */
  rightSizing: { percentile: number; headroom: number; minCpuMillicores: number; minMemoryMiB: number };
}
