// The simulated kubelet derives from a plain spec (no fault annotations) what a real one does: missing ConfigMaps,
// commands that exit, Jobs over their backoff limit, images that cannot be pulled, probes on unserved ports, and
// pods that recover when what they wait for appears. Asserted through real kubectl, as a user sees it.
import assert from 'node:assert/strict';
import { eventually, kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

type Json = Record<string, any>;

describe('sim kubelet: what a plain spec decides', function () {
  this.timeout(90_000);
  let sim: Sim;
  before(async () => {
    sim = await startTestSim({ scenario: 'empty', speed: 10 });
  });
  after(() => sim?.close());

  const apply = (o: Json) => kubectlOk(sim, ['apply', '-f', '-'], { stdin: JSON.stringify(o) });
  const pod = async (name: string): Promise<Json> =>
    JSON.parse(await kubectlOk(sim, ['get', 'pod', name, '-o', 'json']));
  const status = async (name: string, container?: string): Promise<Json | undefined> =>
    ((await pod(name)).status?.containerStatuses ?? []).find((c: Json) => !container || c.name === container);
  const plainPod = (name: string, container: Json, spec: Json = {}): Json => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'main', ...container }], ...spec },
  });

  it('a container whose envFrom names a missing ConfigMap waits in CreateContainerConfigError, then starts when it appears', async () => {
    await apply(plainPod('needs-config', { image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'app-config' } }] }));
    const waiting = await eventually(async () => {
      const s = await status('needs-config');
      return s?.state?.waiting?.reason === 'CreateContainerConfigError' ? s : undefined;
    });
    assert.equal(waiting.state.waiting.message, 'configmap "app-config" not found');
    assert.equal(waiting.restartCount, 0);
    assert.equal((await pod('needs-config')).status.phase, 'Pending');
    assert.match(
      await kubectlOk(sim, ['get', 'pod', 'needs-config']),
      /needs-config\s+0\/1\s+CreateContainerConfigError\s+0/,
    );
    assert.match(
      await kubectlOk(sim, ['get', 'events', '--field-selector', 'involvedObject.name=needs-config']),
      /Warning\s+Failed\s+pod\/needs-config\s+Error: configmap "app-config" not found/,
    );
    // A key that is not in the ConfigMap, then the ConfigMap as it should be: the kubelet retries each time.
    await apply(
      plainPod('needs-key', {
        image: 'nginx:1.27',
        env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } }],
      }),
    );
    await kubectlOk(sim, ['create', 'configmap', 'app-config', '--from-literal=other=1']);
    await eventually(async () => (await status('needs-config'))?.state?.running);
    await eventually(
      async () =>
        (await status('needs-key'))?.state?.waiting?.message ===
        "couldn't find key mode in ConfigMap default/app-config",
    );
    await kubectlOk(sim, [
      'create',
      'configmap',
      'app-config',
      '--from-literal=mode=prod',
      '--dry-run=client',
      '-o',
      'json',
    ]).then((cm) => kubectlOk(sim, ['apply', '-f', '-'], { stdin: cm }));
    await eventually(async () => (await status('needs-key'))?.ready === true);
    // An optional reference may be missing.
    await apply(
      plainPod('optional-ref', {
        image: 'nginx:1.27',
        envFrom: [{ secretRef: { name: 'nope', optional: true } }],
      }),
    );
    await eventually(async () => (await status('optional-ref'))?.ready === true);
  });

  it('a command that exits 1 terminates with Error, restarts with back-off, and keeps its output for --previous', async () => {
    await apply(plainPod('dying', { image: 'busybox:1.36', command: ['sh', '-c', 'echo dying; exit 1'] }));
    // First the dead instance shows as terminated, as a real kubelet shows it until its next sync.
    const crashed = await eventually(async () => {
      const s = await status('dying');
      return s?.state?.waiting?.reason === 'CrashLoopBackOff' && s.restartCount >= 1 ? s : undefined;
    }, 30_000);
    assert.match(
      crashed.state.waiting.message,
      /^back-off (10|20|40)s restarting failed container=main pod=dying_default\(/,
    );
    assert.equal(crashed.lastState.terminated.exitCode, 1);
    assert.equal(crashed.lastState.terminated.reason, 'Error');
    assert.equal((await pod('dying')).status.phase, 'Running');
    assert.match(await kubectlOk(sim, ['get', 'pod', 'dying']), /dying\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d/);
    assert.equal(await kubectlOk(sim, ['logs', 'dying', '--previous']), 'dying\n');
    assert.equal(await kubectlOk(sim, ['logs', 'dying']), 'dying\n');
    // Back-off doubles: 10s then 20s (simulated).
    const later = await eventually(async () => {
      const s = await status('dying');
      return s?.state?.waiting?.reason === 'CrashLoopBackOff' && s.restartCount >= 2 ? s : undefined;
    }, 30_000);
    assert.match(later.state.waiting.message, /^back-off (20|40|80)s /);
    const describe = await kubectlOk(sim, ['describe', 'pod', 'dying']);
    assert.match(describe, /Last State:\s+Terminated\s+Reason:\s+Error\s+Exit Code:\s+1/);
    assert.match(describe, /Warning\s+BackOff\s+.*Back-off restarting failed container main/);

    // restartPolicy Never: the pod ends Failed, with the exit code; OnFailure with exit 0: Succeeded.
    await apply(
      plainPod(
        'once',
        { image: 'busybox:1.36', command: ['sh', '-c', 'echo working; sleep 2; exit 7'] },
        { restartPolicy: 'Never' },
      ),
    );
    await apply(
      plainPod(
        'done-ok',
        { image: 'busybox:1.36', command: ['sh', '-c', 'echo fine && exit 0'] },
        { restartPolicy: 'OnFailure' },
      ),
    );
    await eventually(async () => (await pod('once')).status.phase === 'Failed', 30_000);
    const once = await status('once');
    assert.deepEqual(
      {
        exitCode: once!.state.terminated.exitCode,
        reason: once!.state.terminated.reason,
        restarts: once!.restartCount,
      },
      { exitCode: 7, reason: 'Error', restarts: 0 },
    );
    assert.equal(await kubectlOk(sim, ['logs', 'once']), 'working\n');
    await eventually(async () => (await pod('done-ok')).status.phase === 'Succeeded', 30_000);
    assert.equal((await status('done-ok'))!.state.terminated.reason, 'Completed');

    // A long-running loop keeps running and logs what it echoes; an image without a command runs as before.
    await apply(
      plainPod('looper', {
        image: 'busybox:1.36',
        command: ['sh', '-c', 'i=0; while true; do echo tick; sleep 1; done'],
      }),
    );
    await eventually(
      async () => (await kubectlOk(sim, ['logs', 'looper'])).split('\n').filter((l) => l === 'tick').length >= 3,
    );
    assert.ok((await status('looper'))!.state.running);
    assert.equal((await status('looper'))!.restartCount, 0);
  });

  it('a Job whose container exits 3 with backoffLimit 1 fails with BackoffLimitExceeded', async () => {
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'exits-3' },
      spec: {
        backoffLimit: 1,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'job', image: 'busybox:1.36', command: ['sh', '-c', 'exit 3'] }],
          },
        },
      },
    });
    const job = await eventually(async () => {
      const j = JSON.parse(await kubectlOk(sim, ['get', 'job', 'exits-3', '-o', 'json']));
      return j.status?.conditions?.some((c: Json) => c.type === 'Failed' && c.status === 'True') ? j : undefined;
    }, 45_000);
    const failed = job.status.conditions.find((c: Json) => c.type === 'Failed');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.message, 'Job has reached the specified backoff limit');
    assert.equal(job.status.failed, 2);
    assert.ok(!job.status.conditions.some((c: Json) => c.type === 'Complete'));
    const pods = JSON.parse(await kubectlOk(sim, ['get', 'pods', '-l', 'job-name=exits-3', '-o', 'json'])).items;
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.equal(p.status.phase, 'Failed');
      assert.equal(p.status.containerStatuses[0].state.terminated.exitCode, 3);
    }
    // A Job that succeeds: completions 2, parallelism 1.
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'works' },
      spec: {
        completions: 2,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'job', image: 'busybox:1.36', command: ['echo', 'ok'] }],
          },
        },
      },
    });
    assert.match(
      await kubectlOk(sim, ['wait', '--for=condition=Complete', 'job/works', '--timeout=40s']),
      /job.batch\/works condition met/,
    );
    assert.equal(JSON.parse(await kubectlOk(sim, ['get', 'job', 'works', '-o', 'json'])).status.succeeded, 2);
    // activeDeadlineSeconds ends a Job that runs too long.
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'too-slow' },
      spec: {
        activeDeadlineSeconds: 3,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'job', image: 'busybox:1.36', command: ['sleep', '600'] }],
          },
        },
      },
    });
    const slow = await eventually(async () => {
      const j = JSON.parse(await kubectlOk(sim, ['get', 'job', 'too-slow', '-o', 'json']));
      return j.status?.conditions?.find((c: Json) => c.type === 'Failed' && c.status === 'True');
    }, 30_000);
    assert.equal(slow.reason, 'DeadlineExceeded');
    assert.equal(slow.message, 'Job was active longer than specified deadline');
  });

  it('an image that cannot be pulled shows ErrImagePull, then ImagePullBackOff', async () => {
    await apply(plainPod('bad-image', { image: 'registry.invalid/nope:missing' }));
    // ErrImagePull first (with containerd's reason), then the kubelet backs off: ImagePullBackOff.
    const events = await eventually(async () => {
      const out = await kubectlOk(sim, ['get', 'events', '--field-selector', 'involvedObject.name=bad-image']);
      return /Error: ErrImagePull/.test(out) && /Error: ImagePullBackOff/.test(out) ? out : undefined;
    });
    assert.match(
      events,
      /Failed to pull image "registry\.invalid\/nope:missing": rpc error: code = Unknown desc = failed to pull and unpack image "registry\.invalid\/nope:missing".*lookup registry\.invalid.*no such host/,
    );
    await eventually(async () => (await status('bad-image'))?.state?.waiting?.reason === 'ImagePullBackOff');
    assert.match(await kubectlOk(sim, ['get', 'pod', 'bad-image']), /bad-image\s+0\/1\s+ImagePullBackOff\s+0/);
    // A known repository with an unknown tag: not found.
    await apply(plainPod('bad-tag', { image: 'nginx:nope' }));
    const tag = await eventually(async () => {
      const s = await status('bad-tag');
      return /ErrImagePull|ImagePullBackOff/.test(s?.state?.waiting?.reason ?? '') ? s : undefined;
    });
    assert.match(
      await kubectlOk(sim, ['get', 'events', '--field-selector', 'involvedObject.name=bad-tag']),
      /docker\.io\/library\/nginx:nope: not found/,
    );
    assert.ok(tag);
    // Catalog images start.
    for (const image of ['nginx:1.27', 'redis:7.2.5', 'postgres:16.4', 'python:3.12-slim', 'busybox']) {
      const name = `ok-${image.replace(/[^a-z0-9]+/g, '-')}`.replace(/-$/, '');
      await apply(plainPod(name, { image, ...(image === 'busybox' ? {} : {}) }));
      await eventually(async () => (await status(name))?.state?.running);
    }
  });

  it('probes: an unserved port is never ready, a failing liveness probe restarts, exec probes run in the shell', async () => {
    await apply(
      plainPod('wrong-port', {
        image: 'nginx:1.27',
        ports: [{ containerPort: 80 }],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
      }),
    );
    await eventually(async () =>
      /Readiness probe failed: Get "http:\/\/[\d.]+:8080\/healthz": dial tcp [\d.]+:8080: connect: connection refused/.test(
        await kubectlOk(sim, ['get', 'events', '--field-selector', 'involvedObject.name=wrong-port']),
      ),
    );
    const s = await status('wrong-port');
    assert.equal(s!.ready, false);
    assert.ok(s!.state.running);
    // nginx serves 80 even when the spec does not declare it.
    await apply(plainPod('right-port', { image: 'nginx:1.27', readinessProbe: { tcpSocket: { port: 80 } } }));
    await eventually(async () => (await status('right-port'))?.ready === true);

    await apply(
      plainPod('not-alive', {
        image: 'nginx:1.27',
        livenessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1, failureThreshold: 2 },
      }),
    );
    const restarted = await eventually(async () => {
      const c = await status('not-alive');
      return c && c.restartCount >= 1 ? c : undefined;
    }, 30_000);
    assert.equal(restarted.lastState.terminated.exitCode, 137);
    assert.match(
      await kubectlOk(sim, ['get', 'events', '--field-selector', 'involvedObject.name=not-alive']),
      /Container main failed liveness probe, will be restarted/,
    );

    // After the Kubernetes docs' exec probe example: ready while /tmp/healthy exists. The probe, the container's
    // command and kubectl exec share its files: the file the command made, an exec removes.
    await apply(
      plainPod('exec-probe', {
        image: 'busybox:1.36',
        command: ['sh', '-c', 'touch /tmp/healthy; sleep 3600'],
        readinessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
      }),
    );
    await eventually(async () => (await status('exec-probe'))?.ready === true);
    assert.equal((await kubectl(sim, ['exec', 'exec-probe', '--', 'cat', '/tmp/healthy'])).code, 0);
    assert.equal((await kubectl(sim, ['exec', 'exec-probe', '--', 'rm', '-f', '/tmp/healthy'])).code, 0);
    await eventually(async () => (await status('exec-probe'))?.ready === false, 30_000);
    assert.match(
      await kubectlOk(sim, ['get', 'events', '--field-selector', 'involvedObject.name=exec-probe']),
      /Readiness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory|Readiness probe failed: cat: \/tmp\/healthy: No such file or directory/,
    );
  });

  it('memory: a stress container allocating more than its limit is OOMKilled (exit 137)', async () => {
    await apply(
      plainPod('memory-demo-2', {
        image: 'polinux/stress',
        command: ['stress'],
        args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
        resources: { requests: { memory: '50Mi' }, limits: { memory: '100Mi' } },
      }),
    );
    const oom = await eventually(async () => {
      const c = await status('memory-demo-2');
      const t = c?.lastState?.terminated ?? c?.state?.terminated;
      return t?.reason === 'OOMKilled' ? t : undefined;
    }, 30_000);
    assert.equal(oom.exitCode, 137);
  });

  it('volumes and service accounts: missing ones block the pod the way a real cluster does', async () => {
    await apply(
      plainPod(
        'needs-volume',
        { image: 'nginx:1.27' },
        { volumes: [{ name: 'cfg', configMap: { name: 'web-files' } }] },
      ),
    );
    await eventually(async () =>
      /Warning\s+FailedMount\s+pod\/needs-volume\s+MountVolume\.SetUp failed for volume "cfg" : configmap "web-files" not found/.test(
        await kubectlOk(sim, ['get', 'events', '--field-selector', 'involvedObject.name=needs-volume']),
      ),
    );
    assert.match(await kubectlOk(sim, ['get', 'pod', 'needs-volume']), /needs-volume\s+0\/1\s+ContainerCreating/);
    await kubectlOk(sim, ['create', 'configmap', 'web-files', '--from-literal=index.html=hi']);
    await eventually(async () => (await status('needs-volume'))?.ready === true);

    await apply(
      plainPod(
        'needs-claim',
        { image: 'nginx:1.27' },
        { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'nope' } }] },
      ),
    );
    await eventually(async () => {
      const c = (await pod('needs-claim')).status?.conditions?.find((x: Json) => x.type === 'PodScheduled');
      return c?.reason === 'Unschedulable' && /persistentvolumeclaim "nope" not found/.test(c.message);
    });

    const r = await kubectl(sim, ['apply', '-f', '-'], {
      stdin: JSON.stringify(plainPod('needs-sa', { image: 'nginx:1.27' }, { serviceAccountName: 'robot' })),
    });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /pods "needs-sa" is forbidden: error looking up service account default\/robot: serviceaccount "robot" not found/,
    );
    await kubectlOk(sim, ['create', 'deployment', 'robots', '--image=nginx:1.27']);
    await kubectlOk(sim, [
      'patch',
      'deployment',
      'robots',
      '-p',
      '{"spec":{"template":{"spec":{"serviceAccountName":"robot"}}}}',
    ]);
    await eventually(async () =>
      /FailedCreate\s+replicaset\/robots-\S+\s+Error creating: pods "robots-\S+-" is forbidden: error looking up service account default\/robot: serviceaccount "robot" not found/.test(
        await kubectlOk(sim, ['get', 'events']),
      ),
    );
    await kubectlOk(sim, ['create', 'serviceaccount', 'robot']);
    await kubectlOk(sim, ['apply', '-f', '-'], {
      stdin: JSON.stringify(plainPod('needs-sa', { image: 'nginx:1.27' }, { serviceAccountName: 'robot' })),
    });
    assert.match(
      await kubectlOk(sim, ['rollout', 'status', 'deployment/robots', '--timeout=40s']),
      /successfully rolled out/,
    );
  });
});
