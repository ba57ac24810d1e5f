// Connectors against local receivers (node:http on 127.0.0.1): what each type sends (Slack {text, blocks}, the JSON
// webhook signed with HMAC, PagerDuty Events v2 trigger/resolve, Opsgenie create/close), filters, retries after 500s
// with the schedule shortened, no retry on a 4xx, secrets masked in every answer and kept out of the database, field
// messages for bad input, admins only for changes, and an incident the engine detects in the simulator delivered.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Incident } from '../../src/shared/incidents';
import { startApp, type App } from '../../src/server/app';
import { makePki } from '../../src/sim/tls';
import { startTestSim, type Sim } from '../helpers/sim';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { request } from './serverHelpers';

const SLACK_TOKEN = 'T0KG1234/B0KG5678/slackSecretToken0123456789';
const ROUTING_KEY = 'R0ut1ngK3yAbCdEf0123456789abcdef';
const GENIE_KEY = '1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901';
const BEARER = 'Bearer webhook-bearer-token-42';
const SIGNING = 'signing-secret-for-hmac-0001';

describe('connectors: deliveries to local receivers', function () {
  this.timeout(60_000);
  let sim: Sim;
  let app: App;
  let rx: Receiver;
  let ctx: string;
  const call = (method: string, path: string, body?: unknown) =>
    request({ base: app.server.url, token: app.token }, method, path, body);
  const ids: Record<string, string> = {};

  const incident = (o: Partial<Incident> & { id: string; namespace?: string }): Incident => ({
    context: ctx,
    type: 'pod_crash_loop',
    severity: 'critical',
    status: 'open',
    title: `CrashLoopBackOff: ${o.namespace ?? 'shop'}/${o.id}`,
    description: 'The container keeps exiting.',
    signature: 'sig',
    resource: { kind: 'Pod', namespace: o.namespace ?? 'shop', name: o.id },
    evidence: { objects: [], events: [], logs: [] },
    rootCause: 'exits with code 1: cannot reach the database',
    recommendedFixes: [],
    firstSeen: new Date().toISOString(),
    lastSeen: new Date().toISOString(),
    occurrences: 3,
    timestamp: new Date().toISOString(),
    ...o,
  });
  const emit = (what: 'opened' | 'resolved', inc: Incident) => {
    app.deps.incidents.events.emit('incident', {
      what,
      incident: what === 'resolved' ? { ...inc, status: 'resolved', resolvedAt: new Date().toISOString() } : inc,
    });
  };
  const settle = async () => {
    // Subscribers run synchronously, then a store read per connector: one turn, then the queue drains.
    await new Promise((r) => setImmediate(r));
    await app.deps.connectors.idle();
  };

  before(async () => {
    [sim, rx] = await Promise.all([startTestSim(), startReceiver()]);
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-connectors-')),
      // Retries in milliseconds, no jitter: the schedule is the engine's, the waiting is not the test's.
      connectors: { retryDelaysMs: [30, 60, 90], jitter: 0, timeoutMs: 3000 },
    });
    ctx = app.deps.kube.currentContext();
  });
  after(async () => {
    await app?.close();
    await sim?.close();
    await rx?.close();
  });

  it('refuses bad input with a message per field', async () => {
    const bad = await call('POST', '/api/connectors/create', { name: 'x', type: 'slack', url: 'ftp://example.com/x' });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.code, 'invalidParams');
    assert.deepEqual(bad.body.error.details, [
      { path: 'url', message: 'Only http:// and https:// URLs can receive deliveries (not ftp:)' },
    ]);
    const pd = await call('POST', '/api/connectors/create', { name: '', type: 'pagerduty', routingKey: 'short' });
    assert.equal(pd.status, 400);
    const fields = Object.fromEntries(pd.body.error.details.map((d: any) => [d.path, d.message]));
    assert.equal(fields.name, 'Give the connector a name');
    assert.match(fields.routingKey, /32 letters and digits \(this has 5 characters\)/);
    const js = await call('POST', '/api/connectors/create', { name: 'x', type: 'webhook', url: 'javascript:alert(1)' });
    assert.match(js.body.error.details[0].message, /Only http:\/\/ and https:\/\//);
    assert.equal((await call('GET', '/api/connectors')).body.connectors.length, 0, 'nothing was stored');
  });

  it('creates one connector of each type and masks every secret on GET; none reaches the database', async () => {
    const made = await Promise.all([
      call('POST', '/api/connectors/create', {
        name: 'Team Slack',
        type: 'slack',
        url: `${rx.base}/slack/services/${SLACK_TOKEN}`,
      }),
      call('POST', '/api/connectors/create', {
        name: 'Audit webhook',
        type: 'webhook',
        url: `${rx.base}/hook?token=querySecretToken99`,
        authorization: BEARER,
        signingSecret: SIGNING,
      }),
      call('POST', '/api/connectors/create', {
        name: 'PagerDuty on-call',
        type: 'pagerduty',
        routingKey: ROUTING_KEY,
        endpoint: `${rx.base}/pd/v2/enqueue`,
      }),
      call('POST', '/api/connectors/create', {
        name: 'Opsgenie',
        type: 'opsgenie',
        apiKey: GENIE_KEY,
        endpoint: `${rx.base}/og`,
      }),
    ]);
    for (const m of made) assert.equal(m.status, 200, m.text);
    for (const m of made) ids[m.body.type] = m.body.id;
    const secrets = [SLACK_TOKEN, 'slackSecretToken', 'querySecretToken99', ROUTING_KEY, GENIE_KEY, BEARER, SIGNING];
    const list = await call('GET', '/api/connectors');
    for (const s of secrets) {
      assert.ok(!list.text.includes(s), `GET /api/connectors shows ${s}`);
      for (const m of made) assert.ok(!m.text.includes(s), `the create answer shows ${s}`);
    }
    const byType = Object.fromEntries(list.body.connectors.map((c: any) => [c.type, c]));
    assert.equal(byType.slack.target, `${rx.base}/********6789`);
    assert.equal(byType.pagerduty.target, `${new URL(rx.base).host} · key ********cdef`);
    assert.equal(byType.opsgenie.secrets.apiKey, '********f901');
    assert.equal(byType.webhook.secrets.authorization, '********n-42');
    assert.deepEqual(byType.slack.events, ['incident.opened', 'incident.resolved']);
    assert.deepEqual(byType.slack.missingSecrets, []);
    // Credentials live in the secret store, never in the database (or its backups).
    const dir = app.deps.dataDir;
    for (const f of readdirSync(dir).filter((n) => n.startsWith('kubegraf.db'))) {
      const text = readFileSync(join(dir, f), 'latin1');
      for (const s of secrets) assert.ok(!text.includes(s), `${f} holds ${s}`);
    }
    // An edit that leaves a secret empty keeps it; the name is unique.
    const renamed = await call('POST', '/api/connectors/update', { id: ids.slack, name: 'Team Slack #ops', url: '' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.target, byType.slack.target);
    const dup = await call('POST', '/api/connectors/update', { id: ids.webhook, name: 'team slack #OPS' });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body.error.details, [
      { path: 'name', message: 'A connector named "Team Slack #ops" exists; choose another name' },
    ]);
  });

  it("sends an opened incident in each type's shape, and its resolve closes what the open raised", async () => {
    const inc = incident({ id: 'web-7f9c' });
    emit('opened', inc);
    await settle();
    const [slack] = rx.at('/slack/');
    assert.equal(slack.body.text, `🔴 Incident opened: CrashLoopBackOff: shop/web-7f9c (${ctx})`);
    assert.equal(slack.body.blocks[0].type, 'header');
    assert.match(slack.body.blocks[1].text.text, /cannot reach the database/);
    assert.deepEqual(
      slack.body.blocks[2].fields.map((f: any) => f.text),
      ['*Severity*\ncritical', `*Cluster*\n${ctx}`, '*Namespace*\nshop', '*Object*\nPod shop/web-7f9c'],
    );

    const [hook] = rx.at('/hook');
    assert.equal(hook.url, '/hook?token=querySecretToken99');
    assert.equal(hook.headers.authorization, BEARER);
    assert.equal(hook.headers['x-kubegraf-event'], 'incident.opened');
    const ts = String(hook.headers['x-kubegraf-timestamp']);
    const mac = createHmac('sha256', SIGNING).update(`${ts}.${hook.raw}`).digest('hex');
    assert.equal(hook.headers['x-kubegraf-signature'], `sha256=${mac}`);
    assert.equal(hook.body.event, 'incident.opened');
    assert.equal(hook.body.incident.id, 'web-7f9c');
    assert.equal(hook.body.cluster, ctx);
    assert.equal(hook.body.namespace, 'shop');
    assert.equal(hook.body.deliveryId, hook.headers['x-kubegraf-delivery']);

    const [pd] = rx.at('/pd/');
    assert.equal(pd.url, '/pd/v2/enqueue');
    assert.equal(pd.body.routing_key, ROUTING_KEY);
    assert.equal(pd.body.event_action, 'trigger');
    assert.equal(pd.body.dedup_key, 'kubegraf-web-7f9c');
    assert.equal(pd.body.payload.severity, 'critical');
    assert.equal(pd.body.payload.source, ctx);
    assert.equal(pd.body.payload.summary, `CrashLoopBackOff: shop/web-7f9c (${ctx})`);
    assert.equal(pd.body.payload.component, 'Pod shop/web-7f9c');

    const [og] = rx.at('/og/');
    assert.equal(og.url, '/og/v2/alerts');
    assert.equal(og.headers.authorization, `GenieKey ${GENIE_KEY}`);
    assert.equal(og.body.message, 'CrashLoopBackOff: shop/web-7f9c');
    assert.equal(og.body.alias, 'kubegraf-web-7f9c');
    assert.equal(og.body.priority, 'P1');
    assert.deepEqual(og.body.tags, [ctx, 'shop', 'pod_crash_loop', 'critical']);

    // A rescan (a restart) reports it opened again: nothing is sent twice.
    emit('opened', inc);
    await settle();
    assert.equal(rx.requests.length, 4);

    emit('resolved', inc);
    await settle();
    assert.equal(rx.at('/pd/')[1].body.event_action, 'resolve');
    assert.equal(rx.at('/pd/')[1].body.dedup_key, 'kubegraf-web-7f9c');
    assert.equal(rx.at('/og/')[1].url, '/og/v2/alerts/kubegraf-web-7f9c/close?identifierType=alias');
    assert.match(rx.at('/slack/')[1].body.text, /^✅ Incident resolved: /);
    assert.equal(rx.at('/hook')[1].body.event, 'incident.resolved');

    const log = (await call('GET', '/api/connectors/deliveries')).body.deliveries;
    assert.equal(log.length, 8);
    assert.ok(log.every((d: any) => d.status === 'delivered' && d.statusCode === 200 && d.attempt === 1));
    const last = (await call('GET', '/api/connectors')).body.connectors.find((c: any) => c.type === 'pagerduty');
    assert.equal(last.lastDelivery.event, 'incident.resolved');
    // A resolve of an incident this connector never announced sends nothing.
    emit('resolved', incident({ id: 'never-announced' }));
    await settle();
    assert.equal(rx.requests.length, 8);
  });

  it('sends only what passes severity, namespace and cluster filters; notifications when asked', async () => {
    const made = await call('POST', '/api/connectors/create', {
      name: 'Payments pager',
      type: 'webhook',
      url: `${rx.base}/filtered`,
      events: ['incident.opened', 'notification'],
      severities: ['critical', 'high'],
      namespaces: ['pay*'],
      clusters: [ctx],
    });
    assert.equal(made.status, 200, made.text);
    emit('opened', incident({ id: 'a-low', namespace: 'payments', severity: 'low' }));
    emit('opened', incident({ id: 'b-other-ns', namespace: 'shop' }));
    emit('opened', incident({ id: 'c-other-cluster', namespace: 'payments', context: 'prod-eu' }));
    emit('opened', incident({ id: 'd-match', namespace: 'payments', severity: 'high' }));
    await app.deps.store.addNotification({
      severity: 'critical',
      title: 'Fix made it worse: payments/d-match',
      message: 'It crashed more after the fix.',
      source: 'incidents',
      incidentId: 'not-known',
      context: ctx,
    });
    await settle();
    const got = rx.at('/filtered');
    assert.deepEqual(
      got.map((r) => r.body.incident?.id ?? r.body.event),
      ['d-match'],
      'the notification has no namespace (its incident is unknown), so the namespace filter holds it back',
    );
    // The same filters pass a notification about an incident in a matching namespace.
    await call('POST', '/api/connectors/update', { id: made.body.id, namespaces: [] });
    await app.deps.store.addNotification({
      severity: 'high',
      title: 'Fix did not help: payments/d-match',
      message: 'Still crashing.',
      source: 'incidents',
      context: ctx,
    });
    await settle();
    const n = rx.at('/filtered')[1];
    assert.equal(n.body.event, 'notification');
    assert.equal(n.body.notification.title, 'Fix did not help: payments/d-match');
    await call('DELETE', '/api/connectors/delete', { id: made.body.id });
  });

  it('retries after 500s with back-off until the receiver takes it, and gives up at once on a 4xx', async () => {
    const flaky = await call('POST', '/api/connectors/create', {
      name: 'Flaky',
      type: 'webhook',
      url: `${rx.base}/flaky`,
    });
    rx.script('/flaky', [
      { status: 500, body: 'database down' },
      { status: 503, body: 'still down' },
      { status: 202, body: '{"accepted":true}' },
    ]);
    const started = Date.now();
    emit('opened', incident({ id: 'retry-me' }));
    await settle();
    assert.equal(rx.at('/flaky').length, 3);
    assert.ok(Date.now() - started >= 30 + 60, 'waited the schedule between attempts');
    const log = (await call('GET', `/api/connectors/deliveries?connectorId=${flaky.body.id}`)).body.deliveries;
    assert.deepEqual(log.map((d: any) => [d.attempt, d.status, d.statusCode]).reverse(), [
      [1, 'retrying', 500],
      [2, 'retrying', 503],
      [3, 'delivered', 202],
    ]);
    assert.equal(log[2].error, 'the receiver failed (HTTP 500)');
    assert.equal(log[2].response, 'database down');
    assert.ok(log[2].nextAttemptAt, 'a retrying attempt says when the next is due');
    assert.equal(new Set(log.map((d: any) => d.deliveryId)).size, 1, 'one delivery, three attempts');

    rx.script('/flaky', [{ status: 400, body: 'invalid_payload' }]);
    emit('opened', incident({ id: 'refused' }));
    await settle();
    const refused = (await call('GET', `/api/connectors/deliveries?connectorId=${flaky.body.id}&limit=1`)).body
      .deliveries[0];
    assert.equal(refused.status, 'failed');
    assert.equal(refused.attempt, 1);
    assert.equal(refused.error, 'the receiver refused the delivery (HTTP 400)');

    // An incident that opens and clears at once: its resolve waits for its open, even while the open is retried.
    const before = rx.at('/flaky').length;
    rx.script('/flaky', [{ status: 502 }]);
    const quick = incident({ id: 'opens-and-clears' });
    emit('opened', quick);
    emit('resolved', quick);
    await settle();
    assert.deepEqual(
      rx
        .at('/flaky')
        .slice(before)
        .map((r) => r.body.event),
      ['incident.opened', 'incident.opened', 'incident.resolved'],
    );

    // Always failing: bounded, the last attempt says failed.
    rx.script(
      '/flaky',
      [500, 500, 500, 500].map((status) => ({ status })),
    );
    emit('opened', incident({ id: 'down-for-good' }));
    await settle();
    const gaveUp = (await call('GET', `/api/connectors/deliveries?connectorId=${flaky.body.id}&limit=1`)).body
      .deliveries[0];
    assert.deepEqual([gaveUp.attempt, gaveUp.maxAttempts, gaveUp.status], [4, 4, 'failed']);
    // Send again, from the log.
    const again = await call('POST', '/api/connectors/redeliver', { deliveryId: gaveUp.deliveryId });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.status, 'delivered');
    assert.equal(rx.at('/flaky').at(-1)!.body.incident.id, 'down-for-good');
  });

  it("test-sends and shows the receiver's answer; PagerDuty's test alert is resolved again", async () => {
    rx.script('/slack/', [{ status: 200, body: 'ok' }]);
    const t = await call('POST', '/api/connectors/test', { id: ids.slack });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.body.ok, true);
    assert.equal(t.body.message, `${new URL(rx.base).host} accepted the test (HTTP 200)`);
    assert.equal(t.body.delivery.response, 'ok');
    assert.match(rx.at('/slack/').at(-1)!.body.text, /Test send: KubeGraf test: Team Slack #ops works/);

    rx.script('/pd/', [
      { status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"k"}' },
      { status: 202, body: '{"status":"success"}' },
    ]);
    const pd = await call('POST', '/api/connectors/test', { id: ids.pagerduty });
    assert.equal(pd.body.ok, true);
    assert.match(pd.body.message, /accepted the test \(HTTP 202\); the test alert was resolved again/);
    assert.match(pd.body.delivery.response, /Event processed/);
    const [trigger, resolve] = rx.at('/pd/').slice(-2);
    assert.equal(trigger.body.event_action, 'trigger');
    assert.equal(trigger.body.payload.severity, 'info');
    assert.equal(resolve.body.event_action, 'resolve');
    assert.equal(resolve.body.dedup_key, trigger.body.dedup_key);

    // The form's unsaved fields, tested before saving: a receiver refusing the key says so.
    rx.script('/og/', [{ status: 422, body: '{"message":"Key format is not valid!"}' }]);
    const draft = await call('POST', '/api/connectors/test', {
      name: 'New Opsgenie',
      type: 'opsgenie',
      apiKey: GENIE_KEY,
      endpoint: `${rx.base}/og`,
    });
    assert.equal(draft.body.ok, false);
    assert.equal(draft.body.message, 'The test was not delivered: the receiver refused the delivery (HTTP 422)');
    assert.match(draft.body.delivery.response, /Key format is not valid/);
    assert.ok(!draft.text.includes(GENIE_KEY));
  });

  it('delivers an incident the engine detects in the cluster', async () => {
    const got = rx.at('/slack/').length;
    await call('POST', '/api/manifests/apply', {
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad-image\n  namespace: default\nspec:\n  containers:\n  - name: app\n    image: registry.invalid/team/app:1.0\n',
    });
    await rx.waitFor('/slack/', got + 1, 30_000);
    assert.match(rx.at('/slack/').at(-1)!.body.text, /Incident opened: .*bad-image/);
  });
});

