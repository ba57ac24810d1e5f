// Connection limits: a flood of connections that never send a request (slowloris, half-open sockets) must not use up
// the process's file descriptors and lock real users out. Sockets are "pending" until their first request (or
// upgrade) arrives; at a limit, the oldest pending socket makes room, so a client that talks always gets in.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** All open sockets (below the usual 1024 file descriptors, with room for watches, files and the store). */
  maxTotal: number;
  /** Sockets one address may hold open before it has sent anything. */
  maxPendingPerClient: number;
  /** A socket that sends no request within this long is closed. */
  pendingTimeoutMs: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = { maxTotal: 600, maxPendingPerClient: 64, pendingTimeoutMs: 10_000 };

export function guardConnections(
  server: Server,
  limits: ConnectionLimits = DEFAULT_LIMITS,
): { open(): number; pending(): number } {
  const open = new Set<Socket>();
  /** Pending sockets in arrival order (a Set keeps insertion order: the first is the oldest). */
  const pending = new Set<Socket>();
  const pendingBy = new Map<string, Set<Socket>>();
  const timers = new WeakMap<Socket, NodeJS.Timeout>();

  const settle = (s: Socket) => {
    if (!pending.delete(s)) return;
    clearTimeout(timers.get(s));
    const key = s.remoteAddress ?? '';
    const mine = pendingBy.get(key);
    mine?.delete(s);
    if (mine && !mine.size) pendingBy.delete(key);
  };
  const evict = (s: Socket | undefined) => {
    if (!s) return false;
    settle(s);
    s.destroy();
    return true;
  };

  server.on('connection', (s: Socket) => {
    const key = s.remoteAddress ?? '';
    const mine = pendingBy.get(key) ?? new Set<Socket>();
    if (mine.size >= limits.maxPendingPerClient) evict(mine.values().next().value);
    if (open.size >= limits.maxTotal && !evict(pending.values().next().value)) {
      // Every open socket is a talking client: refuse the newcomer rather than drop someone mid-request.
      s.destroy();
      return;
    }
    open.add(s);
    pending.add(s);
    mine.add(s);
    pendingBy.set(key, mine);
    const t = setTimeout(() => evict(s), limits.pendingTimeoutMs);
    t.unref();
    timers.set(s, t);
    s.once('close', () => {
      settle(s);
      open.delete(s);
    });
  });
  const spoke = (req: { socket: Socket }) => settle(req.socket);
  server.prependListener('request', spoke);
  server.prependListener('upgrade', spoke);
  return { open: () => open.size, pending: () => pending.size };
}
