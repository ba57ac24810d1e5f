// Security of the local server: token on every route and upgrade, Host (DNS rebinding) and Origin checks, no CORS,
// and a bad-input sweep over every route that must end in a 4xx JSON error (never a 500, never a crash).
import assert from 'node:assert/strict';
import { ROUTES } from '../../src/shared/routeTable';
import type { Route } from '../../src/shared/route';
import { openWs, request, startHarness, type Harness } from './serverHelpers';

const routes = Object.entries(ROUTES as Record<string, Route>);
const fill = (path: string, v = 'x') =>
  path
    .replace(/\{crd\}/g, 'certificates.cert-manager.io')
    .replace(/\{\w+\}/g, v)
    .replace(/\/\*$/, '/api/status');
const httpMethod = (r: Route) => (r.method === 'ANY' ? 'GET' : r.method);

describe('kubegraf web: security', function () {
  this.timeout(120_000);
  let h: Harness;
  let wsBase: string;

  before(async () => {
    h = await startHarness();
    wsBase = h.base.replace('http', 'ws');
  });
  after(async () => h?.close());

  it('answers 401 JSON on every HTTP route without a token, and with a wrong one', async () => {
    for (const [id, r] of routes.filter(([, r]) => r.method !== 'WS')) {
      for (const token of [undefined, 'wrong-token']) {
        const res = await request({ base: h.base, token }, httpMethod(r), fill(r.path));
        assert.equal(res.status, 401, `${id} ${r.method} ${r.path} (token ${token ?? 'none'})`);
        assert.equal(res.body.error.code, 'unauthorized');
      }
    }
  });

  it('refuses every WebSocket upgrade without the token (401) and from a foreign Origin (403)', async () => {
    for (const [id, r] of routes.filter(([, r]) => r.method === 'WS')) {
      await assert.rejects(openWs(`${wsBase}${fill(r.path)}`), (e: { status?: number }) => e.status === 401, id);
      await assert.rejects(
        openWs(`${wsBase}${fill(r.path)}?token=${h.token}`, { Origin: 'https://evil.example' }),
        (e: { status?: number }) => e.status === 403,
        id,
      );
    }
    const ok = await openWs(`${wsBase}/ws?token=${h.token}`, { Origin: h.base });
    ok.close();
  });

  it('refuses a wrong Host header (DNS rebinding), even with the token', async () => {
    const r = await request(h, 'GET', '/api/pods', undefined, { Host: `evil.example:${h.app.server.port}` });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'badHost');
    const s = await request(h, 'GET', '/', undefined, { Host: 'evil.example' });
    assert.equal(s.status, 403);
    await assert.rejects(
      openWs(`${wsBase}/ws?token=${h.token}`, { Host: 'evil.example' }),
      (e: { status?: number }) => e.status === 403,
    );
  });

  it('refuses state changes from a foreign Origin and sends no CORS headers', async () => {
    const r = await request(h, 'POST', '/api/settings', { theme: 'dark' }, { Origin: 'https://evil.example' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'badOrigin');
    const g = await request(h, 'GET', '/api/status', undefined, { Origin: 'https://evil.example' });
    assert.equal(g.headers['access-control-allow-origin'], undefined);
    const pre = await request(h, 'OPTIONS', '/api/settings', undefined, {
      Origin: 'https://evil.example',
      'Access-Control-Request-Method': 'POST',
    });
    assert.ok(pre.status >= 400 && pre.headers['access-control-allow-origin'] === undefined);
  });

  it('sets the token cookie from the ?token= visit and accepts it afterwards; the static shell is open', async () => {
    const page = await request({ base: h.base }, 'GET', `/?token=${h.token}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /KubeGraf/);
    const cookie = String(page.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const r = await request({ base: h.base }, 'GET', '/api/status', undefined, { Cookie: cookie.split(';')[0] });
    assert.equal(r.status, 200);
    assert.equal((await request({ base: h.base }, 'GET', '/')).headers['set-cookie'], undefined);
    assert.equal((await request({ base: h.base }, 'GET', '/healthz')).status, 200);
  });

  it('sweeps bad input over every route: JSON errors, never a 500, server still up', async () => {
    // Names never exist, so no sweep request can change the cluster.
    const bad: Array<Record<string, unknown>> = [
      {},
      {
        namespace: 123,
        name: ['a'],
        replicas: 'many',
        items: 'x',
        yaml: 42,
        context: '',
        command: 7,
        port: 'http',
        id: {},
        revision: -1,
      },
      { namespace: '../../etc', name: '../../../etc/passwd', crd: '../..' },
      { namespace: 'shop', name: 'no-such-object', yaml: 'kind: [unclosed\n  - : :' },
      { namespace: 'shop', name: 'no-such-object', yaml: 'a: 1\n---\nb: 2' },
      { namespace: 'x'.repeat(300), name: 'y'.repeat(300), labelSelector: '!!!=!!', tailLines: '1e9' },
    ];
    const failures: string[] = [];
    for (const [id, r] of routes.filter(([, r]) => r.method !== 'WS')) {
      for (const p of bad) {
        const method = httpMethod(r);
        const path = fill(r.path, encodeURIComponent(typeof p.name === 'string' ? p.name : 'no-such-object'));
        const q =
          method === 'GET'
            ? '?' +
              new URLSearchParams(
                Object.entries(p).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
              ).toString()
            : '';
        const res = await request(h, method, path + q, method === 'GET' ? undefined : p);
        // Proxied in-cluster apps (Kiali, MLflow) answer in their own words; KubeGraf's own errors are JSON.
        const proxied = res.headers['x-kubegraf-proxied-from'] !== undefined;
        const ok = proxied
          ? res.status < 500
          : (res.status < 500 || res.status === 501) &&
            res.body !== undefined &&
            (res.status < 400 || typeof res.body?.error?.code === 'string');
        if (!ok) failures.push(`${id} ${JSON.stringify(p).slice(0, 60)} → ${res.status} ${res.text.slice(0, 160)}`);
        // A traversal-shaped name is refused by validation wherever a name is a parameter.
        if (
          p.name === '../../../etc/passwd' &&
          (r.path.includes('{name}') || /\/(details|yaml|describe|delete|update|scale|restart)$/.test(r.path)) &&
          res.status !== 400
        )
          failures.push(`${id} accepted a traversal name: ${res.status}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal((await request(h, 'GET', '/api/status')).status, 200);
  });

  it('refuses invalid YAML on every update route with a 4xx', async () => {
    for (const [id, r] of routes.filter(([, r]) => r.path.endsWith('/update'))) {
      for (const yaml of [
        'kind: [unclosed',
        'a: 1\n---\nb: 2',
        '- just\n- a list',
        'apiVersion: v1\nkind: ConfigMap',
      ]) {
        const res = await request(h, 'POST', fill(r.path, 'no-such-object'), { namespace: 'shop', yaml });
        assert.ok(res.status >= 400 && res.status < 500, `${id} ${JSON.stringify(yaml)} → ${res.status} ${res.text}`);
      }
    }
  });

  it('rejects huge bodies with 413, non-JSON bodies with 4xx', async () => {
    const huge = JSON.stringify({ yaml: 'a'.repeat(3 * 1024 * 1024) });
    const r = await request(h, 'POST', '/api/configmap/update', huge);
    assert.equal(r.status, 413);
    const nj = await request(h, 'POST', '/api/settings', 'not json', { 'Content-Type': 'text/plain' });
    assert.equal(nj.status, 415);
    const bj = await request(h, 'POST', '/api/settings', '{"theme":', { 'Content-Type': 'application/json' });
    assert.equal(bj.status, 400);
    const arr = await request(h, 'POST', '/api/settings', '[1,2]');
    assert.equal(arr.status, 400);
  });

  it('never returns secret values in lists, details or YAML unless one key is asked for', async () => {
    const list = await request(h, 'GET', '/api/secrets?namespace=payments');
    assert.ok(!list.text.includes(Buffer.from('s3cr3t').toString('base64')) && !list.text.includes('s3cr3t'));
    const y = await request(h, 'GET', '/api/secret/yaml?namespace=payments&name=ledger-db');
    assert.ok(!y.text.includes(Buffer.from('s3cr3t').toString('base64')));
    assert.equal(
      (await request(h, 'GET', '/api/secret/yaml?namespace=payments&name=ledger-db&reveal=nokey')).status,
      404,
    );
  });
});
