// Errors at the API boundary: every handler failure becomes {code, message, details?} with an HTTP status.
import type { ApiErrorBody } from '../../shared/route';
import { KubeError } from '../kube/errors';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ApiErrorBody {
    return {
      error:
        this.details === undefined
          ? { code: this.code, message: this.message }
          : { code: this.code, message: this.message, details: this.details },
    };
  }
}

/** How each engine error code reads over HTTP. A cluster refusing *our* credentials is a gateway problem, not the caller's 401. */
const KUBE_STATUS: Record<string, number> = {
  notFound: 404,
  forbidden: 403,
  unauthorized: 502,
  conflict: 409,
  alreadyExists: 409,
  invalid: 422,
  badRequest: 400,
  unreachable: 503,
  timeout: 504,
  notApproved: 403,
  unsupported: 400,
  serverError: 502,
  unknown: 500,
};

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof KubeError) return new ApiError(e.code, e.message, KUBE_STATUS[e.code] ?? 500, e.details);
  const msg = e instanceof Error ? e.message : String(e);
  return new ApiError('internal', `internal error: ${msg.split('\n')[0].slice(0, 300)}`, 500);
}

export const notImplemented = (message: string): ApiError => new ApiError('notImplemented', message, 501);
export const badRequest = (message: string, details?: unknown): ApiError =>
  new ApiError('badRequest', message, 400, details);
export const notFound = (message: string): ApiError => new ApiError('notFound', message, 404);
/** A feature whose cluster-side component is absent: the route works, the cluster lacks what it needs. */
export const notInstalled = (message: string): ApiError => new ApiError('notInstalled', message, 424);
