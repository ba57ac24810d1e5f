// Form checks, plain parameter messages, kubectl ages and the pod overview model: the pure parts behind issue 11's
// forms, ages and pod overview.
import assert from 'node:assert/strict';
import { z } from 'zod';
import { wholeNumber, namespaceName, problem } from '../../webviews/src/model/validate';
import { describeIssues, plainMessage } from '../../src/shared/paramErrors';
import { humanDuration, ageSince } from '../../src/shared/age';
import { podView, probeText } from '../../webviews/src/model/podOverview';
import { scaleParams } from '../../src/shared/routes/resources';

const replicas = (t: string) => wholeNumber(t, { min: 0, max: 100_000, what: 'the number of replicas' });

describe('form checks', () => {
  it('never turns bad text into a number', () => {
    for (const [text, why] of [
      ['abc', /digits only/],
      ['-1', /negative/],
      ['2.5', /whole number/],
      ['2,5', /whole number/],
      ['99999999', /at most 100,000/],
      ['', /Enter the number of replicas/],
      ['  ', /Enter/],
      ['1e3', /digits only/],
      ['0x10', /digits only/],
    ] as const) {
      const c = replicas(text);
      assert.equal(c.ok, false, `"${text}" was accepted`);
      assert.match(problem(c) ?? '', why, `"${text}": ${problem(c)}`);
    }
  });
  it('accepts whole numbers in range, and an optional empty value', () => {
    assert.deepEqual(replicas(' 3 '), { ok: true, value: 3 });
    assert.deepEqual(replicas('0'), { ok: true, value: 0 });
    assert.deepEqual(wholeNumber('', { min: 1024, max: 65535, what: 'a port', emptyMeans: 0 }), { ok: true, value: 0 });
    assert.equal(wholeNumber('80', { min: 1024, max: 65535, what: 'a port', emptyMeans: 0 }).ok, false);
  });
  it('checks namespace names', () => {
    assert.deepEqual(namespaceName('shop'), { ok: true, value: 'shop' });
    assert.deepEqual(namespaceName('', true), { ok: true, value: '' });
    assert.match(problem(namespaceName('Shop')) ?? '', /lower-case/);
    assert.match(problem(namespaceName('-x')) ?? '', /letter or digit/);
  });
});

describe('plain parameter messages', () => {
  const message = (v: unknown) => {
    const r = scaleParams.safeParse({
      name: 'grafana',
      namespace: 'monitoring',
      ...(v === undefined ? {} : { replicas: v }),
    });
    assert.equal(r.success, false);
    return describeIssues(r.error!.issues);
  };
  it('names the field in plain words', () => {
    assert.equal(message(2.5), 'Replicas must be a whole number');
    assert.equal(message(-1), 'Replicas must be 0 or more');
    assert.equal(message('abc'), 'Replicas must be a whole number');
    assert.equal(message(99999999), 'Replicas must be at most 100000');
    assert.equal(message(undefined), 'Replicas is required');
    const e = z
      .object({ mode: z.enum(['a', 'b']), tags: z.array(z.string()).max(1) })
      .safeParse({ mode: 'c', tags: ['x', 'y'] });
    assert.equal(describeIssues(e.error!.issues), 'Mode must be one of a, b; tags takes at most 1 item');
    const m = z
      .object({
        message: z.string().min(1, 'message is empty'),
        ns: z.string().regex(/^[a-z]+$/, 'must be a namespace name'),
      })
      .safeParse({ message: '', ns: 'A' });
    assert.equal(describeIssues(m.error!.issues), 'Message is empty; ns must be a namespace name');
  });
  it('rewrites validator text that reached a message anyway', () => {
    assert.equal(
      plainMessage('invalid parameters for deployment.scale: replicas: Invalid input: expected int, received number'),
      'Replicas must be a whole number',
    );
    assert.equal(
      plainMessage('invalid parameters for POST /api/deployment/scale: replicas: Too small: expected number to be >=0'),
      'Replicas must be 0 or more',
    );
    assert.equal(plainMessage('deployment "x" not found'), 'deployment "x" not found');
    assert.equal(plainMessage('HTTP 424: no AI provider is configured'), 'No AI provider is configured');
  });
});

