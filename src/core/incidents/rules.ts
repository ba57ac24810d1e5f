// Detection rules: pure functions from one cached object (plus lookups into the rest of the cache) to findings.
// They run per watch event and in full scans, so the healthy path of each rule allocates nothing and returns early.
import type { KObject } from '../kube/descriptors';
import type {
  CronJob,
  DaemonSet,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  KEvent,
  Node,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  Secret,
  Service,
  StatefulSet,
  ViewOf,
} from '../kube/objects';
import type { Evidence, IncidentType, ObjectRef, Severity } from '../../shared/incidents';
import { expiryLevel, expiryText } from '../../shared/certificates';
import { parseTlsCrt } from '../analysis/x509';

/** Kinds the detector watches, by the ids the Kubernetes engine resolves. */
export const WATCHED_KINDS = [
  'pods',
  'nodes',
  'events',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'services',
  'endpoints',
  'ingresses',
  'persistentvolumeclaims',
  'storageclasses',
  'horizontalpodautoscalers',
  'poddisruptionbudgets',
  'configmaps',
  'secrets',
  'namespaces',
] as const;
export type WatchedKind = (typeof WATCHED_KINDS)[number];

/** The typed view of a watched kind (see kube/objects); kinds without one read as plain KObjects. */
export type Watched<K extends WatchedKind> = ViewOf<K>;

/** What rules may read besides the object itself. */
export interface ClusterView {
  get<K extends WatchedKind>(kind: K, namespace: string | undefined, name: string): Watched<K> | undefined;
  inNamespace<K extends WatchedKind>(kind: K, namespace: string): Iterable<Watched<K>>;
  /** Whether the kind's cache listed at least once (a missing object means something only then). */
  known(kind: WatchedKind): boolean;
  /** Events whose involvedObject has this uid (newest last). */
  eventsFor(uid: string): KEvent[];
  ownedBy<K extends WatchedKind>(kind: K, uid: string): Watched<K>[];
  now(): number;
}

/** The same lookups untyped, as a cache (or a test) answers them. */
export interface ObjectLookups {
  get(kind: WatchedKind, namespace: string | undefined, name: string): KObject | undefined;
  inNamespace(kind: WatchedKind, namespace: string): Iterable<KObject>;
  known(kind: WatchedKind): boolean;
  eventsFor(uid: string): KObject[];
  ownedBy(kind: WatchedKind, uid: string): KObject[];
  now(): number;
}

/** Caches hold each kind's objects as the server sends them: the one place their kind becomes their type. */
export const clusterView = (l: ObjectLookups): ClusterView => l as ClusterView;

export interface RuleOptions {
  /** A container must run this long after a crash to count as recovered. */
  stableMs: number;
  /** How long a condition must hold before rules that flap on normal rollouts report it. */
  holdMs: number;
  /** Restarts within the last hour from which a container counts as restarting too often. */
  highRestarts: number;
  /** A pod terminating longer than this (beyond its grace period) is stuck. */
  stuckTerminatingMs: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  stableMs: 120_000,
  holdMs: 60_000,
  highRestarts: 5,
  stuckTerminatingMs: 120_000,
};

export interface Finding {
  type: IncidentType;
  severity: Severity;
  /** What the incident is about (a workload groups its pods' findings). */
  subject: ObjectRef;
  container?: string;
  title: string;
  description: string;
  rootCause: string;
  evidence: Partial<Evidence>;
  /** Report only after the condition held this long (ms); the detector re-checks held findings. */
  holdMs?: number;
  /** The finding depends on time (stability windows): the detector re-checks its source periodically. */
  timed?: boolean;
}

export const NONE: readonly Finding[] = Object.freeze([]);

const ref = (kind: string, o: KObject): ObjectRef =>
  o.metadata.namespace
    ? { kind, namespace: o.metadata.namespace, name: o.metadata.name }
    : { kind, name: o.metadata.name };
const nsName = (r: ObjectRef) => (r.namespace ? `${r.namespace}/${r.name}` : r.name);
const cond = (
  o: KObject,
  type: string,
): { status?: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined =>
  (
    o.status?.conditions as
      | Array<{ type: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }>
      | undefined
  )?.find((c) => c.type === type);

/** The workload that owns a pod: Deployment (through its ReplicaSet), StatefulSet, DaemonSet, Job, or the pod. */
export function podOwner(p: Pod, view: ClusterView): ObjectRef {
  const o = p.metadata.ownerReferences?.find((r) => r.controller) ?? p.metadata.ownerReferences?.[0];
  const ns = p.metadata.namespace;
  if (!o) return { kind: 'Pod', namespace: ns, name: p.metadata.name };
  if (o.kind === 'ReplicaSet') {
    const rs = view.get('replicasets', ns, o.name);
    const d = rs?.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
    if (d) return { kind: 'Deployment', namespace: ns, name: d.name };
    if (!rs) {
      // Not cached yet: the pod-template-hash suffix names the deployment.
      const h = p.metadata.labels?.['pod-template-hash'];
      if (h && o.name.endsWith(`-${h}`))
        return { kind: 'Deployment', namespace: ns, name: o.name.slice(0, -h.length - 1) };
    }
    return { kind: 'ReplicaSet', namespace: ns, name: o.name };
  }
  return { kind: o.kind, namespace: ns, name: o.name };
}

interface CStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { reason?: string; exitCode?: number; message?: string; finishedAt?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string; finishedAt?: string } };
}

