// CustomResourceDefinitions become served types: a CRD object in the store adds a row to the type
// registry for its storage version, and deleting the CRD removes it (and its objects).
import type { SimContext } from './context';
import type { ResourceType, SubresourceDef } from './kinds';
import { typeKey } from './kinds';
import type { KObj } from './store';

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The served type for a CRD: its storage version (or first served one), names, scope and subresources. */
export function crdToType(crd: KObj): ResourceType {
  const spec = crd.spec ?? {};
  const versions = (spec.versions ?? []) as Array<{
    name: string;
    served?: boolean;
    storage?: boolean;
    subresources?: { status?: unknown; scale?: unknown };
  }>;
  const v: (typeof versions)[number] = versions.find((x) => x.storage) ??
    versions.find((x) => x.served !== false) ?? { name: spec.version ?? 'v1' };
  const names = spec.names ?? {};
  const subresources: SubresourceDef[] = [];
  const sub = v.subresources ?? spec.subresources ?? {};
  if (sub.status) subresources.push({ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] });
  if (sub.scale)
    subresources.push({
      name: 'scale',
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
      verbs: ['get', 'patch', 'update'],
    });
  return {
    group: spec.group,
    version: v.name,
    resource: names.plural,
    kind: names.kind,
    singular: names.singular ?? String(names.kind ?? '').toLowerCase(),
    namespaced: spec.scope !== 'Cluster',
    ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
    ...(names.categories?.length ? { categories: names.categories } : {}),
    verbs: RW,
    ...(subresources.length ? { subresources } : {}),
  };
}

const CRD_TK = 'apiextensions.k8s.io/customresourcedefinitions';

/** Keeps the type registry in step with CRD objects, including those already in the store. */
export function installCrds(ctx: SimContext): void {
  const served = new Map<string, ResourceType>(); // CRD name -> type it added
  const add = (crd: KObj) => {
    const rt = crdToType(crd);
    if (!rt.group || !rt.resource || !rt.kind) return;
    const prev = served.get(crd.metadata.name);
    if (prev && (prev.version !== rt.version || prev.resource !== rt.resource))
      ctx.types.remove(prev.group, prev.version, prev.resource);
    served.set(crd.metadata.name, rt);
    ctx.types.add(rt);
    markEstablished(ctx, crd);
  };
  for (const crd of ctx.store.iterate(CRD_TK)) add(crd);
  const off = ctx.store.onChange((e) => {
    if (e.tk !== CRD_TK) return;
    if (e.type !== 'DELETED') return add(e.object);
    const rt = served.get(e.object.metadata.name);
    if (!rt) return;
    served.delete(e.object.metadata.name);
    const tk = typeKey(rt.group, rt.resource);
    const rtNow = ctx.types.get(rt.group, rt.version, rt.resource);
    if (rtNow)
      for (const o of [...ctx.store.iterate(tk)]) ctx.store.remove(rtNow, o.metadata.namespace, o.metadata.name);
    ctx.types.remove(rt.group, rt.version, rt.resource);
  });
  ctx.onClose(off);
}

/** Reports the CRD Established and its names accepted, as the apiextensions controller does. */
function markEstablished(ctx: SimContext, crd: KObj): void {
  if ((crd.status?.conditions ?? []).some((c: KObj) => c.type === 'Established' && c.status === 'True')) return;
  const rt = ctx.types.get('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  if (!rt) return;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  setImmediate(() => {
    const cur = ctx.store.get(CRD_TK, undefined, crd.metadata.name);
    if (!cur) return;
    try {
      ctx.store.update(
        rt,
        {
          ...cur,
          status: {
            acceptedNames: cur.spec?.names ?? {},
            storedVersions: [crdToType(cur).version],
            conditions: [
              {
                type: 'NamesAccepted',
                status: 'True',
                reason: 'NoConflicts',
                message: 'no conflicts found',
                lastTransitionTime: now,
              },
              {
                type: 'Established',
                status: 'True',
                reason: 'InitialNamesAccepted',
                message: 'the initial names have been accepted',
                lastTransitionTime: now,
              },
            ],
          },
        },
        { subresource: 'status' },
      );
    } catch {
      // Deleted or changed meanwhile; the next event marks it.
    }
  });
}
