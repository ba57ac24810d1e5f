// The Cost and Continuity pages in real Chromium against `kubegraf web --demo`: totals, the allocation table by
// namespace, workload and label, the cost chart, the planted over-provisioned workload's right-sizing, the price
// editor with where each price comes from; continuity's score, risks grouped by family and the Velero backups panel.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type DemoPage, SHOTS, useDemoPage } from './helpers/webDemo';

describe('Cost and Continuity pages (kubegraf web --demo, Chromium)', function () {
  this.timeout(180_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'cost-continuity', fullPage: true }, (demo) => ({ server, page, pageErrors, shot } = demo));

  it('shows totals, allocation by namespace, workload and label, right-sizing and prices', async () => {
    await page.goto(`${server.base}/#/cost`);
    await page.getByTestId('page-cost').waitFor();
    await page.getByTestId('cost-totals').waitFor();
    assert.match((await page.getByTestId('cost-idle').textContent()) ?? '', /Idle per month\$[\d,.]+/);
    await page.getByTestId('cost-chart').waitFor();
    assert.ok((await page.getByTestId('cost-row').count()) > 5);
    await page.getByTestId('cost-by-workload').click();
    await page.locator('[data-testid="cost-row"][data-key="Deployment/shop/recommendations"]').waitFor();
    await page.getByTestId('cost-by-label').click();
    await page.locator('[data-testid="cost-row"][data-key="recommendations"]').waitFor();
    // The planted workload is right-sized once usage is sampled (the page reloads on scope change; wait for it).
    const rec = page.locator('[data-testid="cost-recommendation"][data-finding*="shop/recommendations"]');
    for (let i = 0; i < 30 && !(await rec.count()); i++) {
      await page.waitForTimeout(1000);
      await page.getByTestId('cost-by-namespace').click();
      await page.getByTestId('cost-by-workload').click();
    }
    assert.match((await rec.textContent()) ?? '', /1\.00 cores → \d+m/);
    // Fix… previews the right-size patch (server dry run diff) in the shared dialog.
    await rec.getByTestId('cost-fix').click();
    const diff = page.getByTestId('fix-diff');
    await diff.waitFor();
    assert.match((await diff.textContent()) ?? '', /cpu/);
    await shot('1d-fix-preview');
    await page.keyboard.press('Escape');
    await diff.waitFor({ state: 'detached' });
    const e2 = page.locator('[data-testid="cost-price-row"][data-type="e2-standard-4"]');
    assert.match((await e2.getByTestId('cost-price-source').textContent()) ?? '', /List price.*GCP e2-standard-4/);
    assert.match((await page.getByTestId('cost-catalog-note').textContent()) ?? '', /snapshot/);
    await shot('1-cost');
    await rec.scrollIntoViewIfNeeded();
    await page
      .getByTestId('cost-recommendations')
      .screenshot({ path: join(SHOTS, 'cost-continuity-1b-rightsizing.png') });
    await page.getByTestId('cost-prices').screenshot({ path: join(SHOTS, 'cost-continuity-1c-prices.png') });
    await e2.getByTestId('cost-price-edit').click();
    await e2.getByTestId('cost-price-input').fill('0.2');
    await e2.getByTestId('cost-price-save').click();
    await e2.getByTestId('cost-price-source').filter({ hasText: 'Yours' }).waitFor();
    await e2.getByTestId('cost-price-reset').click();
    await e2.getByTestId('cost-price-source').filter({ hasText: 'List price' }).waitFor();
  });

  it('shows the continuity score, risks by family and the backups panel', async () => {
    await page.goto(`${server.base}/#/continuity`);
    await page.getByTestId('page-continuity').waitFor();
    await page.getByTestId('continuity-score').waitFor();
    const risk = page
      .locator('[data-testid="finding"][data-check="singleReplica"]')
      .filter({ hasText: 'ledger-db' })
      .first();
    await risk.waitFor();
    assert.equal(await risk.getAttribute('data-severity'), 'high');
    assert.match((await risk.textContent()) ?? '', /data-ledger-db-0/);
    const families = await page
      .getByTestId('finding-group')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-family')));
    for (const f of ['Availability', 'Disruption', 'Placement', 'Data & backups']) assert.ok(families.includes(f), f);
    const payments = page.locator('[data-testid="backup-row"][data-namespace="payments"]');
    assert.match((await payments.getByTestId('backup-age').textContent()) ?? '', /3 days ago/);
    await shot('2-continuity');
    await page.getByTestId('continuity-backups').scrollIntoViewIfNeeded();
    await page.getByTestId('continuity-backups').screenshot({ path: join(SHOTS, 'cost-continuity-2b-backups.png') });
    await risk.getByTestId('finding-object').click();
    await page.getByTestId('drawer-title').filter({ hasText: 'ledger-db' }).first().waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
