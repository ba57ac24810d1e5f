// DTOs of the metrics engine (metrics.k8s.io sampling and history). Pure types only.

export interface NodeMetric {
  name: string;
  /** Percent of allocatable (capacity when allocatable is unknown). */
  cpuUsage: number;
  memoryUsage: number;
  /** Millicores. */
  cpuCapacity: number;
  /** MiB. */
  memoryCapacity: number;
  cpuMillicores: number;
  memoryMiB: number;
}

export interface ContainerMetric {
  name: string;
  cpuMillicores: number;
  memoryMiB: number;
}

export interface PodMetric {
  namespace: string;
  name: string;
  /** Millicores. */
  cpuUsage: number;
  /** MiB. */
  memoryUsage: number;
  containers: ContainerMetric[];
}

/** What `/ws/metrics` sends every interval, and `/api/metrics` answers. */
export interface MetricsSnapshot {
  context: string;
  timestamp: string;
  available: boolean;
  /** Why there are no numbers (metrics.k8s.io not installed, forbidden, unreachable). */
  reason?: string;
  cluster: {
    cpuMillicores: number;
    cpuCapacityMillicores: number;
    cpuPercent: number;
    memoryMiB: number;
    memoryCapacityMiB: number;
    memoryPercent: number;
    nodes: number;
    pods: number;
  };
  nodes: NodeMetric[];
  pods: PodMetric[];
}

export interface MetricsPoint {
  time: string;
  cpuMillicores: number;
  memoryMiB: number;
  cpuPercent: number;
  memoryPercent: number;
}

export interface MetricsHistory {
  context: string;
  /** `memory` (the in-memory ring, full resolution) or `store` (downsampled, 5-minute buckets). */
  source: 'memory' | 'store';
  resolutionSeconds: number;
  target: { kind: 'cluster' | 'node' | 'pod'; namespace?: string; name?: string };
  points: MetricsPoint[];
}

export interface MetricsStatus {
  context: string;
  available: boolean;
  reason?: string;
  apiGroup: string;
  sampling: boolean;
  intervalMs: number;
  lastSample?: string;
  lastError?: string;
  samples: number;
  ringCapacity: number;
  ringSize: number;
  storedBuckets: number;
}

/** Client → server on `/ws/metrics`. */
export type MetricsClientMessage =
  { action: 'subscribe'; interval?: number; namespace?: string } | { action: 'unsubscribe' };

/** Server → client on `/ws/metrics`: a snapshot per interval, or an error. */
export type MetricsServerMessage = MetricsSnapshot | { type: 'error'; error: { code: string; message: string } };
