// DTOs of the incident engine, its store-backed memory (history, notifications, executions, feedback) and backups.
// Pure types only: every face (server, webviews, VS Code) reads these.

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type IncidentType =
  | 'pod_crash_loop'
  | 'oom_killed'
  | 'image_pull_error'
  | 'invalid_image'
  | 'container_config_error'
  | 'container_create_error'
  | 'run_container_error'
  | 'lifecycle_hook_failed'
  | 'sandbox_create_failed'
  | 'volume_mount_failed'
  | 'pod_unschedulable'
  | 'pod_evicted'
  | 'pod_failed'
  | 'readiness_probe_failed'
  | 'high_restart_count'
  | 'pod_stuck_terminating'
  | 'missing_config_reference'
  | 'node_not_ready'
  | 'node_pressure'
  | 'rollout_stuck'
  | 'replicas_unavailable'
  | 'job_failed'
  | 'cronjob_failing'
  | 'cronjob_suspended'
  | 'service_no_endpoints'
  | 'ingress_missing_service'
  | 'pvc_pending'
  | 'pvc_lost'
  | 'hpa_at_max'
  | 'hpa_unable_to_scale'
  | 'pdb_no_disruptions'
  | 'certificate_expiring';

export type IncidentStatus = 'open' | 'resolved';

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface EvidenceEvent {
  time?: string;
  type: string;
  reason: string;
  message: string;
  count?: number;
  object?: ObjectRef;
}

export interface EvidenceLog {
  pod: string;
  container: string;
  previous: boolean;
  lines: string[];
}

export interface Evidence {
  /** The objects the incident is about: the affected pods, the workload, the node, the missing object. */
  objects: ObjectRef[];
  podName?: string;
  namespace?: string;
  containerName?: string;
  nodeName?: string;
  exitCode?: number;
  /** Why the container last ended (OOMKilled, Error, ...). */
  terminationReason?: string;
  restartCount?: number;
  /** The waiting/condition reason that triggered the rule (CrashLoopBackOff, ProgressDeadlineExceeded, ...). */
  reason?: string;
  message?: string;
  memoryLimit?: string;
  /** Highest memory the container was seen using (metrics history), in bytes. */
  observedPeakBytes?: number;
  lastEvent?: string;
  events: EvidenceEvent[];
  logs: EvidenceLog[];
}

/** A change seen in the cluster (rollout, config edit, node change) that may explain an incident. */
export interface ChangeRecord {
  id: string;
  context: string;
  time: string;
  kind: string;
  namespace?: string;
  name: string;
  /** rollout | config | scale | node | other */
  category: 'rollout' | 'config' | 'scale' | 'node' | 'other';
  summary: string;
}

export type FixAction =
  | 'increase_memory_limit'
  | 'rollback'
  | 'fix_image_tag'
  | 'scale'
  | 'restart'
  | 'delete_pod'
  | 'cordon_node'
  | 'resume_cronjob'
  | 'raise_hpa_max';

export interface RecommendedFix {
  /** Stable within the incident: the action plus its target. */
  id: string;
  action: FixAction;
  description: string;
  impact: 'low' | 'medium' | 'high';
  risk: 'low' | 'medium' | 'high';
  /** One line, e.g. `spec.template.spec.containers[0].resources.limits.memory: 256Mi -> 512Mi`. */
  preview: string;
  target: ObjectRef;
  /** Ranking score; feedback and verified outcomes move it. */
  score: number;
  /** Why this change, and how its numbers were chosen (e.g. the memory sizing rule). */
  rationale?: string;
  /** How this kind of fix (action, for this incident type) turned out when KubeGraf verified it before. */
  track?: FixTrackRecord;
}

/** Verified outcomes of one fix action for one incident type, across targets and clusters. */
export interface FixTrackRecord {
  action: FixAction;
  resolved: number;
  didNotHelp: number;
  madeWorse: number;
  /** resolved / (resolved + didNotHelp + madeWorse); absent before the first verdict. */
  successRate?: number;
}

/**
 * After a fix is applied KubeGraf watches its target: `verifying` until the condition has cleared and stayed clear
 * for the verification window (`resolved`), or it comes back on objects made after the fix or never clears
 * (`did_not_help`), or new failures appear on the target (`made_worse`). `superseded`: another fix was applied to the
 * same incident before a verdict.
 */
export type FixOutcome = 'verifying' | 'resolved' | 'did_not_help' | 'made_worse' | 'superseded';

/** A verdict in words, as history lines and execution logs say it. */
export const OUTCOME_WORDS: Record<FixOutcome, string> = {
  resolved: 'resolved',
  did_not_help: 'did not help',
  made_worse: 'made it worse',
  superseded: 'superseded',
  verifying: 'verifying',
};

