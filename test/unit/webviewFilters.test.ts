// Label selectors as kubectl reads them, and the one-box filter syntax of the tables.
import assert from 'node:assert/strict';
import { compileFilter, matchesLabels, parseLabelSelector } from '../../webviews/src/model/filters';

const sel = (s: string) => {
  const p = parseLabelSelector(s);
  if (!p.ok) throw new Error(p.error);
  return p.value;
};

describe('webview filters', () => {
  it('parses every selector form kubectl accepts', () => {
    assert.deepEqual(sel('app=web, tier!=db,env in (a, b),track notin (canary),release,!debug, x==y'), [
      { key: 'app', op: 'eq', value: 'web' },
      { key: 'tier', op: 'neq', value: 'db' },
      { key: 'env', op: 'in', values: ['a', 'b'] },
      { key: 'track', op: 'notin', values: ['canary'] },
      { key: 'release', op: 'exists' },
      { key: 'debug', op: 'notExists' },
      { key: 'x', op: 'eq', value: 'y' },
    ]);
    assert.deepEqual(sel('app.kubernetes.io/name=web'), [{ key: 'app.kubernetes.io/name', op: 'eq', value: 'web' }]);
    assert.deepEqual(sel(''), []);
  });

  it('rejects malformed selectors with a message saying what is wrong', () => {
    for (const bad of ['a in ()', '-bad=x', 'a=b c', 'a=-x']) {
      const p = parseLabelSelector(bad);
      assert.equal(p.ok, false, bad);
      if (!p.ok) assert.ok(p.error.length > 10);
    }
  });

  it('matches labels like the API server', () => {
    const l = { app: 'web', tier: 'front' };
    assert.equal(matchesLabels(sel('app=web'), l), true);
    assert.equal(matchesLabels(sel('app!=web'), l), false);
    assert.equal(matchesLabels(sel('env!=prod'), l), true, '!= matches when the label is absent');
    assert.equal(matchesLabels(sel('tier in (front,back)'), l), true);
    assert.equal(matchesLabels(sel('tier notin (front)'), l), false);
    assert.equal(matchesLabels(sel('missing notin (x)'), l), true);
    assert.equal(matchesLabels(sel('!app'), l), false);
    assert.equal(matchesLabels(sel('app,tier'), l), true);
    assert.equal(matchesLabels(sel('app'), undefined), false);
  });

  it('combines free text (every word must match) with field shortcuts', () => {
    const row = {
      name: 'checkout-7d9',
      namespace: 'shop',
      labels: { app: 'checkout' },
      status: 'ImagePullBackOff',
      search: 'checkout-7d9\u0000shop\u0000node-2\u0000app=checkout',
    };
    const t = (text: string, statuses: string[] = []) => compileFilter({ text, labelSelector: '', statuses }).test(row);
    assert.equal(t('checkout node-2'), true);
    assert.equal(t('checkout node-3'), false);
    assert.equal(t('CHECKOUT'), true, 'case-insensitive');
    assert.equal(t('ns:sho'), true);
    assert.equal(t('namespace:data'), false);
    assert.equal(t('status:imagepull'), true);
    assert.equal(t('l:app=checkout'), true);
    assert.equal(t('', ['Running']), false);
    assert.equal(t('', ['imagepullbackoff']), true);
    assert.equal(compileFilter({ text: '  ', labelSelector: '', statuses: [] }).active, false);
  });
});
