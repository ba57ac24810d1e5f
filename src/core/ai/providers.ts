// Provider clients over plain fetch: OpenAI-compatible chat completions (OpenAI, vLLM, LM Studio, llama.cpp, Azure-
// style gateways, Ollama's /v1), the Anthropic Messages API and Ollama's /api/chat. Each streams (SSE or NDJSON) and
// is read into one neutral turn: text plus tool calls. Failures become ApiErrors that name the provider and URL.
import type { AiProviderId } from '../../shared/ai';
import { ApiError } from '../api/errors';
import { ndjsonLines, sseEvents } from './streams';

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments (top level: an object). */
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments as the model wrote them (OpenAI sends text that may be invalid; the others objects). */
  arguments: string;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

export interface ChatRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  /** `none`: answer now without calling tools (the tools stay declared: Anthropic refuses tool blocks without them). */
  toolChoice?: 'auto' | 'none';
  signal?: AbortSignal;
}

export interface ChatTurn {
  text: string;
  toolCalls: ToolCall[];
  /** The provider's own word: `stop`, `tool_calls`, `end_turn`, `tool_use`, `length`… */
  stopReason: string;
}

export interface ProviderConfig {
  id: AiProviderId;
  model: string;
  baseUrl: string;
  apiKey?: string;
  /** The whole request, stream included. */
  timeoutMs?: number;
  /** Anthropic requires it; others get it only when set. */
  maxTokens?: number;
}

export const PROVIDER_DEFAULTS: Record<
  AiProviderId,
  { name: string; baseUrl: string; model: string; needsKey: boolean }
> = {
  openai: { name: 'OpenAI-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', needsKey: true },
  anthropic: {
    name: 'Anthropic Claude',
    baseUrl: 'https://api.anthropic.com',
    model: 'claude-3-5-haiku-latest',
    needsKey: true,
  },
  ollama: { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2', needsKey: false },
};

const DEFAULT_TIMEOUT_MS = 120_000;

export const providerLabel = (c: { id: AiProviderId; baseUrl: string }): string =>
  `${PROVIDER_DEFAULTS[c.id].name} at ${c.baseUrl}`;

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** One model turn: send the conversation, read the streamed answer. */
export async function chatTurn(cfg: ProviderConfig, req: ChatRequest): Promise<ChatTurn> {
  switch (cfg.id) {
    case 'openai':
      return openaiTurn(cfg, req);
    case 'anthropic':
      return anthropicTurn(cfg, req);
    case 'ollama':
      return ollamaTurn(cfg, req);
  }
}

// ---------------- HTTP and errors ----------------

const NET_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UND_ERR_SOCKET',
]);
const NET_TIMEOUT = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function errCode(e: unknown): string | undefined {
  let cur = e as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; cur && i < 4; i++) {
    if (typeof cur.code === 'string') return cur.code;
    cur = cur.cause as typeof cur;
  }
  return undefined;
}

/** A failure while talking to the provider, as the client should see it. */
export function providerError(cfg: ProviderConfig, e: unknown, url: string, timeoutMs: number): ApiError {
  if (e instanceof ApiError) return e;
  const err = e as Error;
  const code = errCode(e);
  const where = providerLabel(cfg);
  const details = { provider: cfg.id, baseUrl: cfg.baseUrl, url, ...(code ? { cause: code } : {}) };
  if (err?.name === 'TimeoutError' || (code && NET_TIMEOUT.has(code))) {
    return new ApiError(
      'providerTimeout',
      `${where} did not answer within ${Math.round(timeoutMs / 1000)} s${code ? ` (${code})` : ''}`,
      504,
      details,
    );
  }
  if (err?.name === 'AbortError')
    return new ApiError('cancelled', `the request to ${where} was cancelled`, 499, details);
  const network =
    (code && NET_UNREACHABLE.has(code)) || (err instanceof TypeError && /fetch failed/i.test(err.message));
  if (!network) return streamError(cfg, err?.message ? err.message.split('\n')[0] : String(e));
  const why = code ?? (err?.message ? err.message.split('\n')[0].slice(0, 200) : 'connection failed');
  return new ApiError(
    'providerUnreachable',
    `cannot reach ${where} (${why}): check the base URL and that this machine can reach it`,
    503,
    details,
  );
}