/** A next step offered when a fix did not help: another (e.g. larger) fix, or undoing this one. */
export type FixNextStep =
  { kind: 'fix'; fixId: string; label: string } | { kind: 'undo'; executionId: string; label: string };

export interface FixVerification {
  executionId: string;
  incidentId: string;
  context: string;
  incidentType: IncidentType;
  fixId?: string;
  action: FixAction;
  /** The fix's description as the user saw it. */
  description: string;
  target: ObjectRef;
  initiator: 'user' | 'auto-remediation';
  appliedAt: string;
  /** How long the condition must stay clear to count as resolved. */
  windowSeconds: number;
  outcome: FixOutcome;
  /** When the condition cleared (if it did). */
  clearedAt?: string;
  decidedAt?: string;
  /** One sentence in plain words: what KubeGraf saw. */
  summary: string;
  /** What the verdict rests on: the failures after the fix, with times and objects. */
  evidence: EvidenceEvent[];
  nextSteps: FixNextStep[];
}

export interface Incident {
  id: string;
  context: string;
  type: IncidentType;
  severity: Severity;
  status: IncidentStatus;
  title: string;
  description: string;
  /** The incident's signature: same across time, workloads and clusters for the same kind of failure. */
  signature: string;
  resource: ObjectRef;
  evidence: Evidence;
  rootCause: string;
  recommendedFixes: RecommendedFix[];
  precedingChange?: ChangeRecord;
  firstSeen: string;
  lastSeen: string;
  resolvedAt?: string;
  occurrences: number;
  /** Spec's field: when the incident was last (re)opened. */
  timestamp: string;
  /** The latest fix applied to it and what KubeGraf saw afterwards. */
  fixVerification?: FixVerification;
}

export interface IncidentSummary {
  total: number;
  open: number;
  resolved: number;
  bySeverity: Record<Severity, number>;
  byType: Record<string, number>;
  byNamespace: Record<string, number>;
}

export interface IncidentList {
  incidents: Incident[];
  summary: IncidentSummary;
  /** Detection status for the context: false until every watched kind listed once. */
  synced: boolean;
  context: string;
}

export interface IncidentHistoryEntry {
  incidentId: string;
  time: string;
  event: 'opened' | 'updated' | 'resolved' | 'reopened' | 'fix_applied' | 'fix_verified' | 'feedback';
  detail: string;
}

export interface IncidentDetail extends Incident {
  history: IncidentHistoryEntry[];
  /** Every fix applied to it, newest first, with its verified outcome. */
  verifications?: FixVerification[];
  runbook?: Runbook;
  similar: SimilarIncident[];
}

export interface FixPreview {
  incidentId: string;
  fix: RecommendedFix;
  /** Unified diff of the target as stored vs. after the fix. */
  diff: string;
  /** The server accepted the change in a dry run. */
  validated: boolean;
  validationError?: string;
  /** SelfSubjectAccessReview said yes. */
  allowed: boolean;
  /** Why not, in words, when not allowed. */
  reason?: string;
  /** The exact permission checked. */
  permission: { verb: string; group: string; resource: string; namespace?: string; name?: string };
}

export type ExecutionStatus = 'planned' | 'running' | 'succeeded' | 'failed';

