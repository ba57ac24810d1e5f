// Handlers of INCIDENT_ROUTES: incidents, fixes, auto-remediation, learning, brain, notifications, executions,
// backups; plus the `/api/execution/stream` WebSocket.
import type { SocketPeer } from '../../shared/socket';
import type { Handlers } from '../../shared/route';
import type { INCIDENT_ROUTES } from '../../shared/routes/incidents';
import type { ExecutionStreamMessage, IncidentType } from '../../shared/incidents';
import type { KubeEngine } from '../kube/engine';
import type { IncidentEngine } from '../incidents/engine';
import type { MetricsEngine } from '../metrics/engine';
import { KubeGrafStore, StoreError } from '../store/store';
import {
  ANOMALY_MIN_SAMPLES,
  anomalies,
  brainSummary,
  clusterLearning,
  correlationPatterns,
  learnedPatterns,
  oomInsights,
  predictions,
  similarIncidents,
  timeline,
  trends,
} from '../incidents/learning';
import { parseQuantity } from '../../shared/quantity';
import { ApiError, badRequest, notFound } from './errors';

export interface IncidentDeps {
  incidents: IncidentEngine;
  metrics?: MetricsEngine;
  store: KubeGrafStore;
  kube: KubeEngine;
}

type H = Handlers<typeof INCIDENT_ROUTES, IncidentDeps>;

const ctxOf = (d: IncidentDeps, c?: string) => c || d.kube.currentContext();

async function started(d: IncidentDeps, c?: string): Promise<string> {
  const context = ctxOf(d, c);
  if (!context) throw badRequest('no kubeconfig context: add a cluster first');
  await d.incidents.start(context);
  return context;
}

function storeError(e: unknown): never {
  if (e instanceof StoreError) throw e.code === 'notFound' ? notFound(e.message) : badRequest(e.message);
  throw e;
}

const idList = (p: { id?: string; ids?: string | string[] }): string[] => [
  ...(p.id ? [p.id] : []),
  ...(Array.isArray(p.ids) ? p.ids : p.ids ? [p.ids] : []),
];

