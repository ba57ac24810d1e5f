// Helm releases in the VS Code Clusters tree (code-server + chromium, headless) against the simulator's demo cluster,
// with no helm binary: releases and their revisions are listed under each context; rolling back from a revision's
// context menu and uninstalling from a release's show the server dry run's plan in a modal first, and the cluster and
// the release records follow. Screenshots of each step land in test-results/vscode-e2e/.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { eventually, kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';
import { buildVsix, startWorkbench, treeContextMenu, type Workbench, reportFailure } from './helpers/codeServer';
import { ensureCodeServer } from './helpers/codeServerInstall';

describe('VS Code extension: Helm releases in the tree (code-server)', function () {
  this.timeout(240_000);
  let sim: Sim;
  let wb: Workbench;
  let page: Page;

  const row = (name: string | RegExp): Locator =>
    page
      .getByRole('treeitem', {
        name: typeof name === 'string' ? new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) : name,
      })
      .first();
  const expand = async (name: string | RegExp) => {
    const r = row(name);
    await r.waitFor({ timeout: 30_000 });
    await eventually(async () => {
      if ((await r.getAttribute('aria-expanded')) === 'true') return true;
      await r.locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(300);
      return (await r.getAttribute('aria-expanded')) === 'true';
    }, 20_000);
  };
  const history = async () =>
    JSON.parse(
      await kubectlOk(sim, ['get', 'secrets', '-n', 'shop', '-l', 'owner=helm,name=shop', '-o', 'json']),
    ).items.map((s: { metadata: { labels: Record<string, string> } }) => s.metadata.labels);
  const configMap = async (name: string) => {
    const r = await kubectl(sim, ['get', 'configmap', name, '-n', 'shop', '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as { data: Record<string, string> }) : undefined;
  };

  before(async function () {
    this.timeout(600_000);
    ensureCodeServer((s) => console.log(`[e2e] ${s}`));
    sim = await startTestSim({ scenario: 'demo' });
    const dir = mkdtempSync(join(tmpdir(), 'kubegraf-vscode-helm-'));
    wb = await startWorkbench({
      vsix: buildVsix(join(dir, 'vsix')),
      settings: { 'kubegraf.kubeconfigPaths': [sim.kubeconfig], 'kubegraf.tree.refreshDebounceMs': 200 },
    });
    page = wb.page;
  });

  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  afterEach(async function () {
    await reportFailure(wb, 'FAILED-helm-', this.currentTest);
  });

  it('lists Helm releases under the context, and a release expands to its revisions', async () => {
    const icon = page.locator('.part.activitybar .action-item a[aria-label^="KubeGraf"]');
    await icon.waitFor({ timeout: 30_000 });
    await icon.click();
    await page.locator('.pane-header', { hasText: 'Clusters' }).first().waitFor();
    // The tree is virtual: rows below the fold are not rendered. The Incidents view makes room for the Clusters one.
    const incidents = page.locator('.pane-header', { hasText: 'Incidents' }).first();
    await incidents.waitFor();
    if ((await incidents.getAttribute('aria-expanded')) === 'true') await incidents.click();
    await expand('kubegraf-sim');
    await expand('Helm Releases');
    const shop = row(/^shop, shop · shop-1\.4\.2 · rev 3 · deployed/);
    await shop.waitFor({ timeout: 30_000 });
    await row(/^cert-manager, cert-manager · cert-manager-v1\.16\.1 · rev 2 · failed/).waitFor();
    await expand(/^shop, shop · /);
    await row(/^Revision 3, deployed · shop-1\.4\.2 · Upgrade complete/).waitFor({ timeout: 20_000 });
    await row(/^Revision 1, superseded · shop-1\.4\.0 · Install complete/).waitFor();
    await wb.shot('helm-tree');
  });

  it("rolls back to a revision from its context menu after a modal with the dry run's plan", async () => {
    await treeContextMenu(page, row(/^Revision 2, /), 'Roll Back Helm Release…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Roll back Helm release shop\/shop to revision 2\?/);
    assert.match(text, /It becomes revision 4/);
    assert.match(text, /configured: ConfigMap shop\/shop-settings/);
    assert.match(text, /deleted: ConfigMap shop\/shop-feature-flags/);
    assert.match(text, /kept: ConfigMap shop\/shop-orders-archive/);
    assert.match(text, /skipped: shop-db-migrate \(Job, pre-rollback\)/);
    assert.equal((await history()).length, 3, 'nothing written before the confirmation');
    await wb.shot('helm-rollback-confirm');
    await dialog.getByRole('button', { name: 'Roll Back', exact: true }).click();
    await eventually(async () => (await configMap('shop-settings'))?.data.theme === 'classic', 30_000);
    await eventually(async () => (await configMap('shop-feature-flags')) === undefined, 30_000);
    const labels = await history();
    assert.deepEqual(labels.map((l: Record<string, string>) => `${l.version} ${l.status}`).sort(), [
      '1 superseded',
      '2 superseded',
      '3 superseded',
      '4 deployed',
    ]);
    // The tree follows the new record.
    await row(/^shop, shop · shop-1\.4\.1 · rev 4 · deployed/).waitFor({ timeout: 30_000 });
    await row(/^Revision 4, deployed · shop-1\.4\.1 · Rollback to 2/).waitFor({ timeout: 30_000 });
    await wb.shot('helm-rolled-back');
  });

  it('uninstalls a release from its context menu after a modal, deleting its objects and records', async () => {
    await treeContextMenu(page, row(/^shop, shop · /), 'Uninstall Helm Release…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Uninstall Helm release shop\/shop from kubegraf-sim\?/);
    assert.match(text, /deleted: ConfigMap shop\/shop-settings/);
    assert.match(text, /deleted: ConfigMap shop\/shop-promotions/);
    await wb.shot('helm-uninstall-confirm');
    await dialog.getByRole('button', { name: 'Uninstall', exact: true }).click();
    await eventually(async () => (await history()).length === 0, 30_000);
    await eventually(async () => (await configMap('shop-settings')) === undefined, 30_000);
    assert.ok(await configMap('shop-orders-archive'), 'kept by its resource policy at the earlier rollback');
    await eventually(async () => (await row(/^shop, shop · /).count()) === 0, 30_000);
    await wb.shot('helm-uninstalled');
  });
});
