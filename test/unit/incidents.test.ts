// Detection rules and the incremental detector without a cluster: findings, grouping by workload, holds,
// self-resolution, stable ids, and fix recommendations.
import assert from 'node:assert/strict';
import type { KObject } from '../../src/core/kube/descriptors';
import { Detector } from '../../src/core/incidents/detector';
import {
  clusterView,
  DEFAULT_RULE_OPTIONS,
  podRule,
  missingRefs,
  type ClusterView,
  type WatchedKind,
} from '../../src/core/incidents/rules';
import { recommendMemory, formatMi } from '../../src/core/incidents/fixes';
import { signatureOf } from '../../src/core/incidents/engine';

let now = Date.parse('2026-01-01T00:00:00Z');
const objects = new Map<string, KObject>();
const view: ClusterView = clusterView({
  get: (k, ns, name) => objects.get(`${k}/${ns ?? ''}/${name}`),
  inNamespace: (k, ns) => [...objects.entries()].filter(([key]) => key.startsWith(`${k}/${ns}/`)).map(([, o]) => o),
  known: () => true,
  eventsFor: () => [],
  ownedBy: () => [],
  now: () => now,
});
const put = (k: WatchedKind, o: KObject) => objects.set(`${k}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);

function pod(name: string, cs: Record<string, unknown>, extra: Record<string, unknown> = {}): KObject<any, any> {
  return {
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: { 'pod-template-hash': 'h1' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-h1', uid: 'rs', controller: true }],
    },
    spec: { containers: [{ name: 'web', image: 'web:1', resources: { limits: { memory: '256Mi' } } }], ...extra },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'web', image: 'web:1', ready: false, restartCount: 4, ...cs }],
    },
  };
}
const crash = (name: string, restarts = 4) =>
  pod(name, {
    restartCount: restarts,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date(now).toISOString() } },
  });
const healthy = (name: string) =>
  pod(name, {
    ready: true,
    restartCount: 0,
    state: { running: { startedAt: new Date(now - 3600_000).toISOString() } },
  });

describe('incident rules', () => {
  it('a crash loop is grouped under its deployment, with exit code, restarts and root cause', () => {
    const [f] = podRule(crash('web-h1-a'), view, DEFAULT_RULE_OPTIONS);
    assert.equal(f.type, 'pod_crash_loop');
    assert.deepEqual(f.subject, { kind: 'Deployment', namespace: 'shop', name: 'web' });
    assert.equal(f.evidence.exitCode, 1);
    assert.equal(f.evidence.restartCount, 4);
    assert.match(f.rootCause, /exits with code 1 \(Error\)/);
  });

  it('CrashLoopBackOff after OOMKilled is an OOM incident with the memory limit', () => {
    const p = pod('web-h1-b', {
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
    });
    const [f] = podRule(p, view, DEFAULT_RULE_OPTIONS);
    assert.equal(f.type, 'oom_killed');
    assert.equal(f.evidence.memoryLimit, '256Mi');
  });

  it('a container terminated and about to be restarted counts as crashing, with the kill it just had', () => {
    const justKilled = pod('web-h1-k', {
      restartCount: 0,
      state: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: new Date(now).toISOString() } },
    });
    const [f] = podRule(justKilled, view, DEFAULT_RULE_OPTIONS);
    assert.equal(f.type, 'oom_killed');
    assert.equal(f.evidence.exitCode, 137);
    // Under restartPolicy Never nothing restarts it: not a crash loop.
    const never = pod(
      'web-h1-n',
      { restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } },
      { restartPolicy: 'Never' },
    );
    assert.ok(!podRule(never, view, DEFAULT_RULE_OPTIONS).some((x) => x.type === 'pod_crash_loop'));
  });

  it('maps waiting reasons k8sgpt reports to incident types', () => {
    const cases: Array<[string, string]> = [
      ['ImagePullBackOff', 'image_pull_error'],
      ['ErrImagePull', 'image_pull_error'],
      ['ErrImageNeverPull', 'image_pull_error'],
      ['InvalidImageName', 'invalid_image'],
      ['CreateContainerConfigError', 'container_config_error'],
      ['CreateContainerError', 'container_create_error'],
      ['RunContainerError', 'run_container_error'],
    ];
    for (const [reason, type] of cases) {
      const fs = podRule(pod('x', { state: { waiting: { reason, message: 'm' } } }), view, DEFAULT_RULE_OPTIONS);
      assert.equal(fs[0]?.type, type, reason);
    }
  });

  it('a healthy pod has no findings; a container that just restarted counts as crashing until stable', () => {
    assert.equal(podRule(healthy('ok'), view, DEFAULT_RULE_OPTIONS).length, 0);
    const justStarted = pod('r', {
      ready: true,
      restartCount: 3,
      state: { running: { startedAt: new Date(now - 1000).toISOString() } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date(now - 2000).toISOString() } },
    });
    assert.equal(podRule(justStarted, view, DEFAULT_RULE_OPTIONS)[0].type, 'pod_crash_loop');
    const stable = pod('r', {
      ready: true,
      restartCount: 3,
      state: { running: { startedAt: new Date(now - 600_000).toISOString() } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date(now - 601_000).toISOString() } },
    });
    assert.equal(podRule(stable, view, DEFAULT_RULE_OPTIONS).length, 0);
  });

  it('finds missing ConfigMap and Secret references (not optional ones)', () => {
    const p = pod(
      'cfg',
      { state: { waiting: { reason: 'CreateContainerConfigError' } } },
      {
        containers: [
          {
            name: 'web',
            env: [
              { name: 'A', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } },
              { name: 'B', valueFrom: { secretKeyRef: { name: 'opt', key: 'k', optional: true } } },
            ],
          },
        ],
        volumes: [{ name: 'v', secret: { secretName: 'tls' } }],
      },
    );
    assert.deepEqual(
      missingRefs(p, view).map((r) => `${r.kind}/${r.name}`),
      ['ConfigMap/gone', 'Secret/tls'],
    );
    assert.ok(podRule(p, view, DEFAULT_RULE_OPTIONS).some((f) => f.type === 'missing_config_reference'));
  });

  it('signatures drop names and numbers so the same failure matches across workloads', () => {
    const a = podRule(crash('web-h1-a', 4), view, DEFAULT_RULE_OPTIONS)[0];
    const b = podRule(crash('web-h1-c', 9), view, DEFAULT_RULE_OPTIONS)[0];
    assert.equal(signatureOf(a), signatureOf(b));
  });

  it('recommends a memory limit from the limit at the kill, or a peak above it', () => {
    assert.equal(formatMi(recommendMemory(256 * 1024 * 1024, 300 * 1024 * 1024)), '512Mi');
    assert.equal(formatMi(recommendMemory(512 * 1024 * 1024, undefined)), '768Mi');
  });
});

describe('incremental detector', () => {
  it('opens one incident per workload, counts occurrences, resolves when every pod recovers, reopens with the same id', () => {
    const d = new Detector('ctx', view, DEFAULT_RULE_OPTIONS);
    d.evaluate('pods', crash('web-h1-a'));
    d.evaluate('pods', crash('web-h1-b'));
    const [opened] = d.drain();
    assert.equal(opened.what, 'opened');
    const inc = opened.incident;
    assert.equal(inc.sources.size, 2);
    assert.equal(inc.occurrences, 2, 'a second affected pod is an occurrence');
    d.evaluate('pods', crash('web-h1-a', 6));
    assert.equal(inc.occurrences, 4, 'two more restarts');
    d.evaluate('pods', healthy('web-h1-a'));
    assert.equal(inc.open, true);
    d.remove('pods', 'shop', 'web-h1-b');
    assert.equal(inc.open, false);
    assert.equal(d.drain().at(-1)?.what, 'resolved');
    d.evaluate('pods', crash('web-h1-a'));
    assert.equal(d.drain()[0].what, 'reopened');
    assert.equal(d.openIncidents()[0].id, inc.id);
  });

  it('holds flapping conditions until they persist, re-checked by sweep', () => {
    const d = new Detector('ctx', view, { ...DEFAULT_RULE_OPTIONS, holdMs: 10_000 });
    const dep: KObject<any, any> = {
      metadata: { name: 'api', namespace: 'shop', uid: 'd1' },
      spec: { replicas: 3 },
      status: {
        availableReplicas: 1,
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
      },
    };
    put('deployments', dep);
    d.evaluate('deployments', dep);
    assert.equal(d.openIncidents().length, 0, 'held');
    now += 11_000;
    d.sweep();
    assert.equal(d.openIncidents()[0].key.split('|')[0], 'replicas_unavailable');
    dep.status.availableReplicas = 3;
    dep.status.conditions[0].status = 'True';
    d.evaluate('deployments', dep);
    assert.equal(d.openIncidents().length, 0, 'resolved');
  });

  it('a relist drops findings of objects that are gone', () => {
    const d = new Detector('ctx', view, DEFAULT_RULE_OPTIONS);
    d.evaluate('pods', crash('web-h1-a'));
    d.reset('pods', [healthy('other')]);
    assert.equal(d.openIncidents().length, 0);
  });

  it('a relist resolves sources that recovered and lets go of held ones, keeping the incident id', () => {
    const d = new Detector('ctx', view, { ...DEFAULT_RULE_OPTIONS, holdMs: 10_000 });
    d.evaluate('pods', crash('web-h1-a'));
    const [inc] = d.openIncidents();
    const dep: KObject<any, any> = {
      metadata: { name: 'api', namespace: 'shop', uid: 'd2' },
      spec: { replicas: 3 },
      status: {
        availableReplicas: 1,
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
      },
    };
    d.evaluate('deployments', dep);
    assert.equal(d.timedCount(), 1, 'the held deployment is re-checked by sweep');
    d.reset('pods', [healthy('web-h1-a')]);
    assert.equal(d.openIncidents().length, 0);
    assert.equal(d.drain().find((c) => c.incident.key === inc.key)?.what, 'resolved');
    d.reset('deployments', [
      { ...dep, status: { availableReplicas: 3, conditions: [{ type: 'Available', status: 'True' }] } },
    ]);
    assert.equal(d.timedCount(), 0, 'nothing held any more');
    now += 11_000;
    d.sweep();
    assert.equal(d.openIncidents().length, 0);
    d.reset('pods', [crash('web-h1-a')]);
    assert.deepEqual(
      d.openIncidents().map((i) => [i.id, i.occurrences]),
      [[inc.id, 2]],
      'reopened under the same id',
    );
    assert.match(inc.id, /^inc-pod_crash_loop-[0-9a-f]{16}$/);
  });
});
