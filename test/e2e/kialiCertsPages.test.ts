// The Kiali and Certificates pages in real Chromium against `kubegraf web --demo`, as a user meets them: the service
// graph drawn with workloads coloured by health and edges labelled with rates and errors, a workload's details on
// click and from the keyboard; certificates with expiry warnings ahead of time, and a confirmed Renew that follows
// cert-manager until the new certificate is in place.
import assert from 'node:assert/strict';
import { type DemoPage, pickNamespaces, until, useDemoPage } from './helpers/webDemo';

describe('Kiali and Certificates pages (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'kiali-certs' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  it('draws the service graph with health colours and rate labels; a node opens its workload details', async () => {
    await page.goto(`${server.base}/#/kiali`);
    const graph = page.getByTestId('kiali-graph');
    await graph.waitFor();
    const node = (name: string) => page.locator(`[data-testid="kiali-node"][data-name="${name}"]`);
    await node('llm-server').waitFor();
    assert.equal(await node('llm-server').getAttribute('data-health'), 'failure');
    assert.equal(await node('payments-api').getAttribute('data-health'), 'degraded');
    assert.equal(await node('frontend').getAttribute('data-health'), 'healthy');
    // Health shows as colour: the failing node's border is the theme's red, the healthy one's green.
    const stroke = (name: string) =>
      page.evaluate(
        `getComputedStyle(document.querySelector('[data-testid="kiali-node"][data-name="${name}"] .kg-graph-node-body')).stroke`,
      ) as Promise<string>;
    assert.notEqual(await stroke('llm-server'), await stroke('frontend'));
    const edge = page.locator('[data-testid="kiali-edge"][data-from="frontend"][data-to="llm-server"]');
    assert.equal(await edge.getAttribute('data-health'), 'failure');
    assert.match((await edge.getByTestId('kiali-edge-label').textContent()) ?? '', /[\d.]+ rps · 2\d% err/);
    assert.ok((await page.getByTestId('kiali-edge').count()) >= 6);
    assert.match((await page.getByTestId('kiali-count-failure').textContent()) ?? '', /1 failure/);
    await page.getByTestId('kiali-legend').getByText('Degraded').waitFor();
    // Idle workloads (Argo CD, cert-manager…) are hidden until asked for.
    assert.equal(await node('argocd-server').count(), 0);
    await shot('1-graph');

    await node('llm-server').click();
    const drawer = page.getByTestId('kiali-node-drawer');
    await drawer.waitFor();
    assert.equal(await drawer.getByTestId('drawer-title').textContent(), 'llm-server');
    assert.match((await drawer.getByTestId('kiali-node-health').textContent()) ?? '', /Failure.*25% of inbound/);
    assert.match((await drawer.textContent()) ?? '', /Called by.*frontend/s);
    await shot('2-node-details');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // Keyboard: a node is a button; Enter opens it, and the workload's own page is one click away.
    await node('payments-api').focus();
    await page.keyboard.press('Enter');
    await drawer.waitFor();
    assert.match((await drawer.getByTestId('kiali-node-health').textContent()) ?? '', /Degraded/);
    await drawer.getByTestId('kiali-open-workload').click();
    await page.getByTestId('page-deployments').waitFor();
    await page.getByTestId('drawer').getByTestId('drawer-title').filter({ hasText: 'payments-api' }).waitFor();
  });

  it('follows the namespace picker, and says what is missing when Kiali is not installed', async () => {
    await page.goto(`${server.base}/#/kiali`);
    await page.getByTestId('kiali-graph').waitFor();
    await pickNamespaces(page, ['shop']);
    const nodes = page.getByTestId('kiali-node');
    await until('only shop and the gateway that calls it are drawn', async () => {
      const ns = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-namespace')));
      return ns.length > 0 && ns.every((n) => n === 'shop' || n === 'istio-system');
    });
    // The gateway lies outside the chosen namespace: drawn dashed.
    assert.match(
      (await page.locator('[data-testid="kiali-node"][data-name="istio-ingressgateway"]').getAttribute('class')) ?? '',
      /kg-graph-outside/,
    );
    await shot('3-graph-shop');
    await pickNamespaces(page, []);

    // Kiali gone (its Service deleted): the page explains what the graph needs instead of an error.
    const del = await fetch(`${server.base}/api/service/delete?namespace=istio-system&name=kiali`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${server.token}` },
    });
    assert.equal(del.status, 200);
    await page.getByTestId('kiali-refresh').click();
    const missing = page.getByTestId('kiali-missing');
    await missing.waitFor();
    assert.match((await missing.textContent()) ?? '', /Kiali is not installed.*Istio.*helm install kiali-server/s);
    // Installing it from here needs the helm binary, which this machine lacks: said before anyone clicks.
    assert.equal(await missing.getByTestId('kiali-install').getAttribute('disabled'), '');
    assert.equal(await missing.getByTestId('kiali-install-needs-helm').isVisible(), true);
    await shot('4-kiali-missing');
  });

  it('shows certificates with expiry warnings, and renews one after a confirm, following cert-manager', async () => {
    await page.goto(`${server.base}/#/certificates`);
    await page.getByTestId('cert-table').waitFor();
    const certRow = (name: string) => page.locator(`[data-testid="cert-row"][data-name="${name}"]`);
    const tlsRow = (name: string) => page.locator(`[data-testid="tls-row"][data-name="${name}"]`);
    await tlsRow('promo-tls').waitFor();
    const level = async (row: ReturnType<typeof tlsRow>) =>
      (await row.locator('[data-testid="tls-expiry"]').getAttribute('data-level')) ?? '';
    assert.equal(await level(tlsRow('promo-tls')), 'expired');
    assert.match((await tlsRow('promo-tls').textContent()) ?? '', /Expired\s*expired 9 days ago/);
    assert.equal(await level(tlsRow('argocd-server-tls')), 'critical');
    assert.match((await tlsRow('argocd-server-tls').textContent()) ?? '', /expires in 2 days 23 hours/);
    assert.match((await tlsRow('argocd-server-tls').textContent()) ?? '', /nothing \(manual\)/);
    assert.equal(await level(tlsRow('mlflow-tls')), 'ok');
    const grafana = certRow('grafana-tls');
    assert.match((await grafana.textContent()) ?? '', /Expiring\s*expires in 12 days/);
    assert.match((await grafana.textContent()) ?? '', /overdue by 18 days/);
    assert.match((await certRow('payments-tls').textContent()) ?? '', /Not ready: DoesNotExist/);
    assert.match((await page.getByTestId('cert-count-expired').textContent()) ?? '', /Expired 1/);
    await shot('5-certificates');

    // The expiry chips filter.
    await page.getByTestId('cert-count-critical').click();
    await until(
      'only the critical certificate is listed',
      async () => (await page.getByTestId('tls-row').count()) === 1,
    );
    await page.getByTestId('cert-count-critical').click();

    // A TLS Secret's certificate in full.
    await tlsRow('mlflow-tls')
      .getByRole('button', { name: /Certificate of Secret/ })
      .click();
    const tls = page.getByTestId('tls-drawer');
    assert.match((await tls.getByTestId('cert-fields').textContent()) ?? '', /10\.96\.12\.40.*Acme Internal CA/s);
    await page.keyboard.press('Escape');
    await tls.waitFor({ state: 'detached' });

    // Renew: nothing happens before the confirmation; then cert-manager issues and the row turns valid.
    await grafana.getByTestId('cert-renew').click();
    const dialog = page.getByTestId('cert-renew-dialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /cmctl renew.*letsencrypt-prod.*grafana-tls/s);
    await shot('6-renew-confirm');
    await dialog.getByTestId('confirm-ok').click();
    await dialog.getByTestId('cert-renew-result').waitFor({ timeout: 30_000 });
    assert.match(
      (await dialog.getByTestId('cert-renew-result').textContent()) ?? '',
      /Renewed.*revision 2: expires in 90 days/,
    );
    await shot('7-renewed');
    await dialog.getByTestId('cert-renew-close').click();
    await until('the row shows the new certificate', async () =>
      /Valid\s*expires in 90 days/.test((await grafana.textContent()) ?? ''),
    );
    assert.equal(await level(tlsRow('grafana-tls')), 'ok');
    assert.deepEqual(pageErrors, []);
  });
});
