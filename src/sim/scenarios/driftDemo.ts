// The demo's drift story, written through the simulator's own admission path (defaults, then managedFields for the
// writer) so that every object carries the managedFields a real API server would have given it:
//  - shop/product-search (Deployment, Service, ConfigMap) created with `kubectl apply` six days ago (last-applied
//    annotation, manager kubectl-client-side-apply); two days ago someone ran `kubectl scale --replicas=2` (manager
//    kubectl-scale, through the scale subresource), and three hours ago `kubectl edit` changed the image to a hotfix
//    build and MODEL_VERSION (manager kubectl-edit). The Service and ConfigMap are untouched.
//  - The shop Helm release's objects, server-side applied by the helm manager when the release was deployed; shop-settings was then
//    edited by hand (`kubectl edit`: checkoutTimeout 45s → 90s), shop-feature-flags was not.
import type { SimContext } from '../context';
import { typeKey, type ResourceType } from '../kinds';
import { applyDefaults } from '../defaults';
import { recordUpdate } from '../managedFields';
import { applyPatch } from '../patch';
import type { KObj } from '../store';
import type { Json } from '../controllers/runtime';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const ago = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** Dates the entry `manager` just got (recordUpdate stamps now) as if the write happened `hours` ago. */
function backdate(o: KObj, manager: string, hours: number): void {
  for (const e of (o.metadata.managedFields ?? []) as Array<{ manager: string; time?: string }>)
    if (e.manager === manager) e.time = ago(hours);
}

function rtOf(ctx: SimContext, o: Json): ResourceType {
  const rt = ctx.types.byKind(o.apiVersion, o.kind);
  if (!rt) throw new Error(`driftDemo: no served type for ${o.apiVersion} ${o.kind}`);
  return rt;
}

/** `kubectl apply` of a new object (client-side): the manifest as the annotation, defaults, managedFields, create. */
function kubectlApply(ctx: SimContext, manifest: Json, hours: number): KObj {
  const rt = rtOf(ctx, manifest);
  const o = structuredClone(manifest) as KObj;
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(manifest) };
  applyDefaults(rt, o);
  recordUpdate(rt, undefined, o, 'kubectl-client-side-apply');
  backdate(o, 'kubectl-client-side-apply', hours);
  return ctx.store.create(rt, o);
}

/** An update by `manager` (optionally through a subresource), as the server's update path records it. */
function write(ctx: SimContext, next: KObj, manager: string, hours: number, subresource?: 'scale'): KObj {
  const rt = rtOf(ctx, next);
  const prev = ctx.store.get(typeKey(rt.group, rt.resource), next.metadata.namespace, next.metadata.name);
  if (!prev) throw new Error(`driftDemo: ${next.kind} ${next.metadata.name} is missing`);
  const o = structuredClone(next);
  if (!subresource) applyDefaults(rt, o);
  recordUpdate(rt, prev, o, manager, subresource ? { subresource } : {});
  backdate(o, manager, hours);
  return ctx.store.update(rt, o);
}

const productSearch: Json = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'product-search', namespace: 'shop', labels: { app: 'product-search', tier: 'backend' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'product-search' } },
    template: {
      metadata: { labels: { app: 'product-search', tier: 'backend' } },
      spec: {
        containers: [
          {
            name: 'product-search',
            image: 'ghcr.io/acme/product-search:1.4.0',
            ports: [{ containerPort: 8080, name: 'http' }],
            env: [
              { name: 'MODEL_VERSION', value: 'v3' },
              { name: 'CATALOG_URL', value: 'http://catalog:8080' },
            ],
            resources: { requests: { cpu: '0.1', memory: '128Mi' }, limits: { memory: '0.25Gi' } },
          },
        ],
      },
    },
  },
};

const productSearchSvc: Json = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'product-search', namespace: 'shop', labels: { app: 'product-search' } },
  spec: { selector: { app: 'product-search' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
};

const productSearchConfig: Json = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'product-search-config', namespace: 'shop' },
  data: { 'ranking.yaml': 'strategy: hybrid\nmaxItems: 12\n', cacheTtl: '300' },
};

export function loadDriftDemo(ctx: SimContext): void {
  kubectlApply(ctx, productSearchSvc, 24 * 6);
  kubectlApply(ctx, productSearchConfig, 24 * 6);
  let d = kubectlApply(ctx, productSearch, 24 * 6);
  // kubectl scale deployment product-search --replicas=2 (the scale subresource, manager kubectl-scale).
  d = write(ctx, { ...d, spec: { ...d.spec, replicas: 2 } }, 'kubectl-scale', 48, 'scale');
  // kubectl edit: a hotfix image and a new model version, straight into the live object.
  const edited = structuredClone(d);
  const c = edited.spec.template.spec.containers[0];
  c.image = 'ghcr.io/acme/product-search:1.4.1-hotfix';
  c.env = c.env.map((e: Json) => (e.name === 'MODEL_VERSION' ? { ...e, value: 'v4' } : e));
  write(ctx, edited, 'kubectl-edit', 3);

  // The shop Helm release's objects as Helm left them: server-side applied by the helm manager (as KubeGraf's native
  // rollback applies them too, so a rollback prunes what the target revision no longer sets), then one edited by hand.
  for (const name of ['shop-settings', 'shop-feature-flags', 'shop-orders-archive']) {
    const cm = ctx.store.get('configmaps', 'shop', name);
    if (!cm) continue;
    const rt = rtOf(ctx, cm);
    const { apiVersion, kind, metadata, data } = cm;
    const config = {
      apiVersion,
      kind,
      metadata: { name, namespace: 'shop', labels: metadata.labels, annotations: metadata.annotations },
      data,
    };
    const applied = applyPatch(cm, Buffer.from(JSON.stringify(config)), 'application/apply-patch+yaml', rt, {
      fieldManager: 'helm',
      force: true,
      now: ago(24 * 3),
    });
    ctx.store.update(rt, applied);
  }
  const settings = ctx.store.get('configmaps', 'shop', 'shop-settings');
  if (settings) write(ctx, { ...settings, data: { ...settings.data, checkoutTimeout: '90s' } }, 'kubectl-edit', 5);
}
