// Connectors: incidents and notifications sent out to webhooks, Slack-compatible incoming webhooks, PagerDuty (Events
// API v2) and Opsgenie (Alert API), filtered by severity, namespace and cluster, retried with back-off, each attempt
// in a delivery log. Secrets (webhook URLs, routing keys, API keys) go in and never come back out: every answer masks
// them. The rules a connector must meet live here, so the form says them as the user types and the server enforces
// the same ones.
import { z } from 'zod';
import { route } from '../route';
import { boolish, int } from './params';
import type { ActionResult } from './resources';

export const CONNECTOR_TYPES = ['slack', 'webhook', 'pagerduty', 'opsgenie'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

export const CONNECTOR_TYPE_LABEL: Record<ConnectorType, string> = {
  slack: 'Slack (incoming webhook)',
  webhook: 'Webhook (JSON)',
  pagerduty: 'PagerDuty (Events API v2)',
  opsgenie: 'Opsgenie (Alert API)',
};

/** What a connector may be sent. `test` is a test send from the page; it ignores filters. */
export const CONNECTOR_EVENTS = ['incident.opened', 'incident.resolved', 'notification'] as const;
export type ConnectorEvent = (typeof CONNECTOR_EVENTS)[number];
export type DeliveryEvent = ConnectorEvent | 'test';

export const CONNECTOR_EVENT_LABEL: Record<DeliveryEvent, string> = {
  'incident.opened': 'Incident opened',
  'incident.resolved': 'Incident resolved',
  notification: 'Notification',
  test: 'Test send',
};

export const NOTIFY_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type NotifySeverity = (typeof NOTIFY_SEVERITIES)[number];

/** Fields that hold credentials: accepted on create/update, masked in every answer. */
export const SECRET_FIELDS = ['url', 'routingKey', 'apiKey', 'authorization', 'signingSecret'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/** Where the hosted services take events, when the connector does not name another endpoint. */
export const DEFAULT_ENDPOINT: Partial<Record<ConnectorType, string>> = {
  pagerduty: 'https://events.pagerduty.com/v2/enqueue',
  opsgenie: 'https://api.opsgenie.com',
};

/** Which fields each type uses (others are ignored). */
export const TYPE_FIELDS: Record<ConnectorType, ReadonlyArray<keyof ConnectorInput>> = {
  slack: ['url'],
  webhook: ['url', 'authorization', 'signingSecret'],
  pagerduty: ['routingKey', 'endpoint'],
  opsgenie: ['apiKey', 'endpoint'],
};

export interface ConnectorInput {
  name: string;
  type: ConnectorType;
  enabled?: boolean;
  /** Default: incident opened and resolved. */
  events?: ConnectorEvent[];
  /** Empty: every severity. */
  severities?: NotifySeverity[];
  /** Namespace names or `*` patterns (`team-*`); empty: every namespace (and events of no namespace). */
  namespaces?: string[];
  /** Kubeconfig context names or `*` patterns; empty: every cluster. */
  clusters?: string[];
  /** webhook, slack: where to POST (secret: Slack's token is in the path). */
  url?: string;
  /** pagerduty, opsgenie: the API's URL when not the default (EU region, a proxy, a local receiver). */
  endpoint?: string;
  /** pagerduty: the integration (routing) key of an Events API v2 integration. */
  routingKey?: string;
  /** opsgenie: an API integration's key, sent as `Authorization: GenieKey …`. */
  apiKey?: string;
  /** webhook: sent as the Authorization header (`Bearer …`). */
  authorization?: string;
  /** webhook: signs each body: `X-KubeGraf-Signature: sha256=HMAC(secret, timestamp + "." + body)`. */
  signingSecret?: string;
}

export interface ConnectorDto {
  id: string;
  name: string;
  type: ConnectorType;
  enabled: boolean;
  events: ConnectorEvent[];
  severities: NotifySeverity[];
  namespaces: string[];
  clusters: string[];
  /** Where deliveries go, masked: `https://hooks.slack.com/********Xy9Z`, `PagerDuty ********ab12 → events.pagerduty.com`. */
  target: string;
  endpoint?: string;
  /** The secret fields that are set, each masked (`********ab12`). */
  secrets: Partial<Record<SecretField, string>>;
  /** Secret fields the connector needs but KubeGraf no longer holds (a database restored without its keys). */
  missingSecrets: SecretField[];
  createdAt: string;
  updatedAt: string;
  lastDelivery?: DeliveryDto;
}

export type DeliveryStatus = 'delivered' | 'retrying' | 'failed' | 'cancelled';

/** One attempt to deliver one event to one connector. */
export interface DeliveryDto {
  /** This attempt. */
  id: string;
  /** The delivery (every attempt of one event to one connector shares it). */
  deliveryId: string;
  connectorId: string;
  connectorName: string;
  connectorType: ConnectorType;
  time: string;
  event: DeliveryEvent;
  /** The incident or notification id. */
  subjectId: string;
  /** What it was about, in words: the incident's title. */
  subject: string;
  severity: NotifySeverity;
  cluster?: string;
  namespace?: string;
  attempt: number;
  maxAttempts: number;
  status: DeliveryStatus;
  /** The receiver's HTTP status, when it answered. */
  statusCode?: number;
  /** Why it failed, in words. */
  error?: string;
  durationMs: number;
  /** When the next attempt is due (status retrying). */
  nextAttemptAt?: string;
  /** The start of the receiver's answer (at most 2 KiB). */
  response?: string;
}

export interface ConnectorTestResult {
  ok: boolean;
  /** What the test did, in words. */
  message: string;
  delivery: DeliveryDto;
  /** PagerDuty and Opsgenie: the alert the test raised, resolved or closed again. */
  followUp?: DeliveryDto;
}

export interface ConnectorList {
  connectors: ConnectorDto[];
}

export interface DeliveryList {
  deliveries: DeliveryDto[];
}

// ---------------- the rules, shared by the form and the server ----------------

const NS_PATTERN = /^[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?$/;
const CONTEXT_PATTERN = /^[^\s]{1,253}$/;

/** A problem with a URL a delivery is POSTed to, or undefined. */
export function urlProblem(raw: string, what = 'URL'): string | undefined {
  const s = raw.trim();
  if (!s) return `Enter the ${what}`;
  if (s.length > 2048) return `The ${what} is longer than 2,048 characters`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https')
    return `Only http:// and https:// URLs can receive deliveries (not ${scheme}:)`;
  if (!scheme) return `Start the ${what} with https:// (or http://)`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `This is not a valid ${what}`;
  }
  if (!u.hostname) return `The ${what} needs a host name`;
  if (u.username || u.password) return 'Put credentials in a header field, not in the URL';
  return undefined;
}

/** Every problem of a connector's fields, by field. `saved`: the secret fields the stored connector already has. */
export function connectorProblems(
  c: Partial<ConnectorInput>,
  saved: ReadonlySet<SecretField> = new Set(),
): Partial<Record<keyof ConnectorInput, string>> {
  const p: Partial<Record<keyof ConnectorInput, string>> = {};
  const name = (c.name ?? '').trim();
  if (!name) p.name = 'Give the connector a name';
  else if (name.length > 64) p.name = 'At most 64 characters';
  if (!c.type || !CONNECTOR_TYPES.includes(c.type)) {
    p.type = 'Choose a type';
    return p;
  }
  const need = (f: SecretField) => !(c[f] ?? '').trim() && !saved.has(f);
  const fields = TYPE_FIELDS[c.type];
  if (fields.includes('url')) {
    if (need('url')) p.url = c.type === 'slack' ? 'Enter the incoming webhook URL' : 'Enter the URL to POST to';
    else if ((c.url ?? '').trim()) p.url = urlProblem(c.url!, c.type === 'slack' ? 'webhook URL' : 'URL');
  }
  if (fields.includes('endpoint') && (c.endpoint ?? '').trim()) p.endpoint = urlProblem(c.endpoint!, 'endpoint URL');
  if (c.type === 'pagerduty') {
    const k = (c.routingKey ?? '').trim();
    if (need('routingKey')) p.routingKey = 'Enter the integration key';
    else if (k && !/^[A-Za-z0-9]{32}$/.test(k))
      p.routingKey = `An Events API v2 integration key is 32 letters and digits (this has ${k.length} characters)`;
  }
  if (c.type === 'opsgenie') {
    const k = (c.apiKey ?? '').trim();
    if (need('apiKey')) p.apiKey = 'Enter the API key';
    else if (k && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(k))
      p.apiKey = 'An Opsgenie API key looks like 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901';
  }
  if (c.type === 'webhook') {
    const a = c.authorization ?? '';
    if (/[\r\n]/.test(a)) p.authorization = 'One line only';
    else if (a.length > 4096) p.authorization = 'At most 4,096 characters';
    const s = c.signingSecret ?? '';
    if (s && s.trim().length < 16) p.signingSecret = `At least 16 characters (${16 - s.trim().length} more)`;
    else if (s.length > 512) p.signingSecret = 'At most 512 characters';
  }
  if (c.events && !c.events.length) p.events = 'Choose at least one event to send';
  const badNs = (c.namespaces ?? []).find((n) => !NS_PATTERN.test(n));
  if (badNs !== undefined)
    p.namespaces = `"${badNs}" is not a namespace name (lower-case letters, digits, "-", and * for any text)`;
  else if ((c.namespaces ?? []).length > 100) p.namespaces = 'At most 100 namespaces';
  const badCtx = (c.clusters ?? []).find((n) => !CONTEXT_PATTERN.test(n));
  if (badCtx !== undefined) p.clusters = `"${badCtx}" is not a context name (no spaces)`;
  else if ((c.clusters ?? []).length > 100) p.clusters = 'At most 100 clusters';
  for (const k of Object.keys(p) as Array<keyof ConnectorInput>) if (p[k] === undefined) delete p[k];
  return p;
}

/** `a, b  c` → `['a','b','c']`: how the form's list fields are typed. */
export const splitList = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** `*` matches any run of characters; everything else literally. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
  return re.test(value);
}
const escapeRe = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

// ---------------- routes ----------------

const connectorId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a connector id');
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const inputShape = {
  name: text(200),
  type: z.enum(CONNECTOR_TYPES),
  enabled: boolish.optional(),
  events: z.array(z.enum(CONNECTOR_EVENTS)).max(10).optional(),
  severities: z.array(z.enum(NOTIFY_SEVERITIES)).max(10).optional(),
  namespaces: z.array(text(253)).max(200).optional(),
  clusters: z.array(text(253)).max(200).optional(),
  url: text(4096).optional(),
  endpoint: text(4096).optional(),
  routingKey: text(256).optional(),
  apiKey: text(256).optional(),
  authorization: text(8192).optional(),
  signingSecret: text(1024).optional(),
};
const createParams = z.object(inputShape);
const updateParams = z.object({
  id: connectorId,
  ...inputShape,
  name: inputShape.name.optional(),
  type: inputShape.type.optional(),
  /** Optional secrets to remove (an empty field keeps the saved value). */
  clearSecrets: z
    .array(z.enum(['authorization', 'signingSecret']))
    .max(2)
    .optional(),
});

export const CONNECTOR_ROUTES = {
  'connectors.list': route<ConnectorList>()(
    'GET',
    '/api/connectors',
    'connectors',
    'List connectors (secrets masked) with their last delivery',
    z.object({}),
  ),
  'connectors.create': route<ConnectorDto>()(
    'POST',
    '/api/connectors/create',
    'connectors',
    'Create a connector (admin): webhook, Slack, PagerDuty or Opsgenie, with filters',
    createParams,
    { role: 'admin' },
  ),
  'connectors.update': route<ConnectorDto>()(
    'POST',
    '/api/connectors/update',
    'connectors',
    'Change a connector (admin); an empty secret field keeps the saved one',
    updateParams,
    { role: 'admin' },
  ),
  'connectors.delete': route<ActionResult>()(
    'DELETE',
    '/api/connectors/delete',
    'connectors',
    'Delete a connector and its saved secrets (admin); its delivery log stays',
    z.object({ id: connectorId }),
    { role: 'admin' },
  ),
  'connectors.test': route<ConnectorTestResult>()(
    'POST',
    '/api/connectors/test',
    'connectors',
    "Send a test event (admin): a saved connector, or the form's fields over it; answers with the receiver's reply",
    updateParams.extend({ id: connectorId.optional() }),
    { role: 'admin', timeoutMs: 45_000 },
  ),
  'connectors.deliveries': route<DeliveryList>()(
    'GET',
    '/api/connectors/deliveries',
    'connectors',
    'The delivery log, newest first (follow=true streams new attempts as NDJSON)',
    z.object({
      connectorId: connectorId.optional(),
      status: z.enum(['delivered', 'retrying', 'failed', 'cancelled']).optional(),
      event: z.enum([...CONNECTOR_EVENTS, 'test']).optional(),
      limit: int(1, 2000).optional(),
      follow: boolish.optional(),
    }),
    { shape: 'stream', streamParam: 'follow' },
  ),
  'connectors.redeliver': route<DeliveryDto>()(
    'POST',
    '/api/connectors/redeliver',
    'connectors',
    'Send a logged event again to its connector, now (operator)',
    z.object({ deliveryId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a delivery id') }),
    { timeoutMs: 45_000 },
  ),
} as const;