export const INCIDENT_HANDLERS: Omit<H, 'execution.stream'> = {
  'incidents.list': async (p, d) => {
    const context = await started(d, p.context);
    return d.incidents.list({
      context,
      status: p.status,
      severity: p.severity,
      namespace: p.namespace || undefined,
      type: p.type,
    });
  },
  'incidents.summary': async (p, d) => {
    const context = await started(d, p.context);
    return { ...d.incidents.summary(context), context };
  },
  'incidents.patterns': async (p, d) => {
    const context = await started(d, p.context);
    return { patterns: correlationPatterns(d.incidents.list({ context }).incidents) };
  },
  'incidents.refresh': async (p, d) => d.incidents.refresh(await started(d, p.context)),
  'incidents.fixPreview': async (p, d) => {
    const inc = d.incidents.incident(p.incidentId);
    if (!inc) throw notFound(`no incident with id "${p.incidentId}"`);
    await d.incidents.start(inc.context);
    return d.incidents.previewFix(p.incidentId, p.fixId);
  },
  'incidents.fixApply': async (p, d) => {
    if (!p.confirm)
      throw badRequest(
        'applying a fix changes the cluster: preview it (POST /api/incidents/fix-preview), then send confirm:true',
      );
    if (p.undoExecutionId) return d.incidents.undo(p.undoExecutionId);
    const inc = d.incidents.incident(p.incidentId!);
    if (!inc) throw notFound(`no incident with id "${p.incidentId}"`);
    if (inc.status !== 'open')
      throw new ApiError('conflict', `incident ${inc.id} is already resolved (${inc.resolvedAt})`, 409);
    await d.incidents.start(inc.context);
    return d.incidents.applyFix(inc.id, p.fixId);
  },
  'incidents.remediation.status': async (_p, d) => d.incidents.remediationStatus(),
  'incidents.remediation.enable': async (p, d) => {
    const patch: Parameters<IncidentEngine['setPolicy']>[0] = { enabled: true };
    if (p.allowedActions) patch.allowedActions = p.allowedActions;
    if (p.namespaces) patch.namespaces = p.namespaces;
    if (p.protectedNamespaces) patch.protectedNamespaces = p.protectedNamespaces;
    if (p.maxActionsPerHour !== undefined) patch.maxActionsPerHour = p.maxActionsPerHour;
    if (p.minOpenSeconds !== undefined) patch.minOpenSeconds = p.minOpenSeconds;
    await d.incidents.setPolicy(patch);
    return d.incidents.remediationStatus();
  },
  'incidents.remediation.disable': async (_p, d) => {
    await d.incidents.setPolicy({ enabled: false });
    return d.incidents.remediationStatus();
  },
  'incidents.remediation.decisions': async (p, d) => ({ decisions: d.store.decisions(p.limit ?? 200) }),
  'incidents.learning.clusters': async (_p, d) => ({ clusters: clusterLearning(d.incidents.allIncidents()) }),
  'incidents.learning.patterns': async (_p, d) => ({
    patterns: learnedPatterns(d.incidents.allIncidents(), d.store.feedbackBySignature()),
  }),
  'incidents.learning.trends': async (p, d) => {
    const days = p.days ?? 14;
    return { days, trends: trends(d.incidents.allIncidents(), days) };
  },
  'incidents.learning.similar': async (p, d) => {
    const inc = d.incidents.incident(p.id);
    if (!inc) throw notFound(`no incident with id "${p.id}"`);
    return {
      incidentId: inc.id,
      similar: similarIncidents(inc, d.incidents.allIncidents(), d.store.feedbackBySignature()),
    };
  },
  'incidents.runbooks': async (p, d) => ({
    runbooks: p.type ? [d.incidents.runbook(p.type as IncidentType)] : d.incidents.runbooks(),
  }),
  'incidents.runbooks.edit': async (p, d) => {
    const type = p.type as IncidentType;
    if (p.reset) return d.incidents.resetRunbook(type);
    const cur = d.incidents.runbook(type);
    return d.incidents.editRunbook({
      type,
      title: p.title ?? cur.title,
      summary: p.summary ?? cur.summary,
      steps: p.steps ?? cur.steps,
      commands: p.commands ?? cur.commands,
    });
  },
  'incidents.feedback': async (p, d) =>
    d.incidents.feedback({
      incidentId: p.incidentId,
      verdict: p.verdict,
      ...(p.fixId ? { fixId: p.fixId } : {}),
      ...(p.comment ? { comment: p.comment } : {}),
    }),
  'incidents.get': async (p, d) => d.incidents.detail(p.id),
  // brain
  'brain.timeline': async (p, d) => {
    const context = await started(d, p.context);
    const hours = p.hours ?? 24;
    const since = new Date(Date.now() - hours * 3600_000).toISOString();
    const incidents = d.incidents.allIncidents().filter((i) => i.context === context);
    const w = d.incidents.watcher(context);
    const events = (w?.list('events') ?? [])
      .filter((e) => e.type === 'Warning')
      .map((e) => {
        const io = (e.involvedObject ?? {}) as { kind?: string; namespace?: string; name?: string };
        return {
          time: String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? ''),
          reason: String(e.reason ?? ''),
          message: String(e.message ?? ''),
          object: { kind: io.kind ?? '', ...(io.namespace ? { namespace: io.namespace } : {}), name: io.name ?? '' },
        };
      });
    return {
      context,
      hours,
      entries: timeline(
        incidents,
        d.store.historySince(since),
        d.incidents.changes(context, hours * 3600_000),
        events,
        since,
      ).slice(0, 2000),
    };
  },
  'brain.oomInsights': async (p, d) => {
    const context = await started(d, p.context);
    return { context, insights: oomInsights(d.incidents.allIncidents().filter((i) => i.context === context)) };
  },
  'brain.summary': async (p, d) => {
    const context = await started(d, p.context);
    return brainSummary(context, d.incidents.list({ context }).incidents, d.incidents.changes(context, 86400_000));
  },
  'brain.ml.timeline': async (p, d) => {
    const context = await started(d, p.context);
    return { context, anomalies: anomalies(d.metrics?.containerSeries(context) ?? []) };
  },
  'brain.ml.predictions': async (p, d) => {
    const context = await started(d, p.context);
    return {
      context,
      predictions: predictions(
        d.metrics?.containerSeries(context) ?? [],
        memoryLimits(d, context),
        learnedPatterns(d.incidents.allIncidents(), d.store.feedbackBySignature()),
      ),
      basis: basis(d, context),
    };
  },
  'brain.ml.summary': async (p, d) => {
    const context = await started(d, p.context);
    const series = d.metrics?.containerSeries(context) ?? [];
    const st = d.metrics?.status(context);
    return {
      context,
      predictions: predictions(
        series,
        memoryLimits(d, context),
        learnedPatterns(d.incidents.allIncidents(), d.store.feedbackBySignature()),
      ).length,
      anomalies: anomalies(series).length,
      metricsAvailable: st?.available ?? false,
      seriesAnalysed: series.length,
      samples: st?.ringSize ?? 0,
      intervalMs: st?.intervalMs ?? 0,
      minSamples: ANOMALY_MIN_SAMPLES,
      basis: basis(d, context),
    };
  },
  // notifications
  'notifications.list': async (p, d) => ({
    notifications: d.store.notifications({ filter: p.filter, limit: p.limit }),
    unread: d.store.unreadCount(),
  }),
  'notifications.markRead': async (p, d) => {
    const list = idList(p);
    const n = await d.store.markRead(list, p.read !== false);
    if (!n) throw notFound(`no notification with id ${list.join(', ')}`);
    return { ok: true, count: n };
  },
  'notifications.markAllRead': async (_p, d) => ({ ok: true, count: await d.store.markAllRead() }),
  'notifications.delete': async (p, d) => {
    const list = idList(p);
    const n = await d.store.deleteNotifications(list);
    if (!n) throw notFound(`no notification with id ${list.join(', ')}`);
    return { ok: true, count: n };
  },
  'notifications.unreadCount': async (_p, d) => ({ count: d.store.unreadCount() }),
  // executions
  'executions.list': async (p, d) => ({
    executions: d.incidents.executions.list({
      ...(p.context ? { context: p.context } : {}),
      ...(p.incidentId ? { incidentId: p.incidentId } : {}),
      limit: p.limit ?? 100,
    }),
  }),
  'executions.logs': async (p, d) => {
    const e = d.incidents.executions.get(p.id);
    if (!e) throw notFound(`no execution "${p.id}"`);
    return { id: e.id, status: e.status, output: e.output, summary: e.summary };
  },
  // backups
  'backup.status': async (_p, d) => d.store.backupStatus(),
  'backup.now': async (_p, d) => d.store.backupNow(),
  'backup.list': async (_p, d) => ({ backups: d.store.listBackups() }),
  'backup.restore': async (p, d) => {
    if (!p.confirm)
      throw badRequest('restoring replaces the whole database (it is backed up first): send confirm:true');
    try {
      return d.store.restoreBackup(p.name);
    } catch (e) {
      storeError(e);
    }
  },
};