/** The provider's error message out of its error body (`{error:{message}}`, `{error:"…"}`, `{type:"error",error:{…}}`). */
export function errorMessageOf(text: string): string {
  try {
    const b = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    if (typeof b.error === 'string') return b.error;
    if (b.error && typeof b.error === 'object' && typeof (b.error as { message?: unknown }).message === 'string')
      return (b.error as { message: string }).message;
    if (typeof b.message === 'string') return b.message;
    if (typeof b.detail === 'string') return b.detail;
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 300) || 'no message';
}

function httpError(cfg: ProviderConfig, status: number, text: string, url: string): ApiError {
  const msg = errorMessageOf(text).slice(0, 500);
  const where = providerLabel(cfg);
  const details = { provider: cfg.id, baseUrl: cfg.baseUrl, url, status };
  if (status === 401 || status === 403)
    return new ApiError(
      'providerAuth',
      `${where} refused the request (${status}): ${msg}. Check the API key in the AI provider settings.`,
      502,
      details,
    );
  if (status === 404)
    return new ApiError(
      'providerNotFound',
      `${where} answered 404 for ${url}: ${msg}. Check the base URL and the model name "${cfg.model}".`,
      502,
      details,
    );
  if (status === 429)
    return new ApiError('providerRateLimited', `${where} is rate-limiting requests (429): ${msg}`, 503, details);
  if (status === 529 || status === 503)
    return new ApiError('providerOverloaded', `${where} is overloaded (${status}): ${msg}`, 503, details);
  return new ApiError('providerError', `${where} answered ${status}: ${msg}`, 502, details);
}

/** A provider that signalled an error inside an otherwise successful stream. */
export function streamError(cfg: ProviderConfig, message: string): ApiError {
  return new ApiError('providerError', `${providerLabel(cfg)} failed while answering: ${message.slice(0, 500)}`, 502, {
    provider: cfg.id,
    baseUrl: cfg.baseUrl,
  });
}

async function send(
  cfg: ProviderConfig,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal | undefined,
  read: (res: Response) => Promise<ChatTurn>,
): Promise<ChatTurn> {
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sig = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: sig,
    });
    if (!res.ok) throw httpError(cfg, res.status, await res.text().catch(() => ''), url);
    return await read(res);
  } catch (e) {
    throw providerError(cfg, e, url, timeoutMs);
  }
}

const isJson = (res: Response) => /application\/json/i.test(res.headers.get('content-type') ?? '');

function parseJsonOr(cfg: ProviderConfig, text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw streamError(cfg, `${what} is not JSON: ${text.slice(0, 200)}`);
  }
}

// ---------------- OpenAI chat completions ----------------

