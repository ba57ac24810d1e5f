// Handlers of the cluster routes: contexts, clusters, status, capabilities, cache stats, events, namespaces, nodes,
// pod logs/exec, port-forwards, custom resources.
import type { ContextInfo } from '../../shared/kube';
import type { Handlers } from '../../shared/route';
import type { CLUSTER_ROUTES, ClusterEntry, EventGroup, EventStats, CrdSummary } from '../../shared/routes/cluster';
import type { EventRow } from '../../shared/routes/resources';
import { kindId, type KObject } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import { contextOf } from './common';
import type { ApiDeps } from './deps';
import { ApiError, badRequest } from './errors';
import { deleteOf, describeOf, detailsOf, listKind, updateOf, yamlOf } from './resources';
import { toEventRow } from './rows';
import { helmBinary } from '../integrations/helm';
import { crdIntegrations, pluginSwitches } from '../integrations/plugins';

type H = Handlers<typeof CLUSTER_ROUTES, ApiDeps>;

function clusterEntry(deps: ApiDeps, c: ContextInfo): ClusterEntry {
  const s = c.connection;
  return {
    name: c.cluster,
    contextName: c.name,
    isActive: c.current,
    isReachable: s.state === 'connected' || s.state === 'reconnecting',
    kubeconfigPath: deps.kubeconfigFiles.join(':'),
    server: c.server,
    state: s.state,
    error: s.state === 'unreachable' ? s.reason : null,
  };
}

function clusters(deps: ApiDeps) {
  const list = deps.kube.contexts().map((c) => clusterEntry(deps, c));
  return { clusters: list, currentCluster: list.find((c) => c.isActive) ?? null };
}

async function switchTo(deps: ApiDeps, name: string): Promise<ContextInfo> {
  if (!deps.kube.contextNames().includes(name)) throw new KubeError('notFound', `no context named "${name}"`);
  return deps.kube.switchContext(name);
}

