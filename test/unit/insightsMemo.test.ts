// The analyses' memo: the same answer while nothing it reads changed; a new metrics sample answers with the last
// result at once and computes the next in the background; a change of objects or prices is never answered from before.
import assert from 'node:assert/strict';
import { Memo } from '../../src/core/insights/memo';
import type { ApiDeps } from '../../src/core/api/deps';

describe('insights memo', () => {
  const deps = {} as ApiDeps;
  /** Lets the event loop turn until `cond` holds (a background computation starts after the answer is sent). */
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setImmediate(r));
    assert.ok(cond());
  };

  it('keeps the answer until the version changes', async () => {
    const memo = new Memo<string>();
    let n = 0;
    const compute = async () => `answer ${++n}`;
    assert.equal(await memo.get(deps, 'k', 'v1', compute, 's1'), 'answer 1');
    assert.equal(await memo.get(deps, 'k', 'v1', compute, 's1'), 'answer 1');
    assert.equal(await memo.get(deps, 'k', 'v2', compute, 's1'), 'answer 2', 'objects changed: computed again');
    assert.equal(await memo.get(deps, 'other', 'v2', compute, 's1'), 'answer 3', 'each key on its own');
  });

  it('answers a new sample with the last result while it computes the next, once', async () => {
    const memo = new Memo<string>();
    const results: string[] = [];
    let release!: () => void;
    const slow = () =>
      new Promise<string>((resolve) => {
        results.push('started');
        release = () => resolve('with sample 2');
      });
    assert.equal(await memo.get(deps, 'k', 'v1', async () => 'with sample 1', 's1'), 'with sample 1');
    assert.equal(await memo.get(deps, 'k', 'v1', slow, 's2'), 'with sample 1', 'not kept waiting');
    await until(() => results.length === 1);
    assert.equal(await memo.get(deps, 'k', 'v1', slow, 's2'), 'with sample 1');
    release();
    let latest = '';
    await until(
      () => (void memo.get(deps, 'k', 'v1', slow, 's2').then((v) => (latest = v)), latest === 'with sample 2'),
    );
    assert.equal(results.length, 1, 'one background computation');
    // Objects changed too: the answer waits for the new computation.
    let objectsChanged = false;
    const fresh = memo.get(deps, 'k', 'v2', async () => ((objectsChanged = true), 'with the change'), 's3');
    assert.equal(await fresh, 'with the change');
    assert.ok(objectsChanged);
  });

  it('forgets a failure, and a failed background computation is tried again on the next call', async () => {
    const memo = new Memo<string>();
    await assert.rejects(
      memo.get(deps, 'k', 'v1', async () => Promise.reject(new Error('cache not synced')), 's1'),
      /cache not synced/,
    );
    assert.equal(await memo.get(deps, 'k', 'v1', async () => 'ok', 's1'), 'ok');
    let tries = 0;
    const failing = async () => (tries++, Promise.reject(new Error('boom')));
    assert.equal(await memo.get(deps, 'k', 'v1', failing, 's2'), 'ok');
    await until(() => tries === 1);
    // The failed one is let go: the next call starts another, and still answers at once.
    await until(() => (void memo.get(deps, 'k', 'v1', failing, 's2'), tries === 2));
  });
});
