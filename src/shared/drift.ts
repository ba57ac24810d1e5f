// Drift: what the cluster runs vs what was declared for it — the `kubectl apply` of record (the last-applied
// annotation), the Helm release manifest, or Argo CD's rendered Git state — field by field, with who changed each field
// and when (from managedFields). Shapes of GET /api/drift/analysis and GET /api/drift/diff.
import type { Finding } from './insights';

export const DRIFT_SOURCES = ['lastApplied', 'helmManifest', 'argocd'] as const;
export type DriftSource = (typeof DRIFT_SOURCES)[number];

export const DRIFT_SOURCE_TITLES: Record<DriftSource, string> = {
  lastApplied: 'kubectl apply',
  helmManifest: 'Helm',
  argocd: 'Argo CD',
};

/** One field whose live value differs from the declared one. */
export interface DriftField {
  /** `spec.replicas`, `spec.template.spec.containers[name=api].image`, `metadata.labels.tier`. */
  path: string;
  /** The declared value (absent: the source does not have the field, e.g. an element added by hand). */
  desired?: unknown;
  /** The live value (absent: removed from the live object). */
  live?: unknown;
  /** The field manager that owns the live value (`kubectl-edit`, `kubectl-scale`, `helm`, a controller). */
  manager?: string;
  /** `Update` or `Apply`, and the subresource (`scale`) when it wrote through one. */
  operation?: string;
  /** When that manager last wrote the object (its managedFields entry's time). */
  time?: string;
  /** The manager for people: `kubectl scale`, `kubectl edit`, `Helm`, `Argo CD`, `the HPA`. */
  by?: string;
}

const MANAGERS: Record<string, string> = {
  'kubectl-client-side-apply': 'kubectl apply',
  kubectl: 'kubectl',
  helm: 'Helm',
  'argocd-controller': 'Argo CD',
  'argocd-application-controller': 'Argo CD',
  'kube-controller-manager': 'a controller',
  kubegraf: 'KubeGraf',
};

/** A field manager as people say it: `kubectl-edit` → `kubectl edit`; kubectl through the scale subresource → `kubectl scale`. */
export function managerLabel(manager: string, subresource?: string): string {
  if (manager === 'kubectl' && subresource === 'scale') return 'kubectl scale';
  if (MANAGERS[manager]) return MANAGERS[manager];
  const m = /^kubectl-(.+)$/.exec(manager);
  return m ? `kubectl ${m[1]}` : manager;
}

export interface DriftObject {
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  source: DriftSource;
  /** What declared it: `kubectl apply`, the Helm release `shop/shop (revision 3)`, the Argo CD app `argocd/payments`. */
  owner: string;
  /** When the declared state was written (Helm's last deploy; Argo's last sync), when known. */
  declaredAt?: string;
  inSync: boolean;
  fields: DriftField[];
  /** Said when the fields could not be compared (argocd-server unreachable). */
  note?: string;
  /** The insight finding of a drifted object (its Revert fix goes through /api/insights/fix-preview and fix-apply). */
  finding?: Finding;
}

export interface DriftSourceCount {
  source: DriftSource;
  tracked: number;
  drifted: number;
}

export interface DriftReport {
  /** The drifted objects in the namespace (or all), with their fields. */
  drifted: DriftObject[];
  /** Tracked objects in scope (declared by at least one source). */
  total: number;
  message: string;
  /** Every tracked object in scope, in sync or not (fields only for the drifted ones). */
  objects: DriftObject[];
  bySource: DriftSourceCount[];
  /** Per namespace share of tracked objects in sync, 0–100. */
  scores: { cluster: number; namespaces: Record<string, number> };
  /** Argo CD applications out of sync with Git whose resources are in scope. */
  apps: Array<{ name: string; namespace: string; syncStatus: string; healthStatus: string }>;
  /** What could not be checked, said once (argocd-server unreachable…). */
  notes: string[];
}

export interface DriftDiff {
  kind: string;
  namespace?: string;
  name: string;
  source: DriftSource;
  owner: string;
  /** The declared manifest, as YAML. */
  desired: string;
  /** The live object, as YAML (server bookkeeping and status left out). */
  live: string;
  /** Unified diff of live (---) → live with the drift reverted (+++): only what differs from the declared state. */
  diff: string;
  fields: DriftField[];
}
