// One context's detection: subscribes to the kinds the rules read, feeds each batch to the detector (and the objects
// that depend on the changed ones), records changes (rollouts, config edits) for correlation, and sweeps held and
// time-dependent findings. Driven entirely by the watch cache: nothing here calls the API server on a timer.
import { createHash } from 'node:crypto';
import type { ChangeBatch, ObjectKey } from '../../shared/kube';
import type { ChangeRecord } from '../../shared/incidents';
import type { KubeEngine, Subscription } from '../kube/engine';
import type { KObject } from '../kube/descriptors';
import { Detector } from './detector';
import type { DaemonSet, Deployment, Node, StatefulSet } from '../kube/objects';
import { clusterView, WATCHED_KINDS, type ClusterView, type RuleOptions, type WatchedKind } from './rules';

export interface WatcherHooks {
  onChanges(w: ContextWatcher): void;
  onChangeRecord(c: ChangeRecord): void;
  /** After each sweep (every sweepMs). */
  onSweep?(w: ContextWatcher): void;
}

const KIND_NAMES: Record<string, string> = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  nodes: 'Node',
};

export class ContextWatcher {
  readonly detector: Detector;
  private subs = new Map<WatchedKind, Subscription>();
  private sweepTimer?: NodeJS.Timeout;
  /** Fingerprints of what we track for change correlation (workload templates, config data, node state). */
  private fingerprints = new Map<string, { fp: string; summary: string; images?: string; replicas?: number }>();
  readonly changes: ChangeRecord[] = [];
  private closed = false;
  readonly view: ClusterView;

  constructor(
    private readonly kube: KubeEngine,
    readonly context: string,
    opts: RuleOptions,
    private readonly hooks: WatcherHooks,
    private readonly sweepMs: number,
  ) {
    const cacheOf = (k: WatchedKind) => this.subs.get(k)?.cache;
    this.view = clusterView({
      get: (k, ns, name) => cacheOf(k)?.index.get(ns, name),
      inNamespace: (k, ns) => cacheOf(k)?.index.inNamespace(ns) ?? [],
      known: (k) => !!cacheOf(k)?.status.synced,
      eventsFor: (uid) => cacheOf('events')?.index.involving(uid) ?? [],
      ownedBy: (k, uid) => cacheOf(k)?.index.ownedBy(uid) ?? [],
      now: () => Date.now(),
    });
    this.detector = new Detector(context, this.view, opts);
  }

  start(): void {
    for (const k of WATCHED_KINDS) {
      try {
        const sub = this.kube.subscribe(this.context, k, undefined, (b) => this.onBatch(k, b));
        this.subs.set(k, sub);
      } catch {
        // The cluster does not serve this kind (old version) or it is not known: its rules stay silent.
      }
    }
    this.sweepTimer = setInterval(() => {
      this.detector.sweep();
      this.hooks.onChanges(this);
      this.hooks.onSweep?.(this);
    }, this.sweepMs);
    this.sweepTimer.unref();
  }

  /** Every watched cache has listed once (forbidden or failing kinds count as done: they report their error). */
  get synced(): boolean {
    for (const s of this.subs.values()) if (!s.cache.status.synced && !s.cache.status.error) return false;
    return this.subs.size > 0;
  }

