// Incident detection cost: a full scan of N pods (goal ≤ 100 ms for 100k) and the cost of one watch event
// (goal ≤ 20 µs). Pods are realistic server JSON: ~3% failing in the usual ways, the rest healthy.
import { performance } from 'node:perf_hooks';
import type { KObject } from '../../src/core/kube/descriptors';
import { Detector } from '../../src/core/incidents/detector';
import { clusterView, DEFAULT_RULE_OPTIONS, type ClusterView } from '../../src/core/incidents/rules';

export interface IncidentsBenchResult {
  pods: number;
  fullScanMs: number;
  perEventUs: number;
  openIncidents: number;
}

function makePod(i: number, now: number): KObject {
  const ns = `ns-${i % 50}`;
  const app = `app-${i % 2000}`;
  const hash = 'abc12345';
  const fault =
    i % 97 === 0 ? 'crash' : i % 89 === 0 ? 'pull' : i % 83 === 0 ? 'oom' : i % 79 === 0 ? 'pending' : undefined;
  const started = new Date(now - 3600_000).toISOString();
  const container: Record<string, unknown> = {
    name: 'main',
    image: `registry/${app}:1.0`,
    ready: !fault,
    restartCount: fault === 'crash' || fault === 'oom' ? 7 : 0,
    state: { running: { startedAt: started } },
  };
  if (fault === 'crash')
    Object.assign(container, {
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: started } },
    });
  if (fault === 'oom')
    Object.assign(container, {
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: started } },
    });
  if (fault === 'pull')
    Object.assign(container, { state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-${hash}-${i}`,
      namespace: ns,
      uid: `uid-${i}`,
      labels: { app, 'pod-template-hash': hash },
      ownerReferences: [{ kind: 'ReplicaSet', name: `${app}-${hash}`, uid: `rs-${app}`, controller: true }],
      creationTimestamp: started,
    },
    spec: {
      nodeName: `node-${i % 2000}`,
      containers: [{ name: 'main', image: `registry/${app}:1.0`, resources: { limits: { memory: '256Mi' } } }],
    },
    status:
      fault === 'pending'
        ? {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: '0/2000 nodes are available: 2000 Insufficient cpu.',
              },
            ],
          }
        : {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: fault ? 'False' : 'True' }],
            containerStatuses: [container],
          },
  };
}

export function benchIncidents(pods: number): IncidentsBenchResult {
  const now = Date.now();
  const list = Array.from({ length: pods }, (_, i) => makePod(i, now));
  const view: ClusterView = clusterView({
    get: () => undefined,
    inNamespace: () => [],
    known: () => true,
    eventsFor: () => [],
    ownedBy: () => [],
    now: () => now,
  });
  // Warm up the rule code paths (JIT) on a separate detector.
  const warm = new Detector('bench', view, DEFAULT_RULE_OPTIONS);
  warm.reset('pods', list.slice(0, Math.min(pods, 20_000)));
  const d = new Detector('bench', view, DEFAULT_RULE_OPTIONS);
  // Building the pods above leaves garbage; collect it first when allowed so the scan is not charged for it.
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  d.reset('pods', list);
  const fullScanMs = performance.now() - t0;
  // Per event: a mix of modified pods (mostly healthy, some flipping into and out of failure), as a watch delivers.
  const events = Math.min(200_000, pods * 2);
  const flipped = list.map((p, i) => (i % 50 === 0 ? makePod(i + 97 - (i % 97), now) : p));
  const t1 = performance.now();
  for (let e = 0; e < events; e++) {
    const i = (e * 7919) % pods;
    d.evaluate('pods', e % 2 ? flipped[i] : list[i]);
  }
  const perEventUs = ((performance.now() - t1) * 1000) / events;
  d.drain();
  return { pods, fullScanMs, perEventUs, openIncidents: d.openIncidents().length };
}

if (require.main === module) {
  const r = benchIncidents(Number(process.env.BENCH_PODS ?? 100_000));
  console.log(
    `incidents: full scan of ${r.pods} pods ${r.fullScanMs.toFixed(1)} ms (goal <= 100 ms), per event ${r.perEventUs.toFixed(2)} µs (goal <= 20 µs), ${r.openIncidents} open incidents`,
  );
}
