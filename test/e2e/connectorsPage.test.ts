// The Connectors page in real Chromium against `kubegraf web --demo`, as a new user meets it: a bad URL is refused
// next to its field, a Slack-compatible connector pointing at a local receiver is added (its URL masked from then on),
// its test send arrives and the receiver's answer is shown; then a new incident in the demo cluster is delivered to it
// and appears in the delivery log while the page is open; deleting it asks first.
import assert from 'node:assert/strict';
import { type DemoPage, useDemoPage } from './helpers/webDemo';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { request } from '../integration/serverHelpers';

const TOKEN_PATH = 'T0DEMO/B0DEMO/xoxSecretWebhookToken42';

describe('Connectors page (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage(
    { name: 'connectors', fullPage: true, signIn: false },
    (demo) => ({ server, page, pageErrors, shot } = demo),
  );
  let rx: Receiver;
  const form = () => page.getByTestId('connector-form');
  const row = () => page.getByTestId('connector-row').filter({ hasText: 'Ops channel' });

  before(async () => {
    rx = await startReceiver({ status: 200, body: 'ok' });
  });
  after(async () => {
    await rx?.close();
  });

  it('refuses a bad URL next to its field, adds a Slack connector, and its test send arrives', async () => {
    await page.goto(server.url);
    await page.getByTestId('page-dashboard').waitFor();
    await page.goto(`${server.base}/#/connectors`);
    await page.getByTestId('page-connectors').getByText('No connectors yet').waitFor();
    await page.getByTestId('connector-add').click();
    await form().getByTestId('connector-name').fill('Ops channel');
    await form().getByTestId('connector-url').fill('ftp://hooks.example.com/services/x');
    const urlMsg = form().getByTestId('connector-url-msg');
    await urlMsg.getByText('Only http:// and https:// URLs can receive deliveries (not ftp:)').waitFor();
    assert.equal(await form().getByTestId('connector-url').getAttribute('aria-invalid'), 'true');
    await shot('bad-url');
    await form().getByTestId('connector-url').fill(`${rx.base}/slack/services/${TOKEN_PATH}`);
    await urlMsg.getByText('Incoming Webhooks').waitFor();
    // Only incidents in the shop namespace, picked from the cluster's namespaces as it is typed.
    await form().getByTestId('connector-namespaces').fill('sh');
    await form().getByRole('group', { name: 'Add namespace' }).getByRole('button', { name: '+ shop' }).click();
    assert.equal(await form().getByTestId('connector-namespaces').inputValue(), 'shop');
    await form().getByTestId('connector-save').click();
    await form().waitFor({ state: 'detached' });

    await row().waitFor();
    const target = (await row().getByTestId('connector-target').textContent()) ?? '';
    assert.equal(target, `${rx.base}/********en42`);
    assert.match((await row().getByTestId('connector-filters').textContent()) ?? '', /namespaces shop/);
    assert.match((await row().getByTestId('connector-last').textContent()) ?? '', /nothing sent yet/);

    await row().getByTestId('connector-test').click();
    const dialog = page.getByTestId('connector-test-dialog');
    await dialog
      .getByTestId('connector-test-message')
      .filter({ hasText: `${new URL(rx.base).host} accepted the test (HTTP 200)` })
      .waitFor();
    assert.equal(await dialog.getByTestId('connector-test-answer').textContent(), 'ok');
    const [test] = rx.at('/slack/');
    assert.equal(test.url, `/slack/services/${TOKEN_PATH}`);
    assert.match(test.body.text, /Test send: KubeGraf test: Ops channel works/);
    assert.ok(Array.isArray(test.body.blocks) && test.body.blocks.length >= 2);
    await shot('test-send');
    await dialog.getByTestId('connector-test-done').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('delivery-row').filter({ hasText: 'Test send' }).waitFor();
    await row().getByTestId('connector-last').getByText('delivered').waitFor();
  });

  it('delivers a new incident in the demo cluster and shows it in the delivery log as it happens', async () => {
    await page.getByTestId('delivery-live').getByText('Live').waitFor();
    const applied = await request({ base: server.base, token: server.token }, 'POST', '/api/manifests/apply', {
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: checkout-canary\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: registry.invalid/shop/checkout:2.0\n',
    });
    assert.equal(applied.status, 200, applied.text);
    const delivered = page
      .getByTestId('delivery-row')
      .filter({ has: page.getByTestId('delivery-subject').filter({ hasText: 'checkout-canary' }) });
    await delivered.first().waitFor({ timeout: 60_000 });
    assert.equal(await delivered.first().getAttribute('data-event'), 'incident.opened');
    assert.equal(await delivered.first().getByTestId('delivery-status').textContent(), 'delivered');
    const opened = rx.at('/slack/').filter((r) => /checkout-canary/.test(r.body.text));
    assert.equal(opened.length, 1, 'the receiver got the incident once');
    assert.match(opened[0].body.text, /Incident opened: .*checkout-canary/);
    // Nothing from other namespaces passed the filter: every incident message is about shop.
    for (const r of rx.at('/slack/').slice(1)) assert.match(JSON.stringify(r.body.blocks), /\*Namespace\*\\nshop/);
    // The log filters: failed deliveries only → none.
    await page.getByTestId('delivery-filter-status').selectOption('failed');
    await page.getByTestId('delivery-log').getByText('No delivery matches these filters').waitFor();
    await page.getByTestId('delivery-filter-status').selectOption('');
    await delivered.first().waitFor();
    await shot('delivered');
  });

  it("keeps the saved URL on edit and shows a failing receiver's answer from the form's test", async () => {
    await row().getByTestId('connector-edit').click();
    await form().getByTestId('connector-url-msg').getByText('Leave empty to keep it').waitFor();
    assert.match((await form().getByTestId('connector-url-msg').textContent()) ?? '', /Saved: .*\*{8}en42/);
    rx.script('/slack/', [{ status: 500, body: 'channel maintenance, try later' }]);
    await form().getByTestId('connector-form-test').click();
    const result = form().getByTestId('connector-test-result');
    await result
      .getByTestId('connector-test-message')
      .filter({ hasText: 'The test was not delivered: the receiver failed (HTTP 500)' })
      .waitFor();
    assert.equal(await result.getByTestId('connector-test-answer').textContent(), 'channel maintenance, try later');
    await shot('edit-test-failed');
    await form().getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('delivery-row').filter({ hasText: 'channel maintenance' }).first().waitFor();
  });

  it('deletes the connector after asking', async () => {
    await row().getByTestId('connector-delete').click();
    const confirm = page.getByTestId('confirm');
    await confirm.getByText('Its past deliveries stay in the log').waitFor();
    await confirm.getByTestId('confirm-ok').click();
    await page.getByTestId('page-connectors').getByText('No connectors yet').waitFor();
    assert.ok((await page.getByTestId('delivery-row').count()) > 0, 'the log keeps past deliveries');
    assert.deepEqual(pageErrors, []);
  });
});
