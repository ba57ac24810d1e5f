// Setting up the assistant's provider: provider, endpoint, model and key, each checked as it is typed with the reason
// next to the field, a connection test that saves nothing, and errors in plain words (never route paths or codes).
// The AI Assistant and AI Agents pages both use it.
import { createEffect, createMemo, createSignal, For, on, Show, type JSX } from 'solid-js';
import { AI_MODEL_RE, type AiProviderId, type AiProvidersResult, type AiTestResult } from '../../../src/shared/ai';
import { api, toast } from '../stores/app';
import { toApiError, type ApiError } from '../host/apiError';
import '../styles/aiAgents.css';
import { mayCall, whyNot } from '../stores/permissions';

/** What went wrong with the assistant or its provider, said plainly, with what to do. */
export function plainAiError(e: ApiError, provider?: string): { title: string; text: string } {
  const who = provider ?? 'The AI provider';
  switch (e.code) {
    case 'aiNotConfigured':
      return {
        title: 'No AI provider is set up yet',
        text: 'Set one up in the AI provider form: choose a provider, enter its endpoint, model and key, test the connection, then save. The assistant answers as soon as one is saved.',
      };
    case 'aiKeyMissing':
      return { title: 'An API key is needed', text: `${who} needs an API key. Paste it in the API key field.` };
    case 'providerAuth':
      return {
        title: 'The provider refused the key',
        text: `${who} did not accept the API key. Check that the key is right and still valid.`,
      };
    case 'providerUnreachable':
      return {
        title: 'The provider cannot be reached',
        text: `Nothing answered at the endpoint. Check the address and that this computer can reach it (a local server must be running).`,
      };
    case 'providerNotFound':
      return {
        title: 'Endpoint or model not found',
        text: `The endpoint answered, but does not know this address or model. Check the endpoint (OpenAI-compatible servers usually end in /v1) and the model name.`,
      };
    case 'providerTimeout':
      return {
        title: 'The provider did not answer in time',
        text: `${who} took too long to answer. Try again, or choose a smaller or faster model.`,
      };
    case 'providerRateLimited':
    case 'providerOverloaded':
      return {
        title: 'The provider is busy',
        text: `${who} is limiting requests right now. Wait a minute and try again.`,
      };
    case 'providerError':
      return {
        title: 'The provider could not answer',
        text: `${who} reported a problem: ${e.message.replace(/^.*?(failed while answering|answered \d+): /, '')}`,
      };
    case 'forbidden':
      return {
        title: 'Only an administrator can change this',
        text: 'The AI provider decides where cluster data is sent, so only an administrator may set it up.',
      };
    case 'unreachable':
    case 'timeout':
      return {
        title: 'KubeGraf did not answer',
        text: 'The KubeGraf server could not be reached. Is it still running?',
      };
    default:
      return { title: 'The assistant could not answer', text: e.message };
  }
}

export function AiErrorBox(p: {
  error: ApiError;
  provider?: string;
  testId?: string;
  children?: JSX.Element;
}): JSX.Element {
  const plain = () => plainAiError(p.error, p.provider);
  return (
    <div class="kg-state kg-state-error" role="alert" data-testid={p.testId ?? 'ai-error'}>
      <strong>{plain().title}</strong>
      <span>{plain().text}</span>
      {p.children}
    </div>
  );
}

/** Field checks as the user types: the message to show next to each field, or nothing. */
export function checkAiFields(f: {
  baseUrl: string;
  model: string;
  apiKey: string;
  needsKey: boolean;
  hasKey: boolean;
  defaultBaseUrl: string;
  name: string;
}): { baseUrl?: string; model?: string; apiKey?: string } {
  const out: { baseUrl?: string; model?: string; apiKey?: string } = {};
  const url = f.baseUrl.trim();
  if (url) {
    let u: URL | undefined;
    try {
      u = new URL(url);
    } catch {
      out.baseUrl = 'Enter a full address, like http://127.0.0.1:8000/v1';
    }
    if (u && u.protocol !== 'http:' && u.protocol !== 'https:')
      out.baseUrl = 'The address must start with http:// or https://';
    else if (u && (u.username || u.password))
      out.baseUrl = 'Leave the key out of the address: put it in the API key field';
    else if (u && (u.search || u.hash)) out.baseUrl = 'The address cannot have a ? or # part';
  }
  const model = f.model.trim();
  if (model && !AI_MODEL_RE.test(model))
    out.model = 'A model name has letters, digits and . _ : / @ + - only (no spaces)';
  const key = f.apiKey.trim();
  if (key && /\s/.test(key)) out.apiKey = 'The key is one word: remove spaces and line breaks';
  else if (f.needsKey && !key && !f.hasKey && (!url || url.replace(/\/+$/, '') === f.defaultBaseUrl))
    out.apiKey = `${f.name} needs an API key`;
  return out;
}