describe('connectors: only admins change them (accounts mode)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let app: App;
  let ca: string;
  let port: number;
  const call = (method: string, path: string, token?: string, body?: unknown) =>
    request({ base: `https://127.0.0.1:${port}`, token, ca }, method, path, body, { Host: `0.0.0.0:${port}` });

  before(async () => {
    sim = await startTestSim();
    const pki = await makePki(['127.0.0.1', 'localhost']);
    ca = pki.caPem;
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-connectors-roles-')),
      host: '0.0.0.0',
      tls: { cert: pki.certPem, key: pki.keyPem },
    });
    port = Number(new URL(app.server.url).port);
  });
  after(async () => {
    await app?.close();
    await sim?.close();
  });

  it('lets an operator read (masked) and send again, but not create, change, test or delete', async () => {
    const pw = 'correct horse battery';
    const admin = (await call('POST', '/api/auth/register', app.token, { username: 'ada', password: pw })).body.token;
    await call('POST', '/api/users/create', admin, { username: 'otto', password: pw, role: 'operator' });
    const otto = (await call('POST', '/api/auth/login', undefined, { username: 'otto', password: pw })).body.token;
    const body = { name: 'Ops', type: 'slack', url: `https://hooks.example.invalid/services/${SLACK_TOKEN}` };
    const denied = await call('POST', '/api/connectors/create', otto, body);
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /your role \(operator\) may not do this.*needs admin/);
    const made = await call('POST', '/api/connectors/create', admin, body);
    assert.equal(made.status, 200, made.text);
    for (const [method, path, b] of [
      ['POST', '/api/connectors/update', { id: made.body.id, enabled: false }],
      ['POST', '/api/connectors/test', { id: made.body.id }],
      ['DELETE', '/api/connectors/delete', { id: made.body.id }],
    ] as const)
      assert.equal((await call(method, path, otto, b)).status, 403, `${method} ${path}`);
    const seen = await call('GET', '/api/connectors', otto);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.connectors[0].target, 'https://hooks.example.invalid/********6789');
    assert.ok(!seen.text.includes('slackSecretToken'));
    assert.equal((await call('GET', '/api/connectors/deliveries', otto)).status, 200);
    assert.equal((await call('POST', '/api/connectors/redeliver', otto, { deliveryId: 'none' })).status, 404);
  });
});
