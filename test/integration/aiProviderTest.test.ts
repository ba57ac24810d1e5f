// `POST /api/ai/providers/test` over real HTTP against the offline fake provider: a test reaches the endpoint with the
// settings given (or the saved key), says what failed with the provider's error code, and saves nothing.
import assert from 'node:assert/strict';
import { startFakeAiProvider, type FakeAiServer } from '../helpers/fakeAiProvider';
import { api, startHarness, type Harness } from './serverHelpers';

const KEY = 'sk-provider-test-1234';

describe('kubegraf web: AI provider connection test', function () {
  this.timeout(90_000);
  let h: Harness;
  let fake: FakeAiServer;

  before(async () => {
    [h, fake] = await Promise.all([startHarness(), startFakeAiProvider({ script: () => ({ text: 'OK' }) })]);
  });
  after(async () => {
    await fake?.close();
    await h?.close();
  });

  it('answers with the model and what it said, sends the key given, and saves nothing', async () => {
    const r = await api(h).post('/api/ai/providers/test', {
      provider: 'openai',
      baseUrl: fake.baseUrl.openai,
      model: 'gpt-test',
      apiKey: KEY,
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.ok, true);
    assert.equal(r.body.model, 'gpt-test');
    assert.equal(r.body.reply, 'OK');
    assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);
    assert.equal(fake.requests.at(-1)?.body.model, 'gpt-test');
    const p = await api(h).get('/api/ai/providers');
    assert.equal(p.body.active, null);
    assert.ok(p.body.providers.every((x: { configured: boolean; hasKey: boolean }) => !x.configured && !x.hasKey));
    assert.deepEqual(p.body.limits, { maxToolRounds: 6, maxToolCallsPerRound: 8, historyMessages: 24 });
  });

  it('uses the saved key when none is given', async () => {
    const c = await api(h).post('/api/ai/providers/configure', {
      provider: 'ollama',
      baseUrl: fake.baseUrl.ollama,
      model: 'llama-test',
      apiKey: KEY,
    });
    assert.equal(c.status, 200, c.text);
    const r = await api(h).post('/api/ai/providers/test', { provider: 'ollama' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.model, 'llama-test');
    assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);
  });

  it('says what is wrong: no key for the public API, an endpoint nobody answers, a bad URL', async () => {
    const noKey = await api(h).post('/api/ai/providers/test', { provider: 'anthropic' });
    assert.equal(noKey.status, 400);
    assert.equal(noKey.body.error.code, 'aiKeyMissing');
    const down = await api(h).post('/api/ai/providers/test', {
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: KEY,
    });
    assert.equal(down.status, 503);
    assert.equal(down.body.error.code, 'providerUnreachable');
    const bad = await api(h).post('/api/ai/providers/test', { provider: 'openai', baseUrl: 'ftp://x', apiKey: KEY });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /http:\/\/ or https:\/\//);
  });
});
