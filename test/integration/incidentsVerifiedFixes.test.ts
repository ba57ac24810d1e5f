// Verified fixes against the simulator, through the route handlers: the demo's warehouse-loader needs 900Mi, so the
// recommended 768Mi (1.5 × its 512Mi limit) is recorded as "did not help" with the pods that were OOM-killed again,
// the next step (1152Mi) is recorded as resolved once the incident stayed clear for the verification window, the
// outcomes show as a track record on the fix, and auto-remediation does not retry a fix type that did not help.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeEngine } from '../../src/core/kube/engine';
import { KubeGrafStore } from '../../src/core/store/store';
import { IncidentEngine } from '../../src/core/incidents/engine';
import { INCIDENT_HANDLERS, type IncidentDeps } from '../../src/core/api/incidents';
import type { FixVerification, Incident } from '../../src/shared/incidents';
import { eventually, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

const caller = { face: 'http' as const };
const WINDOW_SECONDS = 15;

interface Rig {
  sim: Sim;
  kube: KubeEngine;
  store: KubeGrafStore;
  engine: IncidentEngine;
  deps: IncidentDeps;
  ctx: string;
  close(): Promise<void>;
}

async function rig(name: string): Promise<Rig> {
  const sim = await startTestSim({ scenario: 'demo' });
  const kube = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
  const store = await KubeGrafStore.open({ dataDir: mkdtempSync(join(tmpdir(), `kubegraf-${name}-`)) });
  const engine = new IncidentEngine({
    kube,
    store,
    rules: { stableMs: 2500, holdMs: 1500 },
    sweepMs: 300,
    logs: false,
    verifyWindowSeconds: WINDOW_SECONDS,
  });
  const ctx = sim.contexts.admin;
  await engine.start(ctx);
  return {
    sim,
    kube,
    store,
    engine,
    ctx,
    deps: { incidents: engine, store, kube },
    close: async () => {
      await engine.close();
      await kube.close();
      await store.close();
      await sim.close();
    },
  };
}

const oomOf = (r: Rig): Incident | undefined =>
  r.engine
    .list({ context: r.ctx })
    .incidents.find(
      (i) => i.type === 'oom_killed' && i.resource.namespace === 'data' && i.resource.name === 'warehouse-loader',
    );
const loaderLimit = async (r: Rig) =>
  (
    await kubectlOk(r.sim, [
      'get',
      'deployment',
      '-n',
      'data',
      'warehouse-loader',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}',
    ])
  ).trim();

