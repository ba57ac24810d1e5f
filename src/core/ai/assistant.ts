// The assistant: provider settings (kept in the store; keys never shown back), conversations, the system prompt that
// grounds answers in the current cluster, and the tool loop (capped rounds) between a provider and the read-only tools.
import { randomUUID } from 'node:crypto';
import {
  AI_MODEL_RE as MODEL_RE,
  AI_PROVIDER_IDS,
  type AiChatMessage,
  type AiChatResult,
  type AiProviderId,
  type AiProviderInfo,
  type AiProvidersResult,
  type AiTestResult,
  type AiToolCallSummary,
} from '../../shared/ai';
import type { Caller } from '../../shared/route';
import type { ApiDeps } from '../api/deps';
import { ApiError, badRequest, notFound } from '../api/errors';
import type { KubeGrafStore } from '../store/store';
import type { SecretStore } from '../store/secrets';
import {
  chatTurn,
  parseArgs,
  PROVIDER_DEFAULTS,
  providerLabel,
  type ChatMessage,
  type ChatTurn,
  type ProviderConfig,
  type ToolSpec,
} from './providers';
import { Redactor, REDACTION_RULES } from './redact';
import { argsSummary, runTool, TOOL_LIST, toolSpecs, type ToolScope } from './tools';

const SETTING_KEY = 'ai.providers';
export const MAX_ROUNDS = 6;
const MAX_CALLS_PER_ROUND = 8;
const MAX_HISTORY = 24;
const MAX_CONVERSATIONS = 50;

/** In the settings (no keys there: those live in the secret store, under `keyName(provider)`). */
interface StoredProvider {
  model?: string;
  baseUrl?: string;
  configuredAt?: string;
}

/** What the AI settings need: the store for the settings, the secret store for the keys. */
export type AiStores = Pick<ApiDeps, 'store' | 'secrets'>;

const keyName = (id: AiProviderId) => `ai.${id}.apiKey`;

async function readKeys(secrets: SecretStore): Promise<Partial<Record<AiProviderId, string>>> {
  const out: Partial<Record<AiProviderId, string>> = {};
  for (const id of AI_PROVIDER_IDS) {
    const k = await secrets.get(keyName(id));
    if (k) out[id] = k;
  }
  return out;
}

interface StoredAi {
  active: AiProviderId | null;
  providers: Partial<Record<AiProviderId, StoredProvider>>;
}

const isProvider = (p: string): p is AiProviderId => (AI_PROVIDER_IDS as readonly string[]).includes(p);

export function readAiSettings(store: KubeGrafStore): StoredAi {
  const s = store.getSetting<StoredAi>(SETTING_KEY);
  return { active: s?.active && isProvider(s.active) ? s.active : null, providers: s?.providers ?? {} };
}

const keyHint = (k: string) => `…${k.slice(-4)}`;

export async function providersView(d: AiStores): Promise<AiProvidersResult> {
  const s = readAiSettings(d.store);
  const keys = await readKeys(d.secrets);
  const providers: AiProviderInfo[] = AI_PROVIDER_IDS.map((id) => {
    const def = PROVIDER_DEFAULTS[id];
    const p = s.providers[id] ?? {};
    const info: AiProviderInfo = {
      id,
      name: def.name,
      defaultBaseUrl: def.baseUrl,
      defaultModel: def.model,
      needsKey: def.needsKey,
      active: s.active === id,
      model: p.model || def.model,
      baseUrl: p.baseUrl || def.baseUrl,
      configured: Boolean(p.configuredAt),
      hasKey: Boolean(keys[id]),
    };
    if (keys[id]) info.keyHint = keyHint(keys[id]);
    return info;
  });
  return {
    active: s.active,
    providers,
    keysKeptIn: d.secrets.where,
    redaction: REDACTION_RULES,
    tools: TOOL_LIST(),
    limits: { maxToolRounds: MAX_ROUNDS, maxToolCallsPerRound: MAX_CALLS_PER_ROUND, historyMessages: MAX_HISTORY },
  };
}

export interface ConfigureParams {
  provider: string;
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  clearKey?: boolean;
  activate?: boolean;
}

