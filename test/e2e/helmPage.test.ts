// The Helm page in real Chromium against `kubegraf web --demo`, as a first-time user meets it: the releases table
// follows the namespace picker, a release opens on its details (values masked, history, a diff between revisions),
// a rollback is previewed object by object before it is confirmed and its result shown, the table follows live, and an
// uninstall that keeps history leaves the release listed as uninstalled. No helm binary is involved.
import assert from 'node:assert/strict';
import { callApi, type DemoPage, pickNamespaces, until, useDemoPage } from './helpers/webDemo';

describe('Helm page (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'helm' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const get = async (path: string) => (await callApi(server, 'GET', path)).body;
  const row = (name: string) => page.getByTestId('helm-row').filter({ hasText: name });

  it('lists the releases with chart, app version, revision and status, following the namespace picker', async () => {
    await page.goto(`${server.base}/#/helm`);
    await page.getByTestId('helm-table').waitFor();
    await row('kube-prometheus-stack').waitFor();
    const shop = (await row('shop').first().textContent()) ?? '';
    assert.match(shop, /shop-1\.4\.2/);
    assert.match(shop, /2\.14\.1/);
    assert.match(shop, /deployed/);
    assert.match((await row('cert-manager').textContent()) ?? '', /failed/);
    assert.match((await page.getByTestId('helm-intro').textContent()) ?? '', /needs the helm binary/);
    await shot('1-releases');
    await pickNamespaces(page, ['shop']);
    await until('only shop is listed', async () => (await page.getByTestId('helm-row').count()) === 1);
    await pickNamespaces(page, []);
    await until('all releases are back', async () => (await page.getByTestId('helm-row').count()) === 3);
  });

  it('shows a release: overview, masked values, history and a diff between two revisions', async () => {
    await row('shop').first().click();
    const drawer = page.getByTestId('helm-drawer');
    await drawer.getByTestId('helm-overview').waitFor();
    assert.match((await drawer.getByTestId('helm-chart-meta').textContent()) ?? '', /A Helm chart for shop/);
    await drawer.getByTestId('tab-values').click();
    await drawer.getByTestId('helm-values-computed').click();
    const values = (await drawer.getByTestId('helm-values').textContent()) ?? '';
    assert.match(values, /repository: registry\.example\.com\/shop\/web/);
    assert.match(values, /theme: autumn/);
    assert.ok(!values.includes('sk_live'), 'the API key is masked');
    await shot('2-values');
    await drawer.getByTestId('tab-history').click();
    await until('three revisions', async () => (await drawer.getByTestId('helm-history-row').count()) === 3);
    await drawer.getByTestId('tab-diff').click();
    await drawer.getByTestId('helm-diff-manifest').waitFor();
    assert.match((await drawer.getByTestId('helm-diff-manifest').textContent()) ?? '', /\+\s+theme: autumn/);
    assert.match((await drawer.getByTestId('helm-diff-summary').textContent()) ?? '', /shop-1\.4\.1 → shop-1\.4\.2/);
    await shot('3-diff');
  });

  it('previews a rollback per object, then rolls back once confirmed and shows the result', async () => {
    const drawer = page.getByTestId('helm-drawer');
    await drawer.getByTestId('tab-history').click();
    await drawer.getByTestId('helm-rollback-to-2').click();
    const dialog = page.getByTestId('helm-change-dialog');
    await dialog.getByTestId('helm-preview').waitFor();
    const preview = (await dialog.getByTestId('helm-preview').textContent()) ?? '';
    for (const re of [
      /configured\s*ConfigMap shop\/shop-settings/,
      /created\s*ConfigMap shop\/shop-promotions/,
      /deleted\s*ConfigMap shop\/shop-feature-flags/,
      /kept\s*ConfigMap shop\/shop-orders-archive/,
    ])
      assert.match(preview, re);
    assert.match((await dialog.getByTestId('helm-hooks-skipped').textContent()) ?? '', /shop-db-migrate/);
    assert.match((await dialog.getByTestId('helm-preview-summary').textContent()) ?? '', /Nothing has changed yet/);
    await dialog.locator('details summary').first().click();
    await shot('4-rollback-preview');
    assert.equal((await get('/api/plugins/helm/history?namespace=shop&name=shop')).history.length, 3, 'not yet');

    await dialog.getByTestId('confirm-ok').click();
    await dialog.getByTestId('helm-change-result').waitFor({ timeout: 60_000 });
    assert.match(
      (await dialog.getByTestId('helm-change-result').textContent()) ?? '',
      /Done.*rolled back shop\/shop to revision 2 \(now revision 4\)/,
    );
    await shot('5-rollback-result');
    const hist = (await get('/api/plugins/helm/history?namespace=shop&name=shop')).history;
    assert.deepEqual(
      hist.map((x: any) => `${x.revision} ${x.status}`),
      ['1 superseded', '2 superseded', '3 superseded', '4 deployed'],
    );
    await dialog.getByTestId('helm-change-close').click();
    // The table and the open release follow the new records without a reload.
    await until('the table shows revision 4', async () =>
      /shop-1\.4\.1\s*2\.13\.0\s*4\s*deployed/.test((await row('shop').first().textContent()) ?? ''),
    );
    await until(
      'the history shows revision 4',
      async () => (await drawer.getByTestId('helm-history-row').count()) === 4,
    );
    await shot('6-after-rollback');
  });

  it('uninstalls with history kept after a preview, and lists the release as uninstalled', async () => {
    const drawer = page.getByTestId('helm-drawer');
    await drawer.getByTestId('helm-uninstall').click();
    const dialog = page.getByTestId('helm-change-dialog');
    await dialog.getByTestId('helm-preview').waitFor();
    await dialog.getByTestId('helm-keep-history').check();
    await until('the preview says the records are kept', async () =>
      /records are kept/.test((await dialog.getByTestId('helm-preview-summary').textContent()) ?? ''),
    );
    const preview = (await dialog.getByTestId('helm-preview').textContent()) ?? '';
    // Revision 4 is revision 2's manifest: the archive ConfigMap (kept by the rollback) is not the release's any more.
    assert.match(preview, /deleted\s*ConfigMap shop\/shop-settings/);
    assert.match(preview, /deleted\s*ConfigMap shop\/shop-promotions/);
    await shot('7-uninstall-preview');
    await dialog.getByTestId('confirm-ok').click();
    await dialog.getByTestId('helm-change-result').waitFor({ timeout: 60_000 });
    assert.match((await dialog.getByTestId('helm-change-result').textContent()) ?? '', /uninstalled shop\/shop/);
    await shot('8-uninstall-result');
    await dialog.getByTestId('helm-change-close').click();
    await until('the table shows the release uninstalled', async () =>
      /uninstalled/.test((await row('shop').first().textContent()) ?? ''),
    );
    await page.getByRole('button', { name: 'Close release' }).click();
    await shot('9-after-uninstall');
    assert.deepEqual(pageErrors, []);
  });
});
