// The score cost and continuity give a namespace and the cluster: 100 less a weight per finding by its severity.
import type { Finding, FindingSeverity } from '../../shared/insights';
import type { Scores } from './analysis';

const WEIGHT: Record<FindingSeverity, number> = { critical: 20, high: 10, medium: 5, low: 2, info: 0 };

export function weightedScores(findings: Finding[], namespaces: string[]): Scores {
  const per: Record<string, number> = Object.fromEntries(namespaces.map((n) => [n, 100]));
  let cluster = 100;
  for (const f of findings) {
    cluster -= WEIGHT[f.severity];
    const ns = f.target.namespace ?? (f.target.kind === 'Namespace' ? f.target.name : undefined);
    if (ns) per[ns] = (per[ns] ?? 100) - WEIGHT[f.severity];
  }
  for (const k of Object.keys(per)) per[k] = Math.max(0, per[k]);
  return { cluster: Math.max(0, cluster), namespaces: per };
}
