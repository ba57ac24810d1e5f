// The Kubernetes engine every face reads and acts through: contexts, connections, the watch cache, and actions.
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { dirname, basename } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ChangeBatch, ContextInfo, ConnectionState, KindDto } from '../../shared/kube';
import { Connection } from './connection';
import { toKindDto, type KindDescriptor } from './descriptors';
import { Emitter } from './emitter';
import { KubeError } from './errors';
import {
  configForContext,
  execRequestFor,
  kubeconfigFiles,
  loadKubeconfigs,
  MemoryApprovalStore,
  type ApprovalStore,
  type ExecApprover,
} from './kubeconfig';
import { KubeActions } from './actions';
import { PortForwards } from './portForward';
import type { WatchCache, WatchCacheOptions } from './watchCache';

export interface KubeEngineOptions {
  /** Kubeconfig files; default: $KUBECONFIG or ~/.kube/config. */
  files?: string[];
  /** Asked before a context's exec credential plugin first runs. Without it, exec plugins are refused. */
  approveExec?: ExecApprover;
  approvals?: ApprovalStore;
  /** How long a reachability probe may take before the context is reported unreachable. */
  probeTimeoutMs?: number;
  cache?: WatchCacheOptions;
  /** Re-read kubeconfig files when they change (default true). */
  watchFiles?: boolean;
}

export interface KubeEngineEvents extends Record<string, unknown> {
  /** The context list changed (kubeconfig edited, current context switched, probe results). */
  contexts: ContextInfo[];
  /** One context's connection state changed. */
  connection: { context: string; state: ConnectionState };
  /** Cache changes, for every subscription. */
  change: ChangeBatch;
  kubeconfigError: { file: string; message: string };
}

export interface Subscription {
  readonly cache: WatchCache;
  readonly kind: KindDescriptor;
  unsubscribe(): Promise<void>;
}

