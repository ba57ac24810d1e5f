// The security analysis as every face sees it: Pod Security Standards per namespace, the RBAC summary and the answer
// to "who can <verb> <resource>", beside the findings (src/shared/insights.ts) the analysis reports.

export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];

/** One workload that would be refused if its namespace enforced `level`. */
export interface PssViolation {
  kind: string;
  name: string;
  /** The strictest level the workload passes. */
  passes: PssLevel;
  /** What fails baseline (empty when it passes baseline). */
  baseline: string[];
  /** What fails restricted (beyond baseline). */
  restricted: string[];
}

export interface PssNamespace {
  namespace: string;
  /** The `pod-security.kubernetes.io/enforce` label; absent means the cluster default (privileged). */
  enforce?: PssLevel;
  audit?: PssLevel;
  warn?: PssLevel;
  workloads: number;
  /** Workloads passing each level. */
  passing: Record<PssLevel, number>;
  /** The strictest level every workload of the namespace passes: what could be enforced today. */
  couldEnforce: PssLevel;
  /** Workloads that fail restricted (and why), strictest failures first. */
  violations: PssViolation[];
}

export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
}

/** A subject and the bindings that grant it what was asked. */
export interface WhoCanSubject extends RbacSubject {
  via: Array<{
    binding: { kind: 'RoleBinding' | 'ClusterRoleBinding'; name: string; namespace?: string };
    role: { kind: 'Role' | 'ClusterRole'; name: string };
    /** The rule only covers these objects. */
    resourceNames?: string[];
  }>;
}

export interface WhoCanResult {
  verb: string;
  resource: string;
  /** The group the resource was asked in (`apps` for `deployments.apps`); absent: any group. */
  group?: string;
  /** Absent: cluster-wide (only ClusterRoleBindings grant it everywhere). */
  namespace?: string;
  subjects: WhoCanSubject[];
}

export interface RbacSummary {
  roles: number;
  clusterRoles: number;
  bindings: number;
  clusterBindings: number;
  /** Subjects bound to cluster-admin (or an equivalent `*` on `*`). */
  clusterAdmins: Array<RbacSubject & { binding: string }>;
  /** Subjects that can read Secrets, per namespace (cluster-wide readers count in every namespace). */
  secretReaders: Array<{ namespace: string; subjects: number }>;
  unusedRoles: Array<{ kind: 'Role' | 'ClusterRole'; name: string; namespace?: string }>;
}

/** Every check the security analysis runs, for the page's legend and filters. */
export interface SecurityCheckInfo {
  id: string;
  family: string;
  severity: string;
  title: string;
}
