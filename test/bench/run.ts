// `npm run bench`: every benchmark, printed as lines to paste into BENCHMARKS.md.
// BENCH_PODS / BENCH_NODES scale them down for a quick look; BENCH_ONLY=sim,engine picks some.
// Each benchmark runs in a fresh process of its own, so none pays for another's heap or JIT state.
import { spawnSync } from 'node:child_process';

const pods = Number(process.env.BENCH_PODS ?? 100_000);
const nodes = Number(process.env.BENCH_NODES ?? 2_000);
const ALL = ['engine', 'sim', 'incidents', 'server', 'search', 'webview', 'security', 'insights', 'topology', 'drift'];
const only = process.env.BENCH_ONLY?.split(',');
const child = process.env.BENCH_CHILD === '1';
const wanted = (name: string) => (!only || only.includes(name)) && (!child || only?.length === 1);
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function main(): Promise<void> {
  if (!child) {
    console.log(`node ${process.version}, ${pods} pods / ${nodes} nodes`);
    for (const name of ALL.filter(wanted)) {
      const r = spawnSync(process.execPath, [...process.execArgv, __filename], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_ONLY: name, BENCH_CHILD: '1' },
      });
      if (r.status !== 0) throw new Error(`benchmark ${name} failed (exit ${r.status ?? r.signal})`);
    }
    return;
  }
  // The engine first: its RSS is measured in this process, before the in-process simulator bench grows the heap.
  if (wanted('engine')) {
    const { benchEngine } = await import('./engineBench');
    global.gc?.();
    const r = await benchEngine(pods, nodes);
    console.log(`\n## engine (simulator in a child process)`);
    console.log(`fetch + JSON.parse of every page: ${ms(r.fetchParseMs)}`);
    console.log(`cold sync into the indexed cache: ${ms(r.coldSyncMs)} (ratio ${r.ratio.toFixed(2)}, goal <= 1.5)`);
    console.log(`watch events applied: ${(r.eventsPerSec / 1000).toFixed(1)}k/s (goal >= 50k/s)`);
    console.log(`RSS after sync: ${r.rssMb.toFixed(0)} MB (goal <= 600 MB)`);
  }
  if (wanted('sim')) {
    const { benchSim } = await import('./simBench');
    const r = await benchSim(pods, nodes);
    console.log(`\n## simulator (scenario scale)`);
    console.log(`start (load + TLS + listen): ${ms(r.startMs)}`);
    console.log(
      `one paged full list of pods (limit=500, ${r.pages} pages, ${(r.bytes / 1e6).toFixed(1)} MB, each page parsed): ${ms(r.pagedListMs)}`,
    );
    console.log(`RSS after the list (simulator and client in one process): ${r.rssMb.toFixed(0)} MB`);
  }
  if (wanted('incidents')) {
    const { benchIncidents } = await import('./incidentsBench');
    global.gc?.();
    const r = await benchIncidents(pods);
    console.log(`\n## incident detection (${r.openIncidents} open incidents found)`);
    console.log(`full scan of ${pods} pods: ${ms(r.fullScanMs)} (goal <= 100 ms)`);
    console.log(`per watch event: ${r.perEventUs.toFixed(1)} µs (goal <= 20 µs)`);
  }
  if (wanted('server')) {
    const { benchServer } = await import('./serverBench');
    global.gc?.();
    const r = await benchServer(pods, nodes);
    console.log(`\n## local server: GET /api/pods (all namespaces) from the cache vs kubectl get pods -A -o json`);
    console.log(`first /api/pods (includes the cache's cold sync): ${ms(r.firstListMs)}`);
    console.log(`warm /api/pods: ${ms(r.warmListMs)}`);
    console.log(`kubectl get pods -A -o json on the same simulator: ${ms(r.kubectlMs)}`);
    console.log(`speedup: ${r.speedup.toFixed(0)}x (goal >= 20x)`);
  }
  if (wanted('search')) {
    const { benchSearch } = await import('./searchBench');
    global.gc?.();
    const r = await benchSearch(pods, nodes);
    console.log(`\n## palette search: GET /api/search over every kind's watch cache (${r.pods} pods)`);
    console.log(
      `first search (opens a cache per kind): ${ms(r.firstMs)}${r.firstLoading.length ? `, still loading: ${r.firstLoading.join(', ')}` : ''}`,
    );
    console.log(`server start until a search covers every kind: ${ms(r.syncedMs)}`);
    for (const w of r.warm) console.log(`warm "${w.q}" (${w.total} matches, 30 returned): ${ms(w.ms)}`);
  }
  if (wanted('drift')) {
    const { benchDrift } = await import('./driftBench');
    global.gc?.();
    const r = await benchDrift(pods, nodes);
    console.log(`\n## drift: GET /api/drift/analysis (${r.tracked} tracked objects, ${r.drifted} drifted)`);
    console.log(`setup (annotate, create releases): ${ms(r.setupMs)}; first analysis (opens caches): ${ms(r.firstMs)}`);
    console.log(
      `warm, every namespace: ${ms(r.warmMs)}; warm, one namespace: ${ms(r.warmNamespaceMs)} (goal <= 1000 ms)`,
    );
  }
  if (wanted('topology')) {
    const { benchTopology } = await import('./topologyBench');
    global.gc?.();
    const r = benchTopology(pods, nodes);
    console.log(`\n## resource map (${r.objects} objects with config mounts and placement)`);
    console.log(
      `full graph: ${ms(r.fullMs)}; grouped cluster-wide: ${ms(r.groupedMs)} (${r.groupedNodes} nodes); one namespace grouped: ${ms(r.namespaceMs)} (${r.namespaceNodes} nodes); a Deployment's neighbourhood: ${ms(r.focusMs)} (${r.focusNodes} nodes) (goal <= 1000 ms)`,
    );
  }
  if (wanted('webview')) {
    const { benchPodsPage } = await import('./webviewBench');
    global.gc?.();
    const r = await benchPodsPage(pods);
    console.log(`\n## dashboard pods page in Chromium (${r.pods} pods)`);
    console.log(
      `GET /api/pods: ${ms(r.listApiMs)}; first row on screen: ${ms(r.firstRowMs)}; all rows loaded: ${ms(r.allRowsMs)}`,
    );
    console.log(`sort by Status, click to painted frame: ${ms(r.sortMs)}`);
    console.log(
      `scroll frames (${r.frames}): p50 ${r.frameP50Ms.toFixed(1)} ms, p95 ${r.frameP95Ms.toFixed(1)} ms, max ${r.frameMaxMs.toFixed(1)} ms; longest task ${ms(r.longestTaskMs)}`,
    );
    const c = r.churn;
    console.log(
      `scroll frames while ${c.changesPerSec}/s pods change (${c.frames}): p50 ${c.frameP50Ms.toFixed(1)} ms, p95 ${c.frameP95Ms.toFixed(1)} ms, max ${c.frameMaxMs.toFixed(1)} ms; longest task ${ms(c.longestTaskMs)}`,
    );
    const { benchTableModel } = await import('./tableModelBench');
    const t = benchTableModel(pods);
    console.log(
      `table model, ${t.rows} rows sorted by status: full filter+sort ${ms(t.fullMs)}; view after a ${t.batch}-row change batch p50 ${t.patchP50Ms.toFixed(1)} ms, max ${t.patchMaxMs.toFixed(1)} ms; after a selection change ${t.afterSelectMs.toFixed(2)} ms`,
    );
  }
  if (wanted('insights')) {
    const { benchInsights } = await import('./insightsBench');
    global.gc?.();
    const r = await benchInsights(pods, nodes);
    console.log(
      `\n## cost and continuity analyses (${r.costPods} pods allocated, ${r.sampledContainers} containers sampled)`,
    );
    console.log(`first GET /api/cost/analysis (syncs its caches, first metrics sample): ${ms(r.costFirstMs)}`);
    console.log(`first GET /api/continuity/summary: ${ms(r.continuityFirstMs)}`);
    console.log(
      `GET /api/cost/analysis right after a new metrics sample (the last answer): ${ms(r.costAfterSampleMs)} (goal <= 1000 ms)`,
    );
    console.log(`new sample until an answer carries it (computed again in the background): ${ms(r.costRecomputeMs)}`);
    console.log(
      `warm GET /api/cost/analysis (${r.recommendations} right-sizings): ${ms(r.costWarmMs)} (goal <= 1000 ms)`,
    );
    console.log(
      `warm GET /api/continuity/summary (${r.continuityFindings} findings): ${ms(r.continuityWarmMs)} (goal <= 1000 ms)`,
    );
  }
  if (wanted('security')) await (await import('./securityBench')).printSecurityBench(pods, nodes);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