/** Checks a base URL: http(s), a host, no credentials in it (those belong in apiKey). Returns it without a trailing slash. */
export function checkBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw badRequest(
      `baseUrl "${raw.slice(0, 200)}" is not a URL (e.g. https://api.openai.com/v1 or http://127.0.0.1:11434)`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw badRequest(`baseUrl must be http:// or https://, not ${u.protocol}`);
  if (!u.hostname) throw badRequest('baseUrl has no host');
  if (u.username || u.password) throw badRequest('baseUrl must not carry credentials: give the key as apiKey');
  if (u.search || u.hash) throw badRequest('baseUrl must not have a query or fragment');
  return u.toString().replace(/\/+$/, '');
}

export async function configureProvider(d: AiStores, p: ConfigureParams): Promise<AiProvidersResult> {
  if (!isProvider(p.provider))
    throw badRequest(
      `unknown provider "${p.provider.slice(0, 64)}": use one of ${AI_PROVIDER_IDS.join(', ')} (openai covers any OpenAI-compatible server: vLLM, LM Studio, llama.cpp, Azure-style gateways)`,
    );
  const s = readAiSettings(d.store);
  const cur: StoredProvider = { ...(s.providers[p.provider] ?? {}) };
  if (p.baseUrl !== undefined) cur.baseUrl = p.baseUrl === '' ? undefined : checkBaseUrl(p.baseUrl);
  if (p.model !== undefined) {
    if (p.model !== '' && !MODEL_RE.test(p.model))
      throw badRequest(`model "${p.model.slice(0, 100)}" is not a model name (letters, digits and . _ : / @ + -)`);
    cur.model = p.model || undefined;
  }
  const key = p.apiKey?.trim();
  if (key && /\s/.test(key)) throw badRequest('apiKey must be one token without spaces or line breaks');
  // Validated first, written after: a bad request changes nothing.
  if (key) await d.secrets.set(keyName(p.provider), key);
  else if (p.clearKey) await d.secrets.delete(keyName(p.provider));
  cur.configuredAt = new Date().toISOString();
  s.providers[p.provider] = JSON.parse(JSON.stringify(cur)) as StoredProvider;
  if (p.activate !== false) s.active = p.provider;
  await d.store.setSetting(SETTING_KEY, s);
  return providersView(d);
}

const TEST_TIMEOUT_MS = 30_000;

/** One short request with these settings (unsaved ones, or the saved key): does the endpoint answer, with this model and key? */
export async function testProvider(
  d: AiStores,
  p: { provider: string; model?: string; baseUrl?: string; apiKey?: string },
): Promise<AiTestResult> {
  if (!isProvider(p.provider))
    throw badRequest(`unknown provider "${p.provider.slice(0, 64)}": use one of ${AI_PROVIDER_IDS.join(', ')}`);
  const id = p.provider;
  const def = PROVIDER_DEFAULTS[id];
  const stored = readAiSettings(d.store).providers[id] ?? {};
  const baseUrl = p.baseUrl ? checkBaseUrl(p.baseUrl) : stored.baseUrl || def.baseUrl;
  if (p.model && !MODEL_RE.test(p.model))
    throw badRequest(`model "${p.model.slice(0, 100)}" is not a model name (letters, digits and . _ : / @ + -)`);
  const model = p.model || stored.model || def.model;
  const apiKey = p.apiKey?.trim() || (await d.secrets.get(keyName(id)));
  if (apiKey && /\s/.test(apiKey)) throw badRequest('apiKey must be one token without spaces or line breaks');
  if (def.needsKey && !apiKey && baseUrl === def.baseUrl)
    throw new ApiError('aiKeyMissing', `${def.name} needs an API key`, 400);
  const t0 = Date.now();
  const turn = await chatTurn(
    { id, model, baseUrl, apiKey, timeoutMs: TEST_TIMEOUT_MS, maxTokens: 16 },
    {
      system: 'This is a connection test.',
      messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
      tools: [],
    },
  );
  return { ok: true, provider: id, model, baseUrl, latencyMs: Date.now() - t0, reply: turn.text.trim().slice(0, 200) };
}

const HOW_TO_CONFIGURE =
  'configure one on the AI Assistant page, or POST /api/ai/providers/configure {"provider":"openai"|"anthropic"|"ollama","model":…,"baseUrl":…,"apiKey":…}';

