// The Pod Security Standards levels of pod specs, the secret-in-env heuristic, image references, and RBAC rule
// matching: the pure parts of the security analysis.
import assert from 'node:assert/strict';
import { evaluatePss } from '../../src/core/insights/security/pss';
import type { PodSpec } from '../../src/core/insights/security/podSpec';
import { checkWorkload, imageParts, looksSecret } from '../../src/core/insights/security/checks';
import { RbacIndex } from '../../src/core/insights/security/rbac';
import type { KObject } from '../../src/core/kube/descriptors';

const restricted = (): PodSpec => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image: 'ghcr.io/acme/app:1.0',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
  volumes: [{ name: 'tmp', emptyDir: {} }],
});

describe('Pod Security Standards levels', () => {
  it('a hardened spec passes restricted', () => {
    const r = evaluatePss(restricted());
    assert.deepEqual([r.level, r.baseline, r.restricted], ['restricted', [], []]);
  });

  it('the default spec passes baseline and fails restricted for each missing control', () => {
    const r = evaluatePss({ containers: [{ name: 'web', image: 'nginx:1.27' }] });
    assert.equal(r.level, 'baseline');
    assert.deepEqual(r.baseline, []);
    assert.deepEqual(r.restricted, [
      'container web allows privilege escalation',
      'container web may run as root (runAsNonRoot not set)',
      'container web has no RuntimeDefault seccomp profile',
      'container web does not drop ALL capabilities',
    ]);
  });

  it('baseline fails on host namespaces, privileged, hostPath, hostPort, extra capabilities, unsafe sysctls', () => {
    const cases: Array<[string, (s: PodSpec) => void, RegExp]> = [
      ['hostNetwork', (s) => (s.hostNetwork = true), /hostNetwork/],
      ['hostPID', (s) => (s.hostPID = true), /hostPID/],
      ['hostIPC', (s) => (s.hostIPC = true), /hostIPC/],
      ['privileged', (s) => (s.containers![0].securityContext!.privileged = true), /privileged container app/],
      ['hostPath', (s) => s.volumes!.push({ name: 'h', hostPath: { path: '/var/log' } }), /hostPath volume h/],
      ['hostPort', (s) => (s.containers![0].ports = [{ containerPort: 80, hostPort: 80 }]), /hostPort/],
      ['SYS_ADMIN', (s) => (s.containers![0].securityContext!.capabilities!.add = ['SYS_ADMIN']), /adds SYS_ADMIN/],
      ['sysctl', (s) => (s.securityContext!.sysctls = [{ name: 'kernel.msgmax' }]), /unsafe sysctls kernel.msgmax/],
      ['seccomp', (s) => (s.securityContext!.seccompProfile = { type: 'Unconfined' }), /seccomp Unconfined/],
    ];
    for (const [name, change, msg] of cases) {
      const s = restricted();
      change(s);
      const r = evaluatePss(s);
      assert.equal(r.level, 'privileged', name);
      assert.ok(
        r.baseline.some((m) => msg.test(m)),
        `${name}: ${r.baseline.join('; ')}`,
      );
    }
  });

  it('restricted-only controls: baseline capabilities, UID 0, volume types, the pod-level runAsNonRoot', () => {
    const caps = restricted();
    caps.containers![0].securityContext!.capabilities!.add = ['CHOWN'];
    assert.equal(evaluatePss(caps).level, 'baseline', 'CHOWN is allowed by baseline, not restricted');
    const bind = restricted();
    bind.containers![0].securityContext!.capabilities!.add = ['NET_BIND_SERVICE'];
    assert.equal(evaluatePss(bind).level, 'restricted');
    const root = restricted();
    root.containers![0].securityContext!.runAsUser = 0;
    assert.deepEqual(evaluatePss(root).restricted, ['container app runs as UID 0']);
    const nfs = restricted();
    nfs.volumes!.push({ name: 'share', nfs: { server: 'x', path: '/' } });
    assert.deepEqual(evaluatePss(nfs).restricted, ['nfs volume share']);
    const containerLevel = restricted();
    delete containerLevel.securityContext!.runAsNonRoot;
    containerLevel.containers![0].securityContext!.runAsNonRoot = true;
    assert.equal(evaluatePss(containerLevel).level, 'restricted');
    const init = restricted();
    init.initContainers = [{ name: 'setup', image: 'busybox:1.36' }];
    assert.ok(evaluatePss(init).restricted.includes('container setup allows privilege escalation'));
  });
});

