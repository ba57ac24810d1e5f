// Provider clients against the offline fake: each wire format read correctly however the bytes are split, tool calls
// assembled, conversations sent back in each provider's shape, and every failure a clear error naming provider and URL.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ndjsonLines, sseEvents } from '../../src/core/ai/streams';
import {
  anthropicBody,
  chatTurn,
  ollamaBody,
  openaiBody,
  type ChatRequest,
  type ProviderConfig,
} from '../../src/core/ai/providers';
import { ApiError } from '../../src/core/api/errors';
import { startFakeAiProvider, type FakeAiServer, type FakeProvider } from '../helpers/fakeAiProvider';

async function* pieces(s: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(s, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('AI stream readers', () => {
  it('SSE: events split mid-line and mid-character, comments skipped, a last event without its blank line kept', async () => {
    const text =
      ': keep-alive\n\nevent: content_block_delta\ndata: {"t":"héllo ✓"}\n\ndata: {"a":1}\r\n\r\ndata: [DONE]';
    for (const size of [1, 2, 5, 64]) {
      const evs = await collect(sseEvents(pieces(text, size)));
      assert.deepEqual(
        evs.map((e) => [e.event, e.data]),
        [
          ['content_block_delta', '{"t":"héllo ✓"}'],
          [undefined, '{"a":1}'],
          [undefined, '[DONE]'],
        ],
        `size ${size}`,
      );
    }
  });

  it('NDJSON: lines split anywhere, blank lines skipped, a last line without newline kept; a non-JSON line is an error', async () => {
    const text = '{"a":"é"}\n\n{"b":2}\n{"c":3}';
    for (const size of [1, 3, 100])
      assert.deepEqual(await collect(ndjsonLines(pieces(text, size))), [{ a: 'é' }, { b: 2 }, { c: 3 }]);
    await assert.rejects(collect(ndjsonLines(pieces('{"a":1}\nnope\n', 4))), /not a JSON line: nope/);
  });
});

describe('AI provider clients against the fake provider', function () {
  let fake: FakeAiServer;
  before(async () => (fake = await startFakeAiProvider({ chunkSize: 5 })));
  after(async () => fake?.close());
  beforeEach(() => (fake.requests.length = 0));

  const cfg = (id: FakeProvider, extra: Partial<ProviderConfig> = {}): ProviderConfig => ({
    id,
    model: 'test-model',
    baseUrl: fake.baseUrl[id],
    apiKey: 'sk-test-key-123456',
    ...extra,
  });
  const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
    system: 'be brief',
    messages: [{ role: 'user', content: 'what is broken?' }],
    tools: [
      {
        name: 'list_incidents',
        description: 'list',
        parameters: { type: 'object', properties: { namespace: { type: 'string' } } },
      },
    ],
    ...over,
  });

  for (const id of ['openai', 'anthropic', 'ollama'] as const) {
    it(`${id}: streams text, and assembles a tool call with its arguments`, async () => {
      fake.setScript((r) =>
        r.toolResults.length
          ? { text: `Done: ${r.toolResults[0].content} — naïve ✓` }
          : {
              text: 'Checking now.',
              toolCalls: [{ name: 'list_incidents', args: { namespace: 'shop', status: 'open' } }],
            },
      );
      const t1 = await chatTurn(cfg(id), req());
      assert.equal(t1.text, 'Checking now.');
      assert.equal(t1.toolCalls.length, 1);
      assert.equal(t1.toolCalls[0].name, 'list_incidents');
      assert.deepEqual(JSON.parse(t1.toolCalls[0].arguments), { namespace: 'shop', status: 'open' });
      assert.ok(t1.toolCalls[0].id);
      // The follow-up carries the assistant's call and the tool result in the provider's own shape.
      const t2 = await chatTurn(
        cfg(id),
        req({
          messages: [
            { role: 'user', content: 'what is broken?' },
            { role: 'assistant', content: t1.text, toolCalls: t1.toolCalls },
            { role: 'tool', toolCallId: t1.toolCalls[0].id, name: 'list_incidents', content: '2 incidents' },
          ],
        }),
      );
      assert.equal(t2.text, 'Done: 2 incidents — naïve ✓');
      assert.equal(t2.toolCalls.length, 0);
      const [r1, r2] = fake.requests;
      assert.equal(r1.body.model, 'test-model');
      assert.equal(r1.body.stream, true);
      assert.deepEqual(r1.tools, ['list_incidents']);
      if (id === 'openai') {
        assert.equal(r1.headers.authorization, 'Bearer sk-test-key-123456');
        assert.deepEqual(r1.body.messages[0], { role: 'system', content: 'be brief' });
        assert.equal(r2.body.messages[2].tool_calls[0].function.name, 'list_incidents');
        assert.deepEqual(r2.body.messages[3], {
          role: 'tool',
          tool_call_id: t1.toolCalls[0].id,
          content: '2 incidents',
        });
      } else if (id === 'anthropic') {
        assert.equal(r1.headers['x-api-key'], 'sk-test-key-123456');
        assert.equal(r1.headers['anthropic-version'], '2023-06-01');
        assert.equal(r1.body.system, 'be brief');
        assert.ok(r1.body.max_tokens > 0);
        assert.equal(r1.body.tools[0].input_schema.type, 'object');
        assert.deepEqual(r2.body.messages[1].content[1], {
          type: 'tool_use',
          id: t1.toolCalls[0].id,
          name: 'list_incidents',
          input: { namespace: 'shop', status: 'open' },
        });
        assert.deepEqual(r2.body.messages[2], {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: t1.toolCalls[0].id, content: '2 incidents' }],
        });
      } else {
        assert.deepEqual(r2.body.messages[2].tool_calls[0].function, {
          name: 'list_incidents',
          arguments: { namespace: 'shop', status: 'open' },
        });
        assert.deepEqual(r2.body.messages[3], { role: 'tool', content: '2 incidents', tool_name: 'list_incidents' });
      }
    });

    it(`${id}: an HTTP error in the provider's shape becomes a clear error with the provider's message`, async () => {
      fake.setScript(() => ({ httpError: { status: 401, message: 'Incorrect API key provided' } }));
      await assert.rejects(
        chatTurn(cfg(id), req()),
        (e: ApiError) =>
          e.code === 'providerAuth' &&
          e.status === 502 &&
          /Incorrect API key provided/.test(e.message) &&
          e.message.includes(fake.baseUrl[id]),
      );
      fake.setScript(() => ({ httpError: { status: 500, message: 'model crashed' } }));
      await assert.rejects(
        chatTurn(cfg(id), req()),
        (e: ApiError) => e.code === 'providerError' && /500: model crashed/.test(e.message),
      );
    });

    it(`${id}: an error inside a 200 stream is an error, not a half answer`, async () => {
      fake.setScript(() => ({ text: 'partial answer here', streamError: 'Overloaded' }));
      await assert.rejects(
        chatTurn(cfg(id), req()),
        (e: ApiError) => e.code === 'providerError' && e.status === 502 && /Overloaded/.test(e.message),
      );
    });
  }

  it('tool choice "none" (the last round) in each provider\'s terms, tools still declared where the API needs them', () => {
    const none = req({ toolChoice: 'none' });
    const o = openaiBody(cfg('openai'), none);
    assert.equal(o.tool_choice, 'none');
    assert.equal((o.tools as unknown[]).length, 1);
    const a = anthropicBody(cfg('anthropic'), none);
    assert.deepEqual(a.tool_choice, { type: 'none' });
    assert.equal((a.tools as unknown[]).length, 1);
    assert.equal(ollamaBody(cfg('ollama'), none).tools, undefined);
    assert.equal(openaiBody(cfg('openai'), req()).tool_choice, undefined);
  });

  it('openai: a vLLM-style usage chunk with choices:null is accepted', async () => {
    const v = await startFakeAiProvider({ nullChoicesUsage: true, chunkSize: 3, script: () => ({ text: 'fine' }) });
    try {
      assert.equal((await chatTurn({ id: 'openai', model: 'm', baseUrl: v.baseUrl.openai }, req())).text, 'fine');
    } finally {
      await v.close();
    }
  });

  it('an unreachable provider is a 503 naming the provider and URL; a silent one a 504', async () => {
    // A port nobody listens on.
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const dead = { id: 'ollama' as const, model: 'llama3.2', baseUrl: `http://127.0.0.1:${port}` };
    await assert.rejects(
      chatTurn(dead, req()),
      (e: ApiError) =>
        e.status === 503 &&
        e.code === 'providerUnreachable' &&
        e.message.includes(`Ollama at http://127.0.0.1:${port}`) &&
        /ECONNREFUSED/.test(e.message),
    );
    fake.setScript(() => ({ hang: true }));
    await assert.rejects(
      chatTurn(cfg('openai', { timeoutMs: 300 }), req()),
      (e: ApiError) => e.status === 504 && e.code === 'providerTimeout' && e.message.includes(fake.baseUrl.openai),
    );
  });
});
