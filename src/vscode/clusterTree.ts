// The Clusters view: contexts → namespaces (and cluster-scoped kinds) → kind groups → kinds → objects → containers.
// Kind nodes subscribe to the engine's watch cache only while expanded; watch batches refresh just that node,
// debounced, and only while the view is visible (a hidden view is refreshed when it shows again).
import * as vscode from 'vscode';
import type { KubeEngine, Subscription } from '../core/kube/engine';
import { kindId } from '../core/kube/descriptors';
import type { ViewOf } from '../core/kube/objects';
import { toKubeError } from '../core/kube/errors';
import type { KindDto } from '../shared/kube';
import { historyOf, releasesOf } from '../core/integrations/helm';
import type { KubeGrafHost } from './host';
import type { Finding } from '../shared/insights';
import {
  containerPresentation,
  containersOf,
  findingKey,
  findingPresentation,
  withFindings,
  contextPresentation,
  helmReleasePresentation,
  helmRevisionPresentation,
  groupsFor,
  kindsOfGroup,
  KeyedDebouncer,
  nodeIds,
  objectPresentation,
  pageOf,
  pluralLabel,
  type GroupName,
  type Presentation,
  type TreeNode,
} from './treeModel';

const SYNC_TIMEOUT_MS = 20_000;
/** How long a namespace's findings are reused while its objects redraw (a fix clears them at once). */
const FINDINGS_TTL_MS = 15_000;

interface Watched {
  sub: Subscription;
  nodeId: string;
}

