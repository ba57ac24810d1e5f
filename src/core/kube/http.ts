// Plain JSON requests through client-node's own auth and TLS setup (applyToHTTPSOptions), used where the typed
// clients would get in the way: list pages and GETs must stay raw server JSON (no model classes, no Date objects)
// so the cache is fast and YAML shows exactly what the server stored.
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError, errorFromStatus, toKubeError } from './errors';

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One keep-alive agent per context and TLS identity: paging 200 list pages must not pay 200 TLS handshakes. */
export class HttpClient {
  private agent?: https.Agent;
  private agentKey = '';

  constructor(readonly kc: KubeConfig) {}

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  private async options(method: string): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { method, headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const cluster = this.kc.getCurrentCluster();
    if (!cluster?.proxyUrl && this.server.startsWith('https:')) {
      const key = [
        String(opts.ca ?? ''),
        String(opts.cert ?? ''),
        String(opts.key ?? ''),
        String(opts.rejectUnauthorized),
        String(opts.servername ?? ''),
      ].join('|');
      if (!this.agent || key !== this.agentKey) {
        this.agent?.destroy();
        this.agent = new https.Agent({
          keepAlive: true,
          maxSockets: 16,
          ca: opts.ca,
          cert: opts.cert,
          key: opts.key,
          rejectUnauthorized: opts.rejectUnauthorized,
          servername: opts.servername,
        });
        this.agentKey = key;
      }
      (opts.agent as https.Agent | undefined)?.destroy();
      opts.agent = this.agent;
    }
    return opts;
  }

  async request(path: string, o: RequestOptions = {}): Promise<RawResponse> {
    const method = o.method ?? 'GET';
    let opts: https.RequestOptions;
    try {
      opts = await this.options(method);
    } catch (e) {
      // Auth set-up failures (exec plugin exit, unreadable cert files) mean we cannot reach the cluster.
      const k = toKubeError(e);
      throw k.code === 'unknown' ? new KubeError('unreachable', `credentials: ${k.message}`) : k;
    }
    const url = new URL(this.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers = (opts.headers ?? {}) as Record<string, string>;
    headers.Accept = o.accept ?? 'application/json';
    let payload: Buffer | undefined;
    if (o.body !== undefined) {
      payload = Buffer.isBuffer(o.body)
        ? o.body
        : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
      headers['Content-Type'] = o.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    opts.headers = headers;
    const timeoutMs = o.timeoutMs ?? 30_000;
    return new Promise<RawResponse>((resolve, reject) => {
      let done = false;
      const finish = (e: unknown, r?: RawResponse) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        if (e) reject(toKubeError(e));
        else resolve(r!);
      };
      const req = https.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          finish(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
          }),
        );
        res.on('error', (e) => finish(e));
        res.on('aborted', () => finish(new KubeError('unreachable', 'the connection closed before the reply ended')));
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(new KubeError('timeout', `no answer from ${this.server} within ${Math.round(timeoutMs / 100) / 10}s`));
      }, timeoutMs);
      const onAbort = () => {
        req.destroy();
        finish(new KubeError('timeout', 'cancelled'));
      };
      o.signal?.addEventListener('abort', onAbort);
      req.on('error', (e) => finish(e));
      req.end(payload);
    });
  }

  /** GET/POST/... returning parsed JSON; non-2xx → KubeError from the Status body. */
  async json<T = unknown>(path: string, o: RequestOptions = {}): Promise<T> {
    const r = await this.request(path, o);
    if (r.status < 200 || r.status > 299) throw errorFromStatus(r.status, r.body.toString('utf8'));
    return JSON.parse(r.body.toString('utf8')) as T;
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}
