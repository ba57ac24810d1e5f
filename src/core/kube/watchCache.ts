// One kind in one scope (a namespace or all) of one context: list in pages, then watch from the list's
// resourceVersion with bookmarks. 410 → relist; errors, dropped connections and silent streams → reconnect with
// backoff, marking the data stale until the watch is live again. Changes go out as batches.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { CacheStatus, ChangeBatch, ObjectKey } from '../../shared/kube';
import { resourcePath, type KObject, type KindDescriptor } from './descriptors';
import { KubeError, errorFromStatus, toKubeError } from './errors';
import type { HttpClient } from './http';
import { ObjectIndex } from './objectIndex';

export interface WatchCacheOptions {
  pageSize?: number;
  /** A watch that delivers no bytes (bookmarks included) for this long is treated as dead. */
  silentMs?: number;
  /** How long to wait for a watch's response headers or a list page. */
  requestTimeoutMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /**
   * A watch the server accepted and kept at least this long counts as healthy when it later fails: the next reconnect
   * starts again from backoffMinMs instead of doubling. Only connections the server refuses or fails escalate.
   */
  healthyMs?: number;
  /** Server-side watch timeout range; the server ends the watch cleanly and we re-watch. */
  watchTimeoutSeconds?: [number, number];
}

export interface WatchCacheEvents {
  batch: ChangeBatch;
  status: CacheStatus;
}

const DEFAULTS: Required<WatchCacheOptions> = {
  pageSize: 500,
  silentMs: 75_000,
  requestTimeoutMs: 30_000,
  backoffMinMs: 250,
  // Short enough that any fault is recovered from within ~5 s of its end (the fault campaign's goal).
  backoffMaxMs: 4_000,
  healthyMs: 0,
  watchTimeoutSeconds: [300, 600],
};

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KObject[];
}

/** Drop what no face shows and that costs the most memory at scale. */
function slim(o: KObject): KObject {
  if (o.metadata.managedFields) delete o.metadata.managedFields;
  return o;
}

class WatchEnded extends Error {
  constructor(
    readonly kind: 'clean' | 'expired' | 'silent' | 'error',
    readonly cause?: KubeError,
  ) {
    super(kind);
  }
}

