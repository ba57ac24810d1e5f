// The server behind a proxy or forwarded port (VS Code's asExternalUri: code-server's /proxy/<port>/, Remote-SSH,
// Codespaces): only the exact external address the host registers passes the Host and Origin checks, and the app's
// HTTP transport keeps the proxy's path prefix on every call.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openWs, request, startHarness, type Harness } from './serverHelpers';
import { apiBase, apiUrl, HttpTransport } from '../../webviews/src/host/httpTransport';
import { ROUTES } from '../../src/shared/routeTable';
import type { Route } from '../../src/shared/route';

describe('kubegraf server: external addresses (remote VS Code)', function () {
  this.timeout(120_000);
  let h: Harness;
  // What code-server's asExternalUri gives for the server: its own host, the server's port as a path prefix.
  const proxyHost = '127.0.0.1:48123';
  const proxyOrigin = `http://${proxyHost}`;

  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  const status = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    (await request(h, method, path, body, headers)).status;

  it("refuses the proxy's Host and Origin until the host registers that address", async () => {
    const r = await request(h, 'GET', '/api/status', undefined, { Host: proxyHost });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'badHost');
    const p = await request(h, 'POST', '/api/settings', { refreshIntervalSeconds: 11 }, { Origin: proxyOrigin });
    assert.equal(p.status, 403);
    assert.equal(p.body.error.code, 'badOrigin');
  });

  it('accepts exactly the registered host and origin, over HTTP and WebSocket, and still refuses others', async () => {
    h.app.server.allowExternal(`${proxyOrigin}/proxy/${h.app.server.port}/`);
    assert.equal(await status('GET', '/api/status', { Host: proxyHost }), 200);
    assert.equal(await status('GET', '/', { Host: proxyHost }), 200);
    const saved = await request(
      h,
      'POST',
      '/api/settings',
      { refreshIntervalSeconds: 12 },
      { Host: proxyHost, Origin: proxyOrigin },
    );
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.body.refreshIntervalSeconds, 12);
    const ws = await openWs(`${h.base.replace('http', 'ws')}/ws?token=${h.token}`, {
      Host: proxyHost,
      Origin: proxyOrigin,
    });
    ws.close();

    // Nothing broader: another host, another port of the same host, the same host under another scheme.
    for (const host of ['evil.example', '127.0.0.1:48124', 'evil.example:48123']) {
      const r = await request(h, 'GET', '/api/status', undefined, { Host: host });
      assert.equal(r.status, 403, host);
      assert.equal(r.body.error.code, 'badHost');
    }
    for (const origin of ['https://127.0.0.1:48123', 'http://127.0.0.1:48124', 'https://evil.example', 'null']) {
      const r = await request(
        h,
        'POST',
        '/api/settings',
        { refreshIntervalSeconds: 13 },
        { Host: proxyHost, Origin: origin },
      );
      assert.equal(r.status, 403, origin);
      assert.equal(r.body.error.code, 'badOrigin');
      await assert.rejects(
        openWs(`${h.base.replace('http', 'ws')}/ws?token=${h.token}`, { Host: proxyHost, Origin: origin }),
        (e: { status?: number }) => e.status === 403,
        origin,
      );
    }
    // The token is still required through the external address.
    const anon = await request({ base: h.base }, 'GET', '/api/status', undefined, { Host: proxyHost });
    assert.equal(anon.status, 401);
  });

  it('trusts an https tunnel origin (Codespaces) with its scheme, not the plain-http one', async () => {
    const tunnel = 'kubegraf-demo-7777.app.github.dev';
    assert.equal(await status('GET', '/api/status', { Host: tunnel }), 403);
    h.app.server.allowExternal(`https://${tunnel}/`);
    assert.equal(await status('GET', '/api/status', { Host: tunnel }), 200);
    assert.equal(
      await status(
        'POST',
        '/api/settings',
        { Host: tunnel, Origin: `https://${tunnel}` },
        { refreshIntervalSeconds: 14 },
      ),
      200,
    );
    assert.equal(
      await status(
        'POST',
        '/api/settings',
        { Host: tunnel, Origin: `http://${tunnel}` },
        { refreshIntervalSeconds: 15 },
      ),
      403,
    );
    assert.equal(await status('GET', '/api/status', { Host: `${tunnel}:8443` }), 403);
  });

  it('refuses to register what is not a plain http(s) address, with a clear error', () => {
    assert.throws(() => h.app.server.allowExternal('not a url'), /is not a URL/);
    assert.throws(() => h.app.server.allowExternal('file:///etc/passwd'), /must be http or https/);
    assert.throws(() => h.app.server.allowExternal('http://user:pw@proxy.example/'), /user name or password/);
  });
});

describe('dashboard app: API addresses under a path prefix', function () {
  this.timeout(30_000);

  it("resolves every route against the page's directory, at the root and under a proxy prefix", () => {
    assert.equal(apiBase('http://127.0.0.1:9/#/pods'), 'http://127.0.0.1:9/');
    assert.equal(apiBase('http://127.0.0.1:8080/proxy/4711/?token=x#/pods'), 'http://127.0.0.1:8080/proxy/4711/');
    assert.equal(
      apiUrl('/api/pods?namespace=a', 'http://127.0.0.1:8080/proxy/4711/').href,
      'http://127.0.0.1:8080/proxy/4711/api/pods?namespace=a',
    );
    assert.equal(apiUrl('/ws', 'https://cs.example/proxy/4711/').href, 'https://cs.example/proxy/4711/ws');
    assert.equal(apiUrl('/api/pods', 'http://127.0.0.1:9').href, 'http://127.0.0.1:9/api/pods');
    assert.equal(apiUrl('/api/pods', 'http://127.0.0.1:9/').href, 'http://127.0.0.1:9/api/pods');
  });

  it('sends GET and POST calls to the prefixed paths', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const base = apiBase(`http://127.0.0.1:${(server.address() as AddressInfo).port}/proxy/4711/#/settings`);
      const t = new HttpTransport(base, 'tok');
      const routes = ROUTES as Record<string, Route>;
      await t.request('settings.get', routes['settings.get']!, {});
      await t.request('settings.save', routes['settings.save']!, { refreshIntervalSeconds: 20 });
      assert.deepEqual(seen, ['GET /proxy/4711/api/settings', 'POST /proxy/4711/api/settings']);
    } finally {
      server.close();
    }
  });
});
