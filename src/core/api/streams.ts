// Handlers of `stream` routes: a long answer of items (NDJSON lines over HTTP, one `stream.message` each over the
// webview bridge) until the client leaves or the source ends. Both faces dispatch this one table.
import type { Caller } from '../../shared/route';
import type { RouteId, Routes } from '../../shared/routeTable';
import type { ParamsOf } from '../../shared/route';
import type { ApiDeps } from './deps';
import { contextOf } from './common';
import { followDeliveries } from './connectors';

export interface StreamHandle {
  stop(): void;
  /** Settles when the source ended (resolves) or failed (rejects). */
  readonly done: Promise<void>;
}

/** Resolves once the stream is open (a bad target fails here, before anything is sent). */
export type StreamHandler<P = never> = (
  params: P,
  deps: ApiDeps,
  caller: Caller,
  emit: (item: unknown) => void,
) => Promise<StreamHandle>;
export type StreamHandlers = Partial<Record<RouteId, StreamHandler>>;

const followLogs: StreamHandler<ParamsOf<Routes['pod.logs']>> = async (p, deps, _caller, emit) => {
  const a = deps.kube.actions(contextOf(deps, p.context));
  const target = { kind: 'pods', namespace: p.namespace, name: p.name, container: p.container };
  return a.followLogs(
    target,
    { tailLines: p.tailLines ?? 100, sinceSeconds: p.sinceSeconds, timestamps: p.timestamps },
    emit,
  );
};

export const STREAM_HANDLERS: StreamHandlers = {
  'pod.logs': followLogs as StreamHandler,
  'connectors.deliveries': followDeliveries as StreamHandler,
};
