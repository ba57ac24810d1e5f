// Connectors: where KubeGraf sends incidents and notifications (Slack and compatible chat webhooks, any JSON webhook,
// PagerDuty, Opsgenie). A table of connectors with where each sends (masked), its filters, an on/off switch and its
// last delivery; a form per type that says what is wrong as the user types; a test send that shows the receiver's
// answer; delete after a confirmation; and the delivery log, live, filterable, with "send again" for what failed.
import { batch, createMemo, createSignal, For, Match, onCleanup, onMount, Show, Switch, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import {
  CONNECTOR_EVENT_LABEL,
  CONNECTOR_EVENTS,
  CONNECTOR_TYPE_LABEL,
  CONNECTOR_TYPES,
  DEFAULT_ENDPOINT,
  NOTIFY_SEVERITIES,
  TYPE_FIELDS,
  connectorProblems,
  splitList,
  type ConnectorDto,
  type ConnectorEvent,
  type ConnectorInput,
  type ConnectorTestResult,
  type ConnectorType,
  type DeliveryDto,
  type DeliveryEvent,
  type DeliveryStatus,
  type NotifySeverity,
  type SecretField,
} from '../../../src/shared/routes/connectors';
import { toApiError } from '../host/apiError';
import { toHash } from '../model/nav';
import { api, namespaces, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { now } from '../stores/clock';
import { humanDuration } from '../../../src/shared/age';
import { mayCall, whyNot } from '../stores/permissions';
import { inScope, scopeKey } from '../stores/scope';
import { Badge, Button } from '../ui/button';
import { Confirm, Modal } from '../ui/modal';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import '../styles/forms.css';
import '../styles/connectors.css';

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';

const STATUS_TONE: Record<DeliveryStatus, Tone> = {
  delivered: 'ok',
  retrying: 'warn',
  failed: 'danger',
  cancelled: 'muted',
};

const SEVERITY_TONE: Record<NotifySeverity, Tone> = {
  critical: 'danger',
  high: 'warn',
  medium: 'info',
  low: 'muted',
  info: 'muted',
};

const TYPE_SHORT: Record<ConnectorType, string> = {
  slack: 'Slack',
  webhook: 'Webhook',
  pagerduty: 'PagerDuty',
  opsgenie: 'Opsgenie',
};

const TYPE_BLURB: Record<ConnectorType, string> = {
  slack: 'A message with blocks to an incoming webhook. Mattermost, Rocket.Chat and Discord (…/slack) take it too.',
  webhook: 'JSON to any URL: event, severity, title, summary, cluster, namespace and the incident.',
  pagerduty: 'Events API v2: an opened incident triggers an alert, its resolve resolves it (same dedup key).',
  opsgenie: 'Alert API: an opened incident creates an alert, its resolve closes it (same alias).',
};

const EVENT_HINT: Record<ConnectorEvent, string> = {
  'incident.opened': 'when KubeGraf detects a new incident (or one comes back)',
  'incident.resolved': 'when an incident this connector announced clears',
  notification: 'everything in the notification centre, such as fix outcomes',
};

/** A connector's filters in a few words. */
function filtersText(c: ConnectorDto): string {
  const parts = [
    c.severities.length ? c.severities.join(', ') : 'any severity',
    c.namespaces.length ? `namespaces ${c.namespaces.join(', ')}` : 'all namespaces',
    c.clusters.length ? `clusters ${c.clusters.join(', ')}` : 'all clusters',
  ];
  return parts.join(' · ');
}

export function Connectors(): JSX.Element {
  const list = createLoader(() => api().call('connectors.list', {}));
  const [editing, setEditing] = createSignal<ConnectorDto | 'new' | undefined>();
  const [testing, setTesting] = createSignal<ConnectorDto | undefined>();
  const [deleting, setDeleting] = createSignal<ConnectorDto | undefined>();
  // A delivery changes a connector's "last delivery": re-read the list, once per burst.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onDelivery = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void list.reload(), 300);
  };
  onCleanup(() => clearTimeout(timer));
  const toggle = async (c: ConnectorDto, enabled: boolean) => {
    try {
      await api().call('connectors.update', { id: c.id, enabled });
      toast(enabled ? `${c.name} sends again` : `${c.name} is off: nothing is sent to it`, 'ok');
    } catch (e) {
      toast(toApiError(e).message, 'danger');
    }
    void list.reload();
  };
  const remove = async (c: ConnectorDto) => {
    try {
      await api().call('connectors.delete', { id: c.id });
      toast(`Deleted ${c.name}`, 'ok');
    } catch (e) {
      toast(toApiError(e).message, 'danger');
    }
    void list.reload();
  };
  const connectors = () => list.value()?.connectors ?? [];
  return (
    <div class="kg-page" data-testid="page-connectors">
      <div class="kg-page-head">
        <h1>Connectors</h1>
        <Button variant="primary" requires="connectors.create" onClick={() => setEditing('new')} testId="connector-add">
          Add connector
        </Button>
      </div>
      <p class="kg-muted">
        Send incidents and notifications to chat, paging and your own services. Failed deliveries are retried with
        back-off; every attempt is in the delivery log below. Webhook URLs and keys are kept with KubeGraf's other
        credentials and never shown again.
      </p>
      <section class="kg-panel" aria-label="Connectors">
        <Show when={!list.error()} fallback={<ErrorState error={list.error()} retry={list.reload} what="connectors" />}>
          <Show when={list.value()} fallback={<Loading label="Reading connectors…" />}>
            <Show
              when={connectors().length}
              fallback={
                <Empty
                  title="No connectors yet"
                  hint="Add one to send incidents to Slack, PagerDuty, Opsgenie or a webhook of your own, then send a test to check it arrives."
                >
                  <Button variant="primary" requires="connectors.create" onClick={() => setEditing('new')}>
                    Add connector
                  </Button>
                </Empty>
              }
            >
              <table class="kg-simple-table" data-testid="connectors-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Sends to</th>
                    <th scope="col">Events</th>
                    <th scope="col">Filters</th>
                    <th scope="col">On</th>
                    <th scope="col">Last delivery</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={connectors()}>
                    {(c) => (
                      <tr data-testid="connector-row" data-name={c.name}>
                        <td>
                          <strong>{c.name}</strong>
                          <div class="kg-muted kg-small">{TYPE_SHORT[c.type]}</div>
                        </td>
                        <td>
                          <code class="kg-conn-target" data-testid="connector-target">
                            {c.target}
                          </code>
                          <Show when={c.missingSecrets.length}>
                            <div>
                              <Badge tone="danger" title="Edit the connector and enter them again">
                                {`missing ${c.missingSecrets.join(', ')}`}
                              </Badge>
                            </div>
                          </Show>
                        </td>
                        <td>
                          <div class="kg-chips">
                            <For each={c.events}>{(e) => <span class="kg-chip">{CONNECTOR_EVENT_LABEL[e]}</span>}</For>
                          </div>
                        </td>
                        <td class="kg-small" data-testid="connector-filters">
                          {filtersText(c)}
                        </td>
                        <td>
                          <input
                            type="checkbox"
                            role="switch"
                            class="kg-conn-switch"
                            checked={c.enabled}
                            disabled={!mayCall('connectors.update')}
                            title={mayCall('connectors.update') ? undefined : whyNot()}
                            aria-label={`Send to ${c.name}`}
                            onChange={(e) => void toggle(c, e.currentTarget.checked)}
                            data-testid="connector-enabled"
                          />
                        </td>
                        <td data-testid="connector-last">
                          <Show when={c.lastDelivery} fallback={<span class="kg-muted">nothing sent yet</span>}>
                            {(d) => (
                              <>
                                <Badge tone={STATUS_TONE[d().status]}>{d().status}</Badge>{' '}
                                <span class="kg-muted kg-small">
                                  <When at={d().time} />
                                  {d().statusCode ? ` · HTTP ${d().statusCode}` : ''}
                                </span>
                                <Show when={d().error}>
                                  <div class="kg-small kg-error-text kg-conn-clip" title={d().error}>
                                    {d().error}
                                  </div>
                                </Show>
                              </>
                            )}
                          </Show>
                        </td>
                        <td class="kg-conn-actions">
                          <Button requires="connectors.test" onClick={() => setTesting(c)} testId="connector-test">
                            Test
                          </Button>
                          <Button requires="connectors.update" onClick={() => setEditing(c)} testId="connector-edit">
                            Edit
                          </Button>
                          <Button
                            variant="danger"
                            requires="connectors.delete"
                            onClick={() => setDeleting(c)}
                            testId="connector-delete"
                          >
                            Delete
                          </Button>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          </Show>
        </Show>
      </section>
      <DeliveryLog connectors={connectors()} onDelivery={onDelivery} />
      <Show when={editing()} keyed>
        {(e) => (
          <ConnectorForm
            editing={e === 'new' ? undefined : e}
            onClose={() => setEditing(undefined)}
            onSaved={(c, created) => {
              setEditing(undefined);
              toast(created ? `Added ${c.name}: send a test to check it arrives` : `Saved ${c.name}`, 'ok');
              void list.reload();
            }}
          />
        )}
      </Show>
      <Show when={testing()} keyed>
        {(c) => <TestDialog connector={c} onClose={() => setTesting(undefined)} />}
      </Show>
      <Show when={deleting()} keyed>
        {(c) => (
          <Confirm
            title={`Delete ${c.name}?`}
            message={
              <p>
                Nothing more is sent to {c.name} ({TYPE_SHORT[c.type]}), and its saved URL or keys are removed. Its past
                deliveries stay in the log. This cannot be undone.
              </p>
            }
            confirmLabel="Delete connector"
            danger
            onCancel={() => setDeleting(undefined)}
            onConfirm={() => {
              setDeleting(undefined);
              void remove(c);
            }}
          />
        )}
      </Show>
    </div>
  );
}

// ---------------- the test send ----------------

function TestResult(p: { result: ConnectorTestResult }): JSX.Element {
  const rows = () => [p.result.delivery, ...(p.result.followUp ? [p.result.followUp] : [])];
  return (
    <div
      class="kg-conn-result"
      classList={{ 'kg-conn-result-ok': p.result.ok, 'kg-conn-result-bad': !p.result.ok }}
      data-testid="connector-test-result"
      role="status"
    >
      <p>
        <Badge tone={p.result.ok ? 'ok' : 'danger'}>{p.result.ok ? 'delivered' : 'not delivered'}</Badge>{' '}
        <span data-testid="connector-test-message">{p.result.message}</span>
      </p>
      <For each={rows()}>
        {(d) => (
          <div>
            <div class="kg-muted kg-small">
              {d.subject} · {d.statusCode ? `HTTP ${d.statusCode}` : 'no answer'} · {d.durationMs} ms
            </div>
            <Show when={d.response !== undefined}>
              <div class="kg-small">The receiver answered:</div>
              <pre class="kg-code kg-conn-answer" data-testid="connector-test-answer">
                {d.response || '(an empty body)'}
              </pre>
            </Show>
          </div>
        )}
      </For>
    </div>
  );
}

function TestDialog(p: { connector: ConnectorDto; onClose: () => void }): JSX.Element {
  const [result, setResult] = createSignal<ConnectorTestResult>();
  const [error, setError] = createSignal<string>();
  const run = async () => {
    setResult(undefined);
    setError(undefined);
    try {
      setResult(await api().call('connectors.test', { id: p.connector.id }));
    } catch (e) {
      setError(toApiError(e).message);
    }
  };
  onMount(() => void run());
  return (
    <Modal
      title={`Test ${p.connector.name}`}
      onClose={p.onClose}
      testId="connector-test-dialog"
      footer={
        <>
          <Button onClick={() => void run()} disabled={!result() && !error()}>
            Send again
          </Button>
          <Button variant="primary" onClick={p.onClose} testId="connector-test-done">
            Done
          </Button>
        </>
      }
    >
      <p class="kg-muted">
        A test message to <code>{p.connector.target}</code>, whatever the filters.
        {p.connector.type === 'pagerduty' || p.connector.type === 'opsgenie'
          ? ' The test alert it raises is closed again right away.'
          : ''}
      </p>
      <Switch>
        <Match when={error()}>
          <p class="kg-field-error" role="alert">
            {error()}
          </p>
        </Match>
        <Match when={result()}>{(r) => <TestResult result={r()} />}</Match>
        <Match when={true}>
          <Loading label={`Sending a test to ${p.connector.name}…`} />
        </Match>
      </Switch>
    </Modal>
  );
}

// ---------------- the form ----------------

interface FormState {
  name: string;
  type: ConnectorType;
  enabled: boolean;
  events: ConnectorEvent[];
  severities: NotifySeverity[];
  namespaces: string;
  clusters: string;
  url: string;
  endpoint: string;
  routingKey: string;
  apiKey: string;
  authorization: string;
  signingSecret: string;
  clearAuthorization: boolean;
  clearSigningSecret: boolean;
}

type Field = keyof ConnectorInput;

function ConnectorForm(p: {
  editing?: ConnectorDto;
  onClose: () => void;
  onSaved: (c: ConnectorDto, created: boolean) => void;
}): JSX.Element {
  const e = p.editing;
  const [f, setF] = createStore<FormState>({
    name: e?.name ?? '',
    type: e?.type ?? 'slack',
    enabled: e?.enabled ?? true,
    events: e ? [...e.events] : ['incident.opened', 'incident.resolved'],
    severities: e ? [...e.severities] : [],
    namespaces: e?.namespaces.join(', ') ?? '',
    clusters: e?.clusters.join(', ') ?? '',
    url: '',
    endpoint: e?.endpoint ?? '',
    routingKey: '',
    apiKey: '',
    authorization: '',
    signingSecret: '',
    clearAuthorization: false,
    clearSigningSecret: false,
  });
  const [touched, setTouched] = createStore<Partial<Record<Field, boolean>>>({});
  const [submitted, setSubmitted] = createSignal(false);
  const [serverFields, setServerFields] = createStore<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = createSignal<string>();
  const [busy, setBusy] = createSignal<'save' | 'test' | undefined>();
  const [testResult, setTestResult] = createSignal<ConnectorTestResult>();
  const nsList = createLoader(async () => (await api().call('namespaces.list', {})).items.map((i) => i.name).sort());
  const ctxList = createLoader(async () =>
    (await api().call('clusters.list', {})).clusters.map((c) => c.contextName).sort(),
  );

  /** Secrets the saved connector has and keeps (an empty field keeps them). */
  const saved = createMemo(() => {
    const s = new Set<SecretField>();
    if (!e) return s;
    for (const k of Object.keys(e.secrets) as SecretField[]) {
      if (k === 'authorization' && f.clearAuthorization) continue;
      if (k === 'signingSecret' && f.clearSigningSecret) continue;
      if (TYPE_FIELDS[f.type].includes(k)) s.add(k);
    }
    return s;
  });
  const uses = (k: Field) => TYPE_FIELDS[f.type].includes(k);
  const input = (): ConnectorInput => {
    const out: ConnectorInput = {
      name: f.name.trim(),
      type: f.type,
      enabled: f.enabled,
      events: [...f.events],
      severities: [...f.severities],
      namespaces: splitList(f.namespaces),
      clusters: splitList(f.clusters),
    };
    for (const k of ['url', 'routingKey', 'apiKey', 'authorization', 'signingSecret'] as const)
      if (uses(k) && f[k].trim()) out[k] = f[k].trim();
    if (uses('endpoint')) out.endpoint = f.endpoint.trim();
    return out;
  };
  const problems = createMemo(() => connectorProblems(input(), saved()));
  const shown = (k: Field): string | undefined =>
    serverFields[k] ?? (submitted() || touched[k] ? problems()[k] : undefined);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) =>
    batch(() => {
      setF(k, v as never);
      if (k in serverFields || k === 'type') setServerFields({ [k]: undefined } as never);
      setTouched(k as Field, true);
      setTestResult(undefined);
    });
  const valid = () => Object.keys(problems()).length === 0;
  const clearSecrets = () =>
    [
      ...(f.clearAuthorization && !f.authorization ? (['authorization'] as const) : []),
      ...(f.clearSigningSecret && !f.signingSecret ? (['signingSecret'] as const) : []),
    ] as Array<'authorization' | 'signingSecret'>;

  const fromServer = (err: unknown) => {
    const a = toApiError(err);
    const details = Array.isArray(a.details) ? (a.details as Array<{ path?: string; message?: string }>) : [];
    const fields = details.filter((d) => d.path && d.message);
    if (fields.length) {
      for (const d of fields) setServerFields(d.path as Field, d.message!);
      setServerError(undefined);
    } else setServerError(a.message);
  };

  const save = async (ev?: Event) => {
    ev?.preventDefault();
    setSubmitted(true);
    if (!valid() || busy()) return;
    setBusy('save');
    setServerError(undefined);
    try {
      const c = e
        ? await api().call('connectors.update', { id: e.id, ...input(), clearSecrets: clearSecrets() })
        : await api().call('connectors.create', input());
      p.onSaved(c, !e);
    } catch (err) {
      fromServer(err);
    } finally {
      setBusy(undefined);
    }
  };

  const test = async () => {
    setSubmitted(true);
    if (!valid() || busy()) return;
    setBusy('test');
    setServerError(undefined);
    setTestResult(undefined);
    try {
      setTestResult(
        await api().call('connectors.test', { ...(e ? { id: e.id } : {}), ...input(), clearSecrets: clearSecrets() }),
      );
    } catch (err) {
      fromServer(err);
    } finally {
      setBusy(undefined);
    }
  };

  const secretHint = (k: SecretField, hint: JSX.Element) =>
    e?.secrets[k] && saved().has(k) ? (
      <>
        Saved: <code>{e.secrets[k]}</code>. Leave empty to keep it.
      </>
    ) : (
      hint
    );

  /** The word being typed at the end of a list field (nothing after a separator). */
  const typing = (k: 'namespaces' | 'clusters') => (/[\s,]$/.test(f[k]) ? '' : (splitList(f[k]).at(-1) ?? ''));
  /** Names to offer: those matching what is being typed, the cluster's own before system ones. */
  const offer = (k: 'namespaces' | 'clusters', all: string[] | undefined, n: number) => {
    const chosen = splitList(f[k]);
    const t = typing(k);
    const system = (x: string) => /^kube-|-system$/.test(x);
    return (all ?? [])
      .filter((x) => !chosen.includes(x) || x === t)
      .filter((x) => x !== t && (!t || x.includes(t)))
      .sort((a, b) => Number(system(a)) - Number(system(b)) || a.localeCompare(b))
      .slice(0, n);
  };
  const addTo = (k: 'namespaces' | 'clusters', v: string) => {
    const cur = splitList(f[k]);
    const t = typing(k);
    if (t && v.includes(t) && !(k === 'namespaces' ? nsList.value() : ctxList.value())?.includes(t)) cur.pop();
    if (!cur.includes(v)) cur.push(v);
    set(k, cur.join(', '));
  };

  return (
    <Modal
      title={e ? `Edit ${e.name}` : 'Add a connector'}
      onClose={p.onClose}
      wide
      testId="connector-form"
      footer={
        <>
          <Show when={submitted() && !valid()}>
            <span class="kg-field-error kg-conn-foot-msg" role="alert">
              Fix the fields marked above
            </span>
          </Show>
          <Button onClick={p.onClose}>Cancel</Button>
          <Button onClick={() => void test()} disabled={!!busy()} testId="connector-form-test">
            {busy() === 'test' ? 'Sending…' : 'Send test'}
          </Button>
          <Button variant="primary" onClick={() => void save()} disabled={!!busy()} testId="connector-save">
            {busy() === 'save' ? 'Saving…' : e ? 'Save changes' : 'Add connector'}
          </Button>
        </>
      }
    >
      <form class="kg-conn-form" onSubmit={(ev) => void save(ev)} noValidate>
        <fieldset class="kg-conn-types">
          <legend>Type</legend>
          <For each={CONNECTOR_TYPES}>
            {(t) => (
              <label class="kg-conn-type" classList={{ 'kg-conn-type-on': f.type === t }}>
                <input
                  type="radio"
                  name="connector-type"
                  value={t}
                  checked={f.type === t}
                  onChange={() => set('type', t)}
                  data-testid={`connector-type-${t}`}
                />
                <span>
                  <strong>{CONNECTOR_TYPE_LABEL[t]}</strong>
                  <span class="kg-muted kg-small">{TYPE_BLURB[t]}</span>
                </span>
              </label>
            )}
          </For>
        </fieldset>
        <div class="kg-conn-cols">
          <div>
            <FormField
              label="Name"
              value={f.name}
              onInput={(v) => set('name', v)}
              error={shown('name')}
              hint="How it appears here and in the delivery log."
              placeholder={f.type === 'slack' ? '#ops alerts' : f.type === 'webhook' ? 'Audit service' : 'On-call'}
              testId="connector-name"
            />
            <Show when={uses('url')}>
              <FormField
                label={f.type === 'slack' ? 'Incoming webhook URL' : 'URL'}
                value={f.url}
                onInput={(v) => set('url', v)}
                error={shown('url')}
                secret={!!e}
                placeholder={
                  saved().has('url')
                    ? 'unchanged'
                    : f.type === 'slack'
                      ? 'https://hooks.slack.com/services/T…/B…/…'
                      : 'https://example.com/hooks/kubegraf'
                }
                hint={secretHint(
                  'url',
                  f.type === 'slack'
                    ? 'In Slack: your app → Incoming Webhooks → copy the webhook URL. Kept secret.'
                    : 'KubeGraf POSTs JSON here. Kept secret (it may carry a token).',
                )}
                testId="connector-url"
              />
            </Show>
            <Show when={f.type === 'pagerduty'}>
              <FormField
                label="Integration key"
                value={f.routingKey}
                onInput={(v) => set('routingKey', v)}
                error={shown('routingKey')}
                secret
                hint={secretHint(
                  'routingKey',
                  'In PagerDuty: the service → Integrations → Events API v2 → Integration Key (32 characters).',
                )}
                testId="connector-routing-key"
              />
            </Show>
            <Show when={f.type === 'opsgenie'}>
              <FormField
                label="API key"
                value={f.apiKey}
                onInput={(v) => set('apiKey', v)}
                error={shown('apiKey')}
                secret
                hint={secretHint('apiKey', 'In Opsgenie: Settings → Integrations → API → API Key.')}
                testId="connector-api-key"
              />
            </Show>
            <Show when={uses('endpoint')}>
              <FormField
                label="Endpoint (optional)"
                value={f.endpoint}
                onInput={(v) => set('endpoint', v)}
                error={shown('endpoint')}
                placeholder={DEFAULT_ENDPOINT[f.type]}
                hint={
                  f.type === 'pagerduty'
                    ? 'Empty: PagerDuty. EU accounts: https://events.eu.pagerduty.com/v2/enqueue.'
                    : 'Empty: Opsgenie. EU accounts: https://api.eu.opsgenie.com.'
                }
                testId="connector-endpoint"
              />
            </Show>
            <Show when={f.type === 'webhook'}>
              <FormField
                label="Authorization header (optional)"
                value={f.authorization}
                onInput={(v) => set('authorization', v)}
                error={shown('authorization')}
                secret
                placeholder="Bearer …"
                hint={secretHint('authorization', 'Sent as the Authorization header with every delivery.')}
                testId="connector-authorization"
              />
              <Show when={e?.secrets.authorization}>
                <label class="kg-check kg-conn-clear">
                  <input
                    type="checkbox"
                    checked={f.clearAuthorization}
                    onChange={(ev) => set('clearAuthorization', ev.currentTarget.checked)}
                  />
                  Remove the saved Authorization header
                </label>
              </Show>
              <FormField
                label="Signing secret (optional)"
                value={f.signingSecret}
                onInput={(v) => set('signingSecret', v)}
                error={shown('signingSecret')}
                secret
                hint={secretHint(
                  'signingSecret',
                  'Signs each body: X-KubeGraf-Signature: sha256=HMAC(secret, timestamp + "." + body).',
                )}
                testId="connector-signing-secret"
              />
              <Show when={e?.secrets.signingSecret}>
                <label class="kg-check kg-conn-clear">
                  <input
                    type="checkbox"
                    checked={f.clearSigningSecret}
                    onChange={(ev) => set('clearSigningSecret', ev.currentTarget.checked)}
                  />
                  Remove the saved signing secret
                </label>
              </Show>
            </Show>
            <label class="kg-check">
              <input
                type="checkbox"
                checked={f.enabled}
                onChange={(ev) => set('enabled', ev.currentTarget.checked)}
                data-testid="connector-form-enabled"
              />
              {e ? 'On: incidents are sent to it' : 'On: send to it as soon as it is saved'}
            </label>
          </div>
          <div>
            <fieldset class="kg-conn-group" aria-describedby="kg-conn-events-msg">
              <legend>Send</legend>
              <For each={CONNECTOR_EVENTS}>
                {(ev) => (
                  <label class="kg-check">
                    <input
                      type="checkbox"
                      checked={f.events.includes(ev)}
                      onChange={(x) =>
                        set('events', x.currentTarget.checked ? [...f.events, ev] : f.events.filter((y) => y !== ev))
                      }
                      data-testid={`connector-event-${ev}`}
                    />
                    <span>
                      {CONNECTOR_EVENT_LABEL[ev]} <span class="kg-muted kg-small">{EVENT_HINT[ev]}</span>
                    </span>
                  </label>
                )}
              </For>
              <div id="kg-conn-events-msg" class="kg-field-msg" aria-live="polite">
                <Show when={shown('events')}>
                  <span class="kg-field-error">{shown('events')}</span>
                </Show>
              </div>
            </fieldset>
            <fieldset class="kg-conn-group">
              <legend>Severities</legend>
              <div class="kg-chips" role="group" aria-label="Severities">
                <For each={NOTIFY_SEVERITIES}>
                  {(s) => (
                    <button
                      type="button"
                      class="kg-chip kg-chip-btn"
                      aria-pressed={f.severities.includes(s) ? 'true' : 'false'}
                      onClick={() =>
                        set(
                          'severities',
                          f.severities.includes(s) ? f.severities.filter((x) => x !== s) : [...f.severities, s],
                        )
                      }
                      data-testid={`connector-severity-${s}`}
                    >
                      {s}
                    </button>
                  )}
                </For>
              </div>
              <div class="kg-field-msg">
                {f.severities.length ? `Only ${f.severities.join(', ')}.` : 'None chosen: every severity.'}
              </div>
            </fieldset>
            <FormField
              label="Namespaces"
              value={f.namespaces}
              onInput={(v) => set('namespaces', v)}
              error={shown('namespaces')}
              placeholder="all namespaces"
              hint="Comma-separated; * matches any text (team-*). Empty: every namespace."
              testId="connector-namespaces"
            />
            <Suggestions
              items={offer('namespaces', nsList.value(), 10)}
              onPick={(n) => addTo('namespaces', n)}
              label="Add namespace"
            />
            <FormField
              label="Clusters"
              value={f.clusters}
              onInput={(v) => set('clusters', v)}
              error={shown('clusters')}
              placeholder="all clusters"
              hint="Kubeconfig context names, comma-separated; * matches any text. Empty: every cluster."
              testId="connector-clusters"
            />
            <Suggestions
              items={offer('clusters', ctxList.value(), 6)}
              onPick={(n) => addTo('clusters', n)}
              label="Add cluster"
            />
          </div>
        </div>
        <Show when={serverError()}>
          <p class="kg-field-error" role="alert" data-testid="connector-form-error">
            {serverError()}
          </p>
        </Show>
        <Show when={busy() === 'test'}>
          <Loading label="Sending a test…" />
        </Show>
        <Show when={testResult()}>{(r) => <TestResult result={r()} />}</Show>
        {/* Enter in a field saves. */}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

function FormField(p: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  hint?: JSX.Element;
  placeholder?: string;
  secret?: boolean;
  testId?: string;
}): JSX.Element {
  const id = `kg-conn-${p.testId ?? p.label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div class="kg-field-row">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        class="kg-input"
        classList={{ 'kg-invalid': !!p.error }}
        type={p.secret ? 'password' : 'text'}
        autocomplete={p.secret ? 'new-password' : 'off'}
        spellcheck={false}
        value={p.value}
        placeholder={p.placeholder}
        aria-invalid={p.error ? 'true' : 'false'}
        aria-describedby={`${id}-msg`}
        onInput={(ev) => p.onInput(ev.currentTarget.value)}
        data-testid={p.testId}
      />
      <div id={`${id}-msg`} class="kg-field-msg" aria-live="polite" data-testid={p.testId && `${p.testId}-msg`}>
        <Show when={p.error} fallback={p.hint}>
          <span class="kg-field-error">{p.error}</span>
        </Show>
      </div>
    </div>
  );
}

function Suggestions(p: { items: string[]; onPick: (v: string) => void; label: string }): JSX.Element {
  return (
    <Show when={p.items.length}>
      <div class="kg-chips kg-field-choices" role="group" aria-label={p.label}>
        <For each={p.items}>
          {(n) => (
            <button type="button" class="kg-chip kg-chip-btn" onClick={() => p.onPick(n)} title={`${p.label} ${n}`}>
              + {n}
            </button>
          )}
        </For>
      </div>
    </Show>
  );
}

// ---------------- the delivery log ----------------

const LOG_LIMIT = 200;

function DeliveryLog(p: { connectors: ConnectorDto[]; onDelivery: () => void }): JSX.Element {
  const [connectorId, setConnectorId] = createSignal('');
  const [status, setStatus] = createSignal<DeliveryStatus | ''>('');
  const [event, setEvent] = createSignal<DeliveryEvent | ''>('');
  const [rows, setRows] = createSignal<DeliveryDto[]>();
  const [error, setError] = createSignal<unknown>();
  const [live, setLive] = createSignal<'connecting' | 'open' | 'closed'>('connecting');
  const [resending, setResending] = createSignal<string>();
  const params = () => ({
    ...(connectorId() ? { connectorId: connectorId() } : {}),
    ...(status() ? { status: status() as DeliveryStatus } : {}),
    ...(event() ? { event: event() as DeliveryEvent } : {}),
  });
  let gen = 0;
  const load = async () => {
    const g = ++gen;
    try {
      const r = await api().call('connectors.deliveries', { ...params(), limit: LOG_LIMIT });
      if (g !== gen) return;
      setRows(r.deliveries);
      setError(undefined);
    } catch (e) {
      if (g === gen) setError(toApiError(e));
    }
  };
  const matches = (d: DeliveryDto) =>
    (!connectorId() || d.connectorId === connectorId()) &&
    (!status() || d.status === status()) &&
    (!event() || d.event === event());

  // Live: every new attempt, as it is logged. The channel is one per page; filters apply here.
  let channel: { close(): void } | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const open = () => {
    channel = api().channel(
      'connectors.deliveries',
      { follow: true },
      {
        onMessage: (data) => {
          let d: DeliveryDto;
          try {
            d = JSON.parse(data) as DeliveryDto;
          } catch {
            return;
          }
          if (!d.id) return;
          p.onDelivery();
          if (matches(d)) setRows((r) => [d, ...(r ?? []).filter((x) => x.id !== d.id)].slice(0, LOG_LIMIT));
        },
        onState: (s) => {
          setLive(s);
          if (s === 'open') void load(); // what was logged while we were away
          if (s === 'closed' && !closed) retry = setTimeout(open, 3000);
        },
      },
    );
  };
  onMount(() => {
    void load();
    open();
  });
  onCleanup(() => {
    closed = true;
    clearTimeout(retry);
    channel?.close();
  });
  const change = (fn: () => void) => {
    fn();
    void load();
  };
  const shown = createMemo(() => {
    scopeKey();
    return (rows() ?? []).filter((d) => inScope(d.namespace, namespaces()));
  });
  const resend = async (d: DeliveryDto) => {
    setResending(d.id);
    try {
      const r = await api().call('connectors.redeliver', { deliveryId: d.deliveryId });
      toast(
        r.status === 'delivered' ? `Sent again to ${d.connectorName}` : `Still not delivered: ${r.error}`,
        r.status === 'delivered' ? 'ok' : 'danger',
      );
    } catch (e) {
      toast(toApiError(e).message, 'danger');
    } finally {
      setResending(undefined);
    }
  };
  return (
    <section class="kg-panel" aria-label="Delivery log" data-testid="delivery-log">
      <div class="kg-page-head">
        <h2>Delivery log</h2>
        <span
          class="kg-muted kg-small"
          data-testid="delivery-live"
          title="New attempts appear as they happen"
          aria-live="polite"
        >
          <span class={`kg-dot kg-tone-${live() === 'open' ? 'ok' : live() === 'closed' ? 'danger' : 'warn'}`} />{' '}
          {live() === 'open' ? 'Live' : live() === 'closed' ? 'Reconnecting…' : 'Connecting…'}
        </span>
      </div>
      <div class="kg-toolbar">
        <select
          class="kg-input"
          aria-label="Connector"
          value={connectorId()}
          onChange={(e) => change(() => setConnectorId(e.currentTarget.value))}
          data-testid="delivery-filter-connector"
        >
          <option value="">All connectors</option>
          <For each={p.connectors}>{(c) => <option value={c.id}>{c.name}</option>}</For>
        </select>
        <select
          class="kg-input"
          aria-label="Status"
          value={status()}
          onChange={(e) => change(() => setStatus(e.currentTarget.value as DeliveryStatus | ''))}
          data-testid="delivery-filter-status"
        >
          <option value="">Any status</option>
          <option value="delivered">Delivered</option>
          <option value="retrying">Retrying</option>
          <option value="failed">Failed</option>
          <option value="cancelled">Cancelled</option>
        </select>
        <select
          class="kg-input"
          aria-label="Event"
          value={event()}
          onChange={(e) => change(() => setEvent(e.currentTarget.value as DeliveryEvent | ''))}
          data-testid="delivery-filter-event"
        >
          <option value="">Any event</option>
          <For each={[...CONNECTOR_EVENTS, 'test' as const]}>
            {(ev) => <option value={ev}>{CONNECTOR_EVENT_LABEL[ev]}</option>}
          </For>
        </select>
        <Show when={namespaces().length}>
          <span class="kg-muted kg-small">In {namespaces().join(', ')} (and deliveries of no namespace)</span>
        </Show>
      </div>
      <Show when={!error()} fallback={<ErrorState error={error()} retry={() => void load()} what="the delivery log" />}>
        <Show when={rows()} fallback={<Loading label="Reading the delivery log…" />}>
          <Show
            when={shown().length}
            fallback={
              <Empty
                title={
                  connectorId() || status() || event() || namespaces().length
                    ? 'No delivery matches these filters'
                    : 'Nothing sent yet'
                }
                hint="Deliveries appear here as incidents open and resolve. Use Test on a connector to send one now."
              />
            }
          >
            <table class="kg-simple-table" data-testid="delivery-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Connector</th>
                  <th scope="col">Event</th>
                  <th scope="col">About</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">Status</th>
                  <th scope="col">Receiver's answer</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                <For each={shown()}>
                  {(d) => (
                    <tr data-testid="delivery-row" data-status={d.status} data-event={d.event}>
                      <td class="kg-muted">
                        <When at={d.time} />
                      </td>
                      <td>
                        {d.connectorName}
                        <div class="kg-muted kg-small">{TYPE_SHORT[d.connectorType]}</div>
                      </td>
                      <td>{CONNECTOR_EVENT_LABEL[d.event]}</td>
                      <td>
                        <Badge tone={SEVERITY_TONE[d.severity]}>{d.severity}</Badge>{' '}
                        <Show
                          when={d.event === 'incident.opened' || d.event === 'incident.resolved'}
                          fallback={<span data-testid="delivery-subject">{d.subject}</span>}
                        >
                          <a
                            href={toHash('incidents', { id: d.subjectId })}
                            title="Open the incident"
                            data-testid="delivery-subject"
                          >
                            {d.subject}
                          </a>
                        </Show>
                        <Show when={d.cluster || d.namespace}>
                          <div class="kg-muted kg-small">
                            {[d.cluster, d.namespace && `namespace ${d.namespace}`].filter(Boolean).join(' · ')}
                          </div>
                        </Show>
                      </td>
                      <td>
                        {d.attempt} of {d.maxAttempts}
                      </td>
                      <td>
                        <Badge tone={STATUS_TONE[d.status]} testId="delivery-status">
                          {d.status}
                        </Badge>
                        <Show when={d.status === 'retrying' && d.nextAttemptAt}>
                          <div class="kg-muted kg-small">
                            next try <NextIn at={d.nextAttemptAt!} />
                          </div>
                        </Show>
                      </td>
                      <td class="kg-small">
                        <Show when={d.statusCode || d.error} fallback={<span class="kg-muted">no answer</span>}>
                          <span>{d.statusCode ? `HTTP ${d.statusCode}` : ''}</span>
                          <Show when={d.error}>
                            <div class="kg-error-text">{d.error}</div>
                          </Show>
                          <Show when={d.response}>
                            {(body) => (
                              <Show
                                when={body().length > 60 || body().includes('\n')}
                                fallback={<code class="kg-conn-inline"> {body()}</code>}
                              >
                                <details>
                                  <summary>the body</summary>
                                  <pre class="kg-code kg-conn-answer">{body()}</pre>
                                </details>
                              </Show>
                            )}
                          </Show>
                          <span class="kg-muted"> · {d.durationMs} ms</span>
                        </Show>
                      </td>
                      <td>
                        <Show when={d.status === 'failed' && d.event !== 'test' && d.connectorId}>
                          <Button
                            requires="connectors.redeliver"
                            disabled={resending() === d.id}
                            onClick={() => void resend(d)}
                            testId="delivery-resend"
                          >
                            {resending() === d.id ? 'Sending…' : 'Send again'}
                          </Button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </section>
  );
}

/** "in 25s" / "now", from the shared clock. */
function NextIn(p: { at: string }): JSX.Element {
  const left = () => Date.parse(p.at) - now();
  return (
    <time datetime={p.at} title={new Date(p.at).toLocaleString()}>
      {left() > 500 ? `in ${humanDuration(left())}` : 'now'}
    </time>
  );
}
