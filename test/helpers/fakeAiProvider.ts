// An offline stand-in for the three provider APIs, speaking each wire format as the providers document it (see the
// AI providers guide): OpenAI chat completions as SSE chunks (tool call arguments in fragments, a usage-only chunk,
// `data: [DONE]`), Anthropic Messages as typed SSE events (ping, tool_use with input_json_delta), Ollama /api/chat as
// NDJSON (tool calls whole, arguments as objects). A script decides each reply; every request is recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeProvider = 'openai' | 'anthropic' | 'ollama';

/** The request, reduced to what scripts look at, whatever the wire format. */
export interface SeenRequest {
  provider: FakeProvider;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body text: what left KubeGraf, byte for byte. */
  raw: string;
  body: any;
  /** The last user text (not a tool result). */
  lastUser: string;
  /** Tool results sent since the last assistant tool call, in order. */
  toolResults: Array<{ id?: string; name?: string; content: string }>;
  /** Names of the tools offered. */
  tools: string[];
}

export interface Reply {
  text?: string;
  toolCalls?: Array<{ id?: string; name: string; args: unknown }>;
  /** Answer with an HTTP error in the provider's own error shape. */
  httpError?: { status: number; message: string };
  /** Fail inside a 200 stream, after the first text fragment. */
  streamError?: string;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export type Script = (req: SeenRequest) => Reply;

export interface FakeOptions {
  script?: Script;
  /** Write the stream in pieces of this many bytes (splits lines and UTF-8 characters). Default 9. */
  chunkSize?: number;
  /** vLLM style: the usage-only chunk carries `choices: null` instead of `[]`. */
  nullChoicesUsage?: boolean;
}

export interface FakeAiServer {
  url: string;
  /** Base URLs to configure per provider. */
  baseUrl: Record<FakeProvider, string>;
  requests: SeenRequest[];
  setScript(s: Script): void;
  close(): Promise<void>;
}

/** Calls a tool on the first request of a turn, then answers quoting the tool result (so tests see real data flow). */
export const echoScript =
  (tool: string, args: unknown = {}): Script =>
  (r) =>
    r.toolResults.length
      ? { text: `Tool said: ${r.toolResults.map((t) => t.content).join('\n')}` }
      : { text: 'Let me check.', toolCalls: [{ name: tool, args }] };

function reduce(provider: FakeProvider, path: string, headers: http.IncomingHttpHeaders, raw: string): SeenRequest {
  const body = JSON.parse(raw);
  const msgs: any[] = body.messages ?? [];
  let lastUser = '';
  const toolResults: SeenRequest['toolResults'] = [];
  for (const m of msgs) {
    if (m.role === 'assistant') toolResults.length = 0;
    if (m.role === 'tool') toolResults.push({ id: m.tool_call_id, name: m.tool_name, content: String(m.content) });
    if (m.role === 'user') {
      if (typeof m.content === 'string') {
        lastUser = m.content;
        toolResults.length = 0;
      } else if (Array.isArray(m.content)) {
        const results = m.content.filter((b: { type: string }) => b.type === 'tool_result');
        for (const b of results)
          toolResults.push({
            id: b.tool_use_id,
            content: typeof b.content === 'string' ? b.content : JSON.stringify(b.content),
          });
        const text = m.content
          .filter((b: { type: string }) => b.type === 'text')
          .map((b: { text: string }) => b.text)
          .join('');
        if (!results.length) {
          lastUser = text;
          toolResults.length = 0;
        }
      }
    }
  }
  const tools = (body.tools ?? []).map(
    (t: { name?: string; function?: { name: string } }) => t.function?.name ?? t.name,
  );
  return { provider, path, headers, raw, body, lastUser, toolResults, tools };
}

/** Splits a string into fragments (for incremental tool-call arguments). */
const thirds = (s: string) =>
  [
    s.slice(0, Math.ceil(s.length / 3)),
    s.slice(Math.ceil(s.length / 3), Math.ceil((2 * s.length) / 3)),
    s.slice(Math.ceil((2 * s.length) / 3)),
  ].filter(Boolean);
const words = (s: string) => s.match(/\S+\s*|\s+/g) ?? [];

function openaiFrames(reply: Reply, model: string, nullChoices: boolean): string[] {
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const f = (choices: unknown, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`;
  const out = [f([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])];
  const text = words(reply.text ?? '');
  if (text.length) out.push(f([{ index: 0, delta: { content: text[0] }, finish_reason: null }]));
  if (reply.streamError)
    return [
      ...out,
      `data: ${JSON.stringify({ error: { message: reply.streamError, type: 'server_error', param: null, code: null } })}\n\n`,
    ];
  for (const w of text.slice(1)) out.push(f([{ index: 0, delta: { content: w }, finish_reason: null }]));
  (reply.toolCalls ?? []).forEach((c, i) => {
    const args = JSON.stringify(c.args);
    out.push(
      f([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: i, id: c.id ?? `call_${i + 1}`, type: 'function', function: { name: c.name, arguments: '' } },
            ],
          },
          finish_reason: null,
        },
      ]),
    );
    for (const part of thirds(args))
      out.push(
        f([{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: part } }] }, finish_reason: null }]),
      );
  });
  out.push(f([{ index: 0, delta: {}, finish_reason: reply.toolCalls?.length ? 'tool_calls' : 'stop' }]));
  out.push(f(nullChoices ? null : [], { usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 } }));
  out.push('data: [DONE]\n\n');
  return out;
}

function anthropicFrames(reply: Reply, model: string): string[] {
  const ev = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const out = [
    ev('message_start', {
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 40, output_tokens: 1 },
      },
    }),
    ev('ping', {}),
  ];
  let index = 0;
  const text = words(reply.text ?? '');
  if (text.length) {
    out.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    out.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: text[0] } }));
    if (reply.streamError)
      return [...out, ev('error', { error: { type: 'overloaded_error', message: reply.streamError } })];
    for (const w of text.slice(1))
      out.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: w } }));
    out.push(ev('content_block_stop', { index }));
    index++;
  } else if (reply.streamError)
    return [...out, ev('error', { error: { type: 'overloaded_error', message: reply.streamError } })];
  // An event type the client has never heard of: "handle unknown event types gracefully".
  out.push(ev('future_event_kind', { note: 'ignore me' }));
  for (const [i, c] of (reply.toolCalls ?? []).entries()) {
    out.push(
      ev('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: c.id ?? `toolu_0${i + 1}`, name: c.name, input: {} },
      }),
    );
    for (const part of thirds(JSON.stringify(c.args)))
      out.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } }));
    out.push(ev('content_block_stop', { index }));
    index++;
  }
  out.push(
    ev('message_delta', {
      delta: { stop_reason: reply.toolCalls?.length ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: 30 },
    }),
  );
  out.push(ev('message_stop', {}));
  return out;
}

function ollamaFrames(reply: Reply, model: string): string[] {
  const line = (o: Record<string, unknown>) =>
    `${JSON.stringify({ model, created_at: '2026-01-01T00:00:00Z', ...o })}\n`;
  const out: string[] = [];
  const text = words(reply.text ?? '');
  if (text.length) out.push(line({ message: { role: 'assistant', content: text[0] }, done: false }));
  if (reply.streamError) return [...out, `${JSON.stringify({ error: reply.streamError })}\n`];
  for (const w of text.slice(1)) out.push(line({ message: { role: 'assistant', content: w }, done: false }));
  if (reply.toolCalls?.length)
    out.push(
      line({
        message: {
          role: 'assistant',
          content: '',
          tool_calls: reply.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.args } })),
        },
        done: false,
      }),
    );
  out.push(
    line({
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 1_000_000,
      load_duration: 1000,
      prompt_eval_count: 40,
      prompt_eval_duration: 1000,
      eval_count: 12,
      eval_duration: 1000,
    }),
  );
  return out;
}

function errorBody(provider: FakeProvider, status: number, message: string): string {
  if (provider === 'openai')
    return JSON.stringify({
      error: {
        message,
        type: status === 401 ? 'invalid_request_error' : 'server_error',
        param: null,
        code: status === 401 ? 'invalid_api_key' : null,
      },
    });
  if (provider === 'anthropic')
    return JSON.stringify({
      type: 'error',
      error: { type: status === 401 ? 'authentication_error' : 'api_error', message },
      request_id: 'req_fake',
    });
  return JSON.stringify({ error: message });
}

export async function startFakeAiProvider(o: FakeOptions = {}): Promise<FakeAiServer> {
  let script: Script = o.script ?? (() => ({ text: 'Hello from the fake provider.' }));
  const requests: SeenRequest[] = [];
  const chunk = o.chunkSize ?? 9;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const provider: FakeProvider | undefined =
        path === '/v1/chat/completions'
          ? 'openai'
          : path === '/v1/messages'
            ? 'anthropic'
            : path === '/api/chat'
              ? 'ollama'
              : undefined;
      if (req.method !== 'POST' || !provider) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
        return;
      }
      let seen: SeenRequest;
      try {
        seen = reduce(provider, path, req.headers, raw);
      } catch (e) {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(errorBody(provider, 400, `bad JSON: ${(e as Error).message}`));
        return;
      }
      requests.push(seen);
      const reply = script(seen);
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      if (reply.httpError) {
        res
          .writeHead(reply.httpError.status, { 'content-type': 'application/json' })
          .end(errorBody(provider, reply.httpError.status, reply.httpError.message));
        return;
      }
      const model = String(seen.body.model ?? 'fake');
      const frames =
        provider === 'openai'
          ? openaiFrames(reply, model, Boolean(o.nullChoicesUsage))
          : provider === 'anthropic'
            ? anthropicFrames(reply, model)
            : ollamaFrames(reply, model);
      res.writeHead(200, {
        'content-type': provider === 'ollama' ? 'application/x-ndjson' : 'text/event-stream',
        'cache-control': 'no-cache',
      });
      // Byte-sized pieces: lines, events and multi-byte characters arrive split, as over a real network.
      const bytes = Buffer.from(frames.join(''), 'utf8');
      for (let i = 0; i < bytes.length; i += chunk) res.write(bytes.subarray(i, i + chunk));
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: { openai: `${url}/v1`, anthropic: url, ollama: url },
    requests,
    setScript: (s) => (script = s),
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
