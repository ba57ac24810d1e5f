// The GPU dashboard, MLflow and Feast pages in real Chromium against `kubegraf web --demo`, as a user meets them: GPU
// charts with a line per device that grow as readings come in (dark and light themes), the devices and the pods
// holding or waiting for GPUs; MLflow experiments → runs → a run's metrics, a comparison of two runs and the model
// registry; Feast's feature views and entities, and what the page says once its registry (then Feast) is gone.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { callApi, type DemoPage, SHOTS, until, useDemoPage } from './helpers/webDemo';

describe('data pages: GPU, MLflow, Feast (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'data', fullPage: true }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const call = (method: string, path: string) => callApi(server, method, path);
  const points = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-points'));

  after(() => assert.deepEqual(pageErrors, []));

  it('GPU dashboard: a line per device in each chart, growing live; device readings; pods holding and awaiting GPUs', async () => {
    await page.goto(`${server.base}/#/gpu-dashboard`);
    await page.getByTestId('gpu-telemetry').waitFor();
    for (const id of ['gpu-chart-util', 'gpu-chart-memory', 'gpu-chart-temp', 'gpu-chart-power']) {
      await until(`${id} has data`, async () => (await points(id)) >= 1);
      assert.equal(await page.getByTestId(id).getAttribute('data-series'), '4', id);
    }
    const utilLabel = (await page.getByTestId('gpu-chart-util').locator('canvas').getAttribute('aria-label')) ?? '';
    assert.match(utilLabel, /GPU 0 \d+%, GPU 1 \d+%, GPU 2 0%, GPU 3 0%/);
    assert.match(
      (await page.getByTestId('gpu-node-line').textContent()) ?? '',
      /gpu-node-1.*4 × NVIDIA A100 SXM4 80GB/,
    );

    // The devices: two hold pods (linked), two idle.
    const devices = page.getByTestId('gpu-device-row');
    assert.equal(await devices.count(), 4);
    assert.equal(await devices.filter({ hasText: 'idle' }).count(), 2);
    assert.match((await devices.first().textContent()) ?? '', /GPU 0.*ml\/llm-server-.*GiB/);

    // Allocation by pod: the running GPU pods with their node and devices, the one that cannot fit waiting.
    const pods = page.getByTestId('gpu-pod-row');
    const llm = pods.filter({ hasText: 'llm-server' });
    assert.match((await llm.textContent()) ?? '', /ml.*gpu-node-1.*1.*GPU 0.*Running/);
    const big = pods.filter({ hasText: 'trainer-large' });
    assert.match((await big.textContent()) ?? '', /not scheduled.*8.*Unschedulable/);
    assert.equal((await page.getByTestId('gpu-waiting').textContent())?.match(/\d+/)?.[0], '1');
    const st = (await call('GET', '/api/gpu/status')).body;
    assert.match(
      (await page.getByTestId('gpu-allocated').textContent()) ?? '',
      new RegExp(`${st.allocatedGpus}\\s*/ ${st.totalGpus}`),
    );

    // Live: a new reading every 5 s adds a point to every chart.
    const before = await points('gpu-chart-util');
    await until('the charts gain a reading', async () => (await points('gpu-chart-util')) > before);
    assert.equal(await points('gpu-chart-power'), await points('gpu-chart-util'));
    await shot('1-gpu-dark');
    mkdirSync(SHOTS, { recursive: true });
    await page.getByTestId('gpu-allocation').screenshot({ path: join(SHOTS, 'data-1b-gpu-allocation.png') });
    await page.locator('#kg-main').evaluate((e) => e.scrollTo(0, 0));
    await page.getByTestId('theme-toggle').click();
    await until(
      'the light theme is on',
      async () => (await page.locator('body').getAttribute('data-theme')) === 'light',
    );
    await page.waitForTimeout(300);
    await shot('2-gpu-light');
    await page.getByTestId('theme-toggle').click();
  });

  it('MLflow: experiments → runs with metric and parameter columns → a run; compare two runs; the registry', async () => {
    await page.goto(`${server.base}/#/mlflow`);
    await page.getByTestId('mlflow-experiments').waitFor();
    await page.getByTestId('mlflow-experiment').filter({ hasText: 'iris-classifier' }).click();
    const table = page.getByTestId('mlflow-runs-table');
    await table.waitFor();
    await until('the iris runs are listed', async () => (await page.getByTestId('mlflow-run-row').count()) === 3);
    const head = (await table.locator('thead').textContent()) ?? '';
    assert.match(head, /Run.*Status.*Started.*Duration.*User.*accuracy.*f1.*C.*kernel/);
    const svc = page.getByTestId('mlflow-run-row').filter({ hasText: 'svc-rbf' });
    assert.match((await svc.textContent()) ?? '', /Finished.*alice.*0\.973.*0\.972.*1\.0.*rbf/);
    assert.match(
      (await page.getByTestId('mlflow-run-row').filter({ hasText: 'tree-depth-2' }).textContent()) ?? '',
      /Failed/,
    );

    await svc.getByRole('button', { name: 'svc-rbf' }).click();
    const drawer = page.getByTestId('mlflow-run');
    await drawer.getByTestId('mlflow-run-metrics').waitFor();
    assert.match((await drawer.getByTestId('mlflow-run-metrics').textContent()) ?? '', /accuracy0\.973100\.973/);
    await until('the accuracy curve has its 11 steps', async () => (await points('mlflow-metric-chart')) === 11);
    assert.match((await drawer.getByTestId('mlflow-run-params').textContent()) ?? '', /C1\.0.*kernelrbf/);
    assert.match(
      (await drawer.getByTestId('mlflow-run-models').textContent()) ?? '',
      /iris-classifier v2.*Production.*@champion/,
    );
    assert.match(page.url(), /#\/mlflow\?exp=1&run=a1b2c3d4/);
    await shot('3-mlflow-run');
    await drawer.getByRole('button', { name: 'Close run' }).click();
    await drawer.waitFor({ state: 'detached' });

    await page.getByRole('checkbox', { name: 'Compare svc-rbf' }).check();
    await page.getByRole('checkbox', { name: 'Compare logreg' }).check();
    await page.getByTestId('mlflow-compare').click();
    const dlg = page.getByTestId('mlflow-compare-dialog');
    await dlg.waitFor();
    const acc = dlg.getByTestId('mlflow-compare-metric').filter({ hasText: 'accuracy' });
    assert.match((await acc.textContent()) ?? '', /accuracy.*0\.973.*0\.953/);
    assert.equal(await acc.locator('.kg-best').textContent(), '0.973');
    assert.equal(await dlg.getByTestId('mlflow-compare-param').filter({ hasText: 'kernel' }).count(), 1);
    await until('both runs are charted', async () => {
      const c = page.getByTestId('mlflow-compare-chart');
      return (
        (await c.count()) > 0 &&
        (await c.getAttribute('data-series')) === '2' &&
        (await points('mlflow-compare-chart')) === 11
      );
    });
    await shot('4-mlflow-compare');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });

    await page.getByTestId('tab-models').click();
    await page.getByTestId('mlflow-model-row').first().waitFor();
    assert.equal(await page.getByTestId('mlflow-model-row').count(), 2);
    await page.getByTestId('mlflow-model-row').filter({ hasText: 'iris-classifier' }).click();
    const versions = page.getByTestId('mlflow-version-row');
    await versions.first().waitFor();
    assert.match((await versions.nth(0).textContent()) ?? '', /v2 @champion.*Production.*Ready.*a1b2c3d4/);
    assert.match((await versions.nth(1).textContent()) ?? '', /v1.*Archived.*b2c3d4e5/);
    await shot('5-mlflow-models');
    // A version's run opens that run, in its experiment.
    await versions.nth(1).getByRole('button', { name: 'b2c3d4e5' }).click();
    await until(
      'the logreg run is open',
      async () => (await page.getByTestId('drawer-title').textContent()) === 'logreg',
    );
    await until('its experiment is shown', async () => /exp=1/.test(page.url()));
  });

  it("Feast: feature views and entities from the registry; without it, and without Feast, what's missing", async () => {
    await page.goto(`${server.base}/#/feast`);
    await page.getByTestId('feast-views').waitFor();
    assert.match(
      (await page.getByTestId('feast-servers').textContent()) ?? '',
      /Registry \(REST\) · feast\/feast-driver-ranking-registry-rest/,
    );
    const rows = page.getByTestId('feast-view-row');
    const view = (name: string) => rows.filter({ has: page.locator('strong', { hasText: new RegExp(`^${name}$`) }) });
    assert.equal(await rows.count(), 3);
    assert.match(
      (await view('driver_hourly_stats').textContent()) ?? '',
      /Batch.*driver.*3.*conv_rate.*1 day.*Online.*driver_hourly_stats_source/,
    );
    assert.match((await view('transformed_conv_rate').textContent()) ?? '', /On demand.*at request/);
    await view('driver_hourly_stats').click();
    assert.match(
      (await page.getByTestId('feast-view-details').textContent()) ?? '',
      /driver_hourly_stats:conv_rate.*FLOAT.*avg_daily_trips.*INT64/,
    );
    await shot('6-feast');
    await view('driver_hourly_stats').getByRole('button', { name: 'driver' }).click();
    const entity = page.getByTestId('feast-entity-row');
    await entity.first().waitFor();
    assert.equal(await entity.count(), 1);
    assert.match((await entity.textContent()) ?? '', /driver.*driver_id.*INT64.*driver_hourly_stats/);

    // The registry's REST API goes away: the page says that is what's missing, live.
    const del = (name: string) => call('DELETE', `/api/service/delete?namespace=feast&name=${name}`);
    assert.equal((await del('feast-driver-ranking-registry-rest')).status, 200);
    const missing = page.getByTestId('feast-missing');
    await missing.waitFor({ timeout: 20_000 });
    const text = (await missing.textContent()) ?? '';
    assert.match(text, /Feature views and entities cannot be read here/);
    assert.match(text, /REST API/);
    assert.doesNotMatch(text, /\/api\//, 'no route text for users');
    assert.match((await page.getByTestId('feast-servers').textContent()) ?? '', /Online feature server/);
    await shot('7-feast-no-registry');
    assert.equal((await del('feast-driver-ranking-online')).status, 200);
    await until('the page says Feast is not installed', async () =>
      /Feast is not installed in this cluster/.test((await page.getByTestId('feast-missing').textContent()) ?? ''),
    );
    assert.doesNotMatch((await page.getByTestId('page-feast').textContent()) ?? '', /\/api\/|POST /);
    await shot('8-feast-missing');
    await page.getByTestId('feast-create').click();
    await until('the apply dialog starts from a FeatureStore', async () =>
      /kind: FeatureStore/.test((await page.locator('.kg-modal').textContent()) ?? ''),
    );
  });
});
