// The engine at scale (goal: 100k pods / 2k nodes): cold sync against the bare cost of fetching and parsing the same
// pages, watch events applied per second, and RSS after sync. The simulator runs in a child process so the RSS
// measured here is the engine's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeEngine } from '../../src/core/kube/engine';
import { HttpClient } from '../../src/core/kube/http';
import { configForContext, loadKubeconfigs } from '../../src/core/kube/kubeconfig';
import type { KObject } from '../../src/core/kube/descriptors';

export interface EngineBenchResult {
  pods: number;
  nodes: number;
  /** Fetch + JSON.parse of every page (limit 500) of pods and nodes, nothing kept. */
  fetchParseMs: number;
  /** Engine: list pages of pods and nodes into the indexed cache, watches started. */
  coldSyncMs: number;
  /** coldSyncMs / fetchParseMs (goal ≤ 1.5). */
  ratio: number;
  /** Watch events (JSON lines parsed and applied to the indexed cache, batches emitted) per second (goal ≥ 50k). */
  eventsPerSec: number;
  /** RSS of this process after sync (goal ≤ 600 MB). */
  rssMb: number;
}

async function startSimProcess(pods: number, nodes: number): Promise<{ child: ChildProcess; kubeconfig: string }> {
  const root = resolve(__dirname, '../..');
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kubegraf-engine-bench-')), 'kubeconfig');
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=4096',
      '--import',
      'tsx',
      join(root, 'src/cli/main.ts'),
      'sim',
      '--scenario',
      'scale',
      '--pods',
      String(pods),
      '--nodes',
      String(nodes),
      '--kubeconfig-out',
      kubeconfig,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface(child.stdout!);
  await new Promise<void>((ok, fail) => {
    child.once('exit', (c) => fail(new Error(`simulator exited with ${c}`)));
    lines.on('line', (l) => {
      if (l.includes('"ready"')) ok();
    });
  });
  return { child, kubeconfig };
}

async function fetchParse(http: HttpClient, path: string): Promise<number> {
  let cont: string | undefined;
  let n = 0;
  do {
    const r = await http.request(path, { query: { limit: 500, continue: cont }, timeoutMs: 120_000 });
    const page = JSON.parse(r.body.toString('utf8')) as { items: unknown[]; metadata: { continue?: string } };
    n += page.items.length;
    cont = page.metadata.continue || undefined;
  } while (cont);
  return n;
}

export async function benchEngine(pods = 100_000, nodes = 2_000): Promise<EngineBenchResult> {
  const { child, kubeconfig } = await startSimProcess(pods, nodes);
  try {
    const { config } = loadKubeconfigs([kubeconfig]);
    const http = new HttpClient(configForContext(config, config.getCurrentContext()));
    // Warm-up (TLS, the simulator's own caches), then the measured baseline.
    await fetchParse(http, '/api/v1/nodes');
    let t = performance.now();
    const counted = (await fetchParse(http, '/api/v1/pods')) + (await fetchParse(http, '/api/v1/nodes'));
    const fetchParseMs = performance.now() - t;
    http.close();

    const engine = new KubeEngine({
      files: [kubeconfig],
      watchFiles: false,
      probeTimeoutMs: 60_000,
      cache: { requestTimeoutMs: 120_000 },
    });
    const ctx = engine.currentContext();
    await engine.connect(ctx);
    t = performance.now();
    const podSub = engine.subscribe(ctx, 'pods');
    await podSub.cache.whenSynced();
    const nodeSub = engine.subscribe(ctx, 'nodes');
    await nodeSub.cache.whenSynced();
    const coldSyncMs = performance.now() - t;
    if (podSub.cache.index.size + nodeSub.cache.index.size !== counted)
      throw new Error(
        `cache holds ${podSub.cache.index.size + nodeSub.cache.index.size}, the server listed ${counted}`,
      );
    (globalThis as { gc?: () => void }).gc?.();
    const rssMb = process.memoryUsage().rss / 1e6;

    // Watch events as the wire carries them: JSON lines, parsed then applied (relabelled and moved between nodes).
    const sample = podSub.cache.list().slice(0, 20_000);
    const lines = sample.map((p, i) =>
      JSON.stringify({
        type: 'MODIFIED',
        object: {
          ...p,
          metadata: {
            ...p.metadata,
            resourceVersion: String(10_000_000 + i),
            labels: { ...p.metadata.labels, bench: String(i % 7) },
          },
          spec: { ...p.spec, nodeName: `bench-node-${i % 50}` },
        },
      }),
    );
    let batches = 0;
    const off = podSub.cache.onBatch(() => batches++);
    const rounds = 5;
    t = performance.now();
    for (let r = 0; r < rounds; r++) {
      const events = lines.map((l) => JSON.parse(l) as { type: string; object: KObject });
      podSub.cache.applyEvents(events);
      await new Promise((ok) => setImmediate(ok));
    }
    const applyMs = performance.now() - t;
    off();
    if (!batches) throw new Error('no change batches were emitted');
    const eventsPerSec = (rounds * lines.length) / (applyMs / 1000);
    await engine.close();
    return {
      pods: podSub.cache.index.size,
      nodes: nodeSub.cache.index.size,
      fetchParseMs,
      coldSyncMs,
      ratio: coldSyncMs / fetchParseMs,
      eventsPerSec,
      rssMb,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

if (require.main === module) {
  const pods = Number(process.env.BENCH_PODS ?? 100_000);
  const nodes = Number(process.env.BENCH_NODES ?? 2_000);
  benchEngine(pods, nodes)
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