/** The provider a chat uses: the one asked for, else the active one. No provider: 424 with how to configure one. */
export async function resolveProvider(d: AiStores, requested?: string): Promise<ProviderConfig> {
  const s = readAiSettings(d.store);
  if (requested !== undefined && requested !== '' && !isProvider(requested))
    throw badRequest(`unknown provider "${requested.slice(0, 64)}": use one of ${AI_PROVIDER_IDS.join(', ')}`);
  const id = (requested || s.active) as AiProviderId | null;
  if (!id) throw new ApiError('aiNotConfigured', `no AI provider is configured: ${HOW_TO_CONFIGURE}`, 424);
  const stored = s.providers[id];
  if (!stored?.configuredAt)
    throw new ApiError(
      'aiNotConfigured',
      `the ${PROVIDER_DEFAULTS[id].name} provider is not configured: ${HOW_TO_CONFIGURE}`,
      424,
    );
  const def = PROVIDER_DEFAULTS[id];
  const cfg: ProviderConfig = {
    id,
    model: stored.model || def.model,
    baseUrl: stored.baseUrl || def.baseUrl,
    apiKey: await d.secrets.get(keyName(id)),
  };
  if (def.needsKey && !cfg.apiKey && cfg.baseUrl === def.baseUrl)
    throw new ApiError(
      'aiNotConfigured',
      `${providerLabel(cfg)} needs an API key: add it on the AI Assistant page (or configure a local OpenAI-compatible baseUrl)`,
      424,
    );
  return cfg;
}

// ---------------- system prompt ----------------

export async function systemPrompt(deps: ApiDeps, scope: ToolScope): Promise<string> {
  const context = scope.context || deps.kube.currentContext() || '(none)';
  let incidents = '';
  try {
    // Detection may still be starting: a summary is a hint, never a reason to fail the chat.
    const started = deps.incidents.start(context).then(() => deps.incidents.summary(context));
    const sum = await Promise.race([
      started,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 3000).unref()),
    ]);
    if (sum)
      incidents = `Open incidents right now: ${sum.open} (${
        Object.entries(sum.bySeverity)
          .filter(([, n]) => n)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ') || 'none'
      }).`;
  } catch {
    incidents = '';
  }
  return [
    'You are the KubeGraf assistant, helping an engineer understand and troubleshoot their Kubernetes cluster.',
    `Cluster context: ${context}${deps.demo ? ' (the built-in simulated demo cluster)' : ''}. ${scope.namespace ? `The user is looking at namespace "${scope.namespace}".` : 'The user is looking at all namespaces.'} Time now: ${new Date().toISOString()}.`,
    incidents,
    'Ground every statement about the cluster in what the tools return; call them instead of guessing, and say so when the data does not answer the question. Name the objects (namespace/name) you talk about.',
    'The tools are read-only. You cannot change the cluster: when a change would help, say exactly what to do (a kubectl command, or the KubeGraf action such as the incident fix preview) and let the user decide.',
    'Values shown as [redacted…] were removed for privacy before you saw them; <email-N> and <ip-N> are placeholders. Never ask the user for secrets.',
    'Answer concisely in Markdown.',
  ]
    .filter(Boolean)
    .join('\n');
}

// ---------------- conversations ----------------

interface Conversation {
  id: string;
  /** The signed-in user who started it (accounts on): nobody else continues it. */
  owner?: string;
  context?: string;
  /** What the user sees. */
  messages: AiChatMessage[];
  /** What providers get: user and assistant text, already redacted. */
  history: ChatMessage[];
  redactor: Redactor;
  /** Turns of one conversation run one at a time. */
  chain: Promise<unknown>;
}

const conversations = new WeakMap<KubeGrafStore, Map<string, Conversation>>();

function conversationsOf(store: KubeGrafStore): Map<string, Conversation> {
  let m = conversations.get(store);
  if (!m) conversations.set(store, (m = new Map()));
  return m;
}

function openConversation(
  store: KubeGrafStore,
  id: string | undefined,
  context: string | undefined,
  owner: string | undefined,
): Conversation {
  const m = conversationsOf(store);
  if (id) {
    const c = m.get(id);
    if (!c || c.owner !== owner)
      throw notFound(
        `no conversation "${id}" (conversations are kept in memory until KubeGraf restarts): send the message without conversationId to start a new one`,
      );
    // Most recently used last: the oldest is dropped first.
    m.delete(id);
    m.set(id, c);
    return c;
  }
  const c: Conversation = {
    id: randomUUID(),
    owner,
    context,
    messages: [],
    history: [],
    redactor: new Redactor(),
    chain: Promise.resolve(),
  };
  m.set(c.id, c);
  while (m.size > MAX_CONVERSATIONS) m.delete(m.keys().next().value!);
  return c;
}

// ---------------- the tool loop ----------------

/** How a model turn is produced: a provider over HTTP, or (in VS Code) the editor's language model. */
export type TurnFn = (req: {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  toolChoice?: 'auto' | 'none';
}) => Promise<ChatTurn>;

