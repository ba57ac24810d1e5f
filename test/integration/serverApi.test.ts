// The local server over real HTTP and WebSocket against the simulated demo cluster: every implemented route answers
// with what the cluster holds (checked through kubectl), writes show up in the cluster, secrets stay masked.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as dump } from 'yaml';
import { kubectlOk, eventually } from '../helpers/sim';
import { api, nextMessage, openWs, startHarness, type Harness } from './serverHelpers';

describe('kubegraf web: API against the demo cluster', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const kjson = async (args: string[]) => JSON.parse(await kubectlOk(h.sim, [...args, '-o', 'json']));

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('lists pods of all namespaces from the cache, matching kubectl', async () => {
    const r = await A.get('/api/pods');
    assert.equal(r.status, 200);
    const want = (await kjson(['get', 'pods', '-A'])).items
      .map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`)
      .sort();
    await eventually(async () => {
      const got = (await A.get('/api/pods')).body.items.map((p: any) => `${p.namespace}/${p.name}`).sort();
      const gotSet = new Set(got);
      // Controllers keep running: compare the stable part (pods kubectl saw that still exist).
      return want.filter((k: string) => gotSet.has(k)).length >= want.length * 0.8 && got.length > 10;
    });
    assert.ok(r.body.columns.some((c: any) => c.id === 'status'));
    assert.equal(r.body.live, true);
  });

  it('filters by namespace; empty namespace means all', async () => {
    const shop = (await A.get('/api/deployments?namespace=shop')).body.items;
    const want = (await kjson(['get', 'deployments', '-n', 'shop'])).items.map((d: any) => d.metadata.name).sort();
    assert.deepEqual(shop.map((d: any) => d.name).sort(), want);
    assert.ok(shop.every((d: any) => d.namespace === 'shop'));
    const all = (await A.get('/api/deployments?namespace=')).body.items;
    assert.ok(all.length > shop.length);
    const sel = (await A.get('/api/pods?namespace=shop&labelSelector=app%3Dcart')).body.items;
    assert.ok(sel.length > 0 && sel.every((p: any) => p.labels.app === 'cart'));
  });

  it('serves every generic kind list (cluster-scoped too) and CRD-backed certificates', async () => {
    for (const [path, kubectlKind] of [
      ['nodes', 'nodes'],
      ['namespaces', 'namespaces'],
      ['services', 'services'],
      ['configmaps', 'configmaps'],
      ['pvcs', 'pvc'],
      ['pvs', 'pv'],
      ['hpas', 'hpa'],
      ['pdbs', 'pdb'],
      ['service-accounts', 'serviceaccounts'],
      ['roles', 'roles'],
      ['clusterroles', 'clusterroles'],
      ['ingresses', 'ingresses'],
      ['networkpolicies', 'networkpolicies'],
      ['certificates', 'certificates.cert-manager.io'],
      ['volumeattachments', 'volumeattachments'],
    ]) {
      const got = (await A.get(`/api/${path}`)).body.items.map((o: any) => `${o.namespace ?? ''}/${o.name}`).sort();
      const want = (await kjson(['get', kubectlKind, '-A'])).items
        .map((o: any) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`)
        .sort();
      assert.deepEqual(got, want, path);
    }
  });

  it('shows CRD printer columns (JSONPath filters and slices too) exactly as kubectl prints them', async () => {
    for (const [kind, route] of [
      ['certificates.cert-manager.io', '/api/certificates'],
      ['inferenceservices.serving.kserve.io', '/api/custom-resources/inferenceservices.serving.kserve.io/instances'],
      ['pytorchjobs.kubeflow.org', '/api/custom-resources/pytorchjobs.kubeflow.org/instances'],
    ]) {
      const r = (await A.get(route)).body;
      const printed = (await kubectlOk(h.sim, ['get', kind, '-A'])).trim().split('\n');
      const header = printed[0].split(/\s{2,}/);
      const rows = printed.slice(1).map((l) => l.split(/\s{2,}/));
      assert.ok(rows.length > 0, kind);
      const cols = r.columns.filter((c: any) => c.id.startsWith('col:'));
      assert.ok(cols.length > 0, kind);
      for (const row of rows) {
        const item = r.items.find((i: any) => i.namespace === row[0] && i.name === row[1]);
        assert.ok(item, `${kind} ${row[1]}`);
        for (const c of cols) {
          const printedCell = row[header.indexOf(c.label.toUpperCase())];
          assert.notEqual(printedCell, '<none>', `${kind} ${row[1]} ${c.label}`);
          assert.equal(String(item[c.id]), printedCell, `${kind} ${row[1]} ${c.label}`);
        }
      }
    }
  });

  it('serves volume attachments read-only: list with their columns, details, yaml, describe, delete; no update', async () => {
    const r = await A.get('/api/volumeattachments');
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'volumeattachments.storage.k8s.io');
    assert.deepEqual(
      r.body.columns.map((c: any) => c.label),
      ['Name', 'Attacher', 'PV', 'Node', 'Attached', 'Age'],
    );
    const want = (await kjson(['get', 'volumeattachments'])).items;
    assert.ok(want.length >= 2);
    for (const k of want) {
      const row = r.body.items.find((x: any) => x.name === k.metadata.name);
      assert.ok(row, k.metadata.name);
      assert.equal(row.namespace, undefined);
      assert.equal(row.attacher, k.spec.attacher);
      assert.equal(row.pv, k.spec.source.persistentVolumeName);
      assert.equal(row.node, k.spec.nodeName);
      assert.equal(row.attached, k.status?.attached ? 'true' : 'false');
    }
    const name = want[0].metadata.name;
    const d = (await A.get(`/api/volumeattachment/details?name=${name}`)).body;
    assert.equal(d.kind, 'VolumeAttachment');
    assert.equal(d.uid, want[0].metadata.uid);
    assert.match((await A.get(`/api/volumeattachment/yaml?name=${name}`)).body.yaml, /kind: VolumeAttachment/);
    assert.match((await A.get(`/api/volumeattachment/describe?name=${name}`)).body.describe, new RegExp(name));
    assert.equal((await A.post('/api/volumeattachment/update', { name, yaml: 'kind: VolumeAttachment' })).status, 404);
    const dry = await A.del(`/api/volumeattachment/delete?name=${name}&dryRun=true`);
    assert.equal(dry.status, 200);
    assert.equal(dry.body.dryRun, true);
    assert.equal((await kjson(['get', 'volumeattachment', name])).metadata.name, name);
  });

  it('details, yaml and describe of a deployment; service details carry endpoints', async () => {
    const d = (await A.get('/api/deployment/details?namespace=shop&name=frontend')).body;
    const k = await kjson(['get', 'deployment', 'frontend', '-n', 'shop']);
    assert.equal(d.uid, k.metadata.uid);
    assert.equal(d.object.spec.replicas, k.spec.replicas);
    assert.ok(Array.isArray(d.pods) && d.pods.length > 0 && d.pods.every((p: any) => p.labels.app === 'frontend'));
    const y = (await A.get('/api/deployment/yaml?namespace=shop&name=frontend')).body.yaml;
    assert.match(y, /kind: Deployment/);
    assert.match((await A.get('/api/deployment/describe?namespace=shop&name=frontend')).body.describe, /Replicas:/);
    const s = (await A.get('/api/service/details?namespace=shop&name=frontend')).body;
    assert.equal(s.clusterIP, (await kjson(['get', 'svc', 'frontend', '-n', 'shop'])).spec.clusterIP);
    assert.ok(s.endpoints.length > 0);
  });

  it('masks secret values unless one key is revealed, and saving a masked YAML keeps the data', async () => {
    const d = (await A.get('/api/secret/details?namespace=payments&name=ledger-db')).body;
    assert.equal(d.object.data.password, '********');
    assert.ok(!JSON.stringify(d).includes(Buffer.from('s3cr3t').toString('base64')));
    const y = (await A.get('/api/secret/yaml?namespace=payments&name=ledger-db&reveal=password')).body;
    assert.deepEqual(y.revealed, { key: 'password', value: 's3cr3t' });
    assert.ok(!y.yaml.includes('s3cr3t'));
    const edited = y.yaml.replace(/^metadata:\n/m, 'metadata:\n  labels: {edited: "yes"}\n');
    const u = await A.post('/api/secret/update', { namespace: 'payments', name: 'ledger-db', yaml: edited });
    assert.equal(u.status, 200, u.text);
    const k = await kjson(['get', 'secret', 'ledger-db', '-n', 'payments']);
    assert.equal(Buffer.from(k.data.password, 'base64').toString(), 's3cr3t');
    assert.equal(k.metadata.labels.edited, 'yes');
  });

  it('update does a server-side dry run first, then applies', async () => {
    const cm = await kjson(['get', 'configmap', 'frontend-config', '-n', 'shop']);
    cm.data.NEW_KEY = 'v1';
    const yaml = dump(cm);
    const dry = await A.post('/api/configmap/update', {
      namespace: 'shop',
      name: 'frontend-config',
      yaml,
      dryRun: true,
    });
    assert.equal(dry.body.applied, false);
    assert.match(dry.body.preview.diff, /\+\s+NEW_KEY: v1/);
    assert.equal((await kjson(['get', 'configmap', 'frontend-config', '-n', 'shop'])).data.NEW_KEY, undefined);
    const r = await A.post('/api/configmap/update', { namespace: 'shop', name: 'frontend-config', yaml });
    assert.equal(r.body.applied, true);
    assert.equal((await kjson(['get', 'configmap', 'frontend-config', '-n', 'shop'])).data.NEW_KEY, 'v1');
    const wrongKind = await A.post('/api/service/update', { namespace: 'shop', yaml });
    assert.equal(wrongKind.status, 400);
  });

  it('scales, restarts and rolls back through the workload routes', async () => {
    // cart has no HorizontalPodAutoscaler, which would set its own replica count.
    assert.equal((await A.post('/api/deployment/scale', { namespace: 'shop', name: 'cart', replicas: 3 })).status, 200);
    assert.equal((await kjson(['get', 'deploy', 'cart', '-n', 'shop'])).spec.replicas, 3);
    assert.equal((await A.post('/api/deployment/restart', { namespace: 'shop', name: 'catalog' })).status, 200);
    const k = await kjson(['get', 'deploy', 'catalog', '-n', 'shop']);
    assert.ok(k.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    const bulk = (
      await A.post('/api/deployments/bulk/restart', {
        items: [
          { namespace: 'shop', name: 'cart' },
          { namespace: 'shop', name: 'nope' },
        ],
      })
    ).body;
    assert.deepEqual(bulk.restarted, [{ namespace: 'shop', name: 'cart' }]);
    assert.equal(bulk.failed[0].error.code, 'notFound');
    assert.equal(
      (await A.post('/api/statefulset/scale', { namespace: 'monitoring', name: 'prometheus', replicas: 1 })).status,
      200,
    );
  });

  it('deletes with a dry run first, then for real; bulk delete reports each item', async () => {
    await kubectlOk(h.sim, ['create', 'configmap', 'doomed', '-n', 'shop', '--from-literal=a=b']);
    await kubectlOk(h.sim, ['create', 'configmap', 'doomed2', '-n', 'shop', '--from-literal=a=b']);
    const dry = await A.del('/api/configmap/delete?namespace=shop&name=doomed&dryRun=true');
    assert.equal(dry.body.dryRun, true);
    await kubectlOk(h.sim, ['get', 'configmap', 'doomed', '-n', 'shop']);
    assert.equal((await A.del('/api/configmap/delete?namespace=shop&name=doomed')).status, 200);
    assert.equal((await A.del('/api/configmap/delete?namespace=shop&name=doomed')).status, 404);
    const b = (
      await A.del('/api/configmaps/bulk/delete', {
        items: [
          { namespace: 'shop', name: 'doomed2' },
          { namespace: 'shop', name: 'ghost' },
        ],
      })
    ).body;
    assert.deepEqual(b.deleted, [{ namespace: 'shop', name: 'doomed2' }]);
    assert.equal(b.failed.length, 1);
  });

  it('pod logs, exec (argv, no shell) and restart of a controlled pod', async () => {
    const pod = (await A.get('/api/pods?namespace=shop&labelSelector=app%3Dfrontend')).body.items.find(
      (p: any) => p.status === 'Running',
    );
    const logs = (await A.get(`/api/pod/logs?namespace=shop&name=${pod.name}&tailLines=5`)).body;
    const want = await kubectlOk(h.sim, ['logs', pod.name, '-n', 'shop']);
    assert.ok(logs.lines.length > 0 && logs.lines.length <= 5);
    for (const l of logs.lines) assert.ok(want.includes(l.text), `kubectl logs has "${l.text}"`);
    const ex = (
      await A.post('/api/pod/exec', { namespace: 'shop', name: pod.name, command: ['echo', 'hello; rm -rf /'] })
    ).body;
    assert.equal(ex.stdout.trim(), 'hello; rm -rf /');
    assert.equal(ex.exitCode, 0);
    const r = await A.post('/api/pod/restart', { namespace: 'shop', name: pod.name });
    assert.equal(r.status, 200, r.text);
    await eventually(
      async () => (await kubectlOk(h.sim, ['get', 'pods', '-n', 'shop', '-o', 'name'])).includes(pod.name) === false,
    );
  });

  it('port-forwards to a service and lists/stops the forward', async () => {
    const f = (
      await A.post('/api/portforward/start', { namespace: 'shop', name: 'frontend', kind: 'service', port: 80 })
    ).body;
    assert.ok(f.localPort > 0, JSON.stringify(f));
    assert.ok((await A.get('/api/portforward/list')).body.forwards.some((x: any) => x.id === f.id));
    assert.equal((await A.post('/api/portforward/stop', { id: f.id })).status, 200);
    assert.ok(!(await A.get('/api/portforward/list')).body.forwards.some((x: any) => x.id === f.id));
  });

  it('events, grouped events, stats and errors agree with the cluster', async () => {
    await eventually(async () => (await A.get('/api/events')).body.total > 0);
    const ev = (await A.get('/api/events?limit=5000')).body;
    const k = (await kjson(['get', 'events', '-A'])).items.length;
    assert.ok(Math.abs(ev.total - k) <= Math.max(20, k * 0.5), `server ${ev.total} vs kubectl ${k}`);
    const stats = (await A.get('/api/event-stats')).body;
    assert.equal(
      stats.total,
      Object.values(stats.byType as Record<string, number>).reduce((a, b) => a + b, 0),
    );
    const errs = (await A.get('/api/event-log/errors')).body.events;
    assert.ok(errs.every((e: any) => e.type === 'Warning'));
    const grouped = (await A.get('/api/event-grouped')).body.groups;
    assert.ok(grouped.length > 0 && grouped.every((g: any) => g.count >= 1));
  });

  it('contexts, clusters, status, capabilities and cache stats', async () => {
    const c = (await A.get('/api/contexts')).body;
    assert.deepEqual(c.contexts.map((x: any) => x.name).sort(), [h.sim.contexts.admin, h.sim.contexts.viewer].sort());
    assert.equal((await A.get('/api/contexts/current')).body.name, h.sim.contexts.admin);
    const cl = (await A.get('/api/v2/clusters')).body;
    assert.equal(cl.currentCluster.contextName, h.sim.contexts.admin);
    assert.equal((await A.get('/api/v2/clusters/health')).body.healthy, true);
    const st = (await A.get('/api/status')).body;
    assert.equal(st.connected, true);
    assert.equal(st.demo, true);
    assert.equal(st.nodeCount, (await kjson(['get', 'nodes'])).items.length);
    const cap = (await A.get('/api/capabilities?kinds=pods&namespace=shop')).body;
    assert.ok(cap.kinds.some((k: any) => k.plural === 'certificates'));
    assert.equal(cap.access.pods.delete, true);
    const cs = (await A.get('/api/cache/stats')).body;
    assert.ok(cs.caches.some((x: any) => x.kind === 'pods' && x.objects > 0));
    const sw = await A.post('/api/contexts/switch', { context: h.sim.contexts.viewer });
    assert.equal(sw.status, 200);
    assert.equal(
      (await A.post('/api/deployment/scale', { namespace: 'shop', name: 'catalog', replicas: 2 })).status,
      403,
    );
    assert.equal((await A.post('/api/v2/clusters/switch', { contextName: h.sim.contexts.admin })).body.success, true);
  });

  it('namespaces and nodes: create, cordon, uncordon', async () => {
    assert.equal((await A.post('/api/namespace/create', { name: 'made-by-api' })).status, 200);
    await kubectlOk(h.sim, ['get', 'ns', 'made-by-api']);
    assert.equal((await A.post('/api/namespace/create', { name: 'made-by-api' })).status, 409);
    const node = (await kjson(['get', 'nodes'])).items[0].metadata.name;
    await A.post('/api/node/cordon', { name: node });
    assert.equal((await kjson(['get', 'node', node])).spec.unschedulable, true);
    await A.post('/api/node/cordon', { name: node, unschedulable: false });
    assert.equal((await kjson(['get', 'node', node])).spec.unschedulable, undefined);
  });

  it('custom resources: CRDs, instances, details, yaml', async () => {
    const crds = (await A.get('/api/custom-resources')).body.crds.map((c: any) => c.name);
    assert.ok(crds.includes('certificates.cert-manager.io'));
    const inst = (await A.get('/api/custom-resources/certificates.cert-manager.io/instances')).body.items
      .map((i: any) => i.name)
      .sort();
    assert.deepEqual(
      inst,
      (await kjson(['get', 'certificates.cert-manager.io', '-A'])).items.map((i: any) => i.metadata.name).sort(),
    );
    assert.equal(
      (await A.get('/api/custom-resources/certificates.cert-manager.io/shop-tls?namespace=shop')).body.object.spec
        .secretName,
      'shop-tls',
    );
    assert.match(
      (await A.get('/api/custom-resources/certificates.cert-manager.io/shop-tls/yaml?namespace=shop')).body.yaml,
      /kind: Certificate/,
    );
    assert.equal((await A.get('/api/custom-resources/pods/x/yaml?namespace=shop')).status, 400);
  });

  it('Helm releases, history and details decoded from release secrets', async () => {
    const rel = (await A.get('/api/plugins/helm/releases')).body.releases;
    const shop = rel.find((r: any) => r.name === 'shop');
    assert.equal(shop.revision, 3);
    assert.equal(shop.status, 'deployed');
    assert.equal(shop.chartVersion, '1.4.2');
    const cm = rel.find((r: any) => r.name === 'cert-manager');
    assert.equal(cm.status, 'failed');
    const hist = (await A.get('/api/plugins/helm/history?namespace=shop&name=shop')).body.history;
    assert.deepEqual(
      hist.map((x: any) => [x.revision, x.status]),
      [
        [1, 'superseded'],
        [2, 'superseded'],
        [3, 'deployed'],
      ],
    );
    assert.deepEqual((await A.get('/api/plugins/helm/release?namespace=shop&name=shop')).body.config, {
      replicaCount: 3,
      theme: 'autumn',
      image: { tag: '2.14.1' },
      payments: { apiKey: '********' },
    });
    assert.ok((await A.get('/api/apps/installed')).body.apps.every((a: any) => a.status === 'deployed'));
  });

  it('Argo CD apps, sync (sets operation) and refresh (annotation); drift lists out-of-sync apps and their drifted resources', async () => {
    const apps = (await A.get('/api/plugins/argocd/apps')).body.apps;
    assert.deepEqual(apps.map((a: any) => a.name).sort(), ['monitoring', 'payments', 'shop']);
    await eventually(async () =>
      (await A.get('/api/plugins/argocd/apps')).body.apps.some(
        (a: any) => a.name === 'payments' && a.syncStatus === 'OutOfSync',
      ),
    );
    assert.equal((await A.post('/api/plugins/argocd/sync', { name: 'shop', namespace: 'argocd' })).status, 200);
    // The simulated Argo CD controller runs the operation and clears the request when done.
    await eventually(async () => {
      const a = await kjson(['get', 'applications.argoproj.io', 'shop', '-n', 'argocd']);
      return !a.operation && a.status.operationState?.operation?.initiatedBy?.username === 'kubegraf';
    });
    await A.post('/api/plugins/argocd/refresh', { name: 'monitoring', hard: true });
    await eventually(
      async () =>
        !(await kjson(['get', 'applications.argoproj.io', 'monitoring', '-n', 'argocd'])).metadata.annotations?.[
          'argocd.argoproj.io/refresh'
        ],
    );
    const drift = (await A.get('/api/drift/analysis')).body;
    assert.deepEqual(
      drift.apps.map((a: any) => a.name),
      ['payments'],
    );
    assert.ok(drift.drifted.some((o: any) => o.source === 'argocd' && o.name === 'payments-api'));
  });

  it('KServe inference services, GPU nodes, security, cost and topology from cluster data', async () => {
    const isvc = (await A.get('/api/inference/list')).body.services;
    assert.deepEqual(
      isvc.map((s: any) => s.name),
      ['sklearn-iris'],
    );
    assert.equal((await A.get('/api/inference/get?namespace=ml&name=sklearn-iris')).body.modelFormat, 'sklearn');
    const gpuNodes = (await kjson(['get', 'nodes'])).items
      .filter((n: any) => Number(n.status.capacity['nvidia.com/gpu'] ?? 0) > 0)
      .map((n: any) => n.metadata.name);
    assert.deepEqual((await A.get('/api/gpu/nodes')).body.nodes.map((n: any) => n.name).sort(), gpuNodes.sort());
    assert.equal((await A.get('/api/gpu/status')).body.available, gpuNodes.length > 0);
    const sec = (await A.get('/api/security')).body;
    assert.ok(sec.findings.length > 0 && sec.score >= 0 && sec.score <= 100);
    assert.ok(!sec.namespacesWithoutNetworkPolicy.includes('payments'), 'payments has a default-deny policy');
    const cost = (await A.get('/api/cost/analysis')).body;
    assert.ok(cost.namespaces.find((n: any) => n.namespace === 'ml').gpus >= 1);
    const topo = (await A.get('/api/topology?namespace=shop')).body;
    assert.ok(topo.edges.some((e: any) => e.type === 'selects' && e.source === 'Service/shop/frontend'));
    assert.ok(topo.edges.some((e: any) => e.type === 'routes' && e.source === 'Ingress/shop/shop'));
    assert.equal((await A.get('/api/resourcemap?namespace=shop')).status, 200);
    assert.ok((await A.get('/api/continuity/summary')).body.workloads > 0);
  });

  it('custom apps: preview, deploy, list, delete', async () => {
    const spec = { name: 'hello', namespace: 'shop', image: 'nginx:1.27', port: 8080, replicas: 1 };
    assert.match((await A.post('/api/custom-apps/preview', spec)).body.yaml, /kind: Service/);
    assert.equal((await A.post('/api/custom-apps/deploy', spec)).body.applied, true);
    await kubectlOk(h.sim, ['get', 'deploy', 'hello', '-n', 'shop']);
    assert.ok((await A.get('/api/custom-apps/list?namespace=shop')).body.apps.some((a: any) => a.name === 'hello'));
    assert.equal((await A.del('/api/custom-apps/delete?namespace=shop&name=hello')).status, 200);
    assert.equal(
      (await A.del('/api/custom-apps/delete?namespace=shop&name=frontend')).status,
      400,
      'refuses apps it did not create',
    );
  });

  it('settings persist atomically to the data dir; terminal routes answer', async () => {
    const s = await A.post('/api/settings', { theme: 'dark', terminal: { fontSize: 15 } });
    assert.equal(s.body.theme, 'dark');
    assert.deepEqual((await A.get('/api/settings')).body.terminal, { fontSize: 15 });
    const onDisk = JSON.parse(readFileSync(join(h.app.deps.dataDir, 'settings.json'), 'utf8'));
    assert.equal(onDisk.theme, 'dark');
    assert.equal((await A.get('/api/terminal/preferences')).body.fontSize, 15);
    assert.ok((await A.get('/api/terminal/shells')).body.shells.length > 0);
    assert.equal((await A.get('/api/auth/me')).body.accounts, false);
  });

  it('self-update, which KubeGraf leaves to VS Code and npm, answers 501 saying how to update', async () => {
    const r = await A.post('/api/updates/install', {});
    assert.equal(r.status, 501);
    assert.equal(r.body.error.code, 'notImplemented');
    assert.match(r.body.error.message, /marketplace|npm install/);
  });

  it('/ws: snapshot on subscribe, then changes, for one namespace', async () => {
    const ws = await openWs(`${h.base.replace('http', 'ws')}/ws?token=${h.token}`);
    try {
      const hello = await nextMessage(ws, (m) => m.type === 'hello');
      assert.equal(hello.connection.state, 'connected');
      ws.send(JSON.stringify({ type: 'subscribe', kind: 'configmaps', namespace: 'shop' }));
      const snap = await nextMessage(ws, (m) => m.type === 'snapshot');
      assert.deepEqual(
        snap.items.map((i: any) => i.name).sort(),
        (await kjson(['get', 'cm', '-n', 'shop'])).items.map((i: any) => i.metadata.name).sort(),
      );
      const changed = nextMessage(ws, (m) => m.type === 'changes' && m.added.some((a: any) => a.name === 'pushed'));
      await kubectlOk(h.sim, ['create', 'configmap', 'pushed', '-n', 'shop']);
      await changed;
      const other = nextMessage(
        ws,
        (m) => m.type === 'changes' && m.added.some((a: any) => a.name === 'elsewhere'),
        1500,
      ).then(
        () => 'leaked',
        () => 'filtered',
      );
      await kubectlOk(h.sim, ['create', 'configmap', 'elsewhere', '-n', 'data']);
      assert.equal(await other, 'filtered');
    } finally {
      ws.close();
    }
  });

  it('/ws: a kind is subscribed by its route word (service-accounts, volumeattachments) or its id', async () => {
    const ws = await openWs(`${h.base.replace('http', 'ws')}/ws?token=${h.token}`);
    try {
      await nextMessage(ws, (m) => m.type === 'hello');
      for (const [kind, id, kubectlKind] of [
        ['volumeattachments', 'volumeattachments.storage.k8s.io', 'volumeattachments'],
        ['service-accounts', 'serviceaccounts', 'serviceaccounts'],
        ['deployments.apps', 'deployments.apps', 'deployments'],
      ]) {
        ws.send(JSON.stringify({ type: 'subscribe', kind, namespace: 'shop' }));
        const snap = await nextMessage(ws, (m) => m.type === 'snapshot' && m.kind === id);
        const want = (await kjson(['get', kubectlKind, ...(kind === 'volumeattachments' ? [] : ['-n', 'shop'])])).items;
        assert.deepEqual(snap.items.map((i: any) => i.name).sort(), want.map((i: any) => i.metadata.name).sort(), kind);
      }
    } finally {
      ws.close();
    }
  });

  it('/api/pod/terminal runs an interactive shell in the pod', async () => {
    const pod = (await A.get('/api/pods?namespace=shop&labelSelector=app%3Dcatalog')).body.items.find(
      (p: any) => p.status === 'Running',
    );
    const ws = await openWs(
      `${h.base.replace('http', 'ws')}/api/pod/terminal?token=${h.token}&namespace=shop&pod=${pod.name}`,
    );
    try {
      let seen = '';
      const out = nextMessage(ws, (m) => m.type === 'stdout' && /marker-hostname\r?\n/.test((seen += m.data)));
      ws.send(JSON.stringify({ type: 'stdin', data: 'echo marker-hostname\n' }));
      await out;
      const host = nextMessage(ws, (m) => m.type === 'stdout' && m.data.includes(pod.name));
      ws.send(JSON.stringify({ type: 'stdin', data: 'hostname\n' }));
      await host;
    } finally {
      ws.close();
    }
  });

  it('/api/local/terminal runs a local shell through node-pty', async () => {
    const ws = await openWs(`${h.base.replace('http', 'ws')}/api/local/terminal?token=${h.token}&shell=/bin/sh`);
    try {
      const out = nextMessage(ws, (m) => (m.type === 'stdout' && /local-7/.test(m.data)) || m.type === 'error');
      ws.send(JSON.stringify({ type: 'stdin', data: 'echo local-$((3+4))\n' }));
      const m = await out;
      assert.equal(m.type, 'stdout', JSON.stringify(m));
    } finally {
      ws.close();
    }
  });
});
