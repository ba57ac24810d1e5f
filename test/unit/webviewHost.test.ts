// The host layer: one app, two transports. Over HTTP every failure becomes a clear ApiError (never a hang); over the
// VS Code bridge calls and push channels travel as messages the panel host answers.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpTransport, takeLaunchToken } from '../../webviews/src/host/httpTransport';
import { VsCodeTransport } from '../../webviews/src/host/vscodeTransport';
import { ApiError } from '../../webviews/src/host/apiError';
import { Api } from '../../webviews/src/api/api';
import type { Route } from '../../src/shared/route';

function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

const GET = (path: string): Route => ({ method: 'GET', path, owner: 'kube', doc: '', params: undefined as never });

describe('webview host: HTTP transport', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ url: string; auth?: string; body: string; method?: string }> = [];
  before(async () => {
    ({ server, base } = await serve((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', auth: req.headers.authorization, body, method: req.method });
        const send = (status: number, b: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(b));
        };
        if (req.url?.startsWith('/api/ok')) send(200, { items: [1, 2] });
        else if (req.url?.startsWith('/api/unauth'))
          send(401, { error: { code: 'unauthorized', message: 'missing or invalid token' } });
        else if (req.url?.startsWith('/api/na'))
          send(501, {
            error: { code: 'notImplemented', message: 'the metrics engine does not answer this route yet' },
          });
        else if (req.url?.startsWith('/api/bad')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end('{not json');
        } else if (req.url?.startsWith('/api/slow')) {
          // Never answers: the transport must give up on its own.
        } else send(404, { error: { code: 'notFound', message: 'no such route' } });
      });
    }));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('takes the launch token from the URL once, removes it from the address bar, and keeps it for the tab', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    let shown = '';
    assert.equal(
      takeLaunchToken('http://127.0.0.1:9/?token=abc&x=1#/pods', (u) => (shown = u), storage),
      'abc',
    );
    assert.equal(shown, '/?x=1#/pods');
    // A reload (or a link opened in the same tab) no longer carries the token but still signs in.
    assert.equal(
      takeLaunchToken('http://127.0.0.1:9/#/incidents', () => assert.fail('nothing to strip'), storage),
      'abc',
    );
    assert.equal(
      takeLaunchToken('http://127.0.0.1:9/', () => undefined, undefined),
      undefined,
    );
  });

  it('sends the token as a bearer header, GET params in the query and POST params as JSON', async () => {
    const t = new HttpTransport(base, 'tok-1');
    assert.deepEqual(
      await t.request('x', GET('/api/ok/{name}'), { name: 'a b', namespace: 'shop', items: [{ n: 1 }] }),
      { items: [1, 2] },
    );
    const g = seen.at(-1)!;
    assert.equal(g.auth, 'Bearer tok-1');
    assert.equal(g.url, `/api/ok/a%20b?namespace=shop&items=${encodeURIComponent('[{"n":1}]')}`);
    await t.request('x', { ...GET('/api/ok'), method: 'POST' }, { yaml: 'a: 1', dryRun: true });
    assert.equal(seen.at(-1)!.method, 'POST');
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), { yaml: 'a: 1', dryRun: true });
  });

  it('turns error bodies into ApiErrors that say what happened', async () => {
    const t = new HttpTransport(base, undefined);
    await assert.rejects(
      t.request('x', GET('/api/unauth'), {}),
      (e: ApiError) => e.status === 401 && e.code === 'unauthorized' && /token/.test(e.message),
    );
    await assert.rejects(
      t.request('x', GET('/api/na'), {}),
      (e: ApiError) => e.notImplemented && /metrics engine/.test(e.message),
    );
    await assert.rejects(t.request('x', GET('/api/bad'), {}), (e: ApiError) => e.code === 'badResponse');
  });

  it('never hangs: an unanswered call times out and an unreachable server says so', async () => {
    const t = new HttpTransport(base, undefined);
    t.timeoutMs = 300;
    await assert.rejects(t.request('x', GET('/api/slow'), {}), (e: ApiError) => e.code === 'timeout' && e.unreachable);
    const dead = new HttpTransport('http://127.0.0.1:1', undefined);
    await assert.rejects(
      dead.request('x', GET('/api/ok'), {}),
      (e: ApiError) => e.status === 0 && /Cannot reach/.test(e.message),
    );
  });

  it('calls routes of the shared table by id through the typed Api', async () => {
    const api = new Api(Object.assign(new HttpTransport(base, 't'), {}));
    await assert.rejects(
      api.call('pods.list', { namespace: 'shop' }),
      (e: ApiError) => e instanceof ApiError && e.status === 404,
    );
    assert.equal(seen.at(-1)!.url, '/api/pods?namespace=shop');
  });
});

