// Memory over incidents: similar ones, learned patterns, trends, per-cluster figures, a timeline, OOM insights,
// a summary, and honest statistics-based predictions and anomalies from the metrics history. Pure functions over data.
import type {
  Anomaly,
  BrainSummary,
  ChangeRecord,
  ClusterLearning,
  CorrelationPattern,
  Incident,
  IncidentHistoryEntry,
  LearnedPattern,
  OomInsight,
  Prediction,
  Severity,
  SimilarIncident,
  TimelineEntry,
  TrendPoint,
} from '../../shared/incidents';
import { parseQuantity } from '../../shared/quantity';
import { formatMi, recommendMemory } from './fixes';

type Votes = Map<string, { helpful: number; wrong: number }>;
const SEV: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function similarIncidents(inc: Incident, all: Incident[], votes: Votes): SimilarIncident[] {
  const out: SimilarIncident[] = [];
  const v = votes.get(inc.signature);
  const trust = v ? (v.helpful + 1) / (v.helpful + v.wrong + 2) : 0.5;
  for (const o of all) {
    if (o.id === inc.id) continue;
    const sameWorkload =
      o.resource.kind === inc.resource.kind &&
      o.resource.name === inc.resource.name &&
      o.resource.namespace === inc.resource.namespace;
    const match: SimilarIncident['match'] | undefined =
      o.signature === inc.signature
        ? 'signature'
        : sameWorkload
          ? 'workload'
          : o.type === inc.type
            ? 'type'
            : undefined;
    if (!match) continue;
    const base = match === 'signature' ? 1 : match === 'workload' ? 0.7 : 0.4;
    const ageDays = (Date.now() - Date.parse(o.lastSeen)) / 86400_000;
    const score = Math.round(base * (0.5 + trust) * Math.exp(-ageDays / 30) * 1000) / 1000;
    const s: SimilarIncident = {
      id: o.id,
      context: o.context,
      type: o.type,
      title: o.title,
      status: o.status,
      firstSeen: o.firstSeen,
      match,
      score,
    };
    if (o.resolvedAt) s.resolvedAt = o.resolvedAt;
    out.push(s);
  }
  return out.sort((a, b) => b.score - a.score);
}

export function learnedPatterns(all: Incident[], votes: Votes): LearnedPattern[] {
  const groups = new Map<string, Incident[]>();
  for (const i of all) {
    const g = groups.get(i.signature);
    if (g) g.push(i);
    else groups.set(i.signature, [i]);
  }
  const out: LearnedPattern[] = [];
  for (const [sig, list] of groups) {
    const resolved = list.filter((i) => i.resolvedAt);
    const mttr = resolved.length
      ? resolved.reduce((s, i) => s + (Date.parse(i.resolvedAt!) - Date.parse(i.firstSeen)) / 1000, 0) / resolved.length
      : undefined;
    const occurrences = list.reduce((s, i) => s + Math.max(1, i.occurrences), 0);
    const v = votes.get(sig) ?? { helpful: 0, wrong: 0 };
    const p: LearnedPattern = {
      signature: sig,
      type: list[0].type,
      description: `${list[0].type.replace(/_/g, ' ')}${sig.split('|')[2] ? ` (${sig.split('|')[2]})` : ''} seen ${occurrences} time(s) across ${new Set(list.map((i) => `${i.resource.namespace}/${i.resource.name}`)).size} workload(s)`,
      occurrences,
      workloads: [...new Set(list.map((i) => `${i.resource.kind}/${i.resource.namespace ?? ''}/${i.resource.name}`))],
      namespaces: [...new Set(list.map((i) => i.resource.namespace).filter((x): x is string => !!x))],
      clusters: [...new Set(list.map((i) => i.context))],
      firstSeen: list.reduce((m, i) => (i.firstSeen < m ? i.firstSeen : m), list[0].firstSeen),
      lastSeen: list.reduce((m, i) => (i.lastSeen > m ? i.lastSeen : m), list[0].lastSeen),
      recurring: occurrences > 1,
      helpful: v.helpful,
      wrong: v.wrong,
    };
    if (mttr !== undefined) p.mttrSeconds = Math.round(mttr);
    out.push(p);
  }
  return out.sort((a, b) => b.occurrences - a.occurrences);
}

