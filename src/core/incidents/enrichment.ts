// Enrichment: an incident built from what the detector found (merged evidence of every source, warning events, the
// change that preceded it, ranked fixes), then slower evidence added afterwards (container logs, memory peaks).
import type {
  ChangeRecord,
  Evidence,
  EvidenceEvent,
  Incident,
  IncidentType,
  RecommendedFix,
  Severity,
} from '../../shared/incidents';
import type { DaemonSet, Deployment, Pod, ReplicaSet, StatefulSet } from '../kube/objects';
import type { KubeEngine } from '../kube/engine';
import { maxSeverity, type LiveIncident } from './detector';
import { revisionsOf } from './fixes';
import type { IncidentRecords } from './lifecycle';
import type { Finding, WatchedKind } from './rules';
import type { ContextWatcher } from './watcher';

/** What the metrics engine tells incidents (peaks for OOM fixes and insights, series for predictions). */
export interface MetricsFacts {
  peakMemory(context: string, namespace: string, pods: string[], container: string): number | undefined;
  containerSeries(context: string): Array<{
    namespace: string;
    pod: string;
    container: string;
    points: Array<{ t: number; cpu: number; mem: number }>;
  }>;
}

const POD_TYPES = new Set<IncidentType>([
  'pod_crash_loop',
  'oom_killed',
  'image_pull_error',
  'invalid_image',
  'container_config_error',
  'container_create_error',
  'run_container_error',
  'lifecycle_hook_failed',
  'readiness_probe_failed',
  'high_restart_count',
  'pod_failed',
]);

/** The DTO from the live state: merged evidence of every source, root cause, preceding change, fixes. */
export function buildIncident(
  w: ContextWatcher,
  live: LiveIncident,
  prev: Incident | undefined,
  fixesFor: (inc: Incident) => RecommendedFix[],
): Incident {
  const findings = [...live.sources.values()];
  const f: Finding | undefined = findings[0];
  if (!f) {
    // Resolved: keep what we knew, mark the status.
    const r: Incident = prev ? { ...prev } : ({ id: live.id, context: w.context } as Incident);
    r.status = 'resolved';
    r.resolvedAt = new Date(live.resolvedAt ?? Date.now()).toISOString();
    r.lastSeen = new Date(live.lastSeen).toISOString();
    r.occurrences = live.occurrences;
    return r;
  }
  let severity: Severity = f.severity;
  const objects = new Map<string, { kind: string; namespace?: string; name: string }>();
  let restartCount: number | undefined;
  for (const x of findings) {
    severity = maxSeverity(severity, x.severity);
    for (const ob of x.evidence.objects ?? []) objects.set(`${ob.kind}/${ob.namespace ?? ''}/${ob.name}`, ob);
    if (x.evidence.restartCount !== undefined) restartCount = Math.max(restartCount ?? 0, x.evidence.restartCount);
  }
  const evidence: Evidence = {
    ...f.evidence,
    objects: [...objects.values()],
    events: prev?.status === 'open' ? (prev.evidence.events ?? []) : [],
    logs: prev?.status === 'open' ? (prev.evidence.logs ?? []) : [],
  } as Evidence;
  if (restartCount !== undefined) evidence.restartCount = restartCount;
  if (prev?.evidence.observedPeakBytes) evidence.observedPeakBytes = prev.evidence.observedPeakBytes;
  addEvents(w, evidence);
  const firstSeen =
    prev?.firstSeen && Date.parse(prev.firstSeen) < live.firstSeen
      ? prev.firstSeen
      : new Date(live.firstSeen).toISOString();
  const reopened = prev && prev.status === 'resolved';
  const inc: Incident = {
    id: live.id,
    context: w.context,
    type: f.type,
    severity,
    status: 'open',
    title:
      findings.length > 1 && f.subject.kind !== 'Pod'
        ? `${f.title.replace(/ in [^ ]+$/, '')}${f.title.includes(' in ') ? ` in ${f.subject.namespace}/${f.subject.name}` : ''}`
        : f.title,
    description: findings.length > 1 ? `${f.description} (${findings.length} objects affected)` : f.description,
    signature: signatureOf(f),
    resource: f.subject,
    evidence,
    rootCause: f.rootCause,
    recommendedFixes: [],
    firstSeen,
    lastSeen: new Date(live.lastSeen).toISOString(),
    occurrences: Math.max(live.occurrences, reopened ? (prev!.occurrences ?? 0) + 1 : (prev?.occurrences ?? 0)),
    timestamp: reopened || !prev ? new Date(live.lastSeen).toISOString() : prev.timestamp,
  };
  live.occurrences = inc.occurrences;
  if (prev?.fixVerification) inc.fixVerification = prev.fixVerification;
  const change = precedingChange(w, inc);
  if (change) {
    inc.precedingChange = change;
    if (change.category === 'rollout' || change.category === 'config')
      inc.rootCause += ` It started after a change: ${change.summary} (${change.time}).`;
  }
  inc.recommendedFixes = fixesFor(inc);
  return inc;
}

