// `@kubegraf` without VS Code: a stand-in `vscode` module with the 1.95 Language Model API shapes (parts, tool calls)
// drives the participant's handler. The picked model calls a tool, gets its redacted result back as a tool result
// part, and its answer reaches the chat; with no model, the configured KubeGraf provider is asked (and says how to
// configure one); without the chat API nothing is registered and nothing throws.
import assert from 'node:assert/strict';
import Module from 'node:module';
import type { ApiDeps } from '../../src/core/api/deps';
import type { KubeGrafStore } from '../../src/core/store/store';

class TextPart {
  constructor(public value: string) {}
}
class ToolCallPart {
  constructor(
    public callId: string,
    public name: string,
    public input: object,
  ) {}
}
class ToolResultPart {
  constructor(
    public callId: string,
    public content: unknown[],
  ) {}
}
class Msg {
  constructor(
    public role: 'user' | 'assistant',
    public content: unknown,
  ) {}
  static User = (c: unknown) => new Msg('user', c);
  static Assistant = (c: unknown) => new Msg('assistant', c);
}
class ChatRequestTurn {
  constructor(public prompt: string) {}
}
class ChatResponseMarkdownPart {
  value: { value: string };
  constructor(v: string) {
    this.value = { value: v };
  }
}
class ChatResponseTurn {
  constructor(public response: unknown[]) {}
}

let created: Array<{
  id: string;
  handler: (...a: unknown[]) => Promise<unknown>;
  iconPath?: unknown;
  dispose(): void;
}> = [];
const fakeVscode: Record<string, unknown> = {
  chat: {
    createChatParticipant: (id: string, handler: (...a: unknown[]) => Promise<unknown>) => {
      const p = { id, handler, dispose: () => undefined };
      created.push(p);
      return p;
    },
  },
  lm: { selectChatModels: async () => [] },
  Uri: { joinPath: (...parts: unknown[]) => ({ path: parts.slice(1).join('/') }) },
  LanguageModelChatMessage: Msg,
  LanguageModelTextPart: TextPart,
  LanguageModelToolCallPart: ToolCallPart,
  LanguageModelToolResultPart: ToolResultPart,
  ChatRequestTurn,
  ChatResponseTurn,
  ChatResponseMarkdownPart,
  LanguageModelError: class LanguageModelError extends Error {
    code = 'Unknown';
  },
  CancellationError: class CancellationError extends Error {},
};

// `import * as vscode from 'vscode'` in the participant resolves to the stand-in.
const M = Module as unknown as {
  _resolveFilename: (req: string, ...rest: unknown[]) => string;
  _cache: Record<string, unknown>;
};
const origResolve = M._resolveFilename;
before(() => {
  M._resolveFilename = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? 'vscode-stand-in' : origResolve.call(this, req, ...rest);
  };
  require.cache['vscode-stand-in'] = {
    id: 'vscode-stand-in',
    filename: 'vscode-stand-in',
    loaded: true,
    exports: fakeVscode,
  } as unknown as NodeJS.Module;
});
after(() => {
  M._resolveFilename = origResolve;
  delete require.cache['vscode-stand-in'];
});

// Loaded after the stand-in is in place (the CommonJS loader: tsx/cjs leaves import() to Node's ESM loader).
const participantModule = () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after the stand-in, synchronously
  require('../../src/vscode/chatParticipant') as typeof import('../../src/vscode/chatParticipant');

function fakeDeps(): ApiDeps {
  const incident = {
    id: 'inc-1',
    type: 'pod_crash_loop',
    severity: 'high',
    status: 'open',
    title: 'payments-worker is crash-looping',
    resource: { kind: 'Pod', namespace: 'payments', name: 'payments-worker-abc' },
    rootCause: 'log says: password=hunter2hunter2',
    recommendedFixes: [],
    occurrences: 2,
    firstSeen: '',
    lastSeen: '',
  };
  const summary = {
    total: 1,
    open: 1,
    resolved: 0,
    bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
    byType: {},
    byNamespace: {},
  };
  const m = new Map<string, string>();
  const store = {
    getSetting: (k: string) => (m.has(k) ? JSON.parse(m.get(k)!) : undefined),
    setSetting: async (k: string, v: unknown) => void m.set(k, JSON.stringify(v)),
  } as unknown as KubeGrafStore;
  return {
    kube: { currentContext: () => 'ctx' },
    incidents: {
      start: async () => undefined,
      list: () => ({ incidents: [incident], summary, synced: true, context: 'ctx' }),
      summary: () => summary,
    },
    store,
    demo: true,
  } as unknown as ApiDeps;
}

function fakeResponse() {
  const out = { markdown: [] as string[], progress: [] as string[] };
  return {
    out,
    stream: { markdown: (s: string) => out.markdown.push(s), progress: (s: string) => out.progress.push(s) },
  };
}

const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