const IMAGE_PULL = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'SignatureValidationFailed',
]);
const WAITING_TYPES: Record<string, IncidentType> = {
  InvalidImageName: 'invalid_image',
  CreateContainerConfigError: 'container_config_error',
  CreateContainerError: 'container_create_error',
  RunContainerError: 'run_container_error',
  PostStartHookError: 'lifecycle_hook_failed',
  PreStopHookError: 'lifecycle_hook_failed',
};

function memoryLimitOf(p: Pod, container: string): string | undefined {
  const c = (
    p.spec?.containers as Array<{ name: string; resources?: { limits?: { memory?: string } } }> | undefined
  )?.find((x) => x.name === container);
  return c?.resources?.limits?.memory;
}

function recentWarnings(p: Pod, view: ClusterView, reasons?: Set<string>): KEvent[] {
  const uid = p.metadata.uid;
  if (!uid) return [];
  const evs = view.eventsFor(uid);
  if (!evs.length) return evs;
  return evs.filter((e) => e.type === 'Warning' && (!reasons || reasons.has(String(e.reason))));
}

const POD_EVENT_TYPES: Record<string, IncidentType> = {
  FailedMount: 'volume_mount_failed',
  FailedAttachVolume: 'volume_mount_failed',
  FailedCreatePodSandBox: 'sandbox_create_failed',
  FailedPostStartHook: 'lifecycle_hook_failed',
  FailedPreStopHook: 'lifecycle_hook_failed',
};
const POD_EVENT_REASONS = new Set(Object.keys(POD_EVENT_TYPES));

function parseTime(s: string | undefined): number {
  return s ? Date.parse(s) : NaN;
}

