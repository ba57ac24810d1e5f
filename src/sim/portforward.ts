// pods/portforward: kubectl speaks SPDY/3.1 (raw upgrade, or tunnelled in a WebSocket from 1.31), client-node
// speaks the channel WebSocket protocol. Each forwarded connection reaches an in-process responder that plays
// the pod's server: HTTP on web ports, an echo elsewhere. Nothing listens on the host.
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ResourceRequest, SimContext } from './context';
import type { KObj } from './store';
import { StatusError, badRequest } from './status';
import { Params } from './params';

// The SPDY/3 header compression dictionary (a fixed byte string from the spec), as spdy-transport ships it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SPDY_DICT: Buffer = Buffer.from(require('spdy-transport/lib/spdy-transport/protocol/spdy/dictionary')[3]);

const FLAG_FIN = 0x01;
const enum Frame {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Ping = 6,
  GoAway = 7,
}

/** One SPDY stream: readable via 'data'/'end', writable via write()/end(). */
export class SpdyStream extends EventEmitter {
  ended = false;
  private finished = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: Record<string, string>,
  ) {
    super();
  }

  write(data: Buffer | string): void {
    if (this.finished) return;
    this.session.sendData(this.id, Buffer.from(data), false);
  }

  end(data?: Buffer | string): void {
    if (this.finished) return;
    this.session.sendData(this.id, data ? Buffer.from(data) : Buffer.alloc(0), true);
    this.finished = true;
  }

  /** @internal */
  receive(data: Buffer, fin: boolean): void {
    if (this.ended) return;
    if (data.length) this.emit('data', data);
    if (fin) {
      this.ended = true;
      this.emit('end');
    }
  }
}

/**
 * The server side of a SPDY/3.1 session, just enough for kubectl's spdystream: streams, data, FIN, RST, PING and
 * GOAWAY. Flow control is left out on purpose: spdystream never sends WINDOW_UPDATE, so honouring windows
 * would stall any transfer over 64 KiB.
 */
