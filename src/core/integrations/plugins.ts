// Plugins: which integrations the cluster has (Helm releases, CRD groups, in-cluster services, GPU nodes) and which
// the user turned on or off. A plugin that is off refuses its routes (pluginRefusal, applied by the faces' dispatch)
// and its pages leave the app's navigation; the cluster is not touched either way.
import { PLUGINS, pluginByName, pluginEnabled, pluginOfRoute, type PluginDef } from '../../shared/plugins';
import { ROUTES } from '../../shared/routeTable';
import type { ActionResult } from '../../shared/routes/resources';
import type { PluginRow } from '../../shared/routes/integrations';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import { gpuNodes } from './gpu';
import { serviceStatus } from './catalog';
import { releaseSecrets } from './helm';
import type { Params } from './util';

/** The CRD groups each CRD-backed integration serves (any one is enough). */
export const CRD_GROUPS: Record<string, readonly string[]> = {
  argocd: ['argoproj.io'],
  'cert-manager': ['cert-manager.io'],
  kserve: ['serving.kserve.io'],
  kubeflow: ['kubeflow.org', 'trainer.kubeflow.org'],
};

/** Which CRD-backed integrations the context serves, by plugin name. */
export function crdIntegrations(deps: ApiDeps, context: string): Record<string, boolean> {
  const groups = new Set(deps.kube.kinds(context).map((k) => k.group));
  return Object.fromEntries(
    Object.entries(CRD_GROUPS).map(([name, gs]) => [name, gs.some((g) => groups.has(g))] as const),
  );
}

/** The settings' plugin switches (`{argocd: false}`); absent means on. */
export async function pluginSwitches(deps: ApiDeps): Promise<Record<string, boolean>> {
  const s = (await deps.settings.get()).plugins;
  return Object.fromEntries(
    PLUGINS.map((p) => [p.name, pluginEnabled(s as Record<string, unknown> | undefined, p.name)]),
  );
}

async function detect(
  deps: ApiDeps,
  ctx: string,
  p: PluginDef,
  crds: Record<string, boolean>,
): Promise<{ detected: boolean; message: string }> {
  switch (p.name) {
    case 'helm': {
      // Release names from the Secrets' labels: no decoding, so the app can ask often.
      const names = new Set(
        (await releaseSecrets(deps, ctx)).map((s) => `${s.metadata.namespace}/${s.metadata.labels?.name ?? ''}`),
      );
      return names.size
        ? { detected: true, message: `${names.size} Helm release${names.size === 1 ? '' : 's'} in this cluster` }
        : { detected: false, message: 'No Helm releases in this cluster yet' };
    }
    case 'kiali':
    case 'mlflow':
    case 'feast': {
      const s = await serviceStatus(deps, ctx, p.name);
      return { detected: s.installed, message: s.message };
    }
    case 'gpu': {
      const n = gpuNodes((await objects(deps, ctx, 'nodes')) ?? [], []).length;
      return n
        ? { detected: true, message: `${n} GPU node${n === 1 ? '' : 's'}` }
        : { detected: false, message: 'No node advertises nvidia.com/gpu' };
    }
    default: {
      const groups = CRD_GROUPS[p.name] ?? [];
      return crds[p.name]
        ? { detected: true, message: `${p.title} CRDs found (${groups.join(', ')})` }
        : { detected: false, message: `${p.title} is not installed (no ${groups.join(' or ')} CRDs)` };
    }
  }
}

/** Each known plugin: on or off (on unless turned off), whether the cluster has what it works with, and what it owns. */
export async function listPlugins(deps: ApiDeps, context: string | undefined): Promise<PluginRow[]> {
  const ctx = contextOf(deps, context);
  const on = await pluginSwitches(deps);
  const crds = crdIntegrations(deps, ctx);
  return Promise.all(
    PLUGINS.map(async (p) => {
      const d = await detect(deps, ctx, p, crds).catch((e: Error) => ({
        detected: false,
        message: `Could not check: ${e.message}`,
      }));
      return {
        name: p.name,
        title: p.title,
        description: p.description,
        enabled: on[p.name],
        ...d,
        pages: [...p.pages],
        routes: [...new Set(p.routes.map((r) => `${ROUTES[r].method} ${ROUTES[r].path}`))],
        ...(p.app ? { app: p.app } : {}),
      };
    }),
  );
}

/** Turns a plugin on or off in the settings; an unknown plugin is a 404 naming the known ones. */
export async function enablePlugin(deps: ApiDeps, p: Params<'plugins.enable'>): Promise<ActionResult> {
  const def = pluginByName(p.name);
  if (!def)
    throw new ApiError(
      'notFound',
      `no plugin named "${p.name}"; known plugins: ${PLUGINS.map((x) => x.name).join(', ')}`,
      404,
    );
  const on = p.enabled ?? true;
  const s = await deps.settings.get();
  await deps.settings.save({ plugins: { ...((s.plugins ?? {}) as object), [def.name]: on } });
  return {
    ok: true,
    message: on
      ? `${def.title} is on: its pages and routes are back`
      : `${def.title} is off: its pages are hidden and its routes refused`,
  };
}

/** Why a route may not run now (its plugin is off), or undefined. */
export async function pluginRefusal(deps: ApiDeps, routeId: string): Promise<ApiError | undefined> {
  const p = pluginOfRoute(routeId);
  if (!p) return undefined;
  const s = (await deps.settings.get()).plugins as Record<string, unknown> | undefined;
  if (pluginEnabled(s, p.name)) return undefined;
  return new ApiError(
    'pluginDisabled',
    `The ${p.title} plugin is turned off in this workbench, so ${ROUTES[routeId as keyof typeof ROUTES].path} is not served; turn it on in Plugins (POST /api/plugins/enable {"name":"${p.name}","enabled":true})`,
    403,
  );
}