/** Pods: container failures, scheduling, eviction, probes, restarts, stuck termination, missing references. */
export function podRule(p: Pod, view: ClusterView, o: RuleOptions): readonly Finding[] {
  const st = p.status;
  if (!st) return NONE;
  const phase = st.phase as string | undefined;
  const ns = p.metadata.namespace!;
  // The healthy path: running, every container ready, few restarts, not terminating.
  const statuses = st.containerStatuses as CStatus[] | undefined;
  if (phase === 'Running' && !p.metadata.deletionTimestamp && statuses && !st.initContainerStatuses) {
    let healthy = true;
    for (let i = 0; i < statuses.length; i++) {
      const c = statuses[i];
      if (!c.ready || (c.restartCount ?? 0) > 0) {
        healthy = false;
        break;
      }
    }
    if (healthy) return NONE;
  }
  if (phase === 'Succeeded') return NONE;
  const out: Finding[] = [];
  const podRef = ref('Pod', p);
  const owner = podOwner(p, view);
  const now = view.now();

  if (p.metadata.deletionTimestamp) {
    const grace = Number(p.metadata.deletionGracePeriodSeconds ?? p.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    const since = parseTime(p.metadata.deletionTimestamp) - grace;
    const stuck = now - (since + grace) > o.stuckTerminatingMs;
    const node = p.spec?.nodeName ? view.get('nodes', undefined, p.spec.nodeName) : undefined;
    const nodeDown = node && cond(node, 'Ready')?.status !== 'True';
    out.push({
      type: 'pod_stuck_terminating',
      severity: 'medium',
      subject: podRef,
      title: `Pod stuck terminating: ${ns}/${p.metadata.name}`,
      description: `Pod ${p.metadata.name} was asked to stop at ${p.metadata.deletionTimestamp} and is still there.`,
      rootCause: nodeDown
        ? `Its node ${node!.metadata.name} is not ready, so no kubelet confirms the containers stopped; the API server keeps the pod until it is force-deleted.`
        : (p.metadata.finalizers as string[] | undefined)?.length
          ? `Finalizers ${(p.metadata.finalizers as string[]).join(', ')} have not been removed.`
          : 'The kubelet has not confirmed the containers stopped.',
      evidence: podEvidence(
        p,
        owner,
        podRef,
        undefined,
        'Terminating',
        `deletionTimestamp ${p.metadata.deletionTimestamp}`,
      ),
      holdMs: stuck ? 0 : o.stuckTerminatingMs,
      timed: true,
    });
    return out;
  }

  if (phase === 'Failed') {
    if (st.reason === 'Evicted') {
      out.push({
        type: 'pod_evicted',
        severity: 'low',
        subject: owner.kind === 'Pod' ? podRef : owner,
        title: `Pod evicted: ${ns}/${p.metadata.name}`,
        description: `The kubelet evicted pod ${p.metadata.name}${p.spec?.nodeName ? ` from node ${p.spec.nodeName}` : ''}.`,
        rootCause: `Evicted: ${st.message ?? 'the node ran short of a resource'}`,
        evidence: podEvidence(p, owner, podRef, undefined, 'Evicted', st.message),
      });
      return out;
    }
    if (owner.kind === 'Job') return NONE; // The Job rule reports failed Job pods as one incident.
  }

  if (phase === 'Pending') {
    const sched = cond(p, 'PodScheduled');
    if (sched?.status === 'False' && sched.reason === 'Unschedulable') {
      out.push({
        type: 'pod_unschedulable',
        severity: 'high',
        subject: owner.kind === 'Pod' ? podRef : owner,
        title: `Pod cannot be scheduled: ${ns}/${p.metadata.name}`,
        description: `Pod ${p.metadata.name} is Pending: the scheduler found no node for it.`,
        rootCause: `The scheduler says: ${sched.message ?? 'no node fits'}`,
        evidence: podEvidence(p, owner, podRef, undefined, 'Unschedulable', sched.message),
      });
    }
    // Stuck creating: mount and sandbox failures show up as warning events on the pod.
    for (const e of recentWarnings(p, view, POD_EVENT_REASONS)) {
      const t = POD_EVENT_TYPES[String(e.reason)];
      if (out.some((f) => f.type === t)) continue;
      out.push({
        type: t,
        severity: 'high',
        subject: owner.kind === 'Pod' ? podRef : owner,
        title: `${t === 'volume_mount_failed' ? 'Volume mount failed' : t === 'sandbox_create_failed' ? 'Pod sandbox creation failed' : 'Lifecycle hook failed'}: ${ns}/${p.metadata.name}`,
        description: `${e.reason}: ${e.message ?? ''}`,
        rootCause:
          t === 'volume_mount_failed'
            ? `A volume cannot be mounted: ${e.message}`
            : t === 'sandbox_create_failed'
              ? `The container runtime could not create the pod sandbox (network or runtime problem): ${e.message}`
              : `A lifecycle hook failed: ${e.message}`,
        evidence: podEvidence(p, owner, podRef, undefined, String(e.reason), String(e.message ?? '')),
      });
    }
  }

  const inits = st.initContainerStatuses as CStatus[] | undefined;
  const all: CStatus[] = inits ? [...inits, ...(statuses ?? [])] : (statuses ?? []);
  for (const c of all) {
    const w = c.state?.waiting;
    const last = c.lastState?.terminated ?? c.state?.terminated;
    const restarts = c.restartCount ?? 0;
    const subject = owner.kind === 'Pod' ? podRef : owner;
    if (w?.reason && IMAGE_PULL.has(w.reason)) {
      out.push({
        type: 'image_pull_error',
        severity: 'high',
        subject,
        container: c.name,
        title: `Image cannot be pulled: ${nsName(subject)} (${c.name})`,
        description: `Container '${c.name}' is waiting with ${w.reason} for image ${c.image ?? imageOf(p, c.name)}.`,
        rootCause: `The image ${imageOf(p, c.name) ?? c.image} cannot be pulled: ${w.reason === 'ErrImageNeverPull' ? 'imagePullPolicy is Never and the image is not on the node' : 'the tag or repository does not exist, or the registry refused the credentials'}.`,
        evidence: containerEvidence(podEvidence(p, owner, podRef, c.name), w.reason, w.message, restarts, last),
      });
      continue;
    }
    if (w?.reason && WAITING_TYPES[w.reason]) {
      const t = WAITING_TYPES[w.reason];
      out.push({
        type: t,
        severity: 'high',
        subject,
        container: c.name,
        title: `${w.reason}: ${nsName(subject)} (${c.name})`,
        description: `Container '${c.name}' cannot start: ${w.reason}.`,
        rootCause: w.message ? `${w.reason}: ${w.message}` : `The container runtime reports ${w.reason}.`,
        evidence: containerEvidence(podEvidence(p, owner, podRef, c.name), w.reason, w.message, restarts, last),
      });
      continue;
    }
    // Dead and about to be restarted (the kubelet shows it terminated until its next sync): as crashing as backing off.
    const dead = c.state?.terminated;
    const restartPending =
      !!dead && phase === 'Running' && p.spec?.restartPolicy !== 'Never' && (dead.exitCode ?? 1) !== 0;
    const lastDeath = restartPending ? dead : last;
    const oom = lastDeath?.reason === 'OOMKilled';
    const backingOff = w?.reason === 'CrashLoopBackOff';
    const crashing = backingOff || restartPending;
    // Between two crashes a crash-looping container runs for a moment: it only counts as recovered once stable.
    const startedAt = parseTime(c.state?.running?.startedAt);
    const unstable =
      !!c.state?.running && restarts > 0 && !!last && (last.exitCode !== 0 || oom) && now - startedAt < o.stableMs;
    if (crashing || unstable) {
      const limit = memoryLimitOf(p, c.name);
      out.push({
        type: oom ? 'oom_killed' : 'pod_crash_loop',
        severity: oom || restarts >= 3 ? 'high' : 'medium',
        subject,
        container: c.name,
        title: oom
          ? `Container OOMKilled: ${nsName(subject)} (${c.name})`
          : `Pod crash loop in ${ns}/${p.metadata.name}`,
        description: oom
          ? `Container '${c.name}' was killed for exceeding its memory limit${limit ? ` (${limit})` : ''} and restarted ${restarts} times.`
          : `Container '${c.name}' is crashing repeatedly (${restarts} restarts, last exit code ${lastDeath?.exitCode ?? 'unknown'}).`,
        rootCause: oom
          ? `Container exceeded memory limit${limit ? ` of ${limit}` : ''} (OOMKilled, exit code 137).`
          : lastDeath
            ? `The container exits with code ${lastDeath.exitCode}${lastDeath.reason ? ` (${lastDeath.reason})` : ''} shortly after it starts${lastDeath.message ? `: ${lastDeath.message}` : ''}; the kubelet backs off restarting it.`
            : 'The container keeps exiting; the kubelet backs off restarting it.',
        evidence: containerEvidence(
          podEvidence(p, owner, podRef, c.name),
          backingOff ? 'CrashLoopBackOff' : 'Restarting',
          w?.message,
          restarts,
          lastDeath,
          oom ? limit : undefined,
        ),
        timed: !backingOff,
      });
      continue;
    }
    if (restarts >= o.highRestarts && last?.finishedAt && now - parseTime(last.finishedAt) < 3600_000) {
      out.push({
        type: 'high_restart_count',
        severity: 'medium',
        subject,
        container: c.name,
        title: `High restart count: ${nsName(subject)} (${c.name})`,
        description: `Container '${c.name}' restarted ${restarts} times; the last restart was at ${last.finishedAt}.`,
        rootCause: `The container ended with ${last.reason ?? 'exit code ' + last.exitCode} and was restarted; it is running now but has restarted ${restarts} times.`,
        evidence: containerEvidence(
          podEvidence(p, owner, podRef, c.name),
          last.reason ?? 'Restarted',
          undefined,
          restarts,
          last,
        ),
        timed: true,
      });
      continue;
    }
    if (c.state?.running && c.ready === false && phase === 'Running') {
      const probeFails = recentWarnings(p, view).filter(
        (e) => e.reason === 'Unhealthy' && /readiness/i.test(String(e.message ?? '')),
      );
      out.push({
        type: 'readiness_probe_failed',
        severity: 'medium',
        subject,
        container: c.name,
        title: `Readiness probe failing: ${ns}/${p.metadata.name} (${c.name})`,
        description: `Container '${c.name}' runs but is not ready, so its Services send it no traffic.`,
        rootCause: probeFails.length
          ? `The readiness probe fails: ${String(probeFails[probeFails.length - 1].message)}`
          : 'The container has been running without becoming ready.',
        evidence: containerEvidence(
          podEvidence(p, owner, podRef, c.name),
          'NotReady',
          probeFails.length ? String(probeFails[probeFails.length - 1].message) : undefined,
          restarts,
          last,
        ),
        holdMs: probeFails.length ? 0 : o.holdMs,
      });
    }
  }

  if (phase === 'Failed' && !out.length) {
    out.push({
      type: 'pod_failed',
      severity: 'medium',
      subject: owner.kind === 'Pod' ? podRef : owner,
      title: `Pod failed: ${ns}/${p.metadata.name}`,
      description: `Pod ${p.metadata.name} ended in phase Failed.`,
      rootCause: st.message
        ? String(st.message)
        : `A container exited with a failure${(statuses ?? [])
            .map((c) => c.state?.terminated)
            .filter(Boolean)
            .map((t) => ` (exit ${t!.exitCode}${t!.reason ? `, ${t!.reason}` : ''})`)
            .join('')}.`,
      evidence: podEvidence(p, owner, podRef, undefined, String(st.reason ?? 'Failed'), st.message),
    });
  }

  if (phase !== 'Running' || out.length) {
    const missing = missingRefs(p, view);
    if (missing.length) {
      out.push({
        type: 'missing_config_reference',
        severity: 'high',
        subject: owner.kind === 'Pod' ? podRef : owner,
        title: `Missing ${missing.map((m) => m.kind).join('/')} for ${ns}/${p.metadata.name}`,
        description: `Pod ${p.metadata.name} refers to ${missing.map((m) => `${m.kind} ${m.name}`).join(', ')}, which ${missing.length === 1 ? 'does' : 'do'} not exist.`,
        rootCause: `The pod needs ${missing.map((m) => `${m.kind} "${m.name}"`).join(' and ')} in namespace ${ns}; without it the container cannot be created.`,
        evidence: podEvidence(p, owner, podRef, undefined, 'MissingReference', undefined, missing),
      });
    }
  }
  return out;
}

function podEvidence(
  p: Pod,
  owner: ObjectRef,
  podRef: ObjectRef,
  container?: string,
  reason?: string,
  message?: unknown,
  more?: ObjectRef[],
): Partial<Evidence> {
  const objects = owner.kind === 'Pod' ? [podRef] : [owner, podRef];
  if (more) objects.push(...more);
  const e: Partial<Evidence> = {
    objects,
    podName: p.metadata.name,
    namespace: p.metadata.namespace,
    nodeName: p.spec?.nodeName,
  };
  if (container) e.containerName = container;
  if (reason) e.reason = reason;
  if (message !== undefined && message !== null) e.message = String(message);
  return e;
}

function containerEvidence(
  e: Partial<Evidence>,
  reason: string,
  message: string | undefined,
  restarts: number,
  last: { exitCode?: number; reason?: string } | undefined,
  memoryLimit?: string,
): Partial<Evidence> {
  e.reason = reason;
  if (message) e.message = message;
  e.restartCount = restarts;
  if (last?.exitCode !== undefined) e.exitCode = last.exitCode;
  if (last?.reason) e.terminationReason = last.reason;
  if (memoryLimit) e.memoryLimit = memoryLimit;
  return e;
}

function imageOf(p: Pod, container: string): string | undefined {
  return (p.spec?.containers as Array<{ name: string; image?: string }> | undefined)?.find((c) => c.name === container)
    ?.image;
}

/** ConfigMaps and Secrets a pod refers to (env, envFrom, volumes, projected) that are not in the cache. */
interface RefCheck {
  view: ClusterView;
  ns: string;
  out: ObjectRef[];
}

function checkRef(
  r: RefCheck,
  kind: 'ConfigMap' | 'Secret',
  name: string | undefined,
  optional: boolean | undefined,
): void {
  if (!name || optional) return;
  const k = kind === 'ConfigMap' ? 'configmaps' : 'secrets';
  if (!r.view.known(k) || r.view.get(k, r.ns, name)) return;
  if (!r.out.some((m) => m.kind === kind && m.name === name)) r.out.push({ kind, namespace: r.ns, name });
}

export function missingRefs(p: Pod, view: ClusterView): ObjectRef[] {
  // Nothing counts as missing before the caches listed (runs for every failing pod, so no closures here).
  if (!view.known('configmaps') && !view.known('secrets')) return [];
  const r: RefCheck = { view, ns: p.metadata.namespace!, out: [] };
  type Env = {
    valueFrom?: {
      configMapKeyRef?: { name?: string; optional?: boolean };
      secretKeyRef?: { name?: string; optional?: boolean };
    };
  };
  type EnvFrom = {
    configMapRef?: { name?: string; optional?: boolean };
    secretRef?: { name?: string; optional?: boolean };
  };
  type Container = { env?: Env[]; envFrom?: EnvFrom[] };
  for (const list of [
    p.spec?.initContainers as Container[] | undefined,
    p.spec?.containers as Container[] | undefined,
  ]) {
    for (const c of list ?? []) {
      for (const e of c.env ?? []) {
        checkRef(r, 'ConfigMap', e.valueFrom?.configMapKeyRef?.name, e.valueFrom?.configMapKeyRef?.optional);
        checkRef(r, 'Secret', e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.optional);
      }
      for (const e of c.envFrom ?? []) {
        checkRef(r, 'ConfigMap', e.configMapRef?.name, e.configMapRef?.optional);
        checkRef(r, 'Secret', e.secretRef?.name, e.secretRef?.optional);
      }
    }
  }
  type Vol = {
    configMap?: { name?: string; optional?: boolean };
    secret?: { secretName?: string; optional?: boolean };
    projected?: {
      sources?: Array<{
        configMap?: { name?: string; optional?: boolean };
        secret?: { name?: string; optional?: boolean };
      }>;
    };
  };
  for (const v of (p.spec?.volumes as Vol[] | undefined) ?? []) {
    checkRef(r, 'ConfigMap', v.configMap?.name, v.configMap?.optional);
    checkRef(r, 'Secret', v.secret?.secretName, v.secret?.optional);
    for (const s of v.projected?.sources ?? []) {
      checkRef(r, 'ConfigMap', s.configMap?.name, s.configMap?.optional);
      checkRef(r, 'Secret', s.secret?.name, s.secret?.optional);
    }
  }
  return r.out;
}

export function nodeRule(n: Node, view: ClusterView, o: RuleOptions): readonly Finding[] {
  const conds = n.status?.conditions as
    Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }> | undefined;
  if (!conds) return NONE;
  let out: Finding[] | undefined;
  const r = ref('Node', n);
  for (const c of conds) {
    if (c.type === 'Ready' && c.status !== 'True') {
      (out ??= []).push({
        type: 'node_not_ready',
        severity: 'critical',
        subject: r,
        title: `Node NotReady: ${n.metadata.name}`,
        description: `Node ${n.metadata.name} is ${c.status === 'Unknown' ? 'not reporting (Ready=Unknown)' : 'NotReady'} since ${c.lastTransitionTime ?? 'an unknown time'}.`,
        rootCause:
          c.status === 'Unknown'
            ? `The kubelet stopped posting status (${c.reason ?? 'NodeStatusUnknown'}): the node is down, partitioned, or its kubelet died. ${c.message ?? ''}`.trim()
            : `The kubelet reports the node not ready: ${c.reason ?? ''} ${c.message ?? ''}`.trim(),
        evidence: { objects: [r], nodeName: n.metadata.name, reason: c.reason ?? 'NotReady', message: c.message },
        holdMs: Math.min(o.holdMs, 40_000),
      });
    } else if (
      (c.type === 'MemoryPressure' ||
        c.type === 'DiskPressure' ||
        c.type === 'PIDPressure' ||
        c.type === 'NetworkUnavailable') &&
      c.status === 'True'
    ) {
      (out ??= []).push({
        type: 'node_pressure',
        severity: c.type === 'NetworkUnavailable' ? 'high' : 'medium',
        subject: r,
        container: c.type,
        title: `${c.type} on node ${n.metadata.name}`,
        description: `Node ${n.metadata.name} reports ${c.type}.`,
        rootCause: `${c.type}: ${c.message ?? c.reason ?? ''}. The kubelet may evict pods and the scheduler avoids the node.`,
        evidence: { objects: [r], nodeName: n.metadata.name, reason: c.reason ?? c.type, message: c.message },
      });
    }
  }
  void view;
  return out ?? NONE;
}

