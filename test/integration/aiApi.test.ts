// The AI assistant routes of `kubegraf web`, over real HTTP, against the simulated demo cluster and the offline fake
// provider: configuring (keys never come back), a chat in which the model calls a read-only tool and answers with
// real cluster data, conversations that continue, redaction of everything that leaves the machine, and clear errors
// when no provider is configured or the provider cannot be reached.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eventually, kubectlOk } from '../helpers/sim';
import { echoScript, startFakeAiProvider, type FakeAiServer } from '../helpers/fakeAiProvider';
import { api, startHarness, type Harness } from './serverHelpers';

const KEY = 'sk-live-SECRETKEY-do-not-leak-9f3a';

describe('kubegraf web: AI assistant against the demo cluster and a fake provider', function () {
  this.timeout(90_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  let fake: FakeAiServer;
  /** Everything that left KubeGraf for the provider, as sent. */
  const sent = () => fake.requests.map((r) => r.raw).join('\n');

  before(async () => {
    [h, fake] = await Promise.all([startHarness(), startFakeAiProvider()]);
    A = api(h);
  });
  after(async () => {
    await fake?.close();
    await h?.close();
  });

  it('without a provider: lists the providers unconfigured, and chat answers 424 saying how to configure one', async () => {
    const p = await A.get('/api/ai/providers');
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.active, null);
    assert.deepEqual(
      p.body.providers.map((x: any) => x.id),
      ['openai', 'anthropic', 'ollama'],
    );
    assert.ok(p.body.providers.every((x: any) => x.configured === false && x.hasKey === false));
    assert.ok(p.body.tools.some((t: any) => t.name === 'list_incidents'));
    const c = await A.post('/api/ai/chat', { message: 'what is broken?' });
    assert.equal(c.status, 424, c.text);
    assert.equal(c.body.error.code, 'aiNotConfigured');
    assert.match(c.body.error.message, /\/api\/ai\/providers\/configure/);
  });

  it('rejects an unknown provider, a bad base URL, credentials in the URL, and a bad model with 400s', async () => {
    const bad = [
      { provider: 'gemini' },
      { provider: 'openai', baseUrl: 'not a url' },
      { provider: 'openai', baseUrl: 'ftp://example.com/v1' },
      { provider: 'openai', baseUrl: 'https://user:pw@example.com/v1' },
      { provider: 'ollama', model: 'bad model name;rm' },
      { provider: 'openai', apiKey: 'two words' },
    ];
    for (const b of bad) {
      const r = await A.post('/api/ai/providers/configure', b);
      assert.equal(r.status, 400, `${JSON.stringify(b)}: ${r.text}`);
      assert.ok(r.body.error.code && r.body.error.message, r.text);
    }
    assert.match(
      (await A.post('/api/ai/providers/configure', { provider: 'gemini' })).body.error.message,
      /unknown provider "gemini".*openai, anthropic, ollama/,
    );
    assert.equal((await A.get('/api/ai/providers')).body.active, null);
  });

  it('configures a provider; the API key is never returned by any route', async () => {
    const r = await A.post('/api/ai/providers/configure', {
      provider: 'openai',
      baseUrl: fake.baseUrl.openai,
      model: 'gpt-test',
      apiKey: KEY,
    });
    assert.equal(r.status, 200, r.text);
    const o = r.body.providers.find((x: any) => x.id === 'openai');
    assert.deepEqual(
      [r.body.active, o.configured, o.hasKey, o.keyHint, o.model, o.baseUrl],
      ['openai', true, true, '…9f3a', 'gpt-test', fake.baseUrl.openai],
    );
    for (const path of ['/api/ai/providers', '/api/settings']) {
      const g = await A.get(path);
      assert.equal(g.status, 200, path);
      assert.ok(!g.text.includes(KEY) && !g.text.includes('SECRETKEY'), `${path} leaks the key`);
    }
    assert.ok(!r.text.includes('SECRETKEY'));
    // Kept out of the database (and so out of its backups), in a file only the user can read.
    assert.match(r.body.keysKeptIn, /secrets\.json/);
    const backup = await A.post('/api/database/backup/now', {});
    assert.equal(backup.status, 200, backup.text);
    assert.ok(!readFileSync(backup.body.path).includes(Buffer.from(KEY)), 'the backup holds no key');
    const file = join(h.app.deps.dataDir, 'secrets.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(readFileSync(file, 'utf8').includes(KEY));
  });

  it('chat: the model calls list_incidents and the answer carries the real open incidents of the demo cluster', async () => {
    // Wait until detection has found the demo's crash-looping payments worker.
    const incidents = await eventually(
      async () => {
        const l = (await A.get('/api/incidents/v2?status=open')).body;
        return l?.incidents?.some((i: any) => i.resource.name.startsWith('payments-worker')) ? l.incidents : undefined;
      },
      45_000,
      500,
    );
    fake.requests.length = 0;
    fake.setScript(echoScript('list_incidents', { status: 'open' }));
    const r = await A.post('/api/ai/chat', { message: 'Which incidents are open right now?' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.provider, 'openai');
    assert.equal(r.body.model, 'gpt-test');
    assert.ok(r.body.conversationId);
    assert.deepEqual(
      r.body.toolCalls.map((t: any) => [t.name, t.ok]),
      [['list_incidents', true]],
    );
    assert.match(r.body.toolCalls[0].summary, /\d+ open incidents?/);
    // The answer quotes what the tool returned: the incidents the API lists.
    const worker = incidents.find((i: any) => i.resource.name.startsWith('payments-worker'));
    assert.ok(r.body.answer.includes(worker.id), r.body.answer.slice(0, 500));
    assert.ok(r.body.answer.includes(worker.resource.name));
    assert.deepEqual(
      r.body.messages.map((m: any) => m.role),
      ['user', 'assistant'],
    );
    assert.equal(r.body.messages[1].toolCalls[0].name, 'list_incidents');
    // What the provider got: the key as a bearer token, tools, a system prompt grounded in the context, the tool result.
    assert.equal(fake.requests.length, 2);
    const [first, second] = fake.requests;
    assert.equal(first.headers.authorization, `Bearer ${KEY}`);
    assert.ok(first.tools.includes('list_incidents') && first.tools.includes('get_pod_logs'));
    assert.ok(!first.tools.some((t) => /delete|apply|scale|exec|restart/.test(t)), 'only read-only tools');
    assert.match(first.body.messages[0].content, /kubegraf-sim/);
    assert.equal(second.toolResults.length, 1);
    assert.ok(second.toolResults[0].content.includes(worker.id));
  });

  it('continues a conversation by its id: the provider sees the earlier turn', async () => {
    fake.setScript(() => ({ text: 'First answer.' }));
    const a = await A.post('/api/ai/chat', { message: 'Remember the word pineapple.' });
    assert.equal(a.status, 200, a.text);
    fake.requests.length = 0;
    fake.setScript((r) => ({
      text: `You said: ${r.body.messages
        .filter((m: any) => m.role === 'user')
        .map((m: any) => m.content)
        .join(' | ')}`,
    }));
    const b = await A.post('/api/ai/chat', { message: 'What word?', conversationId: a.body.conversationId });
    assert.equal(b.status, 200, b.text);
    assert.equal(b.body.conversationId, a.body.conversationId);
    assert.match(b.body.answer, /Remember the word pineapple\. \| What word\?/);
    assert.deepEqual(
      b.body.messages.map((m: any) => m.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
    const unknown = await A.post('/api/ai/chat', { message: 'hi', conversationId: 'no-such-conversation' });
    assert.equal(unknown.status, 404, unknown.text);
    assert.equal((await A.post('/api/ai/chat', { message: '   ' })).status, 400);
  });

  it('redacts before anything leaves: secret values, sensitive ConfigMap values, tokens in the prompt, emails (restored in the answer)', async () => {
    await kubectlOk(h.sim, [
      'create',
      'configmap',
      'app-settings',
      '-n',
      'shop',
      '--from-literal=DB_PASSWORD=hunter2-xyz-77',
      '--from-literal=OWNER=alice.ops@example.com',
      '--from-literal=LOG_LEVEL=debug',
    ]);
    fake.requests.length = 0;
    let step = 0;
    fake.setScript((r) => {
      step++;
      if (step === 1)
        return {
          toolCalls: [
            { name: 'get_resource', args: { kind: 'secret', namespace: 'payments', name: 'ledger-db' } },
            { name: 'get_resource', args: { kind: 'configmap', namespace: 'shop', name: 'app-settings' } },
          ],
        };
      return { text: `Results: ${r.toolResults.map((t) => t.content).join('\n')}` };
    });
    const r = await A.post('/api/ai/chat', {
      message:
        'Check ledger-db. My kubectl token is Bearer abcdEFGH1234ijklMNOP5678, the db url postgres://ledger:s3cr3t@ledger-db:5432/ledger',
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.toolCalls.map((t: any) => [t.name, t.ok]),
      [
        ['get_resource', true],
        ['get_resource', true],
      ],
    );
    const out = sent();
    // The tools did run and their (redacted) results were sent: key names, sizes, harmless values.
    assert.match(out, /dataKeys/);
    assert.match(out, /password/);
    assert.match(out, /LOG_LEVEL/);
    assert.match(out, /debug/);
    for (const leak of [
      's3cr3t',
      Buffer.from('s3cr3t').toString('base64'),
      Buffer.from('postgres://ledger:s3cr3t@ledger-db:5432/ledger').toString('base64'),
      'hunter2-xyz-77',
      'abcdEFGH1234ijklMNOP5678',
      'alice.ops@example.com',
      KEY,
    ]) {
      assert.ok(!out.includes(leak), `"${leak}" reached the provider`);
    }
    assert.ok(r.body.redactions > 0);
    // The email went out as a placeholder and comes back real in the answer the user sees.
    assert.match(out, /<email-1>/);
    assert.ok(r.body.answer.includes('alice.ops@example.com'));
  });

  it('works with the Anthropic and Ollama wire formats end to end, and in the read-only viewer context', async () => {
    for (const provider of ['anthropic', 'ollama'] as const) {
      const c = await A.post('/api/ai/providers/configure', {
        provider,
        baseUrl: fake.baseUrl[provider],
        model: `${provider}-model`,
        ...(provider === 'anthropic' ? { apiKey: 'sk-ant-test-key-0000' } : {}),
      });
      assert.equal(c.status, 200, c.text);
      fake.requests.length = 0;
      fake.setScript(echoScript('list_resources', { kind: 'deployments', namespace: 'shop' }));
      const r = await A.post('/api/ai/chat', { message: 'Which deployments run in shop?', namespace: 'shop' });
      assert.equal(r.status, 200, `${provider}: ${r.text}`);
      assert.equal(r.body.provider, provider);
      assert.equal(r.body.model, `${provider}-model`);
      assert.ok(r.body.answer.includes('frontend') && r.body.answer.includes('checkout'), r.body.answer.slice(0, 300));
      assert.equal(fake.requests[0].provider, provider);
    }
    // The viewer may only read: the tools only read, so chat works there too.
    fake.setScript(echoScript('list_resources', { kind: 'pods', namespace: 'payments' }));
    const v = await A.post('/api/ai/chat', { message: 'pods in payments?', context: h.sim.contexts.viewer });
    assert.equal(v.status, 200, v.text);
    assert.deepEqual(
      v.body.toolCalls.map((t: any) => [t.name, t.ok]),
      [['list_resources', true]],
    );
    assert.ok(v.body.answer.includes('payments-api'));
  });

  it('a tool error goes back to the model as a result, not a failed chat', async () => {
    fake.setScript(echoScript('get_pod_status', { namespace: 'shop', name: 'no-such-pod' }));
    const r = await A.post('/api/ai/chat', { message: 'status of no-such-pod?' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.toolCalls[0].ok, false);
    assert.match(r.body.answer, /not ?found|NotFound/i);
  });

  it('an unreachable provider is a clear 503 naming the provider and URL; a provider error a 502', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await A.post('/api/ai/providers/configure', { provider: 'ollama', baseUrl: `http://127.0.0.1:${port}` });
    const r = await A.post('/api/ai/chat', { message: 'hello?' });
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.error.code, 'providerUnreachable');
    assert.ok(r.body.error.message.includes(`Ollama at http://127.0.0.1:${port}`), r.body.error.message);
    assert.ok(!/\n\s+at /.test(r.text), 'no stack trace');
    await A.post('/api/ai/providers/configure', { provider: 'openai' });
    fake.setScript(() => ({ httpError: { status: 401, message: 'Incorrect API key provided' } }));
    const e = await A.post('/api/ai/chat', { message: 'hello?' });
    assert.equal(e.status, 502, e.text);
    assert.equal(e.body.error.code, 'providerAuth');
    assert.match(e.body.error.message, /Incorrect API key provided/);
    // The public OpenAI endpoint without a key: say what is missing instead of trying.
    const k = await A.post('/api/ai/providers/configure', { provider: 'openai', baseUrl: '', clearKey: true });
    assert.equal(k.body.providers.find((x: any) => x.id === 'openai').hasKey, false);
    const n = await A.post('/api/ai/chat', { message: 'hello?' });
    assert.equal(n.status, 424, n.text);
    assert.match(n.body.error.message, /needs an API key/);
  });
});