/** Open incidents sharing a cause: the same node, the same preceding change, the same namespace and type. */
export function correlationPatterns(open: Incident[]): CorrelationPattern[] {
  const out: CorrelationPattern[] = [];
  const add = (kind: CorrelationPattern['kind'], key: string, list: Incident[], description: string) => {
    if (list.length < 2) return;
    out.push({
      id: `${kind}:${key}`,
      kind,
      description,
      incidentIds: list.map((i) => i.id),
      severity: list.reduce<Severity>((m, i) => (SEV[i.severity] > SEV[m] ? i.severity : m), 'low'),
    });
  };
  const by = (f: (i: Incident) => string | undefined) => {
    const m = new Map<string, Incident[]>();
    for (const i of open) {
      const k = f(i);
      if (!k) continue;
      m.set(k, [...(m.get(k) ?? []), i]);
    }
    return m;
  };
  for (const [k, l] of by((i) => i.evidence.nodeName)) add('node', k, l, `${l.length} incidents involve node ${k}`);
  for (const [k, l] of by((i) => i.precedingChange?.id))
    add('change', k, l, `${l.length} incidents followed the change: ${l[0].precedingChange!.summary}`);
  for (const [k, l] of by((i) => (i.resource.namespace ? `${i.resource.namespace}|${i.type}` : undefined)))
    add(
      'namespace_type',
      k,
      l,
      `${l.length} ${l[0].type.replace(/_/g, ' ')} incidents in namespace ${l[0].resource.namespace}`,
    );
  for (const [k, l] of by((i) => i.signature))
    if (new Set(l.map((i) => i.resource.namespace)).size > 1)
      add(
        'signature',
        k,
        l,
        `the same failure (${k}) in ${new Set(l.map((i) => i.resource.namespace)).size} namespaces`,
      );
  return out.sort((a, b) => SEV[b.severity] - SEV[a.severity] || b.incidentIds.length - a.incidentIds.length);
}

export function trends(all: Incident[], days: number): TrendPoint[] {
  const out = new Map<string, TrendPoint>();
  const start = Date.now() - (days - 1) * 86400_000;
  for (let d = 0; d < days; d++) {
    const day = new Date(start + d * 86400_000).toISOString().slice(0, 10);
    out.set(day, { day, total: 0, byType: {}, byNamespace: {}, bySeverity: {} });
  }
  for (const i of all) {
    const p = out.get(i.firstSeen.slice(0, 10));
    if (!p) continue;
    p.total++;
    p.byType[i.type] = (p.byType[i.type] ?? 0) + 1;
    const ns = i.resource.namespace ?? '(cluster)';
    p.byNamespace[ns] = (p.byNamespace[ns] ?? 0) + 1;
    p.bySeverity[i.severity] = (p.bySeverity[i.severity] ?? 0) + 1;
  }
  return [...out.values()];
}

export function clusterLearning(all: Incident[]): ClusterLearning[] {
  const m = new Map<string, Incident[]>();
  for (const i of all) m.set(i.context, [...(m.get(i.context) ?? []), i]);
  return [...m.entries()].map(([context, list]) => {
    const types = new Map<string, number>();
    for (const i of list) types.set(i.type, (types.get(i.type) ?? 0) + 1);
    const resolved = list.filter((i) => i.resolvedAt);
    const c: ClusterLearning = {
      context,
      total: list.length,
      open: list.filter((i) => i.status === 'open').length,
      topTypes: [...types.entries()]
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 5),
      lastIncident: list.reduce((m2, i) => (i.lastSeen > m2 ? i.lastSeen : m2), ''),
    };
    if (resolved.length)
      c.mttrSeconds = Math.round(
        resolved.reduce((s, i) => s + (Date.parse(i.resolvedAt!) - Date.parse(i.firstSeen)) / 1000, 0) /
          resolved.length,
      );
    return c;
  });
}

