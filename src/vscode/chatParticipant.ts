// `@kubegraf` in VS Code chat: the model the user picked (`request.model`, VS Code 1.95+) or any available one runs
// KubeGraf's tool loop with the same read-only tools and the same redaction as the dashboard assistant. With no VS
// Code model at all, the configured KubeGraf provider answers instead. Tool calling needs the 1.95 LM API; it is
// feature-detected, so the extension still activates (and chats without tools) on older builds.
import * as vscode from 'vscode';
import type { TurnFn } from '../core/ai/assistant';
import type { ChatMessage, ChatTurn, ToolCall } from '../core/ai/providers';
import type { Redactor } from '../core/ai/redact';
import type { ToolScope } from '../core/ai/tools';
import type { KubeGrafHost } from './host';

export const CHAT_PARTICIPANT_ID = 'kubegraf.assistant';

// The assistant pulls in the route handlers: loaded on the first chat turn, not at activation. `require` rather than
// `import()`: esbuild bundles both lazily, and the unit suites run this file under the CommonJS loader.
/* eslint-disable @typescript-eslint/no-require-imports */
const core = () => ({
  ...(require('../core/ai/assistant') as typeof import('../core/ai/assistant')),
  ...(require('../core/ai/redact') as typeof import('../core/ai/redact')),
  ...(require('../core/ai/tools') as typeof import('../core/ai/tools')),
  ...(require('../core/api/errors') as typeof import('../core/api/errors')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

// The parts of the 1.95 Language Model API we use, typed locally: @types/vscode stays at the engines version.
interface LmPartCtors {
  LanguageModelTextPart: new (value: string) => { value: string };
  LanguageModelToolCallPart: new (
    callId: string,
    name: string,
    input: object,
  ) => { callId: string; name: string; input: object };
  LanguageModelToolResultPart: new (callId: string, content: unknown[]) => unknown;
}
interface Lm195Message {
  User(content: string | unknown[]): vscode.LanguageModelChatMessage;
  Assistant(content: string | unknown[]): vscode.LanguageModelChatMessage;
}
interface StreamingResponse {
  stream?: AsyncIterable<unknown>;
  text: AsyncIterable<string>;
}

/** The 1.95 tool-calling API, when this VS Code has it. */
function toolApi(): (LmPartCtors & { Message: Lm195Message }) | undefined {
  const v = vscode as unknown as Partial<LmPartCtors>;
  if (
    typeof v.LanguageModelToolCallPart !== 'function' ||
    typeof v.LanguageModelTextPart !== 'function' ||
    typeof v.LanguageModelToolResultPart !== 'function'
  )
    return undefined;
  return { ...(v as LmPartCtors), Message: vscode.LanguageModelChatMessage as unknown as Lm195Message };
}

/** Registers `@kubegraf` when this VS Code has the chat API; undefined (and nothing registered) otherwise. */
export function registerChatParticipant(host: KubeGrafHost): vscode.Disposable | undefined {
  const chatApi = (vscode as { chat?: typeof vscode.chat }).chat;
  if (typeof chatApi?.createChatParticipant !== 'function') return undefined;
  const participant = chatApi.createChatParticipant(CHAT_PARTICIPANT_ID, (request, context, response, token) =>
    handle(host, request, context, response, token),
  );
  participant.iconPath = vscode.Uri.joinPath(host.ext.extensionUri, 'media', 'kubegraf.svg');
  return participant;
}

const COMMAND_PROMPTS: Record<string, string> = {
  incidents:
    'List the open incidents in this cluster, most severe first, with their likely cause and what to check next.',
  explain: 'Explain this incident or object: what is wrong, the evidence, the likely root cause and the safest fix.',
};

/** Earlier turns of this participant as plain user/assistant text. */
function historyOf(context: vscode.ChatContext): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const t of context.history) {
    if (t instanceof vscode.ChatRequestTurn) out.push({ role: 'user', content: t.prompt });
    else if (t instanceof vscode.ChatResponseTurn) {
      const text = t.response.map((p) => (p instanceof vscode.ChatResponseMarkdownPart ? p.value.value : '')).join('');
      if (text.trim()) out.push({ role: 'assistant', content: text });
    }
  }
  return out.slice(-12);
}

async function handle(
  host: KubeGrafHost,
  request: vscode.ChatRequest,
  context: vscode.ChatContext,
  response: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  const prompt = [request.command ? COMMAND_PROMPTS[request.command] : '', request.prompt].filter(Boolean).join('\n\n');
  const { chat, MAX_ROUNDS, Redactor, runTool, systemPrompt, toApiError, toolLoop } = core();
  try {
    const deps = await host.apiDeps();
    const scope: ToolScope = { context: host.currentContext() };
    // kubegraf.ai.provider set to one of KubeGraf's providers means: answer with it, not with the editor's model.
    const pinned = host.config<string>('ai.provider', 'none');
    if (pinned === 'openai' || pinned === 'anthropic' || pinned === 'ollama')
      return await viaKubeGrafProvider(host, prompt, response, chat, pinned);
    const model =
      (request as { model?: vscode.LanguageModelChat }).model ?? (await vscode.lm?.selectChatModels?.())?.[0];
    if (!model) return await viaKubeGrafProvider(host, prompt, response, chat);
    const redactor = new Redactor();
    const system = redactor.text(await systemPrompt(deps, scope));
    const messages: ChatMessage[] = [
      ...historyOf(context).map((m) => ({ ...m, content: redactor.text(m.content) })),
      { role: 'user', content: redactor.text(prompt) },
    ];
    const tools = toolApi();
    let preamble = '';
    if (!tools) {
      // No tool calling on this VS Code: ground the answer in the open incidents up front instead.
      const r = await runTool('list_incidents', { status: 'open' }, deps, scope, redactor, { face: 'vscode' });
      preamble = `\n\nOpen incidents (KubeGraf, read-only snapshot): ${r.content}`;
    }
    response.progress(`Asking ${model.name}…`);
    const turn = vscodeTurn(model, tools, preamble, redactor, response, token);
    const out = await toolLoop(turn, system, messages, deps, scope, redactor, { face: 'vscode' }, (c) =>
      response.progress(`${c.name}${c.args ? ` (${c.args})` : ''}: ${c.summary}`),
    );
    if (out.truncated) response.markdown(`\n\n_Stopped after ${MAX_ROUNDS} rounds of cluster lookups._`);
    return { metadata: { toolCalls: out.toolCalls } };
  } catch (e) {
    if (token.isCancellationRequested) return {};
    const lmErr = e instanceof vscode.LanguageModelError ? e : undefined;
    const message = lmErr
      ? `The language model refused the request (${lmErr.code}): ${lmErr.message}`
      : toApiError(e).message;
    response.markdown(`**KubeGraf could not answer:** ${message}`);
    return { errorDetails: { message } };
  }
}

/** One model turn through the VS Code LM API: text goes to the chat as it completes; tool calls come back to the loop. */
function vscodeTurn(
  model: vscode.LanguageModelChat,
  tools: ReturnType<typeof toolApi>,
  preamble: string,
  redactor: Redactor,
  response: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): TurnFn {
  return async (req) => {
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    // The LM API has no system role: instructions go first as a user message.
    const msgs: vscode.LanguageModelChatMessage[] = [vscode.LanguageModelChatMessage.User(req.system + preamble)];
    for (const m of req.messages) {
      if (m.role === 'user') msgs.push(vscode.LanguageModelChatMessage.User(m.content));
      else if (m.role === 'assistant') {
        if (tools && m.toolCalls?.length)
          msgs.push(
            tools.Message.Assistant([
              ...(m.content ? [new tools.LanguageModelTextPart(m.content)] : []),
              ...m.toolCalls.map((c) => new tools.LanguageModelToolCallPart(c.id, c.name, safeInput(c))),
            ]),
          );
        else msgs.push(vscode.LanguageModelChatMessage.Assistant(m.content));
      } else if (tools)
        msgs.push(
          tools.Message.User([
            new tools.LanguageModelToolResultPart(m.toolCallId, [new tools.LanguageModelTextPart(m.content)]),
          ]),
        );
      else msgs.push(vscode.LanguageModelChatMessage.User(`Result of ${m.name}: ${m.content}`));
    }
    const options: Record<string, unknown> = {
      justification: 'KubeGraf answers questions about your cluster with read-only lookups.',
    };
    if (tools && req.tools.length && req.toolChoice !== 'none')
      options.tools = req.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.parameters }));
    const res = (await model.sendRequest(
      msgs,
      options as vscode.LanguageModelChatRequestOptions,
      token,
    )) as unknown as StreamingResponse;
    const turn: ChatTurn = { text: '', toolCalls: [], stopReason: 'stop' };
    if (tools && res.stream) {
      for await (const part of res.stream) {
        if (part instanceof tools.LanguageModelTextPart) turn.text += part.value;
        else if (part instanceof tools.LanguageModelToolCallPart)
          turn.toolCalls.push({ id: part.callId, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
      }
    } else for await (const t of res.text) turn.text += t;
    if (turn.text.trim()) response.markdown(redactor.restore(turn.text) + (turn.toolCalls.length ? '\n\n' : ''));
    if (turn.toolCalls.length) turn.stopReason = 'tool_calls';
    return turn;
  };
}

