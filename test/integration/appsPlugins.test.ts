// Apps and plugins against the demo simulator over real HTTP: the catalog's install state comes from the cluster (a
// Helm release of the app's chart, or its running workloads), install says why not before anything runs (no helm, no
// internet) and runs helm with an argument array when it can, uninstall removes a release's objects without helm, a
// plugin turned off refuses its routes on the server and in the webview bridge, and /api/capabilities tells the truth.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { handlerTables } from '../../src/server/dispatch';
import { tkOf } from '../../src/sim/scenarios/seed';
import { WebviewBridge } from '../../src/vscode/webviewBridge';
import { api, startHarness, type Harness } from './serverHelpers';

describe('apps and plugins (kubegraf web over the demo simulator)', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const bin = mkdtempSync(join(tmpdir(), 'kubegraf-apps-helm-'));
  const argvFile = join(bin, 'argv');
  const savedPath = process.env.PATH;
  // PATH without any helm, then with a recording fake one in front.
  const noHelm = (savedPath ?? '')
    .split(delimiter)
    .filter((d) => {
      try {
        readFileSync(join(d, 'helm'));
        return false;
      } catch {
        return true;
      }
    })
    .join(delimiter);
  const fakeHelm = (script: string) => {
    writeFileSync(join(bin, 'helm'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, 'helm'), 0o755);
    // A new PATH value: the binary probe is remembered per PATH.
    process.env.PATH = `${bin}${delimiter}${noHelm}${delimiter}${Math.random().toString(36).slice(2)}`;
  };
  const app = async (name: string) =>
    ((await A.get('/api/apps')).body.apps as any[]).find((a) => a.name === name) ?? assert.fail(`no app ${name}`);

  before(async () => {
    process.env.PATH = noHelm;
    h = await startHarness();
    A = api(h);
  });

  after(async () => {
    process.env.PATH = savedPath;
    await h?.close();
    rmSync(bin, { recursive: true, force: true });
  });

  it('capabilities: both engines run, no helm binary, internet unknown, the CRD integrations and plugins of this context', async () => {
    const cap = (await A.get('/api/capabilities')).body;
    assert.equal(cap.features.incidents, true);
    assert.equal(cap.features.metrics, true);
    assert.equal(cap.features.helm, false, 'no helm binary on PATH');
    assert.equal(cap.features.helmReleases, true, 'releases are read natively');
    assert.equal(cap.tools.helm.available, false);
    assert.match(cap.tools.helm.message, /No helm binary on PATH/);
    assert.equal(cap.network.internet, 'unknown');
    assert.deepEqual(cap.integrations, { argocd: true, 'cert-manager': true, kserve: true, kubeflow: true });
    assert.equal(cap.features.argocd, true);
    assert.ok(
      Object.values(cap.plugins).every((on) => on === true),
      'every plugin starts on',
    );
    assert.equal(cap.engines.incidents.running, true);
    fakeHelm('echo v3.16.2+g13654a5');
    const withHelm = (await A.get('/api/capabilities')).body;
    assert.equal(withHelm.features.helm, true);
    assert.equal(withHelm.tools.helm.version, 'v3.16.2+g13654a5');
    process.env.PATH = noHelm;
  });

  it('detects install state from Helm releases and from workloads', async () => {
    const prom = await app('kube-prometheus-stack');
    // node-exporter has no ready pod on the node that stopped reporting.
    assert.equal(prom.state, 'degraded');
    assert.match(prom.message, /DaemonSet node-exporter 3\/4/);
    assert.equal(prom.detectedBy, 'helm');
    assert.equal(prom.release.namespace, 'monitoring');
    assert.deepEqual(
      prom.workloads.map((w: any) => `${w.kind}/${w.name}`),
      ['Deployment/grafana', 'StatefulSet/prometheus', 'DaemonSet/node-exporter'],
    );
    const cm = await app('cert-manager');
    assert.equal(cm.state, 'failed', 'its last upgrade failed');
    assert.match(cm.message, /context deadline exceeded/);
    assert.ok(cm.workloads.some((w: any) => w.name === 'cert-manager-webhook'));
    const argo = await app('argo-cd');
    assert.equal(argo.detectedBy, 'workloads');
    assert.equal(argo.installed, true);
    assert.match(argo.message, /without a Helm release/);
    for (const missing of ['feast', 'redis', 'falco']) assert.equal((await app(missing)).state, 'notInstalled');
  });

  it('install: refused with a reason before anything runs, else helm install with an argument array', async () => {
    const noBinary = await A.post('/api/apps/install', { name: 'feast' });
    assert.equal(noBinary.status, 424, noBinary.text);
    assert.equal(noBinary.body.error.code, 'helmNotFound');
    assert.match(noBinary.body.error.message, /needs the helm binary/);
    assert.equal((await A.post('/api/apps/install', { name: 'argo-cd' })).body.error.code, 'alreadyInstalled');
    assert.equal((await A.post('/api/apps/install', { name: 'nope' })).status, 400);
    fakeHelm(
      `[ "$1" = version ] && { echo v3.16.2; exit 0; }\necho "Error: looking up https://feast-helm-charts.storage.googleapis.com/index.yaml: dial tcp: lookup feast-helm-charts.storage.googleapis.com: no such host" >&2\nexit 1`,
    );
    const offline = await A.post('/api/apps/install', { name: 'feast' });
    assert.equal(offline.status, 502, offline.text);
    assert.equal(offline.body.error.code, 'chartUnreachable');
    assert.match(offline.body.error.message, /needs internet access/);
    fakeHelm(`[ "$1" = version ] && { echo v3.16.2; exit 0; }\nprintf "%s\\n" "$@" > "${argvFile}"`);
    const ok = await A.post('/api/apps/install', { name: 'feast', namespace: 'features' });
    assert.equal(ok.status, 200, ok.text);
    const argv = readFileSync(argvFile, 'utf8').trim().split('\n');
    assert.equal(argv[0], 'install');
    assert.ok(argv.includes('--repo=https://feast-helm-charts.storage.googleapis.com'), argv.join(' '));
    assert.ok(argv.includes('--namespace=features') && argv.includes('--wait'), argv.join(' '));
    assert.deepEqual(argv.slice(argv.indexOf('--')), ['--', 'feast', 'feast-feature-server']);
    process.env.PATH = noHelm;
  });

  it('uninstall: a preview changes nothing, then the release and its objects go without helm', async () => {
    const sts = () => h.sim.ctx.store.get(tkOf(h.sim.ctx, 'apps/v1', 'StatefulSet'), 'monitoring', 'prometheus');
    const preview = await A.post('/api/apps/uninstall', { name: 'kube-prometheus-stack', dryRun: true });
    assert.equal(preview.status, 200, preview.text);
    assert.ok(
      preview.body.objects.some(
        (o: any) => o.kind === 'StatefulSet' && o.name === 'prometheus' && o.action === 'deleted',
      ),
    );
    assert.ok(sts(), 'a preview deletes nothing');
    const done = await A.post('/api/apps/uninstall', { name: 'kube-prometheus-stack' });
    assert.equal(done.status, 200, done.text);
    assert.equal(sts(), undefined, 'the StatefulSet is gone');
    const until = Date.now() + 15_000;
    while ((await app('kube-prometheus-stack')).state !== 'notInstalled')
      if (Date.now() > until) assert.fail('the app still shows installed');
      else await new Promise((r) => setTimeout(r, 100));
    const argo = await A.post('/api/apps/uninstall', { name: 'argo-cd' });
    assert.equal(argo.status, 409);
    assert.equal(argo.body.error.code, 'notHelmManaged');
  });

  it('a plugin turned off refuses its routes on HTTP and in the webview bridge, and comes back when turned on', async () => {
    assert.equal((await A.get('/api/plugins/argocd/apps')).status, 200);
    const off = await A.post('/api/plugins/enable', { name: 'argocd', enabled: false });
    assert.equal(off.status, 200, off.text);
    const refused = await A.get('/api/plugins/argocd/apps');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'pluginDisabled');
    assert.match(refused.body.error.message, /Argo CD plugin is turned off/);
    // Drift compares with kubectl apply and Helm too: it answers without the Argo CD plugin.
    const drift = await A.get('/api/drift/analysis');
    assert.equal(drift.status, 200);
    assert.match(drift.body.notes.join(' '), /Argo CD plugin is off/);
    assert.equal((await A.get('/api/plugins/helm/releases')).status, 200, 'other plugins still answer');
    const row = (await A.get('/api/plugins/list')).body.plugins.find((p: any) => p.name === 'argocd');
    assert.equal(row.enabled, false);
    assert.equal(row.detected, true);
    assert.deepEqual(row.pages, ['argocd']);
    const cap = (await A.get('/api/capabilities')).body;
    assert.equal(cap.plugins.argocd, false);
    assert.equal(cap.features.argocd, false);
    assert.equal(cap.integrations.argocd, true, 'still installed in the cluster');

    const replies: any[] = [];
    const bridge = new WebviewBridge({ post: (m) => replies.push(m), deps: () => h.app.deps, tables: handlerTables() });
    await bridge.receive({ type: 'api.request', reqId: 1, id: 'argocd.apps', params: {} });
    assert.equal(replies[0].ok, false);
    assert.equal(replies[0].error.code, 'pluginDisabled');
    assert.equal(replies[0].error.status, 403);

    await A.post('/api/plugins/enable', { name: 'kiali', enabled: false });
    const proxied = await A.get('/api/kiali/proxy/api/namespaces');
    assert.equal(proxied.status, 403, 'the raw proxy is refused too');
    assert.equal(proxied.body.error.code, 'pluginDisabled');

    await A.post('/api/plugins/enable', { name: 'argocd', enabled: true });
    await A.post('/api/plugins/enable', { name: 'kiali', enabled: true });
    assert.equal((await A.get('/api/plugins/argocd/apps')).status, 200);
    assert.equal((await A.get('/api/kiali/proxy/api/namespaces')).status, 200);
    await bridge.receive({ type: 'api.request', reqId: 2, id: 'argocd.apps', params: {} });
    assert.equal(replies[1].ok, true);
    const unknown = await A.post('/api/plugins/enable', { name: 'nope', enabled: false });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /known plugins: helm, argocd/);
  });
});
