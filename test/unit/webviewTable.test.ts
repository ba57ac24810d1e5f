// The resource table's model: what a user sees when rows arrive, change, get sorted, filtered, selected, exported.
import assert from 'node:assert/strict';
import {
  TableModel,
  compareCells,
  csvCell,
  naturalCompare,
  toCsv,
  type Row,
  type SortSpec,
} from '../../webviews/src/model/tableModel';
import { toRow } from '../../webviews/src/model/rows';

const pod = (
  ns: string,
  name: string,
  status: string,
  extra: Record<string, unknown> = {},
  labels: Record<string, string> = {},
  createdAt = '2026-01-01T00:00:00Z',
): Row => toRow({ namespace: ns, name, createdAt, labels, status, ready: '1/1', restarts: 0, ...extra });

const noFilter = { text: '', labelSelector: '', statuses: [] as string[] };

describe('webview table model', () => {
  it('turns server rows into table rows with cells, status and a key per namespace/name', () => {
    const r = toRow({
      namespace: 'shop',
      name: 'web-1',
      uid: 'u',
      createdAt: '2026-01-01T00:00:00Z',
      labels: { app: 'web' },
      status: 'Running',
      ready: '1/1',
      restarts: 3,
      node: 'n1',
    });
    assert.equal(r.key, 'shop/web-1');
    assert.equal(r.status, 'Running');
    assert.equal(r.cells.restarts, 3);
    assert.equal(r.cells.node, 'n1');
    assert.equal(r.createdAt, Date.parse('2026-01-01T00:00:00Z'));
    assert.ok(!('uid' in r.cells), 'identity fields are not columns');
  });

  it('applies a snapshot, then adds, modifies and deletes rows', () => {
    const m = new TableModel();
    m.reset([pod('a', 'p1', 'Running'), pod('a', 'p2', 'Pending')]);
    assert.equal(m.size, 2);
    m.upsert([pod('a', 'p2', 'Running'), pod('b', 'p3', 'Running')]);
    assert.equal(m.size, 3);
    assert.equal(m.get('a/p2')?.status, 'Running');
    m.remove(['a/p1']);
    assert.deepEqual(
      m
        .view(undefined, noFilter)
        .rows.map((r) => r.key)
        .sort(),
      ['a/p2', 'b/p3'],
    );
  });

  it('sorts numbers as numbers, names naturally, and age by creation time', () => {
    const m = new TableModel();
    m.reset([
      pod('a', 'pod-10', 'Running', { restarts: 2 }, {}, '2026-01-03T00:00:00Z'),
      pod('a', 'pod-2', 'Running', { restarts: 10 }, {}, '2026-01-01T00:00:00Z'),
      pod('a', 'pod-1', 'Running', { restarts: 1 }, {}, '2026-01-02T00:00:00Z'),
    ]);
    assert.deepEqual(
      m.view({ column: 'name', dir: 'asc' }, noFilter).rows.map((r) => r.name),
      ['pod-1', 'pod-2', 'pod-10'],
    );
    assert.deepEqual(
      m.view({ column: 'restarts', dir: 'desc' }, noFilter).rows.map((r) => r.name),
      ['pod-2', 'pod-10', 'pod-1'],
    );
    // Ascending age: youngest first, like kubectl's durations 1d < 2d.
    assert.deepEqual(
      m.view({ column: 'age', dir: 'asc' }, noFilter).rows.map((r) => r.name),
      ['pod-10', 'pod-1', 'pod-2'],
    );
  });

  it('compares mixed cells: empty last, numbers before text', () => {
    assert.ok(compareCells('9', '10') < 0);
    assert.ok(compareCells('', 'a') > 0);
    assert.ok(compareCells('node-2', 'node-10') < 0);
  });

  it('orders names naturally and case-insensitively, like a person would', () => {
    const names = ['pod-10', 'Pod-9', 'pod-2', 'pod-02b', 'alpha', 'pod-1a', 'pod', 'élan', 'zeta'];
    assert.deepEqual([...names].sort(naturalCompare), [
      'alpha',
      'élan',
      'pod',
      'pod-1a',
      'pod-2',
      'pod-02b',
      'Pod-9',
      'pod-10',
      'zeta',
    ]);
    assert.equal(naturalCompare('node-007', 'node-7'), 0);
    assert.ok(naturalCompare('a', 'B') < 0);
  });

  it('filters by text, namespace, status and labels together', () => {
    const m = new TableModel();
    m.reset([
      pod('shop', 'cart-1', 'Running', {}, { app: 'cart' }),
      pod('shop', 'checkout-1', 'ImagePullBackOff', {}, { app: 'checkout' }),
      pod('data', 'backfill-1', 'Error', {}, { app: 'backfill' }),
    ]);
    const names = (f: Partial<typeof noFilter>) =>
      m
        .view(undefined, { ...noFilter, ...f })
        .rows.map((r) => r.name)
        .sort();
    assert.deepEqual(names({ text: 'check' }), ['checkout-1']);
    assert.deepEqual(names({ text: 'ns:shop' }), ['cart-1', 'checkout-1']);
    assert.deepEqual(names({ statuses: ['Error', 'ImagePullBackOff'] }), ['backfill-1', 'checkout-1']);
    assert.deepEqual(names({ labelSelector: 'app in (cart,backfill)' }), ['backfill-1', 'cart-1']);
    assert.deepEqual(names({ text: 'status:error' }), ['backfill-1']);
    assert.deepEqual(names({ text: 'label:app!=cart ns:shop' }), ['checkout-1']);
  });

  it('reports a bad label selector instead of silently matching nothing', () => {
    const m = new TableModel();
    m.reset([pod('a', 'p', 'Running')]);
    const v = m.view(undefined, { ...noFilter, labelSelector: 'app in ()' });
    assert.match(v.filter.error ?? '', /at least one value/);
    assert.equal(v.rows.length, 0);
  });

  it('selects rows, ranges and all visible rows, and drops deleted rows from the selection', () => {
    const m = new TableModel();
    m.reset(['p1', 'p2', 'p3', 'p4'].map((n) => pod('a', n, 'Running')));
    const view = m.view({ column: 'name', dir: 'asc' }, noFilter).rows;
    m.toggle('a/p1');
    m.selectRange(view, 'a/p2', 'a/p3');
    assert.deepEqual(
      m.selection().map((r) => r.name),
      ['p1', 'p2', 'p3'],
    );
    m.remove(['a/p2']);
    assert.equal(m.selectedCount, 2);
    m.toggleAll(m.view({ column: 'name', dir: 'asc' }, noFilter).rows);
    assert.equal(m.selectedCount, 3);
    m.toggleAll(m.view({ column: 'name', dir: 'asc' }, noFilter).rows);
    assert.equal(m.selectedCount, 0);
  });

  it('counts statuses for the status filter chips, most common first', () => {
    const m = new TableModel();
    m.reset([pod('a', '1', 'Running'), pod('a', '2', 'Running'), pod('a', '3', 'Error')]);
    assert.deepEqual(m.statusCounts(), [
      { status: 'Running', count: 2 },
      { status: 'Error', count: 1 },
    ]);
  });

  it('exports the visible rows as CSV with quoting and formula protection', () => {
    const m = new TableModel();
    m.reset([
      pod('a', 'web,1', 'Running', { message: '=HYPERLINK("x")' }),
      pod('a', 'db', 'Running', { message: 'say "hi"' }),
    ]);
    const csv = toCsv(
      [
        { id: 'namespace', label: 'Namespace' },
        { id: 'name', label: 'Name' },
        { id: 'message', label: 'Message' },
      ],
      m.view({ column: 'name', dir: 'asc' }, noFilter).rows,
    );
    assert.equal(csv, 'Namespace,Name,Message\r\na,db,"say ""hi"""\r\na,"web,1","\'=HYPERLINK(""x"")"\r\n');
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell('-3'), '-3');
    assert.equal(csvCell('@cmd'), "'@cmd");
  });

  it('keeps 100k rows workable: one view after a change reflects the change', () => {
    const m = new TableModel();
    m.reset(
      Array.from({ length: 100_000 }, (_, i) => pod(`ns-${i % 50}`, `pod-${i}`, i % 10 === 0 ? 'Error' : 'Running')),
    );
    const v1 = m.view({ column: 'name', dir: 'desc' }, { ...noFilter, statuses: ['Error'] }).rows;
    assert.equal(v1.length, 10_000);
    m.upsert([pod('ns-1', 'pod-1', 'Error')]);
    const v2 = m.view({ column: 'name', dir: 'desc' }, { ...noFilter, statuses: ['Error'] }).rows;
    assert.equal(v2.length, 10_001);
    assert.equal(v2[0].name, 'pod-99990');
  });
});