async function events(
  deps: ApiDeps,
  p: { context?: string; namespace?: string; type?: string; kind?: string; name?: string; limit?: number },
): Promise<EventRow[]> {
  const context = contextOf(deps, p.context);
  const { cache } = await deps.lists.cache(context, 'events', p.namespace || undefined);
  const objs = p.namespace ? cache.index.inNamespace(p.namespace) : cache.list();
  let rows = objs.map(toEventRow);
  if (p.type) rows = rows.filter((e) => e.type === p.type);
  if (p.kind) rows = rows.filter((e) => e.object.kind.toLowerCase() === p.kind!.toLowerCase());
  if (p.name) rows = rows.filter((e) => e.object.name === p.name);
  return rows.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

const limited = <T>(rows: T[], limit?: number) => ({ events: rows.slice(0, limit ?? 1000) as T[], total: rows.length });

/** Reasons that mean something is broken or about to be (kubelet, scheduler, controllers, node problem detector). */
const MONITORED = new Set([
  'BackOff',
  'Failed',
  'FailedScheduling',
  'OOMKilling',
  'OOMKilled',
  'Unhealthy',
  'FailedMount',
  'FailedAttachVolume',
  'NodeNotReady',
  'Evicted',
  'FailedCreate',
  'ErrImagePull',
  'ImagePullBackOff',
  'CrashLoopBackOff',
  'FailedKillPod',
  'NetworkNotReady',
  'Rebooted',
  'SystemOOM',
  'FreeDiskSpaceFailed',
  'EvictionThresholdMet',
  'BackoffLimitExceeded',
  'DeadlineExceeded',
  'ProvisioningFailed',
]);

function crdSummary(o: KObject): CrdSummary {
  const s = o.spec as {
    group: string;
    names: { kind: string; plural: string; shortNames?: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: Array<{ name: string; storage?: boolean; served?: boolean }>;
  };
  const v = s.versions.find((x) => x.storage) ?? s.versions[0];
  return {
    name: o.metadata.name,
    group: s.group,
    version: v?.name ?? '',
    kind: s.names.kind,
    plural: s.names.plural,
    scope: s.scope,
    shortNames: s.names.shortNames ?? [],
  };
}

/** `{crd}` must name a CRD the cluster serves (so built-in kinds cannot be reached through this door). */
function crdKind(deps: ApiDeps, context: string, crd: string): string {
  const d = deps.kube.descriptor(context, crd);
  if (!d.custom) throw badRequest(`${crd} is a built-in kind; use /api/${d.plural}`);
  return kindId(d);
}

function splitCommand(c: string | string[]): string[] {
  return Array.isArray(c) ? c : c.trim().split(/\s+/);
}

export const CLUSTER_HANDLERS: Omit<H, 'ws' | 'pod.terminal'> = {
  'contexts.list': async (_p, deps) => ({ contexts: deps.kube.contexts(), current: deps.kube.currentContext() }),
  'contexts.current': async (_p, deps) => {
    const name = deps.kube.currentContext();
    return { name, context: name ? deps.kube.context(name) : null };
  },
  'contexts.switch': async (p, deps) => switchTo(deps, (p.context ?? p.name)!),
  'clusters.list': async (_p, deps) => clusters(deps),
  'clusters.health': async (p, deps) => {
    const name = contextOf(deps, p.contextName ?? p.context);
    const c = await deps.kube.connect(name);
    const out = {
      contextName: name,
      healthy: c.connection.state === 'connected',
      state: c.connection,
      serverVersion: c.serverVersion,
      nodeCount: c.nodeCount,
      namespaceCount: c.namespaceCount,
    };
    return out;
  },
  'clusters.refresh': async (_p, deps) => {
    await deps.kube.reload();
    await deps.kube.connectAll();
    return clusters(deps);
  },
  'clusters.switch': async (p, deps) => {
    const c = await switchTo(deps, (p.contextName ?? p.context ?? p.name)!);
    return { success: c.connection.state === 'connected', cluster: clusterEntry(deps, c) };
  },
  status: async (p, deps) => {
    const name = p.context || deps.kube.currentContext();
    if (!name)
      return {
        connected: false,
        clusterName: '',
        context: '',
        connection: { state: 'idle' },
        version: deps.version,
        demo: deps.demo,
        message: 'no kubeconfig context is configured',
      };
    const c = deps.kube.context(name);
    const out = {
      connected: c.connection.state === 'connected',
      clusterName: c.cluster,
      context: c.name,
      connection: c.connection,
      version: deps.version,
      kubeVersion: c.serverVersion,
      nodeCount: c.nodeCount,
      namespaceCount: c.namespaceCount,
      demo: deps.demo,
      message: deps.demo ? 'Demo mode: this is the built-in simulated cluster, not a real one.' : undefined,
    };
    return out;
  },
  capabilities: async (p, deps) => {
    const context = contextOf(deps, p.context);
    const kinds = deps.kube.kinds(context);
    const [helm, plugins] = await Promise.all([helmBinary(), pluginSwitches(deps)]);
    const integrations = crdIntegrations(deps, context);
    const metrics = deps.metrics.status(context);
    const metricsApi = metrics.available || kinds.some((k) => k.group === 'metrics.k8s.io');
    const out: Awaited<ReturnType<H['capabilities']>> = {
      context,
      kinds,
      features: {
        kube: true,
        watchCache: true,
        incidents: Boolean(deps.incidents),
        metrics: Boolean(deps.metrics),
        metricsApi,
        settings: true,
        accounts: Boolean(deps.accounts),
        localTerminal: true,
        demo: deps.demo,
        helm: helm.available,
        helmReleases: plugins.helm,
        argocd: integrations.argocd && plugins.argocd,
        certManager: integrations['cert-manager'] && plugins['cert-manager'],
        kserve: integrations.kserve && plugins.kserve,
        kubeflow: integrations.kubeflow && plugins.kubeflow,
      },
      engines: {
        incidents: { running: Boolean(deps.incidents), watching: Boolean(deps.incidents?.watcher(context)) },
        metrics: { running: Boolean(deps.metrics), sampling: metrics.sampling, metricsApi },
      },
      tools: { helm },
      network: {
        internet: 'unknown',
        message:
          'KubeGraf does not probe internet access. Installing an app downloads its chart from the chart repository, so it needs access to that repository; an install that cannot reach it says so.',
      },
      integrations,
      plugins,
    };
    if (p.kinds) {
      const a = deps.kube.actions(context);
      out.access = {};
      for (const k of p.kinds
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .slice(0, 20))
        out.access[k] = {
          ...(await a.canIAll(k, p.namespace || undefined)),
          ...(await subresourceAccess(a, k, p.namespace)),
        };
    }
    return out;
  },
  'cache.stats': async (p, deps) => {
    const context = contextOf(deps, p.context);
    const caches = deps.kube.openCaches(context).map((c) => {
      const wc = deps.kube.cache(context, c.kind, c.namespace);
      return { ...c, objects: wc?.index.size ?? 0 };
    });
    return { context, caches, totalObjects: caches.reduce((n, c) => n + c.objects, 0) };
  },
  'events.list': async (p, deps) => limited(await events(deps, p), p.limit),
  'events.errors': async (p, deps) => limited(await events(deps, { ...p, type: 'Warning' }), p.limit),
  'events.monitored': async (p, deps) =>
    limited(
      (await events(deps, p)).filter(
        (e) =>
          MONITORED.has(e.reason) || (e.type === 'Warning' && /fail|error|kill|unhealthy|notready/i.test(e.reason)),
      ),
      p.limit,
    ),
  'events.grouped': async (p, deps) => {
    const groups = new Map<string, EventGroup>();
    for (const e of await events(deps, p)) {
      const key = `${e.object.namespace ?? ''}/${e.object.kind}/${e.object.name}/${e.reason}`;
      const g = groups.get(key);
      if (!g)
        groups.set(key, {
          key,
          type: e.type,
          reason: e.reason,
          object: e.object,
          message: e.message,
          count: e.count,
          events: 1,
          firstSeen: e.firstSeen,
          lastSeen: e.lastSeen,
        });
      else {
        g.count += e.count;
        g.events++;
        if (e.type === 'Warning') g.type = 'Warning';
        if ((e.firstSeen ?? '') < (g.firstSeen ?? '~')) g.firstSeen = e.firstSeen;
      }
    }
    return {
      groups: [...groups.values()]
        .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
        .slice(0, p.limit ?? 1000),
    };
  },
  'events.stats': async (p, deps) => {
    const s: EventStats = { total: 0, byType: {}, byReason: {}, byNamespace: {}, byKind: {} };
    const inc = (m: Record<string, number>, k: string, n: number) => (m[k] = (m[k] ?? 0) + n);
    for (const e of await events(deps, p)) {
      s.total += e.count;
      inc(s.byType, e.type, e.count);
      inc(s.byReason, e.reason, e.count);
      inc(s.byNamespace, e.namespace ?? '', e.count);
      inc(s.byKind, e.object.kind, e.count);
    }
    return s;
  },
  'namespace.create': async (p, deps) => {
    const context = contextOf(deps, p.context);
    const a = deps.kube.actions(context);
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: p.name, labels: p.labels ?? {} },
    });
    const cur = await a
      .get('namespaces', undefined, p.name)
      .catch((e: KubeError) => (e.code === 'notFound' ? undefined : Promise.reject(e)));
    if (cur) throw new KubeError('alreadyExists', `namespace "${p.name}" already exists`);
    await a.apply(body);
    return { ok: true, message: `created namespace ${p.name}` };
  },
  'node.cordon': async (p, deps) => {
    const a = deps.kube.actions(contextOf(deps, p.context));
    const on = p.unschedulable !== false;
    await a.cordon(p.name, on);
    return { ok: true, message: `${on ? 'cordoned' : 'uncordoned'} node ${p.name}` };
  },
  'node.drain': async (p, deps) => {
    const a = deps.kube.actions(contextOf(deps, p.context));
    await a.get('nodes', undefined, p.name);
    const r = await a.drain(p.name, {
      force: p.force,
      ignoreDaemonSets: p.ignoreDaemonSets,
      deleteEmptyDirData: p.deleteEmptyDirData,
      timeoutMs: (p.timeoutSeconds ?? 0) * 1000,
      gracePeriodSeconds: p.gracePeriodSeconds,
    });
    return { ...r, ok: r.failed.length === 0 };
  },
  'pod.logs': async (p, deps) => {
    const a = deps.kube.actions(contextOf(deps, p.context));
    const lines = await a.logs(
      { kind: 'pods', namespace: p.namespace, name: p.name, container: p.container },
      {
        tailLines: p.tailLines ?? (p.limitBytes ? undefined : 1000),
        previous: p.previous,
        sinceSeconds: p.sinceSeconds,
        timestamps: p.timestamps,
        limitBytes: p.limitBytes,
      },
    );
    return {
      namespace: p.namespace,
      name: p.name,
      container: p.container,
      lines,
      logs: lines.map((l) => l.text).join('\n'),
    };
  },
  'pod.exec': async (p, deps) => {
    const a = deps.kube.actions(contextOf(deps, p.context));
    const argv = splitCommand(p.command);
    const s = await a.exec({
      namespace: p.namespace,
      pod: p.name,
      container: p.container,
      command: argv,
      tty: false,
      stdin: p.stdin !== undefined,
    });
    const LIMIT = 1 << 20;
    let out = '';
    let err = '';
    let truncated = false;
    s.onStdout((d) => (out.length < LIMIT ? (out += d.toString('utf8')) : (truncated = true)));
    s.onStderr((d) => (err.length < LIMIT ? (err += d.toString('utf8')) : (truncated = true)));
    if (p.stdin !== undefined) {
      s.write(p.stdin);
      s.end();
    }
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      s.exit,
      new Promise<null>((r) => (timer = setTimeout(() => r(null), (p.timeoutSeconds ?? 30) * 1000))),
    ]).finally(() => clearTimeout(timer));
    s.close();
    if (!exit)
      throw new ApiError(
        'timeout',
        `the command did not finish within ${p.timeoutSeconds ?? 30}s (use the terminal for long-running commands)`,
        504,
      );
    return { stdout: out.slice(0, LIMIT), stderr: err.slice(0, LIMIT), exitCode: exit.code, truncated };
  },
  'portforward.list': async (p, deps) => ({
    forwards: p.context ? deps.kube.portForwards.list(p.context) : deps.kube.portForwards.list(),
  }),
  'portforward.start': async (p, deps) => {
    const a = deps.kube.actions(contextOf(deps, p.context));
    const kind = (p.kind ?? 'pod').replace(/s$/, '');
    return a.startPortForward(
      kind === 'pod'
        ? 'pods'
        : kind === 'service'
          ? 'services'
          : kind === 'deployment'
            ? 'deployments.apps'
            : 'statefulsets.apps',
      p.namespace,
      p.name,
      (p.port ?? p.remotePort)!,
      p.localPort ?? 0,
    );
  },
  'portforward.stop': async (p, deps) => {
    await deps.kube.portForwards.stop(p.id);
    return { ok: true, message: `stopped port-forward ${p.id}` };
  },
  'crds.list': async (p, deps) => {
    const context = contextOf(deps, p.context);
    const { cache } = await deps.lists.cache(context, 'customresourcedefinitions.apiextensions.k8s.io');
    return {
      crds: cache
        .list()
        .map(crdSummary)
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  },
  'crds.instances': async (p, deps) => listKind(deps, crdKind(deps, contextOf(deps, p.context), p.crd), p),
  'crds.details': async (p, deps) => detailsOf(deps, crdKind(deps, contextOf(deps, p.context), p.crd), p),
  'crds.yaml': async (p, deps) => yamlOf(deps, crdKind(deps, contextOf(deps, p.context), p.crd), p),
  'crds.describe': async (p, deps) => describeOf(deps, crdKind(deps, contextOf(deps, p.context), p.crd), p),
  'crds.update': async (p, deps) => updateOf(deps, crdKind(deps, contextOf(deps, p.context), p.crd), p),
  'crds.delete': async (p, deps) => deleteOf(deps, crdKind(deps, contextOf(deps, p.context), p.crd), p),
};

/** What acts on a running pod is checked on its subresource, as kubectl does: `log`, `exec`, `portforward`, `evict`. */
async function subresourceAccess(
  a: ReturnType<ApiDeps['kube']['actions']>,
  kind: string,
  namespace: string | undefined,
): Promise<Record<string, boolean>> {
  if (kind !== 'pods' && kind !== 'pod') return {};
  const ns = namespace || undefined;
  const check = (verb: string, subresource: string) =>
    a.canI({ verb, resource: 'pods', subresource, ...(ns ? { namespace: ns } : {}) });
  const [log, exec, portforward, evict] = await Promise.all([
    check('get', 'log'),
    check('create', 'exec'),
    check('create', 'portforward'),
    check('create', 'eviction'),
  ]);
  return { log, exec, portforward, evict };
}
