// The Security page in real Chromium against `kubegraf web --demo`, as a platform engineer uses it: the score and the
// findings by family with severity chips and search, a finding's object in the details drawer, a fix previewed as a
// diff and applied (the finding then goes), the Pod Security Standards per namespace, who-can, and the namespace picker.
import assert from 'node:assert/strict';
import { type DemoPage, pickNamespaces, until, useDemoPage } from './helpers/webDemo';

describe('Security page (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'security' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const findings = () => page.getByTestId('finding');
  const search = async (text: string) => {
    await page.getByTestId('finding-filter').fill(text);
  };

  it('shows the cluster score and the findings grouped by family, filtered by severity and search', async () => {
    await page.goto(`${server.base}/#/security`);
    const score = page.getByTestId('sec-score');
    await score.waitFor();
    const value = Number(await score.getAttribute('data-score'));
    assert.ok(value > 0 && value < 100, `score ${value}`);
    assert.match((await score.textContent()) ?? '', /Cluster score/);
    // The planted critical cases: the privileged debug pod, the node's / mounted, the wildcard ClusterRole.
    await until(
      'the debug pod is analysed',
      async () => Number(await page.getByTestId('sec-count-critical').locator('strong').textContent()) >= 3,
    );
    assert.equal(await page.locator('main').getByText('GET /api/security').count(), 0, 'no generic API viewer');
    const families = await page
      .getByTestId('finding-group')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-family')));
    for (const f of ['Pod security', 'Host access', 'RBAC', 'Network', 'Secrets', 'Images'])
      assert.ok(families.includes(f), `${f} in ${families.join(', ')}`);
    await shot('1-overview');

    await page.getByTestId('finding-sev-critical').click();
    await until(
      'only critical findings',
      async () =>
        (await findings().count()) >= 3 &&
        (await page.locator('[data-testid="finding"]:not([data-severity="critical"])').count()) === 0,
    );
    const checks = await findings().evaluateAll((els) => els.map((e) => e.getAttribute('data-check')));
    for (const c of ['privileged', 'hostPath', 'wildcardRole'])
      assert.ok(checks.includes(c), `${c} in ${checks.join(',')}`);
    await page.getByTestId('finding-sev-critical').click();

    await search('DB_PASSWORD');
    await until('the literal secret', async () => (await findings().count()) === 1);
    assert.equal(await findings().first().getAttribute('data-check'), 'secretInEnv');
    assert.match((await findings().first().textContent()) ?? '', /readable by anyone who can read the workload/);
    await findings().first().getByTestId('finding-object').click();
    await page.getByTestId('drawer').waitFor();
    assert.equal(await page.getByTestId('drawer-title').textContent(), 'legacy-admin');
    await shot('2-drawer');
    await page.keyboard.press('Escape');
    await page.getByTestId('drawer').waitFor({ state: 'detached' });
  });

  it('a fix is previewed as a diff, applied, and its finding goes', async () => {
    await search('privilege escalation legacy-admin');
    await until('one finding', async () => (await findings().count()) === 1);
    await findings().first().getByTestId('finding-fix').click();
    const modal = page.getByTestId('fix-preview-modal');
    await modal.waitFor();
    await until('the diff', async () =>
      /allowPrivilegeEscalation: false/.test(
        (await modal
          .getByTestId('fix-diff')
          .textContent()
          .catch(() => '')) ?? '',
      ),
    );
    await shot('3-fix-preview');
    await modal.getByTestId('fix-apply').click();
    await modal.waitFor({ state: 'detached', timeout: 30_000 }).catch(async () => {
      // Some dialogs stay open on the outcome; close them.
      await page.keyboard.press('Escape');
    });
    await page.getByTestId('sec-refresh').click();
    await until('the finding is gone', async () => (await findings().count()) === 0, 30_000);
    await search('');
  });

  it('Pod Security Standards per namespace: enforced against what would pass', async () => {
    await page.getByTestId('tab-pss').click();
    const row = page.locator('[data-testid="sec-pss-row"][data-namespace="payments"]');
    await row.waitFor();
    assert.equal(await row.getByTestId('sec-pss-enforce').textContent(), 'restricted');
    assert.equal(await row.getByTestId('sec-pss-could').textContent(), 'baseline');
    await row.getByTestId('sec-pss-toggle').click();
    const list = page.getByTestId('sec-pss-violations');
    await list.waitFor();
    const text = (await list.textContent()) ?? '';
    assert.match(text, /payments-api/);
    assert.doesNotMatch(text, /fraud-scorer/, 'the hardened workload passes restricted');
    const mon = page.locator('[data-testid="sec-pss-row"][data-namespace="monitoring"]');
    assert.equal(await mon.getByTestId('sec-pss-could').textContent(), 'privileged');
    await shot('4-pss');
  });

  it('who-can answers for a verb and resource in a namespace, and says what is wrong with bad input', async () => {
    await page.getByTestId('tab-rbac').click();
    await page.getByTestId('sec-whocan-verb').fill('delete');
    await page.getByTestId('sec-whocan-resource').fill('secrets');
    await page.getByTestId('sec-whocan-namespace').fill('payments');
    await page.getByTestId('sec-whocan-ask').click();
    const row = page.locator('[data-testid="sec-whocan-row"][data-name="legacy-admin"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /ClusterRoleBinding legacy-admin-all/);
    assert.equal(await page.locator('[data-testid="sec-whocan-row"][data-name="prometheus"]').count(), 0);
    assert.match((await page.getByTestId('sec-unused-roles').textContent()) ?? '', /old-deployer/);
    await shot('5-rbac');
    await page.getByTestId('sec-whocan-resource').fill('se crets');
    await page.getByTestId('sec-whocan-ask').click();
    await page.getByTestId('sec-whocan-error').waitFor();
    assert.match((await page.getByTestId('sec-whocan-error').textContent()) ?? '', /resource/);
    assert.doesNotMatch((await page.getByTestId('sec-whocan-error').textContent()) ?? '', /at .*\.ts/);
  });

  it('follows the namespace picker: the namespace score, and the hardened workload has nothing at medium or above', async () => {
    await page.getByTestId('tab-findings').click();
    await pickNamespaces(page, ['payments']);
    await until('the payments score', async () =>
      /payments score/.test((await page.getByTestId('sec-score').textContent()) ?? ''),
    );
    await until('payments findings only', async () => {
      const labels = await page.getByTestId('finding-object').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      return labels.length > 0 && labels.every((l) => /payments/.test(l));
    });
    await search('fraud-scorer');
    await until('filtered', async () => (await page.getByTestId('finding-filter').inputValue()) === 'fraud-scorer');
    const loud = await page
      .locator(
        '[data-testid="finding"][data-severity="critical"], [data-testid="finding"][data-severity="high"], [data-testid="finding"][data-severity="medium"]',
      )
      .count();
    assert.equal(loud, 0);
    await search('');
    await shot('6-payments');
    await pickNamespaces(page, []);
    assert.deepEqual(pageErrors, []);
  });
});
