// One kubeconfig context: its client-node config, reachability probe, discovered kinds, and the caches it serves.
import type { KubeConfig } from '@kubernetes/client-node';
import type { CacheStatus, ConnectionState, ContextInfo, KubeErrorCode } from '../../shared/kube';
import { DescriptorRegistry, kindId, type KObject, type KindDescriptor } from './descriptors';
import { toKubeError } from './errors';
import { HttpClient } from './http';
import { WatchCache, type WatchCacheOptions } from './watchCache';

export interface ConnectionOptions {
  probeTimeoutMs?: number;
  cache?: WatchCacheOptions;
  /** Called before any request when the context's user runs an exec plugin; rejects with notApproved. */
  ensureApproved: () => Promise<void>;
  onState: (c: Connection) => void;
}

interface CacheEntry {
  cache: WatchCache;
  refs: number;
  offStatus: () => void;
}

const nowIso = (t = Date.now()) => new Date(t).toISOString();

export class Connection {
  readonly http: HttpClient;
  readonly registry = new DescriptorRegistry();
  /** can-I answers, per context (SelfSubjectAccessReview results with an expiry). */
  readonly access = new Map<string, { allowed: boolean; until: number }>();
  private readonly caches = new Map<string, CacheEntry>();
  private probeState: ConnectionState = { state: 'idle' };
  private lastState: ConnectionState = { state: 'idle' };
  private probing?: Promise<void>;
  private crdSub?: () => void;
  serverVersion?: string;
  nodeCount?: number;
  namespaceCount?: number;
  private closed = false;

  constructor(
    readonly name: string,
    readonly kc: KubeConfig,
    private readonly opts: ConnectionOptions,
  ) {
    this.http = new HttpClient(kc);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  /** The state a face shows: the probe's verdict, refined by the health of every open watch. */
  get state(): ConnectionState {
    const p = this.probeState;
    if (p.state !== 'connected') return p;
    let since: number | undefined;
    let reason = '';
    for (const { cache } of this.caches.values()) {
      const s = cache.status;
      if (s.synced && !s.live && cache.reconnectingSince !== undefined) {
        if (since === undefined || cache.reconnectingSince < since) {
          since = cache.reconnectingSince;
          reason = s.error?.message ?? 'reconnecting';
        }
      }
    }
    return since === undefined ? p : { state: 'reconnecting', since: nowIso(since), reason };
  }

  info(current: boolean): ContextInfo {
    const ctx = this.kc.getContextObject(this.name)!;
    const user = this.kc.getCurrentUser();
    const exec = (user?.exec ?? user?.authProvider?.config?.exec) as { command?: string } | undefined;
    const i: ContextInfo = {
      name: this.name,
      cluster: ctx.cluster,
      user: ctx.user,
      server: this.server,
      current,
      connection: this.state,
    };
    if (ctx.namespace) i.namespace = ctx.namespace;
    if (exec?.command) i.execCommand = exec.command;
    if (this.serverVersion) i.serverVersion = this.serverVersion;
    if (this.nodeCount !== undefined) i.nodeCount = this.nodeCount;
    if (this.namespaceCount !== undefined) i.namespaceCount = this.namespaceCount;
    return i;
  }

  private setProbe(s: ConnectionState): void {
    this.probeState = s;
    this.notify();
  }

  notify(): void {
    const s = this.state;
    const key = (x: ConnectionState) => JSON.stringify(x);
    if (key(s) !== key(this.lastState)) {
      this.lastState = s;
      this.opts.onState(this);
    }
  }

  /** Probes the server in the background; never throws. Resolves when the verdict is in. */
  connect(): Promise<void> {
    if (this.probing) return this.probing;
    this.probing = this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probe(): Promise<void> {
    this.setProbe({ state: 'connecting', since: nowIso() });
    const timeoutMs = this.opts.probeTimeoutMs ?? 10_000;
    try {
      await this.opts.ensureApproved();
      const v = await this.http.json<{ gitVersion?: string; major?: string; minor?: string }>('/version', {
        timeoutMs,
      });
      this.serverVersion = v.gitVersion ?? `v${v.major}.${v.minor}`;
    } catch (e) {
      const k = toKubeError(e);
      if (!this.closed)
        this.setProbe({ state: 'unreachable', since: nowIso(), reason: k.message, code: k.code as KubeErrorCode });
      return;
    }
    // Counts and CRDs are best-effort: a user who may not list nodes still gets a connected context.
    const [nodes, namespaces] = await Promise.all([
      this.count('/api/v1/nodes', timeoutMs),
      this.count('/api/v1/namespaces', timeoutMs),
    ]);
    this.nodeCount = nodes;
    this.namespaceCount = namespaces;
    await this.discoverCrds(timeoutMs);
    if (!this.closed) this.setProbe({ state: 'connected', since: nowIso() });
  }

  /** Object count from one page of size 1: items + remainingItemCount. */
  private async count(path: string, timeoutMs: number): Promise<number | undefined> {
    try {
      const l = await this.http.json<{
        items?: unknown[];
        metadata?: { remainingItemCount?: number; continue?: string };
      }>(path, { query: { limit: 1 }, timeoutMs });
      const n = (l.items?.length ?? 0) + (l.metadata?.remainingItemCount ?? 0);
      if (l.metadata?.continue && l.metadata.remainingItemCount === undefined) {
        // Server did not say how many remain: count the pages.
        let total = l.items?.length ?? 0;
        let cont: string | undefined = l.metadata.continue;
        while (cont) {
          const p: { items?: unknown[]; metadata?: { continue?: string } } = await this.http.json(path, {
            query: { limit: 500, continue: cont },
            timeoutMs,
          });
          total += p.items?.length ?? 0;
          cont = p.metadata?.continue || undefined;
        }
        return total;
      }
      return n;
    } catch {
      return undefined;
    }
  }

  /** Lists CRDs into descriptors, then keeps them current with a watch. Returns the kinds now known. */
  async discoverCrds(timeoutMs = 10_000): Promise<KindDescriptor[]> {
    try {
      const l = await this.http.json<{ items?: KObject[] }>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        timeoutMs,
      });
      this.registry.setCrds(l.items ?? []);
      if (!this.closed) this.watchCrds();
    } catch {
      // No CRD access: built-in kinds only.
    }
    return this.registry.all();
  }