describe('verified fixes (demo warehouse-loader, simulator)', function () {
  this.timeout(400_000);
  let r: Rig;
  before(async () => {
    r = await rig('verified');
  });
  after(async () => r?.close());

  it('sizes the memory increase from the limit at the kill and says so in the fix', async () => {
    const inc = await eventually(() => oomOf(r), 150_000);
    const fix = inc.recommendedFixes[0];
    assert.equal(fix.action, 'increase_memory_limit');
    assert.match(fix.description, /^Increase memory limit of 'loader' to 768Mi \(512Mi × 1\.5\)$/);
    assert.match(fix.rationale ?? '', /OOM-killed at its 512Mi limit/);
    assert.match(fix.rationale ?? '', /1\.5× the memory at the kill, at least \+128Mi, rounded up to 64Mi → 768Mi/);
    assert.equal(fix.track, undefined, 'no verified outcome yet');
  });

  it('records a fix that did not help, with the evidence, on the incident, the execution and in a notification', async () => {
    const inc = (await eventually(() => oomOf(r), 60_000))!;
    const ex = await INCIDENT_HANDLERS['incidents.fixApply'](
      { incidentId: inc.id, fixId: inc.recommendedFixes[0].id, confirm: true },
      r.deps,
      caller,
    );
    assert.equal(ex.status, 'succeeded', ex.error);
    assert.equal(ex.verification?.outcome, 'verifying');
    assert.equal(await loaderLimit(r), '768Mi');

    const v = (await eventually(() => {
      const x = r.engine.incident(inc.id)?.fixVerification;
      return x?.executionId === ex.id && x.outcome !== 'verifying' ? x : undefined;
    }, 150_000)) as FixVerification;
    assert.equal(v.outcome, 'did_not_help', v.summary);
    assert.match(
      v.summary,
      /It happened again after the fix: pod warehouse-loader-\S+, started after the fix, was OOMKilled again at its 768Mi limit/,
    );
    assert.ok(
      v.evidence.length > 0 && v.evidence.every((e) => e.object?.kind === 'Pod' && e.time),
      JSON.stringify(v.evidence),
    );
    const [larger, undo] = v.nextSteps;
    assert.equal(larger.kind, 'fix');
    assert.match(larger.label, /Increase memory limit of 'loader' to 1152Mi \(768Mi × 1\.5\)/);
    assert.equal(undo.kind, 'undo');

    // The execution's history says so.
    await eventually(() => r.store.execution(ex.id)?.verification?.outcome === 'did_not_help', 10_000);
    const { executions } = await INCIDENT_HANDLERS['executions.list']({ incidentId: inc.id }, r.deps, caller);
    const done = executions.find((e) => e.id === ex.id)!;
    assert.equal(done.status, 'succeeded');
    assert.equal(done.verification?.outcome, 'did_not_help');
    const logs = await INCIDENT_HANDLERS['executions.logs']({ id: ex.id }, r.deps, caller);
    assert.ok(
      logs.output.some((l) => /^verify: did not help\. It happened again after the fix/.test(l.line)),
      logs.output.map((l) => l.line).join('\n'),
    );
    assert.ok(logs.output.some((l) => /next step: Increase memory limit of 'loader' to 1152Mi/.test(l.line)));

    // The incident: still open, its detail lists the verdict, and the fix on offer now carries the track record.
    const detail = await INCIDENT_HANDLERS['incidents.get']({ id: inc.id }, r.deps, caller);
    assert.equal(detail.status, 'open');
    assert.equal(detail.verifications?.[0]?.outcome, 'did_not_help');
    await eventually(
      () => r.store.history(inc.id).some((h) => h.event === 'fix_verified' && /did not help/.test(h.detail)),
      10_000,
    );
    const offered = detail.recommendedFixes[0];
    assert.equal(offered.id, larger.fixId);
    assert.match(offered.description, /1152Mi/);
    assert.deepEqual(offered.track, {
      action: 'increase_memory_limit',
      resolved: 0,
      didNotHelp: 1,
      madeWorse: 0,
      successRate: 0,
    });
    assert.ok(
      !detail.recommendedFixes.some((f) => f.action === 'rollback'),
      'rolling back to the 512Mi revision is not offered for an OOM',
    );

    const n = await eventually(
      async () =>
        (await INCIDENT_HANDLERS['notifications.list']({}, r.deps, caller)).notifications.find(
          (x) =>
            x.incidentId === inc.id && /^Fix did not help: Container OOMKilled: data\/warehouse-loader/.test(x.title),
        ),
      10_000,
    );
    assert.match(n.message, /OOMKilled again at its 768Mi limit.*Next: Increase memory limit of 'loader' to 1152Mi/);
  });

  it('records the larger increase as resolved once the incident stayed clear for the verification window', async () => {
    const inc = oomOf(r)!;
    const next = inc.fixVerification!.nextSteps.find((s) => s.kind === 'fix') as { fixId: string };
    const ex = await INCIDENT_HANDLERS['incidents.fixApply'](
      { incidentId: inc.id, fixId: next.fixId, confirm: true },
      r.deps,
      caller,
    );
    assert.equal(ex.status, 'succeeded', ex.error);
    assert.equal(await loaderLimit(r), '1152Mi');
    await eventually(() => r.engine.incident(inc.id)?.status === 'resolved', 150_000);
    await eventually(() => r.engine.incident(inc.id)?.fixVerification?.outcome === 'resolved', 150_000);
    // Not before the window has passed since the condition cleared.
    const v = r.store.fixOutcome(ex.id)!;
    assert.ok(
      v.clearedAt && Date.parse(v.decidedAt!) - Date.parse(v.clearedAt) >= WINDOW_SECONDS * 1000,
      `${v.clearedAt} → ${v.decidedAt}`,
    );
    assert.match(v.summary, new RegExp(`stayed clear for ${WINDOW_SECONDS} s`));
    assert.deepEqual(v.nextSteps, []);
    // The learning engine: one of two increases worked.
    const track = r.store.fixTrackRecords('oom_killed').get('increase_memory_limit');
    assert.deepEqual(
      track,
      { action: 'increase_memory_limit', resolved: 1, didNotHelp: 1, madeWorse: 0, successRate: 0.5 },
      JSON.stringify(track),
    );
    await eventually(
      async () =>
        (await INCIDENT_HANDLERS['notifications.list']({}, r.deps, caller)).notifications.some(
          (x) => x.incidentId === inc.id && /^Fix worked:/.test(x.title),
        ),
      10_000,
    );
    // The new pods run with room to spare (the simulated loader settles just under the 900Mi it needs).
    const top = await kubectlOk(r.sim, [
      'top',
      'pod',
      '-n',
      'data',
      '-l',
      'app=warehouse-loader',
      '--containers',
      '--no-headers',
    ]);
    const mi = Number(/\sloader\s+\S+\s+(\d+)Mi/.exec(top)?.[1]);
    assert.ok(mi > 768 && mi < 1152, top);
  });
});

