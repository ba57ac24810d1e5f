// The Machine Learning pages in real Chromium against `kubegraf web --demo`, as a user meets them: a training job is
// created from the form (mistakes are said next to the fields as they are typed), shows in the list running with a
// live duration, its pods' logs stream in, and it is deleted after a confirmation; an inference service is created,
// turns Ready with its URL, and its test panel sends a V1 and a V2 request and shows the answers with their latency.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type DemoPage, until, useDemoPage } from './helpers/webDemo';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

describe('Training Jobs and Inference Services pages (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'ml' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const text = async (testId: string) => (await page.getByTestId(testId).first().textContent()) ?? '';

  /** Serious or critical WCAG 2.1 AA violations inside `scope`, one line each. */
  const axe = async (scope: string): Promise<string[]> => {
    if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
    return page.evaluate(async (sel) => {
      const a = (globalThis as any).axe;
      const r = await a.run(sel, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      });
      return r.violations
        .filter((x: any) => x.impact === 'serious' || x.impact === 'critical')
        .map((x: any) => `${x.id}: ${x.help} (${x.nodes.map((n: any) => n.target.join(' ')).join(', ')})`);
    }, scope);
  };

  it('creates a training job from the form, follows it in the list and its live logs, then deletes it', async () => {
    await page.goto(`${server.base}/#/training-jobs`);
    const row = (name: string) => page.locator(`[data-testid="job-row"][data-name="${name}"]`);
    await row('mnist-ddp').waitFor();
    assert.match((await row('mnist-ddp').textContent()) ?? '', /PyTorchJob.*Running/);

    await page.getByTestId('job-new').click();
    const dialog = page.getByTestId('job-create-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('job-kind-PyTorchJob').click();
    assert.match(await text('job-kind-help'), /master and workers/);
    await dialog.getByTestId('job-name').fill('Mnist_E2E');
    await dialog.getByTestId('job-image').fill('pytorch mnist');
    await dialog.getByTestId('job-gpus').fill('-1');
    await dialog.getByTestId('job-memory').fill('4GB');
    assert.match(await text('job-name-msg'), /lower-case/);
    assert.match(await text('job-image-msg'), /no spaces/);
    assert.match(await text('job-gpus-msg'), /Cannot be negative/);
    assert.match(await text('job-memory-msg'), /Unknown unit/);
    await shot('1-job-form-mistakes');
    assert.deepEqual(await axe('[data-testid=job-create-dialog]'), []);

    await dialog.getByTestId('job-name').fill('mnist-e2e');
    await dialog.getByTestId('job-namespace').selectOption('ml');
    await dialog.getByTestId('job-image').fill('docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727');
    await dialog.getByTestId('job-command').fill('python /opt/mnist/src/mnist.py --epochs 3');
    await dialog.getByTestId('job-nodes').fill('2');
    await dialog.getByTestId('job-gpus').fill('0');
    await dialog.getByTestId('job-cpu').fill('500m');
    await dialog.getByTestId('job-memory').fill('1Gi');
    for (const f of ['job-name', 'job-image', 'job-gpus', 'job-memory'])
      assert.equal(await text(`${f}-msg`).then((t) => /⚠|Use|Cannot|Unknown/.test(t)), false, f);
    await shot('2-job-form-valid');
    await dialog.getByTestId('job-create-submit').click();
    await dialog.waitFor({ state: 'detached' });

    // The new job opens on its logs: both pods' lines stream in as they train.
    const drawer = page.getByTestId('job-drawer');
    await drawer.getByTestId('job-logs').waitFor();
    assert.equal(await drawer.getByTestId('drawer-title').textContent(), 'mnist-e2e');
    const logs = drawer.getByTestId('job-log-lines');
    await until('epoch lines stream in', async () =>
      /Train Epoch: 1 \[\d+\/60000/.test((await logs.textContent()) ?? ''),
    );
    await until('both pods are followed', async () => /^2 pods/.test(await text('job-logs-state')));
    const before = (await logs.locator('.kg-logline').count()) ?? 0;
    await until('more lines arrive', async () => (await logs.locator('.kg-logline').count()) > before + 2);
    assert.match((await logs.textContent()) ?? '', /\[mnist-e2e-worker-0\]/);
    assert.match(await text('job-logs-state'), /streaming/);
    await shot('3-job-live-logs');

    // In the list: running, two pods, and a duration that keeps counting.
    await drawer.getByRole('button', { name: 'Close job' }).click();
    await drawer.waitFor({ state: 'detached' });
    const mine = row('mnist-e2e');
    assert.match((await mine.textContent()) ?? '', /PyTorchJob.*Running.*2 running.*pytorch-mnist/);
    const d1 = (await mine.getByTestId('job-duration').textContent()) ?? '';
    assert.match(d1, /^\d+s$/);
    await until('the duration counts on', async () => (await mine.getByTestId('job-duration').textContent()) !== d1);
    assert.match(await text('jobs-counts'), /Running\s*2/);
    await shot('4-job-list');
    await mine.click();
    await drawer.getByTestId('tab-overview').click();
    await drawer.getByTestId('job-conditions').waitFor();
    assert.match((await drawer.getByTestId('job-conditions').textContent()) ?? '', /PyTorchJob mnist-e2e is running\./);
    await drawer.getByTestId('job-delete').click();
    const confirm = page.getByTestId('confirm');
    await confirm.waitFor();
    assert.match((await confirm.textContent()) ?? '', /Delete PyTorchJob ml\/mnist-e2e\?.*pods stop and are deleted/);
    await shot('5-job-delete-confirm');
    await confirm.getByTestId('confirm-ok').click();
    await mine.waitFor({ state: 'detached' });
    await drawer.waitFor({ state: 'detached' });
    assert.ok(await row('mnist-ddp').isVisible(), 'the other jobs stay');
  });

  it('creates an inference service, sees it Ready with its URL, and tests it with V1 and V2 requests', async () => {
    await page.goto(`${server.base}/#/inference-services`);
    const row = (name: string) => page.locator(`[data-testid="isvc-row"][data-name="${name}"]`);
    await row('sklearn-iris').waitFor();
    assert.match(
      (await row('sklearn-iris').textContent()) ?? '',
      /sklearn.*Ready.*http:\/\/sklearn-iris\.ml\.acme\.example/,
    );

    await page.getByTestId('isvc-new').click();
    const dialog = page.getByTestId('isvc-create-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('isvc-name').fill('iris-e2e');
    await dialog.getByTestId('isvc-namespace').selectOption('ml');
    await dialog.getByTestId('isvc-uri').fill('/models/iris');
    assert.match(await text('isvc-uri-msg'), /Start with a scheme/);
    await dialog.getByTestId('isvc-uri').fill('gs://kfserving-examples/models/sklearn/1.0/model');
    await dialog.getByTestId('isvc-protocol').selectOption('v2');
    await dialog.getByTestId('isvc-cpu').fill('250m');
    await dialog.getByTestId('isvc-memory').fill('512Mi');
    await shot('6-isvc-form');
    await dialog.getByTestId('isvc-create-submit').click();
    await dialog.waitFor({ state: 'detached' });

    const drawer = page.getByTestId('isvc-drawer');
    await until(
      'the new service is Ready',
      async () => (await drawer.getByTestId('drawer-status').textContent()) === 'Ready',
    );
    assert.equal(await drawer.getByTestId('isvc-drawer-url').textContent(), 'http://iris-e2e.ml.example.com');
    await drawer.getByTestId('isvc-pods').waitFor();
    assert.match((await row('iris-e2e').textContent()) ?? '', /Ready.*http:\/\/iris-e2e\.ml\.example\.com.*Loaded/);
    await shot('7-isvc-ready');

    await drawer.getByTestId('tab-test').click();
    const body = drawer.getByTestId('isvc-body');
    assert.match(await body.inputValue(), /"inputs"[\s\S]*"datatype": "FP32"/, 'a V2 model starts with a V2 example');
    await drawer.getByTestId('isvc-proto-v1').click();
    assert.match(await body.inputValue(), /"instances"/);
    await body.fill('{"instances": [[6.8, 2.8, 4.8, 1.4],, ]}');
    assert.match(await text('isvc-body-msg'), /Not valid JSON at line 1, column 37/);
    await until(
      'Send is disabled',
      async () => (await drawer.getByTestId('isvc-send').getAttribute('disabled')) !== null,
    );
    await shot('8-isvc-bad-json');
    assert.deepEqual(await axe('[data-testid=isvc-drawer]'), []);
    await body.fill('{"instances": [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2]]}');
    await drawer.getByTestId('isvc-send').click();
    const result = drawer.getByTestId('isvc-result');
    await until('the V1 answer', async () => /"predictions"/.test((await result.textContent().catch(() => '')) ?? ''));
    assert.equal(await result.getByTestId('isvc-result-status').textContent(), 'HTTP 200');
    assert.match((await result.getByTestId('isvc-latency').textContent()) ?? '', /^\d+ ms$/);
    assert.match((await result.getByTestId('isvc-response').textContent()) ?? '', /"predictions": \[\s*1,\s*0\s*\]/);
    await shot('9-isvc-v1-answer');

    await drawer.getByTestId('isvc-reset').click();
    await drawer.getByTestId('isvc-proto-v2').click();
    assert.match(await body.inputValue(), /"inputs"/);
    await drawer.getByTestId('isvc-send').click();
    await until('the V2 answer', async () => /"outputs"/.test((await result.textContent().catch(() => '')) ?? ''));
    const v2 = (await result.getByTestId('isvc-response').textContent()) ?? '';
    assert.match(v2, /"model_name": "iris-e2e"/);
    assert.match(v2, /"data": \[\s*1,\s*1\s*\]/);
    assert.match((await result.textContent()) ?? '', /V2 · POST \/v2\/models\/iris-e2e\/infer/);
    await shot('10-isvc-v2-answer');
    assert.deepEqual(pageErrors, []);
  });
});