describe('webview table model: live changes patch the sorted view', () => {
  // Seeded, so a failure replays the same batches.
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const STATUSES = ['Running', 'Pending', 'CrashLoopBackOff', 'Error'];
  const randomPod = (rand: () => number, id: number): Row => {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const extra: Record<string, unknown> = { restarts: Math.floor(rand() * 6), ready: `${Math.floor(rand() * 3)}/2` };
    // Some rows lack a node: empty cells sort last.
    if (rand() < 0.8) extra.node = `node-${Math.floor(rand() * 12)}`;
    const created =
      rand() < 0.9 ? new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 40) * 3_600_000).toISOString() : '';
    return pod(
      pick(['a', 'b', 'kube-system']),
      `pod-${id}`,
      pick(STATUSES),
      extra,
      { app: pick(['web', 'db', 'cache']) },
      created,
    );
  };
  const SORTS = [
    { column: 'name', dir: 'asc' },
    { column: 'name', dir: 'desc' },
    { column: 'restarts', dir: 'desc' },
    { column: 'ready', dir: 'asc' },
    { column: 'status', dir: 'asc' },
    { column: 'node', dir: 'desc' },
    { column: 'age', dir: 'asc' },
    { column: 'namespace', dir: 'desc' },
  ] as const;
  const FILTERS = [
    noFilter,
    { ...noFilter, statuses: ['Running', 'Error'] },
    { ...noFilter, text: 'pod-1' },
    { ...noFilter, labelSelector: 'app!=db' },
    { ...noFilter, text: 'ns:kube node-3' },
  ];
  /** What a full rebuild shows for the same rows. */
  const fresh = (m: TableModel, sort: SortSpec, filter: typeof noFilter) => {
    const ref = new TableModel();
    ref.reset([...m.all()].map((r) => ({ ...r })));
    return ref.view(sort, filter).rows.map((r) => r.key);
  };

  it('shows exactly the order of a full sort after random upserts and removes, under every sort and filter', function () {
    // Thousands of random steps under every sort and filter: a guard against a hang, not a speed limit.
    this.timeout(180_000);
    for (const [si, sort] of SORTS.entries()) {
      for (const [fi, filter] of FILTERS.entries()) {
        const rand = rng(1000 + si * 10 + fi);
        const m = new TableModel();
        let next = 0;
        m.reset(Array.from({ length: 1500 }, () => randomPod(rand, next++)));
        m.view(sort, filter);
        let patched = 0;
        for (let step = 0; step < 25; step++) {
          const keys = [...m.all()].map((r) => r.key);
          const n = 1 + Math.floor(rand() * 40);
          const ups: Row[] = [];
          const dels: string[] = [];
          for (let i = 0; i < n; i++) {
            const x = rand();
            if (x < 0.3) ups.push(randomPod(rand, next++));
            else if (x < 0.7) {
              // A modified pod: same key, new cells.
              const key = keys[Math.floor(rand() * keys.length)];
              const [ns, name] = key.split('/');
              const r = randomPod(rand, 0);
              ups.push(
                pod(
                  ns,
                  name,
                  r.status ?? 'Running',
                  { restarts: r.cells.restarts, ready: r.cells.ready, node: r.cells.node },
                  r.labels,
                ),
              );
            } else dels.push(keys[Math.floor(rand() * keys.length)]);
          }
          m.upsert(ups);
          m.remove(dels);
          const before = m.view(sort, filter).rows;
          if (m.lastViewBuild === 'incremental') patched++;
          assert.deepEqual(
            before.map((r) => r.key),
            fresh(m, sort, filter),
            `sort ${sort.column} ${sort.dir}, filter ${fi}, step ${step}`,
          );
        }
        assert.equal(patched, 25, 'every small batch patches the view instead of re-sorting it');
      }
    }
  });

  it('rebuilds for a big batch, a reset, or a new sort or filter, with the same result', () => {
    const rand = rng(7);
    const m = new TableModel();
    let next = 0;
    m.reset(Array.from({ length: 2000 }, () => randomPod(rand, next++)));
    const sort = { column: 'restarts', dir: 'asc' } as const;
    m.view(sort, noFilter);
    m.upsert(Array.from({ length: 500 }, () => randomPod(rand, next++)));
    assert.deepEqual(
      m.view(sort, noFilter).rows.map((r) => r.key),
      fresh(m, sort, noFilter),
    );
    assert.equal(m.lastViewBuild, 'full');
    m.upsert([randomPod(rand, next++)]);
    m.view({ column: 'name', dir: 'asc' }, noFilter);
    assert.equal(m.lastViewBuild, 'full');
    m.upsert([randomPod(rand, next++)]);
    assert.deepEqual(
      m.view({ column: 'name', dir: 'asc' }, FILTERS[1]).rows.map((r) => r.key),
      fresh(m, { column: 'name', dir: 'asc' }, FILTERS[1]),
    );
    assert.equal(m.lastViewBuild, 'full');
    m.reset([...m.all()].slice(0, 1000));
    assert.equal(
      m.view({ column: 'name', dir: 'asc' }, FILTERS[1]).rows.length,
      fresh(m, { column: 'name', dir: 'asc' }, FILTERS[1]).length,
    );
    assert.equal(m.lastViewBuild, 'full');
  });

  it('hands out a new rows array after a change and leaves the one a reader holds as it was', () => {
    const m = new TableModel();
    m.reset(['p1', 'p2', 'p3'].map((n) => pod('a', n, 'Running')));
    const sort = { column: 'name', dir: 'asc' } as const;
    const v1 = m.view(sort, noFilter);
    assert.equal(m.view(sort, noFilter), v1, 'unchanged rows give back the same view');
    m.upsert([pod('a', 'p0', 'Running')]);
    m.remove(['a/p3']);
    const v2 = m.view(sort, noFilter);
    assert.equal(m.lastViewBuild, 'incremental');
    assert.notEqual(v2.rows, v1.rows);
    assert.deepEqual(
      v1.rows.map((r) => r.name),
      ['p1', 'p2', 'p3'],
    );
    assert.deepEqual(
      v2.rows.map((r) => r.name),
      ['p0', 'p1', 'p2'],
    );
  });

  it('keeps the view when only the selection changes, and tells selection listeners', () => {
    const m = new TableModel();
    m.reset(['p1', 'p2', 'p3'].map((n) => pod('a', n, 'Running')));
    const sort = { column: 'name', dir: 'asc' } as const;
    const v = m.view(sort, noFilter);
    let heard = 0;
    const off = m.onSelectionChange(() => heard++);
    const version = m.version;
    m.toggle('a/p1');
    m.selectRange(v.rows, 'a/p1', 'a/p3');
    m.toggleAll(v.rows);
    assert.equal(m.version, version, 'selection does not count as a row change');
    assert.equal(m.view(sort, noFilter), v);
    assert.equal(m.lastViewBuild, 'cached');
    assert.equal(heard, 3);
    m.toggleAll(v.rows);
    m.remove(['a/p2']);
    assert.deepEqual(
      m.selection().map((r) => r.name),
      ['p1', 'p3'],
    );
    assert.equal(heard, 5, 'a deleted selected row leaves the selection, and listeners hear it');
    off();
    m.clearSelection();
    assert.equal(heard, 5);
    assert.equal(m.selectedCount, 0);
  });

  it('keeps status counts current through changes', () => {
    const m = new TableModel();
    m.reset([pod('a', '1', 'Running'), pod('a', '2', 'Running'), pod('a', '3', 'Error')]);
    m.upsert([pod('a', '2', 'Error'), pod('a', '4', 'Pending')]);
    m.remove(['a/1', 'a/missing']);
    assert.deepEqual(m.statusCounts(), [
      { status: 'Error', count: 2 },
      { status: 'Pending', count: 1 },
    ]);
  });
});
