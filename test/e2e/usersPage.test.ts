// Accounts mode in the browser: signing in with an account, and the Users page an admin manages accounts on (create
// with the form's own checks, change a role, disable after confirming). The server runs as `--host` with TLS does;
// the browser reaches it at 127.0.0.1, trusted the way VS Code's forwarded addresses are.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type App } from '../../src/server/app';
import { makePki } from '../../src/sim/tls';
import { startTestSim, type Sim } from '../helpers/sim';
import { SHOTS, ensureWebviewBuilt, launchPage } from './helpers/webDemo';

describe('browser: accounts mode, sign-in and the Users page', function () {
  this.timeout(120_000);
  let sim: Sim;
  let app: App;
  let browser: Browser;
  let page: Page;
  let base: string;
  const errors: string[] = [];

  before(async () => {
    await ensureWebviewBuilt();
    sim = await startTestSim({ scenario: 'demo' });
    const pki = await makePki(['127.0.0.1', 'localhost']);
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-users-e2e-')),
      host: '0.0.0.0',
      tls: { cert: pki.certPem, key: pki.keyPem },
      demo: true,
    });
    base = `https://127.0.0.1:${new URL(app.server.url).port}`;
    app.server.allowExternal(`${base}/`);
    // The first admin, made with the launch token as the README says.
    await new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ username: 'ada', password: 'correct horse battery' });
      const req = https.request(
        `${base}/api/auth/register`,
        {
          method: 'POST',
          ca: pki.caPem,
          headers: {
            Authorization: `Bearer ${app.token}`,
            'Content-Type': 'application/json',
            'Content-Length': String(Buffer.byteLength(body)),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`register answered ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    ({ browser, page } = await launchPage(errors, { ignoreHTTPSErrors: true }, ['--ignore-certificate-errors']));
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await page
        ?.screenshot({
          path: join(SHOTS, `users-FAILED-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`),
        })
        .catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await sim?.close();
  });

  it('signs in with an account (a wrong password says so in plain words)', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('sign-in-form').waitFor();
    await page.getByTestId('login-user').fill('ada');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').getByText('wrong username or password').waitFor();
    await page.getByTestId('login-password').fill('correct horse battery');
    await page.getByTestId('login-password').press('Enter');
    await page.locator('[data-testid="page-dashboard"], [data-testid="card-pods"]').first().waitFor();
    assert.deepEqual(errors, []);
  });

  it('creates a user only when the form is right, changes the role, and disables after a confirmation', async () => {
    await page.goto(`${base}/#/users`);
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId('user-name').fill('-bad');
    await page.getByTestId('user-password').fill('short');
    await page.getByText('Start with a letter or digit').waitFor();
    await page.getByText('At least 10 characters (5 more)').waitFor();
    await page.getByTestId('user-create-submit').click();
    assert.equal(await page.locator('[data-testid="user-row"][data-user="-bad"]').count(), 0);
    await page.getByTestId('user-name').fill('vera');
    await page.getByTestId('user-password').fill('correct horse battery');
    await page.getByTestId('user-create-submit').click();
    // The account is made (a toast says so) or the form says why not, next to the button.
    const refused = page.getByTestId('user-create').getByRole('alert');
    await page.getByTestId('toast').filter({ hasText: 'Created vera' }).or(refused).first().waitFor();
    assert.equal(await refused.count(), 0, `the form refused: ${await refused.allInnerTexts()}`);
    const row = page.locator('[data-testid="user-row"][data-user="vera"]');
    await row.waitFor();
    assert.equal(await row.getByTestId('user-role').inputValue(), 'viewer');
    await row.getByTestId('user-role').selectOption('operator');
    await page.getByTestId('toast').getByText('vera is now an operator').waitFor();
    await row.getByTestId('user-toggle').click();
    await page.getByRole('dialog').getByText('cannot sign in until enabled again').waitFor();
    await page.screenshot({ path: join(SHOTS, 'users-confirm-disable.png') });
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    await page.screenshot({ path: join(SHOTS, 'users-page.png') });
    assert.deepEqual(errors, []);
  });

  it('a viewer is offered only what a viewer may do: no cluster changes, no shell, no settings', async () => {
    // The admin makes a viewer (the form's default role).
    await page.goto(`${base}/#/users`);
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId('user-name').fill('olga');
    await page.getByTestId('user-password').fill('correct horse battery');
    await page.getByTestId('user-create-submit').click();
    await page.locator('[data-testid="user-row"][data-user="olga"]').waitFor();

    const ctx = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      colorScheme: 'light',
      ignoreHTTPSErrors: true,
    });
    const v = await ctx.newPage();
    v.on('pageerror', (e) => errors.push(e.message));
    await v.goto(`${base}/`);
    await v.getByTestId('login-user').fill('olga');
    await v.getByTestId('login-password').fill('correct horse battery');
    await v.getByTestId('login-password').press('Enter');
    await v.locator('[data-testid="page-dashboard"], [data-testid="card-pods"]').first().waitFor();

    // A deployment's drawer offers every action its kind has, as far as the user may: a viewer reads and follows
    // logs, never scales, restarts, rolls back or deletes.
    await v.goto(`${base}/#/deployments?name=grafana&ns=monitoring`);
    const dep = v.getByTestId('drawer');
    await dep.getByTestId('action-logs').waitFor();
    for (const id of ['scale', 'restart', 'rollback', 'delete'])
      assert.equal(await dep.getByTestId(`action-${id}`).count(), 0, `a viewer is not offered ${id}`);
    await v.screenshot({ path: join(SHOTS, 'viewer-deployment-drawer.png') });

    // Pods: logs yes; a shell (admin), port-forward and delete no.
    await v.goto(`${base}/#/pods`);
    const pod = v.getByTestId('row').first();
    await pod.getByTestId('action-logs').waitFor();
    for (const id of ['shell', 'restart', 'delete', 'portForward'])
      assert.equal(await pod.getByTestId(`action-${id}`).count(), 0, `a viewer is not offered ${id}`);

    // Server settings and the cluster switch are an admin's: shown, disabled, saying why.
    await v.goto(`${base}/#/settings`);
    const save = v.getByTestId('settings-save');
    await save.waitFor();
    assert.equal(await save.isDisabled(), true);
    assert.match((await save.getAttribute('title')) ?? '', /Your role \(viewer\) may not do this/);
    assert.equal(await v.getByTestId('cluster-switcher').isDisabled(), true);
    await v.screenshot({ path: join(SHOTS, 'viewer-settings.png') });
    await ctx.close();
    assert.deepEqual(errors, []);
  });

  it("an admin is offered what the cluster's RBAC allows: all on the admin context, reads on a read-only one", async () => {
    const drawer = page.getByTestId('drawer');
    await page.goto(`${base}/#/deployments?name=grafana&ns=monitoring`);
    for (const id of ['logs', 'scale', 'restart', 'rollback', 'delete'])
      await drawer.getByTestId(`action-${id}`).waitFor();
    // The simulator's viewer context: its credentials may read everything and change nothing.
    await page.getByTestId('cluster-switcher').selectOption('kubegraf-sim-viewer');
    await page.getByTestId('toast').getByText('Switched to kubegraf-sim-viewer').waitFor();
    await page.goto(`${base}/#/deployments?name=grafana&ns=monitoring`);
    await drawer.getByTestId('action-logs').waitFor();
    for (const id of ['scale', 'restart', 'rollback', 'delete'])
      assert.equal(await drawer.getByTestId(`action-${id}`).count(), 0, `the read-only context does not offer ${id}`);
    await page.screenshot({ path: join(SHOTS, 'rbac-read-only-context.png') });
    assert.deepEqual(errors, []);
  });
});