describe('security checks of a workload', () => {
  it('recognises credentials by name and shape, not references or paths', () => {
    assert.ok(looksSecret('DB_PASSWORD', 'hunter22'));
    assert.ok(looksSecret('STRIPE_API_KEY', 'sk_live_abcdef'));
    assert.ok(looksSecret('UPSTREAM', 'postgres://app:pw1234@db:5432/app'));
    assert.ok(looksSecret('AWS', 'AKIAABCDEFGHIJKLMNOP'));
    assert.ok(!looksSecret('DB_HOST', 'db.payments'));
    assert.ok(!looksSecret('PASSWORD_FILE', '/run/secrets/pw'));
    assert.ok(!looksSecret('TOKEN', 'true'));
    assert.ok(!looksSecret('API_KEY', ''));
  });

  it('parses image tags and digests', () => {
    assert.deepEqual(imageParts('nginx'), { tag: undefined, digest: undefined });
    assert.deepEqual(imageParts('localhost:5000/app:1.2'), { tag: '1.2', digest: undefined });
    assert.deepEqual(imageParts('ghcr.io/a/b:2@sha256:ab'), { tag: '2', digest: 'sha256:ab' });
  });

  it('a hardened workload has no finding at medium or above; a default one has the usual ones', () => {
    const spec = restricted();
    spec.automountServiceAccountToken = false;
    const c = spec.containers![0];
    c.image = 'ghcr.io/acme/app:1.0@sha256:00';
    c.securityContext!.readOnlyRootFilesystem = true;
    c.resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '1', memory: '64Mi' } };
    c.livenessProbe = c.readinessProbe = { httpGet: { port: 80 } };
    const w = {
      kind: 'Deployment',
      namespace: 'x',
      name: 'w',
      labels: {},
      annotations: {},
      patchable: true,
      batch: false,
    };
    const hard = checkWorkload({ ...w, spec }, { covered: true });
    assert.deepEqual(hard.findings, []);
    assert.ok(hard.weight > 0);
    const soft = checkWorkload({ ...w, spec: { containers: [{ name: 'web', image: 'nginx' }] } }, { covered: false });
    const checks = soft.findings.map((f) => `${f.check}:${f.severity}`);
    for (const c of [
      'runAsRoot:medium',
      'privilegeEscalation:medium',
      'imageTagLatest:medium',
      'requestsMissing:medium',
      'notCoveredByNetworkPolicy:low',
    ])
      assert.ok(checks.includes(c), `${c} in ${checks.join(' ')}`);
    assert.equal(soft.findings.find((f) => f.check === 'runAsRoot')?.fix?.type, 'patch');
    const pod = checkWorkload(
      { ...w, kind: 'Pod', patchable: false, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      { covered: true },
    );
    assert.ok(!pod.findings.some((f) => f.fix), 'a bare pod’s spec cannot be patched');
  });
});

describe('RBAC who-can', () => {
  const o = (kind: string, name: string, extra: Record<string, unknown>, namespace?: string): KObject => ({
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    ...extra,
  });
  const idx = new RbacIndex(
    [
      o(
        'Role',
        'reader',
        { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['one'] }] },
        'a',
      ),
    ],
    [
      o('ClusterRole', 'deployer', {
        rules: [{ apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['*'] }],
      }),
      o('ClusterRole', 'agg', {
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'yes' } }] },
        rules: [],
      }),
      {
        kind: 'ClusterRole',
        metadata: { name: 'part', labels: { agg: 'yes' } },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }],
      },
    ],
    [
      o(
        'RoleBinding',
        'rb',
        { roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'ann' }] },
        'a',
      ),
      o(
        'RoleBinding',
        'rb2',
        { roleRef: { kind: 'ClusterRole', name: 'deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'ci' }] },
        'b',
      ),
    ],
    [
      o('ClusterRoleBinding', 'admins', {
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'Group', name: 'ops' }],
      }),
      o('ClusterRoleBinding', 'agg', {
        roleRef: { kind: 'ClusterRole', name: 'agg' },
        subjects: [{ kind: 'User', name: 'bob' }],
      }),
    ],
  );
  const names = (verb: string, res: string, ns?: string) => idx.whoCan(verb, res, ns).subjects.map((s) => s.name);

  it('a RoleBinding grants in its namespace only; cluster-admin everywhere', () => {
    assert.deepEqual(names('get', 'secrets', 'a'), ['ops', 'ann']);
    assert.deepEqual(names('get', 'secrets', 'b'), ['ops']);
    assert.deepEqual(names('get', 'secrets'), ['ops']);
    assert.deepEqual(idx.whoCan('get', 'secrets', 'a').subjects[1].via[0].resourceNames, ['one']);
  });

  it('groups, subresources and aggregated ClusterRoles', () => {
    assert.deepEqual(names('patch', 'deployments.apps', 'b'), ['ops', 'ci']);
    assert.deepEqual(names('patch', 'deployments.extensions', 'b'), ['ops'], 'the rule is for apps only');
    assert.deepEqual(names('update', 'deployments/scale', 'b'), ['ops', 'ci']);
    assert.deepEqual(names('delete', 'pods', 'x'), ['ops', 'bob']);
    assert.equal(idx.whoCan('delete', 'pods', 'x').subjects[0].namespace, undefined);
    assert.equal(idx.whoCan('patch', 'deployments', 'b').subjects.find((s) => s.name === 'ci')?.namespace, 'b');
  });

  it('roles bound to nothing', () => {
    assert.deepEqual(
      idx.unusedRoles().map((r) => r.name),
      [],
      'part is aggregated into agg, which is bound',
    );
  });
});
