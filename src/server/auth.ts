// Who may talk to the server: the launch token (constant-time compare), or an account session when accounts are on;
// Host and Origin checks so a page on another site (or a rebound DNS name) cannot drive it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import type { AccountStore } from '../core/store/accounts';
import type { UserDto } from '../shared/routes/system';

export const COOKIE = 'kubegraf_token';

const sha = (s: string) => createHash('sha256').update(s).digest();

/** Equal-length digests, so the comparison time says nothing about the token. */
export function tokenEquals(a: string, b: string): boolean {
  return timingSafeEqual(sha(a), sha(b));
}

export function cookieToken(req: IncomingMessage): string | undefined {
  const h = req.headers.cookie;
  if (!h) return undefined;
  for (const part of h.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h && /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

export interface AuthResult {
  ok: boolean;
  user?: UserDto;
  /** The token the request carried (for logout). */
  token?: string;
}

export async function authenticate(
  launchToken: string,
  accounts: AccountStore | undefined,
  candidates: Array<string | undefined>,
): Promise<AuthResult> {
  for (const t of candidates) {
    if (!t || t.length > 512) continue;
    if (tokenEquals(t, launchToken)) return { ok: true, token: t };
    if (accounts) {
      const s = await accounts.session(t);
      if (s) return { ok: true, user: s.user, token: t };
    }
  }
  return { ok: false };
}

/**
 * Only addresses decide: an IPv4 literal in 127.0.0.0/8, ::1, or `localhost`. A name that merely starts with "127."
 * (`127.lan.test`) may resolve anywhere, so it counts as reachable from other machines (TLS and accounts).
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  // The URL parser writes any spelling of ::1 (0:0:0:0:0:0:0:1) in its short form.
  return isIPv6(h) && new URL(`http://[${h}]`).hostname === '[::1]';
}

/** Host header values this server answers to (DNS rebinding: anything else is refused). */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = isLoopback(host)
    ? ['127.0.0.1', 'localhost', '[::1]']
    : [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
  const out = new Set<string>();
  for (const n of names) out.add(`${n}:${port}`.toLowerCase());
  return out;
}

export function hostOk(req: IncomingMessage, allowed: Set<string>): boolean {
  const h = req.headers.host?.toLowerCase();
  return Boolean(h && allowed.has(h));
}

/**
 * Origin, when a browser sends one, must be this server (or an exact external origin the host registered, see
 * `externalAddress`). Clients that send none (curl, kubectl-like tools) hold the token.
 */
export function originOk(
  req: IncomingMessage,
  allowed: Set<string>,
  scheme: 'http' | 'https',
  externalOrigins: ReadonlySet<string> = new Set(),
): boolean {
  const o = req.headers.origin;
  if (o === undefined) return true;
  try {
    const u = new URL(o);
    if (externalOrigins.has(u.origin)) return true;
    return u.protocol === `${scheme}:` && allowed.has(u.host.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * The Host header and Origin a browser sends when it reaches this server through a proxy or a forwarded port (what VS
 * Code's `asExternalUri` returned: code-server's `/proxy/<port>/`, a Remote-SSH forward, a Codespaces tunnel). Only that
 * exact host and that exact origin (scheme included) are trusted; a URL that is not plain http(s) is refused.
 */
export function externalAddress(url: string): { host: string; origin: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`an external address must be http or https, not ${u.protocol.replace(/:$/, '')}`);
  if (u.username || u.password) throw new Error('an external address must not carry a user name or password');
  return { host: u.host.toLowerCase(), origin: u.origin };
}