describe('ages', () => {
  it('reads like kubectl', () => {
    const s = 1000;
    assert.deepEqual(
      [45 * s, 476 * s, 12 * 60 * s, 3 * 3600 * s + 4 * 60 * s, 30 * 3600 * s, 5 * 86400 * s, 800 * 86400 * s].map(
        humanDuration,
      ),
      ['45s', '7m56s', '12m', '3h4m', '30h', '5d', '2y'],
    );
    assert.equal(ageSince('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:01:01Z')), '61s');
    assert.equal(ageSince(undefined, 0), '');
  });
});

describe('pod overview', () => {
  const pod = {
    metadata: {
      name: 'w-1',
      namespace: 'data',
      creationTimestamp: '2026-01-01T00:00:00Z',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'w', controller: true }],
    },
    spec: {
      nodeName: 'worker-b',
      serviceAccountName: 'default',
      volumes: [
        { name: 'cfg', configMap: { name: 'app' } },
        { name: 'cache', emptyDir: {} },
      ],
      containers: [
        {
          name: 'loader',
          image: 'acme/loader:1',
          ports: [{ containerPort: 8080, name: 'http' }],
          resources: { requests: { cpu: '200m' }, limits: { memory: '512Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
          env: [
            { name: 'A', value: '1' },
            { name: 'DSN', valueFrom: { secretKeyRef: { name: 'db', key: 'dsn' } } },
          ],
          envFrom: [{ configMapRef: { name: 'app' } }],
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/app', readOnly: true }],
        },
        { name: 'sidecar', image: 'acme/sidecar:2' },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.0.0.9',
      qosClass: 'Burstable',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [
        {
          name: 'loader',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-01-01T00:05:00Z' } },
        },
        { name: 'sidecar', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:05Z' } } },
      ],
    },
  };
  it('lays out each container as describe does, each fact once', () => {
    const v = podView(pod, 'CrashLoopBackOff');
    assert.equal(v.status, 'CrashLoopBackOff');
    assert.equal(v.ready, '1/2');
    assert.equal(v.restarts, 4);
    assert.deepEqual(v.ips, ['10.0.0.9']);
    assert.deepEqual(v.controlledBy, { kind: 'ReplicaSet', name: 'w' });
    const [loader, sidecar] = v.containers;
    assert.equal(loader.image, 'acme/loader:1');
    assert.deepEqual(loader.state, {
      kind: 'waiting',
      reason: 'CrashLoopBackOff',
      message: 'back-off',
      exitCode: undefined,
      since: undefined,
    });
    assert.equal(loader.lastState?.reason, 'OOMKilled');
    assert.equal(loader.lastState?.exitCode, 137);
    assert.deepEqual(loader.ports, ['8080/TCP (http)']);
    assert.deepEqual([loader.requests, loader.limits], [['cpu 200m'], ['memory 512Mi']]);
    assert.deepEqual(loader.probes, [
      { kind: 'Liveness', text: 'http-get http://:8080/healthz delay=0s timeout=1s period=5s #success=1 #failure=3' },
    ]);
    assert.deepEqual(loader.env, ['A=1', 'DSN from Secret db key dsn']);
    assert.deepEqual(loader.envFrom, ['ConfigMap app']);
    assert.deepEqual(loader.mounts, ['/etc/app from cfg (ro)']);
    assert.equal(sidecar.state.kind, 'running');
    assert.equal(sidecar.ready, true);
    assert.deepEqual(v.volumes, ['cfg: ConfigMap app', 'cache: empty directory']);
  });
  it('words every probe kind like kubectl', () => {
    assert.equal(
      probeText({ tcpSocket: { port: 5432 } }),
      'tcp-socket :5432 delay=0s timeout=1s period=10s #success=1 #failure=3',
    );
    assert.equal(
      probeText({ exec: { command: ['cat', '/tmp/ok'] }, initialDelaySeconds: 3 }),
      'exec [cat /tmp/ok] delay=3s timeout=1s period=10s #success=1 #failure=3',
    );
  });
});
