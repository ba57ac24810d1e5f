// What every controller shares: typed store access, work queues drained off the store's call stack,
// simulated-time timers that die with the simulator, and the Event recorder.
import { createHash } from 'node:crypto';
import type { SimContext } from '../context';
import type { ResourceType } from '../kinds';
import { typeKey } from '../kinds';
import type { KObj, StoreEvent } from '../store';
import { nowIso } from '../store';
import { StatusError } from '../status';
import { checkServiceAccount } from '../admission';
import { qosClass } from './quantity';

export type Handler = (key: string) => void;

/** Loose JSON for fragments of objects (ports, addresses, metrics) that are not whole API objects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  [k: string]: unknown;
}

const EVENT_CAP = 3000;
/** Work items drained per turn of the event loop, so a burst never starves the HTTP server. */
const BATCH = 2000;

export class Runtime {
  private rts = new Map<string, ResourceType>();
  private queues = new Map<string, Set<string>>();
  private handlers = new Map<string, Handler>();
  private listeners = new Map<string, Array<(e: StoreEvent) => void>>();
  private timers = new Set<NodeJS.Timeout>();
  private scheduled = false;
  private closed = false;
  /** Aggregation key -> event name, oldest first (Map order), for counting repeats and capping the total. */
  private eventKeys = new Map<string, { ns: string; name: string }>();

  constructor(readonly ctx: SimContext) {
    ctx.types.onChange(() => this.rts.clear());
    const off = ctx.store.onChange((e) => {
      for (const l of this.listeners.get(e.tk) ?? []) l(e);
      for (const l of this.listeners.get('*') ?? []) l(e);
    });
    ctx.onClose(() => {
      this.closed = true;
      off();
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
    });
  }

  rt(tk: string): ResourceType {
    let rt = this.rts.get(tk);
    if (!rt) {
      rt = this.ctx.types.all().find((t) => typeKey(t.group, t.resource) === tk && !t.virtual);
      if (!rt) throw new Error(`no type ${tk}`);
      this.rts.set(tk, rt);
    }
    return rt;
  }

  get(tk: string, ns: string | undefined, name: string): KObj | undefined {
    return this.ctx.store.get(tk, ns, name);
  }

  byKey(tk: string, key: string): KObj | undefined {
    const i = key.indexOf('/');
    return i < 0 ? this.get(tk, undefined, key) : this.get(tk, key.slice(0, i), key.slice(i + 1));
  }

  /** Listen to store changes of one type key ('*' for all). Listeners only enqueue; work happens later. */
  on(tk: string, fn: (e: StoreEvent) => void): void {
    const a = this.listeners.get(tk) ?? [];
    a.push(fn);
    this.listeners.set(tk, a);
  }

  handle(queue: string, fn: Handler): void {
    this.handlers.set(queue, fn);
  }

