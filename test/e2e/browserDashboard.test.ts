// The dashboard in real Chromium against `kubegraf web --demo`: what a user does on first contact, end to end.
// Debian's chromium (apt-get install chromium) is driven by playwright-core; nothing is downloaded.
import assert from 'node:assert/strict';
import { type DemoPage, useDemoPage } from './helpers/webDemo';

describe('browser dashboard (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, browser, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'browser', signIn: false }, (demo) => ({ server, browser, page, pageErrors, shot } = demo));

  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${server.base}${path}`, { headers: { Authorization: `Bearer ${server.token}` } });
    assert.equal(r.status, 200, `${path} answered ${r.status}`);
    return (await r.json()) as T;
  };
  const go = async (hash: string) => {
    await page.goto(`${server.base}/${hash}`);
  };
  /** Polls a condition read through locators (the page's CSP forbids evaluating strings, and this tsconfig has no DOM). */
  const until = async (what: string, cond: () => Promise<boolean>, timeout = 15_000) => {
    const end = Date.now() + timeout;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const everyRow = async (text: string) => {
    const rows = await page.getByTestId('row').allTextContents();
    return rows.length > 0 && rows.every((r) => r.includes(text));
  };

  it('logs in with the token URL, drops the token from the address bar, and shows the demo cluster counts', async () => {
    await page.goto(server.url);
    await page.getByTestId('page-dashboard').waitFor();
    assert.ok(!page.url().includes('token='), `token still in ${page.url()}`);
    const nodes = await api<{ items: unknown[] }>('/api/nodes');
    const deployments = await api<{ items: unknown[] }>('/api/deployments');
    await page
      .getByTestId('card-nodes-value')
      .filter({ hasText: String(nodes.items.length) })
      .waitFor();
    await page
      .getByTestId('card-deployments-value')
      .filter({ hasText: String(deployments.items.length) })
      .waitFor();
    const pods = Number(await page.getByTestId('card-pods-value').textContent());
    assert.ok(pods > 10, `pods card shows ${pods}`);
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
    await shot('dashboard');
  });

  it('refuses a tab without the token with a clear message instead of a blank page', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(server.base + '/#/pods');
      await other.getByTestId('sign-in').waitFor();
      assert.match((await other.getByTestId('sign-in').textContent()) ?? '', /access token/);
    } finally {
      await other.close();
    }
  });

  it('lists pods in the table and filters them by text and status', async () => {
    await go('#/pods');
    await page.getByTestId('page-pods').waitFor();
    await page.getByTestId('row').first().waitFor();
    const total = (await api<{ items: Array<{ name: string; status?: string }> }>('/api/pods')).items;
    assert.ok(total.length > 10);
    // Virtualized: a short window renders the rows it shows (plus a margin), not the whole list.
    await page.setViewportSize({ width: 1400, height: 560 });
    await until(
      'the table renders only what fits',
      async () => (await page.getByTestId('row').count()) < total.length - 5,
    );
    await page.getByTestId('table-body').focus();
    await page.keyboard.press('End');
    // Keyboard: End moves to the last row, so the window no longer starts at the first one.
    await until(
      'End scrolls to the end',
      async () => Number(await page.getByTestId('row').first().getAttribute('aria-rowindex')) > 2,
    );
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByTestId('filter-text').fill('checkout');
    await until('every row shows checkout', () => everyRow('checkout'));
    const rows = await page.getByTestId('row').allTextContents();
    assert.ok(rows.length > 0 && rows.length < total.length, `${rows.length} rows for "checkout"`);
    await shot('pods-filtered');
    await page.getByTestId('filter-text').fill('');
    const failing = total.find((p) => p.status && p.status !== 'Running' && p.status !== 'Completed');
    assert.ok(failing?.status, 'the demo cluster has a failing pod');
    await page.getByTestId(`status-${failing.status}`).click();
    await until(`every row is ${failing.status}`, () => everyRow(failing.status!));
    await page.getByTestId(`status-${failing.status}`).click();
  });

  it('selects rows for bulk actions: one row, then every row of the filtered view, then none', async () => {
    await go('#/pods');
    await page.getByTestId('page-pods').waitFor();
    await page.getByTestId('filter-text').fill('checkout');
    await until('every row shows checkout', () => everyRow('checkout'));
    const shown = await page.getByTestId('row').count();
    await page.getByTestId('row').first().getByRole('checkbox').click();
    await page.getByTestId('bulk-bar').waitFor();
    assert.match(await page.getByTestId('bulk-bar').innerText(), /^1 selected/);
    assert.equal(await page.getByTestId('row').first().getAttribute('aria-selected'), 'true');
    await page.getByTestId('select-all').click();
    await until(`all ${shown} checkout rows selected`, async () =>
      (await page.getByTestId('bulk-bar').innerText()).startsWith(`${shown} selected`),
    );
    assert.ok(
      (await page.getByTestId('row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-selected')))).every(
        (a) => a === 'true',
      ),
    );
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByTestId('bulk-bar').waitFor({ state: 'detached' });
    await page.getByTestId('filter-text').fill('');
  });

  it('opens a pod in the detail drawer with its YAML and description', async () => {
    await page.getByTestId('filter-text').fill('frontend');
    await page.getByTestId('row').first().click();
    await page.getByTestId('drawer').waitFor();
    await page.getByTestId('tab-yaml').click();
    await page.getByTestId('yaml-view').filter({ hasText: 'apiVersion: v1' }).waitFor();
    await page.getByTestId('tab-describe').click();
    await page.getByTestId('describe').filter({ hasText: 'Containers:' }).waitFor();
    await shot('pod-drawer');
    await page.keyboard.press('Escape');
    await page.getByTestId('drawer').waitFor({ state: 'detached' });
  });

  it("streams a pod's logs", async () => {
    await page.getByTestId('filter-text').fill('frontend');
    await page.getByTestId('row').first().getByTestId('action-logs').click();
    await page.getByTestId('logs-modal').waitFor();
    const lines = page.locator('[data-testid=log-lines] .kg-logline');
    await lines.first().waitFor({ timeout: 30_000 });
    const first = await lines.count();
    // Following: new lines keep arriving while the viewer is open.
    await until('more log lines arrive', async () => (await lines.count()) > first, 30_000);
    await shot('pod-logs');
    await page.keyboard.press('Escape');
    await page.getByTestId('logs-modal').waitFor({ state: 'detached' });
  });

  it('runs a command in a pod terminal and shows its output', async () => {
    await page.getByTestId('filter-text').fill('frontend');
    await page.getByTestId('row').first().getByTestId('action-shell').click();
    await page.getByTestId('shell-modal').waitFor();
    await page.getByTestId('terminal-status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await page.locator('.xterm').click();
    await page.keyboard.type('echo kg-$HOSTNAME-ok\n');
    // The typed line shows `kg-$HOSTNAME-ok`; only the shell's output has the pod name in it.
    await until(
      'the shell prints the pod name',
      async () => /kg-frontend[\w-]*-ok/.test((await page.locator('.xterm-rows').textContent()) ?? ''),
      30_000,
    );
    await shot('pod-terminal');
    // Escape belongs to the terminal (vi, less): the dialog closes with its button.
    await page.getByTestId('shell-modal').getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('shell-modal').waitFor({ state: 'detached' });
  });

  it('navigates with the command palette, keyboard only', async () => {
    await page.keyboard.press('Control+K');
    await page.getByTestId('palette').waitFor();
    await page.keyboard.type('deploy');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-deployments').waitFor();
    assert.match(page.url(), /#\/deployments/);
    await page.getByTestId('row').first().waitFor();
    // Row actions come from the kind's capabilities: deployments scale, pods do not.
    await page.getByTestId('row').first().getByTestId('action-scale').waitFor();
    assert.equal(await page.getByTestId('row').first().getByTestId('action-shell').count(), 0);
    await shot('deployments');
  });

  it('lists volume attachments on their own page, read-only: Delete is offered, editing is not', async () => {
    await page.keyboard.press('Control+K');
    await page.getByTestId('palette').waitFor();
    await page.keyboard.type('volume attach');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-volumeattachments').waitFor();
    assert.match(page.url(), /#\/volumeattachments/);
    const want = (await api<{ items: Array<{ name: string; pv: string; node: string }> }>('/api/volumeattachments'))
      .items;
    assert.ok(want.length >= 2);
    await until('every attachment has a row', async () => (await page.getByTestId('row').count()) === want.length);
    const first = page.getByTestId('row').filter({ hasText: want[0].name });
    const text = (await first.textContent()) ?? '';
    assert.ok(text.includes(want[0].pv) && text.includes(want[0].node), text);
    await first.getByTestId('action-delete').waitFor();
    assert.equal(await first.getByTestId('action-edit').count(), 0);
    await shot('volumeattachments');
  });

  it('lists the demo faults as incidents', async () => {
    await go('#/incidents');
    await page.getByTestId('page-incidents').waitFor();
    await page
      .locator('[data-testid=incident-row], main [data-testid=state-not-available], main [data-testid=state-error]')
      .first()
      .waitFor({ timeout: 60_000 });
    assert.equal(
      await page.locator('main [data-testid=state-not-available], main [data-testid=state-error]').count(),
      0,
      (await page.locator('main').textContent()) ?? '',
    );
    // The demo scenario's faults: a crash loop, an image that cannot be pulled, an OOM kill.
    await until(
      'the demo faults are listed',
      async () => {
        const text = (await page.getByTestId('incident-table').textContent()) ?? '';
        return /crash loop/i.test(text) && /cannot be pulled/i.test(text) && /OOMKilled/i.test(text);
      },
      60_000,
    );
    await shot('incidents');
  });

  it('previews a fix as a diff before applying it', async () => {
    await page.getByTestId('incident-row').filter({ hasText: 'crash loop' }).first().click();
    await page.getByTestId('incident-detail').waitFor();
    await page.getByTestId('fix-preview').first().click();
    await page.getByTestId('fix-preview-modal').waitFor();
    await page.getByTestId('fix-diff').waitFor({ timeout: 30_000 });
    const changed = await page
      .locator('[data-testid=fix-diff] .kg-diff-add, [data-testid=fix-diff] .kg-diff-del')
      .count();
    assert.ok(changed > 0, 'the diff shows changed lines');
    await shot('fix-preview');
  });

  it('applies the fix and streams its output into the execution panel', async () => {
    await page.getByTestId('fix-apply').click();
    await page.getByTestId('execution-panel').waitFor();
    await page
      .getByTestId('execution-status')
      .filter({ hasText: /succeeded|failed/ })
      .waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('execution-status').textContent(), 'succeeded');
    assert.ok(
      ((await page.getByTestId('execution-output').textContent()) ?? '').trim().length > 0,
      'the panel shows what ran',
    );
    await shot('execution-panel');
  });

  it('renders every other page without a blank screen or an uncaught error', async () => {
    for (const p of [
      'events',
      'nodes',
      'services',
      'configmaps',
      'metrics',
      'port-forwards',
      'security',
      'helm',
      'custom-resources',
      'settings',
      'cluster-manager',
      'terminal',
    ]) {
      await go(`#/${p}`);
      await until(
        `${p} shows content`,
        async () => ((await page.locator('main').textContent()) ?? '').trim().length > 20,
      );
      // Nothing may stay on a spinner: each page settles on data, empty, error or not-available.
      await until(
        `${p} stops loading`,
        async () => (await page.locator('main [data-testid=state-loading]').count()) === 0,
        30_000,
      );
      await shot(p);
    }
    assert.match((await page.locator('body').getAttribute('class')) ?? '', /vscode-dark/);
    await page.getByTestId('theme-toggle').click();
    await go('#/dashboard');
    await page.getByTestId('page-dashboard').waitFor();
    assert.match((await page.locator('body').getAttribute('class')) ?? '', /vscode-light/);
    await shot('dashboard-light');
    assert.deepEqual(pageErrors, []);
  });
});
