// Routes of the incident engine and its memory: incidents, fixes, auto-remediation, learning, the brain views,
// notifications, executions (and their stream) and database backups.
import { z } from 'zod';
import { route } from '../route';
import type {
  Anomaly,
  BackupInfo,
  BackupStatus,
  BrainSummary,
  ClusterLearning,
  CorrelationPattern,
  Execution,
  Feedback,
  FixPreview,
  IncidentDetail,
  IncidentList,
  IncidentSummary,
  LearnedPattern,
  Notification,
  OomInsight,
  Prediction,
  RemediationDecision,
  RemediationStatus,
  Runbook,
  SimilarIncident,
  TimelineEntry,
  TrendPoint,
} from '../incidents';
import { base, boolish, int, namespaceFilter } from './params';

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, 'must be an id (letters, digits, ".", "_", ":", "-")');
const severity = z.enum(['critical', 'high', 'medium', 'low']);
const fixAction = z.enum([
  'increase_memory_limit',
  'rollback',
  'fix_image_tag',
  'scale',
  'restart',
  'delete_pod',
  'cordon_node',
  'resume_cronjob',
  'raise_hpa_max',
]);
const incidentType = z.string().regex(/^[a-z_]{3,40}$/, 'must be an incident type such as pod_crash_loop');
const ids = z.union([id, z.array(id).min(1).max(1000)]).optional();
const ctx = z.object({ ...base });

export interface Ok {
  ok: true;
  count?: number;
}

