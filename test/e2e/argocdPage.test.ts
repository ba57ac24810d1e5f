// The Argo CD page in real Chromium against `kubegraf web --demo`, as an Argo CD user meets it: application tiles with
// health and sync, an app's resource tree down to its pods and the diff of its drifted Deployment, a sync previewed as
// a dry run and then run for real with prune while its progress shows resource by resource, and a rollback to an
// earlier history entry once confirmed. The cluster is checked through the API after each action.
import assert from 'node:assert/strict';
import { callApi, type DemoPage, pickNamespaces, until, useDemoPage } from './helpers/webDemo';

describe('Argo CD page (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'argocd' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const get = (path: string) => callApi(server, 'GET', path);
  const text = async (testId: string) => (await page.getByTestId(testId).first().textContent()) ?? '';
  const tile = (name: string) => page.locator(`[data-testid="argo-tile"][data-app="${name}"]`);
  const node = (kind: string, name: string) =>
    page.locator(`[data-testid="argo-node"][data-kind="${kind}"][data-name="${name}"]`);
  const replicas = async () =>
    (await get('/api/deployment/details?namespace=payments&name=payments-api')).body.object.spec.replicas;

  it('lists the applications as tiles with health, sync, source and last sync', async () => {
    await page.goto(`${server.base}/#/argocd`);
    await page.getByTestId('argo-tiles').waitFor();
    await until('three tiles', async () => (await page.getByTestId('argo-tile').count()) === 3);
    await until('payments is OutOfSync', async () =>
      /OutOfSync/.test((await tile('payments').getByTestId('argo-tile-sync').textContent()) ?? ''),
    );
    const shop = (await tile('shop').textContent()) ?? '';
    assert.match(shop, /Synced/);
    assert.match(shop, /https:\/\/github\.com\/acme\/deploy\.git/);
    assert.match(shop, /apps\/shop/);
    assert.match(shop, /Sync OK to 53e28ff/);
    assert.match((await tile('monitoring').textContent()) ?? '', /Automated, self-heal, prune/);
    await shot('1-applications');
    // The namespace picker keeps the apps that deploy to the chosen namespaces.
    await pickNamespaces(page, ['shop']);
    await until('only shop is shown', async () => (await page.getByTestId('argo-tile').count()) === 1);
    assert.equal(await page.getByTestId('argo-tile').getAttribute('data-app'), 'shop');
    await pickNamespaces(page, []);
    await until('all apps are back', async () => (await page.getByTestId('argo-tile').count()) === 3);
  });

  it("opens an app on its resource tree down to pods, the drifted Deployment's diff and an object's details", async () => {
    await tile('payments').click();
    await page.getByTestId('argo-tree').waitFor();
    assert.equal(await text('argo-app-title'), 'payments');
    const api = node('Deployment', 'payments-api');
    assert.match((await api.getByTestId('argo-node-sync').textContent()) ?? '', /OutOfSync/);
    assert.match((await node('ConfigMap', 'payments-legacy-flags').textContent()) ?? '', /requires pruning/);
    await until(
      'the payments-api pods show under their ReplicaSet',
      async () => (await page.locator('[data-testid="argo-node"][data-kind="Pod"][data-depth="2"]').count()) >= 3,
    );
    await shot('2-resource-tree');

    await api.getByTestId('argo-node-diff').click();
    const diff = page.locator('[data-testid="argo-diff-item"][data-name="payments-api"]');
    await diff.waitFor();
    const d = (await diff.getByTestId('argo-diff-text').textContent()) ?? '';
    assert.match(d, /-\s+replicas: 2/);
    assert.match(d, /\+\s+replicas: 3/);
    await shot('3-diff');

    await page.getByTestId('tab-tree').click();
    const pod = page.locator('[data-testid="argo-node"][data-kind="Pod"]').first();
    const podName = (await pod.getAttribute('data-name'))!;
    await pod.getByTestId('argo-node-open').click();
    await page.getByTestId('drawer').waitFor();
    assert.equal(await page.getByTestId('drawer').getByTestId('drawer-title').textContent(), podName);
    await shot('3b-pod-details');
    await page.getByRole('button', { name: 'Close details' }).click();
  });

  it('syncs the OutOfSync app as a dry run first, then for real with prune, following its progress', async () => {
    await page.getByTestId('argo-sync').click();
    const dialog = page.getByTestId('argo-sync-dialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /Deployment payments-api/);
    // A bad revision is said next to its field and cannot be sent.
    await dialog.getByTestId('argo-sync-revision').fill('not a revision');
    assert.match(await text('argo-sync-revision-msg'), /A revision has no spaces/);
    assert.equal(await dialog.getByTestId('argo-sync-confirm').isDisabled(), true);
    await dialog.getByTestId('argo-sync-revision').fill('HEAD');
    await dialog.getByTestId('argo-sync-prune').check();
    await dialog.getByTestId('argo-sync-dry-run').check();
    assert.equal(await dialog.getByTestId('argo-sync-confirm').textContent(), 'Dry run');
    await shot('4-sync-dialog-dry-run');
    await dialog.getByTestId('argo-sync-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await until('the dry run succeeded', async () => /Sync \(dry run\) OK/.test(await text('argo-panel-last-sync')));
    await page.getByTestId('tab-operation').click();
    const results = (await text('argo-last-operation-results')) ?? '';
    assert.match(results, /deployment\.apps\/payments-api configured \(dry run\)/);
    assert.match(results, /pruned \(dry run\)/);
    await shot('5-dry-run-result');
    assert.equal(await replicas(), 2, 'a dry run changes nothing');
    assert.equal((await get('/api/configmap/details?namespace=payments&name=payments-legacy-flags')).status, 200);

    await page.getByTestId('tab-tree').click();
    await page.getByTestId('argo-sync').click();
    await dialog.getByTestId('argo-sync-prune').check();
    await dialog.getByTestId('argo-sync-confirm').click();
    // The operation runs resource by resource; the page follows it live.
    await page.getByTestId('argo-operation').waitFor({ timeout: 15_000 });
    await until('a first resource result shows while running', async () =>
      /configured|created|unchanged/.test(await text('argo-operation').catch(() => '')),
    ).catch(() => undefined);
    await shot('6-sync-running');
    await until('the sync succeeded', async () =>
      /^Sync OK/.test((await text('argo-panel-last-sync')).replace(/^Last sync/, '')),
    );
    await until(
      'the app is Synced',
      async () => /Synced/.test(await text('argo-panel-sync')) && !/OutOfSync/.test(await text('argo-panel-sync')),
    );
    await node('Deployment', 'payments-api').waitFor();
    await shot('7-synced');
    assert.equal(await replicas(), 3);
    assert.equal((await get('/api/configmap/details?namespace=payments&name=payments-legacy-flags')).status, 404);
    assert.equal(await page.locator('[data-testid="argo-node"][data-kind="ConfigMap"]').count(), 0);
  });

  it('rolls an app back to an earlier history entry once confirmed', async () => {
    await page.getByTestId('argo-back').click();
    await tile('shop').click();
    await page.getByTestId('tab-history').click();
    await until('two history entries', async () => (await page.getByTestId('argo-history-row').count()) === 2);
    assert.match(await text('argo-history'), /apps\/shop: first production release/);
    await page.getByTestId('argo-rollback-0').click();
    const dialog = page.getByTestId('argo-rollback-dialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /first production release/);
    await shot('8-rollback-confirm');
    await dialog.getByTestId('argo-rollback-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await until('three history entries', async () => (await page.getByTestId('argo-history-row').count()) === 3);
    await until('the rollback succeeded', async () => /Rollback OK/.test(await text('argo-panel-last-sync')));
    await until('the app is OutOfSync with HEAD', async () => /OutOfSync/.test(await text('argo-panel-sync')));
    await shot('9-rolled-back');
    const checkout = (await get('/api/deployment/details?namespace=shop&name=checkout')).body;
    assert.equal(checkout.object.spec.template.spec.containers[0].image, 'ghcr.io/acme/checkout:4.1.0');
    assert.deepEqual(pageErrors, []);
  });
});
