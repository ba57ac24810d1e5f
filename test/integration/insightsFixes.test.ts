// The fix path every insight shares, over real HTTP against the simulated demo cluster: a finding's fix applied as an
// execution (a PodDisruptionBudget created for a single-replica StatefulSet), the finding gone afterwards, the undo
// deleting what the fix created; a patch fix undone by re-applying the object as it was; an object's findings for its
// details drawer; the day's scores kept; and what bad requests get.
import assert from 'node:assert/strict';
import { eventually, kubectl, kubectlOk } from '../helpers/sim';
import type { Finding } from '../../src/shared/insights';
import type { Execution } from '../../src/shared/incidents';
import { api, startHarness, type Harness } from './serverHelpers';

describe('insights: one fix path, findings per object, daily scores (demo cluster)', function () {
  this.timeout(120_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const findings = async (q: string): Promise<Finding[]> => {
    const r = await A.get(`/api/insights/findings${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body.findings;
  };

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it("lists one object's findings, for its details drawer", async () => {
    const f = await eventually(async () => {
      const x = await findings('?namespace=payments&kind=StatefulSet&name=ledger-db');
      return x.some((y) => y.check === 'noPdb') ? x : undefined;
    }, 30_000);
    assert.ok(
      f.every((x) => x.target.kind === 'StatefulSet' && x.target.name === 'ledger-db'),
      JSON.stringify(f),
    );
    assert.ok(f.every((x) => x.why.length > 10 && x.title.length > 0));
    assert.ok(new Set(f.map((x) => x.id)).size === f.length, 'ids are unique');
  });

  it('creates the PDB a finding asks for as an execution, and its undo deletes it again', async () => {
    const id = 'continuity:noPdb:StatefulSet:payments/ledger-db';
    const refused = await A.post('/api/insights/fix-apply', { findingId: id });
    assert.equal(refused.status, 400, 'no confirm: nothing is applied');
    assert.match(refused.body.error.message, /confirm/);
    const r = await A.post('/api/insights/fix-apply', { findingId: id, confirm: true });
    assert.equal(r.status, 200, r.text);
    const ex: Execution = r.body;
    assert.equal(ex.status, 'succeeded', JSON.stringify(ex.output));
    assert.equal(ex.target?.kind, 'PodDisruptionBudget');
    assert.ok(ex.undo?.deletes);
    const pdb = ex.target!.name;
    const got = await kubectlOk(h.sim, ['get', 'pdb', pdb, '-n', 'payments', '-o', 'jsonpath={.spec.minAvailable}']);
    assert.equal(got, '1');
    // The finding is gone once the cache has the PDB; asking to fix it again is a 404, not a second PDB.
    await eventually(async () => {
      const x = await findings('?namespace=payments&kind=StatefulSet&name=ledger-db');
      return !x.some((y) => y.check === 'noPdb');
    }, 30_000);
    const again = await A.post('/api/insights/fix-apply', { findingId: id, confirm: true });
    assert.equal(again.status, 404, again.text);
    const undo = await A.post('/api/incidents/fix-apply', { undoExecutionId: ex.id, confirm: true });
    assert.equal(undo.status, 200, undo.text);
    assert.equal(undo.body.status, 'succeeded', JSON.stringify(undo.body.output));
    const gone = await kubectl(h.sim, ['get', 'pdb', pdb, '-n', 'payments']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /NotFound/);
    await eventually(async () => {
      const x = await findings('?namespace=payments&kind=StatefulSet&name=ledger-db');
      return x.some((y) => y.check === 'noPdb');
    }, 30_000);
  });

  it('patches the target for a patch fix, and its undo re-applies the object as it was', async () => {
    const id = 'continuity:singleReplica:Deployment:monitoring/grafana';
    const r = await A.post('/api/insights/fix-apply', { findingId: id, confirm: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'succeeded', JSON.stringify(r.body.output));
    const replicas = async () =>
      kubectlOk(h.sim, ['get', 'deploy', 'grafana', '-n', 'monitoring', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(await replicas(), '2');
    const undo = await A.post('/api/incidents/fix-apply', { undoExecutionId: r.body.id, confirm: true });
    assert.equal(undo.body.status, 'succeeded', JSON.stringify(undo.body.output));
    assert.equal(await replicas(), '1');
  });

  it("keeps the day's score for the cluster and each namespace", async () => {
    const r = await A.get('/api/insights/scores?source=continuity&days=7');
    assert.equal(r.status, 200, r.text);
    const today = new Date().toISOString().slice(0, 10);
    const cluster = r.body.points.find((p: { namespace?: string; day: string }) => !p.namespace && p.day === today);
    assert.ok(cluster && cluster.score >= 0 && cluster.score <= 100, r.text);
    assert.ok(r.body.points.some((p: { namespace?: string }) => p.namespace === 'payments'));
    const one = await A.get('/api/insights/scores?source=continuity&namespace=payments');
    assert.ok(
      one.body.points.length > 0 && one.body.points.every((p: { namespace?: string }) => p.namespace === 'payments'),
    );
  });

  it('says what is wrong with a bad request', async () => {
    const bad = await A.post('/api/insights/fix-preview', { findingId: 'nonsense' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /not a finding id/);
    const noSource = await A.get('/api/insights/scores');
    assert.equal(noSource.status, 400);
    const gone = await A.post('/api/insights/fix-preview', { findingId: 'continuity:noPdb:StatefulSet:payments/nope' });
    assert.equal(gone.status, 404);
  });
});
