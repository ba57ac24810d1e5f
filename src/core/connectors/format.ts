// What each kind of receiver is sent for one event: a generic JSON webhook, a Slack incoming-webhook message
// ({text, blocks}), a PagerDuty Events API v2 event (trigger/resolve by dedup_key) and an Opsgenie alert (create, or
// close by alias). Pure functions: an event and a connector's settings and secrets in, an HTTP request out.
import { createHmac } from 'node:crypto';
import type { Incident, Notification } from '../../shared/incidents';
import {
  CONNECTOR_EVENT_LABEL,
  DEFAULT_ENDPOINT,
  type ConnectorType,
  type DeliveryEvent,
  type NotifySeverity,
  type SecretField,
} from '../../shared/routes/connectors';

/** One thing to send, whatever the receiver. */
export interface OutEvent {
  event: DeliveryEvent;
  /** The incident or notification id (the dedup key / alias of what it raises). */
  id: string;
  time: string;
  severity: NotifySeverity;
  title: string;
  summary: string;
  cluster?: string;
  namespace?: string;
  incident?: IncidentBrief;
  notification?: Omit<Notification, 'read'>;
}

export interface IncidentBrief {
  id: string;
  type: string;
  severity: string;
  status: string;
  title: string;
  description: string;
  rootCause: string;
  resource: { kind: string; namespace?: string; name: string };
  firstSeen: string;
  lastSeen: string;
  resolvedAt?: string;
  occurrences: number;
  recommendedFix?: string;
}

export interface ConnectorSettings {
  id: string;
  name: string;
  type: ConnectorType;
  endpoint?: string;
}

export type Secrets = Partial<Record<SecretField, string>>;

export interface OutRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function incidentEvent(what: 'incident.opened' | 'incident.resolved', i: Incident): OutEvent {
  const fix = i.recommendedFixes[0];
  return {
    event: what,
    id: i.id,
    time: what === 'incident.resolved' ? (i.resolvedAt ?? new Date().toISOString()) : i.timestamp || i.lastSeen,
    severity: i.severity,
    title: i.title,
    summary: what === 'incident.resolved' ? 'The condition cleared.' : i.rootCause || i.description,
    cluster: i.context,
    namespace: i.resource.namespace,
    incident: {
      id: i.id,
      type: i.type,
      severity: i.severity,
      status: i.status,
      title: i.title,
      description: i.description,
      rootCause: i.rootCause,
      resource: { kind: i.resource.kind, namespace: i.resource.namespace, name: i.resource.name },
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
      resolvedAt: i.resolvedAt,
      occurrences: i.occurrences,
      recommendedFix: fix?.description,
    },
  };
}

export function notificationEvent(n: Notification, namespace?: string): OutEvent {
  return {
    event: 'notification',
    id: n.id,
    time: n.time,
    severity: n.severity,
    title: n.title,
    summary: n.message,
    cluster: n.context,
    namespace,
    notification: {
      id: n.id,
      time: n.time,
      severity: n.severity,
      title: n.title,
      message: n.message,
      source: n.source,
      incidentId: n.incidentId,
      context: n.context,
    },
  };
}

/** What a test send carries: plainly a test, info-level, about nothing in the cluster. */
export function testEvent(connectorName: string, id: string): OutEvent {
  return {
    event: 'test',
    id,
    time: new Date().toISOString(),
    severity: 'info',
    title: `KubeGraf test: ${connectorName} works`,
    summary: `A test sent from KubeGraf's Connectors page. Incidents and notifications that pass this connector's filters arrive here like this.`,
  };
}

const SEVERITY_DOT: Record<NotifySeverity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

/** PagerDuty's four severities. */
const PD_SEVERITY: Record<NotifySeverity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

/** Opsgenie's P1 (critical) … P5 (informational). */
const OPSGENIE_PRIORITY: Record<NotifySeverity, string> = {
  critical: 'P1',
  high: 'P2',
  medium: 'P3',
  low: 'P4',
  info: 'P5',
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Slack's mrkdwn needs only these three escaped. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const objectOf = (e: OutEvent) =>
  e.incident
    ? `${e.incident.resource.kind} ${e.incident.resource.namespace ? `${e.incident.resource.namespace}/` : ''}${e.incident.resource.name}`
    : undefined;

/** Whether the event ends what an earlier one raised (PagerDuty resolve, Opsgenie close). */
const ends = (e: OutEvent) => e.event === 'incident.resolved';

/** The dedup key / alias: one per incident, so its resolve closes what its open raised. */
export const dedupKey = (e: OutEvent): string => `kubegraf-${e.id}`.slice(0, 255);

export function genericBody(e: OutEvent, version: string, deliveryId: string): Record<string, unknown> {
  return {
    source: 'kubegraf',
    version,
    deliveryId,
    event: e.event,
    time: e.time,
    severity: e.severity,
    title: e.title,
    summary: e.summary,
    ...(e.cluster ? { cluster: e.cluster } : {}),
    ...(e.namespace ? { namespace: e.namespace } : {}),
    ...(e.incident ? { incident: e.incident } : {}),
    ...(e.notification ? { notification: e.notification } : {}),
  };
}

export function slackBody(e: OutEvent): { text: string; blocks: unknown[] } {
  const what = CONNECTOR_EVENT_LABEL[e.event];
  const dot = e.event === 'incident.resolved' ? '✅' : SEVERITY_DOT[e.severity];
  const text = `${dot} ${what}: ${e.title}${e.cluster ? ` (${e.cluster})` : ''}`;
  const fields = [
    ['Severity', e.severity],
    ['Cluster', e.cluster],
    ['Namespace', e.namespace],
    ['Object', objectOf(e)],
  ]
    .filter((f): f is [string, string] => !!f[1])
    .map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${esc(v)}` }));
  const context = [
    'KubeGraf',
    e.incident && e.event !== 'incident.resolved'
      ? `first seen ${e.incident.firstSeen} · ${e.incident.occurrences} occurrence${e.incident.occurrences === 1 ? '' : 's'}`
      : undefined,
    e.incident?.recommendedFix && e.event === 'incident.opened'
      ? `suggested fix: ${e.incident.recommendedFix}`
      : undefined,
  ].filter(Boolean);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${dot} ${what}: ${e.title}`, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(esc(e.summary || e.title), 3000) } },
  ];
  if (fields.length) blocks.push({ type: 'section', fields });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(esc(context.join(' · ')), 3000) }] });
  return { text: clip(text, 3000), blocks };
}

