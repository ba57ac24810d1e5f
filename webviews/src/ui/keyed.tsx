// A list kept by key across reloads: a live page fetches new objects on every change, and `<For>` (keyed by object)
// would make each row anew under the user's pointer or focus, losing a click in flight. Here a row is made once per
// key and reads the latest object with that key.
import { createMemo, For, type Accessor, type JSX } from 'solid-js';

export function Keyed<T>(p: {
  each: readonly T[];
  by: (item: T) => string;
  children: (item: Accessor<T>) => JSX.Element;
}): JSX.Element {
  const byKey = createMemo(() => new Map(p.each.map((t) => [p.by(t), t])));
  const keys = createMemo(() => p.each.map(p.by), [], {
    equals: (a, b) => a.length === b.length && a.every((k, i) => k === b[i]),
  });
  return (
    <For each={keys()}>
      {(k) => {
        // A row whose key has just gone keeps its last object until <For> removes it.
        let last = byKey().get(k)!;
        const item = () => (last = byKey().get(k) ?? last);
        return p.children(item);
      }}
    </For>
  );
}
