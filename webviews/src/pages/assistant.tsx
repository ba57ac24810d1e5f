// The AI assistant: choose and configure a provider (the key goes in a password field and is never shown back), then
// chat. Answers come from the server's tool loop over read-only cluster tools; each answer lists the tools it used.
import { createEffect, createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { AiChatMessage, AiProvidersResult } from '../../../src/shared/ai';
import { api, context, namespaces, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { toApiError, type ApiError } from '../host/apiError';
import { AiErrorBox, AiProviderForm } from '../components/aiSetup';
import { Button } from '../ui/button';
import { ErrorState, Loading } from '../ui/states';

/** A tool loop over a real model can take longer than an ordinary call; give chat calls more room where we can. */

export function Assistant(): JSX.Element {
  const providers = createLoader<AiProvidersResult>(() => api().call('ai.providers', {}));
  const [messages, setMessages] = createSignal<AiChatMessage[]>([]);
  const [conversationId, setConversationId] = createSignal<string | undefined>();
  const [draft, setDraft] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<ApiError | undefined>();
  const [showConfig, setShowConfig] = createSignal(false);
  const active = createMemo(() => providers.value()?.providers.find((p) => p.id === providers.value()?.active));
  createEffect(() => {
    if (providers.value() && !providers.value()!.active) setShowConfig(true);
  });

  const send = async () => {
    const text = draft().trim();
    if (!text || busy()) return;
    setBusy(true);
    setError(undefined);
    // Shown at once; replaced by the server's copy of the conversation when the answer arrives.
    setMessages([...messages(), { role: 'user', content: text, time: new Date().toISOString() }]);
    setDraft('');
    const ns = namespaces();
    try {
      const r = await api().call('ai.chat', {
        message: text,
        conversationId: conversationId(),
        context: context() || undefined,
        namespace: ns.length === 1 ? ns[0] : undefined,
      });
      setConversationId(r.conversationId);
      setMessages(r.messages);
    } catch (e) {
      const err = toApiError(e);
      setError(err);
      // The message did not get an answer: give it back for another try.
      setMessages(messages().slice(0, -1));
      setDraft(text);
      if (err.status === 404 && conversationId()) setConversationId(undefined);
    } finally {
      setBusy(false);
    }
  };

  const newConversation = () => {
    setConversationId(undefined);
    setMessages([]);
    setError(undefined);
  };

  return (
    <div class="kg-page" data-testid="page-assistant">
      <div class="kg-page-head">
        <h1>AI Assistant</h1>
        <Show when={active()}>
          {(a) => (
            <span class="kg-chip" data-testid="ai-active">
              {a().name}: {a().model}
            </span>
          )}
        </Show>
        <div class="kg-grow" />
        <Button onClick={() => setShowConfig(!showConfig())} testId="ai-toggle-config">
          {showConfig() ? 'Hide provider settings' : 'Provider settings'}
        </Button>
        <Button onClick={newConversation} disabled={busy()} testId="ai-new">
          New conversation
        </Button>
      </div>

      <Show
        when={!providers.error()}
        fallback={<ErrorState error={providers.error()} retry={providers.reload} what="AI providers" />}
      >
        <Show when={providers.value()} fallback={<Loading label="Loading AI providers…" />}>
          {(pv) => (
            <>
              <Show when={showConfig()}>
                <AiProviderForm
                  providers={pv()}
                  onSaved={(v) => (providers.set(v), setShowConfig(false), setError(undefined))}
                />
              </Show>
              <section class="kg-panel" aria-label="Conversation">
                <Show when={messages().length} fallback={<Intro configured={Boolean(pv().active)} />}>
                  <div class="kg-stack" data-testid="ai-messages" role="log" aria-live="polite">
                    <For each={messages()}>{(m) => <Message m={m} />}</For>
                  </div>
                </Show>
                <Show when={busy()}>
                  <div class="kg-state" role="status" data-testid="ai-thinking">
                    <vscode-progress-ring />
                    <span>Asking {active()?.name ?? 'the model'} (it may look at the cluster first)…</span>
                  </div>
                </Show>
                <Show when={error()}>
                  {(e) => (
                    <AiErrorBox error={e()} provider={active()?.name}>
                      <Show
                        when={
                          !showConfig() &&
                          (e().code === 'aiNotConfigured' ||
                            e().code === 'providerAuth' ||
                            e().code === 'providerUnreachable' ||
                            e().code === 'providerNotFound')
                        }
                      >
                        <Button onClick={() => setShowConfig(true)}>Set up the provider</Button>
                      </Show>
                    </AiErrorBox>
                  )}
                </Show>
                <form
                  class="kg-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void send();
                  }}
                >
                  <label>
                    Message
                    <textarea
                      class="kg-input"
                      rows={3}
                      data-testid="ai-input"
                      placeholder="Ask about the cluster: “Why is payments-worker crashing?” (Enter sends, Shift+Enter for a new line)"
                      value={draft()}
                      disabled={busy()}
                      onInput={(e) => setDraft(e.currentTarget.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' && !e.shiftKey) {
                          e.preventDefault();
                          void send();
                        }
                      }}
                    />
                  </label>
                  <div>
                    <button
                      class="kg-plain-btn kg-primary"
                      type="submit"
                      disabled={busy() || !draft().trim()}
                      data-testid="ai-send"
                    >
                      Send
                    </button>
                  </div>
                </form>
              </section>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}

function Intro(p: { configured: boolean }): JSX.Element {
  return (
    <div class="kg-state" data-testid="ai-intro">
      <strong>{p.configured ? 'Ask about your cluster' : 'Configure an AI provider to start'}</strong>
      <span class="kg-muted">
        The assistant looks at incidents, pods, logs, events, resources and metrics with read-only tools; it cannot
        change the cluster. Secret values, tokens and credentials are removed before anything is sent to the provider.
      </span>
    </div>
  );
}

function Message(p: { m: AiChatMessage }): JSX.Element {
  const copy = () => {
    void navigator.clipboard?.writeText(p.m.content).then(
      () => toast('Answer copied', 'ok'),
      () => toast('Could not copy', 'danger'),
    );
  };
  return (
    <div
      class="kg-card"
      role="article"
      data-testid={`ai-msg-${p.m.role}`}
      aria-label={p.m.role === 'user' ? 'You' : 'Assistant'}
      style={p.m.role === 'assistant' ? { 'border-left': '3px solid var(--vscode-focusBorder)' } : {}}
    >
      <div class="kg-toolbar" style={{ margin: '0 0 4px' }}>
        <strong>{p.m.role === 'user' ? 'You' : 'Assistant'}</strong>
        <Show when={p.m.model}>
          <span class="kg-muted kg-small">
            {p.m.provider} · {p.m.model}
          </span>
        </Show>
        <div class="kg-grow" />
        <Show when={p.m.role === 'assistant'}>
          <button class="kg-plain-btn" type="button" onClick={copy} title="Copy the answer">
            Copy
          </button>
        </Show>
      </div>
      <Show when={p.m.toolCalls?.length}>
        <ul class="kg-chips" style={{ padding: 0 }} data-testid="ai-tool-calls" aria-label="Tools used">
          <For each={p.m.toolCalls}>
            {(c) => (
              <li class={`kg-chip ${c.ok ? '' : 'kg-danger-text'}`} title={c.summary}>
                {c.name}
                <Show when={c.args}> ({c.args})</Show>: {c.summary}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div style={{ 'white-space': 'pre-wrap', 'overflow-wrap': 'anywhere' }}>{p.m.content}</div>
    </div>
  );
}
