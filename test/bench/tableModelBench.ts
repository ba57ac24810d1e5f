// The pods table's model in node, without a browser: what one refresh of the sorted view costs at 100k rows after a
// live change batch (patched in place of a re-sort), against the full filter+sort a reset or a new sort pays.
import { toRow } from '../../webviews/src/model/rows';
import { TableModel, type Row, type SortSpec } from '../../webviews/src/model/tableModel';

export interface TableModelBenchResult {
  rows: number;
  batch: number;
  /** view() after a reset: copy, filter, decorate, sort. */
  fullMs: number;
  /** view() after a change batch of `batch` rows (modified, deleted, added), median and worst of the rounds. */
  patchP50Ms: number;
  patchMaxMs: number;
  /** view() after a selection change. */
  afterSelectMs: number;
}

const STATUSES = ['Running', 'Running', 'Running', 'Pending', 'CrashLoopBackOff'];

function podRow(i: number, gen: number): Row {
  return toRow({
    namespace: `team-${String(i % 50).padStart(2, '0')}`,
    name: `web-${Math.floor(i / 100)}-${i}`,
    createdAt: new Date(Date.UTC(2026, 0, 1) + (i % 5000) * 60_000).toISOString(),
    labels: { app: `web-${Math.floor(i / 100)}` },
    status: STATUSES[(i + gen) % STATUSES.length],
    ready: gen % 2 ? '0/1' : '1/1',
    restarts: gen,
    node: `node-${String(i % 2000).padStart(4, '0')}`,
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function benchTableModel(rows = 100_000, batch = 100, rounds = 30): TableModelBenchResult {
  const m = new TableModel();
  const all = Array.from({ length: rows }, (_, i) => podRow(i, 0));
  const sort: SortSpec = { column: 'status', dir: 'asc' };
  const filter = { text: '', labelSelector: '', statuses: [] };
  const time = (f: () => void) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const fulls: number[] = [];
  for (let i = 0; i < 3; i++) {
    m.reset(all);
    fulls.push(time(() => m.view(sort, filter)));
  }
  const patches: number[] = [];
  let next = rows;
  for (let r = 1; r <= rounds; r++) {
    // A watch batch: most rows modified, a few pods replaced (deleted, new ones added by their ReplicaSet).
    const modified = Array.from({ length: batch - 10 }, (_, k) => podRow((r * 7919 + k * 104_729) % rows, r));
    const removed = Array.from({ length: 5 }, (_, k) => all[(r * 31 + k * 9973) % rows].key);
    const added = Array.from({ length: 5 }, () => podRow(next++, r));
    m.upsert([...modified, ...added]);
    m.remove(removed);
    patches.push(time(() => m.view(sort, filter)));
    if (m.lastViewBuild !== 'incremental') throw new Error(`a ${batch}-row batch was not patched (${m.lastViewBuild})`);
  }
  const key = m.view(sort, filter).rows[0].key;
  m.toggle(key);
  const afterSelectMs = time(() => m.view(sort, filter));
  return {
    rows,
    batch,
    fullMs: median(fulls),
    patchP50Ms: median(patches),
    patchMaxMs: Math.max(...patches),
    afterSelectMs,
  };
}

if (require.main === module)
  console.log(JSON.stringify(benchTableModel(Number(process.env.BENCH_PODS ?? 100_000)), null, 2));
