// Starts the local server over an in-process simulator, and small HTTP/WebSocket clients for the server suites.
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startTestSim, type Sim } from '../helpers/sim';
import { startApp, type App } from '../../src/server/app';

export interface Harness {
  sim: Sim;
  app: App;
  base: string;
  token: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const sim = await startTestSim({ scenario: 'demo' });
  const app = await startApp({
    kubeconfigFiles: [sim.kubeconfig],
    dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-web-')),
    demo: true,
  });
  return {
    sim,
    app,
    base: app.server.url,
    token: app.token,
    close: async () => (await app.close(), await sim.close()),
  };
}

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** One HTTP(S) request to the server (`ca`: the CA an HTTPS server's certificate is checked against). */
export function request(
  h: { base: string; token?: string; ca?: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const url = new URL(path, h.base);
    const r = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method,
        ca: h.ca,
        headers: {
          ...(h.token ? { Authorization: `Bearer ${h.token}` } : {}),
          ...(data !== undefined
            ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers });
        });
      },
    );
    r.on('error', reject);
    r.end(data);
  });
}

export const api = (h: Harness) => ({
  get: (path: string) => request(h, 'GET', path),
  post: (path: string, body: unknown) => request(h, 'POST', path, body),
  del: (path: string, body?: unknown) => request(h, 'DELETE', path, body),
});

/** Opens a WebSocket; resolves once open, or rejects with the refusing HTTP status. Messages are buffered from the start. */
export function openWs(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const buf: unknown[] = [];
    buffers.set(ws, buf);
    ws.on('message', (raw) => buf.push(JSON.parse(raw.toString())));
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.once('error', reject);
  });
}

const buffers = new WeakMap<WebSocket, unknown[]>();

/** Resolves with the first message (buffered or future) for which `pred` holds, consuming messages up to it. */
export async function nextMessage<T = any>(ws: WebSocket, pred: (m: any) => boolean, ms = 15_000): Promise<T> {
  const buf = buffers.get(ws)!;
  const end = Date.now() + ms;
  for (;;) {
    while (buf.length) {
      const m = buf.shift();
      if (pred(m)) return m as T;
    }
    if (Date.now() > end) throw new Error('timed out waiting for a WebSocket message');
    await new Promise((r) => setTimeout(r, 20));
  }
}
