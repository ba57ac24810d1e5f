// The VS Code panel's push channels against the simulated demo cluster: the webview bridge dispatches through the
// same handler tables as the HTTP server, so followed logs (a `stream` route) and live tables (the `/ws` socket
// route) reach the panel as they reach a browser tab.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { BridgeFromHost, BridgeResponse } from '../../src/shared/client';
import { STREAM_HANDLERS } from '../../src/core/api/streams';
import { Dispatcher, handlerTables } from '../../src/server/dispatch';
import { BROWSER_ONLY, SOCKET_HANDLERS } from '../../src/server/upgrades';
import { WebviewBridge } from '../../src/vscode/webviewBridge';
import { eventually, kubectlOk } from '../helpers/sim';
import { nextMessage, openWs, startHarness, type Harness } from './serverHelpers';

type Posted = BridgeFromHost | BridgeResponse;

/** The text frames of one channel, parsed. */
const framesOf = (posted: Posted[], streamId: number): any[] =>
  posted.flatMap((m) => (m.type === 'stream.message' && m.streamId === streamId ? [JSON.parse(m.data)] : []));

/** NDJSON lines of a followed HTTP answer, until `enough` holds; then the request is dropped. */
function followHttp(h: Harness, path: string, enough: (lines: any[]) => boolean): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, h.base), { headers: { Authorization: `Bearer ${h.token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
      assert.match(String(res.headers['content-type']), /application\/x-ndjson/);
      const lines: any[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) lines.push(JSON.parse(line));
        }
        if (enough(lines)) {
          req.destroy();
          resolve(lines);
        }
      });
      res.on('end', () => reject(new Error(`the stream ended after ${lines.length} lines`)));
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
  });
}

describe('webview bridge channels against the demo cluster', function () {
  this.timeout(90_000);
  let h: Harness;
  let bridge: WebviewBridge;
  const posted: Posted[] = [];
  let pod: { namespace: string; name: string };

  before(async () => {
    h = await startHarness();
    bridge = new WebviewBridge({ post: (m) => posted.push(m), deps: () => h.app.deps, tables: handlerTables() });
    // A running nginx pod: the simulator writes its access log continuously.
    pod = await eventually(async () => {
      const pods = JSON.parse(await kubectlOk(h.sim, ['get', 'pods', '-A', '-o', 'json'])).items as any[];
      const p = pods.find(
        (x) => x.status?.phase === 'Running' && x.spec.containers.some((c: any) => /nginx/.test(c.image)),
      );
      return p && { namespace: p.metadata.namespace as string, name: p.metadata.name as string };
    }, 30_000);
  });
  after(async () => {
    bridge?.dispose();
    await h?.close();
  });

  it('serves every channel route the server serves (but the browser-only shell), with the very same handlers', () => {
    const tables = handlerTables();
    const server = new Dispatcher('http', tables);
    assert.deepEqual(
      bridge.channels().sort(),
      server
        .channels()
        .filter((id) => !BROWSER_ONLY[id])
        .sort(),
    );
    assert.ok(bridge.channels().includes('pod.logs') && bridge.channels().includes('ws'));
    assert.equal(tables.stream['pod.logs'], STREAM_HANDLERS['pod.logs']);
    assert.equal(tables.socket.ws, SOCKET_HANDLERS.ws);
  });

  it('follows a pod’s logs through the bridge: history, then new lines as the container writes them', async () => {
    await bridge.receive({
      type: 'stream.open',
      streamId: 1,
      id: 'pod.logs',
      params: { namespace: pod.namespace, name: pod.name, follow: 'true', tailLines: '2' },
    });
    assert.deepEqual(
      posted.find((m) => m.type !== 'stream.message' && 'streamId' in m && m.streamId === 1),
      { type: 'stream.opened', streamId: 1 },
    );
    // Two lines of history, then at least two the container wrote while followed.
    const lines = await eventually(() => (framesOf(posted, 1).length >= 4 ? framesOf(posted, 1) : undefined), 30_000);
    for (const l of lines) {
      assert.equal(l.pod, pod.name);
      assert.equal(typeof l.text, 'string');
      assert.ok(l.text.length > 0);
    }
    // The browser tab's stream of the same route carries items of the same shape.
    const viaHttp = await followHttp(
      h,
      `/api/pod/logs?namespace=${pod.namespace}&name=${pod.name}&follow=true&tailLines=2`,
      (ls) => ls.length >= 3,
    );
    assert.deepEqual(Object.keys(viaHttp[0]).sort(), Object.keys(lines[0]).sort());
    // Closed by the panel: the channel is gone, frames sent to it go nowhere.
    await bridge.receive({ type: 'stream.close', streamId: 1 });
    assert.equal(await bridge.receive({ type: 'stream.send', streamId: 1, data: 'x' }), true);
  });

  it('keeps a live table through the `/ws` socket route over the bridge, as a browser WebSocket does', async () => {
    await bridge.receive({ type: 'stream.open', streamId: 2, id: 'ws', params: {} });
    const hello = await eventually(() => framesOf(posted, 2).find((m) => m.type === 'hello'));
    assert.equal(hello.context, h.app.deps.kube.currentContext());
    await bridge.receive({
      type: 'stream.send',
      streamId: 2,
      data: JSON.stringify({ type: 'subscribe', kind: 'pods', namespace: pod.namespace }),
    });
    const snap = await eventually(() => framesOf(posted, 2).find((m) => m.type === 'snapshot'), 30_000);
    assert.equal(snap.kind, 'pods');
    assert.ok(snap.items.some((r: any) => r.name === pod.name));

    const ws = await openWs(`${h.base.replace('http', 'ws')}/ws?token=${h.token}`);
    try {
      ws.send(JSON.stringify({ type: 'subscribe', kind: 'pods', namespace: pod.namespace }));
      const viaWs = await nextMessage(ws, (m) => m.type === 'snapshot');
      assert.equal(viaWs.id, snap.id);
      assert.deepEqual(Object.keys(viaWs.items[0]).sort(), Object.keys(snap.items[0]).sort());
    } finally {
      ws.close();
    }
    await bridge.receive({ type: 'stream.close', streamId: 2 });
  });
});
