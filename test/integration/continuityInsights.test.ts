// Continuity insights over real HTTP against the simulated demo cluster: the single-replica StatefulSet holding data
// with no PodDisruptionBudget, placement and disruption risks with their fixes (a PDB created, a replica added),
// volumes deleted with their claims, no VolumeSnapshotClass, and Velero's schedules and the age of the last backup.
import assert from 'node:assert/strict';
import { api, startHarness, type Harness } from './serverHelpers';
import type { ContinuitySummary } from '../../src/shared/continuity';

describe('continuity insights (demo cluster)', function () {
  this.timeout(120_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const summary = async (q = ''): Promise<ContinuitySummary> => {
    const r = await A.get(`/api/continuity/summary${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('reports the single-replica StatefulSet with data and no PDB, keeping the original keys', async () => {
    const s = await summary();
    assert.ok(s.workloads > 10 && s.score >= 0 && s.score <= 100);
    for (const k of ['singleReplica', 'singleNode', 'withoutPdb'] as const) assert.ok(Array.isArray(s[k]), k);
    const find = (check: string, name: string) => s.findings.find((f) => f.check === check && f.target.name === name);
    const single = await (async () => {
      // The StatefulSet's claim binds a moment after the demo loads.
      for (let i = 0; i < 50; i++) {
        const x = find('singleReplica', 'ledger-db') ?? undefined;
        if (x?.severity === 'high') return x;
        await new Promise((r) => setTimeout(r, 200));
        Object.assign(s, await summary());
      }
      return find('singleReplica', 'ledger-db');
    })();
    assert.ok(single, 'singleReplica ledger-db');
    assert.equal(single.severity, 'high');
    assert.equal(single.target.kind, 'StatefulSet');
    assert.match(single.title, /data-ledger-db-0/);
    const noPdb = find('noPdb', 'ledger-db')!;
    assert.equal(noPdb.family, 'Disruption');
    assert.equal(noPdb.fix?.type, 'create');
    assert.ok(s.singleReplica.some((w) => w.name === 'ledger-db' && !w.pdb));
    // The PDB that allows no disruption, the data volumes deleted with their claims, no snapshot class.
    assert.ok(find('pdbBlocksDisruption', 'payments-api'));
    assert.ok(s.findings.some((f) => f.check === 'deleteReclaim' && f.title.includes('payments/data-ledger-db-0')));
    assert.ok(find('noSnapshotClass', 'standard'));
    assert.ok(s.zones.length >= 2);
  });

  it("reads Velero's schedules and the age of the last successful backup per namespace", async () => {
    const s = await summary();
    assert.equal(s.backups.velero, true);
    assert.deepEqual(s.backups.schedules.map((x) => x.name).sort(), ['nightly-apps', 'payments-db']);
    const ns = (n: string) => s.backups.namespaces.find((x) => x.namespace === n)!;
    assert.ok(ns('shop').ageHours! < 24);
    assert.ok(ns('payments').ageHours! > 70, JSON.stringify(ns('payments')));
    assert.equal(ns('payments').lastAttempt?.phase, 'PartiallyFailed');
    const stale = s.findings.find((f) => f.check === 'staleBackup' && f.target.name === 'payments')!;
    assert.equal(stale.severity, 'high');
    assert.match(stale.title, /3 days ago/);
    assert.ok(s.findings.some((f) => f.check === 'noBackupSchedule' && f.target.name === 'data'));
    assert.ok(!s.findings.some((f) => f.target.kind === 'Namespace' && f.target.name === 'shop'));
  });

  it('scopes to a namespace', async () => {
    const s = await summary('?namespace=shop');
    assert.ok(s.rows.length > 0 && s.rows.every((r) => r.namespace === 'shop'));
    assert.ok(s.findings.every((f) => f.target.namespace === 'shop' || !f.target.namespace));
    assert.ok(!s.findings.some((f) => f.title.includes('payments/')));
    assert.deepEqual(
      s.backups.namespaces.map((x) => x.namespace),
      ['shop'],
    );
  });

  it('previews a PDB for the StatefulSet and a second replica for a Deployment', async () => {
    const pdb = await A.post('/api/insights/fix-preview', {
      findingId: 'continuity:noPdb:StatefulSet:payments/ledger-db',
    });
    assert.equal(pdb.status, 200, pdb.text);
    assert.equal(pdb.body.validated, true, pdb.text);
    assert.match(pdb.body.yaml, /kind: PodDisruptionBudget/);
    assert.match(pdb.body.yaml, /minAvailable: 1/);
    const scale = await A.post('/api/insights/fix-preview', {
      findingId: 'continuity:singleReplica:Deployment:monitoring/grafana',
    });
    assert.equal(scale.status, 200, scale.text);
    assert.match(scale.body.diff, /-\s+replicas: 1\n\+\s+replicas: 2/);
    const spread = await A.post('/api/insights/fix-preview', {
      findingId: 'continuity:noSpread:Deployment:shop/checkout',
    });
    assert.equal(spread.status, 200, spread.text);
    assert.match(spread.body.diff, /\+\s+topologySpreadConstraints:/);
  });
});
