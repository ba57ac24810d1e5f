// The Apps and Plugins pages in real Chromium against `kubegraf web --demo` (no helm binary on this machine), as a
// user meets them: the marketplace's cards say what runs in the cluster and how it was found, "needs helm" is said
// before anyone starts an install, a Helm-installed app is uninstalled after a preview and a confirmation with its
// progress and the cluster changes, and turning a plugin off takes its page out of the sidebar and the palette and
// its route answers 403 pluginDisabled, until it is turned on again.
import assert from 'node:assert/strict';
import { callApi, type DemoPage, until, useDemoPage } from './helpers/webDemo';

describe('Apps and Plugins pages (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'apps' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const get = (path: string) => callApi(server, 'GET', path);
  const card = (name: string) => page.getByTestId(`app-card-${name}`);
  const stateOf = async (name: string) => ((await card(name).getByTestId('app-state').textContent()) ?? '').trim();

  it('shows cards with the state found in the cluster, and says "needs helm" before an install starts', async () => {
    await page.getByTestId('nav-apps').click();
    await page.getByTestId('apps-grid').waitFor();
    await until('the prometheus card shows its release', async () => (await stateOf('kube-prometheus-stack')) !== '');
    // Found by its Helm release; node-exporter has no ready pod on the node that stopped reporting.
    assert.equal(await stateOf('kube-prometheus-stack'), 'Degraded');
    assert.match(
      (await card('kube-prometheus-stack').getByTestId('app-detail').textContent()) ?? '',
      /Helm release kube-prometheus-stack in monitoring · chart 65\.1\.1/,
    );
    assert.equal(await stateOf('cert-manager'), 'Failed');
    assert.match((await card('cert-manager').getByTestId('app-problem').textContent()) ?? '', /deadline exceeded/);
    // Found by its workloads: running, not installed with Helm, so no uninstall is offered.
    assert.equal(await stateOf('argo-cd'), 'Installed');
    assert.match((await card('argo-cd').getByTestId('app-detail').textContent()) ?? '', /not installed with Helm/);
    assert.equal(await card('argo-cd').getByTestId('app-uninstall-argo-cd').count(), 0);
    assert.equal(await stateOf('feast'), 'Not installed');
    // What installing needs is on the page before anyone clicks: no helm here, and internet for the chart.
    assert.match((await page.getByTestId('apps-needs-helm').textContent()) ?? '', /Installing needs Helm/);
    assert.match((await page.getByTestId('apps-needs-internet').textContent()) ?? '', /internet access/);
    assert.equal(await card('feast').getByTestId('app-needs-helm').isVisible(), true);
    assert.equal(await card('feast').getByTestId('app-install-feast').count(), 0, 'no install form to start');
    await shot('1-cards');
    // The server says the same to anyone who tries anyway.
    const r = await fetch(`${server.base}/api/apps/install`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'feast' }),
    });
    assert.equal(r.status, 424);
    assert.equal(((await r.json()) as any).error.code, 'helmNotFound');
  });

  it('uninstalls a Helm-installed app after a preview and a confirmation, and the cluster changes', async () => {
    await card('kube-prometheus-stack').getByTestId('app-uninstall-kube-prometheus-stack').click();
    const dialog = page.getByTestId('app-uninstall-dialog');
    await dialog.getByTestId('app-uninstall-summary').waitFor();
    assert.match((await dialog.getByTestId('app-uninstall-summary').textContent()) ?? '', /Nothing has been deleted/);
    assert.match(
      (await dialog.getByTestId('app-uninstall-preview').textContent()) ?? '',
      /deleted\s*StatefulSet monitoring\/prometheus/,
    );
    assert.equal((await get('/api/statefulsets?namespace=monitoring')).body.items.length, 1, 'nothing gone yet');
    await shot('2-uninstall-preview');
    await dialog.getByTestId('confirm-ok').click();
    await dialog.getByTestId('app-uninstall-result').waitFor();
    assert.match((await dialog.getByTestId('app-uninstall-result').textContent()) ?? '', /Uninstalled/);
    await shot('3-uninstalled');
    await dialog.getByTestId('app-uninstall-close').click();
    await until(
      'the card follows the cluster',
      async () => (await stateOf('kube-prometheus-stack')) === 'Not installed',
    );
    const sts = await get('/api/statefulsets?namespace=monitoring');
    assert.equal(sts.body.items.length, 0, 'the StatefulSet is gone from the cluster');
  });

  it('turning a plugin off removes its page from the sidebar and the palette and refuses its route; on brings it back', async () => {
    await page.getByTestId('nav-plugins').click();
    await page.getByTestId('plugins-table').waitFor();
    const argo = page.getByTestId('plugin-row-argocd');
    assert.match((await argo.getByTestId('plugin-detected').textContent()) ?? '', /Found/);
    assert.equal(await page.getByTestId('nav-argocd').count(), 1);
    await argo.getByTestId('plugin-toggle-argocd').uncheck();
    await page.getByTestId('nav-argocd').waitFor({ state: 'detached' });
    const refused = await get('/api/plugins/argocd/apps');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'pluginDisabled');
    await shot('4-plugin-off');
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('go to argo');
    await page.getByTestId('palette-item').or(page.getByTestId('palette-empty')).first().waitFor();
    const offered = await page.getByTestId('palette-item').allInnerTexts();
    assert.ok(!offered.some((t) => /Go to Argo CD/.test(t)), offered.join(' | '));
    await page.keyboard.press('Escape');
    // A bookmark of the page says why it is not there, and offers to turn it back on.
    await page.goto(`${server.base}/#/argocd`);
    await page.getByTestId('page-plugin-off').waitFor();
    await shot('5-page-off');
    await page.getByTestId('plugin-turn-on').click();
    await page.getByTestId('nav-argocd').waitFor();
    assert.equal((await get('/api/plugins/argocd/apps')).status, 200);
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('go to argo');
    await page.getByTestId('palette-item').filter({ hasText: 'Go to Argo CD' }).waitFor();
    await page.keyboard.press('Escape');
    assert.deepEqual(pageErrors, []);
  });
});
