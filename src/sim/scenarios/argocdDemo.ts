// The demo's GitOps story: the Git repository Argo CD deploys from (acme/deploy, five commits) and three Applications
// with the history a few weeks of use leave. shop is Synced but Degraded (HEAD ships a checkout image that does not
// exist; the commit before it is a good rollback target); payments is OutOfSync (someone scaled payments-api by hand,
// and a ConfigMap dropped from Git was never pruned); monitoring auto-syncs with self-heal.
import { createHash } from 'node:crypto';
import type { SimContext } from '../context';
import { typeKey } from '../kinds';
import { nowIso } from '../store';
import { buildRepo, registerRepo } from '../controllers/argocdGit';
import { TRACKING_ID, trackingId } from '../controllers/argocd';
import type { Json } from '../controllers/runtime';
import { put } from './seed';

export const DEMO_REPO = 'https://github.com/acme/deploy.git';
const DEST = 'https://kubernetes.default.svc';

const ago = (days: number) => nowIso(new Date(Date.now() - days * 86400000));
const sha = (s: string) => createHash('sha1').update(s).digest('hex');

interface Ctr {
  name: string;
  image: string;
  port?: number;
  portName?: string;
  requests: Record<string, string>;
  limits?: Record<string, string>;
  env?: Json[];
}

const container = (c: Ctr): Json => ({
  name: c.name,
  image: c.image,
  ...(c.port ? { ports: [{ containerPort: c.port, name: c.portName ?? 'http' }] } : {}),
  ...(c.env ? { env: c.env } : {}),
  resources: { requests: c.requests, ...(c.limits ? { limits: c.limits } : {}) },
});

const deploy = (name: string, o: { replicas: number; sa?: string; deadline?: number; c: Ctr }): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: o.replicas,
    ...(o.deadline ? { progressDeadlineSeconds: o.deadline } : {}),
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { ...(o.sa ? { serviceAccountName: o.sa } : {}), containers: [container(o.c)] },
    },
  },
});

const svc = (name: string, port: number, targetPort: number | string, portName = 'http'): Json => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, labels: { app: name } },
  spec: { selector: { app: name }, ports: [{ name: portName, port, targetPort }] },
});

const frontend = deploy('frontend', {
  replicas: 3,
  sa: 'frontend',
  c: {
    name: 'frontend',
    image: 'ghcr.io/acme/shop-frontend:2.14.1',
    port: 8080,
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { memory: '256Mi' },
  },
});
const checkout = (tag: string) =>
  deploy('checkout', {
    replicas: 3,
    deadline: 20,
    c: {
      name: 'checkout',
      image: `ghcr.io/acme/checkout:${tag}`,
      port: 8080,
      requests: { cpu: '50m', memory: '96Mi' },
    },
  });
const paymentsApi = deploy('payments-api', {
  replicas: 3,
  sa: 'payments-api',
  c: {
    name: 'api',
    image: 'ghcr.io/acme/payments-api:7.3.2',
    port: 8443,
    portName: 'https',
    requests: { cpu: '100m', memory: '192Mi' },
    limits: { memory: '384Mi' },
  },
});
const paymentsWorker = deploy('payments-worker', {
  replicas: 1,
  c: {
    name: 'worker',
    image: 'ghcr.io/acme/payments-worker:7.3.2',
    requests: { cpu: '50m', memory: '128Mi' },
    env: [{ name: 'LEDGER_DSN', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'dsn' } } }],
  },
});
const legacyFlags: Json = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'payments-legacy-flags', labels: { app: 'payments-api' } },
  data: { LEGACY_CHECKOUT: 'true', LEDGER_V1_COMPAT: 'true' },
};
// The monitoring app is the probes' exporter, not Prometheus: Prometheus is the kube-prometheus-stack Helm release's,
// and an object has one owner (a self-healing app would undo a Helm uninstall of it).
const blackbox = deploy('blackbox-exporter', {
  replicas: 1,
  c: {
    name: 'blackbox-exporter',
    image: 'quay.io/prometheus/blackbox-exporter:v0.25.0',
    port: 9115,
    requests: { cpu: '20m', memory: '32Mi' },
  },
});

const C = {
  monitoring: sha('platform/monitoring: blackbox exporter 0.25.0'),
  shopFirst: sha('apps/shop: first production release'),
  payments: sha('apps/payments: 7.3.2'),
  dropFlags: sha('apps/payments: drop the legacy feature flags'),
  checkout42: '53e28ff20cc530b9ada2173fbbd64d48338583ba',
};

function demoRepo() {
  return buildRepo(DEMO_REPO, [
    {
      sha: C.monitoring,
      message: 'platform/monitoring: blackbox exporter 0.25.0 for the uptime probes',
      author: 'Dana Ortiz <dana@acme.example>',
      date: ago(40),
      dirs: { 'platform/monitoring': [blackbox, svc('blackbox-exporter', 9115, 9115)] },
    },
    {
      sha: C.shopFirst,
      message: 'apps/shop: first production release (frontend 2.14.1, checkout 4.1.0)',
      author: 'Sam Lee <sam@acme.example>',
      date: ago(30),
      dirs: { 'apps/shop': [frontend, checkout('4.1.0'), svc('frontend', 80, 'http')] },
      tags: ['shop-v1'],
    },
    {
      sha: C.payments,
      message: 'apps/payments: payments 7.3.2, three API replicas',
      author: 'Priya Raman <priya@acme.example>',
      date: ago(12),
      dirs: {
        'apps/payments': [paymentsApi, paymentsWorker, svc('payments-api', 443, 'https', 'https'), legacyFlags],
      },
    },
    {
      sha: C.dropFlags,
      message: 'apps/payments: drop the legacy feature flags',
      author: 'Priya Raman <priya@acme.example>',
      date: ago(5),
      dirs: { 'apps/payments': [paymentsApi, paymentsWorker, svc('payments-api', 443, 'https', 'https')] },
    },
    {
      sha: C.checkout42,
      message: 'apps/shop: checkout 4.2.0',
      author: 'Sam Lee <sam@acme.example>',
      date: ago(2),
      dirs: { 'apps/shop': [frontend, checkout('4.2.0-does-not-exist'), svc('frontend', 80, 'http')] },
    },
  ]);
}

