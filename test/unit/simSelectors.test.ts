import assert from 'node:assert/strict';
import { parseLabelSelector, parseFieldSelector, fieldAllowed } from '../../src/sim/selectors';
import { columnsFor } from '../../src/sim/table';

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

describe('sim CRD printer columns', () => {
  it('evaluate the JSONPath forms CRDs use, filters included; no Age unless declared', () => {
    const cols = columnsFor('cert-manager.io/certificates', [
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
      { name: 'First', type: 'string', jsonPath: '.spec.dnsNames[0]' },
    ]);
    const cert = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'c', creationTimestamp: new Date().toISOString() },
      spec: { secretName: 's', dnsNames: ['a.example', 'b.example'] },
      status: {
        conditions: [
          { type: 'Issuing', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    };
    assert.deepEqual(
      cols.map((c) => c.cell(cert)),
      ['c', 'True', 's', 'a.example'],
    );
    // A missing value is null (kubectl prints <none>); a CRD without printer columns shows Name and Age.
    assert.equal(cols[2].cell({ ...cert, spec: {} }), null);
    assert.deepEqual(
      columnsFor('cert-manager.io/issuers', null).map((c) => c.name),
      ['Name', 'Age'],
    );
  });
});