export function deploymentRule(d: Deployment, view: ClusterView, o: RuleOptions): readonly Finding[] {
  const r = ref('Deployment', d);
  const prog = cond(d, 'Progressing');
  const desired = Number(d.spec?.replicas ?? 1);
  const available = Number(d.status?.availableReplicas ?? 0);
  if (prog?.status === 'False' && prog.reason === 'ProgressDeadlineExceeded') {
    return [
      {
        type: 'rollout_stuck',
        severity: 'high',
        subject: r,
        title: `Rollout stuck: ${nsName(r)}`,
        description: `Deployment ${d.metadata.name} did not finish rolling out within ${d.spec?.progressDeadlineSeconds ?? 600}s: ${d.status?.updatedReplicas ?? 0} of ${desired} pods are on the new revision, ${available} available.`,
        rootCause: `The new ReplicaSet's pods do not become available (${prog.message ?? 'ProgressDeadlineExceeded'}).`,
        evidence: {
          objects: [r],
          namespace: d.metadata.namespace,
          reason: 'ProgressDeadlineExceeded',
          message: prog.message,
        },
      },
    ];
  }
  if (desired > 0 && available < desired && cond(d, 'Available')?.status === 'False') {
    return [
      {
        type: 'replicas_unavailable',
        severity: available === 0 ? 'high' : 'medium',
        subject: r,
        title: `Replicas unavailable: ${nsName(r)}`,
        description: `Deployment ${d.metadata.name} has ${available} of ${desired} replicas available.`,
        rootCause: `Fewer pods are available than the deployment needs (${cond(d, 'Available')?.reason ?? 'MinimumReplicasUnavailable'}).`,
        evidence: { objects: [r], namespace: d.metadata.namespace, reason: 'MinimumReplicasUnavailable' },
        holdMs: o.holdMs,
      },
    ];
  }
  return NONE;
}

