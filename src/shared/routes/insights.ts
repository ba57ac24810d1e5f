// Insights across the analyses (security, cost, drift, continuity): their findings in one shape, filtered to an object
// for the details drawer and the VS Code tree; the fix of a finding previewed (server dry run, access review) and
// applied as an execution, as incident fixes are; and the scores kept daily for the trend.
import { z } from 'zod';
import { route } from '../route';
import type { Execution } from '../incidents';
import { INSIGHT_SOURCES, type Finding, type InsightFixPreview, type ScorePoint } from '../insights';
import { base, boolish, int, name, namespaceFilter, namespaceName } from './params';

const source = z.enum(INSIGHT_SOURCES);
const findingId = z.string().min(1).max(1200);

export const INSIGHT_ROUTES = {
  'insights.findings': route<{ context: string; findings: Finding[] }>()(
    'GET',
    '/api/insights/findings',
    'kube',
    'Findings of the analyses (security, cost, drift, continuity), of one source or all, optionally of one object',
    z.object({
      ...base,
      source: source.optional(),
      namespace: namespaceFilter,
      kind: z.string().min(1).max(100).optional(),
      name: name.optional(),
    }),
  ),
  'insights.fixPreview': route<InsightFixPreview>()(
    'POST',
    '/api/insights/fix-preview',
    'kube',
    "Preview a finding's fix: the object after it, the diff validated by a server dry run, and the permission",
    z.object({ ...base, findingId }),
    { role: 'viewer' },
  ),
  'insights.fixApply': route<Execution>()(
    'POST',
    '/api/insights/fix-apply',
    'kube',
    "Apply a finding's fix as an execution (undo through /api/incidents/fix-apply undoExecutionId); needs confirm:true",
    z.object({ ...base, findingId, confirm: boolish.optional() }),
  ),
  'insights.scores': route<{ context: string; source: Finding['source']; days: number; points: ScorePoint[] }>()(
    'GET',
    '/api/insights/scores',
    'kube',
    'Daily scores of an analysis for the cluster and each namespace (today included), oldest first',
    z.object({ ...base, source, days: int(1, 366).optional(), namespace: namespaceName.optional() }),
  ),
};