describe('auto-remediation does not retry a fix that did not help', function () {
  this.timeout(400_000);
  let r: Rig;
  before(async () => {
    r = await rig('verified-auto');
  });
  after(async () => r?.close());

  it('applies the memory increase once, records that it did not help, and declines to retry it', async () => {
    const inc = (await eventually(() => oomOf(r), 60_000))!;
    await INCIDENT_HANDLERS['incidents.remediation.enable'](
      { allowedActions: ['increase_memory_limit'], namespaces: ['data'], minOpenSeconds: 0, maxActionsPerHour: 10 },
      r.deps,
      caller,
    );
    const taken = await eventually(
      () => r.store.decisions().find((d) => d.incidentId === inc.id && d.decision === 'taken'),
      150_000,
    );
    assert.equal(taken.action, 'increase_memory_limit');
    const v = (await eventually(() => {
      const x = r.store.fixOutcome(taken.executionId!);
      return x && x.outcome !== 'verifying' ? x : undefined;
    }, 150_000))!;
    assert.equal(v.outcome, 'did_not_help', v.summary);
    assert.equal(v.initiator, 'auto-remediation');
    const declined = await eventually(
      () =>
        r.store
          .decisions()
          .find((d) => d.incidentId === inc.id && d.decision === 'declined' && /did not help/.test(d.reason)),
      150_000,
    );
    assert.match(
      declined.reason,
      /^increase_memory_limit did not help on Deployment data\/warehouse-loader \(execution exec-[^)]+\): a fix that did not help is not retried automatically$/,
    );
    // Declined, not taken: one automatic execution, and the limit stays where the one attempt put it.
    const autos = (
      await INCIDENT_HANDLERS['executions.list']({ incidentId: inc.id }, r.deps, caller)
    ).executions.filter((e) => e.initiator === 'auto-remediation');
    assert.equal(autos.length, 1);
    assert.equal(await loaderLimit(r), '768Mi');
    assert.equal(r.store.decisions().filter((d) => d.incidentId === inc.id && d.decision === 'taken').length, 1);
    await INCIDENT_HANDLERS['incidents.remediation.disable']({}, r.deps, caller);
  });
});

describe('a fix that made it worse', function () {
  this.timeout(400_000);
  let r: Rig;
  before(async () => {
    r = await rig('verified-worse');
  });
  after(async () => r?.close());

  it('rolling back to a revision whose image cannot be pulled is recorded as "made it worse", with undo first', async () => {
    // Revision 1 never ran (its image does not exist); revision 2 runs but crash-loops.
    await kubectlOk(r.sim, [
      'create',
      'deployment',
      'flaky',
      '-n',
      'shop',
      '--image=ghcr.io/acme/flaky:1.0-does-not-exist',
    ]);
    await kubectlOk(r.sim, [
      'patch',
      'deployment',
      'flaky',
      '-n',
      'shop',
      '-p',
      JSON.stringify({
        spec: {
          template: {
            metadata: { annotations: { 'sim.kubegraf.io/fault': 'crashloop' } },
            spec: { containers: [{ name: 'flaky', image: 'ghcr.io/acme/flaky:1.1' }] },
          },
        },
      }),
    ]);
    const inc = await eventually(
      () =>
        r.engine
          .list({ context: r.ctx })
          .incidents.find(
            (i) =>
              i.type === 'pod_crash_loop' &&
              i.resource.name === 'flaky' &&
              i.recommendedFixes.some((f) => f.action === 'rollback'),
          ),
      150_000,
    );
    const rollback = inc.recommendedFixes.find((f) => f.action === 'rollback')!;
    const ex = await INCIDENT_HANDLERS['incidents.fixApply'](
      { incidentId: inc.id, fixId: rollback.id, confirm: true },
      r.deps,
      caller,
    );
    assert.equal(ex.status, 'succeeded', ex.error);
    const v = (await eventually(() => {
      const x = r.engine.incident(inc.id)?.fixVerification;
      return x?.executionId === ex.id && x.outcome !== 'verifying' ? x : undefined;
    }, 150_000)) as FixVerification;
    assert.equal(v.outcome, 'made_worse', v.summary);
    assert.match(
      v.summary,
      /^After the fix, new failures appeared on Deployment shop\/flaky: pod flaky-\S+, started after the fix, image cannot be pulled/,
    );
    assert.ok(
      v.evidence.some((e) => /ErrImagePull|ImagePullBackOff/.test(e.reason)),
      JSON.stringify(v.evidence),
    );
    assert.equal(v.nextSteps[0]?.kind, 'undo');
    assert.deepEqual(r.store.fixTrackRecords('pod_crash_loop').get('rollback'), {
      action: 'rollback',
      resolved: 0,
      didNotHelp: 0,
      madeWorse: 1,
      successRate: 0,
    });
    await eventually(
      async () =>
        (await INCIDENT_HANDLERS['notifications.list']({}, r.deps, caller)).notifications.some(
          (x) => x.incidentId === inc.id && x.severity === 'critical' && /^Fix made it worse:/.test(x.title),
        ),
      10_000,
    );
    // The offered undo puts the workload back as it was before the fix.
    const undo = v.nextSteps[0] as { executionId: string };
    const undone = await INCIDENT_HANDLERS['incidents.fixApply'](
      { undoExecutionId: undo.executionId, confirm: true },
      r.deps,
      caller,
    );
    assert.equal(undone.status, 'succeeded', undone.error);
    assert.equal(
      (
        await kubectlOk(r.sim, [
          'get',
          'deployment',
          '-n',
          'shop',
          'flaky',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        ])
      ).trim(),
      'ghcr.io/acme/flaky:1.1',
    );
  });
});
