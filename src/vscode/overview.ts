// A live cluster overview for the built-in dashboard page, read from the engine's watch caches (engines emit, faces
// subscribe: the panel holds the subscriptions while it is open and redraws on change). No `vscode` import.
import type { KubeEngine, Subscription } from '../core/kube/engine';
import { nodeStatus, podReady, podRestarts, podStatus, type KObject } from '../core/kube/descriptors';
import { KubeError } from '../core/kube/errors';

export interface Overview {
  context: string;
  server: string;
  serverVersion?: string;
  connection: string;
  namespaces: string[];
  nodes: Array<{ name: string; status: string; version: string }>;
  pods: Array<{ namespace: string; name: string; ready: string; status: string; restarts: number }>;
  deployments: Array<{ namespace: string; name: string; ready: string }>;
}

const KINDS = ['namespaces', 'nodes', 'pods', 'deployments'] as const;

export class OverviewSource {
  private subs: Subscription[] = [];
  private context?: string;

  constructor(private readonly engine: KubeEngine, private readonly onChange: () => void) {}

  private async open(context: string): Promise<void> {
    if (this.context === context && this.subs.length) return;
    await this.close();
    this.context = context;
    this.subs = KINDS.map((k) => this.engine.subscribe(context, k, undefined, () => this.onChange()));
  }

  async read(context: string, timeoutMs = 15_000): Promise<Overview> {
    const info = this.engine.context(context);
    if (info.connection.state === 'unreachable') throw new KubeError('unreachable', `context "${context}" is unreachable: ${info.connection.reason}`);
    await this.open(context);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, rej) => (timer = setTimeout(() => rej(new KubeError('timeout', `context "${context}" did not answer within ${timeoutMs / 1000}s`)), timeoutMs)));
    try {
      // Nodes may be forbidden for some users: the rest of the overview still shows.
      await Promise.race([Promise.allSettled(this.subs.map((s) => s.cache.whenSynced())), timeout]);
    } finally {
      clearTimeout(timer);
    }
    const [ns, nodes, pods, deps] = this.subs.map((s) => s.cache.list());
    const byName = (a: KObject, b: KObject) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name);
    const now = this.engine.context(context);
    return {
      context,
      server: now.server,
      serverVersion: now.serverVersion,
      connection: now.connection.state,
      namespaces: ns.map((n) => n.metadata.name).sort(),
      nodes: nodes.sort(byName).map((n) => ({ name: n.metadata.name, status: nodeStatus(n), version: String(n.status?.nodeInfo?.kubeletVersion ?? '') })),
      pods: pods.sort(byName).map((p) => ({ namespace: p.metadata.namespace ?? '', name: p.metadata.name, ready: podReady(p), status: podStatus(p), restarts: podRestarts(p) })),
      deployments: deps.sort(byName).map((d) => ({ namespace: d.metadata.namespace ?? '', name: d.metadata.name, ready: `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}` })),
    };
  }

  async close(): Promise<void> {
    const s = this.subs;
    this.subs = [];
    await Promise.all(s.map((x) => x.unsubscribe()));
  }
}