/** Warning events about the incident's objects, newest last, as evidence. */
function addEvents(w: ContextWatcher, ev: Evidence): void {
  const out: EvidenceEvent[] = [];
  for (const ob of ev.objects) {
    const kindId =
      ob.kind === 'Pod'
        ? 'pods'
        : ob.kind === 'Node'
          ? 'nodes'
          : ob.kind === 'Deployment'
            ? 'deployments'
            : ob.kind === 'PersistentVolumeClaim'
              ? 'persistentvolumeclaims'
              : ob.kind === 'Job'
                ? 'jobs'
                : ob.kind === 'HorizontalPodAutoscaler'
                  ? 'horizontalpodautoscalers'
                  : undefined;
    if (!kindId) continue;
    const o = w.view.get(kindId as WatchedKind, ob.namespace, ob.name);
    if (!o?.metadata.uid) continue;
    for (const e of w.view.eventsFor(o.metadata.uid)) {
      if (
        e.type !== 'Warning' &&
        !['Killing', 'BackOff', 'SuccessfulRescale', 'ScalingReplicaSet'].includes(String(e.reason))
      )
        continue;
      out.push({
        time: String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? ''),
        type: String(e.type),
        reason: String(e.reason),
        message: String(e.message ?? ''),
        ...(e.count ? { count: Number(e.count) } : {}),
        object: ob,
      });
    }
  }
  out.sort((a, b) => String(a.time).localeCompare(String(b.time)));
  // The same message from several pods or repeats is one line with a count, so distinct proof is not pushed out.
  const byText = new Map<string, EvidenceEvent>();
  for (const e of out) {
    const k = `${e.reason}|${e.message}`;
    const prev = byText.get(k);
    if (prev) {
      byText.delete(k);
      byText.set(k, { ...e, count: (prev.count ?? 1) + (e.count ?? 1) });
    } else byText.set(k, e);
  }
  const distinct = [...byText.values()];
  if (distinct.length) {
    ev.events = distinct.slice(-10);
    ev.lastEvent = out[out.length - 1].message;
  }
}

/** The most recent change before the incident that touches its workload, its config, or its node. */
function precedingChange(w: ContextWatcher, inc: Incident): ChangeRecord | undefined {
  const r = inc.resource;
  const first = Date.parse(inc.firstSeen);
  const related = new Set<string>([`${r.kind}/${r.namespace ?? ''}/${r.name}`]);
  if (inc.evidence.nodeName) related.add(`Node//${inc.evidence.nodeName}`);
  const wl: Deployment | StatefulSet | DaemonSet | undefined =
    r.kind === 'Deployment'
      ? w.view.get('deployments', r.namespace, r.name)
      : r.kind === 'StatefulSet'
        ? w.view.get('statefulsets', r.namespace, r.name)
        : r.kind === 'DaemonSet'
          ? w.view.get('daemonsets', r.namespace, r.name)
          : undefined;
  const spec =
    wl?.spec?.template?.spec ??
    (r.kind === 'Pod' ? (w.view.get('pods', r.namespace, r.name) as Pod | undefined)?.spec : undefined);
  if (spec) for (const ref of configRefs(spec)) related.add(`${ref.kind}/${r.namespace ?? ''}/${ref.name}`);
  for (let i = w.changes.length - 1; i >= 0; i--) {
    const c = w.changes[i];
    const t = Date.parse(c.time);
    if (t > first + 5000 || first - t > 3600_000) continue;
    if (related.has(`${c.kind}/${c.namespace ?? ''}/${c.name}`)) return c;
  }
  // Cold start: a deployment whose current revision is newer than its previous one changed at its RS's creation.
  if (wl && r.kind === 'Deployment') {
    const revs = revisionsOf(w.view, wl);
    if (revs.length >= 2) {
      const [cur, prev] = revs;
      const imgs = (o: ReplicaSet) =>
        (o.spec?.template?.spec?.containers ?? []).map((c) => `${c.name}=${c.image}`).join(', ');
      const t = cur.rs.metadata.creationTimestamp;
      if (t && Date.parse(t) <= first + 5000) {
        const same = imgs(cur.rs) === imgs(prev.rs);
        return {
          id: `chg-rev-${cur.rs.metadata.uid ?? cur.rs.metadata.name}`,
          context: w.context,
          time: t,
          kind: 'Deployment',
          namespace: r.namespace,
          name: r.name,
          category: 'rollout',
          summary: same
            ? `Deployment ${r.namespace}/${r.name} rollout to revision ${cur.revision} (pod template changed)`
            : `Deployment ${r.namespace}/${r.name} rollout to revision ${cur.revision}: ${imgs(prev.rs)} → ${imgs(cur.rs)}`,
        };
      }
    }
  }
  return undefined;
}

