// The pure parts of native Helm: the secrets driver's encoding, Helm's uninstall order, and computed values.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { decodeReleaseData, encodeReleaseData, type ReleaseJson } from '../../src/core/integrations/helmStorage';
import { sortByKind } from '../../src/core/integrations/helmNative';
import { coalesceValues } from '../../src/core/integrations/helmValues';

describe('native Helm', () => {
  it('encodes a release as base64(base64(gzip(JSON))) and reads it back, keeping unknown keys', () => {
    const rel = { name: 'web', info: { status: 'deployed', resources: { x: 1 } }, version: 3, namespace: 'demo' };
    const data = encodeReleaseData(rel as unknown as ReleaseJson);
    const gz = Buffer.from(Buffer.from(data, 'base64').toString('utf8'), 'base64');
    assert.deepEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 0x08]);
    assert.equal(gunzipSync(gz).toString('utf8'), JSON.stringify(rel));
    assert.deepEqual(decodeReleaseData(data), rel);
    // Old records without gzip still load.
    const plain = Buffer.from(Buffer.from(JSON.stringify(rel)).toString('base64')).toString('base64');
    assert.deepEqual(decodeReleaseData(plain), rel);
    assert.equal(decodeReleaseData('not base64 json'), undefined);
  });

  it("sorts objects in Helm's uninstall order, stable within a kind, unknown kinds last by name", () => {
    const kinds = ['ConfigMap', 'Widget', 'Deployment', 'Namespace', 'Service', 'Alpha', 'ConfigMap', 'Ingress'];
    const items = kinds.map((kind, i) => ({ kind, i }));
    assert.deepEqual(
      sortByKind(items).map((x) => `${x.kind}${x.i}`),
      ['Ingress7', 'Service4', 'Deployment2', 'ConfigMap0', 'ConfigMap6', 'Namespace3', 'Alpha5', 'Widget1'],
    );
  });

  it('computes values as Helm coalesces them: user over chart, maps merged, null removes', () => {
    assert.deepEqual(
      coalesceValues(
        { replicas: 1, image: { repo: 'r', tag: 'a' }, extra: { on: true }, list: [1, 2] },
        { image: { tag: 'b' }, extra: null, list: [3] },
      ),
      { replicas: 1, image: { repo: 'r', tag: 'b' }, list: [3] },
    );
  });
});
