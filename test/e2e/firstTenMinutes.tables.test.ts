// Issue 11, the first ten minutes on tables and forms, as a new user tries them in Chromium against
// `kubegraf web --demo`: the namespace picker filters the page you are on at once, the scale dialog never turns bad
// input into a replica count (read back through the API) and asks before scaling to 0, ages tick, and a pod's overview
// reads like `kubectl describe pod`.
import assert from 'node:assert/strict';
import { callApi, type DemoPage, pickNamespaces as pickInHeader, until, useDemoPage } from './helpers/webDemo';

interface Listed {
  items: Array<{ name: string; namespace?: string }>;
}

describe('first ten minutes: tables, forms, ages, pod overview (Chromium, kubegraf web --demo)', function () {
  this.timeout(180_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'first-ten' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const request = (method: string, path: string, body?: unknown) => callApi(server, method, path, body);
  const api = async <T>(path: string): Promise<T> => {
    const r = await request('GET', path);
    assert.equal(r.status, 200, `${path} answered ${r.status}`);
    return r.body as T;
  };
  const rowKeys = async () =>
    Promise.all((await page.getByTestId('row').all()).map(async (r) => (await r.getAttribute('data-key')) ?? ''));
  const rowCount = async () => (await page.getByTestId('row-count').textContent())?.trim() ?? '';

  /** Chooses exactly these namespaces in the header picker, and waits until the picker names the choice. */
  const pickNamespaces = async (chosen: string[]) => {
    await pickInHeader(page, chosen);
    await page
      .getByTestId('namespace-picker')
      .filter({
        hasText:
          chosen.length === 0 ? 'All namespaces' : chosen.length === 1 ? chosen[0] : `${chosen.length} namespaces`,
      })
      .waitFor();
  };
  const replicasOf = async (ns: string, name: string) =>
    (await api<{ object: { spec: { replicas: number } } }>(`/api/deployment/details?namespace=${ns}&name=${name}`))
      .object.spec.replicas;

  // Each test starts from all namespaces, whatever the one before left chosen.
  beforeEach(async () => {
    if (!/All namespaces/.test((await page.getByTestId('namespace-picker').textContent()) ?? ''))
      await pickNamespaces([]);
  });

  it('filters the pods page at once when a namespace is chosen, and widens again for all namespaces', async () => {
    await page.goto(`${server.base}/#/pods`);
    await page.getByTestId('page-pods').waitFor();
    const all = await api<Listed>('/api/pods');
    const shop = await api<Listed>('/api/pods?namespace=shop');
    assert.ok(shop.items.length > 0 && shop.items.length < all.items.length, 'the demo has pods in shop and elsewhere');
    await until('pods of several namespaces are listed', async () =>
      (await rowKeys()).some((k) => !k.startsWith('shop/')),
    );

    await pickNamespaces(['shop']);
    // No page change: the page the user is on follows the picker.
    await until('only shop pods are listed', async () => {
      const keys = await rowKeys();
      return keys.length > 0 && keys.every((k) => k.startsWith('shop/'));
    });
    // The demo's rollouts come and go: compare with what the API lists at the same moment.
    await until('the count is the number of shop pods', async () =>
      (await rowCount()).startsWith(`${(await api<Listed>('/api/pods?namespace=shop')).items.length} pods`),
    );
    assert.equal(page.url().split('#')[1], '/pods');
    await page.getByTestId('sort-namespace').waitFor({ state: 'detached' });
    await shot('pods-shop');

    await pickNamespaces([]);
    await until('pods of every namespace are back', async () => (await rowKeys()).some((k) => !k.startsWith('shop/')));
  });

  it('filters deployments and events at once, and the dashboard counts follow the picker', async () => {
    await page.goto(`${server.base}/#/deployments`);
    await page.getByTestId('page-deployments').waitFor();
    await until(
      'deployments of several namespaces are listed',
      async () => new Set((await rowKeys()).map((k) => k.split('/')[0])).size > 1,
    );
    const payments = await api<Listed>('/api/deployments?namespace=payments');
    await pickNamespaces(['payments']);
    await until(`only the ${payments.items.length} payments deployments are listed`, async () => {
      const keys = await rowKeys();
      return keys.length === payments.items.length && keys.every((k) => k.startsWith('payments/'));
    });
    await shot('deployments-payments');

    // Two namespaces: both, and nothing else.
    await pickNamespaces(['payments', 'shop']);
    await until('payments and shop deployments are listed', async () => {
      const ns = new Set((await rowKeys()).map((k) => k.split('/')[0]));
      return ns.size === 2 && ns.has('payments') && ns.has('shop');
    });

    await pickNamespaces([]);
    await page.goto(`${server.base}/#/events`);
    await page.getByTestId('page-events').waitFor();
    await until(
      'events of several namespaces are listed',
      async () => new Set((await rowKeys()).map((k) => k.split('/')[0])).size > 1,
    );
    await pickNamespaces(['shop']);
    await until('only shop events are listed', async () => {
      const keys = await rowKeys();
      return keys.length > 0 && keys.every((k) => k.startsWith('shop/'));
    });
    await shot('events-shop');

    await page.goto(`${server.base}/#/dashboard`);
    await page.getByTestId('page-dashboard').waitFor();
    const card = async () => Number(await page.getByTestId('card-pods-value').textContent());
    // Pods come and go with the demo's rollouts and jobs: a card read once may be a pod or two behind the API.
    const near = async (ns: string) =>
      Math.abs((await card()) - (await api<Listed>(`/api/pods?namespace=${ns}`)).items.length) <= 2;
    await until('the pods card counts the pods of shop', () => near('shop'));
    assert.ok(
      (await card()) < (await api<Listed>('/api/pods')).items.length / 2,
      'the card still counts every namespace',
    );
    await pickNamespaces([]);
    await until('the pods card counts every pod again', () => near(''));
  });

  it("filters incidents at once, and their 'seen' times tick", async () => {
    await page.goto(`${server.base}/#/incidents`);
    await page.getByTestId('page-incidents').waitFor();
    const objects = async () => await page.getByTestId('incident-row').allTextContents();
    await until('incidents of several namespaces are listed', async () => {
      const rows = await objects();
      return rows.some((r) => r.includes('/shop/')) && rows.some((r) => !r.includes('/shop/'));
    });
    const seen = page.getByTestId('incident-seen').first();
    const was = (await seen.textContent()) ?? '';
    assert.match(was, /ago$/);
    await until(`"${was}" moves on`, async () => ((await seen.textContent()) ?? '') !== was, 75_000);
    await pickNamespaces(['shop']);
    await until('only shop incidents are listed', async () => {
      const rows = await objects();
      // Cluster-scoped objects (nodes) belong to every namespace's view.
      return (
        rows.length > 0 &&
        rows.some((r) => r.includes('/shop/')) &&
        rows.every((r) => r.includes('/shop/') || r.includes('Node/'))
      );
    });
    await shot('incidents-shop');
  });

  it('never scales on abc, -1, 2.5, 99999999 or an empty field, and says why next to the field', async () => {
    await page.goto(`${server.base}/#/deployments`);
    await page.getByTestId('page-deployments').waitFor();
    await page.getByTestId('filter-text').fill('grafana');
    const row = page.getByTestId('row').filter({ hasText: 'grafana' }).first();
    await row.waitFor();
    const before = await replicasOf('monitoring', 'grafana');
    await row.getByTestId('action-scale').click();
    const dialog = page.getByTestId('scale-dialog');
    await dialog.waitFor();
    const field = dialog.getByTestId('scale-replicas');
    const ok = dialog.getByTestId('scale-ok');
    const expected: Record<string, RegExp> = {
      abc: /digits only/i,
      '-1': /negative/i,
      '2.5': /whole number/i,
      '99999999': /at most 100,000/i,
      '': /enter the number of replicas/i,
    };
    for (const [text, why] of Object.entries(expected)) {
      await field.fill(text);
      const msg = dialog.getByTestId('scale-replicas-msg');
      await until(`the field explains what is wrong with "${text}"`, async () =>
        why.test((await msg.textContent()) ?? ''),
      );
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await ok.isDisabled(), true, `the Scale button is enabled for "${text}"`);
      assert.equal(await field.inputValue(), text, 'the field keeps what the user typed');
      await field.press('Enter');
      if (text === 'abc') await shot('scale-invalid');
    }
    await dialog.waitFor();
    // Nothing reached the cluster: read back through the API, not the screen.
    assert.equal(await replicasOf('monitoring', 'grafana'), before);
    assert.equal(
      await page.getByTestId('toast').count(),
      0,
      `a toast appeared: ${(await page.getByTestId('toast').allTextContents()).join(' | ')}`,
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await replicasOf('monitoring', 'grafana'), before);
  });

  it('scales to 0 only after an explicit confirmation, and Enter submits a valid count', async () => {
    const row = page.getByTestId('row').filter({ hasText: 'grafana' }).first();
    const before = await replicasOf('monitoring', 'grafana');
    assert.ok(before > 0);
    await row.getByTestId('action-scale').click();
    const dialog = page.getByTestId('scale-dialog');
    const field = dialog.getByTestId('scale-replicas');
    const ok = dialog.getByTestId('scale-ok');
    await field.fill('0');
    await dialog.getByTestId('scale-zero-warning').waitFor();
    assert.match((await dialog.getByTestId('scale-zero-warning').textContent()) ?? '', /stops every pod of grafana/);
    assert.equal(await ok.isDisabled(), true, 'scale to 0 is possible without confirming');
    await field.press('Enter');
    await shot('scale-zero-warning');
    assert.equal(await replicasOf('monitoring', 'grafana'), before, 'Enter scaled to 0 without the confirmation');

    await dialog.getByTestId('scale-zero-confirm').check();
    await until(
      'the button names the consequence',
      async () => /stop all pods/.test((await ok.textContent()) ?? '') && !(await ok.isDisabled()),
    );
    await ok.click();
    await dialog.waitFor({ state: 'detached' });
    await until('grafana is scaled to 0', async () => (await replicasOf('monitoring', 'grafana')) === 0);

    // Back up with the keyboard only: type the count, press Enter.
    await row.getByTestId('action-scale').click();
    await dialog.waitFor();
    await field.fill(String(before));
    await field.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await until(`grafana is back at ${before}`, async () => (await replicasOf('monitoring', 'grafana')) === before);
  });

  it("keeps the keyboard focus on a row's action while the row changes live", async () => {
    const row = page.getByTestId('row').filter({ hasText: 'grafana' }).first();
    await row.waitFor();
    const before = await replicasOf('monitoring', 'grafana');
    const button = row.getByTestId('action-scale');
    await button.focus();
    const focusedAction = () =>
      page.evaluate(
        `(() => { const el = document.activeElement; return el?.getAttribute('data-testid') + ' ' + el?.getAttribute('aria-label'); })()`,
      ) as Promise<string>;
    assert.match(await focusedAction(), /^action-scale .*grafana/);
    // Another client scales it: the row's Ready cell follows, the focus stays where the user left it.
    const r = await request('POST', '/api/deployment/scale', {
      namespace: 'monitoring',
      name: 'grafana',
      replicas: before + 1,
    });
    assert.equal(r.status, 200);
    await until('the row shows the new count', async () =>
      ((await row.textContent()) ?? '').includes(`/${before + 1}`),
    );
    assert.match(await focusedAction(), /^action-scale .*grafana/, 'the focus stayed on the same action');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('scale-dialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /grafana/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(
      (await request('POST', '/api/deployment/scale', { namespace: 'monitoring', name: 'grafana', replicas: before }))
        .status,
      200,
    );
    await until('the row is back', async () => ((await row.textContent()) ?? '').includes(`/${before}`));
  });

  it('answers bad parameters with a plain message naming the field', async () => {
    for (const [replicas, text] of [
      [2.5, 'Replicas must be a whole number'],
      [-1, 'Replicas must be 0 or more'],
      ['abc', 'Replicas must be a whole number'],
      [99999999, 'Replicas must be at most 100000'],
    ] as const) {
      const r = await request('POST', '/api/deployment/scale', { namespace: 'monitoring', name: 'grafana', replicas });
      assert.equal(r.status, 400);
      const message = (r.body.error as { message: string }).message;
      assert.equal(message, text);
      assert.doesNotMatch(message, /invalid parameters|Invalid input|expected|received|deployment\.scale/);
    }
    assert.equal(
      (
        (await request('POST', '/api/deployment/scale', { namespace: 'monitoring', name: 'grafana' })).body.error as {
          message: string;
        }
      ).message,
      'Replicas is required',
    );
  });

  it('validates the port-forward and settings forms as the user types', async () => {
    await page.goto(`${server.base}/#/pods`);
    await page.getByTestId('filter-text').fill('grafana');
    const row = page.getByTestId('row').filter({ hasText: 'grafana' }).first();
    await row.waitFor();
    await row.getByTestId('action-portForward').click();
    const dialog = page.getByTestId('port-forward-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('pf-remote').fill('http');
    await until('the remote port says what is wrong', async () =>
      /digits only/i.test((await dialog.getByTestId('pf-remote-msg').textContent()) ?? ''),
    );
    assert.equal(await dialog.getByTestId('port-forward-ok').isDisabled(), true);
    await dialog.getByTestId('pf-remote').fill('70000');
    await until('the remote port is out of range', async () =>
      /at most 65,535/i.test((await dialog.getByTestId('pf-remote-msg').textContent()) ?? ''),
    );
    await dialog.getByTestId('pf-remote').fill('3000');
    await dialog.getByTestId('pf-local').fill('-5');
    await until('the local port cannot be negative', async () =>
      /negative/i.test((await dialog.getByTestId('pf-local-msg').textContent()) ?? ''),
    );
    assert.equal(await dialog.getByTestId('port-forward-ok').isDisabled(), true);
    await shot('port-forward-invalid');
    await dialog.getByTestId('pf-local').fill('');
    assert.equal(await dialog.getByTestId('port-forward-ok').isDisabled(), false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.goto(`${server.base}/#/settings`);
    const saved = await api<{ refreshIntervalSeconds?: number }>('/api/settings');
    const refresh = page.getByTestId('settings-refresh');
    await refresh.waitFor();
    await refresh.fill('0');
    await until('the refresh interval says what is wrong', async () =>
      /at least 1/i.test((await page.getByTestId('settings-refresh-msg').textContent()) ?? ''),
    );
    await page.getByTestId('settings-namespace').fill('Shop');
    await until('the namespace says what is wrong', async () =>
      /lower-case/i.test((await page.getByTestId('settings-namespace-msg').textContent()) ?? ''),
    );
    assert.equal(await page.getByTestId('settings-save').isDisabled(), true);
    await refresh.press('Enter');
    await shot('settings-invalid');
    assert.deepEqual(
      (await api<{ refreshIntervalSeconds?: number }>('/api/settings')).refreshIntervalSeconds,
      saved.refreshIntervalSeconds,
    );
  });

  it('ticks ages in the table from the shared clock', async () => {
    await page.goto(`${server.base}/#/pods`);
    await page.getByTestId('page-pods').waitFor();
    await page.getByTestId('row').first().waitFor();
    const headers = await page.locator('[role=columnheader]').allTextContents();
    const col = headers.findIndex((h) => h.startsWith('Age'));
    assert.ok(col >= 0, `no Age column in ${headers.join(', ')}`);
    const cell = page.getByTestId('row').first().locator('[role=gridcell]').nth(col);
    const first = (await cell.textContent()) ?? '';
    assert.match(first, /^\d+[smhdy]/);
    // Under 10 minutes an age moves every second; older ones every minute.
    await until(`the age ${first} moves on`, async () => ((await cell.textContent()) ?? '') !== first, 75_000);
  });

  it("shows a pod's containers, images, states, probes and conditions in its overview, each fact once", async () => {
    const pod = (await api<Listed>('/api/pods?namespace=data')).items.find((p) =>
      p.name.startsWith('warehouse-loader-'),
    );
    assert.ok(pod, 'the demo has a warehouse-loader pod');
    await page.goto(`${server.base}/#/pods?name=${pod.name}&ns=data`);
    const overview = page.getByTestId('drawer').getByTestId('overview');
    await overview.waitFor();
    await until('both containers are listed', async () => (await overview.getByTestId('pod-container').count()) === 2);
    assert.deepEqual(await overview.getByTestId('pod-container-name').allTextContents(), [
      'loader',
      'metrics-exporter',
    ]);
    assert.deepEqual(await overview.getByTestId('pod-container-image').allTextContents(), [
      'ghcr.io/acme/warehouse-loader:0.9.4',
      'prom/statsd-exporter:v0.27.1',
    ]);
    const loader = overview.getByTestId('pod-container').first();
    const text = (await loader.textContent()) ?? '';
    assert.match(text, /restarts?/);
    assert.match(text, /Limits.*memory 512Mi/s);
    assert.match(text, /Requests.*cpu 200m/s);
    assert.match((await overview.getByTestId('pod-container').nth(1).textContent()) ?? '', /9102\/TCP \(metrics\)/);
    await overview.getByTestId('pod-conditions').waitFor();
    const all = (await overview.textContent()) ?? '';
    for (const dup of ['nodeName', 'podIP', 'phase']) assert.ok(!all.includes(dup), `the overview repeats ${dup}`);
    const dts = await overview.locator('dt').allTextContents();
    for (const once of ['Status', 'Node', 'Pod IP'])
      assert.equal(
        dts.filter((d) => d === once).length,
        1,
        `${once} appears ${dts.filter((d) => d === once).length} times`,
      );
    await shot('pod-overview');

    // The drawer's age ticks too.
    const age = overview.locator('dt', { hasText: /^Age$/ }).locator('xpath=following-sibling::dd[1]');
    const was = (await age.textContent()) ?? '';
    await until(`the drawer's age ${was} moves on`, async () => ((await age.textContent()) ?? '') !== was, 20_000);

    // The same overview reads in the light theme too.
    await page.keyboard.press('Escape');
    await page.getByTestId('drawer').waitFor({ state: 'detached' });
    await page.getByTestId('theme-toggle').click();
    await page.goto(`${server.base}/#/pods?name=${pod.name}&ns=data`);
    await overview.getByTestId('pod-container').nth(1).waitFor();
    await shot('pod-overview-light');
    await page.keyboard.press('Escape');
    await page.getByTestId('drawer').waitFor({ state: 'detached' });
    await page.getByTestId('theme-toggle').click();
    assert.deepEqual(pageErrors, []);
  });
});