export class SpdySession extends EventEmitter {
  private buf: Buffer = Buffer.alloc(0);
  private readonly streams = new Map<number, SpdyStream>();
  private readonly inflate = zlib.createInflate({ dictionary: SPDY_DICT });
  private readonly deflate = zlib.createDeflate({ dictionary: SPDY_DICT });
  /** Frames are handled, and sent, strictly in order, though header (de)compression is asynchronous. */
  private inQueue: Promise<void> = Promise.resolve();
  private outQueue: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    private readonly send: (b: Buffer) => void,
    private readonly onClose: () => void,
  ) {
    super();
  }

  feed(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.inQueue = this.inQueue.then(() => this.handle(frame)).catch((e) => this.fail(e));
    }
  }

  private fail(e: unknown): void {
    // A broken peer is the client's problem, not the simulator's: log-free, never an unhandled 'error'.
    if (this.listenerCount('error')) this.emit('error', e);
    this.shutdown();
  }

  private async handle(f: Buffer): Promise<void> {
    if (this.closed) return;
    const flags = f[4];
    if (!(f[0] & 0x80)) {
      const stream = this.streams.get(f.readUInt32BE(0) & 0x7fffffff);
      stream?.receive(f.subarray(8), (flags & FLAG_FIN) !== 0);
      return;
    }
    const type = f.readUInt16BE(2);
    switch (type) {
      case Frame.SynStream: {
        const id = f.readUInt32BE(8) & 0x7fffffff;
        const headers = parseHeaderBlock(await this.inflateBlock(f.subarray(18)));
        const stream = new SpdyStream(this, id, headers);
        this.streams.set(id, stream);
        this.reply(id);
        this.emit('stream', stream);
        if (flags & FLAG_FIN) stream.receive(Buffer.alloc(0), true);
        return;
      }
      case Frame.RstStream: {
        const id = f.readUInt32BE(8) & 0x7fffffff;
        this.streams.get(id)?.receive(Buffer.alloc(0), true);
        this.streams.delete(id);
        return;
      }
      case Frame.Ping:
        this.enqueue(async () => this.send(Buffer.from(f)));
        return;
      case Frame.GoAway:
        this.close();
        return;
      // SYN_REPLY, SETTINGS, HEADERS, WINDOW_UPDATE: nothing to act on for these streams.
    }
  }

  private inflateBlock(b: Buffer): Promise<Buffer> {
    return zlibBlock(this.inflate, b);
  }

  private enqueue(fn: () => Promise<void>): void {
    this.outQueue = this.outQueue.then(() => (this.closed ? undefined : fn())).catch((e) => this.fail(e));
  }

  private reply(id: number): void {
    this.enqueue(async () => {
      // An empty header block, still compressed: spdystream's reader expects the shared zlib stream to continue.
      const block = await zlibBlock(this.deflate, Buffer.alloc(4));
      const h = Buffer.alloc(12);
      h.writeUInt16BE(0x8003, 0);
      h.writeUInt16BE(Frame.SynReply, 2);
      h.writeUInt32BE(4 + block.length, 4); // flags byte 0, then 24-bit length
      h.writeUInt32BE(id, 8);
      this.send(Buffer.concat([h, block]));
    });
  }

  /** @internal */
  sendData(id: number, data: Buffer, fin: boolean): void {
    this.enqueue(async () => {
      for (let off = 0; off < data.length || (off === 0 && fin); off += 0xffff) {
        const part = data.subarray(off, off + 0xffff);
        const last = off + 0xffff >= data.length;
        const h = Buffer.alloc(8);
        h.writeUInt32BE(id & 0x7fffffff, 0);
        h.writeUInt32BE(part.length, 4);
        if (fin && last) h[4] = FLAG_FIN;
        this.send(Buffer.concat([h, part]));
        if (last) break;
      }
    });
  }

  /** Says GOAWAY once everything queued has gone out, then closes. */
  close(): void {
    if (this.closed) return;
    this.outQueue = this.outQueue.then(() => {
      if (this.closed) return;
      const g = Buffer.alloc(16);
      g.writeUInt16BE(0x8003, 0);
      g.writeUInt16BE(Frame.GoAway, 2);
      g.writeUInt32BE(8, 4);
      this.send(g);
      this.shutdown();
    });
  }

  /** The transport went away: end every stream without writing anything. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.receive(Buffer.alloc(0), true);
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.onClose();
    this.emit('close');
  }
}

function zlibBlock(z: zlib.Inflate | zlib.Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const onData = (c: Buffer) => out.push(c);
    z.on('data', onData);
    z.once('error', reject);
    z.write(input);
    z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', reject);
      resolve(Buffer.concat(out));
    });
  });
}

function parseHeaderBlock(b: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let off = 4;
  const n = b.readUInt32BE(0);
  for (let i = 0; i < n; i++) {
    const nl = b.readUInt32BE(off);
    const name = b.toString('latin1', off + 4, off + 4 + nl);
    off += 4 + nl;
    const vl = b.readUInt32BE(off);
    headers[name.toLowerCase()] = b.toString('utf8', off + 4, off + 4 + vl).split('\0')[0];
    off += 4 + vl;
  }
  return headers;
}

// ---- upgrade plumbing shared with exec ----

/** Answers a refused upgrade with a Status body: kubectl prints `Error from server (Reason): message`. */
export function refuseUpgrade(socket: Duplex, e: StatusError): void {
  const body = JSON.stringify(e.toStatus());
  const text =
    e.code === 404
      ? 'Not Found'
      : e.code === 403
        ? 'Forbidden'
        : e.code === 500
          ? 'Internal Server Error'
          : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${e.code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Completes a raw `Upgrade: SPDY/3.1` handshake and returns the session over the socket. */
export function acceptSpdy(socket: Duplex, head: Buffer, extraHeaders: Record<string, string>): SpdySession {
  const session = new SpdySession(
    (b) => socket.write(b),
    () => socket.end(),
  );
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
      Object.entries(extraHeaders)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      '\r\n',
  );
  socket.on('data', (d: Buffer) => session.feed(d));
  socket.on('close', () => session.shutdown());
  socket.on('error', () => session.shutdown());
  if (head.length) session.feed(head);
  return session;
}

const isSpdyUpgrade = (req: IncomingMessage) => /^spdy\/3\.1$/i.test(String(req.headers.upgrade ?? ''));
const isWebSocket = (req: IncomingMessage) => /^websocket$/i.test(String(req.headers.upgrade ?? ''));

/** The client's offered WebSocket subprotocols, in preference order. */
const offered = (req: IncomingMessage) =>
  String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A WebSocket server for the k8s subprotocols. `ws` rejects the token "SPDY/3.1+portforward.k8s.io" ('/' and '+'
 * are not token characters), so that offer is hidden from it and the chosen protocol is written back here.
 */
export function makeWss(): {
  wss: WebSocketServer;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string, cb: (ws: WebSocket) => void): void;
} {
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: () => false });
  wss.on('headers', (headers, req) => {
    const p = chosen.get(req);
    if (p) headers.push(`Sec-WebSocket-Protocol: ${p}`);
  });
  return {
    wss,
    upgrade(req, socket, head, protocol, cb) {
      chosen.set(req, protocol);
      delete req.headers['sec-websocket-protocol'];
      wss.handleUpgrade(req, socket, head, cb);
    },
  };
}