  /** Opens (or shares) the cache for a kind and scope. Refcounted: release with `release`. */
  acquire(kind: KindDescriptor, namespace: string | undefined): WatchCache {
    const key = `${kindId(kind)}|${namespace ?? '*'}`;
    let e = this.caches.get(key);
    if (!e) {
      const cache = new WatchCache(
        this.http,
        this.kc,
        kind,
        kind.namespaced ? namespace : undefined,
        this.name,
        this.opts.cache,
      );
      const offStatus = cache.onStatus(() => this.notify());
      e = { cache, refs: 0, offStatus };
      this.caches.set(key, e);
      // The approval check runs first; a refused plugin leaves the cache unsynced with the reason.
      this.opts
        .ensureApproved()
        .then(() => !this.closed && this.caches.get(key)?.cache === cache && cache.start())
        .catch(() => undefined);
    }
    e.refs++;
    return e.cache;
  }

  async release(cache: WatchCache): Promise<void> {
    const key = `${kindId(cache.kind)}|${cache.namespace ?? '*'}`;
    const e = this.caches.get(key);
    if (!e || e.cache !== cache) return;
    e.refs--;
    if (e.refs > 0) return;
    this.caches.delete(key);
    e.offStatus();
    await cache.stop();
    this.notify();
  }

  /** Any open cache for this kind that covers `namespace` (an all-namespaces cache covers every namespace). */
  findCache(kind: { group: string; plural: string }, namespace?: string): WatchCache | undefined {
    const id = kindId(kind);
    const exact = this.caches.get(`${id}|${namespace ?? '*'}`);
    if (exact) return exact.cache;
    return this.caches.get(`${id}|*`)?.cache;
  }

  openCaches(): Array<{ kind: string; namespace?: string; refs: number; status: CacheStatus }> {
    return [...this.caches.values()].map((e) => ({
      kind: kindId(e.cache.kind),
      namespace: e.cache.namespace,
      refs: e.refs,
      status: e.cache.status,
    }));
  }

  private watchCrds(): void {
    if (this.crdSub) return;
    const crdKind = this.registry.get('customresourcedefinitions.apiextensions.k8s.io')!;
    const cache = this.acquire(crdKind, undefined);
    const off = cache.onBatch(() => this.registry.setCrds(cache.list()));
    this.crdSub = () => {
      off();
      void this.release(cache);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.crdSub?.();
    const all = [...this.caches.values()];
    this.caches.clear();
    await Promise.all(all.map((e) => (e.offStatus(), e.cache.stop())));
    this.http.close();
    this.probeState = { state: 'idle' };
  }
}