type Deploy = { sha: string; days: number; by: Json };

/** An Application with the history and last operation it would have after `deploys`. */
function application(
  name: string,
  path: string,
  deploys: Deploy[],
  o: { automated?: boolean; manifests: Json[]; skipped?: Json[] },
): Json {
  const source = { repoURL: DEMO_REPO, path, targetRevision: 'HEAD' };
  const last = deploys[deploys.length - 1];
  const ref = (m: Json) => {
    const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
    return { ...(group ? { group } : {}), version, kind: m.kind, namespace: name, name: m.metadata.name };
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: 'default',
      source,
      destination: { server: DEST, namespace: name },
      syncPolicy: {
        ...(o.automated ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ['CreateNamespace=true'],
      },
    },
    status: {
      sourceType: 'Directory',
      resourceHealthSource: 'appTree',
      controllerNamespace: 'argocd',
      history: deploys.map((d, id) => ({
        id,
        revision: d.sha,
        deployStartedAt: ago(d.days + 0.0001),
        deployedAt: ago(d.days),
        source,
        initiatedBy: d.by,
      })),
      operationState: {
        operation: {
          sync: { revision: last.sha, ...(o.automated ? { prune: true } : {}), syncStrategy: { hook: {} } },
          initiatedBy: last.by,
          ...(o.automated ? { retry: {} } : {}),
        },
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: ago(last.days + 0.0001),
        finishedAt: ago(last.days),
        syncResult: {
          revision: last.sha,
          source,
          resources: [
            ...o.manifests.map((m) => ({
              ...ref(m),
              status: 'Synced',
              message: `${m.kind.toLowerCase()}${ref(m).group ? `.${ref(m).group}` : ''}/${m.metadata.name} configured`,
              hookPhase: 'Running',
              syncPhase: 'Sync',
            })),
            ...(o.skipped ?? []).map((m) => ({
              ...ref(m),
              status: 'PruneSkipped',
              message: 'ignored (requires pruning)',
              hookPhase: 'Running',
              syncPhase: 'Sync',
            })),
          ],
        },
      },
    },
  };
}

/** Marks the live objects an app deployed with its tracking id, as Argo CD's apply leaves them. */
function markTracked(ctx: SimContext, app: string, manifests: Json[]): void {
  for (const m of manifests) {
    const rt = ctx.types.byKind(m.apiVersion, m.kind);
    const live = rt && ctx.store.get(typeKey(rt.group, rt.resource), app, m.metadata.name);
    if (!rt || !live) continue;
    const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
    const id = trackingId(app, { group, version, kind: m.kind, namespace: app, name: m.metadata.name });
    ctx.store.update(rt, {
      ...live,
      metadata: { ...live.metadata, annotations: { ...(live.metadata.annotations ?? {}), [TRACKING_ID]: id } },
    });
  }
}

/** Registers the repository, tracks the deployed objects and creates the Applications (after their workloads). */
export function loadArgoDemo(ctx: SimContext): void {
  registerRepo(ctx, demoRepo());
  const admin = { username: 'admin' };
  const shop = [frontend, checkout('4.2.0-does-not-exist'), svc('frontend', 80, 'http')];
  const payments = [paymentsApi, paymentsWorker, svc('payments-api', 443, 'https', 'https')];
  const monitoring = [blackbox, svc('blackbox-exporter', 9115, 9115)];
  // Deployed from Git before the demo starts: live as the app's last sync left them.
  for (const m of monitoring) put(ctx, { ...m, metadata: { ...m.metadata, namespace: 'monitoring' } });
  markTracked(ctx, 'shop', shop);
  markTracked(ctx, 'payments', payments);
  markTracked(ctx, 'monitoring', monitoring);
  // Left behind when the flags left Git: the sync that followed did not prune.
  put(ctx, {
    ...legacyFlags,
    metadata: {
      ...legacyFlags.metadata,
      namespace: 'payments',
      annotations: {
        [TRACKING_ID]: trackingId('payments', {
          group: '',
          version: 'v1',
          kind: 'ConfigMap',
          namespace: 'payments',
          name: 'payments-legacy-flags',
        }),
      },
    },
  });
  put(
    ctx,
    application(
      'shop',
      'apps/shop',
      [
        { sha: C.shopFirst, days: 30, by: admin },
        { sha: C.checkout42, days: 2, by: admin },
      ],
      { manifests: shop },
    ),
  );
  put(
    ctx,
    application(
      'payments',
      'apps/payments',
      [
        { sha: C.payments, days: 12, by: admin },
        { sha: C.dropFlags, days: 5, by: admin },
      ],
      { manifests: payments, skipped: [{ ...legacyFlags }] },
    ),
  );
  put(
    ctx,
    application('monitoring', 'platform/monitoring', [{ sha: C.monitoring, days: 40, by: { automated: true } }], {
      automated: true,
      manifests: monitoring,
    }),
  );
}
