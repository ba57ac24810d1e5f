// One POST to a receiver, bounded: a deadline for the whole exchange, at most 64 KiB of its answer read, redirects
// not followed (a webhook that moved says so). Never throws: the outcome says what happened, in words.
import http from 'node:http';
import https from 'node:https';
import type { OutRequest } from './format';

export interface SendOutcome {
  ok: boolean;
  statusCode?: number;
  /** The start of the answer's body (at most 2 KiB). */
  response?: string;
  error?: string;
  /** Worth another attempt: no answer, a timeout, 408, 425, 429 or 5xx. */
  retryable: boolean;
  /** What a 429/503 asked for, in ms. */
  retryAfterMs?: number;
  durationMs: number;
}

const MAX_READ = 64 * 1024;
const SHOWN = 2048;

export function post(req: OutRequest, timeoutMs: number): Promise<SendOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Omit<SendOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...o, durationMs: Date.now() - started });
    };
    let u: URL;
    try {
      u = new URL(req.url);
    } catch {
      done({ ok: false, retryable: false, error: 'the URL is not valid' });
      return;
    }
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
    if (!mod) {
      done({ ok: false, retryable: false, error: `only http and https URLs are sent to (not ${u.protocol})` });
      return;
    }
    const body = Buffer.from(req.body);
    const r = mod.request(u, {
      method: 'POST',
      headers: { ...req.headers, 'Content-Length': String(body.length), Accept: 'application/json, text/plain, */*' },
    });
    const timer = setTimeout(() => {
      done({ ok: false, retryable: true, error: `no answer within ${Math.round(timeoutMs / 1000)} s` });
      r.destroy();
    }, timeoutMs);
    r.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, retryable: true, error: networkWords(e, u) }));
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        const code = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        const response = text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
        const ok = code >= 200 && code < 300;
        const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        done({
          ok,
          statusCode: code,
          response,
          retryable: !ok && (code === 408 || code === 425 || code === 429 || code >= 500),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          ...(ok ? {} : { error: httpWords(code, res.headers.location) }),
        });
        res.destroy();
      };
      res.on('data', (c: Buffer) => {
        if (size >= MAX_READ) return;
        chunks.push(c);
        size += c.length;
        if (size >= MAX_READ) finish();
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    r.end(body);
  });
}

function networkWords(e: NodeJS.ErrnoException, u: URL): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${u.host} refused the connection (nothing listens there)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${u.hostname} cannot be resolved (no such host, or no network here)`;
    case 'ECONNRESET':
      return `${u.host} closed the connection before answering`;
    case 'ETIMEDOUT':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `${u.host} cannot be reached from this machine`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `${u.host}'s TLS certificate is not trusted (${e.code})`;
    default:
      return `${u.host}: ${e.message}`;
  }
}

function httpWords(code: number, location?: string): string {
  if (code >= 300 && code < 400)
    return `the receiver answered HTTP ${code} (moved${location ? ` to ${location}` : ''}); KubeGraf does not follow redirects: use the new URL`;
  if (code === 401 || code === 403) return `the receiver refused the credentials (HTTP ${code})`;
  if (code === 404) return 'the receiver has no such webhook (HTTP 404)';
  if (code === 410) return 'the receiver says this webhook is gone (HTTP 410)';
  if (code === 429) return 'the receiver is rate-limiting (HTTP 429)';
  if (code >= 500) return `the receiver failed (HTTP ${code})`;
  return `the receiver refused the delivery (HTTP ${code})`;
}

/** Seconds or an HTTP date → ms from now; nonsense → undefined. */
export function parseRetryAfter(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  if (/^\d+$/.test(s.trim())) return Number(s.trim()) * 1000;
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}
