// The security analysis over real HTTP against the simulated demo cluster: each planted case reported with its check
// and severity, the hardened workload in a default-deny, restricted namespace left alone, the Pod Security Standards
// per namespace, who-can from the cached RBAC objects, namespace scoping, bad input, and fixes that resolve findings.
import assert from 'node:assert/strict';
import { eventually, kubectlOk } from '../helpers/sim';
import { api, startHarness, type Harness } from './serverHelpers';
import type { Finding } from '../../src/shared/insights';
import type { SecurityReport } from '../../src/shared/routes/integrations';
import type { WhoCanResult } from '../../src/shared/security';
import { securityInsights } from '../../src/core/insights/security';
import { contextOf } from '../../src/core/api/common';
import type { KObject } from '../../src/core/kube/descriptors';

const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

describe('security insights (demo cluster)', function () {
  this.timeout(90_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  let report: SecurityReport;
  const security = async (q = ''): Promise<SecurityReport> => {
    const r = await A.get(`/api/security${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  const whoCan = async (q: string): Promise<WhoCanResult> => {
    const r = await A.get(`/api/security/who-can?${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  const find = (fs: Finding[], check: string, kind: string, name: string, namespace?: string) =>
    fs.find(
      (f) => f.check === check && f.target.kind === kind && f.target.name === name && f.target.namespace === namespace,
    );

  before(async () => {
    h = await startHarness();
    A = api(h);
    // The bare debug pod is analysed from the pods cache: wait until the simulator has created everything.
    report = await eventually(async () => {
      const r = await security();
      return r.insights.some((f) => f.target.name === 'node-debugger') &&
        r.insights.some((f) => f.target.name === 'fraud-scorer' || f.target.name === 'legacy-admin')
        ? r
        : undefined;
    }, 30_000);
  });
  after(async () => h?.close());

  it('reports each planted case with its check and severity', () => {
    const f = report.insights;
    const priv = find(f, 'privileged', 'Pod', 'node-debugger', 'monitoring');
    assert.equal(priv?.severity, 'critical');
    assert.equal(priv?.container, 'debugger');
    assert.equal(find(f, 'hostPID', 'Pod', 'node-debugger', 'monitoring')?.severity, 'high');
    assert.equal(
      find(f, 'hostPath', 'Pod', 'node-debugger', 'monitoring')?.severity,
      'critical',
      'the node’s / is mounted',
    );
    assert.equal(find(f, 'hostNetwork', 'Deployment', 'net-probe', 'monitoring')?.severity, 'high');

    const wildcard = find(f, 'wildcardRole', 'ClusterRole', 'legacy-admin-all');
    assert.equal(wildcard?.severity, 'critical', 'a * on * role bound to a service account');
    assert.match(wildcard!.why, /ServiceAccount shop\/legacy-admin/);
    const binding = find(f, 'clusterAdminBinding', 'ClusterRoleBinding', 'legacy-admin-all');
    assert.equal(binding?.severity, 'high');
    const token = find(f, 'automountToken', 'Deployment', 'legacy-admin', 'shop');
    assert.equal(token?.severity, 'high', 'the mounted token is the wildcard account’s');
    assert.equal(token?.fix?.type, 'patch');

    const secret = find(f, 'secretInEnv', 'Deployment', 'legacy-admin', 'shop');
    assert.equal(secret?.severity, 'high');
    assert.match(secret!.title, /DB_PASSWORD/);
    assert.doesNotMatch(secret!.title, /DB_HOST/);
    assert.equal(find(f, 'imageTagLatest', 'Deployment', 'legacy-admin', 'shop')?.severity, 'medium');
    assert.equal(find(f, 'unusedRole', 'Role', 'old-deployer', 'shop')?.severity, 'info');
    assert.equal(find(f, 'ingressNoTls', 'Ingress', 'admin', 'shop')?.severity, 'medium');
    assert.ok(!find(f, 'ingressNoTls', 'Ingress', 'shop', 'shop'), 'the shop ingress has TLS');
    assert.ok(f.some((x) => x.check === 'loadBalancer' && x.target.kind === 'Service'));

    const deny = find(f, 'noDefaultDeny', 'Namespace', 'shop');
    assert.equal(deny?.severity, 'medium');
    assert.equal(deny?.fix?.type, 'create');
    assert.ok(!find(f, 'noDefaultDeny', 'Namespace', 'payments'), 'payments has a default-deny policy');

    // Per workload, not per replica: checkout has 3 replicas and one finding per check.
    assert.equal(f.filter((x) => x.check === 'runAsRoot' && x.target.name === 'checkout').length, 1);
    assert.ok(!f.some((x) => x.target.kind === 'Pod' && x.target.name.startsWith('checkout-')));
    // payments enforces restricted; its old workloads would be refused now.
    assert.equal(find(f, 'pssViolation', 'Deployment', 'payments-api', 'payments')?.severity, 'high');
  });

  it('leaves the hardened workload in the default-deny, restricted namespace below medium', () => {
    const mine = report.insights.filter((f) => f.target.namespace === 'payments' && f.target.name === 'fraud-scorer');
    const loud = mine.filter((f) => RANK[f.severity] >= RANK.medium);
    assert.deepEqual(
      loud.map((f) => f.check),
      [],
    );
    assert.ok(
      !mine.some((f) => ['runAsRoot', 'automountToken', 'pssViolation', 'notCoveredByNetworkPolicy'].includes(f.check)),
    );
    const pss = report.pss.find((p) => p.namespace === 'payments')!;
    assert.equal(pss.enforce, 'restricted');
    assert.ok(!pss.violations.some((v) => v.name === 'fraud-scorer'), 'fraud-scorer passes restricted');
    assert.ok(pss.violations.some((v) => v.name === 'payments-api' && v.restricted.length > 0));
  });

  it('Pod Security Standards per namespace: what could be enforced today', () => {
    const mon = report.pss.find((p) => p.namespace === 'monitoring')!;
    assert.equal(mon.enforce, undefined);
    assert.equal(mon.couldEnforce, 'privileged', 'the privileged debug pod fails baseline');
    const dbg = mon.violations.find((v) => v.name === 'node-debugger')!;
    assert.equal(dbg.passes, 'privileged');
    assert.ok(dbg.baseline.some((m) => /privileged container debugger/.test(m)));
    assert.ok(dbg.baseline.some((m) => /hostPID/.test(m)));
    const shop = report.pss.find((p) => p.namespace === 'shop')!;
    assert.equal(shop.couldEnforce, 'baseline');
    assert.equal(shop.passing.baseline, shop.workloads);
    const shopFinding = find(report.insights, 'pssNotEnforced', 'Namespace', 'shop');
    assert.match(shopFinding!.fix!.description, /enforce=baseline/);
  });

  it('keeps the old report keys, scores per namespace and cluster', () => {
    assert.ok(report.score >= 0 && report.score <= 100);
    assert.equal(report.score, report.scores.cluster);
    assert.ok(report.summary.critical >= 2);
    const old = report.findings.find((f) => f.rule === 'privileged' && f.name === 'node-debugger')!;
    assert.equal(old.kind, 'Pod');
    assert.equal(old.namespace, 'monitoring');
    assert.ok(old.remediation.length > 0);
    assert.ok(!report.namespacesWithoutNetworkPolicy.includes('payments'));
    assert.ok(report.namespacesWithoutNetworkPolicy.includes('monitoring'));
    assert.ok(report.scores.namespaces.payments > report.scores.namespaces.monitoring, JSON.stringify(report.scores));
    assert.ok(report.scanned.workloads > 10 && report.scanned.workloads < report.scanned.pods + 20);
  });

  it('sends the findings once when asked without the old list (what the page asks), with the same summary', async () => {
    const lean = await security('?legacyFindings=false');
    assert.deepEqual(lean.findings, []);
    const sum = (r: SecurityReport) => Object.values(r.summary).reduce((a, b) => a + b, 0);
    assert.equal(sum(lean), lean.insights.length, 'the summary counts every finding');
    assert.ok(find(lean.insights, 'privileged', 'Pod', 'node-debugger', 'monitoring'));
    assert.equal(report.findings.length, report.insights.length, 'without the flag, both lists are whole');
  });

  it('who-can answers from the cached RBAC, scoped by namespace', async () => {
    const del = await whoCan('verb=delete&resource=secrets&namespace=payments');
    const sa = del.subjects.find((s) => s.kind === 'ServiceAccount' && s.name === 'legacy-admin');
    assert.ok(sa, JSON.stringify(del));
    assert.equal(sa.namespace, 'shop');
    assert.deepEqual(sa.via[0].binding, { kind: 'ClusterRoleBinding', name: 'legacy-admin-all' });
    assert.ok(!del.subjects.some((s) => s.name === 'prometheus'), 'prometheus only reads');

    const logs = await whoCan('verb=get&resource=pods/log&namespace=shop');
    assert.ok(logs.subjects.some((s) => s.name === 'frontend' && s.via[0].role.name === 'pod-reader'));
    const logsElsewhere = await whoCan('verb=get&resource=pods/log&namespace=payments');
    assert.ok(!logsElsewhere.subjects.some((s) => s.name === 'frontend'), 'a RoleBinding grants only its namespace');
    const clusterWide = await whoCan('verb=list&resource=nodes');
    assert.ok(clusterWide.subjects.some((s) => s.name === 'prometheus'));
    assert.ok(!clusterWide.subjects.some((s) => s.name === 'frontend'));
    const apps = await whoCan('verb=patch&resource=deployments.apps&namespace=shop');
    assert.equal(apps.group, 'apps');
    assert.ok(apps.subjects.some((s) => s.name === 'legacy-admin'));
  });

  it('who-can refuses bad input with a 4xx and a message', async () => {
    for (const q of ['resource=secrets', 'verb=get', 'verb=get&resource=se%20crets', 'verb=g%3Bt&resource=secrets']) {
      const r = await A.get(`/api/security/who-can?${q}`);
      assert.ok(r.status >= 400 && r.status < 500, `${q}: ${r.status}`);
      assert.ok(r.body.error.code && r.body.error.message, r.text);
      assert.doesNotMatch(r.text, /at .*\.ts:\d+/);
    }
  });

  it('scoped by namespace: only that namespace’s findings', async () => {
    const shop = await security('?namespace=shop');
    assert.ok(shop.insights.length > 0);
    assert.ok(
      shop.insights.every(
        (f) => f.target.namespace === 'shop' || (f.target.kind === 'Namespace' && f.target.name === 'shop'),
      ),
    );
    assert.ok(find(shop.insights, 'secretInEnv', 'Deployment', 'legacy-admin', 'shop'));
    assert.equal(find(shop.insights, 'automountToken', 'Deployment', 'legacy-admin', 'shop')?.severity, 'high');
    assert.deepEqual(Object.keys(shop.scores.namespaces), ['shop']);
    const ctx = contextOf(h.app.deps);
    const viaRegistry = await securityInsights.findings(h.app.deps, ctx, 'monitoring');
    assert.ok(viaRegistry.every((f) => f.target.namespace === 'monitoring' || f.target.name === 'monitoring'));
    assert.ok(find(viaRegistry, 'privileged', 'Pod', 'node-debugger', 'monitoring'));
  });

  it('fixes resolve their findings: a patch of the workload, a default-deny created in the namespace', async () => {
    const ctx = contextOf(h.app.deps);
    const get = async (kind: string, ns: string, name: string) =>
      JSON.parse(await kubectlOk(h.sim, ['get', kind, name, '-n', ns, '-o', 'json'])) as KObject;
    const f = find(report.insights, 'privilegeEscalation', 'Deployment', 'legacy-admin', 'shop')!;
    const patched = await securityInsights.fixObject!(
      f,
      await get('deployment', 'shop', 'legacy-admin'),
      h.app.deps,
      ctx,
    );
    const c = (patched.spec as any).template.spec.containers[0];
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    await kubectlOk(h.sim, ['replace', '-f', '-'], { stdin: JSON.stringify(patched) });

    const deny = find(report.insights, 'noDefaultDeny', 'Namespace', 'shop')!;
    const np = await securityInsights.fixObject!(deny, await get('namespace', '', 'shop'), h.app.deps, ctx);
    assert.equal(np.kind, 'NetworkPolicy');
    await kubectlOk(h.sim, ['create', '-f', '-'], { stdin: JSON.stringify(np) });

    await eventually(async () => {
      const now = (await security('?namespace=shop')).insights;
      return !find(now, 'privilegeEscalation', 'Deployment', 'legacy-admin', 'shop') &&
        !find(now, 'noDefaultDeny', 'Namespace', 'shop') &&
        !find(now, 'notCoveredByNetworkPolicy', 'Deployment', 'frontend', 'shop')
        ? true
        : undefined;
    });
    // A finding whose container is gone no longer matches: refused, not guessed.
    await assert.rejects(
      Promise.resolve(
        securityInsights.fixObject!(
          { ...f, container: 'gone' },
          await get('deployment', 'shop', 'legacy-admin'),
          h.app.deps,
          ctx,
        ),
      ),
      /no container gone/,
    );
  });
});
