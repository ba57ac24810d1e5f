// What the security analysis should find in the demo cluster, and one workload it should not: a privileged debug pod
// with the host's PID namespace and root filesystem, a host-network agent, a legacy deployment whose service account
// holds a wildcard ClusterRole and whose env holds a password, a role nobody binds; and in `payments` (default-deny,
// `enforce: restricted`) a workload hardened the way the Pod Security Standards' restricted level asks.
import type { SimContext } from '../context';
import type { Json } from '../controllers/runtime';
import { deployment, put } from './seed';

const RBAC = 'rbac.authorization.k8s.io';
/** A fixed digest, so the hardened image is pinned and the demo stays reproducible. */
const DIGEST = 'sha256:4f8d2b6c1e0a9d7f3b5c8e2a6d4f1b9c7e3a5d8f2b6c0e4a9d1f7b3c5e8a2d6f';

export function loadSecurityDemo(ctx: SimContext): void {
  const p = (o: Json) => put(ctx, o);

  // monitoring: a debug pod someone left behind: privileged, host PID namespace, the node's / mounted.
  p({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node-debugger', namespace: 'monitoring', labels: { app: 'node-debugger' } },
    spec: {
      hostPID: true,
      containers: [
        {
          name: 'debugger',
          image: 'docker.io/library/busybox:1.36',
          args: ['sleep', 'infinity'],
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
        },
      ],
      volumes: [{ name: 'host-root', hostPath: { path: '/', type: 'Directory' } }],
      restartPolicy: 'Always',
    },
  });

  // monitoring: an agent on the host network.
  const agent = deployment('monitoring', 'net-probe', {
    containers: [{ image: 'ghcr.io/acme/net-probe:0.4.2', cpu: '20m', memory: '32Mi', memoryLimit: '64Mi' }],
  });
  agent.spec.template.spec.hostNetwork = true;
  agent.spec.template.spec.dnsPolicy = 'ClusterFirstWithHostNet';
  p(agent);

  // shop: a legacy admin tool with a wildcard ClusterRole on its service account and a password in its env.
  p({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'legacy-admin', namespace: 'shop' } });
  p({
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'legacy-admin-all' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  });
  p({
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'legacy-admin-all' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'legacy-admin-all' },
    subjects: [{ kind: 'ServiceAccount', name: 'legacy-admin', namespace: 'shop' }],
  });
  p(
    deployment('shop', 'legacy-admin', {
      serviceAccount: 'legacy-admin',
      containers: [
        {
          image: 'ghcr.io/acme/legacy-admin:latest',
          cpu: '50m',
          memory: '64Mi',
          port: 8080,
          env: [
            { name: 'DB_HOST', value: 'ledger-db.payments' },
            { name: 'DB_PASSWORD', value: 'Sup3rS3cret!' },
          ],
        },
      ],
    }),
  );
  // shop: a role written for a deploy job that no longer exists.
  p({
    apiVersion: `${RBAC}/v1`,
    kind: 'Role',
    metadata: { name: 'old-deployer', namespace: 'shop' },
    rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'patch', 'update'] }],
  });

  // payments: hardened to the restricted level, in a namespace with a default-deny policy that enforces it.
  const hardened = deployment('payments', 'fraud-scorer', {
    replicas: 2,
    containers: [
      {
        name: 'scorer',
        image: `ghcr.io/acme/fraud-scorer:2.4.1@${DIGEST}`,
        cpu: '100m',
        memory: '128Mi',
        cpuLimit: '500m',
        memoryLimit: '256Mi',
        port: 8080,
      },
    ],
  });
  const spec = hardened.spec.template.spec;
  spec.automountServiceAccountToken = false;
  spec.securityContext = {
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  spec.volumes = [{ name: 'tmp', emptyDir: {} }];
  const c = spec.containers[0];
  c.securityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
  c.volumeMounts = [{ name: 'tmp', mountPath: '/tmp' }];
  c.livenessProbe = {
    httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  };
  p(hardened);
}
