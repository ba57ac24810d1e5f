// Verified fixes in real Chromium against `kubegraf web --demo`, as a new user meets them: the recommended fix for the
// OOM-killed warehouse-loader (768Mi) is applied from the incident, KubeGraf says it did not help, with the pod that
// was OOM-killed again as evidence and a larger increase as the next step; taking that step is verified as resolved.
import assert from 'node:assert/strict';
import { type DemoPage, useDemoPage } from './helpers/webDemo';

describe('verified fixes in the dashboard (kubegraf web --demo, Chromium)', function () {
  this.timeout(400_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'verified-fixes', signIn: false }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const detail = () => page.getByTestId('incident-detail');
  const outcome = (o: string) => detail().locator(`[data-testid=fix-outcome][data-outcome=${o}]`);

  it('sets a short verification window in Settings, refusing what is not a number of seconds', async () => {
    await page.goto(server.url);
    await page.getByTestId('page-dashboard').waitFor();
    await page.goto(`${server.base}/#/settings`);
    const form = page.getByTestId('fix-verification-setting');
    const field = form.getByTestId('fix-verification-seconds');
    await field.fill('abc');
    await form.getByRole('alert').filter({ hasText: 'Use a whole number of seconds, such as 300.' }).waitFor();
    assert.equal(await form.getByRole('button', { name: 'Save window' }).isDisabled(), true);
    await field.fill('2');
    await form.getByRole('alert').filter({ hasText: 'At least 5 seconds.' }).waitFor();
    await field.fill('20');
    await field.press('Enter');
    await page.getByText('Verification window saved').waitFor();
    assert.equal(await form.getByRole('alert').count(), 0);
  });

  it('shows the sizing rule on the recommended fix', async () => {
    await page.goto(`${server.base}/#/incidents`);
    await page
      .getByTestId('incident-row')
      .filter({ hasText: 'Container OOMKilled: data/warehouse-loader' })
      .first()
      .click({ timeout: 90_000 });
    const fix = detail().getByTestId('fixes').locator('li', { hasText: "Increase memory limit of 'loader' to 768Mi" });
    await fix.waitFor({ timeout: 30_000 });
    assert.match(
      (await fix.getByTestId('fix-rationale').textContent()) ?? '',
      /OOM-killed at its 512Mi limit.*1\.5× the memory at the kill, at least \+128Mi, rounded up to 64Mi → 768Mi/,
    );
  });

  it('applies the recommended fix and then says, with the evidence, that it did not help, and offers the next step', async () => {
    const fix = detail().getByTestId('fixes').locator('li', { hasText: "Increase memory limit of 'loader' to 768Mi" });
    await fix.getByTestId('fix-preview').click();
    await page.getByTestId('fix-diff').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=fix-apply]:not([disabled])').click({ timeout: 30_000 });
    await page.getByTestId('execution-status').filter({ hasText: 'succeeded' }).waitFor({ timeout: 60_000 });

    // The state a user waits for: the incident says the fix did not help.
    await outcome('did_not_help').waitFor({ timeout: 120_000 });
    const card = outcome('did_not_help');
    assert.match((await card.textContent()) ?? '', /The fix did not help/);
    assert.match(
      (await card.getByTestId('fix-outcome-summary').textContent()) ?? '',
      /It happened again after the fix: pod warehouse-loader-\S+, started after the fix, was OOMKilled again at its 768Mi limit/,
    );
    const evidence = await card.getByTestId('fix-outcome-evidence').locator('li').allTextContents();
    assert.ok(evidence.length > 0 && evidence.every((e) => /OOMKilled/.test(e)), evidence.join('\n'));
    assert.match(
      (await card.getByTestId('fix-next-step').textContent()) ?? '',
      /Increase memory limit of 'loader' to 1152Mi/,
    );
    await card.getByTestId('fix-undo').waitFor();
    // The fix on offer now carries what happened last time.
    assert.match(
      (await detail().getByTestId('fixes').getByTestId('fix-track').first().textContent()) ?? '',
      /Worked 0 of 1 time \(0%\)/,
    );
    // In the list, in the execution's history and as a notification.
    await page
      .getByTestId('incident-row')
      .filter({ hasText: 'Container OOMKilled: data/warehouse-loader' })
      .getByTestId('fix-outcome-badge')
      .filter({ hasText: 'fix did not help' })
      .waitFor({ timeout: 30_000 });
    await page
      .getByTestId('execution-panel')
      .getByTestId('fix-outcome-badge')
      .filter({ hasText: 'fix did not help' })
      .waitFor({ timeout: 30_000 });
    assert.match((await page.getByTestId('execution-output').textContent()) ?? '', /verify: did not help/);
    await page.getByTestId('notifications-button').click();
    await page
      .getByTestId('notifications')
      .getByText(/Fix did not help: Container OOMKilled: data\/warehouse-loader/)
      .first()
      .waitFor({ timeout: 30_000 });
    await shot('did-not-help-notification');
    await page.getByTestId('notifications-button').click();
    await card.scrollIntoViewIfNeeded();
    await shot('did-not-help');
  });

  it('takes the next step, and records it as resolved once the incident stayed clear for the window', async () => {
    await outcome('did_not_help').getByTestId('fix-next-step').click();
    await page.getByTestId('fix-preview-modal').waitFor();
    await page.getByTestId('fix-diff').filter({ hasText: '1152Mi' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=fix-apply]:not([disabled])').click({ timeout: 30_000 });
    await outcome('resolved').waitFor({ timeout: 150_000 });
    assert.match(
      (await outcome('resolved').textContent()) ?? '',
      /The fix worked.*Increase memory limit of 'loader' to 1152Mi.*stayed clear for 20 s/,
    );
    await shot('resolved');
    assert.deepEqual(pageErrors, []);
  });
});