export function openaiBody(cfg: ProviderConfig, req: ChatRequest): Record<string, unknown> {
  const messages: unknown[] = [{ role: 'system', content: req.system }];
  for (const m of req.messages) {
    if (m.role === 'user') messages.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant')
      messages.push(
        m.toolCalls?.length
          ? {
              role: 'assistant',
              content: m.content || null,
              tool_calls: m.toolCalls.map((c) => ({
                id: c.id,
                type: 'function',
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : { role: 'assistant', content: m.content },
      );
    else messages.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
  }
  const body: Record<string, unknown> = { model: cfg.model, messages, stream: true };
  if (req.tools.length)
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  if (req.tools.length && req.toolChoice === 'none') body.tool_choice = 'none';
  if (cfg.maxTokens) body.max_tokens = cfg.maxTokens;
  return body;
}

interface OpenAiChunk {
  error?: { message?: string } | string;
  choices?: Array<{
    delta?: {
      content?: string | null;
      tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    message?: {
      content?: string | null;
      tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
    };
    finish_reason?: string | null;
  }> | null;
}

/** Folds OpenAI stream chunks into a turn: text deltas appended, tool call fragments accumulated by `index`. */
export class OpenAiAccumulator {
  text = '';
  stopReason = '';
  private readonly calls = new Map<number, ToolCall>();

  constructor(private readonly cfg: ProviderConfig) {}

  add(chunk: OpenAiChunk): void {
    if (chunk.error)
      throw streamError(
        this.cfg,
        typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? JSON.stringify(chunk.error)),
      );
    // The usage-only chunk has `choices: []` (OpenAI) or `choices: null` (vLLM).
    for (const ch of chunk.choices ?? []) {
      const d = ch.delta;
      if (d?.content) this.text += d.content;
      for (const tc of d?.tool_calls ?? []) {
        const idx = tc.index ?? this.calls.size;
        let c = this.calls.get(idx);
        if (!c) this.calls.set(idx, (c = { id: tc.id ?? `call_${idx}`, name: '', arguments: '' }));
        if (tc.id) c.id = tc.id;
        if (tc.function?.name) c.name += tc.function.name;
        if (tc.function?.arguments) c.arguments += tc.function.arguments;
      }
      // A server that ignored `stream` answers with a whole message.
      if (ch.message) {
        if (ch.message.content) this.text += ch.message.content;
        for (const [i, tc] of (ch.message.tool_calls ?? []).entries())
          this.calls.set(this.calls.size + i, {
            id: tc.id,
            name: tc.function.name,
            arguments: tc.function.arguments ?? '',
          });
      }
      if (ch.finish_reason) this.stopReason = ch.finish_reason;
    }
  }

  turn(): ChatTurn {
    return {
      text: this.text,
      toolCalls: [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c),
      stopReason: this.stopReason || 'stop',
    };
  }
}

async function openaiTurn(cfg: ProviderConfig, req: ChatRequest): Promise<ChatTurn> {
  const url = `${trimSlash(cfg.baseUrl)}/chat/completions`;
  const headers: Record<string, string> = { accept: 'text/event-stream, application/json' };
  if (cfg.apiKey) {
    headers.authorization = `Bearer ${cfg.apiKey}`;
    // Azure-style gateways read `api-key`; OpenAI ignores it.
    if (/azure/i.test(cfg.baseUrl)) headers['api-key'] = cfg.apiKey;
  }
  return send(cfg, url, headers, openaiBody(cfg, req), req.signal, async (res) => {
    const acc = new OpenAiAccumulator(cfg);
    if (isJson(res)) {
      acc.add(parseJsonOr(cfg, await res.text(), 'the answer') as OpenAiChunk);
      return acc.turn();
    }
    for await (const ev of sseEvents(res.body!)) {
      if (ev.data.trim() === '[DONE]') break;
      if (!ev.data.trim()) continue;
      acc.add(parseJsonOr(cfg, ev.data, 'a stream chunk') as OpenAiChunk);
    }
    return acc.turn();
  });
}

// ---------------- Anthropic Messages ----------------

export function anthropicBody(cfg: ProviderConfig, req: ChatRequest): Record<string, unknown> {
  const messages: Array<{ role: 'user' | 'assistant'; content: unknown }> = [];
  for (const m of req.messages) {
    if (m.role === 'user') messages.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') {
      const blocks: unknown[] = [];
      if (m.content) blocks.push({ type: 'text', text: m.content });
      for (const c of m.toolCalls ?? [])
        blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseArgs(c.arguments) ?? {} });
      messages.push({ role: 'assistant', content: blocks.length ? blocks : m.content });
    } else {
      // Tool results go back in one user message, each right after the turn that asked for it.
      const block = {
        type: 'tool_result',
        tool_use_id: m.toolCallId,
        content: m.content,
        ...(m.isError ? { is_error: true } : {}),
      };
      const last = messages[messages.length - 1];
      if (
        last?.role === 'user' &&
        Array.isArray(last.content) &&
        (last.content as Array<{ type: string }>).every((b) => b.type === 'tool_result')
      )
        (last.content as unknown[]).push(block);
      else messages.push({ role: 'user', content: [block] });
    }
  }
  const body: Record<string, unknown> = {
    model: cfg.model,
    max_tokens: cfg.maxTokens ?? 4096,
    system: req.system,
    messages,
    stream: true,
  };
  if (req.tools.length)
    body.tools = req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
  if (req.tools.length && req.toolChoice === 'none') body.tool_choice = { type: 'none' };
  return body;
}

interface AnthropicEvent {
  type?: string;
  index?: number;
  content_block?: { type: string; id?: string; name?: string; text?: string; input?: unknown };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  error?: { type?: string; message?: string };
  content?: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
  stop_reason?: string | null;
}

/** Folds Anthropic stream events into a turn: text blocks joined, tool_use input JSON assembled per block. */
export class AnthropicAccumulator {
  stopReason = '';
  done = false;
  private readonly blocks = new Map<
    number,
    { type: string; text: string; id?: string; name?: string; json: string; input?: unknown }
  >();

  constructor(private readonly cfg: ProviderConfig) {}

  add(ev: AnthropicEvent): void {
    switch (ev.type) {
      case 'content_block_start': {
        const b = ev.content_block ?? { type: 'unknown' };
        this.blocks.set(ev.index ?? this.blocks.size, {
          type: b.type,
          text: b.text ?? '',
          id: b.id,
          name: b.name,
          json: '',
          input: b.input,
        });
        break;
      }
      case 'content_block_delta': {
        const b = this.blocks.get(ev.index ?? -1);
        if (!b) break;
        if (ev.delta?.type === 'text_delta') b.text += ev.delta.text ?? '';
        else if (ev.delta?.type === 'input_json_delta') b.json += ev.delta.partial_json ?? '';
        break;
      }
      case 'message_delta':
        if (ev.delta?.stop_reason) this.stopReason = ev.delta.stop_reason;
        break;
      case 'message_stop':
        this.done = true;
        break;
      case 'error':
        throw streamError(this.cfg, `${ev.error?.type ?? 'error'}: ${ev.error?.message ?? 'no message'}`);
      case 'message': // a non-streamed answer
        for (const [i, c] of (ev.content ?? []).entries())
          this.blocks.set(i, {
            type: c.type,
            text: c.text ?? '',
            id: c.id,
            name: c.name,
            json: c.input === undefined ? '' : JSON.stringify(c.input),
            input: c.input,
          });
        this.stopReason = ev.stop_reason ?? 'end_turn';
        this.done = true;
        break;
      default: // message_start, content_block_stop, ping, and event types added later
        break;
    }
  }

  turn(): ChatTurn {
    const ordered = [...this.blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
    return {
      text: ordered
        .filter((b) => b.type === 'text')
        .map((b) => b.text)
        .join(''),
      // `input` in content_block_start is `{}`; the real input arrives as input_json_delta fragments.
      toolCalls: ordered
        .filter((b) => b.type === 'tool_use')
        .map((b) => ({ id: b.id ?? '', name: b.name ?? '', arguments: b.json || JSON.stringify(b.input ?? {}) })),
      stopReason: this.stopReason || 'end_turn',
    };
  }
}

async function anthropicTurn(cfg: ProviderConfig, req: ChatRequest): Promise<ChatTurn> {
  const base = trimSlash(cfg.baseUrl);
  const url = `${/\/v1$/.test(base) ? base : `${base}/v1`}/messages`;
  const headers: Record<string, string> = {
    'anthropic-version': '2023-06-01',
    accept: 'text/event-stream, application/json',
  };
  if (cfg.apiKey) headers['x-api-key'] = cfg.apiKey;
  return send(cfg, url, headers, anthropicBody(cfg, req), req.signal, async (res) => {
    const acc = new AnthropicAccumulator(cfg);
    if (isJson(res)) {
      acc.add(parseJsonOr(cfg, await res.text(), 'the answer') as AnthropicEvent);
      return acc.turn();
    }
    for await (const ev of sseEvents(res.body!)) {
      if (!ev.data.trim()) continue;
      const data = parseJsonOr(cfg, ev.data, 'a stream event') as AnthropicEvent;
      acc.add({ ...data, type: data.type ?? ev.event });
      if (acc.done) break;
    }
    return acc.turn();
  });
}

// ---------------- Ollama /api/chat ----------------

export function ollamaBody(cfg: ProviderConfig, req: ChatRequest): Record<string, unknown> {
  const messages: unknown[] = [{ role: 'system', content: req.system }];
  for (const m of req.messages) {
    if (m.role === 'user') messages.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant')
      messages.push(
        m.toolCalls?.length
          ? {
              role: 'assistant',
              content: m.content,
              tool_calls: m.toolCalls.map((c) => ({
                function: { name: c.name, arguments: parseArgs(c.arguments) ?? {} },
              })),
            }
          : { role: 'assistant', content: m.content },
      );
    else messages.push({ role: 'tool', content: m.content, tool_name: m.name });
  }
  const body: Record<string, unknown> = { model: cfg.model, messages, stream: true };
  // Ollama has no tool_choice: leaving the tools out is how it is told to answer.
  if (req.tools.length && req.toolChoice !== 'none')
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  if (cfg.maxTokens) body.options = { num_predict: cfg.maxTokens };
  return body;
}

interface OllamaLine {
  error?: string;
  message?: {
    content?: string;
    tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: unknown } }>;
  };
  done?: boolean;
  done_reason?: string;
}

