// The incident engine against the simulator: demo faults become the right incidents with evidence and root cause;
// faults injected through /_sim/fault raise incidents and clearing them resolves them; fixes preview a real diff,
// apply changes the cluster and resolve the incident; the viewer is refused with the reason.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeEngine } from '../../src/core/kube/engine';
import { KubeGrafStore } from '../../src/core/store/store';
import { IncidentEngine } from '../../src/core/incidents/engine';
import { INCIDENT_HANDLERS, type IncidentDeps } from '../../src/core/api/incidents';
import type { Incident } from '../../src/shared/incidents';
import { kubectlOk, simAdmin, startTestSim, type Sim } from '../helpers/sim';

async function waitFor<T>(what: string, fn: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const caller = { face: 'http' as const };

describe('incident engine against the simulator (demo scenario)', function () {
  this.timeout(120_000);
  let sim: Sim;
  let kube: KubeEngine;
  let store: KubeGrafStore;
  let engine: IncidentEngine;
  let ctx: string;
  let deps: IncidentDeps;
  const find = (
    type: string,
    ns: string | undefined,
    name: string,
    status: 'open' | 'resolved' = 'open',
  ): Incident | undefined =>
    engine
      .list({ context: ctx, status: 'all' })
      .incidents.find(
        (i) => i.type === type && i.resource.namespace === ns && i.resource.name === name && i.status === status,
      );

  before(async () => {
    sim = await startTestSim({ scenario: 'demo' });
    kube = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
    store = await KubeGrafStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-inc-')) });
    engine = new IncidentEngine({ kube, store, rules: { stableMs: 2500, holdMs: 1500 }, sweepMs: 300 });
    ctx = sim.contexts.admin;
    deps = { incidents: engine, store, kube };
    await engine.start(ctx);
  });
  after(async () => {
    await engine.close();
    await kube.close();
    await store.close();
    await sim.close();
  });

  it('reports every live fault of the demo cluster as the right incident, with evidence and root cause', async () => {
    const expected: Array<[string, string | undefined, string, RegExp]> = [
      ['node_not_ready', undefined, 'worker-c', /stopped posting status/],
      ['pod_crash_loop', 'payments', 'payments-worker', /exits with code 1/],
      ['oom_killed', 'data', 'warehouse-loader', /memory limit of 512Mi/],
      ['image_pull_error', 'shop', 'checkout', /4\.2\.0-does-not-exist cannot be pulled/],
      ['rollout_stuck', 'shop', 'checkout', /timed out progressing/],
      ['pod_unschedulable', 'ml', 'trainer-large', /Insufficient/],
      ['service_no_endpoints', 'monitoring', 'alertmanager', /No pod .* matches the selector app=alertmanager/],
      ['ingress_missing_service', 'shop', 'admin', /admin-ui does not exist/],
      ['pvc_pending', 'data', 'analytics-scratch', /StorageClass "fast-ssd" does not exist/],
      ['job_failed', 'data', 'backfill-orders', /BackoffLimitExceeded/],
      ['cronjob_suspended', 'data', 'db-vacuum', /suspend/],
      ['pdb_no_disruptions', 'payments', 'payments-api', /minAvailable=2/],
      ['hpa_at_max', 'shop', 'catalog', /maxReplicas=4/],
    ];
    for (const [type, ns, name, cause] of expected) {
      const inc = await waitFor(`${type} ${ns}/${name}`, () => find(type, ns, name));
      assert.match(inc.rootCause, cause, `${type}: ${inc.rootCause}`);
      assert.ok(inc.evidence.objects.length > 0, `${type} has object refs`);
      assert.match(inc.id, new RegExp(`^inc-${type}-[0-9a-f]{16}$`));
    }
    const crash = find('pod_crash_loop', 'payments', 'payments-worker')!;
    assert.equal(crash.evidence.containerName, 'worker');
    assert.equal(crash.evidence.exitCode, 1);
    assert.ok((crash.evidence.restartCount ?? 0) >= 6, 'restart count from the pod status');
    const oom = find('oom_killed', 'data', 'warehouse-loader')!;
    assert.equal(oom.evidence.exitCode, 137);
    assert.equal(oom.evidence.containerName, 'loader');
    assert.equal(oom.evidence.memoryLimit, '512Mi');
    assert.equal(oom.recommendedFixes[0].action, 'increase_memory_limit');
    // Log lines and events that prove it arrive shortly after detection.
    await waitFor('crash loop logs', () => engine.incident(crash.id)!.evidence.logs.length > 0);
    await waitFor('BackOff events as evidence', () =>
      engine.incident(crash.id)!.evidence.events.some((e) => e.reason === 'BackOff'),
    );
    const pull = find('image_pull_error', 'shop', 'checkout')!;
    await waitFor('the pull failure event as evidence', () =>
      engine.incident(pull.id)!.evidence.events.some((e) => /Failed to pull image/.test(e.message)),
    );
    assert.match(
      pull.precedingChange?.summary ?? '',
      /4\.1\.0 → checkout=ghcr\.io\/acme\/checkout:4\.2\.0-does-not-exist/,
    );
    assert.equal(
      pull.recommendedFixes.find((f) => f.action === 'fix_image_tag')?.preview,
      'spec.template.spec.containers[0].image: ghcr.io/acme/checkout:4.2.0-does-not-exist -> ghcr.io/acme/checkout:4.1.0',
    );
    // Stable ids: a rescan finds the same incidents, not new ones.
    const before = engine
      .list({ context: ctx })
      .incidents.map((i) => i.id)
      .sort();
    const after = (await INCIDENT_HANDLERS['incidents.refresh']({}, deps, caller)).incidents.map((i) => i.id);
    for (const id of before) assert.ok(after.includes(id), `${id} kept its id after a rescan`);
  });

  it('raises and resolves incidents for faults injected on pods', async () => {
    const pods = JSON.parse(await kubectlOk(sim, ['get', 'pods', '-n', 'shop', '-l', 'app=cart', '-o', 'json']))
      .items as Array<{ metadata: { name: string } }>;
    const pod = pods[0].metadata.name;
    for (const [fault, type] of [
      ['crashloop', 'pod_crash_loop'],
      ['oomkill', 'oom_killed'],
      ['unready', 'readiness_probe_failed'],
    ] as const) {
      await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'pod', namespace: 'shop', name: pod, fault });
      const inc = await waitFor(`${type} after ${fault}`, () =>
        engine.list({ context: ctx }).incidents.find((i) => i.type === type && i.resource.name === 'cart'),
      );
      assert.equal(inc.evidence.podName, pod);
      await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'pod', namespace: 'shop', name: pod, fault: 'none' });
      await waitFor(`${type} resolved`, () => engine.incident(inc.id)?.status === 'resolved', 40_000);
      const hist = await waitFor('the resolution in the history', () => {
        const h = store.history(inc.id).map((x) => x.event);
        return h.includes('resolved') ? h : undefined;
      });
      assert.ok(hist.includes('opened') || hist.includes('reopened'));
    }
  });

  it('raises an image pull incident for a broken image and resolves it once the image is fixed', async () => {
    await kubectlOk(sim, [
      'set',
      'image',
      '-n',
      'monitoring',
      'deployment/grafana',
      'grafana=grafana/grafana:does-not-exist',
    ]);
    const inc = await waitFor('image pull on grafana', () =>
      engine
        .list({ context: ctx })
        .incidents.find((i) => i.type === 'image_pull_error' && i.resource.name === 'grafana'),
    );
    assert.match(inc.rootCause, /grafana\/grafana:does-not-exist cannot be pulled/);
    await waitFor('preceding change recorded', () => engine.incident(inc.id)?.precedingChange);
    await kubectlOk(sim, ['set', 'image', '-n', 'monitoring', 'deployment/grafana', 'grafana=grafana/grafana:11.2.2']);
    await waitFor('image pull resolved', () => engine.incident(inc.id)?.status === 'resolved', 40_000);
  });

  it('raises node NotReady when a node stops and resolves it when the node is back', async () => {
    await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'node', name: 'worker-b', fault: 'notready' });
    const inc = await waitFor('worker-b NotReady', () => find('node_not_ready', undefined, 'worker-b'), 60_000);
    assert.equal(inc.severity, 'critical');
    await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'node', name: 'worker-b', fault: 'none' });
    await waitFor('worker-b resolved', () => engine.incident(inc.id)?.status === 'resolved', 60_000);
  });

  it('a template fault stalls a rollout (crash loop after the change); clearing it resolves', async () => {
    await simAdmin(sim, 'POST', '/_sim/fault', {
      kind: 'deployment',
      namespace: 'shop',
      name: 'frontend',
      fault: 'crashloop',
    });
    const inc = await waitFor('frontend crash loop', () =>
      engine
        .list({ context: ctx })
        .incidents.find((i) => i.type === 'pod_crash_loop' && i.resource.name === 'frontend'),
    );
    const withChange = await waitFor('the rollout as preceding change', () => engine.incident(inc.id)?.precedingChange);
    assert.equal(withChange.category, 'rollout');
    assert.ok(
      engine.incident(inc.id)!.recommendedFixes.some((f) => f.action === 'rollback'),
      'rollback to the last good revision is offered',
    );
    await simAdmin(sim, 'POST', '/_sim/fault', {
      kind: 'deployment',
      namespace: 'shop',
      name: 'frontend',
      fault: 'none',
    });
    await waitFor('frontend crash loop resolved', () => engine.incident(inc.id)?.status === 'resolved', 60_000);
  });

  it('an image-pull template fault stalls the rollout of a deployment; clearing it resolves', async () => {
    await simAdmin(sim, 'POST', '/_sim/fault', {
      kind: 'deployment',
      namespace: 'shop',
      name: 'cart',
      fault: 'imagepull',
    });
    const inc = await waitFor('cart image pull', () =>
      engine.list({ context: ctx }).incidents.find((i) => i.type === 'image_pull_error' && i.resource.name === 'cart'),
    );
    assert.equal(inc.resource.kind, 'Deployment');
    assert.ok(['ErrImagePull', 'ImagePullBackOff'].includes(inc.evidence.reason ?? ''));
    await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'deployment', namespace: 'shop', name: 'cart', fault: 'none' });
    await waitFor('cart image pull resolved', () => engine.incident(inc.id)?.status === 'resolved', 60_000);
  });

  it('previews a fix as a real diff, refuses the viewer with the reason, applies it for admin and the incident resolves', async () => {
    const inc = await waitFor('oom incident', () => find('oom_killed', 'data', 'warehouse-loader'));
    const preview = await INCIDENT_HANDLERS['incidents.fixPreview']({ incidentId: inc.id }, deps, caller);
    assert.equal(preview.allowed, true);
    assert.equal(preview.validated, true, preview.validationError);
    assert.match(preview.diff, /^-\s+memory: 512Mi$/m);
    assert.match(preview.diff, /^\+\s+memory: 768Mi$/m);
    await assert.rejects(INCIDENT_HANDLERS['incidents.fixApply']({ incidentId: inc.id }, deps, caller), /confirm:true/);

    // The viewer: same engine API over the viewer context.
    const viewerEngine = new IncidentEngine({
      kube,
      store,
      rules: { stableMs: 2500, holdMs: 1500 },
      sweepMs: 300,
      logs: false,
    });
    try {
      await viewerEngine.start(sim.contexts.viewer);
      const vinc = await waitFor('viewer sees the oom incident', () =>
        viewerEngine
          .list({ context: sim.contexts.viewer })
          .incidents.find((i) => i.type === 'oom_killed' && i.resource.name === 'warehouse-loader'),
      );
      const vp = await viewerEngine.previewFix(vinc.id);
      assert.equal(vp.allowed, false);
      assert.match(vp.reason ?? '', /may not update deployments\.apps "warehouse-loader" in namespace data/);
      assert.match(vp.diff, /768Mi/);
      await assert.rejects(
        viewerEngine.applyFix(vinc.id, undefined),
        (e: Error & { code?: string }) => e.code === 'forbidden' && /SelfSubjectAccessReview denied/.test(e.message),
      );
    } finally {
      await viewerEngine.close();
    }

    const ex = await INCIDENT_HANDLERS['incidents.fixApply']({ incidentId: inc.id, confirm: true }, deps, caller);
    assert.equal(ex.status, 'succeeded', ex.error);
    assert.ok(ex.output.some((l) => /read back: container loader memory limit is now 768Mi/.test(l.line)));
    assert.ok(ex.undo?.yaml?.includes('512Mi'), 'undo info keeps the previous object');
    const live = JSON.parse(
      await kubectlOk(sim, ['get', 'deployment', '-n', 'data', 'warehouse-loader', '-o', 'json']),
    );
    assert.equal(
      live.spec.template.spec.containers.find((c: { name: string }) => c.name === 'loader').resources.limits.memory,
      '768Mi',
    );
    const logs = await INCIDENT_HANDLERS['executions.logs']({ id: ex.id }, deps, caller);
    assert.equal(logs.status, 'succeeded');
    assert.ok(store.history(inc.id).some((h) => h.event === 'fix_applied'));
  });

  it('applies a rollback to the stuck checkout rollout and the incident resolves', async () => {
    const inc = await waitFor('rollout stuck', () => find('rollout_stuck', 'shop', 'checkout'));
    const fix = inc.recommendedFixes.find((f) => f.action === 'rollback')!;
    const preview = await INCIDENT_HANDLERS['incidents.fixPreview'](
      { incidentId: inc.id, fixId: fix.id },
      deps,
      caller,
    );
    assert.match(preview.diff, /^-\s+- image: ghcr\.io\/acme\/checkout:4\.2\.0-does-not-exist$/m);
    assert.match(preview.diff, /^\+\s+- image: ghcr\.io\/acme\/checkout:4\.1\.0$/m);
    const ex = await INCIDENT_HANDLERS['incidents.fixApply'](
      { incidentId: inc.id, fixId: fix.id, confirm: true },
      deps,
      caller,
    );
    assert.equal(ex.status, 'succeeded', ex.error);
    const img = (
      await kubectlOk(sim, [
        'get',
        'deployment',
        '-n',
        'shop',
        'checkout',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ])
    ).trim();
    assert.equal(img, 'ghcr.io/acme/checkout:4.1.0');
    await waitFor(
      'image pull incident resolved',
      () =>
        engine
          .list({ context: ctx, status: 'all' })
          .incidents.filter((i) => i.type === 'image_pull_error' && i.resource.name === 'checkout')
          .every((i) => i.status === 'resolved'),
      60_000,
    );
    await waitFor('rollout incident resolved', () => engine.incident(inc.id)?.status === 'resolved', 60_000);
  });

  it('auto-remediation is off by default; with a policy it logs decisions taken and declined', async () => {
    assert.equal((await INCIDENT_HANDLERS['incidents.remediation.status']({}, deps, caller)).policy.enabled, false);
    await INCIDENT_HANDLERS['incidents.remediation.enable'](
      {
        allowedActions: ['resume_cronjob'],
        protectedNamespaces: ['payments'],
        minOpenSeconds: 0,
        maxActionsPerHour: 5,
      },
      deps,
      caller,
    );
    const { decisions } = await waitFor('decisions', () => {
      const d = store.decisions();
      return d.some((x) => x.decision === 'taken' && x.action === 'resume_cronjob') &&
        d.some((x) => x.decision === 'declined' && /payments is protected/.test(x.reason))
        ? { decisions: d }
        : undefined;
    });
    assert.ok(
      decisions.some(
        (x) => x.decision === 'declined' && /no recommended fix is allowed|no automatic fix/.test(x.reason),
      ),
    );
    const suspend = (
      await kubectlOk(sim, ['get', 'cronjob', '-n', 'data', 'db-vacuum', '-o', 'jsonpath={.spec.suspend}'])
    ).trim();
    assert.equal(suspend, 'false');
    await INCIDENT_HANDLERS['incidents.remediation.disable']({}, deps, caller);
    const listed = await INCIDENT_HANDLERS['incidents.remediation.decisions']({}, deps, caller);
    assert.ok(listed.decisions.length >= 2);
  });

  it('feedback changes fix ranking; runbooks are shipped and editable; learning answers', async () => {
    const inc = await waitFor('crash loop', () => find('pod_crash_loop', 'payments', 'payments-worker'));
    const first = inc.recommendedFixes[0];
    const second = inc.recommendedFixes[1];
    for (let i = 0; i < 3; i++)
      await INCIDENT_HANDLERS['incidents.feedback'](
        { incidentId: inc.id, verdict: 'wrong', fixId: first.id },
        deps,
        caller,
      );
    await INCIDENT_HANDLERS['incidents.feedback'](
      { incidentId: inc.id, verdict: 'helpful', fixId: second.id },
      deps,
      caller,
    );
    const ranked = engine.incident(inc.id)!.recommendedFixes;
    assert.equal(ranked[0].action, second.action, 'the fix users found helpful now ranks first');
    const rb = await INCIDENT_HANDLERS['incidents.runbooks']({ type: 'pod_crash_loop' }, deps, caller);
    assert.equal(rb.runbooks[0].edited, false);
    const edited = await INCIDENT_HANDLERS['incidents.runbooks.edit'](
      { type: 'pod_crash_loop', steps: ['Page the payments team'] },
      deps,
      caller,
    );
    assert.deepEqual(edited.steps, ['Page the payments team']);
    assert.equal((await INCIDENT_HANDLERS['incidents.get']({ id: inc.id }, deps, caller)).runbook?.edited, true);
    assert.equal(
      (await INCIDENT_HANDLERS['incidents.runbooks.edit']({ type: 'pod_crash_loop', reset: true }, deps, caller))
        .edited,
      false,
    );
    const trends = await INCIDENT_HANDLERS['incidents.learning.trends']({ days: 3 }, deps, caller);
    assert.ok(trends.trends[trends.trends.length - 1].total > 0);
    const tl = await INCIDENT_HANDLERS['brain.timeline']({ hours: 1 }, deps, caller);
    assert.ok(
      tl.entries.some((e) => e.kind === 'incident_opened') &&
        tl.entries.some((e) => e.kind === 'change') &&
        tl.entries.some((e) => e.kind === 'event'),
    );
    const oom = await INCIDENT_HANDLERS['brain.oomInsights']({}, deps, caller);
    assert.ok(oom.insights.some((i) => i.workload.name === 'warehouse-loader' && i.container === 'loader'));
    await assert.rejects(INCIDENT_HANDLERS['incidents.get']({ id: 'inc-nope' }, deps, caller), /no incident/);
  });
});
