// The Drift page in real Chromium against `kubegraf web --demo`: drifted objects grouped by what declared them
// (kubectl apply, Helm, Argo CD), each with its drifted fields (declared → live, who changed it, when), a diff of live
// vs the declared state, the object's details drawer, the namespace picker, and a change made elsewhere showing up.
import assert from 'node:assert/strict';
import { type DemoPage, pickNamespaces, until, useDemoPage } from './helpers/webDemo';

describe('Drift page (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'drift', fullPage: true }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const card = (name: string) => page.getByTestId('drift-object').and(page.locator(`[data-name="${name}"]`));
  const field = (name: string, path: string) => card(name).locator(`[data-testid="drift-field"][data-path="${path}"]`);

  it('groups drifted objects by source, with each field declared → live, who changed it and when', async () => {
    await page.goto(`${server.base}/#/drift`);
    await page.getByTestId('page-drift').waitFor();
    await card('product-search').waitFor();
    assert.equal(await page.getByText('GET /api/drift/analysis').count(), 0, 'no generic API viewer');
    for (const s of ['lastApplied', 'helmManifest', 'argocd']) await page.getByTestId(`drift-group-${s}`).waitFor();
    assert.equal(await page.getByTestId('drift-group-lastApplied').getByTestId('drift-object').count(), 1);
    const replicas = (await field('product-search', 'spec.replicas').textContent()) ?? '';
    assert.match(replicas, /spec\.replicas\s*1\s*2\s*kubectl scale\s*2d ago/);
    const image =
      (await field('product-search', 'spec.template.spec.containers[name=product-search].image').textContent()) ?? '';
    assert.match(image, /product-search:1\.4\.0.*product-search:1\.4\.1-hotfix.*kubectl edit.*3h ago/);
    const settings = (await field('shop-settings', 'data.checkoutTimeout').textContent()) ?? '';
    assert.match(settings, /45s\s*90s\s*kubectl edit/);
    assert.match((await card('shop-settings').textContent()) ?? '', /Helm release shop\/shop \(revision 3/);
    assert.match((await card('payments-legacy-flags').textContent()) ?? '', /not in Git any more/);
    // Untouched objects are not listed as drifted.
    assert.equal(await card('product-search-config').count(), 0);
    assert.equal(await card('shop-feature-flags').count(), 0);
    assert.match((await page.getByTestId('drift-count').textContent()) ?? '', /^4 of \d+ tracked objects drifted$/);
    await shot('1-grouped');
  });

  it('filters by source and by text, and lists the objects in sync on demand', async () => {
    await page.getByTestId('drift-tile-helmManifest').click();
    await until('only Helm', async () => (await page.getByTestId('drift-object').count()) === 1);
    assert.equal(await card('shop-settings').count(), 1);
    await page.getByTestId('drift-tile-helmManifest').click();
    await page.getByTestId('drift-filter').fill('kubectl edit');
    await until('objects edited with kubectl edit', async () => (await page.getByTestId('drift-object').count()) === 2);
    await page.getByTestId('drift-filter').fill('');
    await page.getByTestId('drift-show-in-sync').check();
    await page.getByTestId('drift-in-sync').waitFor();
    const rows = await page.getByTestId('drift-in-sync-row').allTextContents();
    assert.ok(
      rows.some((r) => /product-search-config.*kubectl apply/.test(r)),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => /shop-feature-flags.*Helm release shop\/shop/.test(r)),
      rows.join('\n'),
    );
    await page.getByTestId('drift-show-in-sync').uncheck();
  });

  it('shows the diff of an object: live → declared, the declared manifest and the live object', async () => {
    await card('product-search').getByTestId('drift-diff').click();
    const dialog = page.getByTestId('drift-diff-dialog');
    await dialog.getByTestId('drift-diff-view').waitFor();
    const diff = (await dialog.getByTestId('drift-diff-view').textContent()) ?? '';
    assert.match(diff, /-\s+image: ghcr\.io\/acme\/product-search:1\.4\.1-hotfix/);
    assert.match(diff, /\+\s+image: ghcr\.io\/acme\/product-search:1\.4\.0/);
    assert.match(diff, /\+\s+replicas: 1/);
    await shot('2-diff');
    await dialog.getByRole('tab', { name: 'Declared' }).click();
    assert.match((await dialog.getByTestId('drift-desired-yaml').textContent()) ?? '', /value: v3/);
    await dialog.getByRole('tab', { name: 'Live' }).click();
    assert.match((await dialog.getByTestId('drift-live-yaml').textContent()) ?? '', /value: v4/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it("opens the object's details drawer from its name", async () => {
    await card('shop-settings').getByTestId('drift-object-link').click();
    const drawer = page.getByTestId('drawer');
    await drawer.waitFor();
    assert.equal(await drawer.getByTestId('drawer-title').textContent(), 'shop-settings');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('follows the namespace picker, and a scale made elsewhere shows up with its manager', async () => {
    await pickNamespaces(page, ['payments']);
    await until('only payments', async () => (await page.getByTestId('drift-object').count()) === 2);
    assert.equal(await card('product-search').count(), 0);
    assert.equal(await page.getByTestId('drift-group-lastApplied').count(), 0);
    await pickNamespaces(page, []);
    await card('product-search').waitFor();
    const r = await fetch(`${server.base}/api/deployment/scale`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ namespace: 'shop', name: 'product-search', replicas: 3 }),
    });
    assert.equal(r.status, 200, await r.text());
    await until('the new replica count is shown', async () =>
      /1\s*3\s*KubeGraf/.test((await field('product-search', 'spec.replicas').textContent()) ?? ''),
    );
    await shot('3-live');
    assert.deepEqual(pageErrors, []);
  });

  it('reverts a drifted object through the shared fix preview, and it leaves the list', async () => {
    await card('shop-settings').getByTestId('drift-revert').click();
    const modal = page.getByTestId('fix-preview-modal');
    await modal.getByTestId('fix-diff').waitFor();
    const diff = (await modal.getByTestId('fix-diff').textContent()) ?? '';
    assert.match(diff, /-\s+checkoutTimeout: 90s/);
    assert.match(diff, /\+\s+checkoutTimeout: 45s/);
    await shot('4-revert-preview');
    await modal.getByTestId('fix-apply').click();
    await modal.waitFor({ state: 'detached' });
    await until('shop-settings is back in sync', async () => (await card('shop-settings').count()) === 0);
    assert.deepEqual(pageErrors, []);
  });
});
