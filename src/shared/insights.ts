// Insights: findings of the analyses (security, cost, drift, continuity) in one shape, so that every page, the details
// drawer and the VS Code tree show them alike, and every fixable finding goes through one preview and apply path.
import type { ObjectRef } from './incidents';

export const INSIGHT_SOURCES = ['security', 'cost', 'drift', 'continuity'] as const;
export type InsightSource = (typeof INSIGHT_SOURCES)[number];

export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** A change that resolves a finding: a new version of the finding's target, or a new object (a PDB, a NetworkPolicy). */
export interface FindingFix {
  /** What the fix does, as the button's title and the execution's record say it: "Set runAsNonRoot on container api". */
  description: string;
  /** `patch` changes the target; `create` adds an object next to it. */
  type: 'patch' | 'create';
}

export interface Finding {
  /** Stable across scans (the same problem keeps its id): `source:check:Kind:namespace/name[:container]`. */
  id: string;
  source: InsightSource;
  /** The check's id, e.g. `runAsRoot`, `wildcardRole`, `singleReplica`. */
  check: string;
  /** The group of checks the page sections by, e.g. "Pod security", "RBAC", "Network", "Images". */
  family: string;
  severity: FindingSeverity;
  /** The object the finding is about: a workload (not its pods), a role, a namespace… */
  target: ObjectRef;
  container?: string;
  /** What is wrong, in a few words: "Runs as root". */
  title: string;
  /** Why it matters, in one sentence. */
  why: string;
  /** Present when KubeGraf can fix it (through POST /api/insights/fix-preview and fix-apply). */
  fix?: FindingFix;
}

/** A finding's fix before it is applied: the exact change validated by the server, and whether the user may make it. */
export interface InsightFixPreview {
  finding: Finding;
  /** The object after the fix, as YAML (what apply sends). */
  yaml: string;
  /** Unified diff of live vs after (empty before for a created object). */
  diff: string;
  /** The server's dry run accepted it. */
  validated: boolean;
  validationError?: string;
  allowed: boolean;
  /** Why not allowed. */
  reason?: string;
  permission: { verb: string; group: string; resource: string; namespace?: string; name?: string };
}

/** A day's score (0–100, higher is better) for the cluster (`namespace` absent) or one namespace. */
export interface ScorePoint {
  day: string;
  source: InsightSource;
  namespace?: string;
  score: number;
}