export function statefulSetRule(s: StatefulSet, _view: ClusterView, o: RuleOptions): readonly Finding[] {
  const desired = Number(s.spec?.replicas ?? 1);
  const ready = Number(s.status?.readyReplicas ?? 0);
  if (desired === 0 || ready >= desired) return NONE;
  const r = ref('StatefulSet', s);
  return [
    {
      type: 'replicas_unavailable',
      severity: ready === 0 ? 'high' : 'medium',
      subject: r,
      title: `Replicas unavailable: ${nsName(r)}`,
      description: `StatefulSet ${s.metadata.name} has ${ready} of ${desired} replicas ready.`,
      rootCause: 'Some of its pods are not ready; a StatefulSet waits for each pod before starting the next.',
      evidence: { objects: [r], namespace: s.metadata.namespace, reason: 'ReplicasNotReady' },
      holdMs: o.holdMs,
    },
  ];
}

export function daemonSetRule(s: DaemonSet, _view: ClusterView, o: RuleOptions): readonly Finding[] {
  const desired = Number(s.status?.desiredNumberScheduled ?? 0);
  const unavailable = Number(s.status?.numberUnavailable ?? Math.max(0, desired - Number(s.status?.numberReady ?? 0)));
  if (!desired || unavailable <= 0) return NONE;
  const r = ref('DaemonSet', s);
  return [
    {
      type: 'replicas_unavailable',
      severity: 'medium',
      subject: r,
      title: `DaemonSet pods unavailable: ${nsName(r)}`,
      description: `DaemonSet ${s.metadata.name}: ${unavailable} of ${desired} pods unavailable.`,
      rootCause: 'Some nodes run no ready pod of this DaemonSet (node not ready, image or crash problems).',
      evidence: { objects: [r], namespace: s.metadata.namespace, reason: 'NumberUnavailable' },
      holdMs: o.holdMs,
    },
  ];
}