export class WatchCache {
  readonly index = new ObjectIndex();
  private readonly o: Required<WatchCacheOptions>;
  private rv: string | undefined;
  private stopped = false;
  private running?: Promise<void>;
  private abortCurrent?: () => void;
  private wake?: () => void;
  private listeners = new Set<(e: ChangeBatch) => void>();
  private statusListeners = new Set<(s: CacheStatus) => void>();
  private pending: { added: KObject[]; modified: KObject[]; deleted: ObjectKey[] } = {
    added: [],
    modified: [],
    deleted: [],
  };
  private flushScheduled = false;
  private syncWaiters: Array<{ resolve: () => void; reject: (e: KubeError) => void }> = [];
  private _status: CacheStatus = { live: false, stale: true, synced: false };
  /** Since when the cache has been trying to reconnect (undefined while live). */
  reconnectingSince?: number;
  /** Counts for tests and diagnostics: how the cache has recovered so far. */
  readonly stats = { lists: 0, watches: 0, relists: 0, reconnects: 0, silent: 0, events: 0, lastDelayMs: 0 };
  /** When the current watch connected (0 while not connected). */
  private liveSince = 0;
  /** How long the last watch that ended had been connected. */
  private lastUptimeMs = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly kc: KubeConfig,
    readonly kind: KindDescriptor,
    readonly namespace: string | undefined,
    readonly context: string,
    opts: WatchCacheOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...opts };
  }

  get status(): CacheStatus {
    return this._status;
  }

  /** Current objects (never null); check `status.stale` before presenting them as live. */
  list(): KObject[] {
    return [...this.index.values()];
  }

  onBatch(fn: (e: ChangeBatch) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onStatus(fn: (s: CacheStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abortCurrent?.();
    this.wake?.();
    const err = new KubeError('unknown', 'the subscription was closed');
    this.syncWaiters.splice(0).forEach((w) => w.reject(err));
    await this.running;
  }

  /**
   * Resolves when the first full list has been applied (or rejects with why it could not be). With `timeoutMs`,
   * rejects with `onTimeout(status)` when the list has not come by then.
   */
  whenSynced(timeoutMs?: number, onTimeout?: (status: CacheStatus) => Error): Promise<void> {
    if (this._status.synced) return Promise.resolve();
    const synced = new Promise<void>((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
    if (timeoutMs === undefined) return synced;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_r, reject) => {
      timer = setTimeout(
        () => reject(onTimeout?.(this._status) ?? new KubeError('timeout', `no list within ${timeoutMs / 1000}s`)),
        timeoutMs,
      );
    });
    return Promise.race([synced, late]).finally(() => clearTimeout(timer));
  }

  private setStatus(s: Partial<CacheStatus>): void {
    const next: CacheStatus = { ...this._status, ...s };
    if (!('error' in s) && s.live) delete next.error;
    next.resourceVersion = this.rv;
    const changed =
      next.live !== this._status.live ||
      next.stale !== this._status.stale ||
      next.synced !== this._status.synced ||
      next.error?.message !== this._status.error?.message;
    this._status = next;
    if (next.live) this.reconnectingSince = undefined;
    else if (next.synced && this.reconnectingSince === undefined) this.reconnectingSince = Date.now();
    if (changed) for (const l of [...this.statusListeners]) l(next);
  }

  /** How long the current watch has been connected (0 when it is not). */
  get liveForMs(): number {
    return this.liveSince ? Date.now() - this.liveSince : 0;
  }

  private async loop(): Promise<void> {
    let backoff = this.o.backoffMinMs;
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.rv === undefined) await this.relist();
        if (this.stopped) break;
        const healthy = await this.watchOnce();
        if (healthy) {
          backoff = this.o.backoffMinMs;
          failures = 0;
        } else if (!this.stopped) {
          // A server that ends every watch at once must not spin us.
          await this.sleep(backoff);
          backoff = Math.min(this.o.backoffMaxMs, backoff * 2);
        }
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof WatchEnded && e.kind === 'expired') {
          // The server compacted past our resourceVersion: only a fresh list can bring us back.
          this.rv = undefined;
          this.stats.relists++;
          this.setStatus({ live: false, stale: true });
          continue;
        }
        failures++;
        // Connected for a while and then dropped: the server is fine, so start the backoff over.
        if (this.lastUptimeMs > 0 && this.lastUptimeMs >= this.o.healthyMs) backoff = this.o.backoffMinMs;
        const err =
          e instanceof WatchEnded
            ? (e.cause ??
              new KubeError(
                'unreachable',
                e.kind === 'silent'
                  ? `no data from the watch for ${Math.round(this.o.silentMs / 1000)}s`
                  : 'the watch connection ended',
              ))
            : toKubeError(e);
        if (e instanceof WatchEnded && e.kind === 'silent') this.stats.silent++;
        this.stats.reconnects++;
        this.setStatus({ live: false, stale: true, error: err.toDto() });
        // Never synced and the server refuses us outright: tell whoever waits instead of hanging.
        if (
          !this._status.synced &&
          (err.code === 'forbidden' || err.code === 'unauthorized' || err.code === 'notFound' || failures >= 3)
        ) {
          this.syncWaiters.splice(0).forEach((w) => w.reject(err));
        }
        const delay = Math.min(this.o.backoffMaxMs, backoff) * (0.8 + Math.random() * 0.4);
        this.stats.lastDelayMs = Math.round(delay);
        backoff = Math.min(this.o.backoffMaxMs, backoff * 2);
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Lists every page into a fresh index, then swaps it in and emits the difference (or a reset on first sync). */
  private async relist(): Promise<void> {
    this.stats.lists++;
    const path = resourcePath(this.kind, this.namespace);
    const fresh: KObject[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    for (;;) {
      const page = await this.http
        .json<ListPage>(path, { query: { limit: this.o.pageSize, continue: cont }, timeoutMs: this.o.requestTimeoutMs })
        .catch((e: KubeError) => {
          // An expired continue token: start the list again.
          if (e.status === 410 && cont) return undefined;
          throw e;
        });
      if (this.stopped) return;
      if (!page) {
        fresh.length = 0;
        cont = undefined;
        continue;
      }
      for (const o of page.items ?? []) fresh.push(slim(o));
      rv = page.metadata?.resourceVersion ?? rv;
      cont = page.metadata?.continue || undefined;
      if (!cont) break;
    }
    const first = !this._status.synced;
    if (first) {
      for (const o of fresh) this.index.upsert(o);
      this.rv = rv;
      this.emit({ reset: true, added: fresh, modified: [], deleted: [] });
    } else {
      const seen = new Set<string>();
      const added: KObject[] = [];
      const modified: KObject[] = [];
      for (const o of fresh) {
        const prev = this.index.upsert(o);
        seen.add(o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
        if (!prev) added.push(o);
        else if (prev.metadata.resourceVersion !== o.metadata.resourceVersion) modified.push(o);
      }
      const deleted: ObjectKey[] = [];
      for (const key of [...this.index.keys()]) {
        if (seen.has(key)) continue;
        const gone = this.index.getByKey(key)!;
        this.index.remove(gone.metadata.namespace, gone.metadata.name);
        deleted.push(
          gone.metadata.namespace
            ? { namespace: gone.metadata.namespace, name: gone.metadata.name }
            : { name: gone.metadata.name },
        );
      }
      this.rv = rv;
      this.flush();
      this.emit({ reset: false, added, modified, deleted });
    }
    this.setStatus({ synced: true, live: true, stale: false });
    this.syncWaiters.splice(0).forEach((w) => w.resolve());
  }

  /**
   * Runs one watch from the current resourceVersion until it ends. Returns true if it was healthy (connected and
   * ended cleanly); throws WatchEnded for 410, silence and errors.
   */
  private async watchOnce(): Promise<boolean> {
    this.stats.watches++;
    const [lo, hi] = this.o.watchTimeoutSeconds;
    const timeoutSeconds = Math.round(lo + Math.random() * (hi - lo));
    const path = resourcePath(this.kind, this.namespace);
    const watch = new Watch(this.kc);
    let lastByte = Date.now();
    let expired = false;
    let streamError: KubeError | undefined;
    let connected = false;
    let connectedAt = 0;
    return new Promise<boolean>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearInterval(silentTimer);
        clearTimeout(connectTimer);
        this.abortCurrent = undefined;
        controller?.abort();
        this.lastUptimeMs = connected ? Date.now() - connectedAt : 0;
        this.liveSince = 0;
        fn();
      };
      const silentTimer = setInterval(
        () => {
          if (connected && Date.now() - lastByte > this.o.silentMs) settle(() => reject(new WatchEnded('silent')));
        },
        Math.max(50, Math.min(5_000, this.o.silentMs / 4)),
      );
      // client-node hands back the AbortController only once response headers arrive; a server that never answers
      // must not keep us waiting forever.
      const connectTimer = setTimeout(
        () =>
          settle(() =>
            reject(
              new WatchEnded(
                'error',
                new KubeError('timeout', `the watch got no answer within ${this.o.requestTimeoutMs / 1000}s`),
              ),
            ),
          ),
        this.o.requestTimeoutMs,
      );
      this.abortCurrent = () => settle(() => resolve(true));
      const onEvent = (type: string, obj: unknown) => {
        lastByte = Date.now();
        if (settled) return;
        const o = obj as KObject;
        switch (type) {
          case 'ADDED':
          case 'MODIFIED':
            this.applyUpsert(slim(o));
            break;
          case 'DELETED':
            this.applyDelete(o);
            break;
          case 'BOOKMARK':
            if (o?.metadata?.resourceVersion) this.rv = o.metadata.resourceVersion;
            return;
          case 'ERROR': {
            const st = obj as { code?: number; reason?: string };
            if (st?.code === 410 || st?.reason === 'Expired' || st?.reason === 'Gone') expired = true;
            else streamError = errorFromStatus(st?.code ?? 500, obj);
            settle(() => reject(expired ? new WatchEnded('expired') : new WatchEnded('error', streamError)));
            return;
          }
          default:
            return;
        }
        if (o?.metadata?.resourceVersion) this.rv = o.metadata.resourceVersion;
      };
      const onDone = (err: unknown) => {
        if (settled) return;
        if (!err) settle(() => resolve(connected && Date.now() - connectedAt > 1000));
        else {
          const k = toKubeError(err);
          if (k.status === 410) settle(() => reject(new WatchEnded('expired')));
          else settle(() => reject(new WatchEnded('error', k)));
        }
      };
      watch
        .watch(path, { allowWatchBookmarks: true, resourceVersion: this.rv, timeoutSeconds }, onEvent, onDone)
        .then((c) => {
          controller = c;
          if (settled) {
            c.abort();
            return;
          }
          clearTimeout(connectTimer);
          connected = true;
          connectedAt = lastByte = this.liveSince = Date.now();
          // Headers arrived and the server replays everything after our resourceVersion: the data is live again.
          this.setStatus({ live: true, stale: false });
        })
        .catch((e) => onDone(e ?? new Error('watch failed')));
    });
  }

  private keyOf(o: KObject): ObjectKey {
    return o.metadata.namespace
      ? { namespace: o.metadata.namespace, name: o.metadata.name }
      : { name: o.metadata.name };
  }

  private applyUpsert(o: KObject): void {
    this.stats.events++;
    const prev = this.index.upsert(o);
    (prev ? this.pending.modified : this.pending.added).push(o);
    this.scheduleFlush();
  }

  private applyDelete(o: KObject): void {
    this.stats.events++;
    if (this.index.remove(o.metadata.namespace, o.metadata.name)) {
      this.pending.deleted.push(this.keyOf(o));
      this.scheduleFlush();
    }
  }

  /** Applies a batch of watch events directly (the benchmark drives the apply path without a network). */
  applyEvents(events: Array<{ type: string; object: KObject }>): void {
    for (const e of events) {
      if (e.type === 'DELETED') this.applyDelete(e.object);
      else if (e.type === 'ADDED' || e.type === 'MODIFIED') this.applyUpsert(slim(e.object));
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const p = this.pending;
    if (!p.added.length && !p.modified.length && !p.deleted.length) return;
    this.pending = { added: [], modified: [], deleted: [] };
    this.emit({ reset: false, ...p });
  }

  private emit(b: { reset: boolean; added: KObject[]; modified: KObject[]; deleted: ObjectKey[] }): void {
    if (!this.listeners.size) return;
    const batch: ChangeBatch = {
      context: this.context,
      kind: { group: this.kind.group, version: this.kind.version, plural: this.kind.plural },
      namespace: this.namespace,
      ...b,
    };
    for (const l of [...this.listeners]) {
      try {
        l(batch);
      } catch {
        // listeners must not break the cache
      }
    }
  }
}