describe('VS Code chat participant @kubegraf', () => {
  beforeEach(() => (created = []));

  it('registers only where the chat API exists', async () => {
    const { registerChatParticipant, CHAT_PARTICIPANT_ID } = participantModule();
    const host = {
      ext: { extensionUri: {} },
      apiDeps: async () => fakeDeps(),
      currentContext: () => 'ctx',
      config: <T>(_k: string, d: T) => d,
    };
    const p = registerChatParticipant(host as never);
    assert.ok(p);
    assert.equal(created[0].id, CHAT_PARTICIPANT_ID);
    const chatApi = fakeVscode.chat;
    delete fakeVscode.chat;
    try {
      assert.equal(registerChatParticipant(host as never), undefined);
    } finally {
      fakeVscode.chat = chatApi;
    }
  });

  it('runs the tool loop with request.model: tool call, redacted tool result part, answer in the chat', async () => {
    const { registerChatParticipant } = participantModule();
    const deps = fakeDeps();
    registerChatParticipant({
      ext: { extensionUri: {} },
      apiDeps: async () => deps,
      currentContext: () => 'ctx',
      config: <T>(_k: string, d: T) => d,
    } as never);
    const calls: Array<{ msgs: Msg[]; options: { tools?: Array<{ name: string; inputSchema: { type: string } }> } }> =
      [];
    const model = {
      name: 'Fake Model',
      sendRequest: async (msgs: Msg[], options: never) => {
        calls.push({ msgs, options });
        const parts =
          calls.length === 1
            ? [new TextPart('Checking incidents. '), new ToolCallPart('call-1', 'list_incidents', { status: 'open' })]
            : [new TextPart('payments-worker is crash-looping in payments.')];
        return {
          stream: (async function* () {
            yield* parts;
          })(),
          text: (async function* () {})(),
        };
      },
    };
    const { out, stream } = fakeResponse();
    const result = (await created[0].handler(
      { prompt: 'what is broken?', command: undefined, references: [], model },
      {
        history: [
          new ChatRequestTurn('earlier question'),
          new ChatResponseTurn([new ChatResponseMarkdownPart('earlier answer')]),
        ],
      },
      stream,
      token,
    )) as { metadata?: { toolCalls: Array<{ name: string; ok: boolean }> }; errorDetails?: unknown };
    assert.equal(result.errorDetails, undefined);
    assert.deepEqual(
      result.metadata?.toolCalls.map((c) => [c.name, c.ok]),
      [['list_incidents', true]],
    );
    assert.equal(calls.length, 2);
    assert.ok(calls[0].options.tools?.some((t) => t.name === 'list_incidents' && t.inputSchema.type === 'object'));
    // Instructions first (no system role in the LM API), then the history, then the prompt.
    assert.match(String(calls[0].msgs[0].content), /KubeGraf assistant/);
    assert.deepEqual(
      calls[0].msgs.slice(1).map((m) => [m.role, m.content]),
      [
        ['user', 'earlier question'],
        ['assistant', 'earlier answer'],
        ['user', 'what is broken?'],
      ],
    );
    const second = calls[1].msgs;
    const asked = second.find(
      (m) =>
        m.role === 'assistant' &&
        Array.isArray(m.content) &&
        (m.content as unknown[]).some((p) => p instanceof ToolCallPart),
    );
    assert.ok(asked, 'the tool call goes back as an assistant ToolCallPart');
    const resultMsg = second.find(
      (m) => Array.isArray(m.content) && (m.content as unknown[])[0] instanceof ToolResultPart,
    )!;
    const part = (resultMsg.content as ToolResultPart[])[0];
    assert.equal(part.callId, 'call-1');
    const text = (part.content[0] as TextPart).value;
    assert.match(text, /payments-worker is crash-looping/);
    assert.ok(!text.includes('hunter2hunter2'), text);
    assert.ok(out.progress.some((p) => /list_incidents.*1 open incident/.test(p)));
    assert.deepEqual(
      out.markdown.map((s) => s.trim()),
      ['Checking incidents.', 'payments-worker is crash-looping in payments.'],
    );
  });

  it('with no VS Code model, asks the KubeGraf provider, and says how to configure one when there is none', async () => {
    const { registerChatParticipant } = participantModule();
    registerChatParticipant({
      ext: { extensionUri: {} },
      apiDeps: async () => fakeDeps(),
      currentContext: () => 'ctx',
      config: <T>(_k: string, d: T) => d,
    } as never);
    const { out, stream } = fakeResponse();
    const result = (await created[0].handler(
      { prompt: 'hi', command: undefined, references: [] },
      { history: [] },
      stream,
      token,
    )) as { errorDetails?: { message: string } };
    assert.match(result.errorDetails?.message ?? '', /no AI provider is configured.*AI Assistant page/);
    assert.match(out.markdown.join(''), /KubeGraf could not answer/);
    assert.ok(out.progress.some((p) => /No VS Code language model/.test(p)));
  });

  it('kubegraf.ai.provider pins a KubeGraf provider even when VS Code has a model', async () => {
    const { registerChatParticipant } = participantModule();
    registerChatParticipant({
      ext: { extensionUri: {} },
      apiDeps: async () => fakeDeps(),
      currentContext: () => 'ctx',
      config: <T>(k: string, d: T) => (k === 'ai.provider' ? 'ollama' : d) as T,
    } as never);
    const model = { name: 'unused', sendRequest: async () => assert.fail('the VS Code model must not be asked') };
    const { out, stream } = fakeResponse();
    const result = (await created[0].handler(
      { prompt: 'hi', command: undefined, references: [], model },
      { history: [] },
      stream,
      token,
    )) as { errorDetails?: { message: string } };
    assert.match(result.errorDetails?.message ?? '', /Ollama provider is not configured/);
    assert.ok(out.progress.some((p) => /KubeGraf ollama provider/.test(p)));
  });
});