export function jobRule(j: Job): readonly Finding[] {
  const failed = cond(j, 'Failed');
  if (failed?.status !== 'True') return NONE;
  const r = ref('Job', j);
  return [
    {
      type: 'job_failed',
      severity: 'medium',
      subject: r,
      title: `Job failed: ${nsName(r)}`,
      description: `Job ${j.metadata.name} failed: ${j.status?.failed ?? 0} failed pod(s).`,
      rootCause: `${failed.reason ?? 'Failed'}: ${failed.message ?? 'the job did not complete'}.`,
      evidence: {
        objects: [r],
        namespace: j.metadata.namespace,
        reason: failed.reason ?? 'Failed',
        message: failed.message,
      },
    },
  ];
}

export function cronJobRule(c: CronJob, view: ClusterView): readonly Finding[] {
  const r = ref('CronJob', c);
  if (c.spec?.suspend === true) {
    return [
      {
        type: 'cronjob_suspended',
        severity: 'low',
        subject: r,
        title: `CronJob suspended: ${nsName(r)}`,
        description: `CronJob ${c.metadata.name} (schedule "${c.spec?.schedule}") is suspended: no new jobs start.`,
        rootCause: 'spec.suspend is true.',
        evidence: { objects: [r], namespace: c.metadata.namespace, reason: 'Suspended' },
      },
    ];
  }
  const uid = c.metadata.uid;
  if (!uid) return NONE;
  const jobs = view.ownedBy('jobs', uid);
  if (!jobs.length) return NONE;
  let newest: KObject | undefined;
  for (const j of jobs)
    if (!newest || String(j.metadata.creationTimestamp) > String(newest.metadata.creationTimestamp)) newest = j;
  const done =
    newest &&
    (cond(newest, 'Failed')?.status === 'True'
      ? 'failed'
      : cond(newest, 'Complete')?.status === 'True'
        ? 'ok'
        : 'running');
  // Judge by the newest finished job: a running one says nothing yet.
  const finished = jobs
    .filter((j) => cond(j, 'Failed')?.status === 'True' || cond(j, 'Complete')?.status === 'True')
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  const last = done === 'running' ? finished[0] : newest;
  if (!last || cond(last, 'Failed')?.status !== 'True') return NONE;
  const f = cond(last, 'Failed')!;
  return [
    {
      type: 'cronjob_failing',
      severity: 'medium',
      subject: r,
      title: `CronJob failing: ${nsName(r)}`,
      description: `The last run of CronJob ${c.metadata.name}, job ${last.metadata.name}, failed.`,
      rootCause: `Job ${last.metadata.name}: ${f.reason ?? 'Failed'}${f.message ? ` (${f.message})` : ''}.`,
      evidence: {
        objects: [r, ref('Job', last)],
        namespace: c.metadata.namespace,
        reason: f.reason ?? 'Failed',
        message: f.message,
      },
    },
  ];
}

