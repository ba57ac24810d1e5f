// `/ws` (resource changes + connection state, multiplexed) and `/api/pod/terminal` (pod exec over xterm.js frames).
import type { SocketPeer } from '../shared/socket';
import { kindByWord, kindId } from '../shared/kinds';
import {
  subscriptionId,
  type TerminalClientMessage,
  type TerminalServerMessage,
  type WsClientMessage,
  type WsServerMessage,
} from '../shared/routes/push';
import type { ApiDeps } from '../core/api/deps';
import { toRow } from '../core/api/rows';
import type { KObject } from '../core/kube/descriptors';
import { toKubeError } from '../core/kube/errors';
import type { Subscription } from '../core/kube/engine';
import type { UpgradeContext } from './upgrades';

const send = (ws: SocketPeer, m: WsServerMessage | TerminalServerMessage) => {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
};

/** A route word (`pods`, `service-accounts`) or an engine kind id, as the shared table of kinds names it. */
const engineKind = (k: string) => {
  const d = kindByWord(k);
  return d ? kindId(d) : k;
};

export function kubeSocket(ws: SocketPeer, _params: Record<string, unknown>, u: UpgradeContext): void {
  const deps = u.deps;
  const context = deps.kube.currentContext();
  const subs = new Map<string, Subscription>();
  const offConn = deps.kube.events.on('connection', (c) => {
    if (c.context === context) send(ws, { type: 'connection', context, connection: c.state });
  });
  send(ws, {
    type: 'hello',
    context,
    connection: context ? deps.kube.context(context).connection : { state: 'idle' },
    demo: deps.demo,
  });

  const subscribe = async (m: Extract<WsClientMessage, { type: 'subscribe' }>) => {
    const ns = m.namespace || undefined;
    const id = m.id ?? subscriptionId(m.kind, ns);
    if (subs.has(id)) return;
    try {
      const d = deps.kube.descriptor(context, engineKind(m.kind));
      const inNs = (o: { namespace?: string }) => !ns || !d.namespaced || o.namespace === ns;
      const sub = deps.kube.subscribe(context, kindId(d), undefined, (b) => {
        const rows = (xs: unknown[]) => (xs as KObject[]).filter((o) => inNs(o.metadata)).map((o) => toRow(d, o));
        const deleted = b.deleted.filter(inNs);
        const added = rows(b.added);
        const modified = rows(b.modified);
        if (!b.reset && !added.length && !modified.length && !deleted.length) return;
        send(ws, { type: 'changes', id, kind: kindId(d), namespace: ns, reset: b.reset, added, modified, deleted });
      });
      subs.set(id, sub);
      const offStatus = sub.cache.onStatus((s) =>
        send(ws, { type: 'status', id, live: s.live, stale: s.stale, ...(s.error ? { error: s.error } : {}) }),
      );
      const unsub = sub.unsubscribe;
      sub.unsubscribe = async () => {
        offStatus();
        await unsub();
      };
      await sub.cache.whenSynced();
      if (!subs.has(id)) return;
      const items = (d.namespaced && ns ? sub.cache.index.inNamespace(ns) : sub.cache.list()).map((o) => toRow(d, o));
      send(ws, {
        type: 'snapshot',
        id,
        kind: kindId(d),
        namespace: ns,
        items,
        live: sub.cache.status.live,
        stale: sub.cache.status.stale,
      });
    } catch (e) {
      const s = subs.get(id);
      subs.delete(id);
      await s?.unsubscribe();
      send(ws, { type: 'error', id, error: toKubeError(e).toDto() });
    }
  };

  ws.on('message', (raw) => {
    let m: WsClientMessage;
    try {
      m = JSON.parse(raw.toString()) as WsClientMessage;
    } catch {
      return send(ws, { type: 'error', error: { code: 'badRequest', message: 'messages are JSON objects' } });
    }
    if (m?.type === 'ping') return send(ws, { type: 'pong' });
    if (
      (m?.type === 'subscribe' || m?.type === 'unsubscribe') &&
      typeof m.kind === 'string' &&
      m.kind.length < 256 &&
      (m.namespace === undefined || typeof m.namespace === 'string')
    ) {
      if (m.type === 'subscribe') return void subscribe(m);
      const id = m.id ?? subscriptionId(m.kind, m.namespace || undefined);
      const s = subs.get(id);
      subs.delete(id);
      void s?.unsubscribe();
      return send(ws, { type: 'unsubscribed', id });
    }
    send(ws, {
      type: 'error',
      error: {
        code: 'badRequest',
        message: 'expected {type:"subscribe"|"unsubscribe", kind, namespace?} or {type:"ping"}',
      },
    });
  });
  ws.on('close', () => {
    offConn();
    for (const s of subs.values()) void s.unsubscribe();
    subs.clear();
  });
}