export function timeline(
  incidents: Incident[],
  history: IncidentHistoryEntry[],
  changes: ChangeRecord[],
  events: Array<{
    time: string;
    reason: string;
    message: string;
    object: { kind: string; namespace?: string; name: string };
  }>,
  sinceIso: string,
): TimelineEntry[] {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const out: TimelineEntry[] = [];
  for (const h of history) {
    const i = byId.get(h.incidentId);
    if (!i || h.time < sinceIso) continue;
    if (h.event === 'opened' || h.event === 'reopened')
      out.push({
        time: h.time,
        kind: 'incident_opened',
        title: `${h.event === 'reopened' ? 'Reopened' : 'Opened'}: ${i.title}`,
        detail: h.detail,
        severity: i.severity,
        incidentId: i.id,
        object: i.resource,
      });
    else if (h.event === 'resolved')
      out.push({
        time: h.time,
        kind: 'incident_resolved',
        title: `Resolved: ${i.title}`,
        detail: h.detail,
        severity: i.severity,
        incidentId: i.id,
        object: i.resource,
      });
    else if (h.event === 'fix_applied')
      out.push({
        time: h.time,
        kind: 'fix',
        title: `Fix applied: ${i.title}`,
        detail: h.detail,
        incidentId: i.id,
        object: i.resource,
      });
    else if (h.event === 'fix_verified')
      out.push({
        time: h.time,
        kind: 'fix',
        title: `Fix verified: ${i.title}`,
        detail: h.detail,
        incidentId: i.id,
        object: i.resource,
      });
  }
  for (const c of changes)
    if (c.time >= sinceIso)
      out.push({
        time: c.time,
        kind: 'change',
        title: c.summary,
        object: { kind: c.kind, ...(c.namespace ? { namespace: c.namespace } : {}), name: c.name },
      });
  for (const e of events)
    if (e.time >= sinceIso)
      out.push({
        time: e.time,
        kind: 'event',
        title: `${e.reason}: ${e.object.kind} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name}`,
        detail: e.message,
        object: e.object,
      });
  return out.sort((a, b) => b.time.localeCompare(a.time));
}

export function oomInsights(incidents: Incident[]): OomInsight[] {
  const m = new Map<string, OomInsight>();
  for (const i of incidents) {
    if (i.type !== 'oom_killed' && i.evidence.terminationReason !== 'OOMKilled') continue;
    const c = i.evidence.containerName ?? '';
    const key = `${i.context}|${i.resource.kind}|${i.resource.namespace}|${i.resource.name}|${c}`;
    const limitBytes = parseQuantity(i.evidence.memoryLimit);
    const peak = i.evidence.observedPeakBytes;
    const prev = m.get(key);
    const kills = (prev?.oomKills ?? 0) + Math.max(1, i.evidence.restartCount ?? 1);
    const next = recommendMemory(limitBytes, peak);
    const ins: OomInsight = {
      workload: i.resource,
      container: c,
      oomKills: kills,
      recommendation:
        peak && Number.isFinite(limitBytes)
          ? `peak ${formatMi(peak)} vs limit ${formatMi(limitBytes)}: raise the limit to ${formatMi(next)} or fix the leak`
          : `OOMKilled ${kills} time(s)${i.evidence.memoryLimit ? ` at limit ${i.evidence.memoryLimit}` : ' without a memory limit (node memory)'}: raise the limit to ${formatMi(next)}`,
      recommendedLimit: formatMi(next),
      incidentId: i.id,
    };
    if (i.evidence.memoryLimit) ins.memoryLimit = i.evidence.memoryLimit;
    if (Number.isFinite(limitBytes)) ins.memoryLimitBytes = limitBytes;
    if (peak) ins.observedPeakBytes = peak;
    if (peak && Number.isFinite(limitBytes)) ins.peakToLimit = Math.round((peak / limitBytes) * 100) / 100;
    if (!prev || i.status === 'open') m.set(key, ins);
  }
  return [...m.values()].sort((a, b) => b.oomKills - a.oomKills);
}