  enqueue(queue: string, key: string): void {
    if (this.closed) return;
    let q = this.queues.get(queue);
    if (!q) this.queues.set(queue, (q = new Set()));
    q.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (this.closed) return;
    let budget = BATCH;
    for (const [name, q] of this.queues) {
      const h = this.handlers.get(name);
      for (const key of q) {
        if (budget-- <= 0) break;
        q.delete(key);
        if (h) this.guard(() => h(key));
      }
    }
    for (const q of this.queues.values()) {
      if (q.size > 0 && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.drain());
      }
    }
  }

  /** Runs a reconcile step; an object that vanished or changed underneath is retried by its next event. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return;
      console.error('[sim controllers]', err);
    }
  }

  after(simMs: number, fn: () => void): void {
    if (this.closed) return;
    const t = this.ctx.clock.after(Math.max(0, simMs), () => {
      this.timers.delete(t);
      if (!this.closed) this.guard(fn);
    });
    this.timers.add(t);
  }

  every(simMs: number, fn: () => void): void {
    const t = this.ctx.clock.every(simMs, () => {
      if (!this.closed) this.guard(fn);
    });
    this.timers.add(t);
  }

  /** A periodic tick no faster than every `minWallMs` of wall time, whatever the speed. */
  tick(simMs: number, minWallMs: number, fn: () => void): void {
    this.every(Math.max(simMs, minWallMs * this.ctx.clock.speed), fn);
  }

  create(tk: string, obj: Partial<KObj> & { metadata: KObj['metadata'] }): KObj {
    return this.ctx.store.create(this.rt(tk), obj as KObj);
  }

  update(tk: string, obj: KObj): KObj {
    return this.ctx.store.update(this.rt(tk), obj);
  }

  /** Writes status through the status subresource when the type has one (a main-resource write would drop it). */
  setStatus(tk: string, obj: KObj, status: unknown): KObj {
    const rt = this.rt(tk);
    const viaSub = (rt.subresources ?? []).some((s) => s.name === 'status');
    return this.ctx.store.update(rt, { ...obj, status }, viaSub ? { subresource: 'status' } : {});
  }

  remove(tk: string, ns: string | undefined, name: string): void {
    if (this.get(tk, ns, name)) this.ctx.store.remove(this.rt(tk), ns, name);
  }

  /**
   * Records a core/v1 Event. Repeats (same object, reason, message) bump count and lastTimestamp on one
   * Event rather than adding another; the oldest are dropped past a cap.
   */
  event(
    obj: KObj,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    opts: { host?: string; fieldPath?: string } = {},
  ): void {
    const m = obj.metadata;
    const ns = m.namespace ?? 'default';
    const aggKey = `${m.uid}|${type}|${reason}|${message}|${opts.fieldPath ?? ''}`;
    const now = nowIso();
    const prev = this.eventKeys.get(aggKey);
    const existing = prev && this.get('events', prev.ns, prev.name);
    if (existing) {
      this.eventKeys.delete(aggKey);
      this.eventKeys.set(aggKey, prev);
      this.update('events', { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: now });
      return;
    }
    const name = `${m.name}.${(BigInt(Date.now()) * 1000000n + BigInt(this.seq++)).toString(16)}`;
    this.create('events', {
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: obj.kind,
        namespace: m.namespace,
        name: m.name,
        uid: m.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: m.resourceVersion,
        ...(opts.fieldPath ? { fieldPath: opts.fieldPath } : {}),
      },
      reason,
      message,
      source: { component, ...(opts.host ? { host: opts.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: opts.host ?? '',
    });
    this.eventKeys.set(aggKey, { ns, name });
    while (this.eventKeys.size > EVENT_CAP) {
      const [k, v] = this.eventKeys.entries().next().value as [string, { ns: string; name: string }];
      this.eventKeys.delete(k);
      this.guard(() => this.remove('events', v.ns, v.name));
    }
  }
  private seq = 0;
}

export const keyOf = (o: KObj) =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;

/** The owner that controls this object, if any. */
export function controllerRef(o: KObj): { kind: string; name: string; uid: string } | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function ownerRef(owner: KObj): NonNullable<KObj['metadata']['ownerReferences']>[number] {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Returns conditions with one condition set. lastTransitionTime moves only when status flips, so a
 * reconcile that changes nothing writes nothing (and cannot loop on its own watch events).
 */
export function setCondition(conds: Condition[] | undefined, c: Condition, extraTimes: string[] = []): Condition[] {
  const now = nowIso();
  const out = (conds ?? []).filter((x) => x.type !== c.type);
  const prev = (conds ?? []).find((x) => x.type === c.type);
  const same = prev && prev.status === c.status;
  const next: Condition = { ...c, lastTransitionTime: same && prev.lastTransitionTime ? prev.lastTransitionTime : now };
  for (const t of extraTimes)
    next[t] = same && prev.reason === c.reason && prev.message === c.message && prev[t] ? prev[t] : now;
  const i = (conds ?? []).findIndex((x) => x.type === c.type);
  if (i < 0) out.push(next);
  else out.splice(i, 0, next);
  return out;
}

export const findCondition = (conds: Condition[] | undefined, type: string) => conds?.find((c) => c.type === type);

/** Key-order-independent JSON, so templates that differ only in key order compare equal. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
/** A short hash in the alphabet Kubernetes uses for pod-template-hash and controller-revision-hash. */
export function shortHash(v: unknown, n = 10): string {
  const d = createHash('sha256').update(stableJson(v)).digest();
  let s = '';
  for (let i = 0; i < n; i++) s += SAFE[d[i] % SAFE.length];
  return s;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Resolves an int-or-percent (maxSurge, maxUnavailable, minAvailable) against a total. */
export function intOrPercent(
  v: number | string | undefined,
  total: number,
  def: number | string,
  roundUp: boolean,
): number {
  const x = v ?? def;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) return Number(x) || 0;
  const f = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

export const isTerminal = (p: KObj) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const isActive = (p: KObj) => !p.metadata.deletionTimestamp && !isTerminal(p);
export const isReady = (p: KObj) => findCondition(p.status?.conditions, 'Ready')?.status === 'True';

/** Pods a controller owns, from the store's owner index (never a scan of all pods). */
export function ownedPods(r: Runtime, owner: KObj): KObj[] {
  return r.ctx.store
    .dependents(owner.metadata.uid!)
    .filter((d) => d.tk === 'pods')
    .map((d) => d.object);
}

export function owned(r: Runtime, owner: KObj, tk: string): KObj[] {
  return r.ctx.store
    .dependents(owner.metadata.uid!)
    .filter((d) => d.tk === tk)
    .map((d) => d.object);
}

/** A pod built from a template, as the workload controllers create them. */
export function podFromTemplate(
  owner: KObj,
  template: KObj['spec'],
  extra: {
    name?: string;
    generateName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  },
): KObj {
  const t = structuredClone(template ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(extra.name ? { name: extra.name } : { name: '', generateName: extra.generateName }),
      namespace: owner.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
      ...(t.metadata?.annotations || extra.annotations
        ? { annotations: { ...(t.metadata?.annotations ?? {}), ...(extra.annotations ?? {}) } }
        : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: withPodDefaults(t.spec ?? {}),
    status: { phase: 'Pending', qosClass: qosClass(t.spec?.containers ?? []) },
  };
}

const failedCreates = new WeakMap<Runtime, Map<string, Set<string>>>();

/**
 * Creates a controller's pod as the API server admits it: a refused pod (a missing ServiceAccount) becomes the
 * owner's FailedCreate event, and the owner's queue is retried when ServiceAccounts of its namespace change.
 */
export function createPod(r: Runtime, owner: KObj, component: string, pod: KObj): KObj | undefined {
  try {
    checkServiceAccount(r.ctx.store, pod);
    return r.create('pods', pod);
  } catch (e) {
    if (!(e instanceof StatusError) || e.code !== 403) throw e;
    r.event(owner, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, component);
    let byNs = failedCreates.get(r);
    if (!byNs) {
      failedCreates.set(r, (byNs = new Map()));
      const retry = byNs;
      r.on('serviceaccounts', (ev) => {
        const waiting = retry.get(ev.object.metadata.namespace ?? '');
        if (!waiting) return;
        retry.delete(ev.object.metadata.namespace ?? '');
        for (const item of waiting) {
          const [queue, uid] = item.split(' ');
          r.enqueue(queue, uid);
        }
      });
    }
    const ns = owner.metadata.namespace ?? '';
    if (!byNs.has(ns)) byNs.set(ns, new Set());
    byNs.get(ns)!.add(`${QUEUE_OF[owner.kind] ?? ''} ${owner.metadata.uid}`);
    return undefined;
  }
}
const QUEUE_OF: Record<string, string> = {
  ReplicaSet: 'replicaset',
  Job: 'job',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
};

/** Defaults the API server fills in, so `get -o yaml` and describe look like a real pod. */
export function withPodDefaults(spec: KObj['spec']): KObj['spec'] {
  const s = {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccountName: 'default',
    ...spec,
  };
  s.serviceAccount ??= s.serviceAccountName;
  s.containers = (s.containers ?? []).map((c: KObj['spec']) => ({
    imagePullPolicy: /:latest$|^[^:]+$/.test(c.image ?? '') ? 'Always' : 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: {},
    ...c,
  }));
  s.tolerations ??= [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ];
  return s;
}
