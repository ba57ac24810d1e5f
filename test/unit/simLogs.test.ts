import assert from 'node:assert/strict';
import { appKind, containerRun, logLines, resolveContainer } from '../../src/sim/logs';
import type { ContainerRun } from '../../src/sim/logs';
import type { KObj } from '../../src/sim/store';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const base = { namespace: 'shop', pod: 'web-1', container: 'web', attempt: 0, startedAt: T0 };

function pod(status: Record<string, unknown>, containers = [{ name: 'api', image: 'ghcr.io/acme/orders:1.8' }]): KObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'orders-1', namespace: 'shop' },
    spec: { nodeName: 'n1', containers },
    status,
  };
}

describe('sim log generator', () => {
  it('recognises applications by image', () => {
    assert.equal(appKind('docker.io/library/nginx:1.27'), 'nginx');
    assert.equal(appKind('postgres:16'), 'postgres');
    assert.equal(appKind('bitnami/redis:7.4'), 'redis');
    assert.equal(appKind('eclipse-temurin:21-jre'), 'java');
    assert.equal(appKind('registry.k8s.io/coredns/coredns:v1.11.3'), 'coredns');
    assert.equal(appKind('ghcr.io/acme/orders:1.8'), 'app');
  });

  it('nginx logs start with the entrypoint and continue with access lines, deterministically', () => {
    const run: ContainerRun = { ...base, image: 'nginx:1.27' };
    const lines = logLines(run, { now: T0 + 60_000 });
    assert.match(lines[0].text, /^\/docker-entrypoint\.sh: /);
    assert.ok(lines.some((l) => /"GET \/healthz HTTP\/1\.1" 200 \d+ "-" "kube-probe\/1\.30"/.test(l.text)));
    assert.ok(lines.length > 30 && lines.length < 60, `~1 line per 1.5 s, got ${lines.length}`);
    assert.deepEqual(logLines(run, { now: T0 + 60_000 }), lines);
    for (let i = 1; i < lines.length; i++) assert.ok(lines[i].time >= lines[i - 1].time);
    assert.ok(lines.every((l) => l.time <= T0 + 60_000));
  });

  it('tail and since select the newest lines of the same sequence', () => {
    const run: ContainerRun = { ...base, image: 'python:3.12' };
    const all = logLines(run, { now: T0 + 600_000 });
    assert.deepEqual(logLines(run, { now: T0 + 600_000, tailLines: 5 }), all.slice(-5));
    const since = logLines(run, { now: T0 + 600_000, sinceTime: T0 + 540_000 });
    assert.ok(since.length > 10 && since.every((l) => l.time >= T0 + 540_000));
    assert.deepEqual(
      since,
      all.filter((l) => l.time >= T0 + 540_000),
    );
    assert.equal(logLines(run, { now: T0 + 600_000, tailLines: 0 }).length, 0);
  });

  it('a very old container keeps only what log rotation would keep', () => {
    const lines = logLines({ ...base, image: 'nginx' }, { now: T0 + 90 * 86400_000 });
    assert.equal(lines.length, 20000);
  });

  it('a crashed run ends with the error that killed it', () => {
    const oom = logLines(
      { ...base, image: 'openjdk:21', endedAt: T0 + 120_000, reason: 'OOMKilled', exitCode: 137 },
      { now: T0 + 200_000 },
    );
    assert.equal(oom[oom.length - 1].text, 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space');
    const err = logLines(
      { ...base, image: 'ghcr.io/acme/orders:1.8', endedAt: T0 + 30_000, reason: 'Error', exitCode: 1 },
      { now: T0 + 200_000 },
    );
    assert.ok(err.some((l) => l.text.startsWith('panic: failed to connect to database')));
    assert.ok(err.every((l) => l.time <= T0 + 30_000));
  });

  it('maps container status to the run kubectl logs reads', () => {
    const now = T0 + 3600_000;
    const crashing = pod({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'api',
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: {
            terminated: {
              reason: 'Error',
              exitCode: 2,
              startedAt: '2026-05-01T10:50:00Z',
              finishedAt: '2026-05-01T10:50:20Z',
            },
          },
        },
      ],
    });
    const cur = containerRun(crashing, 'api', false, now);
    assert.equal(cur.endedAt, Date.parse('2026-05-01T10:50:20Z'));
    assert.match(
      logLines(cur, { now })
        .map((l) => l.text)
        .join('\n'),
      /panic: failed to connect to database/,
    );
    assert.equal(containerRun(crashing, 'api', true, now).reason, 'Error');

    const healthy = pod({
      phase: 'Running',
      containerStatuses: [{ name: 'api', restartCount: 0, state: { running: { startedAt: '2026-05-01T10:00:00Z' } } }],
    });
    assert.equal(containerRun(healthy, 'api', false, now).endedAt, undefined);
    assert.throws(() => containerRun(healthy, 'api', true, now), {
      code: 400,
      message: 'previous terminated container "api" in pod "orders-1" not found',
    });

    const creating = pod({
      phase: 'Pending',
      containerStatuses: [{ name: 'api', state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    assert.throws(() => containerRun(creating, 'api', false, now), {
      code: 400,
      message: 'container "api" in pod "orders-1" is waiting to start: ContainerCreating',
    });
  });

  it('chooses the container, or refuses like kube-apiserver', () => {
    const two = pod({}, [
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'redis' },
    ]);
    assert.throws(() => resolveContainer(two, null), {
      code: 400,
      reason: 'BadRequest',
      message: 'a container name must be specified for pod orders-1, choose one of: [a b]',
    });
    assert.throws(() => resolveContainer(two, 'c'), {
      code: 400,
      message: 'container c is not valid for pod orders-1',
    });
    assert.equal(resolveContainer(pod({}), null), 'api');
  });
});
