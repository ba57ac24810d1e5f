// Anomalies from the simulated usage, sampled as the metrics engine samples it: the demo's catalog re-indexes every
// five minutes (a CPU burst), which the z-score analysis finds; a steady container gives none.
import assert from 'node:assert/strict';
import { containerUsage } from '../../src/sim/metrics';
import { CPU_BURST_ANNOTATION, LOAD_ANNOTATION } from '../../src/sim/controllers/faults';
import { ANOMALY_MIN_SAMPLES, anomalies } from '../../src/core/incidents/learning';

const container = {
  name: 'catalog',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m' } },
};
const pod = (name: string, annotations: Record<string, string>) =>
  ({
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, annotations },
    spec: { containers: [container] },
  }) as never;

/** Samples every 15 s from `start` for `minutes`, in millicores and bytes, as the metrics engine keeps them. */
function sampled(p: never, start: number, minutes: number) {
  const points = [];
  for (let t = start; t < start + minutes * 60; t += 15) {
    const u = containerUsage(p, container, t);
    points.push({ t: t * 1000, cpu: u.cpu * 1000, mem: u.memory });
  }
  return { namespace: 'shop', pod: (p as { metadata: { name: string } }).metadata.name, container: 'catalog', points };
}

describe('anomalies in simulated usage', () => {
  it('finds the CPU bursts of a re-indexing pod, and nothing in a steady one', () => {
    const bursty = sampled(pod('catalog-a', { [LOAD_ANNOTATION]: '1.8', [CPU_BURST_ANNOTATION]: '6' }), 1000, 20);
    const steady = sampled(pod('catalog-b', { [LOAD_ANNOTATION]: '1.8' }), 1000, 20);
    const found = anomalies([bursty, steady]);
    assert.ok(found.length >= 3, `a burst every 5 minutes over 20 minutes: ${found.length}`);
    assert.ok(found.every((a) => a.object.name === 'catalog-a' && a.metric === 'cpu' && a.zScore >= 3));
    assert.ok(
      found.every((a) => a.value <= 500),
      'capped by the CPU limit',
    );
    assert.match(found[0].description, /catalog cpu spike: \d\.\dσ from its mean/);
  });

  it('says nothing before a container has enough samples', () => {
    const p = pod('catalog-a', { [LOAD_ANNOTATION]: '1.8', [CPU_BURST_ANNOTATION]: '6' });
    const young = sampled(p, 1000, ((ANOMALY_MIN_SAMPLES - 1) * 15) / 60);
    assert.equal(young.points.length, ANOMALY_MIN_SAMPLES - 1);
    assert.deepEqual(anomalies([young]), []);
  });
});