export async function podTerminal(
  ws: SocketPeer,
  p: {
    namespace: string;
    pod?: string;
    name?: string;
    container?: string;
    shell?: string;
    cols?: number;
    rows?: number;
  },
  u: UpgradeContext,
): Promise<void> {
  const deps: ApiDeps = u.deps;
  const pod = (p.pod ?? p.name)!;
  // No shell was asked for: bash if the image has it, else sh (exec of a missing binary fails before anything runs).
  const candidates = p.shell ? [[p.shell]] : [['bash'], ['sh']];
  // Keystrokes typed while exec is still connecting are replayed, not lost.
  const early: TerminalClientMessage[] = [];
  let closed = false;
  const onEarly = (raw: unknown) => {
    try {
      early.push(JSON.parse(String(raw)) as TerminalClientMessage);
    } catch {
      // Not JSON: ignored like any other bad frame.
    }
  };
  ws.on('message', onEarly);
  ws.once('close', () => (closed = true));
  let session;
  let lastError: unknown;
  for (const command of candidates) {
    try {
      session = await deps.kube.actions(deps.kube.currentContext()).exec({
        namespace: p.namespace,
        pod,
        container: p.container,
        command,
        tty: true,
        stdin: true,
        cols: p.cols ?? 80,
        rows: p.rows ?? 24,
      });
      // A shell missing from the image exits at once with a non-zero code; give the next candidate a go.
      const quick = await Promise.race([session.exit, new Promise<null>((r) => setTimeout(() => r(null), 300))]);
      if (quick && quick.code !== 0 && candidates.length > 1 && command !== candidates[candidates.length - 1]) {
        session.close();
        session = undefined;
        continue;
      }
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!session) {
    send(ws, { type: 'error', error: toKubeError(lastError ?? new Error('no shell in the container')).toDto() });
    ws.close(1011, 'exec failed');
    return;
  }
  ws.off('message', onEarly);
  if (closed) return session.close();
  session.onStdout((d) => send(ws, { type: 'stdout', data: d.toString('utf8') }));
  session.onStderr((d) => send(ws, { type: 'stderr', data: d.toString('utf8') }));
  void session.exit.then((x) => {
    send(ws, { type: 'exit', code: x.code, ...(x.message ? { message: x.message } : {}) });
    ws.close(1000, 'exited');
  });
  const apply = (m: TerminalClientMessage) => {
    if (m?.type === 'stdin' && typeof m.data === 'string') session.write(m.data);
    else if (
      m?.type === 'resize' &&
      Number.isInteger(m.cols) &&
      Number.isInteger(m.rows) &&
      m.cols > 0 &&
      m.rows > 0 &&
      m.cols <= 1000 &&
      m.rows <= 1000
    )
      session.resize(m.cols, m.rows);
  };
  early.splice(0).forEach(apply);
  ws.on('message', (raw) => {
    try {
      apply(JSON.parse(raw.toString()) as TerminalClientMessage);
    } catch {
      // Not JSON: ignored.
    }
  });
  ws.on('close', () => session.close());
}
