// DTOs of the AI assistant routes (`/api/ai/*`): providers, their configuration, and one chat turn.

export const AI_PROVIDER_IDS = ['openai', 'anthropic', 'ollama'] as const;
export type AiProviderId = (typeof AI_PROVIDER_IDS)[number];

/** A model name as providers spell them (`gpt-4o-mini`, `llama3.2:3b`, `org/model@rev`): checked by the server and the form. */
export const AI_MODEL_RE = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,255}$/;

/** One provider as the routes show it. The API key itself never leaves the server: only whether one is set, and a hint. */
export interface AiProviderInfo {
  id: AiProviderId;
  name: string;
  /** What the base URL points at by default (the public API, or the local Ollama port). */
  defaultBaseUrl: string;
  defaultModel: string;
  /** The public API needs a key; local OpenAI-compatible servers and Ollama usually do not. */
  needsKey: boolean;
  /** Chosen for chat. */
  active: boolean;
  /** Stored settings (defaults until configured). */
  model: string;
  baseUrl: string;
  configured: boolean;
  hasKey: boolean;
  /** The key's last four characters (`…abcd`), to tell keys apart. */
  keyHint?: string;
}

export interface AiProvidersResult {
  active: AiProviderId | null;
  providers: AiProviderInfo[];
  /** Where API keys are kept (VS Code's secret storage, or a file readable by the user only); never returned. */
  keysKeptIn: string;
  /** Always on: what is removed before anything is sent to a provider. */
  redaction: string[];
  /** Read-only tools the model may call. */
  tools: Array<{ name: string; description: string }>;
  /** How far one answer may go: rounds of tool calls, calls per round, messages of history a conversation keeps. */
  limits: { maxToolRounds: number; maxToolCallsPerRound: number; historyMessages: number };
}

/** A connection test: one tiny request to the provider with the given settings; nothing is saved. */
export interface AiTestResult {
  ok: true;
  provider: AiProviderId;
  model: string;
  baseUrl: string;
  latencyMs: number;
  /** The start of what the model said. */
  reply: string;
}

export interface AiToolCallSummary {
  name: string;
  /** The arguments, short (`namespace=shop name=cart`). */
  args: string;
  /** What came back, one line (`3 open incidents`, or the error). */
  summary: string;
  ok: boolean;
}

export interface AiChatMessage {
  role: 'user' | 'assistant';
  content: string;
  time: string;
  /** Assistant messages: the tools called to answer. */
  toolCalls?: AiToolCallSummary[];
  provider?: AiProviderId;
  model?: string;
}

export interface AiChatResult {
  /** Send it back with the next message to continue this conversation. */
  conversationId: string;
  answer: string;
  provider: AiProviderId;
  model: string;
  toolCalls: AiToolCallSummary[];
  /** The conversation so far, this turn included. */
  messages: AiChatMessage[];
  /** How many values the redaction step replaced in what was sent this turn. */
  redactions: number;
  /** The tool loop stopped at its round cap before the model finished. */
  truncated?: boolean;
}