// ---- what the pod serves ----

const HTTP_PORTS = new Set([80, 443, 3000, 5000, 8000, 8080, 8081, 8443, 8888, 9090]);

interface Responder {
  input(data: Buffer): void;
  /** The client half-closed: finish what is pending. */
  end(): void;
}

/** The pod's listener on `port`: writes replies via `out`, `close` when it hangs up. */
export function podResponder(pod: KObj, port: number, out: (b: Buffer) => void, close: () => void): Responder {
  const named = (pod.spec?.containers ?? []).some((c: { ports?: Array<{ containerPort: number; name?: string }> }) =>
    (c.ports ?? []).some((p) => p.containerPort === port && /^(http|web|https|metrics)/.test(p.name ?? '')),
  );
  if (!HTTP_PORTS.has(port) && !named) return { input: out, end: close };
  let buf = Buffer.alloc(0);
  return {
    input(data) {
      buf = Buffer.concat([buf, data]);
      for (;;) {
        const headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buf.toString('latin1', 0, headEnd);
        const bodyLen = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < headEnd + 4 + bodyLen) return;
        buf = buf.subarray(headEnd + 4 + bodyLen);
        const [method = 'GET', path = '/'] = head.split('\r\n')[0].split(' ');
        const keepAlive = !/\r\nconnection:\s*close/i.test(head) && !/HTTP\/1\.0$/.test(head.split('\r\n')[0]);
        out(httpResponse(pod, port, method, path, keepAlive));
        if (!keepAlive) return close();
      }
    },
    end: close,
  };
}

function httpResponse(pod: KObj, port: number, method: string, path: string, keepAlive: boolean): Buffer {
  const name = pod.metadata.name;
  const ns = pod.metadata.namespace ?? 'default';
  const image: string = pod.spec?.containers?.[0]?.image ?? '';
  let status = '200 OK';
  let type = 'text/html; charset=utf-8';
  let body: string;
  if (/^\/(healthz|readyz|livez|health)/.test(path)) {
    type = 'text/plain; charset=utf-8';
    body = 'ok\n';
  } else if (path.startsWith('/api')) {
    type = 'application/json';
    body = JSON.stringify({ pod: name, namespace: ns, podIP: pod.status?.podIP, port, method, path }) + '\n';
  } else if (path === '/' || path.startsWith('/index')) {
    body = `<!DOCTYPE html>\n<html>\n<head><title>${name}</title></head>\n<body>\n<h1>Hello from ${name}</h1>\n<p>namespace ${ns}, port ${port}, image ${image}</p>\n</body>\n</html>\n`;
  } else {
    status = '404 Not Found';
    body = `<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n</body>\n</html>\n`;
  }
  if (method === 'HEAD') body = '';
  const server = /nginx/.test(image) ? 'nginx/1.27.2' : 'kubegraf-sim';
  return Buffer.from(
    `HTTP/1.1 ${status}\r\nServer: ${server}\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n${body}`,
  );
}

// ---- the handler ----

