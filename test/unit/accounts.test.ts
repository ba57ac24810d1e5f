// Sign-in throttling: five free wrong passwords, then each try waits twice as long (429 with the wait), capped; the
// right password afterwards works once the wait is over and clears the count. A clock the test moves, not sleeps.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '../../src/core/store/accounts';
import { ApiError } from '../../src/core/api/errors';

describe('accounts: sign-in throttling', function () {
  this.timeout(60_000);
  let now = Date.parse('2026-01-01T00:00:00Z');
  const store = new AccountStore(mkdtempSync(join(tmpdir(), 'kubegraf-acc-')), 3600_000, () => now);
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: ApiError) => e.status,
    );

  before(async () => {
    await store.register('ada', 'correct horse battery');
  });

  it('locks a username out after five wrong passwords, for longer each time, and says how long', async () => {
    for (let i = 0; i < 5; i++) assert.equal(await status(store.login('ada', `wrong-${i}`)), 401);
    assert.equal(await status(store.login('ada', 'wrong-5')), 401, 'the sixth wrong try is checked, then locks');
    const locked = await store.login('ada', 'correct horse battery').catch((e: ApiError) => e);
    assert.ok(locked instanceof ApiError);
    assert.equal(locked.status, 429);
    assert.match(locked.message, /try again in 1 s/);
    now += 1_000;
    assert.equal(await status(store.login('ada', 'wrong-6')), 401);
    assert.equal(await status(store.login('ada', 'correct horse battery')), 429);
    now += 1_999;
    assert.equal(await status(store.login('ada', 'correct horse battery')), 429, 'the second lock lasts 2 s');
    now += 1;
    assert.equal(await status(store.login('ada', 'correct horse battery')), 200);
    assert.equal(await status(store.login('ada', 'wrong-again')), 401, 'a good sign-in clears the count');
  });

  it('caps the wait at 15 minutes and throttles unknown usernames the same way', async () => {
    for (let i = 0; i < 17; i++) {
      await status(store.login('nobody', 'x'));
      now += 15 * 60_000;
    }
    await status(store.login('nobody', 'x'));
    now += 15 * 60_000 - 1;
    assert.equal(await status(store.login('nobody', 'x')), 429);
    now += 1;
    assert.equal(await status(store.login('nobody', 'x')), 401);
  });
});