export function brainSummary(context: string, open: Incident[], changes: ChangeRecord[]): BrainSummary {
  const by: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const i of open) by[i.severity]++;
  const score = Math.max(0, 100 - by.critical * 20 - by.high * 10 - by.medium * 4 - by.low * 1);
  const top = [...open].sort((a, b) => SEV[b.severity] - SEV[a.severity]).slice(0, 5);
  const text = open.length
    ? `${open.length} open incident(s): ${by.critical} critical, ${by.high} high, ${by.medium} medium, ${by.low} low. Most urgent: ${top[0].title}. ${changes.length ? `${changes.length} change(s) in the last 24h; latest: ${changes[0].summary}.` : 'No changes seen in the last 24h.'}`
    : `No open incidents. ${changes.length ? `${changes.length} change(s) in the last 24h.` : ''}`.trim();
  return {
    context,
    healthScore: score,
    open: open.length,
    bySeverity: by,
    topIssues: top.map((i) => ({ id: i.id, title: i.title, severity: i.severity })),
    recentChanges: changes.slice(0, 10),
    text,
  };
}

type Series = Array<{
  namespace: string;
  pod: string;
  container: string;
  points: Array<{ t: number; cpu: number; mem: number }>;
}>;

/** Least-squares slope (per ms) and intercept. */
function fit(points: Array<{ t: number; v: number }>): { slope: number; intercept: number } {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mv = points.reduce((s, p) => s + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  const slope = den ? num / den : 0;
  return { slope, intercept: mv - slope * mt };
}

/**
 * Predictions from trends, not models: a container whose memory grows linearly toward its limit, a workload whose
 * incidents recur. Each carries the evidence it rests on in its description.
 */
export function predictions(series: Series, limits: Map<string, number>, patterns: LearnedPattern[]): Prediction[] {
  const out: Prediction[] = [];
  for (const s of series) {
    if (s.points.length < 6) continue;
    const limit = limits.get(`${s.namespace}/${s.pod}/${s.container}`);
    if (!limit) continue;
    const pts = s.points.map((p) => ({ t: p.t, v: p.mem }));
    const { slope, intercept } = fit(pts);
    if (slope <= 0) continue;
    const last = pts[pts.length - 1];
    const eta = (limit - intercept) / slope;
    if (eta <= last.t || eta - last.t > 6 * 3600_000) continue;
    out.push({
      id: `mem:${s.namespace}/${s.pod}/${s.container}`,
      kind: 'memory_exhaustion',
      object: { kind: 'Pod', namespace: s.namespace, name: s.pod },
      container: s.container,
      description: `memory grows ${formatMi(slope * 60_000)}/min (now ${formatMi(last.v)}, limit ${formatMi(limit)}): OOM expected in ${Math.round((eta - last.t) / 60_000)} min if the trend holds`,
      eta: new Date(eta).toISOString(),
      confidence: Math.min(0.95, 0.4 + s.points.length / 100),
    });
  }
  for (const p of patterns) {
    if (!p.recurring || p.occurrences < 3) continue;
    out.push({
      id: `recur:${p.signature}`,
      kind: 'recurring_incident',
      object: { kind: 'Workload', name: p.workloads[0] ?? p.signature },
      description: `${p.description}; likely to recur`,
      confidence: Math.min(0.9, 0.3 + p.occurrences / 20),
    });
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}

/** How many samples of a container anomalies need before its mean and spread mean anything. */
export const ANOMALY_MIN_SAMPLES = 10;

/** Samples more than 3 standard deviations from a container's own mean. */
export function anomalies(series: Series): Anomaly[] {
  const out: Anomaly[] = [];
  for (const s of series) {
    if (s.points.length < ANOMALY_MIN_SAMPLES) continue;
    for (const metric of ['cpu', 'memory'] as const) {
      const vals = s.points.map((p) => (metric === 'cpu' ? p.cpu : p.mem));
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
      if (!sd) continue;
      s.points.forEach((p, i) => {
        const z = (vals[i] - mean) / sd;
        if (Math.abs(z) >= 3)
          out.push({
            time: new Date(p.t).toISOString(),
            object: { kind: 'Pod', namespace: s.namespace, name: s.pod },
            metric,
            value: vals[i],
            mean,
            zScore: Math.round(z * 100) / 100,
            description: `${s.container} ${metric} ${z > 0 ? 'spike' : 'drop'}: ${z.toFixed(1)}σ from its mean`,
          });
      });
    }
  }
  return out.sort((a, b) => b.time.localeCompare(a.time)).slice(0, 500);
}
