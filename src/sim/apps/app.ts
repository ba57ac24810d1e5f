// What a simulated in-cluster app sees of a request relayed by the API server's proxy, and what it answers.
import type { SimContext } from '../context';
import type { KObj } from '../store';

export interface AppRequest {
  ctx: SimContext;
  method: string;
  /** The path after `/proxy`, always starting with "/". */
  path: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
  /** The pod the request reached. */
  pod: KObj;
  namespace: string;
}

export interface AppResponse {
  status: number;
  contentType?: string;
  headers?: Record<string, string>;
  /** A string or bytes go out as they are; anything else as JSON. */
  body: unknown;
}

export type SimApp = (r: AppRequest) => AppResponse | Promise<AppResponse>;

/** A JSON request body, or undefined when there is none or it is not JSON. */
export function jsonBody(r: AppRequest): Record<string, unknown> | undefined {
  if (!r.body.length) return undefined;
  try {
    const v = JSON.parse(r.body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A small deterministic wave in [0,1] over simulated time, so numbers move but tests can reason about ranges. */
export function wave(ctx: SimContext, seed: number, periodSimMs = 600_000): number {
  return 0.5 + 0.5 * Math.sin((ctx.clock.now() / periodSimMs) * 2 * Math.PI + seed);
}

export function seedOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h % 1000) / 100;
}