export function signatureOf(f: Pick<Finding, 'type' | 'evidence' | 'container'>): string {
  // Same failure anywhere: type, container name and the reason words, without names, numbers or hashes.
  const reason = (f.evidence.terminationReason ?? f.evidence.reason ?? '').replace(/[0-9a-f]{6,}|\d+/g, '#');
  return `${f.type}|${f.container ?? ''}|${reason}`;
}

function configRefs(spec: Pod['spec']): Array<{ kind: string; name: string }> {
  const out: Array<{ kind: string; name: string }> = [];
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])] as Array<{
    env?: Array<{ valueFrom?: { configMapKeyRef?: { name: string }; secretKeyRef?: { name: string } } }>;
    envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  }>) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) out.push({ kind: 'ConfigMap', name: e.valueFrom.configMapKeyRef.name });
      if (e.valueFrom?.secretKeyRef?.name) out.push({ kind: 'Secret', name: e.valueFrom.secretKeyRef.name });
    }
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name) out.push({ kind: 'ConfigMap', name: e.configMapRef.name });
      if (e.secretRef?.name) out.push({ kind: 'Secret', name: e.secretRef.name });
    }
  }
  for (const v of (spec?.volumes ?? []) as Array<{ configMap?: { name: string }; secret?: { secretName: string } }>) {
    if (v.configMap?.name) out.push({ kind: 'ConfigMap', name: v.configMap.name });
    if (v.secret?.secretName) out.push({ kind: 'Secret', name: v.secret.secretName });
  }
  return out;
}

export interface EnrichmentHost {
  kube: KubeEngine;
  metrics?: MetricsFacts;
  /** Read container logs as evidence (default true). */
  logs?: boolean;
  records: IncidentRecords;
  fixesFor(w: ContextWatcher, inc: Incident): RecommendedFix[];
}

/** Adds logs and memory peaks to open incidents, at most once every 10 s per incident. */
export class Enricher {
  private readonly enriching = new Map<string, number>();

  constructor(private readonly host: EnrichmentHost) {}

  /** Logs and metrics peaks: slower evidence, added after detection and throttled per incident. */
  async enrich(w: ContextWatcher, id: string): Promise<void> {
    const last = this.enriching.get(id) ?? 0;
    if (Date.now() - last < 10_000) return;
    this.enriching.set(id, Date.now());
    const inc = this.host.records.get(id);
    if (!inc || inc.status !== 'open') return;
    let changed = false;
    let fixes: Incident['recommendedFixes'] | undefined;
    const pods = inc.evidence.objects.filter((x) => x.kind === 'Pod').map((x) => x.name);
    if (inc.type === 'oom_killed' && this.host.metrics && inc.evidence.containerName && inc.resource.namespace) {
      const peak = this.host.metrics.peakMemory(w.context, inc.resource.namespace, pods, inc.evidence.containerName);
      if (peak && peak !== inc.evidence.observedPeakBytes) {
        inc.evidence.observedPeakBytes = peak;
        fixes = this.host.fixesFor(w, inc);
        changed = true;
      }
    }
    if (
      this.host.logs !== false &&
      POD_TYPES.has(inc.type) &&
      inc.evidence.podName &&
      inc.evidence.containerName &&
      inc.resource.namespace !== undefined
    ) {
      const previous = inc.type === 'pod_crash_loop' || inc.type === 'oom_killed' || inc.type === 'high_restart_count';
      try {
        const lines = await this.host.kube.actions(w.context).logs(
          {
            kind: 'pods',
            namespace: inc.evidence.namespace ?? inc.resource.namespace!,
            name: inc.evidence.podName,
            container: inc.evidence.containerName,
          },
          { tailLines: 20, previous },
        );
        if (lines.length) {
          inc.evidence.logs = [
            {
              pod: inc.evidence.podName,
              container: inc.evidence.containerName,
              previous,
              lines: lines.map((l) => l.text),
            },
          ];
          changed = true;
        }
      } catch {
        // No logs (container never started, or no permission): the other evidence stands.
      }
    }
    const cur = this.host.records.get(id);
    if (changed && cur && cur.status === 'open') {
      cur.evidence = {
        ...cur.evidence,
        logs: inc.evidence.logs,
        ...(inc.evidence.observedPeakBytes ? { observedPeakBytes: inc.evidence.observedPeakBytes } : {}),
      };
      if (fixes) cur.recommendedFixes = fixes;
      await this.host.records.saveUpdated(cur).catch(() => undefined);
    }
  }
}
