// Custom apps: an image deployed as a labelled Deployment (plus a Service for its port), listed and deleted by that
// label so KubeGraf never touches workloads it did not create this way.
import type { DeleteResult } from '../../shared/routes/resources';
import { toYaml } from '../kube/actions';
import type { KObject } from '../kube/descriptors';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import type { Params } from './util';

export const CUSTOM_LABEL = 'app.kubernetes.io/managed-by';
export const CUSTOM_VALUE = 'kubegraf-custom-app';

type CustomApp = {
  name: string;
  namespace: string;
  image: string;
  port?: number;
  replicas?: number;
  env?: Record<string, string>;
};

/** A Deployment (and a Service when a port is given), labelled as KubeGraf's custom app. */
export function customAppObjects(p: CustomApp): KObject[] {
  const labels = { app: p.name, [CUSTOM_LABEL]: CUSTOM_VALUE };
  const container: Record<string, unknown> = { name: p.name, image: p.image };
  if (p.port) container.ports = [{ containerPort: p.port }];
  if (p.env) container.env = Object.entries(p.env).map(([name, value]) => ({ name, value }));
  const out: KObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: p.name, namespace: p.namespace, labels },
      spec: {
        replicas: p.replicas ?? 1,
        selector: { matchLabels: { app: p.name } },
        template: { metadata: { labels: { app: p.name } }, spec: { containers: [container] } },
      },
    },
  ];
  if (p.port)
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: p.name, namespace: p.namespace, labels },
      spec: { selector: { app: p.name }, ports: [{ port: p.port, targetPort: p.port }] },
    });
  return out;
}

/** The objects of a custom app as one YAML stream. */
export function customAppPreview(p: CustomApp) {
  const docs = customAppObjects(p);
  return { yaml: docs.map((d) => toYaml(d)).join('---\n'), objects: docs.length };
}

/** Previews every object (server dry run), then applies them unless `dryRun`. */
export async function deployCustomApp(deps: ApiDeps, p: Params<'customApps.deploy'>) {
  const a = deps.kube.actions(contextOf(deps, p.context));
  const docs = customAppObjects(p);
  for (const d of docs) await a.previewApply(toYaml(d), p.namespace);
  if (p.dryRun) return { applied: false, objects: docs.map((d) => `${d.kind}/${d.metadata.name}`) };
  for (const d of docs) await a.apply(toYaml(d), p.namespace);
  return { applied: true, objects: docs.map((d) => `${d.kind}/${d.metadata.name}`) };
}

/** The custom apps' Deployments with their image and replica counts. */
export async function listCustomApps(deps: ApiDeps, context: string | undefined, namespace?: string) {
  const deps_ = ((await objects(deps, context, 'deployments.apps', namespace)) ?? []).filter(
    (d) => d.metadata.labels?.[CUSTOM_LABEL] === CUSTOM_VALUE,
  );
  return deps_.map((d) => ({
    name: d.metadata.name,
    namespace: d.metadata.namespace ?? '',
    image: d.spec?.template?.spec?.containers?.[0]?.image ?? '',
    replicas: d.spec?.replicas ?? 1,
    ready: d.status?.readyReplicas ?? 0,
  }));
}

/** Refuses (400) a Deployment that does not carry the custom-app label. */
export async function assertCustomApp(deps: ApiDeps, p: Params<'customApps.delete'>): Promise<void> {
  const dep = await deps.kube.actions(contextOf(deps, p.context)).get('deployments.apps', p.namespace, p.name);
  if (dep.metadata.labels?.[CUSTOM_LABEL] !== CUSTOM_VALUE)
    throw new ApiError(
      'badRequest',
      `${p.namespace}/${p.name} is not a custom app (it lacks ${CUSTOM_LABEL}=${CUSTOM_VALUE})`,
      400,
    );
}

/** After the Deployment: its Service, when it is the custom app's own, deleted and added to `out`. */
export async function deleteCustomAppService(
  deps: ApiDeps,
  p: Params<'customApps.delete'>,
  out: DeleteResult,
): Promise<DeleteResult> {
  const a = deps.kube.actions(contextOf(deps, p.context));
  const svc = await a.get('services', p.namespace, p.name).catch(() => undefined);
  if (svc?.metadata.labels?.[CUSTOM_LABEL] === CUSTOM_VALUE) {
    if (!p.dryRun) await a.delete('services', p.namespace, p.name);
    out.deleted.push({ namespace: p.namespace, name: p.name });
  }
  return out;
}