function memoryLimits(d: IncidentDeps, context: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of d.incidents.watcher(context)?.list('pods') ?? []) {
    for (const c of (p.spec?.containers ?? []) as Array<{
      name: string;
      resources?: { limits?: { memory?: string } };
    }>) {
      const l = parseQuantity(c.resources?.limits?.memory);
      if (Number.isFinite(l)) m.set(`${p.metadata.namespace}/${p.metadata.name}/${c.name}`, l);
    }
  }
  return m;
}

function basis(d: IncidentDeps, context: string): string {
  const st = d.metrics?.status(context);
  return st?.available
    ? `linear trends and z-scores over ${st.ringSize} metrics samples per series, plus incident history`
    : `incident history only: ${st?.reason ?? 'the metrics engine is not running'}`;
}

/**
 * `/api/execution/stream`: sends a snapshot of recent executions (or the one asked for by `id`), then every
 * started/output/status message as it happens. The client may send `{"action":"subscribe","id":"exec-…"}` to narrow.
 */
export function executionStream(ws: SocketPeer, params: { id?: string }, deps: IncidentDeps): void {
  let only = params.id;
  const send = (m: ExecutionStreamMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const snapshot = () => {
    if (only) {
      const e = deps.incidents.executions.get(only);
      if (!e) send({ type: 'error', error: { code: 'notFound', message: `no execution "${only}"` } });
      else send({ type: 'snapshot', executions: [e] });
    } else send({ type: 'snapshot', executions: deps.incidents.executions.list({ limit: 20 }) });
  };
  snapshot();
  const off = deps.incidents.executions.events.on('message', (m) => {
    if (!only) return send(m);
    const id =
      m.type === 'started' ? m.execution.id : m.type === 'snapshot' || m.type === 'error' ? undefined : m.executionId;
    if (id === only) send(m);
  });
  ws.on('message', (raw) => {
    let msg: { action?: string; id?: string };
    try {
      msg = JSON.parse(String(raw)) as typeof msg;
    } catch {
      return send({
        type: 'error',
        error: { code: 'badRequest', message: 'messages must be JSON: {"action":"subscribe","id":"exec-…"}' },
      });
    }
    if (msg.action === 'subscribe') {
      only = typeof msg.id === 'string' && msg.id ? msg.id : undefined;
      snapshot();
    } else if (msg.action === 'unsubscribe') only = '__none__';
    else
      send({
        type: 'error',
        error: { code: 'badRequest', message: `unknown action "${String(msg.action)}" (subscribe, unsubscribe)` },
      });
  });
  ws.on('close', off);
  ws.on('error', off);
}
