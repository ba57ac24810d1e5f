// The life of an incident: opened, updated, resolved (and reopened), each step kept in memory, persisted with its
// history, announced as an event and, for serious incidents, as a notification. Also the queries over what is kept.
import type { Incident, IncidentList, IncidentSummary, RemediationDecision, Severity } from '../../shared/incidents';
import type { Emitter } from '../kube/emitter';
import type { KubeGrafStore } from '../store/store';

export type LifecycleStep = 'opened' | 'reopened' | 'updated' | 'resolved';

export interface IncidentEngineEvents extends Record<string, unknown> {
  incident: { what: LifecycleStep; incident: Incident };
  decision: RemediationDecision;
}

export interface IncidentQuery {
  context?: string;
  status?: 'open' | 'resolved' | 'all';
  severity?: Severity;
  namespace?: string;
  type?: string;
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

/** Every incident we know (open and resolved), by id, loaded from the store at start. */
export class IncidentRecords {
  private readonly records = new Map<string, Incident>();

  constructor(
    private readonly store: KubeGrafStore,
    private readonly events: Emitter<IncidentEngineEvents>,
  ) {
    for (const i of store.incidents({ limit: 5000 })) this.records.set(i.id, i);
  }

  get(id: string): Incident | undefined {
    return this.records.get(id);
  }

  set(id: string, inc: Incident): void {
    this.records.set(id, inc);
  }

  values(): IterableIterator<Incident> {
    return this.records.values();
  }

  /** Kept, announced, then saved with a history line. */
  async persist(inc: Incident, what: LifecycleStep, detail: string): Promise<void> {
    this.records.set(inc.id, inc);
    this.events.emit('incident', { what, incident: inc });
    await this.store.saveIncident(inc);
    await this.store.addHistory({ incidentId: inc.id, time: new Date().toISOString(), event: what, detail });
  }

  /** Kept, announced as updated, then saved (no history line: evidence and verdicts are not steps). */
  async saveUpdated(inc: Incident): Promise<void> {
    this.records.set(inc.id, inc);
    this.events.emit('incident', { what: 'updated', incident: inc });
    await this.store.saveIncident(inc);
  }

  /** A step the detector reported: persisted, and notified when the incident is critical or high. */
  changed(inc: Incident, what: LifecycleStep): void {
    const detail =
      what === 'resolved'
        ? 'the condition cleared'
        : what === 'updated'
          ? `${inc.evidence.reason ?? ''} ${inc.evidence.restartCount !== undefined ? `restarts=${inc.evidence.restartCount}` : ''}`.trim()
          : inc.rootCause;
    void this.persist(inc, what, detail).catch(() => undefined);
    if (what === 'opened' || what === 'reopened') {
      if (inc.severity === 'critical' || inc.severity === 'high') {
        void this.store
          .addNotification({
            severity: inc.severity,
            title: inc.title,
            message: inc.rootCause,
            source: 'incidents',
            incidentId: inc.id,
            context: inc.context,
          })
          .catch(() => undefined);
      }
    } else if (
      what === 'resolved' &&
      (inc.severity === 'critical' || inc.severity === 'high') &&
      inc.fixVerification?.outcome !== 'verifying'
    ) {
      // While a fix is being verified its verdict is the notification: a clear right after a fix may not last.
      void this.store
        .addNotification({
          severity: 'info',
          title: `Resolved: ${inc.title}`,
          message: 'The condition cleared by itself or after a fix.',
          source: 'incidents',
          incidentId: inc.id,
          context: inc.context,
        })
        .catch(() => undefined);
    }
  }

  /** Incidents stored as open that the cold scan of a context no longer finds: resolved while KubeGraf was away. */
  async resolveMissing(context: string, live: Set<string>): Promise<void> {
    for (const i of [...this.records.values()]) {
      if (i.context === context && i.status === 'open' && !live.has(i.id)) {
        i.status = 'resolved';
        i.resolvedAt = new Date().toISOString();
        await this.persist(i, 'resolved', 'no longer detected when KubeGraf started');
      }
    }
  }

  /** From memory, else from the store (older resolved incidents). */
  incident(id: string): Incident | undefined {
    return this.records.get(id) ?? this.store.incident(id);
  }

  /** A context's incidents, filtered, most severe and most recent first, with the summary of all of them. */
  list(context: string, q: IncidentQuery, synced: boolean): IncidentList {
    const all = [...this.records.values()].filter((i) => i.context === context);
    const status = q.status ?? 'open';
    const incidents = all
      .filter(
        (i) =>
          (status === 'all' || i.status === status) &&
          (!q.severity || i.severity === q.severity) &&
          (!q.namespace || i.resource.namespace === q.namespace) &&
          (!q.type || i.type === q.type),
      )
      .sort(
        (a, b) =>
          SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.lastSeen.localeCompare(a.lastSeen),
      );
    return { incidents, summary: summarize(all), synced, context };
  }

  summary(context: string): IncidentSummary {
    return summarize([...this.records.values()].filter((i) => i.context === context));
  }

  /** Everything: the store's incidents with the ones in memory over them. */
  all(): Incident[] {
    const m = new Map<string, Incident>();
    for (const i of this.store.incidents({ limit: 20000 })) m.set(i.id, i);
    for (const i of this.records.values()) m.set(i.id, i);
    return [...m.values()];
  }
}

export function summarize(all: Incident[]): IncidentSummary {
  const s: IncidentSummary = {
    total: 0,
    open: 0,
    resolved: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    byType: {},
    byNamespace: {},
  };
  for (const i of all) {
    if (i.status === 'resolved') {
      s.resolved++;
      continue;
    }
    s.open++;
    s.total++;
    s.bySeverity[i.severity]++;
    s.byType[i.type] = (s.byType[i.type] ?? 0) + 1;
    const ns = i.resource.namespace ?? '(cluster)';
    s.byNamespace[ns] = (s.byNamespace[ns] ?? 0) + 1;
  }
  return s;
}
