// One dispatch for every face: each route's shape picks its handler table, and the webview bridge serves every push
// channel (socket and stream routes) the HTTP server serves, with the same handlers.
import assert from 'node:assert/strict';
import { CHANNEL_IDS } from '../../src/shared/client';
import { shapeOf, type Route } from '../../src/shared/route';
import { ROUTES, routeEntries, type RouteId } from '../../src/shared/routeTable';
import type { ApiDeps } from '../../src/core/api/deps';
import { BROWSER_ONLY } from '../../src/server/upgrades';
import { Dispatcher, handlerTables, type HandlerTables } from '../../src/server/dispatch';
import { WebviewBridge } from '../../src/vscode/webviewBridge';

const route = (id: RouteId): Route => (ROUTES as Record<string, Route>)[id];

describe('dispatch: one handler table per route shape, the same for the server and the webview bridge', () => {
  it('gives every WebSocket route the socket shape and the documented streamed logs the stream shape', () => {
    for (const [id, r] of routeEntries()) if (r.method === 'WS') assert.equal(shapeOf(r), 'socket', id);
    assert.equal(shapeOf(route('pod.logs')), 'stream');
    assert.equal(route('pod.logs').path, '/api/pod/logs');
    assert.equal(shapeOf(route('kiali.proxy')), 'raw');
    assert.equal(shapeOf(route('pods.list')), 'json');
    // The webviews' channel ids are exactly the table's socket and stream routes.
    const channels = routeEntries()
      .filter(([, r]) => shapeOf(r) === 'socket' || shapeOf(r) === 'stream')
      .map(([id]) => id)
      .sort();
    assert.deepEqual([...CHANNEL_IDS].sort(), channels);
  });

  it('has a handler for every channel route, and the bridge serves all the server serves but the browser-only shell', () => {
    const server = new Dispatcher('http', handlerTables());
    const bridge = new WebviewBridge({ post: () => undefined, deps: () => ({}) as ApiDeps, tables: handlerTables() });
    assert.deepEqual(server.channels().sort(), [...CHANNEL_IDS].sort());
    assert.deepEqual(
      bridge.channels().sort(),
      server
        .channels()
        .filter((id) => !BROWSER_ONLY[id])
        .sort(),
    );
    assert.deepEqual(Object.keys(BROWSER_ONLY), ['local.terminal']);
  });

  it('picks the stream handler only when the params ask for the stream, and the same one on both faces', () => {
    const tables = handlerTables();
    for (const face of ['http', 'webview'] as const) {
      const d = new Dispatcher(face, tables);
      const streamed = d.pick('pod.logs', route('pod.logs'), { namespace: 'shop', name: 'web', follow: true });
      assert.equal(streamed.shape, 'stream');
      assert.equal(streamed.handler, tables.stream['pod.logs']);
      const once = d.pick('pod.logs', route('pod.logs'), { namespace: 'shop', name: 'web', follow: false });
      assert.equal(once.shape, 'json');
      assert.equal(once.handler, tables.json['pod.logs']);
      const ws = d.pick('ws', route('ws'), {});
      assert.equal(ws.shape, 'socket');
      assert.equal(ws.handler, tables.socket.ws);
    }
    // Raw routes pass through on HTTP; the bridge answers them with their JSON handler.
    assert.equal(new Dispatcher('http', tables).pick('kiali.proxy', route('kiali.proxy'), {}).shape, 'raw');
    assert.equal(new Dispatcher('webview', tables).pick('kiali.proxy', route('kiali.proxy'), {}).shape, 'json');
    assert.throws(
      () => new Dispatcher('webview', tables).pick('local.terminal', route('local.terminal'), {}),
      /integrated terminal/,
    );
  });

  it('follows a stream route over the bridge: opened once the source is, one message per item, closed when it ends', async () => {
    const posted: Array<Record<string, unknown>> = [];
    let stopped = false;
    let end!: () => void;
    const tables: HandlerTables = {
      json: {},
      socket: {},
      raw: {},
      stream: {
        'pod.logs': (async (
          p: { name: string; follow: boolean },
          _d: ApiDeps,
          _c: unknown,
          emit: (x: unknown) => void,
        ) => {
          assert.equal(p.follow, true);
          emit({ pod: p.name, text: 'first' });
          return { stop: () => (stopped = true), done: new Promise<void>((r) => (end = r)) };
        }) as never,
      },
    };
    const bridge = new WebviewBridge({ post: (m) => posted.push(m as never), deps: () => ({}) as ApiDeps, tables });
    // By route id, with the query strings a URL would carry.
    await bridge.receive({
      type: 'stream.open',
      streamId: 3,
      id: 'pod.logs',
      params: { namespace: 'shop', name: 'web', follow: 'true' },
    });
    assert.deepEqual(posted.slice(0, 2), [
      { type: 'stream.opened', streamId: 3 },
      { type: 'stream.message', streamId: 3, data: '{"pod":"web","text":"first"}' },
    ]);
    end();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(posted.at(-1), { type: 'stream.closed', streamId: 3, code: 1000, reason: 'ended' });
    assert.equal(stopped, true);

    // A stream closed by the webview stops its source.
    stopped = false;
    await bridge.receive({
      type: 'stream.open',
      streamId: 4,
      id: 'pod.logs',
      params: { namespace: 'shop', name: 'web', follow: 'true' },
    });
    await bridge.receive({ type: 'stream.close', streamId: 4 });
    assert.equal(stopped, true);

    // A route that is no channel, or no route at all, is refused with a reason, never silently.
    for (const [streamId, id] of [
      [5, 'pods.list'],
      [6, '/api/pod/logs'],
    ] as const) {
      await bridge.receive({ type: 'stream.open', streamId, id, params: {} });
      assert.deepEqual(posted.at(-1), {
        type: 'stream.closed',
        streamId,
        code: 1008,
        reason: `no push channel "${id}"`,
      });
    }
  });
});