export function serviceRule(s: Service, view: ClusterView, o: RuleOptions): readonly Finding[] {
  const sel = s.spec?.selector as Record<string, string> | undefined;
  if (s.spec?.type === 'ExternalName' || !sel || !Object.keys(sel).length || !view.known('endpoints')) return NONE;
  const ep = view.get('endpoints', s.metadata.namespace, s.metadata.name);
  const subsets = (ep?.subsets as Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[] }> | undefined) ?? [];
  let ready = 0;
  let notReady = 0;
  for (const x of subsets) {
    ready += x.addresses?.length ?? 0;
    notReady += x.notReadyAddresses?.length ?? 0;
  }
  if (ready > 0) return NONE;
  const r = ref('Service', s);
  const selText = Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  let matching = 0;
  if (view.known('pods'))
    for (const p of view.inNamespace('pods', s.metadata.namespace!))
      if (Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v)) matching++;
  return [
    {
      type: 'service_no_endpoints',
      severity: 'medium',
      subject: r,
      title: `Service has no endpoints: ${nsName(r)}`,
      description: `Service ${s.metadata.name} selects ${selText} but has no ready endpoint${notReady ? ` (${notReady} not ready)` : ''}.`,
      rootCause:
        matching === 0
          ? `No pod in namespace ${s.metadata.namespace} matches the selector ${selText}: the workload is missing, scaled to zero, or its labels differ.`
          : `${matching} pod(s) match ${selText} but none is ready.`,
      evidence: {
        objects: [r],
        namespace: s.metadata.namespace,
        reason: matching === 0 ? 'SelectorMatchesNothing' : 'NoReadyEndpoints',
        message: `selector ${selText}; matching pods: ${matching}`,
      },
      holdMs: Math.min(o.holdMs, 30_000),
    },
  ];
}

export function ingressRule(i: Ingress, view: ClusterView): readonly Finding[] {
  if (!view.known('services')) return NONE;
  type Backend = { service?: { name?: string; port?: { number?: number; name?: string } } };
  const backends: Backend[] = [];
  if (i.spec?.defaultBackend) backends.push(i.spec.defaultBackend);
  for (const rule of (i.spec?.rules as Array<{ http?: { paths?: Array<{ backend?: Backend }> } }> | undefined) ?? [])
    for (const p of rule.http?.paths ?? []) if (p.backend) backends.push(p.backend);
  const missing = [
    ...new Set(
      backends
        .map((b) => b.service?.name)
        .filter((n): n is string => !!n && !view.get('services', i.metadata.namespace, n)),
    ),
  ];
  if (!missing.length) return NONE;
  const r = ref('Ingress', i);
  return [
    {
      type: 'ingress_missing_service',
      severity: 'medium',
      subject: r,
      title: `Ingress points to a missing Service: ${nsName(r)}`,
      description: `Ingress ${i.metadata.name} routes to ${missing.map((m) => `Service ${m}`).join(', ')}, which does not exist.`,
      rootCause: `Service ${missing.join(', ')} does not exist in namespace ${i.metadata.namespace}; requests for those paths get 503 from the ingress controller.`,
      evidence: {
        objects: [r, ...missing.map((m) => ({ kind: 'Service', namespace: i.metadata.namespace, name: m }))],
        namespace: i.metadata.namespace,
        reason: 'ServiceNotFound',
      },
    },
  ];
}

export function pvcRule(c: PersistentVolumeClaim, view: ClusterView, o: RuleOptions): readonly Finding[] {
  const phase = c.status?.phase;
  if (phase !== 'Pending' && phase !== 'Lost') return NONE;
  const r = ref('PersistentVolumeClaim', c);
  if (phase === 'Lost') {
    return [
      {
        type: 'pvc_lost',
        severity: 'critical',
        subject: r,
        title: `PersistentVolumeClaim lost: ${nsName(r)}`,
        description: `Claim ${c.metadata.name} lost its volume ${c.spec?.volumeName ?? ''}.`,
        rootCause: 'The PersistentVolume bound to this claim no longer exists; the data is unreachable.',
        evidence: { objects: [r], namespace: c.metadata.namespace, reason: 'ClaimLost' },
      },
    ];
  }
  const sc = c.spec?.storageClassName as string | undefined;
  const scMissing = sc && view.known('storageclasses') && !view.get('storageclasses', undefined, sc);
  const evs = c.metadata.uid ? view.eventsFor(c.metadata.uid).filter((e) => e.type === 'Warning') : [];
  const lastEv = evs[evs.length - 1];
  return [
    {
      type: 'pvc_pending',
      severity: 'medium',
      subject: r,
      title: `PersistentVolumeClaim pending: ${nsName(r)}`,
      description: `Claim ${c.metadata.name} (${c.spec?.resources?.requests?.storage ?? '?'}, class ${sc === undefined ? 'default' : sc || 'none'}) is not bound.`,
      rootCause: scMissing
        ? `StorageClass "${sc}" does not exist, so no volume can be provisioned.`
        : lastEv
          ? `${lastEv.reason}: ${lastEv.message}`
          : sc === ''
            ? 'The claim asks for static binding (no class) and no PersistentVolume matches its size and access modes.'
            : 'No volume has been provisioned or bound yet.',
      evidence: {
        objects: [r],
        namespace: c.metadata.namespace,
        reason: scMissing ? 'StorageClassNotFound' : String(lastEv?.reason ?? 'Pending'),
        message: lastEv ? String(lastEv.message) : undefined,
      },
      holdMs: scMissing ? 0 : o.holdMs,
    },
  ];
}

