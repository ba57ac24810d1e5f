// The webview message bridge: the webview posts {type:'request', id, method, path, params}; the host answers with
// {type:'response', id, ok, result | error}. Requests go to a dispatcher (the route table once wired), so the Solid app
// reaches the engines the same way as over HTTP, without an HTTP round trip. No `vscode` import.
import type { ApiErrorBody } from '../shared/route';
import { KubeError } from '../core/kube/errors';

export interface BridgeRequest {
  type: 'request';
  id: number | string;
  method: string;
  path: string;
  params?: Record<string, unknown>;
}

export type BridgeResponse =
  | { type: 'response'; id: number | string; ok: true; result: unknown }
  | { type: 'response'; id: number | string; ok: false; error: ApiErrorBody['error'] };

export type Dispatch = (method: string, path: string, params: Record<string, unknown>) => Promise<unknown>;

export function isBridgeRequest(m: unknown): m is BridgeRequest {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  return r.type === 'request' && (typeof r.id === 'number' || typeof r.id === 'string') && typeof r.method === 'string' && typeof r.path === 'string' && (r.params === undefined || (typeof r.params === 'object' && r.params !== null));
}

/** Errors are values at the boundary: a code and a message, never a stack trace. */
export function errorBody(e: unknown): ApiErrorBody['error'] {
  if (e instanceof KubeError) return e.toDto();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as { code: unknown }).code === 'string') {
    const x = e as { code: string; message: unknown };
    return { code: x.code, message: String(x.message) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** Answers one message; anything that is not a well-formed request gets a badRequest answer when it has an id. */
export async function answer(msg: unknown, dispatch: Dispatch): Promise<BridgeResponse | undefined> {
  if (!isBridgeRequest(msg)) {
    const id = (msg as { id?: unknown } | undefined)?.id;
    if (typeof id === 'number' || typeof id === 'string') return { type: 'response', id, ok: false, error: { code: 'badRequest', message: 'a bridge request needs type "request", an id, a method and a path' } };
    return undefined;
  }
  try {
    return { type: 'response', id: msg.id, ok: true, result: await dispatch(msg.method.toUpperCase(), msg.path, msg.params ?? {}) };
  } catch (e) {
    return { type: 'response', id: msg.id, ok: false, error: errorBody(e) };
  }
}
