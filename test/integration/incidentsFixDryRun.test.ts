// Delete-type fixes (delete a crash-looping or stuck pod) are validated in the fix preview by a server-side dry run of
// the delete, as patch fixes are by a dry-run replace: the pod survives the preview, and a delete the server would
// refuse shows up as a validation error.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeEngine } from '../../src/core/kube/engine';
import { KubeGrafStore } from '../../src/core/store/store';
import { IncidentEngine } from '../../src/core/incidents/engine';
import { planFix, previewPlan } from '../../src/core/incidents/fixes';
import type { Incident } from '../../src/shared/incidents';
import { eventually, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

describe('fix preview: delete fixes are dry-run on the server', function () {
  this.timeout(120_000);
  let sim: Sim;
  let kube: KubeEngine;
  let store: KubeGrafStore;
  let engine: IncidentEngine;

  before(async () => {
    sim = await startTestSim({ scenario: 'demo' });
    kube = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
    store = await KubeGrafStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-inc-dry-')) });
    engine = new IncidentEngine({ kube, store, rules: { stableMs: 2500, holdMs: 1500 }, sweepMs: 300, logs: false });
    await engine.start(sim.contexts.admin);
  });
  after(async () => {
    await engine.close();
    await kube.close();
    await store.close();
    await sim.close();
  });

  const crashLoop = () =>
    eventually(
      () =>
        engine
          .list({ context: sim.contexts.admin })
          .incidents.find(
            (i) =>
              i.type === 'pod_crash_loop' &&
              i.resource.namespace === 'payments' &&
              i.recommendedFixes.some((f) => f.action === 'delete_pod'),
          ),
      60_000,
    ) as Promise<Incident>;

  it('validates a delete-pod fix without deleting the pod', async () => {
    const inc = await crashLoop();
    const fix = inc.recommendedFixes.find((f) => f.action === 'delete_pod')!;
    const uid = sim.ctx.store.get('pods', fix.target.namespace, fix.target.name)?.metadata.uid;
    assert.ok(uid, 'the pod exists');
    const preview = await engine.previewFix(inc.id, fix.id);
    assert.equal(preview.validated, true, preview.validationError);
    assert.equal(preview.validationError, undefined);
    assert.equal(preview.allowed, true);
    const still = sim.ctx.store.get('pods', fix.target.namespace, fix.target.name)!;
    assert.equal(still.metadata.uid, uid, 'the dry run deleted nothing');
    assert.equal(still.metadata.deletionTimestamp, undefined);
  });

  it('reports the server refusing the delete as a validation error', async () => {
    const inc = await crashLoop();
    const fix = inc.recommendedFixes.find((f) => f.action === 'delete_pod')!;
    const actions = kube.actions(sim.contexts.admin);
    const plan = await planFix(fix, inc, actions);
    // The pod goes away between planning and preview: the server's dry run says so.
    await kubectlOk(sim, [
      'delete',
      'pod',
      '-n',
      fix.target.namespace!,
      fix.target.name,
      '--grace-period=0',
      '--force',
    ]);
    const preview = await previewPlan(plan, inc, actions);
    assert.equal(preview.validated, false);
    assert.match(preview.validationError ?? '', new RegExp(`pods "${fix.target.name}" not found`));
  });
});