export interface ExecutionLine {
  time: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface UndoInfo {
  description: string;
  /** Re-applying this object (as YAML) undoes the fix; absent when the change cannot be undone (a deleted pod). */
  yaml?: string;
  /** Undoing deletes the target (a fix that created it: a PodDisruptionBudget, a NetworkPolicy). */
  deletes?: boolean;
  target: ObjectRef;
}

export interface Execution {
  id: string;
  context: string;
  incidentId?: string;
  fixId?: string;
  action: string;
  target?: ObjectRef;
  status: ExecutionStatus;
  /** Who started it: a user, or auto-remediation. */
  initiator: 'user' | 'auto-remediation';
  startedAt: string;
  finishedAt?: string;
  output: ExecutionLine[];
  summary: { duration: number; exitCode: number | null; resourcesChanged: number };
  undo?: UndoInfo;
  error?: string;
  /** For a fix that succeeded: whether it helped, once KubeGraf has watched the target (see FixVerification). */
  verification?: FixVerification;
}

/** Messages on `/api/execution/stream`. */
export type ExecutionStreamMessage =
  | { type: 'snapshot'; executions: Execution[] }
  | { type: 'started'; execution: Execution }
  | { type: 'output'; executionId: string; time: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'status'; executionId: string; status: ExecutionStatus; summary: Execution['summary']; error?: string }
  | { type: 'verification'; executionId: string; verification: FixVerification }
  | { type: 'error'; error: { code: string; message: string } };

export interface RemediationPolicy {
  enabled: boolean;
  /** Fix actions the robot may take on its own. */
  allowedActions: FixAction[];
  /** Only these namespaces (empty: every namespace not protected). */
  namespaces: string[];
  /** Never touched. Namespaces labelled `kubegraf.io/protected=true` are protected as well. */
  protectedNamespaces: string[];
  maxActionsPerHour: number;
  /** The incident must have been open this long, so a blip does not trigger an action. */
  minOpenSeconds: number;
}

export interface RemediationStatus {
  policy: RemediationPolicy;
  actionsLastHour: number;
  decisions: number;
  lastDecision?: RemediationDecision;
}

export interface RemediationDecision {
  id: string;
  time: string;
  context: string;
  incidentId: string;
  incidentType: IncidentType;
  action?: FixAction;
  target?: ObjectRef;
  decision: 'taken' | 'declined';
  reason: string;
  executionId?: string;
}

export interface SimilarIncident {
  id: string;
  context: string;
  type: IncidentType;
  title: string;
  status: IncidentStatus;
  firstSeen: string;
  resolvedAt?: string;
  /** Why it is similar: same signature, same workload, same root cause. */
  match: 'signature' | 'workload' | 'type';
  score: number;
}

export interface LearnedPattern {
  signature: string;
  type: IncidentType;
  description: string;
  occurrences: number;
  workloads: string[];
  namespaces: string[];
  clusters: string[];
  firstSeen: string;
  lastSeen: string;
  recurring: boolean;
  /** Mean time to resolve in seconds, over resolved occurrences. */
  mttrSeconds?: number;
  helpful: number;
  wrong: number;
}

/** Open incidents that share a cause: the same node, the same change, the same namespace and type. */
export interface CorrelationPattern {
  id: string;
  kind: 'node' | 'change' | 'namespace_type' | 'signature';
  description: string;
  incidentIds: string[];
  severity: Severity;
}

export interface TrendPoint {
  day: string;
  total: number;
  byType: Record<string, number>;
  byNamespace: Record<string, number>;
  bySeverity: Record<string, number>;
}

export interface ClusterLearning {
  context: string;
  total: number;
  open: number;
  topTypes: Array<{ type: string; count: number }>;
  mttrSeconds?: number;
  lastIncident?: string;
}

export interface Runbook {
  type: IncidentType;
  title: string;
  summary: string;
  steps: string[];
  commands: string[];
  /** True once a user edited the shipped text. */
  edited: boolean;
  updatedAt?: string;
}

export interface Feedback {
  incidentId: string;
  verdict: 'helpful' | 'wrong';
  fixId?: string;
  comment?: string;
  time: string;
}

export interface TimelineEntry {
  time: string;
  kind: 'incident_opened' | 'incident_resolved' | 'change' | 'event' | 'fix';
  title: string;
  detail?: string;
  severity?: Severity;
  incidentId?: string;
  object?: ObjectRef;
}

export interface OomInsight {
  workload: ObjectRef;
  container: string;
  oomKills: number;
  memoryLimit?: string;
  memoryLimitBytes?: number;
  observedPeakBytes?: number;
  /** peak / limit; ≥ 1 means the limit is too low for what the container does. */
  peakToLimit?: number;
  recommendation: string;
  recommendedLimit?: string;
  incidentId?: string;
}

export interface BrainSummary {
  context: string;
  healthScore: number;
  open: number;
  bySeverity: Record<Severity, number>;
  topIssues: Array<{ id: string; title: string; severity: Severity }>;
  recentChanges: ChangeRecord[];
  text: string;
}

export interface Prediction {
  id: string;
  kind: 'memory_exhaustion' | 'restart_acceleration' | 'recurring_incident';
  object: ObjectRef;
  container?: string;
  description: string;
  /** When it is expected, if the trend holds. */
  eta?: string;
  confidence: number;
}

export interface Anomaly {
  time: string;
  object: ObjectRef;
  metric: 'cpu' | 'memory';
  value: number;
  mean: number;
  zScore: number;
  description: string;
}

export interface Notification {
  id: string;
  time: string;
  severity: Severity | 'info';
  title: string;
  message: string;
  read: boolean;
  source: string;
  incidentId?: string;
  context?: string;
}

export interface BackupInfo {
  name: string;
  path: string;
  sizeBytes: number;
  createdAt: string;
}

export interface BackupStatus {
  enabled: boolean;
  intervalHours: number;
  keep: number;
  directory: string;
  databasePath: string;
  databaseSizeBytes: number;
  lastBackup?: BackupInfo;
  count: number;
  schemaVersion: number;
  /** Set when the database file could not be read at start: it was moved aside here, never overwritten. */
  corruption?: { movedTo: string; error: string; time: string };
}
