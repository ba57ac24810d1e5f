// The kubeconfig a user (or a test) points kubectl and client-node at: one cluster, an admin and a viewer context.
import { stringify } from 'yaml';

export const ADMIN_CONTEXT = 'kubegraf-sim';
export const VIEWER_CONTEXT = 'kubegraf-sim-viewer';

export function renderKubeconfig(
  server: string,
  caPem: string,
  tokens: { admin: string; viewer: string },
  namespace = 'default',
): string {
  const cluster = 'kubegraf-sim';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': ADMIN_CONTEXT,
    clusters: [
      { name: cluster, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    users: [
      { name: 'admin', user: { token: tokens.admin } },
      { name: 'viewer', user: { token: tokens.viewer } },
    ],
    contexts: [
      { name: ADMIN_CONTEXT, context: { cluster, user: 'admin', namespace } },
      { name: VIEWER_CONTEXT, context: { cluster, user: 'viewer', namespace } },
    ],
  });
}