export function hpaRule(h: HorizontalPodAutoscaler): readonly Finding[] {
  const r = ref('HorizontalPodAutoscaler', h);
  const max = Number(h.spec?.maxReplicas ?? 0);
  const cur = Number(h.status?.currentReplicas ?? 0);
  const desired = Number(h.status?.desiredReplicas ?? 0);
  const able = cond(h, 'AbleToScale');
  const active = cond(h, 'ScalingActive');
  const limited = cond(h, 'ScalingLimited');
  if (able?.status === 'False' || active?.status === 'False') {
    const c = able?.status === 'False' ? able : active!;
    return [
      {
        type: 'hpa_unable_to_scale',
        severity: 'medium',
        subject: r,
        title: `Autoscaler cannot scale: ${nsName(r)}`,
        description: `HPA ${h.metadata.name} for ${h.spec?.scaleTargetRef?.kind} ${h.spec?.scaleTargetRef?.name}: ${c.reason}.`,
        rootCause: c.message ?? String(c.reason),
        evidence: { objects: [r], namespace: h.metadata.namespace, reason: String(c.reason), message: c.message },
      },
    ];
  }
  if (
    max > 0 &&
    cur >= max &&
    (desired >= max || (limited?.status === 'True' && limited.reason === 'TooManyReplicas'))
  ) {
    return [
      {
        type: 'hpa_at_max',
        severity: 'medium',
        subject: r,
        title: `Autoscaler at its maximum: ${nsName(r)}`,
        description: `HPA ${h.metadata.name} runs ${cur} replicas, its maximum, and wants ${desired}.`,
        rootCause: `Load needs more replicas than maxReplicas=${max} allows${limited?.message ? `: ${limited.message}` : ''}.`,
        evidence: {
          objects: [
            r,
            {
              kind: String(h.spec?.scaleTargetRef?.kind ?? 'Deployment'),
              namespace: h.metadata.namespace,
              name: String(h.spec?.scaleTargetRef?.name),
            },
          ],
          namespace: h.metadata.namespace,
          reason: 'TooManyReplicas',
          message: limited?.message,
        },
      },
    ];
  }
  return NONE;
}

export function pdbRule(b: PodDisruptionBudget, _view: ClusterView, o: RuleOptions): readonly Finding[] {
  const st = b.status;
  if (!st || Number(st.disruptionsAllowed ?? 1) > 0 || Number(st.expectedPods ?? 0) === 0) return NONE;
  const r = ref('PodDisruptionBudget', b);
  const want =
    b.spec?.minAvailable !== undefined
      ? `minAvailable=${b.spec.minAvailable}`
      : `maxUnavailable=${b.spec?.maxUnavailable}`;
  return [
    {
      type: 'pdb_no_disruptions',
      severity: 'low',
      subject: r,
      title: `PodDisruptionBudget allows no disruptions: ${nsName(r)}`,
      description: `PDB ${b.metadata.name} (${want}) allows 0 disruptions: ${st.currentHealthy ?? 0} healthy of ${st.expectedPods} expected, ${st.desiredHealthy ?? '?'} required.`,
      rootCause: `With ${want} and ${st.currentHealthy ?? 0} healthy pods, evicting any pod would break the budget: node drains and upgrades will hang.`,
      evidence: { objects: [r], namespace: b.metadata.namespace, reason: 'ZeroDisruptionsAllowed' },
      holdMs: o.holdMs,
    },
  ];
}

/**
 * A kubernetes.io/tls Secret whose certificate expires within the critical window (high) or has expired (critical).
 * Expiry is a matter of time, so a critical finding is re-checked on the sweep and turns critical when it expires;
 * a certificate that enters the window without any change to its Secret is seen at the next relist.
 */
export function tlsSecretRule(s: Secret, view: ClusterView): readonly Finding[] {
  if (s.type !== 'kubernetes.io/tls') return NONE;
  const parsed = parseTlsCrt(s.data?.['tls.crt']);
  if (!('cert' in parsed)) return NONE;
  const c = parsed.cert;
  const now = view.now();
  const level = expiryLevel(c.notAfter, now);
  if (level !== 'expired' && level !== 'critical') return NONE;
  const r = ref('Secret', s);
  const ns = s.metadata.namespace;
  const managedBy = s.metadata.annotations?.['cert-manager.io/certificate-name'];
  const who = c.commonName ?? c.sans[0] ?? c.subject;
  const when = `${expiryText(c.notAfter, now)} (${new Date(c.notAfter).toUTCString()})`;
  return [
    {
      type: 'certificate_expiring',
      severity: level === 'expired' ? 'critical' : 'high',
      subject: r,
      title: `${level === 'expired' ? 'TLS certificate expired' : 'TLS certificate expires soon'}: ${nsName(r)}`,
      description: `The certificate for ${who} in Secret ${s.metadata.name} ${when}; issued by ${c.issuerCommonName ?? c.issuer}.`,
      rootCause: managedBy
        ? `cert-manager Certificate ${managedBy} has not renewed it: check the Certificate's Issuing condition, its issuer and its latest CertificateRequest, or renew it from the Certificates page.`
        : `Nothing renews this Secret automatically (no cert-manager Certificate writes it): replace tls.crt and tls.key with a renewed certificate${level === 'expired' ? '; clients already reject it' : ' before it expires'}.`,
      evidence: {
        objects: [r, ...(managedBy ? [{ kind: 'Certificate', namespace: ns, name: managedBy }] : [])],
        namespace: ns,
        reason: level === 'expired' ? 'CertificateExpired' : 'CertificateExpiring',
        message: `notAfter ${c.notAfter}`,
      },
      timed: level === 'critical',
    },
  ];
}

/** The rule for each kind that produces findings on its own objects. */
export const RULES: {
  [K in WatchedKind]?: (o: Watched<K>, view: ClusterView, opts: RuleOptions) => readonly Finding[];
} = {
  pods: podRule,
  nodes: nodeRule,
  deployments: deploymentRule,
  statefulsets: statefulSetRule,
  daemonsets: daemonSetRule,
  jobs: (o) => jobRule(o),
  cronjobs: (o, v) => cronJobRule(o, v),
  services: serviceRule,
  ingresses: (o, v) => ingressRule(o, v),
  persistentvolumeclaims: pvcRule,
  horizontalpodautoscalers: (o) => hpaRule(o),
  poddisruptionbudgets: pdbRule,
  secrets: (o, v) => tlsSecretRule(o, v),
};
