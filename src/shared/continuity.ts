// Business continuity: what one lost pod, node or zone, one drain, or one deleted volume would take down, and whether
// the data has a recent backup. The wire shape of `GET /api/continuity/summary` (its first keys are the original
// summary's).
import type { Finding } from './insights';

/** A Deployment or StatefulSet as continuity sees it. */
export interface ContinuityWorkload {
  kind: string;
  namespace: string;
  name: string;
  replicas: number;
  /** Distinct nodes and zones its running pods are on. */
  nodes: number;
  zones: number;
  /** A PodDisruptionBudget selects its pods. */
  pdb: boolean;
  /** The PDB's name and how many disruptions it allows now. */
  pdbName?: string;
  disruptionsAllowed?: number;
  /** Pod anti-affinity or topology spread constraints in its template. */
  spread: boolean;
  /** Bound PersistentVolumeClaims its pods mount. */
  volumes: string[];
}

export interface VolumeRisk {
  pv: string;
  claim: { namespace: string; name: string };
  reclaimPolicy: string;
  storageClass?: string;
  capacity?: string;
}

export interface VeleroBackup {
  name: string;
  namespace: string;
  schedule?: string;
  phase: string;
  includedNamespaces: string[];
  excludedNamespaces: string[];
  started?: string;
  completed?: string;
  expiration?: string;
  errors?: number;
  warnings?: number;
}

export interface VeleroSchedule {
  name: string;
  namespace: string;
  schedule: string;
  paused: boolean;
  includedNamespaces: string[];
  excludedNamespaces: string[];
  ttl?: string;
  lastBackup?: string;
}

/** A namespace holding data, and its last successful backup. */
export interface NamespaceBackup {
  namespace: string;
  /** Bound claims in the namespace. */
  claims: number;
  schedules: string[];
  lastSuccess?: { backup: string; completed: string };
  /** Hours since the last successful backup; absent when there is none. */
  ageHours?: number;
  lastAttempt?: { backup: string; phase: string; at?: string };
}

export interface ContinuitySummary {
  workloads: number;
  /** 0–100: the share of workloads without an availability, disruption or placement risk. */
  score: number;
  singleReplica: ContinuityWorkload[];
  singleNode: ContinuityWorkload[];
  withoutPdb: ContinuityWorkload[];
  /** Every workload analysed. */
  rows: ContinuityWorkload[];
  findings: Finding[];
  /** Zones the cluster's nodes are in. */
  zones: string[];
  volumes: { deleteReclaim: VolumeRisk[]; boundClaims: number; snapshotClasses: string[] };
  backups: {
    /** Velero's CRDs are served. */
    velero: boolean;
    schedules: VeleroSchedule[];
    /** Newest first. */
    recent: VeleroBackup[];
    namespaces: NamespaceBackup[];
    /** Hours a namespace with data may go without a successful backup. */
    maxAgeHours: number;
  };
}
