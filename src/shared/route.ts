// The shape of one documented route. Every face (HTTP server, webview bridge, typed client) dispatches through
// tables of these, so a route is declared once: method, path, params (validated), result type, one-line doc.
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'WS' | 'ANY';

/**
 * How a route answers, so every face dispatches it from the same table: `json` (one answer), `stream` (a long
 * response of NDJSON items while `streamParam` is true, else one JSON answer), `socket` (a WebSocket: frames both
 * ways), `raw` (bytes passed through as they are: the in-cluster app proxies).
 */
export type Shape = 'json' | 'stream' | 'socket' | 'raw';

/** Accounts mode's roles, least first. The launch token (loopback mode, VS Code) acts as admin. */
export type Role = 'viewer' | 'operator' | 'admin';

/** Which engine answers the route. */
export type Owner = 'kube' | 'incidents' | 'metrics' | 'store' | 'integrations' | 'ai' | 'server' | 'connectors';

export interface Route<P = unknown, R = unknown> {
  readonly method: Method;
  /** As documented: `/api/pods`, `/api/incidents/{id}`, `/api/kiali/proxy/*`. `{x}` segments become params. */
  readonly path: string;
  readonly owner: Owner;
  readonly doc: string;
  /** Query (GET, DELETE, WS) or JSON body over query (POST, PUT), plus path segments; validated before a handler runs. */
  readonly params: z.ZodType<P>;
  /** Phantom: carries the result type to the typed client and the handler signature. Never set. */
  readonly result?: R;
  /** How long a client waits for the answer, for routes that are slow by nature (an AI answer); else its default. */
  readonly timeoutMs?: number;
  /** Absent: `socket` for WS routes, else `json` (see shapeOf). */
  readonly shape?: Shape;
  /** For `stream` routes: the boolean param that asks for the stream (`follow`). */
  readonly streamParam?: string;
  /**
   * The least role that may call it (accounts mode). Absent: `viewer` for GET, `operator` for anything that may
   * change the cluster (see roleOf). Declared `admin` where it changes the server itself, who may do what, or hands
   * out a shell or a credential; `viewer` where a non-GET changes nothing (sign-in, read-only push channels).
   */
  readonly role?: Role;
}

export const shapeOf = (r: Route): Shape => r.shape ?? (r.method === 'WS' ? 'socket' : 'json');

/** Whether these (validated) params ask a route for a push channel rather than one JSON answer. */
export const opensChannel = (r: Route, params: Record<string, unknown>): boolean => {
  const s = shapeOf(r);
  return s === 'socket' || (s === 'stream' && !!r.streamParam && params[r.streamParam] === true);
};

/** `route<Result>()('GET', '/api/pods', 'kube', 'List pods', schema)`: the result type is given, the params inferred. */
export const route =
  <R>() =>
  <P>(
    method: Method,
    path: string,
    owner: Owner,
    doc: string,
    params: z.ZodType<P>,
    opts?: { timeoutMs?: number; shape?: Shape; streamParam?: string; role?: Role },
  ): Route<P, R> => ({ method, path, owner, doc, params, ...opts });

export type ParamsOf<T> = T extends Route<infer P, unknown> ? P : never;
export type ResultOf<T> = T extends Route<unknown, infer R> ? R : never;

/** Errors are values at the boundary: every face maps this to its own form (HTTP status + `{error:{code,message}}`). */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A handler per route of a table, given the engines it needs (`D`) and the caller. */
export type Handlers<T extends Record<string, Route>, D> = {
  [K in keyof T]: (params: ParamsOf<T[K]>, deps: D, caller: Caller) => Promise<ResultOf<T[K]>>;
};

/** Who is asking: the face, and (for the browser server) the signed-in user when accounts are on. */
export interface Caller {
  face: 'http' | 'webview' | 'vscode';
  user?: string;
}
