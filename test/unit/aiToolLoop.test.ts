// The tool loop with a scripted model and stand-in engines: tools run and their redacted results go back, bad calls
// come back as readable errors, the round cap holds, and provider settings never show the key.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chat,
  configureProvider,
  MAX_ROUNDS,
  providersView,
  readAiSettings,
  resolveProvider,
  toolLoop,
  type TurnFn,
} from '../../src/core/ai/assistant';
import type { ChatMessage, ChatTurn, ToolSpec } from '../../src/core/ai/providers';
import { Redactor } from '../../src/core/ai/redact';
import type { ApiDeps } from '../../src/core/api/deps';
import { fileSecretStore } from '../../src/core/store/secrets';
import type { ApiError } from '../../src/core/api/errors';
import type { KubeGrafStore } from '../../src/core/store/store';

const incident = {
  id: 'inc-1',
  context: 'ctx',
  type: 'pod_crash_loop',
  severity: 'high',
  status: 'open',
  title: 'payments-worker is crash-looping',
  description: '',
  signature: 's',
  resource: { kind: 'Pod', namespace: 'payments', name: 'payments-worker-abc' },
  evidence: {},
  rootCause: 'exits with "auth failed: Authorization: Bearer sekr1t-t0ken-value"',
  recommendedFixes: [],
  firstSeen: '2026-01-01T00:00:00Z',
  lastSeen: '2026-01-01T00:00:00Z',
  occurrences: 3,
  timestamp: '2026-01-01T00:00:00Z',
};

function fakeStore(): KubeGrafStore {
  const m = new Map<string, string>();
  return {
    getSetting: (k: string) => (m.has(k) ? JSON.parse(m.get(k)!) : undefined),
    setSetting: async (k: string, v: unknown) => void m.set(k, JSON.stringify(v)),
  } as unknown as KubeGrafStore;
}

function fakeDeps(): ApiDeps {
  const summary = {
    total: 1,
    open: 1,
    resolved: 0,
    bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
    byType: {},
    byNamespace: {},
  };
  return {
    kube: { currentContext: () => 'ctx' },
    incidents: {
      start: async () => undefined,
      list: () => ({ incidents: [incident], summary, synced: true, context: 'ctx' }),
      summary: () => summary,
    },
    store: fakeStore(),
    secrets: fileSecretStore(mkdtempSync(join(tmpdir(), 'kubegraf-ai-secrets-'))),
    demo: false,
  } as unknown as ApiDeps;
}

/** A model that plays `turns` in order and records what it was given. */
function scripted(turns: Array<Partial<ChatTurn>>) {
  const seen: Array<{ system: string; messages: ChatMessage[]; tools: ToolSpec[]; toolChoice?: string }> = [];
  const fn: TurnFn = async (req) => {
    seen.push({ ...req, messages: [...req.messages] });
    const t = turns[Math.min(seen.length - 1, turns.length - 1)];
    return { text: t.text ?? '', toolCalls: t.toolCalls ?? [], stopReason: t.stopReason ?? 'stop' };
  };
  return { fn, seen };
}

const call = (name: string, args: unknown, id = `c-${name}`) => ({
  id,
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
});

