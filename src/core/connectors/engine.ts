// The connector engine: listens to incidents (opened, resolved) and notifications, picks the connectors whose filters
// an event passes, and delivers it to each: one POST with a deadline, retried with bounded, jittered exponential
// back-off while the receiver is down or busy, every attempt written to the delivery log and announced to live
// subscribers. Deliveries about one incident to one connector go in order (a resolve never overtakes its trigger).
// An incident is announced once per connector: a restart's rescan or one already open when the connector was made is
// not sent again, and a resolve is sent only for what was announced.
import { randomUUID } from 'node:crypto';
import type { Incident, Notification } from '../../shared/incidents';
import {
  connectorProblems,
  globMatch,
  DEFAULT_ENDPOINT,
  SECRET_FIELDS,
  TYPE_FIELDS,
  type ConnectorDto,
  type ConnectorInput,
  type ConnectorTestResult,
  type DeliveryDto,
  type DeliveryEvent,
  type DeliveryStatus,
  type SecretField,
} from '../../shared/routes/connectors';
import { Emitter } from '../kube/emitter';
import type { SecretStore } from '../store/secrets';
import type { DurableDb } from '../store/durableDb';
import {
  buildRequest,
  incidentEvent,
  MissingSecret,
  notificationEvent,
  testEvent,
  type OutEvent,
  type Secrets,
} from './format';
import { ConnectorRecords, type StoredConnector } from './records';
import { post, type SendOutcome } from './send';

/** What the engine listens to: the smallest part of the incident engine and the store it needs. */
export interface ConnectorSources {
  onIncident(fn: (e: { what: string; incident: Incident }) => void): () => void;
  onNotification(fn: (n: Notification) => void): () => void;
  incident(id: string): Incident | undefined;
  /** Ids of the incidents open now (a new connector does not announce them). */
  openIncidents(): string[];
}

export interface ConnectorEngineOptions {
  db: () => DurableDb;
  secrets: SecretStore;
  sources?: ConnectorSources;
  version?: string;
  /** Waits before the 2nd, 3rd… attempt (before jitter). Default 5 s, 30 s, 2 min, 10 min: five attempts. */
  retryDelaysMs?: readonly number[];
  /** ± this fraction of each wait, at random (default 0.2), so receivers coming back are not hit all at once. */
  jitter?: number;
  random?: () => number;
  /** One attempt's deadline (default 10 s). */
  timeoutMs?: number;
  /** Called while an enabled connector exists: incident detection must run for events to come. Resolves once it
   * has scanned the cluster (or failed to). */
  wantEvents?: () => Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000] as const;
/** The longest a receiver's Retry-After is honoured. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;
/** Deliveries queued or waiting for a retry at once; beyond, new ones fail at once (a receiver down for long). */
const MAX_PENDING = 1000;

export class ConnectorError extends Error {
  constructor(
    readonly code: 'invalidParams' | 'notFound' | 'conflict',
    message: string,
    readonly fields?: Partial<Record<keyof ConnectorInput, string>>,
  ) {
    super(message);
  }
}

const secretKey = (id: string) => `connector:${id}`;

export function maskSecret(v: string): string {
  return v.length >= 16 ? `********${v.slice(-4)}` : '********';
}

