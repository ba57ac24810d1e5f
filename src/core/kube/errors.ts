// Typed errors at the engine boundary: faces only ever see {code, message, details}, never a client-node exception.
import type { KubeErrorCode, KubeErrorDto } from '../../shared/kube';

export class KubeError extends Error {
  constructor(
    readonly code: KubeErrorCode,
    message: string,
    readonly details?: unknown,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KubeError';
  }

  toDto(): KubeErrorDto {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

interface StatusLike {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/;

/** Maps an HTTP status (and the Kubernetes Status body if any) to an error code. */
export function codeForStatus(status: number, reason?: string): KubeErrorCode {
  if (reason === 'AlreadyExists') return 'alreadyExists';
  switch (status) {
    case 400:
      return 'badRequest';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 410:
      return 'conflict';
    case 422:
      return 'invalid';
    case 429:
      return 'serverError';
    case 504:
      return 'timeout';
  }
  if (status >= 500) return 'serverError';
  return 'unknown';
}

function parseStatus(body: unknown): StatusLike | undefined {
  if (!body) return undefined;
  if (typeof body === 'string') {
    try {
      return parseStatus(JSON.parse(body));
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  if (typeof body === 'object') return body as StatusLike;
  return undefined;
}

/** Builds a KubeError from an HTTP status and the server's reply body. */
export function errorFromStatus(status: number, body: unknown): KubeError {
  const s = parseStatus(body);
  const code = codeForStatus(status, s?.reason);
  const message = s?.message || `the server answered HTTP ${status}`;
  return new KubeError(code, message, s?.details ?? (s?.reason ? { reason: s.reason } : undefined), status);
}

/** Anything thrown by client-node, node:https, ws or our own code → a KubeError. */
export function toKubeError(e: unknown): KubeError {
  if (e instanceof KubeError) return e;
  const any = e as
    | {
        code?: unknown;
        body?: unknown;
        statusCode?: unknown;
        message?: unknown;
        name?: unknown;
        type?: unknown;
        errno?: unknown;
        cause?: unknown;
      }
    | undefined;
  if (any && typeof any === 'object') {
    // client-node ApiException: numeric code + body.
    if (typeof any.code === 'number' && 'body' in any) return errorFromStatus(any.code, any.body);
    if (typeof any.statusCode === 'number') return errorFromStatus(any.statusCode, any.body ?? any.message);
    const sys =
      typeof any.code === 'string'
        ? any.code
        : typeof (any.cause as { code?: unknown })?.code === 'string'
          ? String((any.cause as { code: string }).code)
          : undefined;
    const msg = typeof any.message === 'string' ? any.message : String(e);
    if (any.name === 'AbortError' || sys === 'ABORT_ERR')
      return new KubeError('timeout', `request timed out or was cancelled: ${msg}`);
    if (sys && NETWORK_CODES.has(sys)) return new KubeError('unreachable', `${sys}: ${msg}`);
    if (sys && TLS_CODE.test(sys)) return new KubeError('unreachable', `TLS: ${msg}`);
    if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|EHOSTUNREACH|ENOTFOUND/.test(msg))
      return new KubeError('unreachable', msg);
    return new KubeError('unknown', msg);
  }
  return new KubeError('unknown', String(e));
}

/** Runs `fn`, converting whatever it throws into a KubeError. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toKubeError(e);
  }
}
