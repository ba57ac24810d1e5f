// Accounts mode (`kubegraf web --host ADDR --tls-cert C --tls-key K`): the first admin needs the launch token and is
// made once however many ask at the same time; admins manage users and roles; every route and socket is held to the
// least role it declares (src/shared/permissions.ts), for every route of the table.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startApp, type App } from '../../src/server/app';
import { makePki } from '../../src/sim/tls';
import { requiredRole } from '../../src/shared/permissions';
import { ROUTES } from '../../src/shared/routeTable';
import { startTestSim, type Sim } from '../helpers/sim';
import { request, type Reply } from './serverHelpers';

describe('kubegraf web: accounts mode (first admin, users, roles)', function () {
  this.timeout(120_000);
  let sim: Sim;
  let app: App;
  let ca: string;
  let port: number;
  const tokens: Record<string, string> = {};

  /** HTTPS to 127.0.0.1 with the Host the server was started for (0.0.0.0:port). */
  const call = (method: string, path: string, token?: string, body?: unknown): Promise<Reply> =>
    request({ base: `https://127.0.0.1:${port}`, token, ca }, method, path, body, { Host: `0.0.0.0:${port}` });

  const socketStatus = (path: string, token: string): Promise<number> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${port}${path}`, {
        ca,
        headers: { Host: `0.0.0.0:${port}`, Authorization: `Bearer ${token}` },
      });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });

  before(async () => {
    sim = await startTestSim({ scenario: 'demo' });
    const pki = await makePki(['127.0.0.1', 'localhost']);
    ca = pki.caPem;
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-accounts-')),
      host: '0.0.0.0',
      tls: { cert: pki.certPem, key: pki.keyPem },
      demo: true,
    });
    port = Number(new URL(app.server.url).port);
  });
  after(async () => {
    await app?.close();
    await sim?.close();
  });

  it('makes the first admin only with the launch token, exactly once under five concurrent calls', async () => {
    assert.equal(
      (await call('POST', '/api/auth/register', undefined, { username: 'mallory', password: 'correct horse battery' }))
        .status,
      401,
    );
    const tries = await Promise.all(
      ['ada', 'bob', 'cy', 'di', 'ed'].map((u) =>
        call('POST', '/api/auth/register', app.token, { username: u, password: 'correct horse battery' }),
      ),
    );
    const ok = tries.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, JSON.stringify(tries.map((t) => t.status)));
    assert.equal(ok[0].body.user.role, 'admin');
    assert.ok(tries.filter((r) => r.status === 403).every((r) => /only an admin/.test(r.body.error.message)));
    tokens.admin = ok[0].body.token;
    tokens.adminName = ok[0].body.user.username;
  });

  it('lets the admin create, list, change and disable users; the last admin cannot be demoted', async () => {
    for (const [username, role] of [
      ['vera', 'viewer'],
      ['otto', 'operator'],
    ]) {
      const r = await call('POST', '/api/users/create', tokens.admin, {
        username,
        password: 'correct horse battery',
        role,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.role, role);
      tokens[role] = (
        await call('POST', '/api/auth/login', undefined, { username, password: 'correct horse battery' })
      ).body.token;
    }
    assert.equal(
      (
        await call('POST', '/api/users/create', app.token, {
          username: 'eve',
          password: 'correct horse battery',
          role: 'admin',
        })
      ).status,
      403,
      'the launch token makes the first admin only',
    );
    const list = await call('GET', '/api/users', tokens.admin);
    assert.deepEqual(list.body.users.map((u: { username: string; role: string }) => `${u.username}:${u.role}`).sort(), [
      `${tokens.adminName}:admin`,
      'otto:operator',
      'vera:viewer',
    ]);
    assert.equal((await call('GET', '/api/users', tokens.operator)).status, 403);
    const demote = await call('POST', '/api/users/update', tokens.admin, {
      username: tokens.adminName,
      role: 'viewer',
    });
    assert.equal(demote.status, 409);
    assert.match(demote.body.error.message, /only admin/);
  });

  it('holds every route and socket of the table to its role: viewers change nothing, operators no admin route', async () => {
    let checked = 0;
    for (const [id, r] of Object.entries(ROUTES)) {
      const method = r.method === 'ANY' ? 'POST' : r.method;
      const need = requiredRole(r, method);
      const path = r.path.replace(/\{\w+\}/g, 'x').replace('*', 'x');
      for (const role of ['viewer', 'operator'] as const) {
        if (need === 'viewer' || (role === 'operator' && need === 'operator')) continue;
        checked++;
        if (method === 'WS') {
          assert.equal(await socketStatus(path, tokens[role]), 403, `${role} socket ${path} (${id}, needs ${need})`);
          continue;
        }
        const res = await call(method, path, tokens[role], method === 'GET' ? undefined : {});
        assert.equal(res.status, 403, `${role} ${method} ${path} (${id}, needs ${need}): ${res.status}`);
        assert.equal(res.body.error.details.required, need);
      }
    }
    assert.ok(checked > 100, `${checked} route × role pairs checked`);
  });

  it('lets each role do what it may', async () => {
    assert.equal((await call('GET', '/api/pods?namespace=shop', tokens.viewer)).status, 200);
    assert.equal(
      (await call('GET', '/api/secret/details?namespace=shop&name=shop-tls&reveal=tls.crt', tokens.viewer)).status,
      403,
    );
    const scale = await call('POST', '/api/deployment/scale', tokens.operator, {
      namespace: 'shop',
      name: 'catalog',
      replicas: 2,
    });
    assert.equal(scale.status, 200, JSON.stringify(scale.body));
    assert.equal((await call('POST', '/api/settings', tokens.operator, { theme: 'light' })).status, 403);
    assert.equal((await call('POST', '/api/settings', tokens.admin, { theme: 'light' })).status, 200);
    const pod = (await call('GET', '/api/pods?namespace=shop', tokens.viewer)).body.items[0].name;
    assert.equal(await socketStatus(`/api/pod/terminal?namespace=shop&name=${pod}`, tokens.operator), 403);
    assert.equal(await socketStatus('/ws', tokens.viewer), 101);
  });

  it("ends a disabled user's sessions and refuses their sign-in", async () => {
    assert.equal(
      (await call('POST', '/api/users/update', tokens.admin, { username: 'vera', disabled: true })).status,
      200,
    );
    assert.equal((await call('GET', '/api/pods', tokens.viewer)).status, 401);
    const login = await call('POST', '/api/auth/login', undefined, {
      username: 'vera',
      password: 'correct horse battery',
    });
    assert.equal(login.status, 403);
    assert.match(login.body.error.message, /disabled/);
    assert.equal((await call('DELETE', '/api/users/delete?username=otto', tokens.admin)).status, 200);
    assert.equal((await call('GET', '/api/pods', tokens.operator)).status, 401);
  });
});
