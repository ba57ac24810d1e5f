// The security analysis at scale: every workload's checks, Pod Security Standards, RBAC and NetworkPolicy coverage
// computed from the server's watch caches (goal: <= 1 s at 100k pods / 2k nodes), in process and over HTTP. The
// simulator runs in a child process so it does not share this process's CPU time.
import { withScaleServer } from './scaleServer';
import { contextOf } from '../../src/core/api/common';
import { securityInsights, whoCan } from '../../src/core/insights/security';

export interface SecurityBenchResult {
  pods: number;
  workloads: number;
  findings: number;
  /** Until every cache the analysis reads holds its first list. */
  syncMs: number;
  /** First analysis once the caches are synced. */
  firstMs: number;
  /** Median of warm runs of the analysis from the cache (the registry's `findings`). */
  engineMs: number;
  /** Their median CPU time: what the analysis costs whatever else the machine runs. */
  engineCpuMs: number;
  /** Median of warm `GET /api/security` (analysis, scores, old shape, JSON over HTTP). */
  httpMs: number;
  httpBytes: number;
  whoCanMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchSecurity(pods: number, nodes: number): Promise<SecurityBenchResult> {
  return withScaleServer(pods, nodes, async (app) => {
    const ctx = contextOf(app.deps);
    let t0 = performance.now();
    // The cold list of 100k pods can outlast a route's 20 s wait on a busy machine: hold every cache the analysis
    // reads and wait for its first list without a limit, then time the analysis from memory.
    await Promise.all(
      [
        'pods',
        'deployments.apps',
        'statefulsets.apps',
        'daemonsets.apps',
        'jobs.batch',
        'cronjobs.batch',
        'replicasets.apps',
        'networkpolicies.networking.k8s.io',
        'services',
        'ingresses.networking.k8s.io',
        'roles.rbac.authorization.k8s.io',
        'rolebindings.rbac.authorization.k8s.io',
        'namespaces',
        'clusterroles.rbac.authorization.k8s.io',
        'clusterrolebindings.rbac.authorization.k8s.io',
      ].map((k) => app.deps.lists.peek(ctx, k).cache.whenSynced()),
    );
    const syncMs = performance.now() - t0;
    t0 = performance.now();
    const first = await securityInsights.findings(app.deps, ctx);
    const firstMs = performance.now() - t0;
    const engine: number[] = [];
    let findings = first.length;
    const cpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const c0 = process.cpuUsage();
      findings = (await securityInsights.findings(app.deps, ctx)).length;
      const c = process.cpuUsage(c0);
      engine.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
    }
    const http: number[] = [];
    let bytes = 0;
    let workloads = 0;
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const res = await fetch(`${app.server.url}/api/security`, {
        headers: { Authorization: `Bearer ${app.token}`, Connection: 'close' },
      });
      const text = await res.text();
      http.push(performance.now() - t0);
      bytes = text.length;
      workloads = (JSON.parse(text) as { scanned: { workloads: number } }).scanned.workloads;
    }
    const who: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      await whoCan(app.deps, ctx, 'get', 'secrets', 'team-00');
      who.push(performance.now() - t0);
    }
    return {
      pods,
      workloads,
      findings,
      syncMs,
      firstMs,
      engineMs: median(engine),
      engineCpuMs: median(cpu),
      httpMs: median(http),
      httpBytes: bytes,
      whoCanMs: median(who),
    };
  });
}

/** The lines run.ts prints for BENCHMARKS.md. */
export async function printSecurityBench(pods: number, nodes: number): Promise<void> {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const r = await benchSecurity(pods, nodes);
  console.log(
    `\n## security analysis from the watch cache (${r.pods} pods, ${r.workloads} workloads, ${r.findings} findings)`,
  );
  console.log(`caches synced (cold lists of every kind read): ${ms(r.syncMs)}; first analysis after: ${ms(r.firstMs)}`);
  console.log(
    `warm analysis (the registry's findings): ${ms(r.engineMs)} wall, ${ms(r.engineCpuMs)} CPU (goal <= 1000 ms)`,
  );
  console.log(
    `warm GET /api/security (${(r.httpBytes / 1e6).toFixed(1)} MB of JSON): ${ms(r.httpMs)} (goal <= 1000 ms); who-can get secrets: ${r.whoCanMs.toFixed(1)} ms`,
  );
}
