import assert from 'node:assert/strict';
import { jsonPathValue, jsonPathValues } from '../../src/shared/jsonPath';

describe('Kubernetes JSONPath (printer columns)', () => {
  const pod = {
    metadata: { name: 'web-0', labels: { 'app.kubernetes.io/name': 'web' } },
    status: {
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False' },
      ],
      containerStatuses: [{ restartCount: 2 }, { restartCount: 0 }],
    },
  };

  it('reads plain paths, with or without braces and the leading $', () => {
    assert.equal(jsonPathValue(pod, '.metadata.name'), 'web-0');
    assert.equal(jsonPathValue(pod, '{.metadata.name}'), 'web-0');
    assert.equal(jsonPathValue(pod, '$.metadata.name'), 'web-0');
    assert.equal(jsonPathValue(pod, '.status.containerStatuses[0].restartCount'), 2);
  });

  it('filters lists, slices from the end, and reads every element', () => {
    assert.equal(jsonPathValue(pod, '.status.conditions[?(@.type=="Ready")].status'), 'False');
    assert.equal(jsonPathValue(pod, ".status.conditions[?(@.type=='Initialized')].status"), 'True');
    assert.equal(jsonPathValue(pod, '.status.conditions[-1:].type'), 'Ready');
    assert.deepEqual(jsonPathValues(pod, '.status.containerStatuses[*].restartCount'), [2, 0]);
  });

  it('reads names with dots, escaped as kubectl writes them or bracketed', () => {
    assert.equal(jsonPathValue(pod, '.metadata.labels.app\\.kubernetes\\.io/name'), 'web');
    assert.equal(jsonPathValue(pod, ".metadata.labels['app.kubernetes.io/name']"), 'web');
  });

  it('answers nothing for missing keys, non-objects and malformed paths, never throws', () => {
    assert.equal(jsonPathValue(pod, '.status.podIP'), undefined);
    assert.equal(jsonPathValue(pod, '.status.conditions[?(@.type=="Nope")].status'), undefined);
    assert.equal(jsonPathValue(undefined, '.a'), undefined);
    assert.equal(jsonPathValue(pod, '.status.conditions[?(@.type=='), undefined);
  });
});