export class KubeEngine {
  readonly events = new Emitter<KubeEngineEvents>();
  readonly portForwards = new PortForwards();
  private config!: KubeConfig;
  private files: string[];
  private current = '';
  private readonly connections = new Map<string, Connection>();
  private readonly approved = new Map<string, string>();
  private readonly approving = new Map<string, Promise<void>>();
  private readonly approvals: ApprovalStore;
  private watchers: FSWatcher[] = [];
  private reloadTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: KubeEngineOptions = {}) {
    this.files = opts.files ?? kubeconfigFiles();
    this.approvals = opts.approvals ?? new MemoryApprovalStore();
    this.load();
    if (opts.watchFiles !== false) this.watchFiles();
  }

  // ---------------- contexts ----------------

  private load(): void {
    const loaded = loadKubeconfigs(this.files);
    for (const p of loaded.problems) this.events.emit('kubeconfigError', p);
    this.config = loaded.config;
    const names = new Set(this.config.getContexts().map((c) => c.name));
    if (!this.current || !names.has(this.current))
      this.current =
        this.config.getCurrentContext() && names.has(this.config.getCurrentContext())
          ? this.config.getCurrentContext()
          : ([...names][0] ?? '');
  }

  private watchFiles(): void {
    // Watch directories, not files: editors and `kubectl config` replace the file, which ends a file watch.
    for (const dir of new Set(this.files.map((f) => dirname(f)))) {
      const names = new Set(this.files.filter((f) => dirname(f) === dir).map((f) => basename(f)));
      try {
        const w = fsWatch(dir, { persistent: false }, (_ev, file) => {
          if (!file || names.has(String(file))) this.scheduleReload();
        });
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch {
        // The directory does not exist (yet); nothing to watch.
      }
    }
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 150);
  }

  /** Re-reads the kubeconfig files; contexts whose cluster or user changed are reconnected. */
  async reload(): Promise<void> {
    if (this.closed) return;
    const before = this.config;
    this.load();
    for (const [name, conn] of [...this.connections]) {
      const ctx = this.config.getContextObject(name);
      const same = ctx && sameContext(before, this.config, name);
      if (!same) {
        this.connections.delete(name);
        await conn.close();
        if (ctx) void this.connect(name);
      }
    }
    this.emitContexts();
  }

  private emitContexts(): void {
    this.events.emit('contexts', this.contexts());
  }

  contextNames(): string[] {
    return this.config.getContexts().map((c) => c.name);
  }

  currentContext(): string {
    return this.current;
  }

  /** Every context with what we know of it; contexts never connected show state `idle`. */
  contexts(): ContextInfo[] {
    return this.config.getContexts().map((c) => {
      const conn = this.connections.get(c.name);
      if (conn) return conn.info(c.name === this.current);
      const cluster = this.config.getCluster(c.cluster);
      const exec = execRequestFor(this.config, c.name);
      const i: ContextInfo = {
        name: c.name,
        cluster: c.cluster,
        user: c.user,
        server: cluster?.server ?? '',
        current: c.name === this.current,
        connection: { state: 'idle' },
      };
      if (c.namespace) i.namespace = c.namespace;
      if (exec) i.execCommand = exec.command;
      return i;
    });
  }

  context(name: string): ContextInfo {
    const c = this.contexts().find((x) => x.name === name);
    if (!c) throw new KubeError('notFound', `no context named "${name}" in ${this.files.join(', ')}`);
    return c;
  }

  /** Makes `name` the current context (of this engine; the kubeconfig file is left alone) and connects it. */
  async switchContext(name: string): Promise<ContextInfo> {
    if (!this.config.getContextObject(name)) throw new KubeError('notFound', `no context named "${name}"`);
    this.current = name;
    this.emitContexts();
    await this.connect(name);
    return this.context(name);
  }

  private connection(name: string): Connection {
    let c = this.connections.get(name);
    if (c) return c;
    if (!this.config.getContextObject(name)) throw new KubeError('notFound', `no context named "${name}"`);
    c = new Connection(name, configForContext(this.config, name), {
      probeTimeoutMs: this.opts.probeTimeoutMs,
      cache: this.opts.cache,
      ensureApproved: () => this.ensureApproved(name),
      onState: (conn) => {
        this.events.emit('connection', { context: conn.name, state: conn.state });
        this.emitContexts();
      },
    });
    this.connections.set(name, c);
    return c;
  }

  /** Probes a context (in the background for callers that do not await). Never throws for an unreachable cluster. */
  async connect(name: string): Promise<ContextInfo> {
    const c = this.connection(name);
    await c.connect();
    return this.context(name);
  }

  /** Connects several contexts at once; a slow or dead one delays only itself. */
  async connectAll(names: string[] = this.contextNames()): Promise<ContextInfo[]> {
    await Promise.all(names.map((n) => this.connect(n)));
    return names.map((n) => this.context(n));
  }

  async disconnect(name: string): Promise<void> {
    const c = this.connections.get(name);
    if (!c) return;
    this.connections.delete(name);
    await this.portForwards.closeAll(name);
    await c.close();
    this.emitContexts();
  }

  private async ensureApproved(name: string): Promise<void> {
    const req = execRequestFor(this.config, name);
    if (!req) return;
    if (this.approved.get(name) === req.commandLine) return;
    const inflight = this.approving.get(name);
    if (inflight) return inflight;
    const p = (async () => {
      const stored = (await this.approvals.get(name)) ?? [];
      if (stored.includes(req.commandLine)) {
        this.approved.set(name, req.commandLine);
        return;
      }
      const ok = this.opts.approveExec ? await this.opts.approveExec(req) : false;
      if (!ok)
        throw new KubeError(
          'notApproved',
          `the credential plugin for context "${name}" was not approved: ${req.commandLine}`,
          { command: req.commandLine },
        );
      await this.approvals.set(name, [...stored, req.commandLine]);
      this.approved.set(name, req.commandLine);
    })().finally(() => this.approving.delete(name));
    this.approving.set(name, p);
    return p;
  }

  // ---------------- kinds and the cache ----------------

  kinds(context: string): KindDto[] {
    return this.connection(context).registry.all().map(toKindDto);
  }

  descriptor(context: string, kind: string): KindDescriptor {
    const d = this.connection(context).registry.resolve(kind);
    if (!d) throw new KubeError('notFound', `unknown kind "${kind}" in context "${context}"`);
    return d;
  }

  /**
   * Watches a kind (in one namespace, or all) for a face. Caches are shared and refcounted: the watch stops when the
   * last subscriber leaves. `onBatch` gets this subscription's changes; the engine's `change` event gets all of them.
   */
  subscribe(context: string, kind: string, namespace?: string, onBatch?: (b: ChangeBatch) => void): Subscription {
    const conn = this.connection(context);
    const d = this.descriptor(context, kind);
    const cache = conn.acquire(d, d.namespaced ? namespace : undefined);
    const off = cache.onBatch((b) => {
      onBatch?.(b);
      this.events.emit('change', b);
    });
    let done = false;
    return {
      cache,
      kind: d,
      unsubscribe: async () => {
        if (done) return;
        done = true;
        off();
        await conn.release(cache);
      },
    };
  }

  /** An already-open cache covering this kind/namespace, for lookups without opening a watch. */
  cache(context: string, kind: string, namespace?: string): WatchCache | undefined {
    const d = this.descriptor(context, kind);
    return this.connections.get(context)?.findCache(d, namespace);
  }

  openCaches(context: string): ReturnType<Connection['openCaches']> {
    return this.connections.get(context)?.openCaches() ?? [];
  }

  // ---------------- actions ----------------

  /** Actions against one context; every failure is a KubeError. */
  actions(context: string): KubeActions {
    const conn = this.connection(context);
    return new KubeActions(conn, (kind, ns) => conn.findCache(kind, ns), this.portForwards);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reloadTimer);
    this.watchers.forEach((w) => w.close());
    this.watchers = [];
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.close()));
    await this.portForwards.closeAll();
  }
}

function sameContext(a: KubeConfig, b: KubeConfig, name: string): boolean {
  const ca = a.getContextObject(name);
  const cb = b.getContextObject(name);
  if (!ca || !cb) return false;
  const j = (x: unknown) => JSON.stringify(x ?? null);
  return (
    j(ca) === j(cb) &&
    j(a.getCluster(ca.cluster)) === j(b.getCluster(cb.cluster)) &&
    j(a.getUser(ca.user)) === j(b.getUser(cb.user))
  );
}