describe('webview host: VS Code bridge', () => {
  const posted: unknown[] = [];
  let win: EventTarget;
  let t: VsCodeTransport;
  before(() => {
    (globalThis as Record<string, unknown>).acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => posted.push(m),
      getState: () => undefined,
      setState: () => undefined,
    });
    win = new EventTarget();
    t = new VsCodeTransport(
      win as unknown as { addEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void },
    );
  });
  after(() => {
    delete (globalThis as Record<string, unknown>).acquireVsCodeApi;
  });
  const fromHost = (data: unknown) => win.dispatchEvent(new MessageEvent('message', { data }));

  it('sends route calls as api.request and resolves or rejects with the answer', async () => {
    const p = t.request('pods.list', GET('/api/pods'), { namespace: 'shop' });
    const req = posted.at(-1) as { type: string; reqId: number; id: string; params: unknown };
    assert.equal(req.type, 'api.request');
    assert.equal(req.id, 'pods.list');
    assert.deepEqual(req.params, { namespace: 'shop' });
    fromHost({ type: 'api.response', reqId: req.reqId, ok: true, result: { items: [] } });
    assert.deepEqual(await p, { items: [] });
    const q = t.request('incidents.list', GET('/api/incidents/v2'), {});
    const r2 = posted.at(-1) as { reqId: number };
    fromHost({
      type: 'api.response',
      reqId: r2.reqId,
      ok: false,
      error: { code: 'notImplemented', message: 'not yet', status: 501 },
    });
    await assert.rejects(q, (e: { code: string; status?: number }) => e.code === 'notImplemented' && e.status === 501);
  });

  it('opens push channels as streams: frames in both directions, then close', () => {
    const got: string[] = [];
    const states: string[] = [];
    const ch = t.channel(
      'pod.terminal',
      { namespace: 'shop', pod: 'web' },
      { onMessage: (d) => got.push(d), onState: (s) => states.push(s) },
    );
    const open = posted.at(-1) as { type: string; streamId: number; id: string; params: Record<string, string> };
    assert.equal(open.type, 'stream.open');
    assert.equal(open.id, 'pod.terminal', 'channels are opened by route id');
    assert.deepEqual(open.params, { namespace: 'shop', pod: 'web' });
    fromHost({ type: 'stream.opened', streamId: open.streamId });
    ch.send('{"type":"stdin","data":"ls\\n"}');
    assert.deepEqual(posted.at(-1), {
      type: 'stream.send',
      streamId: open.streamId,
      data: '{"type":"stdin","data":"ls\\n"}',
    });
    fromHost({ type: 'stream.message', streamId: open.streamId, data: '{"type":"stdout","data":"bin\\n"}' });
    fromHost({ type: 'stream.message', streamId: open.streamId + 99, data: 'not ours' });
    assert.deepEqual(got, ['{"type":"stdout","data":"bin\\n"}']);
    ch.close();
    assert.deepEqual(posted.at(-1), { type: 'stream.close', streamId: open.streamId });
    assert.deepEqual(states, ['connecting', 'open']);
  });

  it('follows the host when it asks for a page', () => {
    const pages: string[] = [];
    t.onNavigate((p) => pages.push(p));
    fromHost({ type: 'app.navigate', page: 'incidents', params: { id: 'x' } });
    fromHost({ nonsense: true });
    assert.deepEqual(pages, ['incidents']);
  });
});
