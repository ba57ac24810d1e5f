// A live table of one kind: first the list route (a clear error when the cluster is unreachable), then `/ws` keeps
// it current. Updates are coalesced to one per animation frame so 100k-row churn does not re-render per event.
import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import type { ColumnDto } from '../../../src/shared/kube';
import type { ResourceList, ResourceRow } from '../../../src/shared/routes/resources';
import { ApiError, toApiError } from '../host/apiError';
import { toRow } from '../model/rows';
import { rowKey, TableModel } from '../model/tableModel';
import { api, context } from './app';
import { inScope } from './scope';
import { socketState, subscribeKind } from './live';
import type { RouteId } from '../api/api';

export interface LiveTable {
  model: TableModel;
  /** Changes when rows change (at most once a frame). */
  version: Accessor<number>;
  /** Changes on selection changes only: what a selection count or checkbox should track. */
  selection: Accessor<number>;
  columns: Accessor<ColumnDto[]>;
  loading: Accessor<boolean>;
  error: Accessor<ApiError | undefined>;
  /** Rows may be behind the cluster (reconnecting). */
  stale: Accessor<boolean>;
  live: Accessor<boolean>;
  reload: () => void;
}

/** `many` is the route word (`pods`); `namespaces` empty = all. Must be called inside a reactive owner. */
export function createLiveTable(
  many: string,
  namespaces: () => string[],
  listRoute?: () => Promise<ResourceList>,
  kindColumns?: () => ColumnDto[] | undefined,
): LiveTable {
  const model = new TableModel();
  const [version, setVersion] = createSignal(0);
  const [selection, setSelection] = createSignal(0);
  const [columns, setColumns] = createSignal<ColumnDto[]>([]);
  const [loading, setLoading] = createSignal(true);
  const [error, setError] = createSignal<ApiError | undefined>();
  const [stale, setStale] = createSignal(false);
  const [live, setLive] = createSignal(false);
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastBump = 0;
  // Small tables follow every frame. Big ones refresh at most twice a second: a small change batch patches the sorted
  // view in a few ms, but a big one (or a resync) re-sorts 100k rows, and each refresh re-renders the visible rows.
  const bump = () => {
    if (frame || timer) return;
    const big = model.size > 20_000;
    const wait = big ? Math.max(0, 500 - (performance.now() - lastBump)) : 0;
    const run = () => {
      timer = undefined;
      frame = requestAnimationFrame(() => {
        frame = 0;
        lastBump = performance.now();
        setVersion((v) => v + 1);
      });
    };
    if (wait > 0) timer = setTimeout(run, wait);
    else run();
  };
  // A click shows at once, through the selection signal only: the rows' view does not change.
  const offSelection = model.onSelectionChange(() => setSelection(model.selectionVersion));
  let unsub: (() => void) | undefined;
  let generation = 0;
  let lastScope: string | undefined;

  const rows = (items: ResourceRow[], ns: string[]) => items.filter((r) => inScope(r.namespace, ns)).map(toRow);

  const load = () => {
    const gen = ++generation;
    unsub?.();
    const ns = namespaces();
    // The rows of the previous scope must not stay on screen while the new ones load.
    const scope = ns.join(',');
    if (lastScope !== undefined && scope !== lastScope) {
      model.reset([]);
      bump();
    }
    lastScope = scope;
    // One namespace: ask the server for it. Several: watch all and keep the chosen ones.
    const one = ns.length === 1 ? ns[0] : undefined;
    setLoading(true);
    setError(undefined);
    const fetchList =
      listRoute ??
      (() =>
        api().call(
          `${many}.list` as RouteId,
          { namespace: one ?? '', context: context() || undefined } as never,
        ) as Promise<ResourceList>);
    let snapshotSeen = false;
    // With the live socket up or still connecting (a page opened by URL), its snapshot is the same data: give it a
    // moment before asking the list route too (a second 100k-row parse and reset lands as a 300-500 ms task while the
    // user already scrolls). The list route still runs when the snapshot is late, and at once when the subscription
    // reports an error: it is what explains failures (401, 403, unreachable) in words.
    const delay = !listRoute && socketState() !== 'closed' ? 1500 : 0;
    let listWait: (() => void) | undefined;
    const listNow = () => (snapshotSeen && columns().length ? Promise.resolve(undefined) : fetchList());
    new Promise<void>((r) => {
      listWait = r;
      setTimeout(r, delay);
    })
      .then(listNow)
      .then((res) => {
        if (gen !== generation || !res) return;
        if (snapshotSeen) {
          setColumns(res.columns);
          return;
        }
        setColumns(res.columns);
        model.reset(rows(res.items, ns));
        setLive(res.live);
        setStale(res.stale);
        if (res.error && !res.items.length) setError(new ApiError(0, res.error.code, res.error.message));
        bump();
      })
      .catch((e) => {
        if (gen === generation) setError(toApiError(e));
      })
      .finally(() => {
        if (gen === generation) setLoading(false);
      });
    if (listRoute) return;
    unsub = subscribeKind(many, one, (m) => {
      if (gen !== generation) return;
      switch (m.type) {
        case 'snapshot':
          snapshotSeen = true;
          if (!columns().length) {
            const k = kindColumns?.();
            if (k?.length) setColumns(k);
            // Rows without column titles read as a blank table: ask the list route for them now, not after the wait.
            else listWait?.();
          }
          model.reset(rows(m.items, ns));
          setLive(m.live);
          setStale(m.stale);
          if (columns().length) setLoading(false);
          setError(undefined);
          break;
        case 'changes':
          if (m.reset) model.reset(rows(m.added, ns));
          else {
            model.upsert(rows([...m.added, ...m.modified], ns));
            model.remove(m.deleted.map((k) => rowKey(k.namespace, k.name)));
          }
          break;
        case 'status':
          setLive(m.live);
          setStale(m.stale);
          if (m.error) listWait?.();
          if (m.error && model.size === 0) setError(new ApiError(0, m.error.code, m.error.message));
          break;
        case 'error':
          listWait?.();
          setStale(true);
          // The list route's own error (401, 403, unreachable) says more than a dropped socket.
          if (model.size === 0 && !loading() && !error()) setError(new ApiError(0, m.error.code, m.error.message));
          break;
      }
      bump();
    });
  };

  // The scope is an input: choosing namespaces in the header re-requests this table at once.
  createEffect(on(() => namespaces().join(','), load));
  onCleanup(() => {
    generation++;
    unsub?.();
    offSelection();
    if (frame) cancelAnimationFrame(frame);
    clearTimeout(timer);
  });
  return { model, version, selection, columns, loading, error, stale, live, reload: load };
}