export function AiProviderForm(p: {
  providers: AiProvidersResult;
  onSaved: (v: AiProvidersResult) => void;
}): JSX.Element {
  const [id, setId] = createSignal<AiProviderId>(p.providers.active ?? 'openai');
  const info = createMemo(() => p.providers.providers.find((x) => x.id === id())!);
  const [model, setModel] = createSignal('');
  const [baseUrl, setBaseUrl] = createSignal('');
  const [apiKey, setApiKey] = createSignal('');
  const [clearKey, setClearKey] = createSignal(false);
  const [busy, setBusy] = createSignal<'save' | 'test' | undefined>();
  const [error, setError] = createSignal<ApiError | undefined>();
  const [tested, setTested] = createSignal<AiTestResult | undefined>();
  /** Messages show once a field was touched or a save/test was tried: not on an untouched form. */
  const [touched, setTouched] = createSignal<Set<string>>(new Set());
  const touch = (f: string) => setTouched(new Set([...touched(), f]));
  // Switching provider shows that provider's stored settings; the key field always starts empty.
  createEffect(
    on(info, (i) => {
      setModel(i.configured ? i.model : '');
      setBaseUrl(i.configured && i.baseUrl !== i.defaultBaseUrl ? i.baseUrl : '');
      setApiKey('');
      setClearKey(false);
      setError(undefined);
      setTested(undefined);
      setTouched(new Set<string>());
    }),
  );
  // A change after a test makes the test say nothing about what is typed now.
  createEffect(on([model, baseUrl, apiKey], () => setTested(undefined), { defer: true }));
  const problems = createMemo(() =>
    checkAiFields({
      baseUrl: baseUrl(),
      model: model(),
      apiKey: clearKey() ? '' : apiKey(),
      needsKey: info().needsKey,
      hasKey: info().hasKey && !clearKey(),
      defaultBaseUrl: info().defaultBaseUrl,
      name: info().name,
    }),
  );
  const shown = (f: 'baseUrl' | 'model' | 'apiKey') => (touched().has(f) ? problems()[f] : undefined);
  const valid = () => !Object.keys(problems()).length;
  const settings = () => ({
    provider: id(),
    model: model().trim(),
    baseUrl: baseUrl().trim(),
    ...(apiKey().trim() ? { apiKey: apiKey().trim() } : {}),
  });
  const attempt = (what: 'save' | 'test') => {
    setTouched(new Set(['baseUrl', 'model', 'apiKey']));
    if (!valid()) return false;
    setBusy(what);
    setError(undefined);
    return true;
  };
  const test = async () => {
    if (!attempt('test')) return;
    setTested(undefined);
    try {
      setTested(await api().call('ai.test', settings()));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const save = async () => {
    if (!attempt('save')) return;
    try {
      const v = await api().call('ai.configure', { ...settings(), clearKey: clearKey() || undefined, activate: true });
      setApiKey('');
      toast(`${info().name} is now the assistant's provider`, 'ok');
      p.onSaved(v);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const field = (f: 'baseUrl' | 'model' | 'apiKey', testId: string, hint: JSX.Element) => (
    <Show
      when={shown(f)}
      fallback={
        <span class="kg-muted kg-small" id={`${testId}-hint`}>
          {hint}
        </span>
      }
    >
      <span class="kg-field-error" id={`${testId}-hint`} role="alert" data-testid={`${testId}-error`}>
        {shown(f)}
      </span>
    </Show>
  );
  return (
    <section class="kg-panel kg-ai-setup" aria-label="AI provider" data-testid="ai-config">
      <h2>AI provider</h2>
      <Show when={!p.providers.active}>
        <p class="kg-muted" data-testid="ai-setup-intro">
          The assistant needs a language model to talk to: a hosted one (OpenAI, Anthropic) with your API key, or one
          running on your own machine (Ollama, LM Studio, vLLM, llama.cpp). Nothing is sent anywhere until you save one.
        </p>
      </Show>
      <form
        class="kg-form"
        autocomplete="off"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          Provider
          <select data-testid="ai-provider" value={id()} onChange={(e) => setId(e.currentTarget.value as AiProviderId)}>
            <For each={p.providers.providers}>
              {(x) => (
                <option value={x.id}>
                  {x.name}
                  {x.active ? ' (in use)' : x.configured ? ' (saved)' : ''}
                </option>
              )}
            </For>
          </select>
        </label>
        <label>
          Endpoint
          <input
            class="kg-input"
            data-testid="ai-base-url"
            type="url"
            value={baseUrl()}
            placeholder={info().defaultBaseUrl}
            aria-invalid={Boolean(shown('baseUrl'))}
            aria-describedby="ai-base-url-hint"
            onInput={(e) => setBaseUrl(e.currentTarget.value)}
            onBlur={() => touch('baseUrl')}
          />
          {field(
            'baseUrl',
            'ai-base-url',
            id() === 'openai'
              ? 'Empty uses the public API. Any OpenAI-compatible server works: vLLM (…:8000/v1), LM Studio (…:1234/v1), llama.cpp, a gateway.'
              : `Empty uses ${info().defaultBaseUrl}.`,
          )}
        </label>
        <label>
          Model
          <input
            class="kg-input"
            data-testid="ai-model"
            value={model()}
            placeholder={info().defaultModel}
            aria-invalid={Boolean(shown('model'))}
            aria-describedby="ai-model-hint"
            onInput={(e) => setModel(e.currentTarget.value)}
            onBlur={() => touch('model')}
          />
          {field('model', 'ai-model', `Empty uses ${info().defaultModel}.`)}
        </label>
        <label>
          API key{info().needsKey ? '' : ' (optional)'}
          <input
            class="kg-input"
            data-testid="ai-api-key"
            type="password"
            autocomplete="new-password"
            value={apiKey()}
            placeholder={info().hasKey ? `saved (${info().keyHint ?? '…'}); type to replace` : 'not set'}
            aria-invalid={Boolean(shown('apiKey'))}
            aria-describedby="ai-api-key-hint"
            onInput={(e) => setApiKey(e.currentTarget.value)}
            onBlur={() => touch('apiKey')}
          />
          {field('apiKey', 'ai-api-key', `Kept in ${p.providers.keysKeptIn}, never shown again.`)}
        </label>
        <Show when={info().hasKey}>
          <label class="kg-check">
            <input type="checkbox" checked={clearKey()} onChange={(e) => setClearKey(e.currentTarget.checked)} /> Remove
            the saved key
          </label>
        </Show>
        <Show when={tested()}>
          {(t) => (
            <div class="kg-state kg-state-ok" role="status" data-testid="ai-test-result">
              <strong>Connection works</strong>
              <span>
                {info().name} answered with model {t().model} in{' '}
                {t().latencyMs < 1000 ? `${t().latencyMs} ms` : `${(t().latencyMs / 1000).toFixed(1)} s`}.
                {t().reply ? ` It said: “${t().reply}”.` : ''}
              </span>
            </div>
          )}
        </Show>
        <Show when={error()}>{(e) => <AiErrorBox error={e()} provider={info().name} testId="ai-config-error" />}</Show>
        <div class="kg-toolbar">
          <button
            class="kg-plain-btn"
            type="button"
            disabled={Boolean(busy())}
            onClick={() => void test()}
            data-testid="ai-test"
          >
            {busy() === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button
            class="kg-plain-btn kg-primary"
            type="submit"
            disabled={Boolean(busy()) || !mayCall('ai.configure')}
            title={mayCall('ai.configure') ? undefined : whyNot()}
            data-testid="ai-save"
          >
            {busy() === 'save' ? 'Saving…' : 'Save and use'}
          </button>
        </div>
      </form>
      <details>
        <summary>What is removed before anything is sent</summary>
        <ul>
          <For each={p.providers.redaction}>{(r) => <li>{r}</li>}</For>
        </ul>
      </details>
    </section>
  );
}
