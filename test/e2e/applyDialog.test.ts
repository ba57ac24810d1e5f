// The dashboard's "Apply YAML" dialog in real Chromium against `kubegraf web --demo`: a multi-document manifest is
// reviewed (server-side dry run, per-object action and diff), applied, read back from the cluster, then changed and
// re-reviewed from the command palette; a manifest the server cannot read is explained. Debian's chromium, driven by
// playwright-core; nothing is downloaded.
import assert from 'node:assert/strict';
import { callApi, type DemoPage, useDemoPage } from './helpers/webDemo';

const NS = `apply-e2e-${process.pid}`;
const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${NS}
data:
  mode: blue
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
`;

describe('Apply YAML dialog (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'apply' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const get = (path: string) => callApi(server, 'GET', path);
  const dialog = () => page.getByTestId('apply-dialog');
  const objects = (list: string) => page.locator(`[data-testid=${list}] [data-testid=apply-object]`);
  const actions = async (list: string) =>
    objects(list).evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-action')} ${e.querySelector('strong')?.textContent ?? ''}`),
    );
  const replaceText = async (text: string) => {
    await page.locator('[data-testid=apply-editor] .cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  };

  it('reviews a new manifest per object before anything is written, then applies it', async () => {
    await page.getByTestId('apply-yaml-button').click();
    await dialog().waitFor();
    assert.equal(
      (await page.getByTestId('apply-apply').getAttribute('disabled')) !== null,
      true,
      'nothing reviewed yet: Apply is disabled',
    );
    await replaceText(MANIFEST);
    await page.getByTestId('apply-review').click();
    await page.getByTestId('apply-review-results').waitFor();
    assert.deepEqual(await actions('apply-review-results'), [
      `created ConfigMap ${NS}/settings`,
      `created Namespace ${NS}`,
    ]);
    assert.match(await page.getByTestId('apply-status').innerText(), /2 created, 0 configured, 0 unchanged, 0 failed/);
    assert.equal((await get(`/api/namespace/details?name=${NS}`)).status, 404, 'a review writes nothing');
    await shot('review');

    await page.getByTestId('apply-apply').click();
    await page.getByTestId('apply-results').waitFor();
    assert.deepEqual(await actions('apply-results'), [`created ConfigMap ${NS}/settings`, `created Namespace ${NS}`]);
    const cm = await get(`/api/configmap/details?namespace=${NS}&name=settings`);
    assert.equal(cm.status, 200);
    assert.equal(cm.body.object.data.mode, 'blue');
    await page.getByTestId('apply-close').click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('reopens from the command palette with the manifest kept, and shows a change as configured with its diff', async () => {
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('apply yaml');
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    assert.match(
      (await page.locator('[data-testid=apply-editor] .cm-content').innerText()).replace(/\u00a0/g, ' '),
      /mode: blue/,
    );
    await replaceText(MANIFEST.replace('mode: blue', 'mode: green'));
    await page.getByTestId('apply-review').click();
    await page.getByTestId('apply-review-results').waitFor();
    assert.deepEqual(await actions('apply-review-results'), [
      `configured ConfigMap ${NS}/settings`,
      `unchanged Namespace ${NS}`,
    ]);
    const diff = await page
      .locator('[data-testid=apply-review-results] [data-testid=apply-object-diff]')
      .first()
      .innerText();
    assert.match(diff, /-\s+mode: blue/);
    assert.match(diff, /\+\s+mode: green/);
    await page.getByTestId('apply-apply').click();
    await page.getByTestId('apply-results').waitFor();
    assert.equal((await get(`/api/configmap/details?namespace=${NS}&name=settings`)).body.object.data.mode, 'green');
  });

  it('names the document and line of an object the server cannot read', async () => {
    await replaceText(`${MANIFEST}---\napiVersion: v1\nkind: ConfigMap\ndata: {}\n`);
    await page.getByTestId('apply-review').click();
    const err = page.getByTestId('apply-error');
    await err.waitFor();
    assert.match(await err.innerText(), /document 3 \(line \d+\): the object has no metadata\.name/);
    assert.ok((await page.getByTestId('apply-apply').getAttribute('disabled')) !== null, 'Apply stays disabled');
    assert.deepEqual(pageErrors, []);
  });
});
