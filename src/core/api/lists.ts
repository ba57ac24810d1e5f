// Keeps watch caches open for the kinds faces list, so `GET /api/pods` answers from memory. A list request opens
// (or reuses) an all-namespaces watch; caches nobody asked for in `idleMs` are released.
import type { KubeEngine, Subscription } from '../kube/engine';
import { KubeError } from '../kube/errors';
import type { WatchCache } from '../kube/watchCache';
import type { KindDescriptor } from '../kube/descriptors';
import { ApiError } from './errors';

interface Held {
  sub: Subscription;
  lastUsed: number;
}

export class ListKeeper {
  private readonly held = new Map<string, Held>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly kube: KubeEngine,
    private readonly idleMs = 10 * 60_000,
    private readonly syncTimeoutMs = 20_000,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  /** A synced cache covering `namespace` (all namespaces if possible; one namespace if RBAC allows only that). */
  async cache(context: string, kind: string, namespace?: string): Promise<{ cache: WatchCache; kind: KindDescriptor }> {
    const d = this.kube.descriptor(context, kind);
    try {
      return { cache: await this.open(context, d, undefined), kind: d };
    } catch (e) {
      if (!(e instanceof KubeError && e.code === 'forbidden' && namespace && d.namespaced)) throw e;
      return { cache: await this.open(context, d, namespace), kind: d };
    }
  }

  /**
   * The all-namespaces cache of a kind, opened if needed, without waiting for it to sync: for callers that answer with
   * what is already in memory and say what is still loading (the palette's search).
   */
  peek(context: string, kind: string): { cache: WatchCache; kind: KindDescriptor } {
    const d = this.kube.descriptor(context, kind);
    return { cache: this.hold(context, d, undefined).h.sub.cache, kind: d };
  }

  private hold(context: string, d: KindDescriptor, namespace: string | undefined): { h: Held; key: string } {
    const key = `${context}|${d.group}/${d.plural}|${namespace ?? '*'}`;
    let h = this.held.get(key);
    if (!h) {
      h = {
        sub: this.kube.subscribe(context, d.group ? `${d.plural}.${d.group}` : d.plural, namespace),
        lastUsed: Date.now(),
      };
      this.held.set(key, h);
    }
    h.lastUsed = Date.now();
    return { h, key };
  }

  private async open(context: string, d: KindDescriptor, namespace: string | undefined): Promise<WatchCache> {
    const { h, key } = this.hold(context, d, namespace);
    const cache = h.sub.cache;
    if (cache.status.synced) return cache;
    try {
      await cache.whenSynced(
        this.syncTimeoutMs,
        (s) =>
          new ApiError(
            'unreachable',
            `the cluster did not answer the ${d.plural} list within ${this.syncTimeoutMs / 1000}s: ${s.error?.message ?? 'no reply'}`,
            503,
          ),
      );
    } catch (e) {
      // A refused or dead watch must not stay open for the next caller to wait on.
      this.held.delete(key);
      void h.sub.unsubscribe();
      throw e;
    }
    return cache;
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [key, h] of [...this.held]) {
      if (now - h.lastUsed > this.idleMs) {
        this.held.delete(key);
        await h.sub.unsubscribe();
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(all.map((h) => h.sub.unsubscribe()));
  }
}