export const INCIDENT_ROUTES = {
  'incidents.list': route<IncidentList>()(
    'GET',
    '/api/incidents/v2',
    'incidents',
    'List incidents with evidence, root cause and fixes',
    z.object({
      ...base,
      status: z.enum(['open', 'resolved', 'all']).optional(),
      severity: severity.optional(),
      namespace: namespaceFilter,
      type: incidentType.optional(),
    }),
  ),
  'incidents.summary': route<IncidentSummary & { context: string }>()(
    'GET',
    '/api/incidents/summary',
    'incidents',
    'Get incident statistics',
    ctx,
  ),
  'incidents.patterns': route<{ patterns: CorrelationPattern[] }>()(
    'GET',
    '/api/incidents/patterns',
    'incidents',
    'Open incidents sharing a cause (node, change, namespace)',
    ctx,
  ),
  'incidents.refresh': route<IncidentList>()(
    'POST',
    '/api/incidents/refresh',
    'incidents',
    'Force incident scan (of the watch cache)',
    ctx,
  ),
  'incidents.fixPreview': route<FixPreview>()(
    'POST',
    '/api/incidents/fix-preview',
    'incidents',
    'Preview a recommended fix: exact diff, server dry run, permission',
    z.object({ incidentId: id, fixId: z.string().max(600).optional() }),
    { role: 'viewer' },
  ),
  'incidents.fixApply': route<Execution>()(
    'POST',
    '/api/incidents/fix-apply',
    'incidents',
    'Apply a recommended fix (or undo an execution) as an execution; needs confirm:true',
    z
      .object({
        incidentId: id.optional(),
        fixId: z.string().max(600).optional(),
        undoExecutionId: id.optional(),
        confirm: boolish.optional(),
      })
      .refine((p) => p.incidentId || p.undoExecutionId, 'give incidentId (and fixId), or undoExecutionId'),
  ),
  'incidents.remediation.status': route<RemediationStatus>()(
    'GET',
    '/api/incidents/auto-remediation/status',
    'incidents',
    'Get auto-remediation status and policy',
    z.object({}),
  ),
  'incidents.remediation.enable': route<RemediationStatus>()(
    'POST',
    '/api/incidents/auto-remediation/enable',
    'incidents',
    'Enable auto-remediation (optionally setting the policy)',
    z.object({
      allowedActions: z.array(fixAction).max(20).optional(),
      namespaces: z.array(z.string().max(63)).max(200).optional(),
      protectedNamespaces: z.array(z.string().max(63)).max(200).optional(),
      maxActionsPerHour: int(0, 1000).optional(),
      minOpenSeconds: int(0, 86_400).optional(),
    }),
    { role: 'admin' },
  ),
  'incidents.remediation.disable': route<RemediationStatus>()(
    'POST',
    '/api/incidents/auto-remediation/disable',
    'incidents',
    'Disable auto-remediation',
    z.object({}),
    { role: 'admin' },
  ),
  'incidents.remediation.decisions': route<{ decisions: RemediationDecision[] }>()(
    'GET',
    '/api/incidents/auto-remediation/decisions',
    'incidents',
    'Get remediation decisions (taken and declined, with reasons)',
    z.object({ limit: int(1, 5000).optional() }),
  ),
  'incidents.learning.clusters': route<{ clusters: ClusterLearning[] }>()(
    'GET',
    '/api/incidents/learning/clusters',
    'incidents',
    'Incident figures per cluster',
    z.object({}),
  ),
  'incidents.learning.patterns': route<{ patterns: LearnedPattern[] }>()(
    'GET',
    '/api/incidents/learning/patterns',
    'incidents',
    'Learned patterns (same signature over time, workloads and clusters)',
    z.object({}),
  ),
  'incidents.learning.trends': route<{ days: number; trends: TrendPoint[] }>()(
    'GET',
    '/api/incidents/learning/trends',
    'incidents',
    'Incident trends per day, type and namespace',
    z.object({ days: int(1, 365).optional() }),
  ),
  'incidents.learning.similar': route<{ incidentId: string; similar: SimilarIncident[] }>()(
    'GET',
    '/api/incidents/learning/similar',
    'incidents',
    'Find similar incidents',
    z.object({ id }),
  ),
  'incidents.runbooks': route<{ runbooks: Runbook[] }>()(
    'GET',
    '/api/incidents/runbooks',
    'incidents',
    'Get runbooks (shipped, with user edits)',
    z.object({ type: incidentType.optional() }),
  ),
  'incidents.runbooks.edit': route<Runbook>()(
    'PUT',
    '/api/incidents/runbooks',
    'incidents',
    'Edit a runbook, or reset it to the shipped text (reset:true)',
    z.object({
      type: incidentType,
      reset: boolish.optional(),
      title: z.string().min(1).max(200).optional(),
      summary: z.string().max(4000).optional(),
      steps: z.array(z.string().max(2000)).max(100).optional(),
      commands: z.array(z.string().max(2000)).max(100).optional(),
    }),
  ),
  'incidents.feedback': route<Feedback>()(
    'POST',
    '/api/incidents/feedback',
    'incidents',
    'Submit incident feedback (helpful / wrong), which changes fix ranking',
    z.object({
      incidentId: id,
      verdict: z.enum(['helpful', 'wrong']),
      fixId: z.string().max(600).optional(),
      comment: z.string().max(4000).optional(),
    }),
    { role: 'viewer' },
  ),
  // brain
  'brain.timeline': route<{ context: string; hours: number; entries: TimelineEntry[] }>()(
    'GET',
    '/api/brain/timeline',
    'incidents',
    'Timeline of incidents, changes and warning events',
    z.object({ ...base, hours: int(1, 24 * 30).optional() }),
  ),
  'brain.oomInsights': route<{ context: string; insights: OomInsight[] }>()(
    'GET',
    '/api/brain/oom-insights',
    'incidents',
    'OOM insights: peak vs limit per workload',
    ctx,
  ),
  'brain.summary': route<BrainSummary>()('GET', '/api/brain/summary', 'incidents', 'Get brain summary', ctx),
  'brain.ml.timeline': route<{ context: string; anomalies: Anomaly[] }>()(
    'GET',
    '/api/brain/ml/timeline',
    'incidents',
    'Statistical anomalies (z-score) in the metrics history',
    ctx,
  ),
  'brain.ml.predictions': route<{ context: string; predictions: Prediction[]; basis: string }>()(
    'GET',
    '/api/brain/ml/predictions',
    'incidents',
    'Trend-based predictions (memory exhaustion, recurring incidents)',
    ctx,
  ),
  'brain.ml.summary': route<{
    context: string;
    predictions: number;
    anomalies: number;
    metricsAvailable: boolean;
    seriesAnalysed: number;
    /** Metrics samples held so far (the memory ring), one every `intervalMs`; anomalies need `minSamples`. */
    samples: number;
    intervalMs: number;
    minSamples: number;
    basis: string;
  }>()('GET', '/api/brain/ml/summary', 'incidents', 'ML summary', ctx),
  // notifications
  'notifications.list': route<{ notifications: Notification[]; unread: number }>()(
    'GET',
    '/api/notifications',
    'store',
    'List notifications',
    z.object({ filter: z.enum(['all', 'unread', 'read']).optional(), limit: int(1, 5000).optional() }),
  ),
  'notifications.markRead': route<Ok>()(
    'POST',
    '/api/notifications/mark-read',
    'store',
    'Mark as read (id or ids; read:false marks unread)',
    z.object({ id: id.optional(), ids, read: boolish.optional() }).refine((p) => p.id || p.ids, 'give id or ids'),
    { role: 'viewer' },
  ),
  'notifications.markAllRead': route<Ok>()(
    'POST',
    '/api/notifications/mark-all-read',
    'store',
    'Mark all as read',
    z.object({}),
    { role: 'viewer' },
  ),
  'notifications.delete': route<Ok>()(
    'DELETE',
    '/api/notifications/delete',
    'store',
    'Delete notification(s)',
    z.object({ id: id.optional(), ids }).refine((p) => p.id || p.ids, 'give id or ids'),
  ),
  'notifications.unreadCount': route<{ count: number }>()(
    'GET',
    '/api/notifications/unread-count',
    'store',
    'Get unread count',
    z.object({}),
  ),
  // executions
  'executions.list': route<{ executions: Execution[] }>()(
    'GET',
    '/api/executions',
    'incidents',
    'List executions (fixes applied, with output and undo info)',
    z.object({ ...base, incidentId: id.optional(), limit: int(1, 1000).optional() }),
  ),
  'executions.logs': route<{
    id: string;
    status: Execution['status'];
    output: Execution['output'];
    summary: Execution['summary'];
  }>()('GET', '/api/executions/logs', 'incidents', 'Get execution logs', z.object({ id })),
  'execution.stream': route<never>()(
    'WS',
    '/api/execution/stream',
    'incidents',
    'Stream execution output (snapshot, started, output, status messages)',
    z.object({ id: id.optional() }),
    { role: 'viewer' },
  ),
  // database backups
  'backup.status': route<BackupStatus>()(
    'GET',
    '/api/database/backup/status',
    'store',
    'Get backup status',
    z.object({}),
  ),
  'backup.now': route<BackupInfo>()('POST', '/api/database/backup/now', 'store', 'Trigger backup', z.object({}), {
    role: 'admin',
  }),
  'backup.list': route<{ backups: BackupInfo[] }>()(
    'GET',
    '/api/database/backup/list',
    'store',
    'List backups',
    z.object({}),
  ),
  'backup.restore': route<{ restored: BackupInfo; safetyBackup: BackupInfo }>()(
    'POST',
    '/api/database/backup/restore',
    'store',
    'Restore backup (the current database is backed up first); needs confirm:true',
    z.object({ name: z.string().min(1).max(200), confirm: boolish.optional() }),
    { role: 'admin' },
  ),
  // Last: `{id}` would otherwise shadow the fixed paths above for matchers that go in order.
  'incidents.get': route<IncidentDetail>()(
    'GET',
    '/api/incidents/{id}',
    'incidents',
    'Get incident details (history, runbook, similar)',
    z.object({ id }),
  ),
} as const;
