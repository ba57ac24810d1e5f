// A fetch as three signals (value, error, loading) that never throws into the render tree: every page shows its own
// error state rather than a blank screen. Calls end: the transports time out.
import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { toApiError, type ApiError } from '../host/apiError';

export interface Loader<T> {
  value: Accessor<T | undefined>;
  error: Accessor<ApiError | undefined>;
  loading: Accessor<boolean>;
  reload: () => Promise<void>;
  set: (v: T) => void;
}

/** `key`: a reactive input (the namespace scope, a filter); when it changes the value is fetched again at once. */
export function createLoader<T>(
  fn: () => Promise<T>,
  opts: { refreshMs?: number; lazy?: boolean; key?: () => unknown } = {},
): Loader<T> {
  const [value, setValue] = createSignal<T | undefined>();
  const [error, setError] = createSignal<ApiError | undefined>();
  const [loading, setLoading] = createSignal(!opts.lazy);
  let gen = 0;
  let disposed = false;
  const reload = async () => {
    const g = ++gen;
    setLoading(true);
    try {
      const v = await fn();
      if (g !== gen || disposed) return;
      setValue(() => v);
      setError(undefined);
    } catch (e) {
      if (g !== gen || disposed) return;
      setError(toApiError(e));
    } finally {
      if (g === gen && !disposed) setLoading(false);
    }
  };
  if (!opts.lazy) void reload();
  if (opts.key) createEffect(on(opts.key, () => void reload(), { defer: true }));
  const timer = opts.refreshMs ? setInterval(() => void reload(), opts.refreshMs) : undefined;
  onCleanup(() => {
    disposed = true;
    if (timer) clearInterval(timer);
  });
  return { value, error, loading, reload, set: (v) => setValue(() => v) };
}
