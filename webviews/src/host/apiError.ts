// Errors are values at the boundary: every transport turns failures into this one shape, so pages show one kind of
// error state whether the call went over HTTP, over the VS Code bridge, or never left the machine. Messages are for
// people: validator phrasing and bare HTTP statuses are reworded here, whatever engine or server produced them.
import { plainMessage } from '../../../src/shared/paramErrors';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(plainMessage(message));
    this.name = 'ApiError';
  }

  /** The route exists but its engine is not built or not available here (HTTP 501). */
  get notImplemented(): boolean {
    return this.status === 501 || this.code === 'notImplemented';
  }

  get unreachable(): boolean {
    return this.status === 0 || this.code === 'unreachable' || this.code === 'timeout';
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  // The shared client's ApiCallError (bridge answers): code, message, status.
  const c = e as { code?: unknown; message?: unknown; status?: unknown; details?: unknown } | undefined;
  if (c && typeof c.code === 'string' && typeof c.message === 'string') {
    const status =
      typeof c.status === 'number'
        ? c.status
        : c.code === 'notImplemented'
          ? 501
          : c.code === 'timeout' || c.code === 'unreachable'
            ? 0
            : 500;
    return new ApiError(status, c.code, c.message, c.details);
  }
  if (e instanceof Error) return new ApiError(0, e.name === 'AbortError' ? 'timeout' : 'unreachable', e.message);
  return new ApiError(0, 'unknown', String(e));
}

/** Reads `{error:{code,message}}` bodies; anything else becomes a generic error with the status text. */
export function fromErrorBody(status: number, body: unknown, _statusText = ''): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (err && typeof err.message === 'string')
    return new ApiError(status, typeof err.code === 'string' ? err.code : `http${status}`, err.message, err.details);
  const fallback =
    STATUS_WORDS[status] ??
    (status >= 500 ? 'The KubeGraf server could not complete this; try again' : 'The request was not accepted');
  return new ApiError(status, status === 501 ? 'notImplemented' : `http${status}`, fallback);
}

/** What a bare status means to a user (the body said nothing better). */
const STATUS_WORDS: Record<number, string> = {
  400: 'The request was not accepted: check the values you entered',
  401: 'The session token is missing or expired: open the URL kubegraf web printed',
  403: 'You do not have permission to do this on this cluster',
  404: 'Not found: it may have been deleted',
  408: 'The server took too long to answer; try again',
  409: 'Someone else changed this object at the same time; reload and try again',
  413: 'This is too large to send',
  422: 'The cluster did not accept these values',
  424: 'This needs a setting that is not configured yet',
  429: 'Too many requests; wait a moment and try again',
  501: 'Not available yet',
  502: 'The cluster could not be reached',
  503: 'The cluster is not available right now; try again shortly',
  504: 'The cluster took too long to answer; try again',
};
