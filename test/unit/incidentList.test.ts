// The Incidents view counts an incident once per cluster: two contexts of one API server are one cluster.
import assert from 'node:assert/strict';
import type { Incident } from '../../src/shared/incidents';
import { oncePerCluster } from '../../src/vscode/incidentList';

const inc = (
  context: string,
  name: string,
  lastSeen = '2026-01-01T00:00:00Z',
  status: Incident['status'] = 'open',
): Incident =>
  ({
    id: `${context}/${name}`,
    context,
    type: 'pod_crash_loop',
    severity: 'high',
    status,
    title: `Pod crash loop in ${name}`,
    resource: { kind: 'Pod', namespace: 'shop', name },
    lastSeen,
    recommendedFixes: [],
  }) as unknown as Incident;

const SERVERS: Record<string, string> = {
  admin: 'https://127.0.0.1:6443',
  viewer: 'https://127.0.0.1:6443',
  other: 'https://10.0.0.1:6443',
};
const clusterOf = (c: string) => SERVERS[c] ?? c;

describe('Incidents view: once per cluster', () => {
  it('lists an incident seen through two contexts of one cluster once, from the current context, with no context label', () => {
    const all = [
      inc('admin', 'web'),
      inc('viewer', 'web', '2026-01-01T00:01:00Z'),
      inc('admin', 'api'),
      inc('viewer', 'api'),
      inc('viewer', 'gone', undefined, 'resolved'),
    ];
    const l = oncePerCluster(all, clusterOf, 'admin');
    assert.deepEqual(l.incidents.map((i) => i.id).sort(), ['admin/api', 'admin/web']);
    assert.equal(l.manyClusters, false);
    // Switched to the viewer: the same count, now the viewer's records.
    assert.deepEqual(
      oncePerCluster(all, clusterOf, 'viewer')
        .incidents.map((i) => i.id)
        .sort(),
      ['viewer/api', 'viewer/web'],
    );
  });

  it('keeps incidents of different clusters apart and says so, and leaves out rules that are off', () => {
    const all = [inc('admin', 'web'), inc('other', 'web'), inc('viewer', 'web')];
    const l = oncePerCluster(all, clusterOf, 'admin');
    assert.deepEqual(l.incidents.map((i) => i.id).sort(), ['admin/web', 'other/web']);
    assert.equal(l.manyClusters, true);
    assert.equal(oncePerCluster(all, clusterOf, 'admin', (i) => i.context !== 'other').incidents.length, 1);
  });
});
