// KubeGraf's local memory: incidents and their history, changes, notifications, executions, settings, feedback,
// remediation decisions, runbook edits and downsampled metrics, in one sql.js database in the data directory.
// Every write method resolves once the write is durable (see durableDb.ts): callers acknowledge after awaiting it.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type {
  BackupInfo,
  BackupStatus,
  ChangeRecord,
  Execution,
  Feedback,
  FixAction,
  FixTrackRecord,
  FixVerification,
  Incident,
  IncidentHistoryEntry,
  Notification,
  ObjectRef,
  RemediationDecision,
  Runbook,
} from '../../shared/incidents';
import { DurableDb, writeFileDurable, type DurableDbOptions, type Migration, type Row } from './durableDb';

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE incidents (id TEXT PRIMARY KEY, context TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
        signature TEXT NOT NULL, namespace TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, resolved_at TEXT, occurrences INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE INDEX incidents_status ON incidents(context, status);
      CREATE INDEX incidents_signature ON incidents(signature);
      CREATE TABLE incident_history (seq INTEGER PRIMARY KEY AUTOINCREMENT, incident_id TEXT NOT NULL, time TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL);
      CREATE INDEX incident_history_id ON incident_history(incident_id);
      CREATE TABLE notifications (id TEXT PRIMARY KEY, time TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL, message TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL, incident_id TEXT, context TEXT);
      CREATE INDEX notifications_time ON notifications(time);
      CREATE TABLE executions (id TEXT PRIMARY KEY, context TEXT NOT NULL, incident_id TEXT, started_at TEXT NOT NULL, status TEXT NOT NULL, json TEXT NOT NULL);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE feedback (seq INTEGER PRIMARY KEY AUTOINCREMENT, incident_id TEXT NOT NULL, signature TEXT NOT NULL, type TEXT NOT NULL,
        verdict TEXT NOT NULL, fix_id TEXT, action TEXT, comment TEXT, time TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE changes (id TEXT PRIMARY KEY, context TEXT NOT NULL, time TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT, name TEXT NOT NULL,
        category TEXT NOT NULL, summary TEXT NOT NULL);
      CREATE INDEX changes_time ON changes(context, time);
      CREATE TABLE decisions (id TEXT PRIMARY KEY, time TEXT NOT NULL, context TEXT NOT NULL, incident_id TEXT NOT NULL, json TEXT NOT NULL);
      CREATE TABLE runbooks (type TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE metrics_history (context TEXT NOT NULL, target TEXT NOT NULL, bucket TEXT NOT NULL, cpu_avg REAL NOT NULL, cpu_max REAL NOT NULL,
        mem_avg REAL NOT NULL, mem_max REAL NOT NULL, cpu_pct REAL, mem_pct REAL, samples INTEGER NOT NULL, PRIMARY KEY (context, target, bucket));
    `,
  },
  {
    // Verified fixes: what happened after each fix was applied (one row per execution).
    version: 3,
    sql: `
      CREATE TABLE fix_outcomes (execution_id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, context TEXT NOT NULL, incident_type TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL, applied_at TEXT NOT NULL, decided_at TEXT, json TEXT NOT NULL);
      CREATE INDEX fix_outcomes_incident ON fix_outcomes(incident_id);
      CREATE INDEX fix_outcomes_target ON fix_outcomes(context, target, action);
      CREATE INDEX fix_outcomes_type ON fix_outcomes(incident_type, action);
    `,
  },
  {
    // Connectors (their secrets live in the secret store, not here), every delivery attempt to them, and which open
    // incidents each has announced (or found open when it was made), so a restart re-sends nothing.
    version: 4,
    sql: `
      CREATE TABLE connectors (id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, enabled INTEGER NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, json TEXT NOT NULL);
      CREATE TABLE connector_deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, delivery_id TEXT NOT NULL,
        connector_id TEXT NOT NULL, time TEXT NOT NULL, event TEXT NOT NULL, subject_id TEXT NOT NULL, status TEXT NOT NULL,
        json TEXT NOT NULL, payload TEXT);
      CREATE INDEX connector_deliveries_connector ON connector_deliveries(connector_id, seq);
      CREATE INDEX connector_deliveries_subject ON connector_deliveries(connector_id, subject_id, seq);
      CREATE INDEX connector_deliveries_delivery ON connector_deliveries(delivery_id);
      CREATE TABLE connector_subjects (connector_id TEXT NOT NULL, subject_id TEXT NOT NULL, state TEXT NOT NULL,
        PRIMARY KEY (connector_id, subject_id));
    `,
  },
  {
    // Daily scores of the insight analyses (security, cost, drift, continuity); namespace '' is the whole cluster.
    version: 5,
    sql: `
      CREATE TABLE insight_scores (day TEXT NOT NULL, context TEXT NOT NULL, source TEXT NOT NULL, namespace TEXT NOT NULL,
        score REAL NOT NULL, PRIMARY KEY (context, source, namespace, day));
    `,
  },
];

/** How a fix target is keyed in fix_outcomes. */
export const targetKey = (t: ObjectRef): string => `${t.kind}/${t.namespace ?? ''}/${t.name}`;

export interface StoreOptions extends DurableDbOptions {
  /** Directory holding kubegraf.db, its log and backups/. Default: $KUBEGRAF_DATA_DIR or ~/.kubegraf. */
  dataDir?: string;
  fileName?: string;
}

export interface MetricsBucketRow {
  target: string;
  bucket: string;
  cpuAvg: number;
  cpuMax: number;
  memAvg: number;
  memMax: number;
  cpuPct: number | null;
  memPct: number | null;
  samples: number;
}

/** How many pre-restore safety copies are kept, apart from the user's `keep`. */
const PRE_RESTORE_KEEP = 3;
const BACKUP_RE = /^kubegraf-\d{8}T\d{9}Z(?:-[a-z0-9-]+)?\.db$/;

export function defaultDataDir(): string {
  return process.env.KUBEGRAF_DATA_DIR || join(homedir(), '.kubegraf');
}

const parse = <T>(r: Row | undefined): T | undefined => (r ? (JSON.parse(String(r.json)) as T) : undefined);

export class KubeGrafStore {
  private backupTimer?: NodeJS.Timeout;
  private closed = false;
  /** fixTrackRecords per incident type: read on every incident rebuild, changed only by a verdict. */
  private readonly tracks = new Map<string, Map<string, FixTrackRecord>>();
  private readonly notificationListeners = new Set<(n: Notification) => void>();

  private constructor(
    readonly db: DurableDb,
    readonly dataDir: string,
  ) {}

  static async open(o: StoreOptions = {}): Promise<KubeGrafStore> {
    const dir = o.dataDir ?? defaultDataDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const db = await DurableDb.open(join(dir, o.fileName ?? 'kubegraf.db'), MIGRATIONS, o);
    const s = new KubeGrafStore(db, dir);
    s.scheduleBackups();
    return s;
  }

  get corruption(): DurableDb['corruption'] {
    return this.db.corruption;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.backupTimer);
    await this.db.close();
  }

  /** For crash tests: drop everything in memory without a final snapshot, as a kill would. */
  abandon(): void {
    this.closed = true;
    clearTimeout(this.backupTimer);
    this.db.abandon();
  }

  // ---------------- settings ----------------

  getSetting<T>(key: string): T | undefined {
    const r = this.db.get('SELECT value FROM settings WHERE key = ?', [key]);
    return r ? (JSON.parse(String(r.value)) as T) : undefined;
  }

  setSetting(key: string, value: unknown): Promise<void> {
    return this.db.run('INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)', [key, JSON.stringify(value)]);
  }

  // ---------------- incidents ----------------

  saveIncident(i: Incident): Promise<void> {
    return this.db.run(
      'INSERT OR REPLACE INTO incidents(id, context, type, severity, status, signature, namespace, first_seen, last_seen, resolved_at, occurrences, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
      [
        i.id,
        i.context,
        i.type,
        i.severity,
        i.status,
        i.signature,
        i.resource.namespace,
        i.firstSeen,
        i.lastSeen,
        i.resolvedAt,
        i.occurrences,
        JSON.stringify(i),
      ],
    );
  }

  incident(id: string): Incident | undefined {
    return parse<Incident>(this.db.get('SELECT json FROM incidents WHERE id = ?', [id]));
  }

  incidents(q: { context?: string; status?: 'open' | 'resolved'; since?: string; limit?: number } = {}): Incident[] {
    const where: string[] = [];
    const p: Array<string | number> = [];
    if (q.context) {
      where.push('context = ?');
      p.push(q.context);
    }
    if (q.status) {
      where.push('status = ?');
      p.push(q.status);
    }
    if (q.since) {
      where.push('last_seen >= ?');
      p.push(q.since);
    }
    const sql = `SELECT json FROM incidents${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen DESC LIMIT ?`;
    p.push(q.limit ?? 10_000);
    return this.db.all(sql, p).map((r) => JSON.parse(String(r.json)) as Incident);
  }

  incidentsBySignature(signature: string): Incident[] {
    return this.db
      .all('SELECT json FROM incidents WHERE signature = ? ORDER BY last_seen DESC LIMIT 200', [signature])
      .map((r) => JSON.parse(String(r.json)) as Incident);
  }

  addHistory(e: IncidentHistoryEntry): Promise<void> {
    return this.db.run('INSERT INTO incident_history(incident_id, time, event, detail) VALUES (?,?,?,?)', [
      e.incidentId,
      e.time,
      e.event,
      e.detail,
    ]);
  }

  history(incidentId: string): IncidentHistoryEntry[] {
    return this.db
      .all('SELECT incident_id, time, event, detail FROM incident_history WHERE incident_id = ? ORDER BY seq', [
        incidentId,
      ])
      .map((r) => ({
        incidentId: String(r.incident_id),
        time: String(r.time),
        event: r.event as IncidentHistoryEntry['event'],
        detail: String(r.detail),
      }));
  }

  historySince(since: string): IncidentHistoryEntry[] {
    return this.db
      .all('SELECT incident_id, time, event, detail FROM incident_history WHERE time >= ? ORDER BY seq LIMIT 20000', [
        since,
      ])
      .map((r) => ({
        incidentId: String(r.incident_id),
        time: String(r.time),
        event: r.event as IncidentHistoryEntry['event'],
        detail: String(r.detail),
      }));
  }

  // ---------------- changes ----------------

  addChange(c: ChangeRecord): Promise<void> {
    return this.db.run(
      'INSERT OR REPLACE INTO changes(id, context, time, kind, namespace, name, category, summary) VALUES (?,?,?,?,?,?,?,?)',
      [c.id, c.context, c.time, c.kind, c.namespace, c.name, c.category, c.summary],
    );
  }

  changes(context: string, since: string, limit = 2000): ChangeRecord[] {
    return this.db
      .all('SELECT * FROM changes WHERE context = ? AND time >= ? ORDER BY time DESC LIMIT ?', [context, since, limit])
      .map((r) => ({
        id: String(r.id),
        context: String(r.context),
        time: String(r.time),
        kind: String(r.kind),
        ...(r.namespace ? { namespace: String(r.namespace) } : {}),
        name: String(r.name),
        category: r.category as ChangeRecord['category'],
        summary: String(r.summary),
      }));
  }

  // ---------------- notifications ----------------

  async addNotification(
    n: Omit<Notification, 'id' | 'time' | 'read'> & { id?: string; time?: string },
  ): Promise<Notification> {
    const full: Notification = {
      id: n.id ?? randomUUID(),
      time: n.time ?? new Date().toISOString(),
      read: false,
      severity: n.severity,
      title: n.title,
      message: n.message,
      source: n.source,
    };
    if (n.incidentId) full.incidentId = n.incidentId;
    if (n.context) full.context = n.context;
    await this.db.run(
      'INSERT OR REPLACE INTO notifications(id, time, severity, title, message, read, source, incident_id, context) VALUES (?,?,?,?,?,?,?,?,?)',
      [full.id, full.time, full.severity, full.title, full.message, 0, full.source, full.incidentId, full.context],
    );
    for (const fn of [...this.notificationListeners]) {
      try {
        fn(full);
      } catch {
        // A listener (a connector) failing must not fail the write it was told about.
      }
    }
    return full;
  }

  /** Every notification once it is stored (connectors send them on); returns the unsubscribe. */
  onNotification(fn: (n: Notification) => void): () => void {
    this.notificationListeners.add(fn);
    return () => this.notificationListeners.delete(fn);
  }

  notifications(q: { filter?: 'all' | 'unread' | 'read'; limit?: number } = {}): Notification[] {
    const where = q.filter === 'unread' ? ' WHERE read = 0' : q.filter === 'read' ? ' WHERE read = 1' : '';
    return this.db
      .all(`SELECT * FROM notifications${where} ORDER BY time DESC, rowid DESC LIMIT ?`, [q.limit ?? 500])
      .map((r) => {
        const n: Notification = {
          id: String(r.id),
          time: String(r.time),
          severity: r.severity as Notification['severity'],
          title: String(r.title),
          message: String(r.message),
          read: r.read === 1,
          source: String(r.source),
        };
        if (r.incident_id) n.incidentId = String(r.incident_id);
        if (r.context) n.context = String(r.context);
        return n;
      });
  }

  notification(id: string): Notification | undefined {
    return this.notifications({ limit: 100000 }).find((n) => n.id === id);
  }

  notificationExists(id: string): boolean {
    return !!this.db.get('SELECT 1 AS x FROM notifications WHERE id = ?', [id]);
  }

  async markRead(ids: string[], read = true): Promise<number> {
    const found = ids.filter((id) => this.notificationExists(id));
    await this.db.transaction(
      found.map((id) => ['UPDATE notifications SET read = ? WHERE id = ?', [read ? 1 : 0, id]]),
    );
    return found.length;
  }

  async markAllRead(): Promise<number> {
    const n = Number(this.db.get('SELECT count(*) AS n FROM notifications WHERE read = 0')?.n ?? 0);
    await this.db.run('UPDATE notifications SET read = 1 WHERE read = 0');
    return n;
  }

  async deleteNotifications(ids: string[]): Promise<number> {
    const found = ids.filter((id) => this.notificationExists(id));
    await this.db.transaction(found.map((id) => ['DELETE FROM notifications WHERE id = ?', [id]]));
    return found.length;
  }

  unreadCount(): number {
    return Number(this.db.get('SELECT count(*) AS n FROM notifications WHERE read = 0')?.n ?? 0);
  }

  // ---------------- executions ----------------

  saveExecution(e: Execution): Promise<void> {
    return this.db.run(
      'INSERT OR REPLACE INTO executions(id, context, incident_id, started_at, status, json) VALUES (?,?,?,?,?,?)',
      [e.id, e.context, e.incidentId, e.startedAt, e.status, JSON.stringify(e)],
    );
  }

  execution(id: string): Execution | undefined {
    return parse<Execution>(this.db.get('SELECT json FROM executions WHERE id = ?', [id]));
  }

  executions(q: { context?: string; incidentId?: string; limit?: number } = {}): Execution[] {
    const where: string[] = [];
    const p: Array<string | number> = [];
    if (q.context) {
      where.push('context = ?');
      p.push(q.context);
    }
    if (q.incidentId) {
      where.push('incident_id = ?');
      p.push(q.incidentId);
    }
    p.push(q.limit ?? 200);
    return this.db
      .all(
        `SELECT json FROM executions${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC LIMIT ?`,
        p,
      )
      .map((r) => JSON.parse(String(r.json)) as Execution);
  }

  // ---------------- feedback ----------------

  addFeedback(f: Feedback & { signature: string; type: string; action?: string }): Promise<void> {
    return this.db.run(
      'INSERT INTO feedback(incident_id, signature, type, verdict, fix_id, action, comment, time) VALUES (?,?,?,?,?,?,?,?)',
      [f.incidentId, f.signature, f.type, f.verdict, f.fixId, f.action, f.comment, f.time],
    );
  }

  /**
   * Per fix action for an incident type: helpful minus wrong votes, plus verified outcomes (resolved +1, did not help
   * -1, made worse -2): what the cluster showed counts at least as much as a vote.
   */
  fixScores(type: string): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.db.all(
      "SELECT action, sum(CASE verdict WHEN 'helpful' THEN 1 ELSE -1 END) AS s FROM feedback WHERE type = ? AND action IS NOT NULL GROUP BY action",
      [type],
    )) {
      m.set(String(r.action), Number(r.s));
    }
    for (const t of this.fixTrackRecords(type).values())
      m.set(t.action, (m.get(t.action) ?? 0) + t.resolved - t.didNotHelp - 2 * t.madeWorse);
    return m;
  }

  feedbackBySignature(): Map<string, { helpful: number; wrong: number }> {
    const m = new Map<string, { helpful: number; wrong: number }>();
    for (const r of this.db.all(
      "SELECT signature, sum(verdict = 'helpful') AS h, sum(verdict = 'wrong') AS w FROM feedback GROUP BY signature",
    )) {
      m.set(String(r.signature), { helpful: Number(r.h), wrong: Number(r.w) });
    }
    return m;
  }

  feedbackFor(incidentId: string): Feedback[] {
    return this.db.all('SELECT * FROM feedback WHERE incident_id = ? ORDER BY seq', [incidentId]).map((r) => {
      const f: Feedback = {
        incidentId: String(r.incident_id),
        verdict: r.verdict as Feedback['verdict'],
        time: String(r.time),
      };
      if (r.fix_id) f.fixId = String(r.fix_id);
      if (r.comment) f.comment = String(r.comment);
      return f;
    });
  }

  // ---------------- verified fixes ----------------

  saveFixOutcome(v: FixVerification): Promise<void> {
    this.tracks.clear();
    return this.db.run(
      'INSERT OR REPLACE INTO fix_outcomes(execution_id, incident_id, context, incident_type, action, target, outcome, applied_at, decided_at, json) VALUES (?,?,?,?,?,?,?,?,?,?)',
      [
        v.executionId,
        v.incidentId,
        v.context,
        v.incidentType,
        v.action,
        targetKey(v.target),
        v.outcome,
        v.appliedAt,
        v.decidedAt,
        JSON.stringify(v),
      ],
    );
  }

  fixOutcome(executionId: string): FixVerification | undefined {
    return parse<FixVerification>(this.db.get('SELECT json FROM fix_outcomes WHERE execution_id = ?', [executionId]));
  }

  /** Newest first. */
  fixOutcomes(
    q: {
      incidentId?: string;
      outcome?: FixVerification['outcome'];
      context?: string;
      target?: ObjectRef;
      action?: FixAction;
      limit?: number;
    } = {},
  ): FixVerification[] {
    const where: string[] = [];
    const p: Array<string | number> = [];
    if (q.incidentId) {
      where.push('incident_id = ?');
      p.push(q.incidentId);
    }
    if (q.outcome) {
      where.push('outcome = ?');
      p.push(q.outcome);
    }
    if (q.context) {
      where.push('context = ?');
      p.push(q.context);
    }
    if (q.target) {
      where.push('target = ?');
      p.push(targetKey(q.target));
    }
    if (q.action) {
      where.push('action = ?');
      p.push(q.action);
    }
    p.push(q.limit ?? 500);
    return this.db
      .all(
        `SELECT json FROM fix_outcomes${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY applied_at DESC LIMIT ?`,
        p,
      )
      .map((r) => JSON.parse(String(r.json)) as FixVerification);
  }

  /** Verified outcomes per fix action for an incident type: the learning engine's success rates. */
  fixTrackRecords(type: string): Map<string, FixTrackRecord> {
    const cached = this.tracks.get(type);
    if (cached) return cached;
    const m = new Map<string, FixTrackRecord>();
    this.tracks.set(type, m);
    const rows = this.db.all(
      "SELECT action, sum(outcome = 'resolved') AS ok, sum(outcome = 'did_not_help') AS no, sum(outcome = 'made_worse') AS worse FROM fix_outcomes WHERE incident_type = ? GROUP BY action",
      [type],
    );
    for (const r of rows) {
      const t: FixTrackRecord = {
        action: r.action as FixAction,
        resolved: Number(r.ok),
        didNotHelp: Number(r.no),
        madeWorse: Number(r.worse),
      };
      const n = t.resolved + t.didNotHelp + t.madeWorse;
      if (!n) continue;
      t.successRate = Math.round((t.resolved / n) * 100) / 100;
      m.set(t.action, t);
    }
    return m;
  }

  // ---------------- remediation decisions ----------------

  addDecision(d: RemediationDecision): Promise<void> {
    return this.db.run('INSERT INTO decisions(id, time, context, incident_id, json) VALUES (?,?,?,?,?)', [
      d.id,
      d.time,
      d.context,
      d.incidentId,
      JSON.stringify(d),
    ]);
  }

  decisions(limit = 200): RemediationDecision[] {
    return this.db
      .all('SELECT json FROM decisions ORDER BY time DESC, rowid DESC LIMIT ?', [limit])
      .map((r) => JSON.parse(String(r.json)) as RemediationDecision);
  }

  decisionCount(): number {
    return Number(this.db.get('SELECT count(*) AS n FROM decisions')?.n ?? 0);
  }

  // ---------------- runbooks ----------------

  runbookEdit(type: string): Runbook | undefined {
    return parse<Runbook>(this.db.get('SELECT json FROM runbooks WHERE type = ?', [type]));
  }

  runbookEdits(): Runbook[] {
    return this.db.all('SELECT json FROM runbooks').map((r) => JSON.parse(String(r.json)) as Runbook);
  }

  saveRunbook(r: Runbook): Promise<void> {
    return this.db.run('INSERT OR REPLACE INTO runbooks(type, json, updated_at) VALUES (?,?,?)', [
      r.type,
      JSON.stringify(r),
      r.updatedAt ?? new Date().toISOString(),
    ]);
  }

  resetRunbook(type: string): Promise<void> {
    return this.db.run('DELETE FROM runbooks WHERE type = ?', [type]);
  }

  // ---------------- insight scores ----------------

  /** Keeps a day's scores of an analysis (the latest of the day wins); namespace '' is the cluster. */
  saveScores(context: string, source: string, day: string, scores: Record<string, number>): Promise<void> {
    return this.db.transaction(
      Object.entries(scores).map(([ns, score]) => [
        'INSERT OR REPLACE INTO insight_scores(day, context, source, namespace, score) VALUES (?,?,?,?,?)',
        [day, context, source, ns, score],
      ]),
    );
  }

  /** Scores of an analysis from `sinceDay` on, oldest first; `namespace` narrows to it ('' = the cluster's). */
  scores(
    context: string,
    source: string,
    sinceDay: string,
    namespace?: string,
  ): Array<{ day: string; namespace: string; score: number }> {
    const rows = this.db.all(
      `SELECT day, namespace, score FROM insight_scores WHERE context = ? AND source = ? AND day >= ?${namespace === undefined ? '' : ' AND namespace = ?'} ORDER BY day, namespace`,
      namespace === undefined ? [context, source, sinceDay] : [context, source, sinceDay, namespace],
    );
    return rows.map((r) => ({ day: String(r.day), namespace: String(r.namespace), score: Number(r.score) }));
  }

  // ---------------- metrics history ----------------

  saveMetricsBuckets(context: string, rows: MetricsBucketRow[]): Promise<void> {
    return this.db.transaction(
      rows.map((r) => [
        'INSERT OR REPLACE INTO metrics_history(context, target, bucket, cpu_avg, cpu_max, mem_avg, mem_max, cpu_pct, mem_pct, samples) VALUES (?,?,?,?,?,?,?,?,?,?)',
        [context, r.target, r.bucket, r.cpuAvg, r.cpuMax, r.memAvg, r.memMax, r.cpuPct, r.memPct, r.samples],
      ]),
    );
  }

  metricsBuckets(context: string, target: string, since: string): MetricsBucketRow[] {
    return this.db
      .all('SELECT * FROM metrics_history WHERE context = ? AND target = ? AND bucket >= ? ORDER BY bucket', [
        context,
        target,
        since,
      ])
      .map((r) => ({
        target: String(r.target),
        bucket: String(r.bucket),
        cpuAvg: Number(r.cpu_avg),
        cpuMax: Number(r.cpu_max),
        memAvg: Number(r.mem_avg),
        memMax: Number(r.mem_max),
        cpuPct: r.cpu_pct === null ? null : Number(r.cpu_pct),
        memPct: r.mem_pct === null ? null : Number(r.mem_pct),
        samples: Number(r.samples),
      }));
  }

  /** Highest memory seen per target whose name starts with `prefix` (e.g. `container:ns/`), from stored buckets. */
  metricsPeaks(context: string, prefix: string, since: string): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.db.all(
      'SELECT target, max(mem_max) AS peak FROM metrics_history WHERE context = ? AND target >= ? AND target < ? AND bucket >= ? GROUP BY target',
      [context, prefix, `${prefix}\uffff`, since],
    )) {
      m.set(String(r.target), Number(r.peak));
    }
    return m;
  }

  metricsBucketCount(context: string): number {
    return Number(this.db.get('SELECT count(*) AS n FROM metrics_history WHERE context = ?', [context])?.n ?? 0);
  }

  pruneMetrics(before: string): Promise<void> {
    return this.db.run('DELETE FROM metrics_history WHERE bucket < ?', [before]);
  }

  // ---------------- backups ----------------

  get backupDir(): string {
    return join(this.dataDir, 'backups');
  }

  backupConfig(): { enabled: boolean; intervalHours: number; keep: number } {
    return {
      enabled: true,
      intervalHours: 24,
      keep: 10,
      ...(this.getSetting<{ enabled: boolean; intervalHours: number; keep: number }>('backup') ?? {}),
    };
  }

  private scheduleBackups(): void {
    clearTimeout(this.backupTimer);
    const cfg = this.backupConfig();
    if (!cfg.enabled || cfg.intervalHours <= 0) return;
    const last = this.listBackups()[0];
    const due = last ? Date.parse(last.createdAt) + cfg.intervalHours * 3600_000 - Date.now() : 60_000;
    this.backupTimer = setTimeout(
      () => {
        if (this.closed) return;
        try {
          this.backupNow('auto');
        } catch {
          // Reported through status (lastBackup stays old); the next interval tries again.
        }
        this.scheduleBackups();
      },
      Math.max(60_000, Math.min(due, 2 ** 31 - 1)),
    );
    this.backupTimer.unref();
  }

  /** Copies the whole database (every acknowledged write) into backups/, then keeps only the newest `keep`. */
  backupNow(tag?: 'auto' | 'pre-restore'): BackupInfo {
    mkdirSync(this.backupDir, { recursive: true, mode: 0o700 });
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.(\d{3})Z$/, '$1Z');
    const base = `kubegraf-${stamp}${tag ? `-${tag}` : ''}`;
    let name = `${base}.db`;
    for (let i = 2; existsSync(join(this.backupDir, name)); i++) name = `${base}-${i}.db`;
    const path = join(this.backupDir, name);
    writeFileDurable(path, this.db.export());
    // Safety copies made by restores are kept apart (the newest few), so restoring never pushes the user's own
    // backups out of their retention limit.
    const all = this.listBackups();
    const safety = all.filter((b) => b.name.includes('-pre-restore'));
    const own = all.filter((b) => !b.name.includes('-pre-restore'));
    for (const b of [...own.slice(Math.max(this.backupConfig().keep, 1)), ...safety.slice(PRE_RESTORE_KEEP)]) {
      try {
        unlinkSync(b.path);
      } catch {
        // Already gone.
      }
    }
    return this.info(name);
  }

  private info(name: string): BackupInfo {
    const path = join(this.backupDir, name);
    const st = statSync(path);
    return { name, path, sizeBytes: st.size, createdAt: st.mtime.toISOString() };
  }

  listBackups(): BackupInfo[] {
    if (!existsSync(this.backupDir)) return [];
    return readdirSync(this.backupDir)
      .filter((n) => BACKUP_RE.test(n))
      .map((n) => this.info(n))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.name < b.name ? 1 : -1));
  }

  /**
   * Replaces the database with a backup. The backup is checked completely (and migrated) in a copy first; only then
   * is the current database backed up (so the restore can be undone) and swapped out, atomically. A backup that
   * cannot be restored changes nothing and leaves no safety backup behind.
   */
  restoreBackup(name: string): { restored: BackupInfo; safetyBackup: BackupInfo } {
    if (basename(name) !== name || !BACKUP_RE.test(name))
      throw new StoreError('invalid', `"${name}" is not a backup name (see /api/database/backup/list)`);
    const path = join(this.backupDir, name);
    if (!existsSync(path)) throw new StoreError('notFound', `no backup named "${name}"`);
    const restored = this.info(name);
    let next: ReturnType<DurableDb['prepareReplacement']>;
    try {
      next = this.db.prepareReplacement(readFileSync(path));
    } catch (e) {
      throw new StoreError('invalid', `backup "${name}" cannot be restored: ${(e as Error).message}`);
    }
    let safetyBackup: BackupInfo;
    try {
      safetyBackup = this.backupNow('pre-restore');
      this.db.swapTo(next);
      this.tracks.clear();
    } catch (e) {
      next.close();
      throw e;
    }
    return { restored, safetyBackup };
  }

  backupStatus(): BackupStatus {
    const cfg = this.backupConfig();
    const list = this.listBackups();
    const s: BackupStatus = {
      enabled: cfg.enabled,
      intervalHours: cfg.intervalHours,
      keep: cfg.keep,
      directory: this.backupDir,
      databasePath: this.db.path,
      databaseSizeBytes: this.db.sizeBytes(),
      count: list.length,
      schemaVersion: this.db.schemaVersion,
    };
    if (list[0]) s.lastBackup = list[0];
    if (this.db.corruption) s.corruption = this.db.corruption;
    return s;
  }

  async setBackupConfig(c: Partial<{ enabled: boolean; intervalHours: number; keep: number }>): Promise<void> {
    await this.setSetting('backup', { ...this.backupConfig(), ...c });
    this.scheduleBackups();
  }
}

export class StoreError extends Error {
  constructor(
    readonly code: 'invalid' | 'notFound',
    message: string,
  ) {
    super(message);
  }
}
