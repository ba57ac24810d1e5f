// The Resource Map, Timeline, Anomalies and Knowledge Bank pages in real Chromium against `kubegraf web --demo`, as a
// user meets them: a map of the namespace's objects coloured by health, grouped, with an object's details on click
// and its neighbourhood one button away, following the namespace picker; the timeline as a chart and a list; the
// anomalies page in words and charts; a runbook edited, saved, shown as edited, and reset.
import assert from 'node:assert/strict';
import { type DemoPage, pickNamespaces, until, useDemoPage } from './helpers/webDemo';

describe('Resource Map, Timeline, Anomalies and Knowledge Bank pages (kubegraf web --demo, Chromium)', function () {
  this.timeout(180_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'insights' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const mapNode = (kind: string, name: string) =>
    page.locator(`[data-testid="map-node"][data-kind="${kind}"][data-name="${name}"]`);
  const noGenericViewer = async () => {
    const text = (await page.locator('main').textContent()) ?? '';
    assert.doesNotMatch(text, /GET \/api\//);
    assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no ISO timestamps on screen');
    assert.doesNotMatch(text, /\d\.\d{5,}/, 'no long floats on screen');
  };

  it('maps a namespace: health colours, grouped pods that open, details on click, a neighbourhood, the picker', async () => {
    await page.goto(`${server.base}/#/resource-map`);
    await pickNamespaces(page, ['shop']);
    await page.getByTestId('map-graph').waitFor();
    await mapNode('Ingress', 'shop').waitFor();
    // Health as colour: the pod that cannot pull its image is red, a ready deployment green.
    const failing = page.locator('[data-testid="map-node"][data-kind="Pod"][data-health="danger"]').first();
    await failing.waitFor();
    assert.match((await failing.getAttribute('data-name')) ?? '', /^checkout-/);
    assert.equal(await mapNode('Deployment', 'frontend').getAttribute('data-health'), 'ok');
    const stroke = (sel: string) =>
      page.evaluate(`getComputedStyle(document.querySelector('${sel} .kg-graph-node-body')).stroke`) as Promise<string>;
    assert.notEqual(
      await stroke('[data-testid="map-node"][data-kind="Pod"][data-health="danger"]'),
      await stroke('[data-testid="map-node"][data-kind="Deployment"][data-name="frontend"]'),
    );
    assert.match((await page.getByTestId('map-count-danger').textContent()) ?? '', /failing/);
    // Relations drawn: Ingress → Service, Service → pods (a group), owners, the claim redis mounts, placement.
    const edges = page.getByTestId('map-edge');
    const types = new Set(await edges.evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))));
    for (const t of ['routes', 'selects', 'owns', 'mounts', 'runsOn']) assert.ok(types.has(t), `an edge of type ${t}`);
    assert.equal(
      await page
        .locator('[data-testid="map-edge"][data-from="Ingress/shop/shop"][data-to="Service/shop/frontend"]')
        .count(),
      1,
    );
    // Each namespace object is on screen, no other namespace's.
    const spaces = await page
      .getByTestId('map-node')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('data-id') ?? '').split('/')[1]));
    assert.ok(spaces.length > 10);
    await shot('1-map-shop');

    // The frontend's three pods are one group node; a click opens it.
    const group = page.locator('[data-testid="map-node"][data-kind="Group"][data-name^="frontend-"]');
    assert.match((await group.locator('title').textContent()) ?? '', /3 pods/);
    await group.click();
    await until('the frontend pods are drawn one by one', async () => {
      const n = await page.locator('[data-testid="map-node"][data-kind="Pod"][data-name^="frontend-"]').count();
      return n === 3;
    });
    assert.equal(await group.count(), 0);

    // An object opens its details drawer; "Show neighbourhood" narrows the map to it.
    await mapNode('Service', 'checkout').click();
    const drawer = page.getByTestId('drawer');
    await drawer.waitFor();
    assert.equal(await drawer.getByTestId('drawer-title').textContent(), 'checkout');
    await shot('2-map-drawer');
    await drawer.getByTestId('map-show-neighbourhood').click();
    await page.getByTestId('map-focus').waitFor();
    await until('only the checkout neighbourhood is drawn', async () => {
      const names = await page
        .getByTestId('map-node')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
      return names.length > 0 && !names.includes('redis') && names.includes('checkout');
    });
    await mapNode('Deployment', 'checkout').waitFor();
    await shot('3-map-neighbourhood');
    await page.getByTestId('map-focus').getByRole('button').click();
    await page.getByTestId('map-focus').waitFor({ state: 'detached' });

    // Another namespace: the map follows the picker.
    await pickNamespaces(page, ['payments']);
    await until('payments objects replace the shop ones', async () => {
      const ids = await page
        .getByTestId('map-node')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
      return ids.some((i) => i.includes('/payments/')) && !ids.some((i) => i.includes('/shop/'));
    });
    await shot('4-map-payments');
    // Every namespace: one group per namespace (with its counts and worst health); a click opens one in place.
    await pickNamespaces(page, []);
    const shopGroup = page.locator('[data-testid="map-node"][data-id="group:namespace:shop"]');
    await shopGroup.waitFor();
    assert.equal(await shopGroup.getAttribute('data-health'), 'danger');
    assert.match((await shopGroup.locator('title').textContent()) ?? '', /objects: \d+ failing/);
    assert.ok((await page.getByTestId('map-node').count()) <= 60);
    await noGenericViewer();
    await shot('5-map-all');
    await shopGroup.click();
    await mapNode('Ingress', 'shop').waitFor();
    assert.equal(await page.locator('[data-testid="map-node"][data-id="group:namespace:payments"]').count(), 1);
    await shot('5b-map-all-shop-open');
  });

  it('charts the timeline by severity and lists its entries with ages and links', async () => {
    await page.goto(`${server.base}/#/timeline`);
    const chart = page.getByTestId('timeline-chart');
    await chart.waitFor();
    await until('the chart plots points', async () => Number(await chart.getAttribute('data-points')) > 10);
    await page.getByTestId('timeline-entry').first().waitFor();
    assert.ok(Number(await chart.getAttribute('data-series')) >= 1);
    const first = page.getByTestId('timeline-entry').first();
    assert.match((await first.locator('time').textContent()) ?? '', /ago|now/);
    await noGenericViewer();
    await shot('6-timeline');
    // The namespace picker narrows the entries.
    await pickNamespaces(page, ['shop']);
    await until('only shop entries are listed', async () => {
      const links = await page.getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      return links.length > 0 && links.every((t) => !/ · (data|payments|ml)\b/.test(t));
    });
    // Only warning events: the kind chips filter.
    await page.getByTestId('timeline-kind-event').click();
    await until(
      'events are hidden',
      async () => (await page.locator('[data-testid="timeline-entry"][data-kind="event"]').count()) === 0,
    );
    await page.getByTestId('timeline-kind-event').click();
    // The window selector asks again.
    await page.getByTestId('timeline-hours').selectOption('1');
    await until('the chart has the hour’s points', async () => Number(await chart.getAttribute('data-points')) === 12);
    // An object link opens the object's drawer on its page.
    await page.getByTestId('timeline-object').first().click();
    await page.getByTestId('drawer').waitFor();
    await pickNamespaces(page, []);
  });

  it('explains anomalies and predictions in words, with charts when there is data', async () => {
    await page.goto(`${server.base}/#/anomalies`);
    await page.getByTestId('anomalies-summary').waitFor();
    assert.match(
      (await page.getByTestId('anomalies-summary').textContent()) ?? '',
      /\d+ unusual samples?.*\d+ predictions?/,
    );
    assert.match((await page.getByTestId('predictions-basis').textContent()) ?? '', /^Based on /);
    // The demo's metrics history is young (its catalog bursts every five minutes): until a container has 10 samples
    // the page says how far it has got and when anomalies can show, rather than showing an empty table.
    const chartOrEmpty = await page.getByTestId('anomalies-chart').count();
    if (!chartOrEmpty)
      assert.match(
        (await page.locator('main').textContent()) ?? '',
        /Learning what is usual: \d of 10 samples.*3 standard deviations.*One comes every 15 seconds|Nothing unusual.*3 standard/s,
      );
    await noGenericViewer();
    await shot('7-anomalies');
  });

  it('finds a runbook, edits it, shows it as edited after a reload, and resets it', async () => {
    await page.goto(`${server.base}/#/knowledge-bank`);
    await page.getByTestId('kb-search').fill('crash');
    await page.locator('[data-testid="kb-item"][data-type="pod_crash_loop"]').click();
    const reader = page.getByTestId('kb-reader');
    await reader.waitFor();
    assert.equal(await reader.getByTestId('kb-origin').textContent(), 'Shipped with KubeGraf');
    assert.ok((await reader.getByTestId('kb-steps').locator('li').count()) >= 3);
    await shot('8-kb-reader');
    await reader.getByTestId('kb-edit').click();
    const editor = page.getByTestId('kb-editor');
    await editor.getByTestId('kb-edit-title').fill('Crash loop: our checklist');
    const steps = editor.getByTestId('kb-edit-steps');
    await steps.fill(`${await steps.inputValue()}\nPage the owning team in #payments-oncall.`);
    await shot('9-kb-editor');
    await editor.getByTestId('kb-save').click();
    await page.getByTestId('kb-reader').getByText('Edited by you').waitFor();
    assert.equal(await page.getByTestId('kb-title').textContent(), 'Crash loop: our checklist');
    // Saved on the server: a reload shows the edit, and the Edited filter finds it.
    await page.reload();
    await page.getByTestId('kb-filter-edited').click();
    await page.locator('[data-testid="kb-item"][data-type="pod_crash_loop"]').click();
    await page.getByTestId('kb-reader').getByText('Page the owning team in #payments-oncall.').waitFor();
    await shot('10-kb-edited');
    await page.getByTestId('kb-reset').click();
    await page.getByTestId('kb-reader').getByText('Shipped with KubeGraf').waitFor();
    assert.equal(await page.getByTestId('kb-title').textContent(), 'Crash-looping container');
    assert.deepEqual(pageErrors, []);
  });
});