function safeInput(c: ToolCall): object {
  try {
    const v = JSON.parse(c.arguments) as unknown;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/** No VS Code model: the provider configured on KubeGraf's AI Assistant page answers, with the same tools. */
async function viaKubeGrafProvider(
  host: KubeGrafHost,
  prompt: string,
  response: vscode.ChatResponseStream,
  chat: typeof import('../core/ai/assistant').chat,
  provider?: string,
): Promise<vscode.ChatResult> {
  const deps = await host.apiDeps();
  response.progress(
    provider
      ? `Asking the KubeGraf ${provider} provider (kubegraf.ai.provider)…`
      : 'No VS Code language model is available: asking the KubeGraf AI provider…',
  );
  const r = await chat(deps, { message: prompt, context: host.currentContext(), provider }, { face: 'vscode' });
  for (const c of r.toolCalls) response.progress(`${c.name}${c.args ? ` (${c.args})` : ''}: ${c.summary}`);
  response.markdown(r.answer);
  response.markdown(
    `\n\n_${r.provider} · ${r.model}${r.toolCalls.length ? ` · tools: ${r.toolCalls.map((c) => c.name).join(', ')}` : ''}_`,
  );
  return { metadata: { toolCalls: r.toolCalls, provider: r.provider, model: r.model } };
}
