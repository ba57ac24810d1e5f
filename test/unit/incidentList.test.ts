// The Incidents view lists the current context's open incidents: what the dashboard panel and the status bar show.
import assert from 'node:assert/strict';
import type { Incident } from '../../src/shared/incidents';
import { currentContextIncidents } from '../../src/vscode/incidentList';

const inc = (context: string, name: string, status: Incident['status'] = 'open', type = 'pod_crash_loop'): Incident =>
  ({
    id: `${context}/${name}`,
    context,
    type,
    severity: 'high',
    status,
    title: `Pod crash loop in ${name}`,
    resource: { kind: 'Pod', namespace: 'shop', name },
    recommendedFixes: [],
  }) as unknown as Incident;

describe('Incidents view: the current context', () => {
  const all = [
    inc('admin', 'web'),
    inc('admin', 'node', 'open', 'node_not_ready'),
    inc('viewer', 'web'),
    inc('viewer', 'gone', 'resolved'),
    inc('other', 'api'),
  ];

  it("lists only the current context's open incidents, though other contexts of the cluster are still watched", () => {
    const ids = (ctx: string | undefined) => currentContextIncidents(all, ctx).map((i) => i.id);
    assert.deepEqual(ids('admin'), ['admin/web', 'admin/node']);
    // Switched to a read-only context of the same cluster: the admin's NotReady node is not the viewer's to count.
    assert.deepEqual(ids('viewer'), ['viewer/web']);
    assert.deepEqual(ids(undefined), []);
  });

  it('keeps to the namespaces in view, as the dashboard counts: a node is in no namespace', () => {
    const l = [
      ...all,
      inc('admin', 'pay', 'open'),
      {
        ...inc('admin', 'worker-c', 'open', 'node_not_ready'),
        resource: { kind: 'Node', name: 'worker-c' },
      } as Incident,
    ];
    const ids = (scope: string[]) => currentContextIncidents(l, 'admin', undefined, scope).map((i) => i.id);
    assert.deepEqual(ids(['shop']), ['admin/web', 'admin/node', 'admin/pay']);
    assert.deepEqual(ids(['payments']), []);
    assert.equal(ids([]).length, 4);
  });

  it('leaves out the rules the user turned off', () => {
    const on = (i: Incident) => i.type !== 'node_not_ready';
    assert.deepEqual(
      currentContextIncidents(all, 'admin', on).map((i) => i.id),
      ['admin/web'],
    );
  });
});
