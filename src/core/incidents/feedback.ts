// Feedback on an incident or one of its fixes: stored with the incident's signature (learning reads it), written to
// its history, and the fixes of open incidents of the same type re-ranked at once.
import type { Feedback } from '../../shared/incidents';
import { KubeError } from '../kube/errors';
import type { KubeGrafStore } from '../store/store';
import { recommendFixes } from './fixes';
import type { IncidentRecords } from './lifecycle';
import type { ContextWatcher } from './watcher';

export interface FeedbackHost {
  store: KubeGrafStore;
  records: IncidentRecords;
  watcher(context: string): ContextWatcher | undefined;
}

export async function recordFeedback(host: FeedbackHost, f: Omit<Feedback, 'time'>): Promise<Feedback> {
  const inc = host.records.incident(f.incidentId);
  if (!inc) throw new KubeError('notFound', `no incident with id "${f.incidentId}"`);
  const fix = f.fixId ? inc.recommendedFixes.find((x) => x.id === f.fixId || x.action === f.fixId) : undefined;
  if (f.fixId && !fix) throw new KubeError('notFound', `incident ${inc.id} has no fix "${f.fixId}"`);
  const full: Feedback = { ...f, time: new Date().toISOString() };
  await host.store.addFeedback({
    ...full,
    signature: inc.signature,
    type: inc.type,
    ...(fix ? { action: fix.action } : {}),
  });
  await host.store.addHistory({
    incidentId: inc.id,
    time: full.time,
    event: 'feedback',
    detail: `${f.verdict}${fix ? ` on fix ${fix.action}` : ''}${f.comment ? `: ${f.comment}` : ''}`,
  });
  // Re-rank the open incidents of this type now, so the feedback shows at once.
  const scores = host.store.fixScores(inc.type);
  for (const i of host.records.values()) {
    if (i.type !== inc.type) continue;
    const w = host.watcher(i.context);
    i.recommendedFixes =
      w && i.status === 'open'
        ? recommendFixes(i, w.view, scores, host.store.fixTrackRecords(i.type))
        : i.recommendedFixes
            .map((x) => ({
              ...x,
              score:
                Math.round((x.score + (x.action === fix?.action ? (f.verdict === 'helpful' ? 0.1 : -0.1) : 0)) * 100) /
                100,
            }))
            .sort((a, b) => b.score - a.score);
    await host.store.saveIncident(i);
  }
  return full;
}