/** Scheme and host stay (they say where it goes); the path and query may hold a token. */
export function maskUrl(v: string): string {
  try {
    const u = new URL(v);
    const rest = `${u.pathname}${u.search}${u.hash}`;
    return rest && rest !== '/' ? `${u.protocol}//${u.host}/${maskSecret(rest)}` : `${u.protocol}//${u.host}`;
  } catch {
    return '********';
  }
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export class ConnectorEngine {
  private readonly bus = new Emitter<{ delivery: DeliveryDto }>();
  private readonly records: ConnectorRecords;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  /** The tail of each connector+subject's queue: deliveries about one thing go in order. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private pending = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private closed = false;
  readonly retryDelaysMs: readonly number[];

  constructor(private readonly o: ConnectorEngineOptions) {
    this.records = new ConnectorRecords(o.db);
    this.retryDelaysMs = o.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /** Starts listening; asks for incident detection when a connector is on. */
  start(): void {
    const s = this.o.sources;
    if (!s) return;
    this.unsubscribe.push(
      s.onIncident(({ what, incident }) => {
        if (what === 'opened' || what === 'reopened') this.onSubject(incidentEvent('incident.opened', incident));
        else if (what === 'resolved') this.onSubject(incidentEvent('incident.resolved', incident));
      }),
      s.onNotification((n) => {
        const ns = n.incidentId ? s.incident(n.incidentId)?.resource.namespace : undefined;
        this.onSubject(notificationEvent(n, ns));
      }),
    );
    this.ensureEvents();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const u of this.unsubscribe.splice(0)) u();
    for (const s of [...this.sleeping]) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleeping.clear();
  }

  /** New attempts as they are logged. */
  onDelivery(fn: (d: DeliveryDto) => void): () => void {
    return this.bus.on('delivery', fn);
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void> {
    return this.pending ? new Promise((r) => this.idleWaiters.push(r)) : Promise.resolve();
  }

  /** Asks for incident detection while a connector is on (at start, after changes, after a context switch). */
  ensureEvents(): void {
    if (this.closed || !this.o.wantEvents) return;
    try {
      if (this.records.all().some((c) => c.enabled)) void this.o.wantEvents().catch(() => undefined);
    } catch {
      // The store is closing.
    }
  }

  /**
   * The incidents open now, once detection has scanned (bounded: a cluster that does not answer does not hold up a
   * save): a connector turned on does not announce what was already open.
   */
  private async openNow(): Promise<string[]> {
    if (!this.o.sources) return [];
    if (this.o.wantEvents) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.o.wantEvents().catch(() => undefined),
        new Promise((r) => (timer = setTimeout(r, 10_000))),
      ]);
      clearTimeout(timer);
    }
    return this.o.sources.openIncidents();
  }

  // ---------------- connectors ----------------

  async list(): Promise<ConnectorDto[]> {
    const last = this.records.lastAttempts();
    return Promise.all(this.records.all().map(async (c) => this.dto(c, await this.secretsOf(c.id), last.get(c.id))));
  }

  async create(input: ConnectorInput): Promise<ConnectorDto> {
    this.check(input, new Set());
    this.uniqueName(input.name.trim());
    const now = new Date().toISOString();
    const secrets = this.secretsFrom(input, {});
    const c: StoredConnector = {
      id: randomUUID(),
      name: input.name.trim(),
      type: input.type,
      enabled: input.enabled ?? true,
      events: input.events ?? ['incident.opened', 'incident.resolved'],
      severities: input.severities ?? [],
      namespaces: input.namespaces ?? [],
      clusters: input.clusters ?? [],
      ...(TYPE_FIELDS[input.type].includes('endpoint') && input.endpoint?.trim()
        ? { endpoint: input.endpoint.trim() }
        : {}),
      secretFields: Object.keys(secrets) as SecretField[],
      createdAt: now,
      updatedAt: now,
    };
    // Secrets first: a connector is never stored without what it needs to deliver.
    await this.o.secrets.set(secretKey(c.id), JSON.stringify(secrets));
    const baseline = c.enabled ? await this.openNow() : [];
    await this.records.save(c, baseline);
    return this.dto(c, secrets);
  }

  async update(id: string, patch: Partial<ConnectorInput> & { clearSecrets?: SecretField[] }): Promise<ConnectorDto> {
    const { next, secrets } = await this.merged(id, patch);
    next.updatedAt = new Date().toISOString();
    const turnedOn = next.enabled && !this.mustGet(id).enabled;
    await this.o.secrets.set(secretKey(id), JSON.stringify(secrets));
    await this.records.save(next, turnedOn ? await this.openNow() : []);
    return this.dto(next, secrets, this.records.lastAttempts().get(id));
  }

  async delete(id: string): Promise<StoredConnector> {
    const c = this.mustGet(id);
    await this.records.delete(id);
    await this.o.secrets.delete(secretKey(id));
    return c;
  }

  deliveries(q: {
    connectorId?: string;
    status?: DeliveryStatus;
    event?: DeliveryEvent;
    limit?: number;
  }): DeliveryDto[] {
    return this.records.deliveries(q);
  }

  /** A test send: the saved connector, or the form's fields over it (or alone); one attempt, no filters. */
  async test(
    patch: Partial<ConnectorInput> & { id?: string; clearSecrets?: SecretField[] },
  ): Promise<ConnectorTestResult> {
    let c: StoredConnector;
    let secrets: Secrets;
    if (patch.id) ({ next: c, secrets } = await this.merged(patch.id, patch, true));
    else {
      const input = { ...patch, name: patch.name ?? '', type: patch.type! };
      this.check(input, new Set());
      secrets = this.secretsFrom(input, {});
      const now = new Date().toISOString();
      c = {
        id: '',
        name: `${input.name.trim()} (not saved)`,
        type: input.type,
        enabled: true,
        events: [],
        severities: [],
        namespaces: [],
        clusters: [],
        ...(input.endpoint?.trim() ? { endpoint: input.endpoint.trim() } : {}),
        secretFields: Object.keys(secrets) as SecretField[],
        createdAt: now,
        updatedAt: now,
      };
    }
    const e = testEvent(c.name, `test-${randomUUID().slice(0, 8)}`);
    const { row } = await this.attempt(c, secrets, e, randomUUID(), 1, 1);
    let followUp: DeliveryDto | undefined;
    if (row.status === 'delivered' && (c.type === 'pagerduty' || c.type === 'opsgenie'))
      followUp = (await this.attempt(c, secrets, e, randomUUID(), 1, 1, true)).row;
    const receiver = c.type === 'slack' || c.type === 'webhook' ? hostOf(secrets.url ?? '') : c.type;
    const what = c.type === 'pagerduty' ? 'resolved' : 'closed';
    const message =
      row.status === 'delivered'
        ? `${receiver} accepted the test (HTTP ${row.statusCode})${
            followUp
              ? followUp.status === 'delivered'
                ? `; the test alert was ${what} again`
                : `; ${what === 'resolved' ? 'resolving' : 'closing'} the test alert failed: ${followUp.error}`
              : ''
          }`
        : `The test was not delivered: ${row.error}`;
    return { ok: row.status === 'delivered', message, delivery: row, ...(followUp ? { followUp } : {}) };
  }

  /** Sends a logged event to its connector again, now (one attempt). */
  async redeliver(deliveryId: string): Promise<DeliveryDto> {
    const sent = this.records.sent(deliveryId);
    if (!sent) throw new ConnectorError('notFound', 'that delivery is no longer in the log');
    const c = this.records.get(sent.connectorId);
    if (!c) throw new ConnectorError('notFound', 'its connector was deleted');
    const secrets = await this.secretsOf(c.id);
    return (await this.attempt(c, secrets, sent.event, randomUUID(), 1, 1)).row;
  }

  // ---------------- delivery ----------------

  /**
   * Everything here runs in one turn, so two events about one incident are queued in the order they came (a write
   * is visible to the next read at once; it is made durable behind the scenes).
   */
  private onSubject(e: OutEvent): void {
    if (this.closed) return;
    let connectors: StoredConnector[];
    try {
      connectors = this.records.all();
    } catch {
      return; // the store is closing
    }
    for (const c of connectors) {
      if (!this.passes(c, e)) continue;
      // Incidents are announced once: opened (unless already announced or open when the connector was made), then
      // resolved (only what was announced).
      if (e.event === 'incident.opened' || e.event === 'incident.resolved') {
        const state = this.records.subjectState(c.id, e.id);
        if (e.event === 'incident.opened') {
          if (state) continue;
          void this.records.setSubject(c.id, e.id, 'opened').catch(() => undefined);
        } else {
          if (state) void this.records.setSubject(c.id, e.id, undefined).catch(() => undefined);
          if (state !== 'opened') continue;
        }
      }
      this.enqueue(c.id, e);
    }
  }

  /** The connector's on/off, events and filters. */
  private passes(c: StoredConnector, e: OutEvent): boolean {
    if (!c.enabled || e.event === 'test' || !c.events.includes(e.event)) return false;
    if (c.severities.length && !c.severities.includes(e.severity)) return false;
    if (c.namespaces.length && !(e.namespace && c.namespaces.some((p) => globMatch(p, e.namespace!)))) return false;
    if (c.clusters.length && !(e.cluster && c.clusters.some((p) => globMatch(p, e.cluster!)))) return false;
    return true;
  }

  private enqueue(connectorId: string, e: OutEvent): void {
    const deliveryId = randomUUID();
    if (this.pending >= MAX_PENDING) {
      const c = this.records.get(connectorId);
      if (c)
        void this.log(
          this.row(c, e, deliveryId, 1, 1, {
            ok: false,
            retryable: false,
            durationMs: 0,
            error: `not sent: ${MAX_PENDING} deliveries are already waiting (receivers down?)`,
          }),
        ).catch(() => undefined);
      return;
    }
    this.pending++;
    const key = `${connectorId}|${e.id}`;
    const run = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.deliver(connectorId, e, deliveryId))
      .catch(() => undefined)
      .finally(() => {
        if (this.chains.get(key) === run) this.chains.delete(key);
        if (--this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    this.chains.set(key, run);
  }

  private async deliver(connectorId: string, e: OutEvent, deliveryId: string): Promise<void> {
    const max = this.retryDelaysMs.length + 1;
    for (let n = 1; n <= max && !this.closed; n++) {
      const c = this.records.get(connectorId);
      if (!c || !c.enabled) {
        if (c && n > 1)
          await this.log(
            this.row(c, e, deliveryId, n, max, {
              ok: false,
              retryable: false,
              durationMs: 0,
              error: 'not retried: the connector was turned off',
            }),
            undefined,
            'cancelled',
          );
        return;
      }
      const { row, waitMs } = await this.attempt(c, await this.secretsOf(c.id), e, deliveryId, n, max);
      if (row.status !== 'retrying' || waitMs === undefined) return;
      await this.sleep(waitMs);
    }
  }

  /** One POST, logged. */
  private async attempt(
    c: StoredConnector,
    secrets: Secrets,
    e: OutEvent,
    deliveryId: string,
    n: number,
    max: number,
    follow = false,
  ): Promise<{ row: DeliveryDto; waitMs?: number }> {
    let out: SendOutcome;
    try {
      const req = buildRequest(c, secrets, e, { version: this.o.version ?? '0.1.0', deliveryId, follow });
      out = await post(req, this.o.timeoutMs ?? 10_000);
    } catch (err) {
      out = {
        ok: false,
        retryable: false,
        durationMs: 0,
        error: err instanceof MissingSecret ? err.message : `not sent: ${(err as Error).message}`,
      };
    }
    const retry = !out.ok && out.retryable && n < max;
    const waitMs = retry ? this.backoff(n, out.retryAfterMs) : undefined;
    const row = this.row(c, e, deliveryId, n, max, out, waitMs, secrets);
    if (follow) row.subject = `${row.subject} (${c.type === 'pagerduty' ? 'resolved' : 'closed'} again)`;
    await this.log(row, n === 1 && !follow ? e : undefined);
    return { row, waitMs };
  }

  private row(
    c: StoredConnector,
    e: OutEvent,
    deliveryId: string,
    n: number,
    max: number,
    out: SendOutcome,
    waitMs?: number,
    secrets: Secrets = {},
  ): DeliveryDto {
    const status: DeliveryStatus = out.ok ? 'delivered' : waitMs !== undefined ? 'retrying' : 'failed';
    return {
      id: randomUUID(),
      deliveryId,
      connectorId: c.id,
      connectorName: c.name,
      connectorType: c.type,
      time: new Date().toISOString(),
      event: e.event,
      subjectId: e.id,
      subject: e.title,
      severity: e.severity,
      ...(e.cluster ? { cluster: e.cluster } : {}),
      ...(e.namespace ? { namespace: e.namespace } : {}),
      attempt: n,
      maxAttempts: max,
      status,
      ...(out.statusCode !== undefined ? { statusCode: out.statusCode } : {}),
      ...(out.error ? { error: scrub(out.error, secrets) } : {}),
      durationMs: out.durationMs,
      ...(waitMs !== undefined ? { nextAttemptAt: new Date(Date.now() + waitMs).toISOString() } : {}),
      ...(out.response !== undefined ? { response: scrub(out.response, secrets) } : {}),
    };
  }

  private async log(row: DeliveryDto, payload?: OutEvent, status?: DeliveryStatus): Promise<void> {
    if (status) row.status = status;
    try {
      await this.records.addAttempt(row, payload);
    } catch {
      // The store closed under a late answer: the attempt still reaches live subscribers.
    }
    this.bus.emit('delivery', row);
  }

  /** The wait before attempt n+1: the schedule's, ± jitter, or longer when the receiver asked (bounded). */
  backoff(n: number, retryAfterMs?: number): number {
    const base = this.retryDelaysMs[Math.min(n - 1, this.retryDelaysMs.length - 1)] ?? 0;
    const j = this.o.jitter ?? 0.2;
    const r = (this.o.random ?? Math.random)();
    const wait = Math.round(base * (1 - j + 2 * j * r));
    return retryAfterMs !== undefined ? Math.max(wait, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)) : wait;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const s = {
        timer: setTimeout(() => {
          this.sleeping.delete(s);
          resolve();
        }, ms),
        wake: resolve,
      };
      s.timer.unref?.();
      this.sleeping.add(s);
    });
  }

  // ---------------- helpers ----------------

  private mustGet(id: string): StoredConnector {
    const c = this.records.get(id);
    if (!c) throw new ConnectorError('notFound', 'no such connector (deleted meanwhile?)');
    return c;
  }

  private check(input: Partial<ConnectorInput>, saved: ReadonlySet<SecretField>): void {
    const p = connectorProblems(input, saved);
    const keys = Object.keys(p) as Array<keyof ConnectorInput>;
    if (keys.length) throw new ConnectorError('invalidParams', keys.map((k) => `${k}: ${p[k]}`).join('; '), p);
  }

  private uniqueName(name: string, except?: string): void {
    const other = this.records.byName(name);
    if (other && other.id !== except)
      throw new ConnectorError('conflict', `a connector named "${other.name}" exists`, {
        name: `A connector named "${other.name}" exists; choose another name`,
      });
  }

  /** The stored connector with a patch over it, checked, and its secrets after the patch. */
  private async merged(
    id: string,
    patch: Partial<ConnectorInput> & { clearSecrets?: SecretField[] },
    forTest = false,
  ): Promise<{ next: StoredConnector; secrets: Secrets }> {
    const cur = this.mustGet(id);
    const old = await this.secretsOf(id);
    const type = patch.type ?? cur.type;
    const fields = TYPE_FIELDS[type];
    // What the new type can keep of the saved secrets (Slack → webhook keeps the URL).
    const kept: Secrets = {};
    for (const f of SECRET_FIELDS)
      if (old[f] && fields.includes(f) && !patch.clearSecrets?.includes(f)) kept[f] = old[f];
    const input: Partial<ConnectorInput> = {
      ...patch,
      name: patch.name ?? cur.name,
      type,
      events: patch.events ?? cur.events,
      namespaces: patch.namespaces ?? cur.namespaces,
      clusters: patch.clusters ?? cur.clusters,
    };
    this.check(input, new Set(Object.keys(kept) as SecretField[]));
    if (patch.name !== undefined && !forTest) this.uniqueName(patch.name.trim(), id);
    const secrets = this.secretsFrom(input, kept);
    const endpoint = patch.endpoint !== undefined ? patch.endpoint.trim() : cur.endpoint;
    const next: StoredConnector = {
      ...cur,
      name: input.name!.trim(),
      type,
      enabled: patch.enabled ?? cur.enabled,
      events: patch.events ?? cur.events,
      severities: patch.severities ?? cur.severities,
      namespaces: patch.namespaces ?? cur.namespaces,
      clusters: patch.clusters ?? cur.clusters,
      secretFields: Object.keys(secrets) as SecretField[],
    };
    if (fields.includes('endpoint') && endpoint) next.endpoint = endpoint;
    else delete next.endpoint;
    return { next, secrets };
  }

  /** The secret fields of the type given in the input (trimmed; empty keeps what `kept` has). */
  private secretsFrom(input: Partial<ConnectorInput>, kept: Secrets): Secrets {
    const out: Secrets = { ...kept };
    const fields = TYPE_FIELDS[input.type!];
    for (const f of SECRET_FIELDS) {
      const v = input[f]?.trim();
      if (v && fields.includes(f)) out[f] = v;
    }
    return out;
  }

  private async secretsOf(id: string): Promise<Secrets> {
    const raw = await this.o.secrets.get(secretKey(id));
    if (!raw) return {};
    try {
      return JSON.parse(raw) as Secrets;
    } catch {
      return {};
    }
  }

  private dto(c: StoredConnector, secrets: Secrets, last?: DeliveryDto): ConnectorDto {
    const masked: ConnectorDto['secrets'] = {};
    for (const f of SECRET_FIELDS) {
      const v = secrets[f];
      if (v) masked[f] = f === 'url' ? maskUrl(v) : maskSecret(v);
    }
    const required: SecretField[] =
      c.type === 'pagerduty' ? ['routingKey'] : c.type === 'opsgenie' ? ['apiKey'] : ['url'];
    const missingSecrets = c.secretFields.filter((f) => !secrets[f]);
    for (const f of required) if (!secrets[f] && !missingSecrets.includes(f)) missingSecrets.push(f);
    const endpoint = c.endpoint || DEFAULT_ENDPOINT[c.type];
    const target =
      c.type === 'slack' || c.type === 'webhook'
        ? (masked.url ?? '(URL missing)')
        : `${hostOf(endpoint!)} · key ${masked.routingKey ?? masked.apiKey ?? '(missing)'}`;
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      enabled: c.enabled,
      events: c.events,
      severities: c.severities,
      namespaces: c.namespaces,
      clusters: c.clusters,
      target,
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      secrets: masked,
      missingSecrets,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      ...(last ? { lastDelivery: last } : {}),
    };
  }
}

/** A receiver's answer or an error that quotes a secret shows it masked. */
function scrub(text: string, secrets: Secrets): string {
  let out = text;
  for (const v of Object.values(secrets)) if (v && v.length >= 6) out = out.split(v).join(maskSecret(v));
  return out;
}