export class ClusterTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Same object per id: VS Code refreshes an element by identity. */
  private readonly nodes = new Map<string, TreeNode>();
  private readonly watched = new Map<string, Watched>();
  private readonly limits = new Map<string, number>();
  private readonly dirty = new Set<string>();
  /** Nodes VS Code has asked about since the last full redraw: only those can be refreshed one by one. */
  private readonly rendered = new Set<string>();
  private filter = '';
  private view?: vscode.TreeView<TreeNode>;
  private connectedOnce = false;
  private readonly debouncer: KeyedDebouncer<string>;
  private readonly disposables: vscode.Disposable[] = [];
  /** The analyses' findings per context and namespace ('' = cluster-scoped objects), keyed by their object. */
  private readonly findings = new Map<string, { at: number; byObject: Map<string, Finding[]> }>();
  private readonly findingsLoading = new Map<string, Promise<boolean>>();

  constructor(private readonly host: KubeGrafHost) {
    this.debouncer = new KeyedDebouncer(
      () => host.config<number>('tree.refreshDebounceMs', 300),
      (id) => this.refreshNow(id),
    );
    this.disposables.push(
      this.changed,
      host.onDidChangeContexts(() => this.debouncer.schedule('')),
      host.onDidChangeEngine(() => void this.reset()),
    );
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    this.disposables.push(
      view.onDidCollapseElement((e) => void this.collapsed(e.element)),
      view.onDidChangeVisibility((e) => {
        if (!e.visible) return;
        const ids = [...this.dirty];
        this.dirty.clear();
        ids.forEach((id) => this.refreshNow(id));
      }),
    );
    this.updateDescription();
  }

  private get engine(): KubeEngine {
    return this.host.engine;
  }

  private node<T extends TreeNode>(n: T): T {
    const prev = this.nodes.get(n.id) as T | undefined;
    if (prev) {
      Object.assign(prev, n);
      return prev;
    }
    this.nodes.set(n.id, n);
    return n;
  }

  private refreshNow(id: string): void {
    if (this.view && !this.view.visible) {
      this.dirty.add(id);
      return;
    }
    if (!id) {
      this.rendered.clear();
      this.changed.fire(undefined);
      return;
    }
    // A node VS Code has not shown yet is drawn fresh when it is; refreshing it by handle would be an error.
    if (this.rendered.has(id)) this.changed.fire(this.nodes.get(id));
  }

  /** Redraws a node (or everything) on the next debounce tick. */
  refresh(node?: TreeNode): void {
    this.debouncer.schedule(node?.id ?? '');
  }

  async reset(): Promise<void> {
    const w = [...this.watched.values()];
    this.watched.clear();
    this.nodes.clear();
    this.limits.clear();
    this.connectedOnce = false;
    await Promise.all(w.map((x) => x.sub.unsubscribe()));
    this.rendered.clear();
    this.changed.fire(undefined);
  }

  setFilter(text: string): void {
    this.filter = text.trim();
    void vscode.commands.executeCommand('setContext', 'kubegraf.filtered', this.filter !== '');
    this.updateDescription();
    for (const w of this.watched.values()) this.refresh(this.nodes.get(w.nodeId));
  }

  get filterText(): string {
    return this.filter;
  }

  private updateDescription(): void {
    if (this.view) this.view.description = this.filter ? `filter: ${this.filter}` : undefined;
  }

  loadMore(node: TreeNode): void {
    if (node.type !== 'loadMore') return;
    const kindNode = nodeIds.kind(node.context, node.namespace, node.kind);
    this.limits.set(kindNode, (this.limits.get(kindNode) ?? this.pageSize()) + this.pageSize());
    this.refreshNow(kindNode);
  }

  private pageSize(): number {
    return Math.max(10, this.host.config<number>('tree.pageSize', 200));
  }

  private async collapsed(n: TreeNode): Promise<void> {
    // Watches live only while someone looks at them; a collapsed kind (or an ancestor) releases its watch.
    const prefix =
      n.type === 'context' ? `/${n.context}/` : n.type === 'namespace' ? `/${n.context}/${n.namespace}/` : undefined;
    for (const [key, w] of [...this.watched]) {
      const drop =
        w.nodeId === n.id ||
        (n.type === 'context' && w.nodeId === nodeIds.helmReleases(n.context)) ||
        (prefix && w.nodeId.includes(prefix)) ||
        (n.type === 'group' && w.nodeId.startsWith(`kind/${n.context}/${n.namespace ?? '*'}/`));
      if (drop) {
        this.watched.delete(key);
        await w.sub.unsubscribe();
        // VS Code keeps a collapsed node's children: without a change event it would show them again on expand,
        // however the cluster moved meanwhile. Marked changed, the node asks for fresh children (a new watch) then.
        this.refreshNow(w.nodeId);
      }
    }
    this.refreshNow(n.id);
  }

  // ---------------- TreeDataProvider ----------------

  getTreeItem(n: TreeNode): vscode.TreeItem {
    this.rendered.add(n.id);
    const p = this.present(n);
    const item = new vscode.TreeItem(
      p.label,
      p.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : p.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = n.id;
    if (p.description !== undefined) item.description = p.description;
    if (p.tooltip) item.tooltip = p.tooltip;
    // Screen readers (and the e2e) hear the status, not just the name.
    item.accessibilityInformation = { label: p.description ? `${p.label}, ${p.description}` : p.label };
    if (p.icon)
      item.iconPath = new vscode.ThemeIcon(p.icon.id, p.icon.color ? new vscode.ThemeColor(p.icon.color) : undefined);
    item.contextValue = p.contextValue;
    if (n.type === 'loadMore') item.command = { command: 'kubegraf.loadMore', title: 'Load More', arguments: [n] };
    if (n.type === 'message' && n.detail)
      item.command = { command: 'kubegraf.showErrorDetails', title: 'Show Details', arguments: [n.text, n.detail] };
    return item;
  }

  private present(n: TreeNode): Presentation {
    switch (n.type) {
      case 'context': {
        const info = this.engine.contexts().find((c) => c.name === n.context);
        return info
          ? contextPresentation(info)
          : { label: n.context, contextValue: 'kgContext', collapsible: 'collapsed' };
      }
      case 'namespace': {
        // The namespaces in view (the scope the panel and the status bar share): one is "current", several "in view".
        const scope = this.host.scope(n.context);
        return {
          label: n.namespace,
          description: scope.includes(n.namespace) ? (scope.length === 1 ? 'current' : 'in view') : undefined,
          icon: { id: 'symbol-namespace' },
          contextValue: `kgNamespace${scope.length === 1 && scope[0] === n.namespace ? ' current' : ''}`,
          collapsible: 'collapsed',
        };
      }
      case 'clusterScope':
        return {
          label: 'Cluster',
          description: 'cluster-scoped kinds',
          icon: { id: 'globe' },
          contextValue: 'kgClusterScope',
          collapsible: 'collapsed',
        };
      case 'group':
        return { label: n.group, icon: { id: groupIcon(n.group) }, contextValue: 'kgGroup', collapsible: 'collapsed' };
      case 'kind': {
        const d = this.kindDto(n.context, n.kind);
        const w = this.watched.get(n.id);
        const count = w?.sub.cache.status.synced ? w.sub.cache.index.size : undefined;
        const stale = w && w.sub.cache.status.stale && w.sub.cache.status.synced;
        return {
          label: d ? pluralLabel(d.kind) : n.kind,
          description: count !== undefined ? `${count}${stale ? ' · stale' : ''}` : undefined,
          icon: { id: 'symbol-class' },
          contextValue: `kgKind kind:${n.kind}`,
          collapsible: 'collapsed',
        };
      }
      case 'object': {
        const d = this.kindDto(n.context, n.kind);
        const o = this.lookup(n.context, n.kind, n.namespace, n.name);
        if (!d || !o) return { label: n.name, contextValue: 'kgObject', collapsible: 'none' };
        return withFindings(objectPresentation(d, o), this.findingsOf(n.context, n.namespace, d.kind, n.name));
      }
      case 'container': {
        const pod = this.lookup(n.context, 'pods', n.namespace, n.pod);
        const c = pod ? containersOf(pod).find((x) => x.name === n.container) : undefined;
        return c
          ? containerPresentation(c)
          : { label: n.container, contextValue: 'kgContainer cap:logs', collapsible: 'none' };
      }
      case 'loadMore':
        return {
          label: `Load more (${n.remaining} more)`,
          icon: { id: 'ellipsis' },
          contextValue: 'kgLoadMore',
          collapsible: 'none',
        };
      case 'helmReleases':
        return {
          label: 'Helm Releases',
          description: this.helmCount(n.context),
          icon: { id: 'package' },
          contextValue: 'kgHelmReleases',
          collapsible: 'collapsed',
        };
      case 'helmRelease':
        return helmReleasePresentation(n.release);
      case 'helmRevision':
        return helmRevisionPresentation(n.entry, n.current);
      case 'finding':
        return findingPresentation(n.finding);
      case 'message':
        return {
          label: n.text,
          icon:
            n.severity === 'error'
              ? { id: 'error', color: 'list.errorForeground' }
              : n.severity === 'warning'
                ? { id: 'warning', color: 'list.warningForeground' }
                : { id: 'info' },
          tooltip: n.detail ?? n.text,
          contextValue: 'kgMessage',
          collapsible: 'none',
        };
    }
  }

  getParent(n: TreeNode): TreeNode | undefined {
    switch (n.type) {
      case 'context':
        return undefined;
      case 'namespace':
      case 'clusterScope':
        return this.nodes.get(nodeIds.context(n.context));
      case 'group':
        return this.nodes.get(
          n.namespace ? nodeIds.namespace(n.context, n.namespace) : nodeIds.clusterScope(n.context),
        );
      case 'kind':
      case 'loadMore': {
        const d = this.kindDto(n.context, n.kind);
        return d ? this.nodes.get(nodeIds.group(n.context, n.namespace, groupsFor([d], d.namespaced)[0])) : undefined;
      }
      case 'object':
        return this.nodes.get(nodeIds.kind(n.context, n.namespace, n.kind));
      case 'container':
        return this.nodes.get(nodeIds.object(n.context, n.namespace, 'pods', n.pod));
      case 'finding':
        return this.nodes.get(n.parent);
      case 'helmReleases':
        return this.nodes.get(nodeIds.context(n.context));
      case 'helmRelease':
        return this.nodes.get(nodeIds.helmReleases(n.context));
      case 'helmRevision':
        return this.nodes.get(nodeIds.helmRelease(n.context, n.namespace, n.name));
      default:
        return undefined;
    }
  }

  async getChildren(n?: TreeNode): Promise<TreeNode[]> {
    try {
      return await this.children(n);
    } catch (e) {
      const k = toKubeError(e);
      const parent = n?.id ?? 'root';
      return [
        this.node({
          type: 'message',
          id: nodeIds.message(parent, 'error'),
          context: n && 'context' in n ? n.context : '',
          text: k.message,
          severity: 'error',
          detail: `${k.code}: ${k.message}`,
        }),
      ];
    }
  }

  private async children(n?: TreeNode): Promise<TreeNode[]> {
    if (!n) {
      const names = this.engine.contextNames();
      void vscode.commands.executeCommand('setContext', 'kubegraf.noContexts', names.length === 0);
      if (!this.connectedOnce && names.length) {
        this.connectedOnce = true;
        // Probe every context in the background: a dead one shows its reason without delaying the others.
        void this.engine.connectAll().catch(() => undefined);
      }
      return names.map((c) => this.node({ type: 'context', id: nodeIds.context(c), context: c }));
    }
    switch (n.type) {
      case 'context':
        return this.contextChildren(n.context);
      case 'namespace':
        return this.groupNodes(n.context, n.namespace);
      case 'clusterScope':
        return this.groupNodes(n.context, undefined);
      case 'group':
        return this.kindNodes(n.context, n.namespace, n.group);
      case 'kind':
        return this.objectNodes(n.context, n.namespace, n.kind, n.id);
      case 'object':
        return [
          ...this.findingNodes(n),
          ...(n.kind === 'pods' ? this.containerNodes(n.context, n.namespace!, n.name) : []),
        ];
      case 'helmReleases':
        return this.helmReleaseNodes(n.context, n.id);
      case 'helmRelease':
        return this.helmRevisionNodes(n);
      default:
        return [];
    }
  }

  private async contextChildren(context: string): Promise<TreeNode[]> {
    let info = this.engine.context(context);
    if (info.connection.state !== 'connected' && info.connection.state !== 'reconnecting')
      info = await this.engine.connect(context);
    if (info.connection.state === 'unreachable') {
      const s = info.connection;
      return [
        this.node({
          type: 'message',
          id: nodeIds.message(nodeIds.context(context), 'unreachable'),
          context,
          text: `Unreachable: ${s.reason}`,
          severity: 'error',
          detail: `${s.code}: ${s.reason}`,
        }),
      ];
    }
    const id = nodeIds.kind(context, undefined, 'namespaces');
    let namespaces: string[];
    try {
      const w = await this.watch(context, 'namespaces', undefined, nodeIds.context(context), id);
      namespaces = w.sub.cache.list().map((o) => o.metadata.name);
    } catch (e) {
      // Users who may not list namespaces still get their kubeconfig namespace.
      const ns = this.host.namespace(context) ?? info.namespace ?? 'default';
      namespaces = [ns];
      this.host.output.appendLine(`listing namespaces of ${context}: ${toKubeError(e).message}`);
    }
    const nsNodes = namespaces
      .sort()
      .map((ns) => this.node({ type: 'namespace', id: nodeIds.namespace(context, ns), context, namespace: ns }));
    return [
      ...nsNodes,
      this.node({ type: 'clusterScope', id: nodeIds.clusterScope(context), context }),
      this.node({ type: 'helmReleases', id: nodeIds.helmReleases(context), context }),
    ];
  }

  // ---------------- Helm: releases from their records (Secrets of type helm.sh/release.v1), live ----------------

  private helmKey = (context: string) => `helm-secrets/${context}`;

  private helmCount(context: string): string | undefined {
    const w = this.watched.get(this.helmKey(context));
    return w?.sub.cache.status.synced ? String(releasesOf(w.sub.cache.list()).length) : undefined;
  }

  private async helmReleaseNodes(context: string, nodeId: string): Promise<TreeNode[]> {
    const w = await this.watch(context, 'secrets', undefined, nodeId, this.helmKey(context));
    const releases = releasesOf(w.sub.cache.list()).filter(
      (r) => !this.filter || r.name.toLowerCase().includes(this.filter.toLowerCase()),
    );
    if (!releases.length)
      return [
        this.node({
          type: 'message',
          id: nodeIds.message(nodeId, 'empty'),
          context,
          text: this.filter ? `No release matches "${this.filter}"` : 'No Helm releases',
          severity: 'info',
        }),
      ];
    return releases.map((r) =>
      this.node({
        type: 'helmRelease',
        id: nodeIds.helmRelease(context, r.namespace, r.name),
        context,
        namespace: r.namespace,
        name: r.name,
        release: r,
      }),
    );
  }

  private helmRevisionNodes(n: Extract<TreeNode, { type: 'helmRelease' }>): TreeNode[] {
    const w = this.watched.get(this.helmKey(n.context));
    const rows = historyOf(w?.sub.cache.list() ?? [], n.namespace, n.name);
    const current = rows[rows.length - 1]?.revision;
    return [...rows].reverse().map((h) =>
      this.node({
        type: 'helmRevision',
        id: nodeIds.helmRevision(n.context, n.namespace, n.name, h.revision),
        context: n.context,
        namespace: n.namespace,
        name: n.name,
        revision: h.revision,
        entry: h,
        current: h.revision === current,
      }),
    );
  }

  private kindDtos(context: string): KindDto[] {
    return this.engine.kinds(context);
  }

  private kindDto(context: string, kind: string): KindDto | undefined {
    try {
      return this.kindDtos(context).find((k) => kindId(k) === kind);
    } catch {
      return undefined;
    }
  }

  private groupNodes(context: string, namespace: string | undefined): TreeNode[] {
    return groupsFor(this.kindDtos(context), namespace !== undefined).map((g) =>
      this.node({ type: 'group', id: nodeIds.group(context, namespace, g), context, namespace, group: g }),
    );
  }

  private kindNodes(context: string, namespace: string | undefined, group: GroupName): TreeNode[] {
    return kindsOfGroup(this.kindDtos(context), group, namespace !== undefined).map((d) =>
      this.node({ type: 'kind', id: nodeIds.kind(context, namespace, kindId(d)), context, namespace, kind: kindId(d) }),
    );
  }

  /** Subscribes (once) to a kind's cache for a node and waits for the first list. */
  private async watch(
    context: string,
    kind: string,
    namespace: string | undefined,
    refreshId: string,
    key: string,
  ): Promise<Watched> {
    let w = this.watched.get(key);
    if (!w) {
      const sub = this.engine.subscribe(context, kind, namespace, () => this.debouncer.schedule(refreshId));
      w = { sub, nodeId: refreshId };
      this.watched.set(key, w);
      sub.cache.onStatus(() => this.debouncer.schedule(refreshId));
    }
    if (!w.sub.cache.status.synced) {
      try {
        await w.sub.cache.whenSynced(
          SYNC_TIMEOUT_MS,
          () => new Error(`the cluster did not list ${kind} within ${SYNC_TIMEOUT_MS / 1000}s`),
        );
      } catch (e) {
        this.watched.delete(key);
        await w.sub.unsubscribe();
        throw e;
      }
    }
    return w;
  }

  private async objectNodes(
    context: string,
    namespace: string | undefined,
    kind: string,
    nodeId: string,
  ): Promise<TreeNode[]> {
    const w = await this.watch(context, kind, namespace, nodeId, nodeId);
    // Findings come after the objects (the analyses may still be syncing): their arrival redraws this kind.
    void this.loadFindings(context, namespace).then((fresh) => fresh && this.refreshNow(nodeId));
    const limit = this.limits.get(nodeId) ?? this.pageSize();
    const page = pageOf(w.sub.cache.list(), this.filter, limit);
    const out: TreeNode[] = page.items.map((o) =>
      this.node({
        type: 'object',
        id: nodeIds.object(context, namespace, kind, o.metadata.name),
        context,
        namespace,
        kind,
        name: o.metadata.name,
      }),
    );
    if (page.remaining > 0)
      out.push(
        this.node({
          type: 'loadMore',
          id: nodeIds.loadMore(context, namespace, kind),
          context,
          namespace,
          kind,
          remaining: page.remaining,
        }),
      );
    if (!out.length)
      out.push(
        this.node({
          type: 'message',
          id: nodeIds.message(nodeId, 'empty'),
          context,
          text: this.filter ? `Nothing matches "${this.filter}"` : 'None',
          severity: 'info',
        }),
      );
    if (w.sub.cache.status.error)
      out.unshift(
        this.node({
          type: 'message',
          id: nodeIds.message(nodeId, 'stale'),
          context,
          text: `Stale: ${w.sub.cache.status.error.message}`,
          severity: 'warning',
        }),
      );
    return out;
  }

  // ---------------- findings of the analyses (security, cost, drift, continuity) ----------------

  /** Reads a namespace's findings (or the cluster-scoped objects') unless fresh ones are at hand; never fails the tree. */
  private async loadFindings(context: string, namespace: string | undefined): Promise<boolean> {
    const key = `${context}\0${namespace ?? ''}`;
    const had = this.findings.get(key);
    if (had && Date.now() - had.at < FINDINGS_TTL_MS) return false;
    const running = this.findingsLoading.get(key);
    if (running) return running.then(() => false);
    const load = this.readFindings(context, namespace, key);
    this.findingsLoading.set(key, load);
    try {
      return await load;
    } finally {
      this.findingsLoading.delete(key);
    }
  }

  private async readFindings(context: string, namespace: string | undefined, key: string): Promise<boolean> {
    const had = this.findings.get(key);
    try {
      // The analyses load with the engines, on first use: not at activation.
      const { insightFindings } = await import('../core/insights/registry');
      const deps = await this.host.apiDeps();
      const { findings } = await insightFindings(deps, { context, namespace });
      const byObject = new Map<string, Finding[]>();
      for (const f of findings) {
        if (!namespace && f.target.namespace) continue;
        const k = findingKey(f.target);
        byObject.set(k, [...(byObject.get(k) ?? []), f]);
      }
      this.findings.set(key, { at: Date.now(), byObject });
      return JSON.stringify([...byObject]) !== JSON.stringify([...(had?.byObject ?? [])]);
    } catch (e) {
      // Not again on every redraw: after the same wait as fresh findings.
      this.findings.set(key, { at: Date.now(), byObject: had?.byObject ?? new Map() });
      this.host.output.appendLine(
        `findings of ${namespace ?? 'cluster-scoped objects'} in ${context}: ${toKubeError(e).message}`,
      );
      return false;
    }
  }

  private findingsOf(context: string, namespace: string | undefined, kind: string, name: string): Finding[] {
    return (
      this.findings.get(`${context}\0${namespace ?? ''}`)?.byObject.get(findingKey({ kind, namespace, name })) ?? []
    );
  }

  private findingNodes(n: Extract<TreeNode, { type: 'object' }>): TreeNode[] {
    const d = this.kindDto(n.context, n.kind);
    if (!d) return [];
    return this.findingsOf(n.context, n.namespace, d.kind, n.name).map((f) =>
      this.node({
        type: 'finding',
        id: nodeIds.finding(n.context, f.id),
        context: n.context,
        namespace: n.namespace,
        parent: n.id,
        finding: f,
      }),
    );
  }

  /** After a fix: read findings again where it changed something, and redraw. */
  findingsChanged(context: string, namespace: string | undefined): void {
    this.findings.delete(`${context}\0${namespace ?? ''}`);
    this.refresh();
  }

  private containerNodes(context: string, namespace: string, pod: string): TreeNode[] {
    const o = this.lookup(context, 'pods', namespace, pod);
    if (!o) return [];
    return containersOf(o).map((c) =>
      this.node({
        type: 'container',
        id: nodeIds.container(context, namespace, pod, c.name),
        context,
        namespace,
        pod,
        container: c.name,
        init: c.init,
      }),
    );
  }

  /** The cached object behind a node (from the subscription its kind node holds). */
  lookup<K extends string>(
    context: string,
    kind: K,
    namespace: string | undefined,
    name: string,
  ): ViewOf<K> | undefined {
    const w = this.watched.get(nodeIds.kind(context, namespace, kind));
    return (w?.sub.cache.index.get(namespace, name) ??
      this.engine.cache(context, kind, namespace)?.index.get(namespace, name)) as ViewOf<K> | undefined;
  }

  /** Expands the tree down to a node (used by reveal and tests). */
  async reveal(n: TreeNode): Promise<void> {
    await this.view?.reveal(n, { expand: true, select: true, focus: false });
  }

  dispose(): void {
    this.debouncer.dispose();
    this.disposables.forEach((d) => d.dispose());
    void Promise.all([...this.watched.values()].map((w) => w.sub.unsubscribe()));
    this.watched.clear();
  }
}

function groupIcon(g: GroupName): string {
  switch (g) {
    case 'Workloads':
      return 'layers';
    case 'Networking':
      return 'globe';
    case 'Config & Storage':
      return 'database';
    case 'Access Control':
      return 'shield';
    case 'Cluster':
      return 'server';
    case 'Custom Resources':
      return 'extensions';
    default:
      return 'folder';
  }
}
