// `GET /api/drift/analysis` at scale: the scale cluster (100k pods over 1,000 Deployments, 2k nodes) with every
// Deployment and Service given a last-applied-configuration (one Deployment in ten scaled since), and 50 Helm releases
// of 10 ConfigMaps each (one in ten edited since). The simulator runs in a child process; the analysis answers from
// the server's watch caches (pods included: a pod applied with kubectl is tracked too).
import { withScaleServer } from './scaleServer';
import type { KObject } from '../../src/core/kube/descriptors';
import { encodeReleaseData } from '../../src/core/integrations/helmStorage';
import type { DriftReport } from '../../src/shared/drift';

export interface DriftBenchResult {
  tracked: number;
  drifted: number;
  /** The first analysis: opens the caches of every kind it reads (pods too) and reads managedFields of drifted ones. */
  firstMs: number;
  /** Median of warm analyses of every namespace, and of one namespace. */
  warmMs: number;
  warmNamespaceMs: number;
  setupMs: number;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

async function pool<T>(items: T[], n: number, fn: (x: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

export async function benchDrift(pods: number, nodes = Math.max(10, Math.ceil(pods / 50))): Promise<DriftBenchResult> {
  return withScaleServer(pods, nodes, async (app) => {
    const ctx = app.deps.kube.currentContext();
    const a = app.deps.kube.actions(ctx);
    const t0 = performance.now();
    // As `kubectl apply` left them: the annotation holds the manifest; one Deployment in ten was scaled since.
    const deployments = await a.list('deployments.apps');
    await pool(deployments, 8, async (d, i) => {
      const spec = d.spec as { replicas: number; selector: unknown; template: unknown };
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: d.metadata.name, namespace: d.metadata.namespace, labels: d.metadata.labels },
        spec: {
          replicas: i % 10 === 0 ? spec.replicas + 1 : spec.replicas,
          selector: spec.selector,
          template: spec.template,
        },
      };
      d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(manifest) };
      delete d.metadata.managedFields;
      await a.write('replace', 'deployments.apps', d);
    });
    const services = (await a.list('services')).filter((s) => s.metadata.namespace?.startsWith('team-'));
    await pool(services, 8, async (s) => {
      const manifest = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: s.metadata.name, namespace: s.metadata.namespace },
        spec: { selector: (s.spec as { selector?: unknown }).selector, ports: (s.spec as { ports?: unknown }).ports },
      };
      s.metadata.annotations = { ...(s.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(manifest) };
      delete s.metadata.managedFields;
      await a.write('replace', 'services', s);
    });
    // 50 Helm releases of 10 ConfigMaps each, spread over the team namespaces (fewer at a small BENCH_PODS); one
    // ConfigMap in ten edited after the install.
    const teams = (await a.list('namespaces')).map((n) => n.metadata.name).filter((n) => n.startsWith('team-'));
    if (!teams.length) throw new Error('the scale cluster has no team-* namespace');
    const releases = Array.from({ length: 50 }, (_, r) => ({ ns: teams[r % teams.length], r }));
    await pool(releases, 4, async ({ ns, r }) => {
      const name = `rel-${r}`;
      const cms: KObject[] = Array.from({ length: 10 }, (_, c) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-cm-${c}`, labels: { 'app.kubernetes.io/instance': name } },
        data: { level: 'info', replicas: '3', timeout: '30s' },
      }));
      const manifest = cms.map((o) => `---\n${JSON.stringify(o)}\n`).join('');
      for (const [c, o] of cms.entries())
        await a.write('create', 'configmaps', {
          ...o,
          metadata: {
            ...o.metadata,
            namespace: ns,
            annotations: { 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': ns },
          },
          data: c === 0 ? { ...(o.data as Record<string, string>), timeout: '90s' } : o.data,
        } as KObject);
      const rel = {
        name,
        namespace: ns,
        version: 1,
        info: { status: 'deployed', last_deployed: new Date().toISOString() },
        chart: { metadata: { name: 'bench', version: '1.0.0' } },
        manifest,
      };
      await a.write('create', 'secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          name: `sh.helm.release.v1.${name}.v1`,
          namespace: ns,
          labels: { name, owner: 'helm', status: 'deployed', version: '1' },
        },
        data: { release: encodeReleaseData(rel as never) },
      } as KObject);
    });
    const setupMs = performance.now() - t0;
    const get = async (q: string) => {
      const s = performance.now();
      const res = await fetch(`${app.server.url}/api/drift/analysis${q}`, {
        headers: { Authorization: `Bearer ${app.token}`, Connection: 'close' },
      });
      const body = (await res.json()) as DriftReport;
      if (res.status !== 200) throw new Error(`drift analysis answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - s, body };
    };
    // The first read opens the caches (100k pods among them); on a loaded machine that may outlast the server's 20 s
    // wait for one cache, which answers 503 while the cache goes on syncing: ask again.
    const f0 = performance.now();
    let first: Awaited<ReturnType<typeof get>> | undefined;
    while (!first) {
      try {
        first = await get('');
      } catch (e) {
        if (!/ 503:/.test((e as Error).message) || performance.now() - f0 > 900_000) throw e;
      }
    }
    const firstMs = performance.now() - f0;
    // The caches follow the writes above: wait until every tracked object is seen.
    let settled = first;
    for (let i = 0; i < 50 && settled.body.total < deployments.length + services.length + 500; i++)
      settled = await get('');
    const median = async (q: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) runs.push((await get(q)).ms);
      return runs.sort((x, y) => x - y)[3];
    };
    return {
      tracked: settled.body.total,
      drifted: settled.body.drifted.length,
      firstMs,
      warmMs: await median(''),
      warmNamespaceMs: await median(`?namespace=${teams[Math.min(7, teams.length - 1)]}`),
      setupMs,
    };
  });
}
