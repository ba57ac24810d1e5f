// Plugins: which integrations the cluster has (Helm releases, CRD groups) and which the user turned on or off.
import type { ActionResult } from '../../shared/routes/resources';
import { contextOf } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { listReleases } from './helm';
import type { Params } from './util';

/** Each known plugin, detected from the cluster; enabled as the settings say, else when detected. */
export async function listPlugins(deps: ApiDeps, context: string | undefined) {
  const s = await deps.settings.get();
  const enabled = (s.plugins ?? {}) as Record<string, boolean>;
  const ctx = contextOf(deps, context);
  const kinds = deps.kube.kinds(ctx);
  const has = (g: string) => kinds.some((k) => k.group === g);
  const helm = (await listReleases(deps, context)).length;
  const rows = [
    { name: 'helm', detected: helm > 0, message: `${helm} Helm release(s)` },
    {
      name: 'argocd',
      detected: has('argoproj.io'),
      message: has('argoproj.io') ? 'Argo CD CRDs found' : 'Argo CD not installed',
    },
    {
      name: 'cert-manager',
      detected: has('cert-manager.io'),
      message: has('cert-manager.io') ? 'cert-manager CRDs found' : 'cert-manager not installed',
    },
    {
      name: 'kserve',
      detected: has('serving.kserve.io'),
      message: has('serving.kserve.io') ? 'KServe CRDs found' : 'KServe not installed',
    },
  ];
  return rows.map((r) => ({ ...r, enabled: enabled[r.name] ?? r.detected }));
}

/** Turns a plugin on or off in the settings. */
export async function enablePlugin(deps: ApiDeps, p: Params<'plugins.enable'>): Promise<ActionResult> {
  const s = await deps.settings.get();
  await deps.settings.save({ plugins: { ...((s.plugins ?? {}) as object), [p.name]: p.enabled ?? true } });
  return { ok: true, message: `plugin ${p.name} ${p.enabled === false ? 'disabled' : 'enabled'}` };
}