export function pagerDutyBody(e: OutEvent, routingKey: string, action: 'trigger' | 'resolve'): Record<string, unknown> {
  if (action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey(e) };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(e),
    payload: {
      summary: clip(`${e.title}${e.cluster ? ` (${e.cluster})` : ''}`, 1024),
      severity: PD_SEVERITY[e.severity],
      source: clip(e.cluster ?? 'kubegraf', 255),
      timestamp: e.time,
      ...(objectOf(e) ? { component: objectOf(e) } : {}),
      ...(e.namespace ? { group: e.namespace } : {}),
      class: e.incident?.type ?? e.event,
      custom_details: {
        summary: e.summary,
        ...(e.incident
          ? {
              incident_id: e.incident.id,
              root_cause: e.incident.rootCause,
              occurrences: e.incident.occurrences,
              first_seen: e.incident.firstSeen,
              ...(e.incident.recommendedFix ? { suggested_fix: e.incident.recommendedFix } : {}),
            }
          : {}),
      },
    },
    client: 'KubeGraf',
  };
}

export function opsgenieCreateBody(e: OutEvent): Record<string, unknown> {
  return {
    message: clip(e.title, 130),
    alias: dedupKey(e).slice(0, 512),
    description: clip(
      [e.summary, e.incident?.recommendedFix ? `Suggested fix: ${e.incident.recommendedFix}` : '']
        .filter(Boolean)
        .join('\n\n'),
      15000,
    ),
    priority: OPSGENIE_PRIORITY[e.severity],
    source: 'KubeGraf',
    ...(objectOf(e) ? { entity: clip(objectOf(e)!, 512) } : {}),
    tags: [e.cluster, e.namespace, e.incident?.type, e.severity]
      .filter((t): t is string => !!t)
      .map((t) => clip(t, 50)),
    details: {
      event: e.event,
      ...(e.cluster ? { cluster: e.cluster } : {}),
      ...(e.namespace ? { namespace: e.namespace } : {}),
      ...(e.incident ? { incidentId: e.incident.id, occurrences: String(e.incident.occurrences) } : {}),
    },
  };
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** The request for one event; `follow`: the resolve/close a test sends after its trigger. */
export function buildRequest(
  c: ConnectorSettings,
  secrets: Secrets,
  e: OutEvent,
  o: { version: string; deliveryId: string; follow?: boolean; now?: Date },
): OutRequest {
  const json = { 'Content-Type': 'application/json', 'User-Agent': `KubeGraf/${o.version}` };
  const resolve = ends(e) || !!o.follow;
  switch (c.type) {
    case 'slack':
      return { url: need(secrets, 'url'), headers: json, body: JSON.stringify(slackBody(e)) };
    case 'webhook': {
      const body = JSON.stringify(genericBody(e, o.version, o.deliveryId));
      const headers: Record<string, string> = {
        ...json,
        'X-KubeGraf-Event': e.event,
        'X-KubeGraf-Delivery': o.deliveryId,
      };
      if (secrets.authorization) headers.Authorization = secrets.authorization;
      if (secrets.signingSecret) {
        const ts = String(Math.floor((o.now ?? new Date()).getTime() / 1000));
        headers['X-KubeGraf-Timestamp'] = ts;
        headers['X-KubeGraf-Signature'] =
          `sha256=${createHmac('sha256', secrets.signingSecret).update(`${ts}.${body}`).digest('hex')}`;
      }
      return { url: need(secrets, 'url'), headers, body };
    }
    case 'pagerduty':
      return {
        url: c.endpoint || DEFAULT_ENDPOINT.pagerduty!,
        headers: json,
        body: JSON.stringify(pagerDutyBody(e, need(secrets, 'routingKey'), resolve ? 'resolve' : 'trigger')),
      };
    case 'opsgenie': {
      const base = `${trimSlash(c.endpoint || DEFAULT_ENDPOINT.opsgenie!)}/v2/alerts`;
      const headers = { ...json, Authorization: `GenieKey ${need(secrets, 'apiKey')}` };
      if (resolve)
        return {
          url: `${base}/${encodeURIComponent(dedupKey(e))}/close?identifierType=alias`,
          headers,
          body: JSON.stringify({ source: 'KubeGraf', note: e.event === 'test' ? 'Test done' : e.summary }),
        };
      return { url: base, headers, body: JSON.stringify(opsgenieCreateBody(e)) };
    }
  }
}

export class MissingSecret extends Error {
  constructor(readonly field: SecretField) {
    super(
      `KubeGraf no longer holds this connector's ${SECRET_WORDS[field]} (restored from a backup?): edit the connector and enter it again`,
    );
  }
}

const SECRET_WORDS: Record<SecretField, string> = {
  url: 'URL',
  routingKey: 'integration key',
  apiKey: 'API key',
  authorization: 'Authorization header',
  signingSecret: 'signing secret',
};

function need(s: Secrets, f: SecretField): string {
  const v = s[f];
  if (!v) throw new MissingSecret(f);
  return v;
}
