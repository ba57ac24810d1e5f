// Handlers of the insight routes: findings of every analysis, a finding's fix previewed and applied, daily scores.
import type { Handlers } from '../../shared/route';
import type { INSIGHT_ROUTES } from '../../shared/routes/insights';
import { applyInsightFix, insightFindings, insightScores, previewInsightFix } from '../insights/registry';
import type { ApiDeps } from './deps';

export const INSIGHT_HANDLERS: Handlers<typeof INSIGHT_ROUTES, ApiDeps> = {
  'insights.findings': (p, d) => insightFindings(d, p),
  'insights.fixPreview': (p, d) => previewInsightFix(d, p),
  'insights.fixApply': (p, d) => applyInsightFix(d, p),
  'insights.scores': (p, d) => insightScores(d, p),
};