  async whenSynced(timeoutMs = 30_000): Promise<void> {
    await Promise.race([
      Promise.all([...this.subs.values()].map((s) => s.cache.whenSynced().catch(() => undefined))),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
  }

  cacheErrors(): Array<{ kind: string; message: string }> {
    const out: Array<{ kind: string; message: string }> = [];
    for (const [k, s] of this.subs)
      if (s.cache.status.error) out.push({ kind: k, message: s.cache.status.error.message });
    return out;
  }

  list(kind: WatchedKind): KObject[] {
    return this.subs.get(kind)?.cache.list() ?? [];
  }

  /** A full scan (cold start, or the user asked for a refresh). */
  fullScan(): void {
    for (const k of WATCHED_KINDS) {
      const s = this.subs.get(k);
      if (s) this.detector.reset(k, s.cache.list());
    }
    this.hooks.onChanges(this);
  }

  private onBatch(kind: WatchedKind, b: ChangeBatch): void {
    if (this.closed) return;
    const d = this.detector;
    const added = b.added as KObject[];
    const modified = b.modified as KObject[];
    if (b.reset) {
      d.reset(kind, added);
      for (const o of added) this.track(kind, o, true);
    } else {
      for (const o of added) {
        d.evaluate(kind, o);
        this.track(kind, o, true);
      }
      for (const o of modified) {
        d.evaluate(kind, o);
        this.track(kind, o, false);
      }
      for (const k of b.deleted) d.remove(kind, k.namespace, k.name);
    }
    this.dependents(kind, [...added, ...modified], b.deleted, b.reset);
    this.hooks.onChanges(this);
  }

  /** Objects whose findings read the changed kind get re-evaluated too. */
  private dependents(kind: WatchedKind, changed: KObject[], deleted: ObjectKey[], reset: boolean): void {
    const d = this.detector;
    const v = this.view;
    const reeval = (k: WatchedKind, ns: string | undefined, name: string) => {
      const o = v.get(k, ns, name);
      if (o) d.evaluate(k, o);
    };
    const namespaces = new Set<string>([
      ...changed.map((o) => o.metadata.namespace ?? ''),
      ...deleted.map((k) => k.namespace ?? ''),
    ]);
    switch (kind) {
      case 'endpoints':
        for (const o of changed) reeval('services', o.metadata.namespace, o.metadata.name);
        for (const k of deleted) reeval('services', k.namespace, k.name);
        break;
      case 'services':
        if (reset) for (const i of this.list('ingresses')) d.evaluate('ingresses', i);
        else for (const ns of namespaces) for (const i of v.inNamespace('ingresses', ns)) d.evaluate('ingresses', i);
        break;
      case 'jobs':
        for (const j of changed) {
          const owner = j.metadata.ownerReferences?.find((r) => r.kind === 'CronJob');
          if (owner) reeval('cronjobs', j.metadata.namespace, owner.name);
        }
        if (deleted.length || reset) for (const c of this.list('cronjobs')) d.evaluate('cronjobs', c);
        break;
      case 'events':
        for (const e of changed) {
          const io = e.involvedObject as { kind?: string; namespace?: string; name?: string } | undefined;
          if (!io?.name || e.type !== 'Warning') continue;
          if (io.kind === 'Pod') reeval('pods', io.namespace, io.name);
          else if (io.kind === 'PersistentVolumeClaim') reeval('persistentvolumeclaims', io.namespace, io.name);
        }
        break;
      case 'configmaps':
      case 'secrets':
        for (const ns of namespaces)
          for (const p of d.sourcesWith('pods', 'missing_config_reference', ns)) reeval('pods', p.namespace, p.name);
        if (reset)
          for (const p of d.sourcesWith('pods', 'missing_config_reference')) reeval('pods', p.namespace, p.name);
        break;
      case 'storageclasses':
        for (const c of this.list('persistentvolumeclaims'))
          if (c.status?.phase === 'Pending') d.evaluate('persistentvolumeclaims', c);
        break;
      case 'replicasets':
        // A deployment's revision history changed: its fixes (rollback targets) may have too.
        for (const rs of changed) {
          const owner = rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
          if (owner) reeval('deployments', rs.metadata.namespace, owner.name);
        }
        break;
      case 'nodes':
        // Pods on a node that changed readiness may now be stuck terminating.
        for (const p of d.sourcesWith('pods', 'pod_stuck_terminating')) reeval('pods', p.namespace, p.name);
        break;
      default:
        break;
    }
  }

  // ---------------- change tracking ----------------

  private track(kind: WatchedKind, o: KObject, added: boolean): void {
    const name = KIND_NAMES[kind];
    if (!name) return;
    const key = `${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    let fp: string;
    let summary: string;
    let images: string | undefined;
    let replicas: number | undefined;
    let category: ChangeRecord['category'];
    if (kind === 'configmaps' || kind === 'secrets') {
      fp = digest(JSON.stringify([o.data ?? null, o.binaryData ?? null, o.stringData ?? null]));
      summary = `${name} ${o.metadata.namespace}/${o.metadata.name} data changed (keys: ${Object.keys((o.data as object) ?? {}).join(', ') || 'none'})`;
      category = 'config';
    } else if (kind === 'nodes') {
      const n = o as Node;
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
      const taints = n.spec?.taints ?? [];
      fp = `${ready}|${n.spec?.unschedulable === true}|${JSON.stringify(taints)}`;
      summary = `Node ${o.metadata.name}: Ready=${ready}${n.spec?.unschedulable ? ', cordoned' : ''}${taints.length ? `, ${taints.length} taint(s)` : ''}`;
      category = 'node';
    } else {
      const w = o as Deployment | StatefulSet | DaemonSet;
      const tmpl = w.spec?.template;
      fp = digest(JSON.stringify(tmpl ?? null));
      images = (tmpl?.spec?.containers ?? []).map((c) => `${c.name}=${c.image}`).join(', ');
      replicas = (w as Deployment).spec?.replicas;
      summary = `${name} ${o.metadata.namespace}/${o.metadata.name} pod template changed`;
      category = 'rollout';
    }
    const prev = this.fingerprints.get(key);
    this.fingerprints.set(key, { fp, summary, images, replicas });
    if (added && !prev) return; // First sight (cold start or creation): nothing changed that we saw.
    if (prev && prev.fp === fp) {
      if (replicas !== undefined && prev.replicas !== undefined && prev.replicas !== replicas) {
        this.record({
          kind: name,
          namespace: o.metadata.namespace,
          name: o.metadata.name,
          category: 'scale',
          summary: `${name} ${o.metadata.namespace}/${o.metadata.name} scaled ${prev.replicas} → ${replicas}`,
        });
      }
      return;
    }
    if (prev && images !== undefined && prev.images !== images)
      summary = `${name} ${o.metadata.namespace}/${o.metadata.name} rollout: ${prev.images} → ${images}`;
    else if (kind === 'nodes' && prev) summary = `${prev.summary} → ${summary.replace(/^Node [^:]+: /, '')}`;
    this.record({ kind: name, namespace: o.metadata.namespace, name: o.metadata.name, category, summary });
  }

  private record(c: Omit<ChangeRecord, 'id' | 'context' | 'time'>): void {
    const rec: ChangeRecord = {
      id: `chg-${digest(`${this.context}|${c.kind}|${c.namespace}|${c.name}|${Date.now()}|${Math.random()}`).slice(0, 16)}`,
      context: this.context,
      time: new Date().toISOString(),
      ...c,
    };
    if (rec.namespace === undefined) delete rec.namespace;
    this.changes.push(rec);
    if (this.changes.length > 2000) this.changes.splice(0, this.changes.length - 2000);
    this.hooks.onChangeRecord(rec);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    await Promise.all([...this.subs.values()].map((s) => s.unsubscribe()));
    this.subs.clear();
  }
}

function digest(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
