// Every engine action against the simulator's demo cluster, each checked by reading the cluster back; the viewer's
// writes fail as forbidden and its can-I answers are false.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { parse as load } from 'yaml';
import { KubeEngine } from '../../src/core/kube/engine';
import type { KubeActions } from '../../src/core/kube/actions';
import type { KubeError } from '../../src/core/kube/errors';
import type { KObject } from '../../src/core/kube/descriptors';
import { startTestSim, eventually, type Sim } from '../helpers/sim';

const isCode = (code: string) => (e: KubeError) => {
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  assert.equal(e.name, 'KubeError');
  return true;
};

function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('engine actions (simulator, demo cluster)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let engine: KubeEngine;
  let admin: KubeActions;
  let viewer: KubeActions;
  const store = () => sim.ctx.store;
  const obj = (tk: string, ns: string | undefined, name: string) =>
    store().get(tk, ns, name) as KObject<any, any> | undefined;
  const podsOf = (ns: string, app: string) =>
    [...store().iterate('pods', ns)].filter(
      (p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp,
    ) as KObject<any, any>[];

  before(async () => {
    sim = await startTestSim({ scenario: 'demo' });
    engine = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
    await engine.connectAll();
    admin = engine.actions(sim.contexts.admin);
    viewer = engine.actions(sim.contexts.viewer);
    await eventually(() => podsOf('shop', 'frontend').filter((p) => p.status?.phase === 'Running').length === 3);
  });
  after(async () => {
    await engine.close();
    await sim.close();
  });

  it('gets an object as YAML, exactly as stored', async () => {
    // The controllers keep writing status: the YAML is the object as stored at some moment between these two reads.
    const before = Number(obj('apps/deployments', 'shop', 'frontend')!.metadata.resourceVersion);
    const text = await admin.getYaml('deployments', 'shop', 'frontend');
    const truth = obj('apps/deployments', 'shop', 'frontend')!;
    const y = load(text) as KObject;
    assert.equal(y.metadata.uid, truth.metadata.uid);
    const rv = Number(y.metadata.resourceVersion);
    assert.ok(
      rv >= before && rv <= Number(truth.metadata.resourceVersion),
      `resourceVersion ${rv} within [${before}, ${truth.metadata.resourceVersion}]`,
    );
    assert.deepEqual(y.spec, truth.spec);
    assert.equal(y.metadata.managedFields, undefined);
    await assert.rejects(admin.getYaml('pods', 'shop', 'nope'), isCode('notFound'));
  });

  it('describes a deployment and a pod with their events (by involvedObject.uid)', async () => {
    const dep = obj('apps/deployments', 'shop', 'frontend')!;
    const text = await admin.describe('deployments', 'shop', 'frontend');
    assert.match(text, /^Name:\s+frontend$/m);
    assert.match(text, /^Replicas:\s+3 desired/m);
    const rs = [...store().iterate('apps/replicasets', 'shop')].find((r) =>
      r.metadata.ownerReferences?.some((o: { uid: string }) => o.uid === dep.metadata.uid),
    )!;
    assert.match(text, new RegExp(`^NewReplicaSet:\\s+${rs.metadata.name} `, 'm'));
    const events = [...store().iterate('events', 'shop')].filter((e) => e.involvedObject?.uid === dep.metadata.uid);
    assert.ok(events.length > 0);
    for (const e of events) assert.ok(text.includes(e.message), `event "${e.message}" shown`);

    const pod = podsOf('shop', 'frontend')[0];
    const ptext = await admin.describe('pods', 'shop', pod.metadata.name);
    assert.match(ptext, new RegExp(`^Node:\\s+${pod.spec.nodeName}/`, 'm'));
    const pevents = [...store().iterate('events', 'shop')].filter((e) => e.involvedObject?.uid === pod.metadata.uid);
    assert.ok(pevents.length > 0);
    for (const e of pevents) assert.ok(ptext.includes(e.reason));
  });

  it('previews an edit with a server-side dry run and a diff, then applies it; stale and invalid edits fail typed', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'edit-me', namespace: 'shop' },
      data: { mode: 'slow' },
    };
    const created = await admin.previewApply(JSON.stringify(cm));
    assert.equal(created.changed, true);
    assert.equal(obj('configmaps', 'shop', 'edit-me'), undefined, 'a dry run creates nothing');
    await admin.apply(JSON.stringify(cm));
    const yaml = await admin.getYaml('configmaps', 'shop', 'edit-me');
    const edited = yaml.replace('mode: slow', 'mode: fast');
    const preview = await admin.previewApply(edited);
    assert.equal(preview.changed, true);
    assert.match(preview.diff, /^-\s+mode: slow$/m);
    assert.match(preview.diff, /^\+\s+mode: fast$/m);
    assert.equal(
      (obj('configmaps', 'shop', 'edit-me')!.data as Record<string, string>).mode,
      'slow',
      'the preview changed nothing',
    );
    const noop = await admin.previewApply(yaml);
    assert.equal(noop.changed, false);
    assert.equal(noop.diff, '');
    const applied = await admin.apply(edited);
    assert.equal((applied.data as Record<string, string>).mode, 'fast');
    assert.equal((obj('configmaps', 'shop', 'edit-me')!.data as Record<string, string>).mode, 'fast');
    // The first YAML's resourceVersion is now stale.
    await assert.rejects(admin.apply(yaml), isCode('conflict'));
    await assert.rejects(
      admin.apply(JSON.stringify({ ...cm, metadata: { name: 'Bad_Name', namespace: 'shop' } })),
      isCode('invalid'),
    );
    await assert.rejects(admin.previewApply('kind: Nope\napiVersion: x/v1\nmetadata: {name: a}'), isCode('invalid'));
    await assert.rejects(admin.apply(': : :'), isCode('invalid'));
  });

  it('deletes one object and many, reporting each failure', async () => {
    for (const n of ['d1', 'd2', 'd3'])
      await admin.apply(
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'shop' } }),
      );
    await admin.delete('configmaps', 'shop', 'd1');
    assert.equal(obj('configmaps', 'shop', 'd1'), undefined);
    const r = await admin.deleteMany([
      { kind: 'configmaps', namespace: 'shop', name: 'd2' },
      { kind: 'configmaps', namespace: 'shop', name: 'd3' },
      { kind: 'configmaps', namespace: 'shop', name: 'missing' },
    ]);
    assert.deepEqual(r.deleted.map((k) => k.name).sort(), ['d2', 'd3']);
    assert.equal(r.failed.length, 1);
    assert.equal(r.failed[0].error.code, 'notFound');
    assert.equal(obj('configmaps', 'shop', 'd2'), undefined);
    assert.equal(obj('configmaps', 'shop', 'd3'), undefined);
    await assert.rejects(admin.delete('configmaps', 'shop', 'd1'), isCode('notFound'));
  });

  it('scales a deployment and the pods follow', async () => {
    await admin.scale('deployments', 'shop', 'cart', 4);
    assert.equal(obj('apps/deployments', 'shop', 'cart')!.spec.replicas, 4);
    await eventually(() => podsOf('shop', 'cart').length === 4);
    await admin.scale('deployments', 'shop', 'cart', 2);
    await eventually(() => podsOf('shop', 'cart').length === 2);
    await assert.rejects(admin.scale('configmaps', 'shop', 'x', 1), isCode('unsupported'));
    await assert.rejects(admin.scale('deployments', 'shop', 'cart', -1), isCode('invalid'));
  });

  it('restarts a rollout, then rolls back to the previous revision', async () => {
    const before = obj('apps/deployments', 'shop', 'catalog')!;
    const image = before.spec.template.spec.containers[0].image;
    await admin.restart('deployments', 'shop', 'catalog', new Date('2024-06-01T00:00:00Z'));
    const after = obj('apps/deployments', 'shop', 'catalog')!;
    assert.equal(
      after.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
      '2024-06-01T00:00:00.000Z',
    );
    assert.equal(after.spec.template.spec.containers[0].image, image);
    await eventually(async () => (await admin.revisions('shop', 'catalog')).length === 2);

    // A new image makes revision 3; rolling back puts revision 2's template back.
    // The controller may still be writing the rollout's status: like `kubectl edit`, re-read after a conflict.
    await eventually(async () => {
      const y = (await admin.getYaml('deployments', 'shop', 'catalog')).replace(image, 'ghcr.io/acme/catalog:9.9.9');
      return admin.apply(y).then(
        () => true,
        (e: KubeError) => {
          if (e.code !== 'conflict') throw e;
          return false;
        },
      );
    });
    await eventually(
      async () => (await admin.revisions('shop', 'catalog'))[0]?.images[0] === 'ghcr.io/acme/catalog:9.9.9',
    );
    const revs = await admin.revisions('shop', 'catalog');
    assert.equal(revs[0].current, true);
    const to = await admin.rollback('deployments', 'shop', 'catalog');
    assert.equal(to, revs[1].revision);
    const rolled = obj('apps/deployments', 'shop', 'catalog')!;
    assert.equal(rolled.spec.template.spec.containers[0].image, image);
    assert.equal(rolled.spec.template.metadata.labels['pod-template-hash'], undefined);
    await assert.rejects(admin.rollback('deployments', 'shop', 'catalog', 99), isCode('notFound'));
  });

  it('cordons and uncordons a node', async () => {
    await admin.cordon('worker-c');
    assert.equal(obj('nodes', undefined, 'worker-c')!.spec.unschedulable, true);
    await admin.uncordon('worker-c');
    assert.ok(!obj('nodes', undefined, 'worker-c')!.spec.unschedulable);
  });

  it('drains a node through evictions, honouring PodDisruptionBudgets, and says what it could not evict', async () => {
    await eventually(
      () => podsOf('payments', 'payments-api').filter((p) => p.status?.phase === 'Running').length === 2,
    );
    const node = podsOf('payments', 'payments-api')[0].spec.nodeName as string;
    const onNode = () =>
      [...store().iterate('pods')].filter((p) => p.spec?.nodeName === node && !p.metadata.deletionTimestamp) as KObject<
        any,
        any
      >[];
    const before = onNode();
    const r = await admin.drain(node, { force: true, deleteEmptyDirData: true });
    assert.equal(obj('nodes', undefined, node)!.spec.unschedulable, true);
    const blocked = r.failed.find((f) => f.pod.startsWith('payments/payments-api-'));
    assert.ok(blocked, JSON.stringify(r));
    assert.match(blocked.reason, /disruption budget/i);
    for (const s of r.skipped) assert.match(s.reason, /DaemonSet|mirror|terminating/);
    // Every pod the node had is accounted for, unless its controller removed it meanwhile (controllers keep running).
    const accounted = new Set([...r.evicted, ...r.skipped.map((s) => s.pod), ...r.failed.map((f) => f.pod)]);
    const id = (p: KObject<any, any>) => `${p.metadata.namespace}/${p.metadata.name}`;
    const stillThere = new Set([...store().iterate('pods')].map((p) => id(p as KObject<any, any>)));
    for (const p of before) assert.ok(accounted.has(id(p)) || !stillThere.has(id(p)), `drain left out ${id(p)}`);
    // Every evicted pod is gone from the node.
    await eventually(() =>
      r.evicted.every((id) => !onNode().some((p) => `${p.metadata.namespace}/${p.metadata.name}` === id)),
    );
    await admin.uncordon(node);
  });

  it('reads logs: tail, previous, all containers, and every pod of a workload merged', async () => {
    const pod = podsOf('shop', 'frontend')[0];
    await eventually(
      async () => (await admin.logs({ kind: 'pods', namespace: 'shop', name: pod.metadata.name })).length > 6,
    );
    const tail = await admin.logs({ kind: 'pods', namespace: 'shop', name: pod.metadata.name }, { tailLines: 5 });
    assert.equal(tail.length, 5);
    assert.ok(tail.every((l) => l.pod === pod.metadata.name && l.text.length > 0));
    const ts = await admin.logs(
      { kind: 'pods', namespace: 'shop', name: pod.metadata.name },
      { tailLines: 2, timestamps: true },
    );
    assert.match(ts[0].text, /^\d{4}-\d\d-\d\dT\S+Z /);

    // The crash-looping worker's previous container, once one of its pods has restarted (a new pod has none yet).
    await eventually(async () => {
      const worker = podsOf('payments', 'payments-worker').find(
        (p) => p.status?.containerStatuses?.[0]?.restartCount > 0,
      );
      if (!worker) return undefined;
      const lines = await admin.logs(
        { kind: 'pods', namespace: 'payments', name: worker.metadata.name },
        { previous: true },
      );
      return lines.length > 0;
    });

    // Every container of a pod, once both have written something.
    const loader = podsOf('data', 'warehouse-loader')[0];
    const both = await eventually(async () => {
      const lines = await admin.logs(
        { kind: 'pods', namespace: 'data', name: loader.metadata.name, container: '*' },
        { tailLines: 3 },
      );
      return new Set(lines.map((l) => l.container)).size === 2 ? lines : undefined;
    });
    assert.deepEqual([...new Set(both.map((l) => l.container))].sort(), ['loader', 'metrics-exporter']);
    await assert.rejects(
      admin.logs({ kind: 'pods', namespace: 'data', name: loader.metadata.name, container: 'nope' }),
      isCode('notFound'),
    );

    // Every running pod of the workload, merged (a pod still starting has no lines yet: wait for it to run).
    const merged = await eventually(async () => {
      const lines = await admin.logs({ kind: 'deployments', namespace: 'shop', name: 'frontend' }, { tailLines: 4 });
      const running = podsOf('shop', 'frontend')
        .filter((p) => p.status?.phase === 'Running')
        .map((p) => p.metadata.name)
        .sort();
      const shown = [...new Set(lines.map((l) => l.pod))].sort();
      return running.length > 0 && shown.join() === running.join() ? lines : undefined;
    });
    const times = merged.map((l) => l.time!);
    assert.deepEqual([...times].sort(), times, 'merged by time');

    const since = await admin.logs(
      { kind: 'pods', namespace: 'shop', name: pod.metadata.name },
      { sinceSeconds: 1, timestamps: true },
    );
    const cutoff = Date.now() - 60_000;
    assert.ok(since.every((l) => Date.parse(l.time!) >= cutoff));
  });

  it('follows logs until stopped', async () => {
    const pod = podsOf('shop', 'frontend')[0];
    const got: string[] = [];
    const s = await admin.followLogs(
      { kind: 'pods', namespace: 'shop', name: pod.metadata.name },
      { tailLines: 1 },
      (l) => got.push(l.text),
    );
    await eventually(() => got.length >= 3, 20_000);
    s.stop();
    await s.done;
  });

  it('runs exec streams: a command with its exit code, and an interactive terminal', async () => {
    const pod = podsOf('shop', 'frontend')[0];
    const run = await admin.exec({
      namespace: 'shop',
      pod: pod.metadata.name,
      command: ['sh', '-c', 'echo hello; exit 3'],
      stdin: false,
    });
    let out = '';
    run.onStdout((d) => (out += d.toString()));
    assert.deepEqual((await run.exit).code, 3);
    assert.equal(out.trim(), 'hello');

    const term = await admin.exec({
      namespace: 'shop',
      pod: pod.metadata.name,
      command: ['sh'],
      tty: true,
      cols: 100,
      rows: 30,
    });
    let screen = '';
    term.onStdout((d) => (screen += d.toString()));
    term.write('stty size\n');
    await eventually(() => /30 100\r\n/.test(screen), 5000);
    term.resize(120, 40);
    term.write('stty size; echo from-the-terminal\n');
    await eventually(
      () => /40 120\r\n/.test(screen) && /from-the-terminal\r\n/.test(screen.split('echo from-the-terminal')[1] ?? ''),
    );
    term.write('exit\n');
    assert.equal((await term.exit).code, 0);
  });

  it('port-forwards a local port to a pod (directly, and behind a service), lists and stops it', async () => {
    const pod = podsOf('shop', 'frontend')[0];
    const pf = await admin.startPortForward('pods', 'shop', pod.metadata.name, 8080);
    assert.ok(pf.localPort > 0);
    const r = await httpGet(pf.localPort);
    assert.equal(r.status, 200);
    const svc = await admin.startPortForward('services', 'shop', 'frontend', 80);
    assert.equal(svc.remotePort, 8080, 'service port 80 → targetPort http → 8080');
    assert.equal((await httpGet(svc.localPort)).status, 200);
    assert.deepEqual(
      admin
        .listPortForwards()
        .map((p) => p.id)
        .sort(),
      [pf.id, svc.id].sort(),
    );
    await admin.stopPortForward(pf.id);
    await admin.stopPortForward(svc.id);
    assert.deepEqual(admin.listPortForwards(), []);
    await assert.rejects(httpGet(pf.localPort));
  });

  it("answers can-I per context: the admin may, the viewer may not, and the viewer's writes fail as forbidden", async () => {
    assert.equal(await admin.canI({ verb: 'delete', resource: 'pods', namespace: 'shop' }), true);
    assert.equal(await viewer.canI({ verb: 'delete', resource: 'pods', namespace: 'shop' }), false);
    assert.equal(await viewer.canI({ verb: 'list', resource: 'pods', namespace: 'shop' }), true);
    const verbs = await viewer.canIAll('deployments', 'shop');
    assert.equal(verbs.get, true);
    for (const v of ['create', 'update', 'patch', 'delete']) assert.equal(verbs[v], false, v);

    const rv = obj('apps/deployments', 'shop', 'frontend')!.metadata.resourceVersion;
    await assert.rejects(viewer.scale('deployments', 'shop', 'frontend', 9), isCode('forbidden'));
    await assert.rejects(viewer.restart('deployments', 'shop', 'frontend'), isCode('forbidden'));
    await assert.rejects(viewer.delete('deployments', 'shop', 'frontend'), isCode('forbidden'));
    await assert.rejects(viewer.cordon('worker-a'), isCode('forbidden'));
    await assert.rejects(
      viewer.apply(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v', namespace: 'shop' } })),
      isCode('forbidden'),
    );
    assert.equal(obj('apps/deployments', 'shop', 'frontend')!.metadata.resourceVersion, rv, 'nothing changed');
    assert.equal(obj('configmaps', 'shop', 'v'), undefined);
  });

  it('restarts a pod (the tree offers it) by deleting it so its controller recreates it; a bare pod only with force', async () => {
    const pod = podsOf('shop', 'cart')[0];
    const name = pod.metadata.name;
    const msg = await admin.restartObject('pods', 'shop', name);
    assert.match(msg, new RegExp(`deleted pod shop/${name}; its ReplicaSet .* will recreate it`));
    await eventually(() => !podsOf('shop', 'cart').some((p) => p.metadata.name === name));
    await eventually(() => podsOf('shop', 'cart').length === 2);
    const bare = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bare-restart', namespace: 'shop' },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
    };
    await admin.apply(JSON.stringify(bare));
    await assert.rejects(admin.restart('pods', 'shop', 'bare-restart'), isCode('badRequest'));
    assert.ok(obj('pods', 'shop', 'bare-restart'), 'a pod without a controller is not deleted by a restart');
    assert.match(
      await admin.restartObject('pods', 'shop', 'bare-restart', undefined, { force: true }),
      /no controller/,
    );
    await eventually(() => !obj('pods', 'shop', 'bare-restart'));
  });
});
