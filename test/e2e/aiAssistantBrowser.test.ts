// The AI Assistant page in real Chromium, over the local server on the demo cluster and the offline fake provider:
// the user sees why chat cannot work yet, configures a provider (the key field is a password field and the key never
// comes back into the page), asks a question, and sees the answer with the cluster tools it used.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeAiApp, useFakeAiApp } from './helpers/fakeAiApp';
import { SHOTS } from './helpers/webDemo';
import { echoScript } from '../helpers/fakeAiProvider';
import { kubectlOk } from '../helpers/sim';

const KEY = 'sk-browser-test-key-7777';

describe('AI Assistant page (Chromium, fake provider)', function () {
  this.timeout(120_000);
  let { sim, app, fake, page, pageErrors } = {} as FakeAiApp;
  useFakeAiApp(
    {
      name: 'ai-e2e',
      script: echoScript('list_resources', { kind: 'deployments', namespace: 'shop' }),
      context: { viewport: { width: 1300, height: 900 }, colorScheme: 'light' },
    },
    (started) => ({ sim, app, fake, page, pageErrors } = started),
  );

  it('says how to configure a provider, saves one without echoing the key, and answers with the tools it used', async () => {
    await page.goto(`${app.server.url}/?token=${app.token}#/ai-assistant`);
    await page.getByTestId('ai-config').waitFor();
    await page.getByTestId('ai-input').fill('Which deployments run in shop?');
    await page.getByTestId('ai-send').click();
    const err = page.getByTestId('ai-error');
    await err.waitFor();
    assert.match((await err.textContent()) ?? '', /No AI provider is set up yet/);

    assert.equal(await page.getByTestId('ai-api-key').getAttribute('type'), 'password');
    await page.getByTestId('ai-provider').selectOption('openai');
    await page.getByTestId('ai-base-url').fill(fake.baseUrl.openai);
    await page.getByTestId('ai-model').fill('gpt-e2e');
    await page.getByTestId('ai-api-key').fill(KEY);
    await page.getByTestId('ai-save').click();
    assert.match((await page.getByTestId('ai-active').textContent()) ?? '', /gpt-e2e/);

    // The failed message was given back for another try.
    assert.equal(await page.getByTestId('ai-input').inputValue(), 'Which deployments run in shop?');
    await page.getByTestId('ai-send').click();
    const answer = page.getByTestId('ai-msg-assistant');
    await answer.waitFor();
    // The tool's count is the cluster's.
    const inShop = (await kubectlOk(sim, ['get', 'deployments', '-n', 'shop', '-o', 'name'])).trim().split('\n').length;
    assert.match(
      (await page.getByTestId('ai-tool-calls').textContent()) ?? '',
      new RegExp(`list_resources.*\\b${inShop} deployments in shop`),
    );
    const text = (await answer.textContent()) ?? '';
    for (const d of ['frontend', 'cart', 'catalog', 'checkout'])
      assert.ok(text.includes(d), `${d} missing from ${text.slice(0, 300)}`);
    assert.equal(await page.getByTestId('ai-msg-user').count(), 1);
    assert.equal(fake.requests[0].headers.authorization, `Bearer ${KEY}`);

    await page.getByTestId('ai-toggle-config').click();
    assert.equal(await page.getByTestId('ai-api-key').inputValue(), '');
    assert.match((await page.getByTestId('ai-api-key').getAttribute('placeholder')) ?? '', /saved \(…7777\)/);
    assert.ok(!(await page.content()).includes(KEY), 'the key is in the page');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'browser-ai-assistant.png') });
    assert.deepEqual(pageErrors, []);
  });
});