export interface LoopResult {
  text: string;
  toolCalls: AiToolCallSummary[];
  truncated: boolean;
}

/**
 * Model, tools, model… until the model answers without calling a tool, or MAX_ROUNDS pass (then one last turn
 * with tool choice `none` makes it answer with what it has). `messages` grows with the turn's exchanges.
 */
export async function toolLoop(
  turn: TurnFn,
  system: string,
  messages: ChatMessage[],
  deps: ApiDeps,
  scope: ToolScope,
  redactor: Redactor,
  caller: Caller,
  onToolCall?: (c: AiToolCallSummary) => void,
): Promise<LoopResult> {
  const tools = toolSpecs();
  const calls: AiToolCallSummary[] = [];
  for (let round = 0; round <= MAX_ROUNDS; round++) {
    const last = round === MAX_ROUNDS;
    const t = await turn({ system, messages, tools, toolChoice: last ? 'none' : 'auto' });
    if (!t.toolCalls.length || last) return { text: t.text, toolCalls: calls, truncated: last };
    const batch = t.toolCalls.slice(0, MAX_CALLS_PER_ROUND);
    messages.push({ role: 'assistant', content: t.text, toolCalls: batch });
    for (const c of batch) {
      const args = parseArgs(c.arguments);
      const r =
        args === undefined
          ? {
              content: `error: the arguments of ${c.name} were not a JSON object: ${c.arguments.slice(0, 200)}`,
              summary: 'invalid arguments (not JSON)',
              ok: false,
            }
          : await runTool(c.name, args, deps, scope, redactor, caller);
      const summary: AiToolCallSummary = {
        name: c.name,
        args: redactor.text(argsSummary(args)),
        summary: r.summary,
        ok: r.ok,
      };
      calls.push(summary);
      onToolCall?.(summary);
      messages.push({
        role: 'tool',
        toolCallId: c.id,
        name: c.name,
        content: r.content,
        ...(r.ok ? {} : { isError: true }),
      });
    }
  }
  return { text: '', toolCalls: calls, truncated: true };
}

export interface ChatParams {
  message: string;
  conversationId?: string;
  context?: string;
  namespace?: string;
  provider?: string;
}

/** One chat turn over the configured provider: what `POST /api/ai/chat` answers. */
export async function chat(
  deps: ApiDeps,
  p: ChatParams,
  caller: Caller,
  turnFn?: (cfg: ProviderConfig) => TurnFn,
): Promise<AiChatResult> {
  const cfg = await resolveProvider(deps, p.provider);
  const conv = openConversation(deps.store, p.conversationId, p.context, caller.user);
  const run = conv.chain.then(async () => {
    const scope: ToolScope = { context: p.context || conv.context, namespace: p.namespace || undefined };
    const r = conv.redactor;
    const before = r.count;
    const system = r.text(await systemPrompt(deps, scope));
    const userText = r.text(p.message);
    const messages: ChatMessage[] = [...conv.history, { role: 'user', content: userText }];
    const turn = turnFn ? turnFn(cfg) : (req: Parameters<TurnFn>[0]) => chatTurn(cfg, req);
    const out = await toolLoop(turn, system, messages, deps, scope, r, caller);
    const modelText =
      out.text.trim() ||
      (out.truncated
        ? `I stopped after ${MAX_ROUNDS} rounds of tool calls without a final answer; ask a narrower question.`
        : '(the model returned an empty answer)');
    const answer = r.restore(modelText);
    const now = new Date().toISOString();
    conv.messages.push({ role: 'user', content: p.message, time: now });
    conv.messages.push({
      role: 'assistant',
      content: answer,
      time: new Date().toISOString(),
      toolCalls: out.toolCalls,
      provider: cfg.id,
      model: cfg.model,
    });
    // Providers get the short history (user and assistant text); tool exchanges stay within their turn.
    conv.history.push({ role: 'user', content: userText }, { role: 'assistant', content: modelText });
    if (conv.history.length > MAX_HISTORY) conv.history.splice(0, conv.history.length - MAX_HISTORY);
    const result: AiChatResult = {
      conversationId: conv.id,
      answer,
      provider: cfg.id,
      model: cfg.model,
      toolCalls: out.toolCalls,
      messages: [...conv.messages],
      redactions: r.count - before,
    };
    if (out.truncated) result.truncated = true;
    return result;
  });
  conv.chain = run.catch(() => undefined);
  return run;
}