describe('AI tool loop', () => {
  it('runs the tool the model asks for and sends back its redacted result, then returns the answer', async () => {
    const m = scripted([
      { text: 'Looking.', toolCalls: [call('list_incidents', { status: 'open' })] },
      { text: 'One incident: payments-worker.' },
    ]);
    const msgs: ChatMessage[] = [{ role: 'user', content: 'what is wrong?' }];
    const seenCalls: string[] = [];
    const r = await toolLoop(m.fn, 'sys', msgs, fakeDeps(), {}, new Redactor(), { face: 'http' }, (c) =>
      seenCalls.push(c.name),
    );
    assert.equal(r.text, 'One incident: payments-worker.');
    assert.equal(r.truncated, false);
    assert.deepEqual(r.toolCalls, [
      { name: 'list_incidents', args: 'status=open', summary: '1 open incident', ok: true },
    ]);
    assert.deepEqual(seenCalls, ['list_incidents']);
    assert.equal(m.seen.length, 2);
    assert.ok(
      m.seen[0].tools.some((t) => t.name === 'list_incidents' && (t.parameters as { type: string }).type === 'object'),
    );
    const result = m.seen[1].messages.find((x) => x.role === 'tool') as Extract<ChatMessage, { role: 'tool' }>;
    assert.equal(result.toolCallId, 'c-list_incidents');
    assert.match(result.content, /payments-worker is crash-looping/);
    assert.ok(!result.content.includes('sekr1t-t0ken-value'), result.content);
    const assistant = m.seen[1].messages.find((x) => x.role === 'assistant') as Extract<
      ChatMessage,
      { role: 'assistant' }
    >;
    assert.equal(assistant.toolCalls?.[0].name, 'list_incidents');
  });

  it('bad calls (unknown tool, invalid or non-JSON arguments) come back to the model as errors; the loop goes on', async () => {
    const m = scripted([
      {
        toolCalls: [
          call('delete_pod', { name: 'x' }),
          call('list_incidents', { status: 'bogus' }),
          call('get_pod_status', '{"namespace": "shop", "na'),
        ],
      },
      { text: 'Sorry.' },
    ]);
    const r = await toolLoop(m.fn, 'sys', [{ role: 'user', content: 'hi' }], fakeDeps(), {}, new Redactor(), {
      face: 'http',
    });
    assert.equal(r.text, 'Sorry.');
    assert.deepEqual(
      r.toolCalls.map((c) => c.ok),
      [false, false, false],
    );
    const results = m.seen[1].messages.filter((x): x is Extract<ChatMessage, { role: 'tool' }> => x.role === 'tool');
    assert.match(results[0].content, /no tool named "delete_pod"/);
    assert.match(results[1].content, /invalid arguments for list_incidents: status/);
    assert.match(results[2].content, /not a JSON object/);
    assert.ok(results.every((x) => x.isError));
  });

  it('stops at the round cap: the last turn may not call tools and the result says it was cut short', async () => {
    const m = scripted([{ text: 'again', toolCalls: [call('list_incidents', {})] }]);
    const r = await toolLoop(m.fn, 'sys', [{ role: 'user', content: 'loop forever' }], fakeDeps(), {}, new Redactor(), {
      face: 'http',
    });
    assert.equal(m.seen.length, MAX_ROUNDS + 1);
    assert.equal(m.seen[MAX_ROUNDS].toolChoice, 'none');
    assert.ok(m.seen.slice(0, MAX_ROUNDS).every((s) => s.tools.length > 0 && s.toolChoice === 'auto'));
    assert.equal(r.truncated, true);
    assert.equal(r.toolCalls.length, MAX_ROUNDS);
  });

  it('chat(): no provider is a 424; configured, it answers, keeps the conversation, restores placeholders, never shows the key', async () => {
    const deps = fakeDeps();
    await assert.rejects(
      chat(deps, { message: 'hi' }, { face: 'http' }),
      (e: ApiError) => e.status === 424 && e.code === 'aiNotConfigured',
    );
    await assert.rejects(configureProvider(deps, { provider: 'nope' }), (e: ApiError) => e.status === 400);
    await assert.rejects(
      configureProvider(deps, { provider: 'openai', baseUrl: 'javascript:alert(1)' }),
      (e: ApiError) => e.status === 400,
    );
    await assert.rejects(
      configureProvider(deps, { provider: 'openai', apiKey: 'two words' }),
      (e: ApiError) => e.status === 400,
    );
    const view = await configureProvider(deps, { provider: 'ollama', model: 'qwen2.5:7b', apiKey: 'proxy-key-abcd' });
    assert.ok(!JSON.stringify(view).includes('proxy-key-abcd'));
    assert.equal(view.providers.find((p) => p.id === 'ollama')?.keyHint, '…abcd');
    assert.equal((await resolveProvider(deps)).apiKey, 'proxy-key-abcd');
    assert.ok(!JSON.stringify(await providersView(deps)).includes('proxy-key-abcd'));
    assert.ok(
      !JSON.stringify(readAiSettings(deps.store)).includes('proxy-key-abcd'),
      'the key is kept in the secret store, not the settings',
    );
    assert.equal(await deps.secrets.get('ai.ollama.apiKey'), 'proxy-key-abcd');
    const m = scripted([{ text: 'Mail <email-1> please.' }]);
    const r = await chat(deps, { message: 'who owns it? ask dev@corp.example' }, { face: 'http' }, () => m.fn);
    assert.equal(r.provider, 'ollama');
    assert.equal(r.model, 'qwen2.5:7b');
    assert.equal(r.answer, 'Mail dev@corp.example please.');
    assert.ok(!JSON.stringify(m.seen).includes('dev@corp.example'));
    assert.match(m.seen[0].system, /Cluster context: ctx/);
    assert.match(m.seen[0].system, /Open incidents right now: 1/);
    const r2 = await chat(
      deps,
      { message: 'and then?', conversationId: r.conversationId },
      { face: 'http' },
      () => m.fn,
    );
    assert.deepEqual(
      m.seen[1].messages.map((x) => x.role),
      ['user', 'assistant', 'user'],
    );
    assert.equal(r2.messages.length, 4);
    // With accounts on, a conversation is its starter's only.
    const mine = await chat(deps, { message: 'private' }, { face: 'http', user: 'alice' }, () => m.fn);
    await assert.rejects(
      chat(deps, { message: 'peek', conversationId: mine.conversationId }, { face: 'http', user: 'bob' }, () => m.fn),
      (e: ApiError) => e.status === 404,
    );
    assert.equal(
      (
        await chat(
          deps,
          { message: 'more', conversationId: mine.conversationId },
          { face: 'http', user: 'alice' },
          () => m.fn,
        )
      ).messages.length,
      4,
    );
  });
});
