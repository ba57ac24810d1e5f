// The AI Agents page: the two agents KubeGraf runs, each with what it may use and how far it may go. The assistant
// answers questions with read-only tools through the provider set up here; the SRE agent watches incidents and, when
// allowed, applies fixes of the kinds allowed here, within the hourly limit, never in protected namespaces.
import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { AiProvidersResult } from '../../../src/shared/ai';
import type { FixAction, RemediationStatus } from '../../../src/shared/incidents';
import { api, navigate, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { toApiError } from '../host/apiError';
import { AiProviderForm } from '../components/aiSetup';
import { Badge, Button } from '../ui/button';
import { ErrorState, Loading } from '../ui/states';
import '../styles/aiAgents.css';
import { mayCall, whyNot } from '../stores/permissions';

const FIX_LABELS: Record<FixAction, string> = {
  increase_memory_limit: 'Raise a memory limit after OOM kills',
  rollback: 'Roll back a failed rollout',
  fix_image_tag: 'Fix an image tag that cannot be pulled',
  scale: 'Scale a workload',
  restart: 'Restart a workload',
  delete_pod: 'Delete a stuck pod',
  cordon_node: 'Cordon a failing node',
  resume_cronjob: 'Resume a suspended CronJob',
  raise_hpa_max: 'Raise an autoscaler maximum',
};

export function AiAgents(): JSX.Element {
  return (
    <div class="kg-page" data-testid="page-ai-agents">
      <div class="kg-page-head">
        <h1>AI Agents</h1>
        <span class="kg-muted">What each agent may use, and how far it may go.</span>
      </div>
      <AssistantAgent />
      <SreAgentSettings />
    </div>
  );
}

function AssistantAgent(): JSX.Element {
  const providers = createLoader<AiProvidersResult>(() => api().call('ai.providers', {}));
  const [editing, setEditing] = createSignal(false);
  const active = () => providers.value()?.providers.find((p) => p.id === providers.value()?.active);
  return (
    <section class="kg-panel" aria-labelledby="agent-assistant" data-testid="agent-assistant">
      <div class="kg-agent-head">
        <h2 id="agent-assistant">Assistant</h2>
        <Show when={providers.value()}>
          <Show when={active()} fallback={<Badge tone="warn">not set up</Badge>}>
            {(a) => (
              <Badge tone="ok" title={a().baseUrl}>
                {a().name} · {a().model}
              </Badge>
            )}
          </Show>
        </Show>
        <div class="kg-grow" />
        <Show when={active()}>
          <Button onClick={() => setEditing(!editing())} testId="agent-assistant-edit">
            {editing() ? 'Close provider settings' : 'Change provider'}
          </Button>
          <Button onClick={() => navigate('ai-assistant')}>Open the assistant</Button>
        </Show>
      </div>
      <p class="kg-muted">
        Answers questions about the cluster here, in the AI Assistant page and in VS Code chat. It only reads: it cannot
        change anything. Secrets, tokens, e-mail and public IP addresses are removed before anything is sent.
      </p>
      <Show
        when={!providers.error()}
        fallback={<ErrorState error={providers.error()} retry={providers.reload} what="the assistant's settings" />}
      >
        <Show when={providers.value()} fallback={<Loading />}>
          {(pv) => (
            <>
              <Show when={!pv().active || editing()}>
                <AiProviderForm providers={pv()} onSaved={(v) => (providers.set(v), setEditing(false))} />
              </Show>
              <div class="kg-grid2">
                <div>
                  <h3>Tools it may use (read-only)</h3>
                  <ul class="kg-tool-list" data-testid="agent-assistant-tools">
                    <For each={pv().tools}>
                      {(t) => (
                        <li title={t.description}>
                          <code>{t.name}</code> <span class="kg-muted">{brief(t.description)}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
                <div>
                  <h3>Limits</h3>
                  <ul class="kg-list" data-testid="agent-assistant-limits">
                    <li>
                      Up to {pv().limits.maxToolRounds} rounds of tool calls for one answer,{' '}
                      {pv().limits.maxToolCallsPerRound} calls per round
                    </li>
                    <li>A conversation remembers its last {pv().limits.historyMessages} messages</li>
                    <li>Keys are kept in {pv().keysKeptIn}</li>
                  </ul>
                </div>
              </div>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}

/** The first clause of a tool's description: enough to tell the tools apart; the whole text is its tooltip. */
const brief = (d: string): string => d.split(/[.(:;]/)[0].trim();

const NS_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);

function checkNumber(v: string, min: number, max: number): string | undefined {
  if (!/^\d+$/.test(v.trim())) return 'Enter a whole number';
  const n = Number(v);
  return n < min || n > max ? `Between ${min} and ${max}` : undefined;
}

function checkNamespaces(v: string): string | undefined {
  const bad = list(v).find((n) => !NS_RE.test(n));
  return bad ? `"${bad}" is not a namespace name (lower-case letters, digits and -)` : undefined;
}

function SreAgentSettings(): JSX.Element {
  const status = createLoader<RemediationStatus>(() => api().call('incidents.remediation.status', {}));
  const [enabled, setEnabled] = createSignal(false);
  const [allowed, setAllowed] = createSignal<FixAction[]>([]);
  const [perHour, setPerHour] = createSignal('');
  const [minOpen, setMinOpen] = createSignal('');
  const [only, setOnly] = createSignal('');
  const [protectedNs, setProtectedNs] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  createEffect(
    on(status.value, (s) => {
      if (!s) return;
      setEnabled(s.policy.enabled);
      setAllowed(s.policy.allowedActions);
      setPerHour(String(s.policy.maxActionsPerHour));
      setMinOpen(String(s.policy.minOpenSeconds));
      setOnly(s.policy.namespaces.join(', '));
      setProtectedNs(s.policy.protectedNamespaces.join(', '));
    }),
  );
  const problems = () => ({
    perHour: checkNumber(perHour(), 0, 1000),
    minOpen: checkNumber(minOpen(), 0, 86_400),
    only: checkNamespaces(only()),
    protectedNs: checkNamespaces(protectedNs()),
  });
  const save = async () => {
    if (Object.values(problems()).some(Boolean)) return;
    setSaving(true);
    setError(undefined);
    try {
      const s = enabled()
        ? await api().call('incidents.remediation.enable', {
            allowedActions: allowed(),
            maxActionsPerHour: Number(perHour()),
            minOpenSeconds: Number(minOpen()),
            namespaces: list(only()),
            protectedNamespaces: list(protectedNs()),
          })
        : await api().call('incidents.remediation.disable', {});
      status.set(s);
      toast(
        s.policy.enabled ? 'The SRE agent may now apply the allowed fixes' : 'The SRE agent now only watches',
        'ok',
      );
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setSaving(false);
    }
  };
  const toggle = (a: FixAction) => setAllowed((xs) => (xs.includes(a) ? xs.filter((x) => x !== a) : [...xs, a]));
  const numberField = (
    label: string,
    value: () => string,
    set: (v: string) => void,
    problem: () => string | undefined,
    id: string,
    hint: string,
  ) => (
    <label>
      {label}
      <input
        class="kg-input"
        inputmode="numeric"
        value={value()}
        aria-invalid={Boolean(problem())}
        aria-describedby={`${id}-hint`}
        disabled={!enabled()}
        onInput={(e) => set(e.currentTarget.value)}
        data-testid={id}
      />
      <Show
        when={problem()}
        fallback={
          <span class="kg-muted kg-small" id={`${id}-hint`}>
            {hint}
          </span>
        }
      >
        <span class="kg-field-error" id={`${id}-hint`} role="alert" data-testid={`${id}-error`}>
          {problem()}
        </span>
      </Show>
    </label>
  );
  return (
    <section class="kg-panel" aria-labelledby="agent-sre" data-testid="agent-sre">
      <div class="kg-agent-head">
        <h2 id="agent-sre">SRE agent</h2>
        <Show when={status.value()}>
          {(s) => (
            <Badge tone={s().policy.enabled ? 'ok' : 'muted'}>
              {s().policy.enabled ? 'may act on its own' : 'watching only'}
            </Badge>
          )}
        </Show>
        <div class="kg-grow" />
        <Button onClick={() => navigate('sre-agent')}>What it sees</Button>
      </div>
      <p class="kg-muted">
        Watches the cluster for incidents and recommends fixes. When allowed, it applies a fix itself: only the kinds
        ticked below, previewed with a server-side dry run first, at most so many an hour, never in protected
        namespaces.
      </p>
      <Show
        when={!status.error()}
        fallback={<ErrorState error={status.error()} retry={status.reload} what="the SRE agent's settings" />}
      >
        <Show when={status.value()} fallback={<Loading />}>
          <form
            class="kg-form"
            novalidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label class="kg-check">
              <input
                type="checkbox"
                checked={enabled()}
                onChange={(e) => setEnabled(e.currentTarget.checked)}
                data-testid="sre-enabled"
              />{' '}
              Let it apply fixes on its own
            </label>
            <fieldset class="kg-agent-actions" disabled={!enabled()}>
              <legend>Fixes it may apply</legend>
              <For each={Object.keys(FIX_LABELS) as FixAction[]}>
                {(a) => (
                  <label class="kg-check">
                    <input type="checkbox" checked={allowed().includes(a)} onChange={() => toggle(a)} /> {FIX_LABELS[a]}
                  </label>
                )}
              </For>
            </fieldset>
            <div class="kg-agent-limits">
              {numberField(
                'Most fixes per hour',
                perHour,
                setPerHour,
                () => problems().perHour,
                'sre-per-hour',
                'Across the whole cluster',
              )}
              {numberField(
                'Wait before acting (seconds)',
                minOpen,
                setMinOpen,
                () => problems().minOpen,
                'sre-min-open',
                'So a short blip is left alone',
              )}
              <label>
                Only in these namespaces
                <input
                  class="kg-input"
                  value={only()}
                  placeholder="every namespace"
                  aria-invalid={Boolean(problems().only)}
                  disabled={!enabled()}
                  onInput={(e) => setOnly(e.currentTarget.value)}
                  data-testid="sre-namespaces"
                />
                <Show
                  when={problems().only}
                  fallback={<span class="kg-muted kg-small">Comma-separated; empty means all</span>}
                >
                  <span class="kg-field-error" role="alert">
                    {problems().only}
                  </span>
                </Show>
              </label>
              <label>
                Never in these namespaces
                <input
                  class="kg-input"
                  value={protectedNs()}
                  placeholder="none"
                  aria-invalid={Boolean(problems().protectedNs)}
                  disabled={!enabled()}
                  onInput={(e) => setProtectedNs(e.currentTarget.value)}
                  data-testid="sre-protected"
                />
                <Show
                  when={problems().protectedNs}
                  fallback={
                    <span class="kg-muted kg-small">Also any namespace labelled kubegraf.io/protected=true</span>
                  }
                >
                  <span class="kg-field-error" role="alert">
                    {problems().protectedNs}
                  </span>
                </Show>
              </label>
            </div>
            <Show when={error()}>
              <div class="kg-state kg-state-error" role="alert">
                <strong>Not saved</strong>
                <span>{error()}</span>
              </div>
            </Show>
            <div>
              <button
                class="kg-plain-btn kg-primary"
                type="submit"
                disabled={
                  saving() || Object.values(problems()).some(Boolean) || !mayCall('incidents.remediation.enable')
                }
                title={mayCall('incidents.remediation.enable') ? undefined : whyNot()}
                data-testid="sre-save"
              >
                {saving() ? 'Saving…' : 'Save'}
              </button>
            </div>
          </form>
        </Show>
      </Show>
    </section>
  );
}
