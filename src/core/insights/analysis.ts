// What an insight analysis gives the registry: its findings over the watch cache, its scores, and for a fixable finding
// the object the fix applies. The registry (registry.ts) runs the fix path every source shares: a server-side dry run
// diff and an access review first, then the apply as an execution with its undo.
import type { Finding, InsightSource } from '../../shared/insights';
import type { ApiDeps } from '../api/deps';
import type { KObject } from '../kube/descriptors';

export interface Scores {
  /** 0–100, higher is better. */
  cluster: number;
  /** Each namespace that was analysed, with or without findings. */
  namespaces: Record<string, number>;
}

export interface InsightAnalysis {
  source: InsightSource;
  /** The findings over the context's watch cache, in `namespace` (absent or '' = every namespace). */
  findings(deps: ApiDeps, context: string, namespace?: string): Promise<Finding[]>;
  /** The scores a page shows and the store keeps daily, from the findings of every namespace. */
  scores(findings: Finding[], namespaces: string[]): Scores;
  /**
   * The object the fix of a finding with `fix` applies. `live` is the finding's target read fresh from the server
   * (for a `patch` fix: return a changed copy of it; for a `create` fix: return the new object, `live` being the
   * target it protects). Throws a KubeError('invalid', …) when the finding no longer matches the object.
   */
  fixObject?(finding: Finding, live: KObject, deps: ApiDeps, context: string): KObject | Promise<KObject>;
}

/** A finding's id from its parts: stable across scans. */
export const findingId = (
  source: InsightSource,
  check: string,
  t: { kind: string; namespace?: string; name: string },
  container?: string,
): string => `${source}:${check}:${t.kind}:${t.namespace ?? ''}/${t.name}${container ? `:${container}` : ''}`;
