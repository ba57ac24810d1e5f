// One label-selector parser (src/shared) behind every face: the API handlers, the simulator's API server and the
// tables' filter box accept and refuse the same selectors and match the same labels.
import assert from 'node:assert/strict';
import { matchesLabels, parseLabelSelector, toSelectorObject } from '../../src/shared/labelSelector';
import { parseLabelSelector as coreParse } from '../../src/core/api/common';
import { matchesSelector } from '../../src/core/kube/objectIndex';
import { parseLabelSelector as simParse } from '../../src/sim/selectors';
import { compileFilter } from '../../webviews/src/model/filters';

const LABELS: Array<Record<string, string> | undefined> = [
  undefined,
  { app: 'web' },
  { app: 'web', tier: 'front', env: 'prod' },
  { app: 'db', tier: 'back', 'app.kubernetes.io/name': 'pg' },
  { canary: '' },
];

describe('label selectors: one parser for core, the simulator and the webviews', () => {
  it('matches the same labels on every face', () => {
    for (const s of [
      'app=web',
      'app==web,tier!=back',
      'env in (prod, dev)',
      'tier notin (front)',
      'app,!canary',
      'app.kubernetes.io/name=pg',
      'canary=',
    ]) {
      const parsed = parseLabelSelector(s);
      assert.ok(parsed.ok, s);
      const core = coreParse(s);
      assert.deepEqual(core, toSelectorObject(parsed.value));
      const sim = simParse(s)!;
      const table = compileFilter({ text: '', labelSelector: s, statuses: [] });
      for (const l of LABELS) {
        const want = matchesLabels(parsed.value, l);
        assert.equal(matchesSelector(l, core), want, `core: ${s} on ${JSON.stringify(l)}`);
        assert.equal(sim(l), want, `sim: ${s} on ${JSON.stringify(l)}`);
        assert.equal(table.test({ name: 'x', labels: l, search: 'x' }), want, `table: ${s} on ${JSON.stringify(l)}`);
      }
    }
  });

  it('refuses the same malformed selectors on every face, saying what is wrong', () => {
    for (const bad of ['a in ()', '-bad=x', 'a=b c', 'a=-x', 'x in (a', '!!!=!!']) {
      const parsed = parseLabelSelector(bad);
      assert.equal(parsed.ok, false, bad);
      const why = parsed.ok ? '' : parsed.error;
      assert.throws(
        () => coreParse(bad),
        (e: Error) => e.message === `labelSelector: ${why}`,
      );
      assert.throws(
        () => simParse(bad),
        (e: Error) => e.message.endsWith(why),
      );
      assert.equal(compileFilter({ text: '', labelSelector: bad, statuses: [] }).error, why);
    }
  });
});