function podRunning(pod: KObj): void {
  if (pod.metadata.deletionTimestamp) throw badRequest(`pod ${pod.metadata.name} is terminating`);
  const phase = pod.status?.phase;
  if (phase && phase !== 'Running') throw badRequest(`pod ${pod.metadata.name} is not running (phase ${phase})`);
}

export function installPortForward(ctx: SimContext): void {
  const { wss, upgrade } = makeWss();
  const sessions = new Set<{ close(): void }>();
  ctx.onClose(() => {
    for (const s of sessions) s.close();
    wss.close();
  });

  ctx.upgrades.set('pods/portforward', (r: ResourceRequest, socket: Duplex, head: Buffer) => {
    const req = r.req;
    const pod = ctx.store.get('pods', r.namespace, r.name!);
    try {
      if (!pod) throw new StatusError(404, 'NotFound', `pods "${r.name}" not found`, { name: r.name, kind: 'pods' });
      podRunning(pod);
    } catch (e) {
      return refuseUpgrade(socket, e instanceof StatusError ? e : badRequest(String(e)));
    }
    const livePod = () => ctx.store.get('pods', r.namespace, r.name!) ?? pod;

    const serveSpdy = (session: SpdySession) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
      // requestid pairs the error and data streams of one forwarded connection.
      session.on('stream', (s: SpdyStream) => {
        const port = Number(s.headers.port);
        if (s.headers.streamtype === 'error') {
          s.on('end', () => s.end());
          return;
        }
        if (s.headers.streamtype !== 'data') return;
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          s.end();
          return;
        }
        let done = false;
        const responder = podResponder(
          livePod(),
          port,
          (b) => s.write(b),
          () => {
            if (!done) s.end();
            done = true;
          },
        );
        s.on('data', (d: Buffer) => responder.input(d));
        s.on('end', () => responder.end());
      });
    };

    if (isSpdyUpgrade(req)) {
      const session = acceptSpdy(socket, head, { 'X-Stream-Protocol-Version': 'portforward.k8s.io' });
      serveSpdy(session);
      return;
    }
    if (!isWebSocket(req)) return refuseUpgrade(socket, badRequest('unsupported upgrade: use SPDY/3.1 or websocket'));

    const protocols = offered(req);
    if (protocols.includes('SPDY/3.1+portforward.k8s.io')) {
      upgrade(req, socket, head, 'SPDY/3.1+portforward.k8s.io', (ws) => {
        const session = new SpdySession(
          (b) => ws.send(b, { binary: true }),
          () => ws.close(1000),
        );
        ws.on('message', (d: Buffer) => session.feed(d));
        ws.on('close', () => session.shutdown());
        serveSpdy(session);
      });
      return;
    }

    // client-node: channels 2i (data) and 2i+1 (error) for the i-th port of ?ports=.
    const proto = ['v4.channel.k8s.io', 'v5.channel.k8s.io', 'channel.k8s.io'].find((p) => protocols.includes(p));
    let ports: number[];
    try {
      ports = Params.of(r.url).ports();
    } catch (e) {
      return refuseUpgrade(socket, e as StatusError);
    }
    if (!proto)
      return refuseUpgrade(
        socket,
        badRequest('websocket subprotocol must be one of v4.channel.k8s.io, v5.channel.k8s.io'),
      );
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      return refuseUpgrade(socket, badRequest('query parameter "port" is required'));
    }
    upgrade(req, socket, head, proto, (ws) => {
      const handle = { close: () => ws.close(1000) };
      sessions.add(handle);
      ws.on('close', () => sessions.delete(handle));
      const responders = ports.map((port, i) => {
        const portBytes = Buffer.alloc(2);
        portBytes.writeUInt16LE(port);
        ws.send(Buffer.concat([Buffer.from([2 * i]), portBytes]));
        ws.send(Buffer.concat([Buffer.from([2 * i + 1]), portBytes]));
        return podResponder(
          livePod(),
          port,
          (b) => ws.send(Buffer.concat([Buffer.from([2 * i]), b])),
          () => ws.close(1000),
        );
      });
      ws.on('message', (d: Buffer) => {
        const ch = d[0];
        if (ch % 2 === 0 && responders[ch / 2]) responders[ch / 2].input(d.subarray(1));
      });
    });
  });
}