/** Folds Ollama NDJSON lines into a turn: tool calls arrive whole, arguments as objects. */
export class OllamaAccumulator {
  text = '';
  stopReason = '';
  done = false;
  private readonly calls: ToolCall[] = [];

  constructor(private readonly cfg: ProviderConfig) {}

  add(line: OllamaLine): void {
    // Mid-stream errors come as an `{"error":…}` line under a 200 status.
    if (line.error) throw streamError(this.cfg, line.error);
    if (line.message?.content) this.text += line.message.content;
    for (const tc of line.message?.tool_calls ?? []) {
      const args = tc.function?.arguments;
      this.calls.push({
        id: tc.id ?? `call_${this.calls.length + 1}`,
        name: tc.function?.name ?? '',
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      });
    }
    if (line.done) {
      this.done = true;
      this.stopReason = line.done_reason ?? 'stop';
    }
  }

  turn(): ChatTurn {
    return {
      text: this.text,
      toolCalls: this.calls,
      stopReason: this.stopReason || (this.calls.length ? 'tool_calls' : 'stop'),
    };
  }
}

async function ollamaTurn(cfg: ProviderConfig, req: ChatRequest): Promise<ChatTurn> {
  const url = `${trimSlash(cfg.baseUrl).replace(/\/api$/, '')}/api/chat`;
  const headers: Record<string, string> = { accept: 'application/x-ndjson, application/json' };
  // Ollama itself needs no key; a proxy in front of it may.
  if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
  return send(cfg, url, headers, ollamaBody(cfg, req), req.signal, async (res) => {
    const acc = new OllamaAccumulator(cfg);
    for await (const line of ndjsonLines(res.body!)) {
      acc.add(line as OllamaLine);
      if (acc.done) break;
    }
    return acc.turn();
  });
}

/** Tool arguments as an object, or undefined when the text is not a JSON object. */
export function parseArgs(text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
