// The browser face: HTTP for routes, WebSocket for pushes, both carrying the launch token `kubegraf web` printed.
import { ApiError, fromErrorBody } from './apiError';
import type { Channel, ChannelHandlers, Transport } from './transport';
import { shapeOf, type Route } from '../../../src/shared/route';
import { fillPath, toQuery, type ChannelId } from '../../../src/shared/client';
import { ROUTES } from '../../../src/shared/routeTable';

const TOKEN_KEY = 'kubegraf.token';

/** sessionStorage's shape, so this module needs no DOM types (it is unit-tested under Node). */
export interface TokenStorage {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}

/** Hands a file to the user; main.tsx passes the DOM download. */
export type Download = (name: string, content: string, mime: string) => void;

/**
 * Takes `?token=` from the address bar once, keeps it for this tab only (sessionStorage), and removes it from the
 * visible URL so it does not end up in history, bookmarks or screenshots.
 */
export function takeLaunchToken(
  href: string,
  replaceUrl: (url: string) => void,
  storage: TokenStorage | undefined,
): string | undefined {
  const url = new URL(href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still lives in memory for this page.
    }
    url.searchParams.delete('token');
    replaceUrl(url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the API lives: the page's own directory. The server hosts the app at `/`, but a proxy can put it under a path
 * (code-server's `/proxy/<port>/`), so calls resolve against the page, never the origin's root (routes use `#`).
 */
export function apiBase(pageHref: string): string {
  return new URL('.', pageHref).href;
}

/** A route path (`/api/pods`) under the API base: the leading `/` is dropped so a path prefix is kept. */
export function apiUrl(path: string, baseUrl: string): URL {
  return new URL(path.replace(/^\/+/, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
}

export class HttpTransport implements Transport {
  readonly face = 'browser' as const;

  /** `baseUrl`: the API base (`apiBase(location.href)`); a bare origin works too. */
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly download: Download = () => undefined,
  ) {}

  /** Nothing may hang on a spinner: every call ends, at worst with a timeout error. */
  timeoutMs = 30_000;

  async request(_routeId: string, route: Route, params: Record<string, unknown>): Promise<unknown> {
    const opts = { timeoutMs: route.timeoutMs ?? this.timeoutMs };
    const { path, rest } = fillPath(route.path, params ?? {});
    const method = route.method === 'ANY' || route.method === 'WS' ? 'GET' : route.method;
    const bodyMethod = method === 'POST' || method === 'PUT';
    // DELETE with structured params (bulk items) sends them as a JSON body; scalars stay in the query.
    const hasObjects = Object.values(rest).some((v) => v !== null && typeof v === 'object');
    const useBody = bodyMethod || (method === 'DELETE' && hasObjects);
    const url = apiUrl(path + (useBody ? '' : toQuery(rest)), this.baseUrl);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (useBody) headers['Content-Type'] = 'application/json';
    const ctl = new AbortController();
    // Nothing may hang on a spinner: every call ends, at worst with a timeout error.
    const timer = setTimeout(() => ctl.abort(), opts.timeoutMs ?? 30_000);
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: useBody ? JSON.stringify(rest) : undefined, signal: ctl.signal });
    } catch (e) {
      clearTimeout(timer);
      if ((e as Error).name === 'AbortError')
        throw new ApiError(
          0,
          'timeout',
          `${route.path} did not answer in ${Math.round((opts.timeoutMs ?? 30_000) / 1000)} s`,
        );
      throw new ApiError(0, 'unreachable', 'Cannot reach the KubeGraf server: is `kubegraf web` still running?');
    }
    let text: string;
    try {
      text = await res.text();
    } finally {
      clearTimeout(timer);
    }
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError(res.status, 'badResponse', 'The server sent an answer KubeGraf cannot read; try again');
      }
    }
    if (!res.ok) throw fromErrorBody(res.status, body, res.statusText);
    return body;
  }

  channel(id: ChannelId, params: Record<string, string>, h: ChannelHandlers): Channel {
    const r: Route = ROUTES[id];
    let filled: { path: string; rest: Record<string, unknown> };
    try {
      filled = fillPath(r.path, params);
    } catch (e) {
      queueMicrotask(() => h.onState?.('closed', (e as Error).message));
      return { send: () => undefined, close: () => undefined };
    }
    return shapeOf(r) === 'stream'
      ? this.stream(filled.path, filled.rest, h)
      : this.socket(filled.path, filled.rest, h);
  }

  /** A `socket` route: a WebSocket. */
  private socket(path: string, params: Record<string, unknown>, h: ChannelHandlers): Channel {
    const url = apiUrl(path + toQuery(params), this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers cannot set headers on a WebSocket handshake: the token travels as a query parameter.
    if (this.token) url.searchParams.set('token', this.token);
    let ws: WebSocket | undefined;
    const queue: string[] = [];
    let closedByUs = false;
    h.onState?.('connecting');
    try {
      ws = new WebSocket(url);
    } catch (e) {
      queueMicrotask(() => h.onState?.('closed', (e as Error).message));
      return { send: () => undefined, close: () => undefined };
    }
    ws.onopen = () => {
      h.onState?.('open');
      for (const m of queue.splice(0)) ws?.send(m);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') h.onMessage(ev.data);
      else if (ev.data instanceof Blob) void ev.data.text().then(h.onMessage);
    };
    ws.onclose = (ev) => {
      if (!closedByUs) h.onState?.('closed', ev.reason || (ev.code === 1000 ? 'closed' : 'connection lost'));
    };
    return {
      send: (d) => {
        if (ws?.readyState === WebSocket.OPEN) ws.send(d);
        else if (ws?.readyState === WebSocket.CONNECTING) queue.push(d);
      },
      close: () => {
        closedByUs = true;
        // Closing a socket still in its handshake makes the browser log "closed before the connection is established":
        // let the handshake finish, then close it.
        if (ws?.readyState === WebSocket.CONNECTING) {
          const w = ws;
          w.onopen = () => w.close(1000);
          w.onmessage = null;
        } else ws?.close(1000);
      },
    };
  }

  /** A `stream` route: a long HTTP answer read line by line (NDJSON). */
  private stream(path: string, params: Record<string, unknown>, h: ChannelHandlers): Channel {
    const ctl = new AbortController();
    const url = apiUrl(path + toQuery(params), this.baseUrl);
    const headers: Record<string, string> = { Accept: 'application/x-ndjson, application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    h.onState?.('connecting');
    void (async () => {
      try {
        const res = await fetch(url, { headers, signal: ctl.signal });
        if (!res.ok || !res.body) {
          let body: unknown;
          try {
            body = await res.json();
          } catch {
            body = undefined;
          }
          h.onState?.('closed', fromErrorBody(res.status, body, res.statusText).message);
          return;
        }
        h.onState?.('open');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) h.onMessage(line);
          }
        }
        if (buf.trim()) h.onMessage(buf);
        h.onState?.('closed', 'ended');
      } catch (e) {
        if (!ctl.signal.aborted) h.onState?.('closed', (e as Error).message || 'connection lost');
      }
    })();
    return { send: () => undefined, close: () => ctl.abort() };
  }

  saveFile(name: string, content: string, mime: string): void {
    this.download(name, content, mime);
  }
}
