import assert from 'node:assert/strict';
import { parseLabelSelector, parseFieldSelector, fieldAllowed } from '../../src/sim/selectors';

describe('sim selectors', () => {
  it('matches label selectors with every operator', () => {
    const sel = parseLabelSelector('app=web,tier in (front, back),!legacy,env!=prod')!;
    assert.equal(sel({ app: 'web', tier: 'front', env: 'dev' }), true);
    assert.equal(sel({ app: 'web', tier: 'db' }), false);
    assert.equal(sel({ app: 'web', tier: 'back', legacy: 'y' }), false);
    assert.equal(sel({ app: 'web', tier: 'back', env: 'prod' }), false);
  });
  it('rejects unknown field selectors like the API server', () => {
    assert.throws(() => parseFieldSelector('spec.bogus=1', fieldAllowed('pods')), /field label not supported/);
    const f = parseFieldSelector('status.phase!=Running,spec.nodeName=n1', fieldAllowed('pods'))!;
    assert.equal(f({ status: { phase: 'Pending' }, spec: { nodeName: 'n1' } }), true);
    assert.equal(f({ status: { phase: 'Running' }, spec: { nodeName: 'n1' } }), false);
  });
});
