import { gunzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { ResourceRequest, SimContext } from '../../src/sim/context';
import { makeClock } from '../../src/sim/clock';
import { TypeRegistry } from '../../src/sim/kinds';
import type { KObj } from '../../src/sim/store';
import { Store } from '../../src/sim/store';
import { startControllers } from '../../src/sim/controllers/run';
import { FAULT_ANNOTATION, FAULT_CONTAINER_ANNOTATION } from '../../src/sim/controllers/faults';
import { evictionAllowed } from '../../src/sim/controllers/pdb';
import { installMetrics } from '../../src/sim/metrics';
import { loadScenario } from '../../src/sim/scenarios/load';
import { crd, deployment, node, podTemplate, put, service } from '../../src/sim/scenarios/seed';

interface Harness {
  ctx: SimContext;
  close(): void;
}

function harness(
  opts: { speed?: number; scenario?: 'empty' | 'demo' | 'scale'; pods?: number; nodes?: number } = {},
): Harness {
  const types = new TypeRegistry();
  const closers: Array<() => void | Promise<void>> = [];
  const ctx: SimContext = {
    store: new Store(types),
    types,
    clock: makeClock(opts.speed ?? 50),
    kubeMinor: 32,
    subresources: new Map(),
    upgrades: new Map(),
    virtual: new Map(),
    onClose: (fn) => closers.push(fn),
  };
  loadScenario(ctx, { scenario: opts.scenario ?? 'empty', pods: opts.pods, nodes: opts.nodes });
  startControllers(ctx);
  installMetrics(ctx);
  return { ctx, close: () => closers.forEach((f) => void f()) };
}

async function waitFor<T>(what: string, fn: () => T | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const list = (ctx: SimContext, tk: string, ns?: string) => [...ctx.store.iterate(tk, ns)];
const pods = (ctx: SimContext, ns: string, app?: string) =>
  list(ctx, 'pods', ns).filter((p) => !app || p.metadata.labels?.app === app);
const cond = (o: KObj | undefined, type: string) => o?.status?.conditions?.find((c: KObj) => c.type === type);
const events = (ctx: SimContext, o: KObj) =>
  list(ctx, 'events', o.metadata.namespace ?? 'default').filter((e) => e.involvedObject.uid === o.metadata.uid);
function update(ctx: SimContext, tk: string, o: KObj, change: (x: KObj) => void): KObj {
  const next = structuredClone(o);
  change(next);
  return ctx.store.update(ctx.store.typeOf(tk)!, next);
}
const get = (ctx: SimContext, tk: string, ns: string | undefined, name: string) => ctx.store.get(tk, ns, name);

describe('sim controllers', function () {
  this.timeout(20000);
  let h: Harness;
  afterEach(() => h?.close());

  it('turns a Deployment into a ReplicaSet and ready pods, with revision and owner references', async () => {
    h = harness();
    const { ctx } = h;
    put(
      ctx,
      deployment('default', 'web', { replicas: 3, containers: [{ image: 'nginx:1.25', cpu: '100m', port: 80 }] }),
    );
    const d = await waitFor('deployment available', () => {
      const x = get(ctx, 'apps/deployments', 'default', 'web');
      return x?.status?.availableReplicas === 3 && cond(x, 'Progressing')?.reason === 'NewReplicaSetAvailable' && x;
    });
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(cond(d, 'Available')?.status, 'True');
    assert.equal(d.status.observedGeneration, d.metadata.generation);
    const [rs] = list(ctx, 'apps/replicasets', 'default');
    assert.equal(rs.metadata.ownerReferences?.[0].uid, d.metadata.uid);
    assert.equal(rs.metadata.ownerReferences?.[0].controller, true);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    assert.ok(hash && rs.metadata.name === `web-${hash}`);
    const ps = pods(ctx, 'default', 'web');
    assert.equal(ps.length, 3);
    for (const p of ps) {
      assert.ok(p.metadata.name.startsWith(`web-${hash}-`));
      assert.equal(p.status.phase, 'Running');
      assert.equal(cond(p, 'Ready')?.status, 'True');
      assert.ok(p.status.podIP && p.status.hostIP && p.spec.nodeName === 'node-1');
      assert.match(p.status.containerStatuses[0].containerID, /^containerd:\/\/[0-9a-f]{64}$/);
      assert.equal(p.status.qosClass, 'Burstable');
    }
    const reasons = events(ctx, ps[0]).map((e) => e.reason);
    for (const r of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'])
      assert.ok(reasons.includes(r), `${r} in ${reasons}`);
    assert.ok(
      events(ctx, d).some(
        (e) => e.reason === 'ScalingReplicaSet' && /Scaled up replica set web-\w+ from 0 to 3/.test(e.message),
      ),
    );
  });

  it('rolls out a template change, scales, and rolls back to the previous revision', async () => {
    h = harness();
    const { ctx } = h;
    put(ctx, deployment('default', 'api', { replicas: 2, containers: [{ image: 'api:1', cpu: '50m' }] }));
    const ready = (gen: number) => (x: KObj | undefined) =>
      x &&
      x.status?.observedGeneration === gen &&
      x.status?.updatedReplicas === x.spec.replicas &&
      x.status?.availableReplicas === x.spec.replicas &&
      x.status?.replicas === x.spec.replicas &&
      x;
    let d = await waitFor('v1', () => ready(1)(get(ctx, 'apps/deployments', 'default', 'api')));
    update(ctx, 'apps/deployments', d, (x) => (x.spec.template.spec.containers[0].image = 'api:2'));
    d = await waitFor('v2 rolled out', () => ready(2)(get(ctx, 'apps/deployments', 'default', 'api')));
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    const sets = list(ctx, 'apps/replicasets', 'default');
    assert.equal(sets.length, 2);
    const rev1 = sets.find((s) => s.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
    assert.equal(rev1.spec.replicas, 0);
    assert.ok(pods(ctx, 'default', 'api').every((p) => p.spec.containers[0].image === 'api:2'));

    update(ctx, 'apps/deployments', d, (x) => (x.spec.replicas = 4));
    d = await waitFor('scaled to 4', () => ready(3)(get(ctx, 'apps/deployments', 'default', 'api')));
    assert.equal(pods(ctx, 'default', 'api').length, 4);

    // What `kubectl rollout undo` does: copy revision 1's template (minus the hash label) into the deployment.
    const tpl = structuredClone(rev1.spec.template);
    delete tpl.metadata.labels['pod-template-hash'];
    update(ctx, 'apps/deployments', d, (x) => (x.spec.template = tpl));
    d = await waitFor('rolled back', () => ready(4)(get(ctx, 'apps/deployments', 'default', 'api')));
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(
      get(ctx, 'apps/replicasets', 'default', rev1.metadata.name)?.metadata.annotations?.[
        'deployment.kubernetes.io/revision'
      ],
      '3',
    );
    assert.ok(pods(ctx, 'default', 'api').every((p) => p.spec.containers[0].image === 'api:1'));
  });

  it('reports a rollout stuck on a missing image as ProgressDeadlineExceeded', async () => {
    h = harness();
    const { ctx } = h;
    put(
      ctx,
      deployment('default', 'stuck', {
        replicas: 1,
        progressDeadlineSeconds: 5,
        containers: [{ image: 'ghcr.io/acme/app:does-not-exist' }],
      }),
    );
    const d = await waitFor('deadline', () => {
      const x = get(ctx, 'apps/deployments', 'default', 'stuck');
      return cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && x;
    });
    assert.equal(cond(d, 'Progressing')?.status, 'False');
    const [p] = pods(ctx, 'default', 'stuck');
    const w = p.status.containerStatuses[0].state.waiting;
    assert.ok(['ErrImagePull', 'ImagePullBackOff'].includes(w.reason));
    assert.equal(p.status.phase, 'Pending');
    assert.ok(
      events(ctx, p).some(
        (e) => e.type === 'Warning' && e.reason === 'Failed' && e.message.startsWith('Failed to pull image'),
      ),
    );
  });

  it('explains unschedulable pods like the scheduler and honours cordons', async () => {
    h = harness();
    const { ctx } = h;
    put(ctx, node('node-2', { index: 2, cpu: 2, memoryGi: 4 }));
    const n1 = get(ctx, 'nodes', undefined, 'node-1')!;
    update(ctx, 'nodes', n1, (x) => (x.spec.unschedulable = true));
    const p = put(ctx, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'big', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '3' } } }] },
    });
    const ev = await waitFor('FailedScheduling', () => events(ctx, p).find((e) => e.reason === 'FailedScheduling'));
    assert.match(ev.message, /^0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) were unschedulable\./);
    const cur = get(ctx, 'pods', 'default', 'big')!;
    assert.equal(cond(cur, 'PodScheduled')?.reason, 'Unschedulable');
    assert.equal(cur.status.phase, 'Pending');
    // A small pod avoids the cordoned node.
    put(ctx, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'small', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] },
    });
    const small = await waitFor('small scheduled', () => get(ctx, 'pods', 'default', 'small')?.spec.nodeName);
    assert.equal(small, 'node-2');
  });

  it('acts out crash loops, OOM kills and failing readiness, with aggregated events', async () => {
    h = harness();
    const { ctx } = h;
    const mk = (name: string, fault: string, extra: Record<string, string> = {}) =>
      put(ctx, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: 'default',
          labels: { app: name },
          annotations: { [FAULT_ANNOTATION]: fault, ...extra },
        },
        spec: {
          containers: [
            { name: 'app', image: 'app:1', resources: { limits: { memory: '128Mi' } } },
            { name: 'side', image: 'side:1' },
          ],
        },
      });
    mk('crash', 'crashloop');
    mk('oom', 'oomkill', { [FAULT_CONTAINER_ANNOTATION]: 'side' });
    mk('unready', 'unready');
    put(ctx, service('default', 'unready', 80));
    const crash = await waitFor('crash loop', () => {
      const p = get(ctx, 'pods', 'default', 'crash');
      return (
        p?.status?.containerStatuses?.[0].restartCount >= 2 &&
        p!.status.containerStatuses[0].state.waiting?.reason === 'CrashLoopBackOff' &&
        p
      );
    });
    assert.deepEqual(
      [
        crash.status.containerStatuses[0].lastState.terminated.exitCode,
        crash.status.containerStatuses[0].lastState.terminated.reason,
      ],
      [1, 'Error'],
    );
    assert.equal(crash.status.phase, 'Running');
    assert.equal(cond(crash, 'Ready')?.status, 'False');
    const backoff = events(ctx, crash).filter((e) => e.reason === 'BackOff');
    assert.equal(backoff.length, 1, 'repeats aggregate into one Event');
    assert.ok(backoff[0].count >= 2);
    assert.equal(backoff[0].involvedObject.fieldPath, 'spec.containers{app}');

    const oom = await waitFor('oom kill', () => {
      const p = get(ctx, 'pods', 'default', 'oom');
      const side = p?.status?.containerStatuses?.find((c: KObj) => c.name === 'side');
      return side?.lastState?.terminated && p!;
    });
    const [app, side] = oom.status.containerStatuses;
    assert.deepEqual([side.lastState.terminated.reason, side.lastState.terminated.exitCode], ['OOMKilled', 137]);
    assert.equal(app.restartCount, 0);

    const ep = await waitFor(
      'not-ready endpoint',
      () =>
        get(ctx, 'endpoints', 'default', 'unready')?.subsets?.[0]?.notReadyAddresses?.length === 1 &&
        get(ctx, 'endpoints', 'default', 'unready'),
    );
    assert.equal(ep.subsets[0].addresses, undefined);
    const unready = get(ctx, 'pods', 'default', 'unready')!;
    assert.equal(unready.status.phase, 'Running');
    assert.equal(cond(unready, 'Ready')?.status, 'False');
    // Lifting the fault makes it ready.
    update(ctx, 'pods', unready, (x) => delete x.metadata.annotations![FAULT_ANNOTATION]);
    await waitFor(
      'ready after fault lifted',
      () => cond(get(ctx, 'pods', 'default', 'unready'), 'Ready')?.status === 'True',
    );
  });

  it('completes Jobs, fails them past backoffLimit, and runs CronJobs on schedule', async () => {
    h = harness({ speed: 60 });
    const { ctx } = h;
    put(ctx, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'ok', namespace: 'default' },
      spec: { template: podTemplate('ok', { restartPolicy: 'Never', containers: [{ image: 'busybox' }] }) },
    });
    put(ctx, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'bad', namespace: 'default' },
      spec: {
        backoffLimit: 1,
        template: podTemplate('bad', {
          restartPolicy: 'Never',
          podAnnotations: { [FAULT_ANNOTATION]: 'fail' },
          containers: [{ image: 'busybox' }],
        }),
      },
    });
    put(ctx, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: 'default' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: { template: podTemplate('tick', { restartPolicy: 'OnFailure', containers: [{ image: 'busybox' }] }) },
        },
      },
    });
    const ok = await waitFor(
      'complete',
      () =>
        cond(get(ctx, 'batch/jobs', 'default', 'ok'), 'Complete')?.status === 'True' &&
        get(ctx, 'batch/jobs', 'default', 'ok'),
    );
    assert.equal(ok.status.succeeded, 1);
    assert.ok(ok.status.completionTime);
    assert.equal(pods(ctx, 'default', 'ok')[0].status.phase, 'Succeeded');
    const bad = await waitFor(
      'failed',
      () =>
        cond(get(ctx, 'batch/jobs', 'default', 'bad'), 'Failed')?.status === 'True' &&
        get(ctx, 'batch/jobs', 'default', 'bad'),
    );
    assert.equal(cond(bad, 'Failed').reason, 'BackoffLimitExceeded');
    assert.equal(bad.status.failed, 2);
    const cj = await waitFor(
      'cron fired',
      () =>
        get(ctx, 'batch/cronjobs', 'default', 'tick')?.status?.lastScheduleTime &&
        get(ctx, 'batch/cronjobs', 'default', 'tick'),
    );
    const jobs = list(ctx, 'batch/jobs', 'default').filter(
      (j) => j.metadata.ownerReferences?.[0]?.uid === cj.metadata.uid,
    );
    assert.ok(jobs.length >= 1 && jobs[0].metadata.name.startsWith('tick-'));
    // Suspended: no further runs.
    update(ctx, 'batch/cronjobs', get(ctx, 'batch/cronjobs', 'default', 'tick')!, (x) => (x.spec.suspend = true));
    const before = list(ctx, 'batch/jobs', 'default').filter((j) => j.metadata.name.startsWith('tick-')).length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(list(ctx, 'batch/jobs', 'default').filter((j) => j.metadata.name.startsWith('tick-')).length, before);
  });

  it('marks pods not ready and taints a node that goes NotReady, and recovers', async () => {
    h = harness();
    const { ctx } = h;
    put(ctx, deployment('default', 'web', { replicas: 1, containers: [{ image: 'nginx' }] }));
    await waitFor('ready pod', () => pods(ctx, 'default', 'web').find((p) => cond(p, 'Ready')?.status === 'True'));
    update(
      ctx,
      'nodes',
      get(ctx, 'nodes', undefined, 'node-1')!,
      (x) => (x.metadata.annotations = { ...x.metadata.annotations, [FAULT_ANNOTATION]: 'notready' }),
    );
    const n = await waitFor('tainted', () => {
      const x = get(ctx, 'nodes', undefined, 'node-1');
      return (
        x?.spec.taints?.some((t: KObj) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') && x
      );
    });
    assert.equal(cond(n, 'Ready')?.status, 'Unknown');
    await waitFor('pod not ready', () => cond(pods(ctx, 'default', 'web')[0], 'Ready')?.status === 'False');
    assert.ok(events(ctx, n).some((e) => e.reason === 'NodeNotReady'));
    update(
      ctx,
      'nodes',
      get(ctx, 'nodes', undefined, 'node-1')!,
      (x) => delete x.metadata.annotations![FAULT_ANNOTATION],
    );
    await waitFor('pod ready again', () => cond(pods(ctx, 'default', 'web')[0], 'Ready')?.status === 'True');
    assert.equal(get(ctx, 'nodes', undefined, 'node-1')!.spec.taints, undefined);
  });

  it('binds claims with a class, leaves claims for a missing class Pending, keeps StatefulSet and DaemonSet shapes', async () => {
    h = harness();
    const { ctx } = h;
    put(ctx, node('node-2', { index: 2, cpu: 4, memoryGi: 8 }));
    put(ctx, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard' },
      provisioner: 'pd.csi.storage.gke.io',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
    const missing = put(ctx, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'nope', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
    });
    put(ctx, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: podTemplate('db', { containers: [{ image: 'postgres' }] }),
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: 'standard',
              resources: { requests: { storage: '5Gi' } },
            },
          },
        ],
      },
    });
    put(ctx, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: podTemplate('agent', { containers: [{ image: 'agent' }] }),
      },
    });
    await waitFor('sts ready', () => get(ctx, 'apps/statefulsets', 'default', 'db')?.status?.readyReplicas === 2);
    assert.deepEqual(
      pods(ctx, 'default', 'db')
        .map((p) => p.metadata.name)
        .sort(),
      ['db-0', 'db-1'],
    );
    for (const i of [0, 1]) {
      const pvc = get(ctx, 'persistentvolumeclaims', 'default', `data-db-${i}`)!;
      assert.equal(pvc.status.phase, 'Bound');
      assert.equal(get(ctx, 'persistentvolumes', undefined, pvc.spec.volumeName)?.status.phase, 'Bound');
    }
    assert.equal(get(ctx, 'persistentvolumeclaims', 'default', 'nope')!.status.phase, 'Pending');
    assert.ok(
      events(ctx, missing).some(
        (e) => e.reason === 'ProvisioningFailed' && e.message === 'storageclass.storage.k8s.io "fast" not found',
      ),
    );
    const ds = await waitFor(
      'ds ready',
      () =>
        get(ctx, 'apps/daemonsets', 'default', 'agent')?.status?.numberReady === 2 &&
        get(ctx, 'apps/daemonsets', 'default', 'agent'),
    );
    assert.equal(ds.status.desiredNumberScheduled, 2);
    assert.deepEqual(
      pods(ctx, 'default', 'agent')
        .map((p) => p.spec.nodeName)
        .sort(),
      ['node-1', 'node-2'],
    );
  });

  it('keeps Endpoints empty for a Service without pods and checks evictions against PDBs', async () => {
    h = harness();
    const { ctx } = h;
    put(ctx, service('default', 'ghost', 80));
    await waitFor('endpoints', () => get(ctx, 'endpoints', 'default', 'ghost'));
    assert.equal(get(ctx, 'endpoints', 'default', 'ghost')!.subsets, undefined);
    assert.match(get(ctx, 'services', 'default', 'ghost')!.spec.clusterIP, /^10\.96\./);
    put(ctx, deployment('default', 'api', { replicas: 2, containers: [{ image: 'api' }] }));
    put(ctx, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'api', namespace: 'default' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'api' } } },
    });
    await waitFor(
      '2 ready',
      () => pods(ctx, 'default', 'api').filter((p) => cond(p, 'Ready')?.status === 'True').length === 2,
    );
    const verdict = evictionAllowed(ctx, pods(ctx, 'default', 'api')[0]);
    assert.equal(verdict.allowed, false);
    assert.equal(verdict.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    const pdb = await waitFor(
      'pdb status',
      () =>
        get(ctx, 'policy/poddisruptionbudgets', 'default', 'api')?.status?.currentHealthy === 2 &&
        get(ctx, 'policy/poddisruptionbudgets', 'default', 'api'),
    );
    assert.equal(pdb.status.disruptionsAllowed, 0);
    update(ctx, 'policy/poddisruptionbudgets', pdb, (x) => (x.spec.minAvailable = 1));
    assert.equal(evictionAllowed(ctx, pods(ctx, 'default', 'api')[0]).allowed, true);
  });

  it('serves CRDs as types and drops them with the CRD', async () => {
    h = harness();
    const { ctx } = h;
    const c = put(ctx, crd('example.com', 'Widget', 'widgets', { version: 'v1', shortNames: ['wd'] }));
    const rt = await waitFor('type added', () => ctx.types.get('example.com', 'v1', 'widgets'));
    assert.deepEqual([rt.kind, rt.namespaced, rt.shortNames], ['Widget', true, ['wd']]);
    put(ctx, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: {} });
    await waitFor('established', () =>
      cond(get(ctx, 'apiextensions.k8s.io/customresourcedefinitions', undefined, 'widgets.example.com'), 'Established'),
    );
    ctx.store.remove(ctx.store.typeOf('apiextensions.k8s.io/customresourcedefinitions')!, undefined, c.metadata.name);
    assert.equal(ctx.types.get('example.com', 'v1', 'widgets'), undefined);
    assert.equal(ctx.store.count('example.com/widgets'), 0);
  });

  it('serves changing pod and node metrics', async () => {
    h = harness();
    const { ctx } = h;
    put(ctx, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'm', namespace: 'default', labels: { app: 'm' } },
      spec: {
        containers: [
          { name: 'a', image: 'a', resources: { requests: { cpu: '200m', memory: '128Mi' } } },
          { name: 'b', image: 'b' },
        ],
      },
    });
    await waitFor('running', () =>
      get(ctx, 'pods', 'default', 'm')?.status?.containerStatuses?.every((c: KObj) => c.state.running),
    );
    const call = async (key: string, r: Partial<ResourceRequest>) => {
      let body = '';
      let code = 0;
      const res = {
        writeHead: (c: number) => (code = c),
        write: (s: string) => (body += s),
        end: (s?: string) => (body += s ?? ''),
      } as unknown as ServerResponse;
      await ctx.virtual.get(key)!(
        { verb: 'list', url: new URL('https://x/'), ...r } as ResourceRequest,
        res,
        Buffer.alloc(0),
      );
      return { code, json: JSON.parse(body) };
    };
    const list1 = await call('metrics.k8s.io/pods', {
      namespace: 'default',
      url: new URL('https://x/?labelSelector=app%3Dm'),
    });
    assert.equal(list1.json.kind, 'PodMetricsList');
    const [pm] = list1.json.items;
    assert.deepEqual(
      pm.containers.map((c: KObj) => c.name),
      ['a', 'b'],
    );
    assert.match(pm.containers[0].usage.cpu, /^\d+n$/);
    assert.match(pm.containers[0].usage.memory, /^\d+Ki$/);
    assert.equal(pm.window, '30s');
    const nodes = await call('metrics.k8s.io/nodes', {});
    assert.equal(nodes.json.items[0].metadata.name, 'node-1');
    const missing = await call('metrics.k8s.io/pods', { verb: 'get', namespace: 'default', name: 'nope' });
    assert.equal(missing.code, 404);
    await new Promise((r) => setTimeout(r, 300));
    const list2 = await call('metrics.k8s.io/pods', { namespace: 'default' });
    assert.notEqual(
      list2.json.items[0].containers[0].usage.cpu,
      pm.containers[0].usage.cpu,
      'usage moves with simulated time',
    );
  });

  // How fast the scale scenario starts is measured by `npm run bench` (simBench); tests set no time limits.
  it('loads the scale scenario and stays idle', async function () {
    // A guard against a hang only: 20,000 pods on a busy machine take what they take (simBench measures the speed).
    this.timeout(180_000);
    h = harness({ scenario: 'scale', pods: 20000, speed: 1 });
    const { ctx } = h;
    assert.equal(ctx.store.count('pods'), 20000);
    assert.ok(new Set(list(ctx, 'pods').map((p) => p.metadata.namespace)).size >= 50);
    await new Promise((r) => setTimeout(r, 500));
    const rev = ctx.store.rev;
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(ctx.store.rev - rev < 200, `no write storms (${ctx.store.rev - rev} writes in a second)`);
  });

  it('brings the demo cluster to its steady state with every advertised fault', async () => {
    h = harness({ scenario: 'demo', speed: 10 });
    const { ctx } = h;
    const reason = (ns: string, prefix: string) => () => {
      const p = pods(ctx, ns).find((x) => x.metadata.name.startsWith(prefix));
      return p?.status?.containerStatuses
        ?.map((c: KObj) => c.state.waiting?.reason ?? c.lastState?.terminated?.reason)
        .join(',');
    };
    await waitFor('crash loop', () => reason('payments', 'payments-worker')()?.includes('CrashLoopBackOff'));
    await waitFor(
      'oom',
      () =>
        reason('data', 'warehouse-loader')()?.includes('OOMKilled') ||
        reason('data', 'warehouse-loader')()?.includes('CrashLoopBackOff'),
    );
    await waitFor('image pull', () =>
      pods(ctx, 'shop').some((p) =>
        /ImagePullBackOff|ErrImagePull/.test(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''),
      ),
    );
    await waitFor(
      'stuck rollout',
      () =>
        cond(get(ctx, 'apps/deployments', 'shop', 'checkout'), 'Progressing')?.reason === 'ProgressDeadlineExceeded',
      10000,
    );
    assert.equal(cond(get(ctx, 'pods', 'ml', 'trainer-large'), 'PodScheduled')?.reason, 'Unschedulable');
    assert.equal(cond(get(ctx, 'nodes', undefined, 'worker-c'), 'Ready')?.status, 'Unknown');
    await waitFor('failed job', () => cond(get(ctx, 'batch/jobs', 'data', 'backfill-orders'), 'Failed'));
    assert.equal(get(ctx, 'endpoints', 'monitoring', 'alertmanager')?.subsets, undefined);
    assert.equal(get(ctx, 'persistentvolumeclaims', 'data', 'analytics-scratch')?.status?.phase, 'Pending');
    await waitFor(
      'hpa at max',
      () =>
        cond(get(ctx, 'autoscaling/horizontalpodautoscalers', 'shop', 'catalog'), 'ScalingLimited')?.reason ===
        'TooManyReplicas',
    );
    assert.ok(ctx.types.get('serving.kserve.io', 'v1beta1', 'inferenceservices'));
    const helm = get(ctx, 'secrets', 'shop', 'sh.helm.release.v1.shop.v3')!;
    const release = JSON.parse(
      gunzipSync(Buffer.from(Buffer.from(helm.data.release, 'base64').toString(), 'base64')).toString(),
    );
    assert.deepEqual([release.name, release.version, release.info.status], ['shop', 3, 'deployed']);
  });
});
