// Handlers of the generic per-kind routes, generated from RESOURCE_KINDS (the shared table of kinds) like the routes.
import type { ObjectKey } from '../../shared/kube';
import type { Caller, Handlers } from '../../shared/route';
import {
  RESOURCE_ROUTES,
  RESOURCE_ROUTE_INFO,
  type ActionResult,
  type BulkResult,
  type DeleteResult,
  type DescribeResult,
  type ManifestApplyResult,
  type ResourceDetails,
  type ResourceList,
  type UpdateResult,
  type YamlResult,
} from '../../shared/routes/resources';
import { toYaml } from '../kube/actions';
import { kindById } from '../../shared/kinds';
import { kindId, toKindDto, type KObject, type KindDescriptor } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import { parseOneManifest } from '../kube/manifests';
import { matchesSelector } from '../kube/objectIndex';
import { contextOf, nsFor, parseLabelSelector } from './common';
import type { ApiDeps } from './deps';
import { badRequest } from './errors';
import { isSecretKind, maskSecret, toEventRow, toRow, unmaskSecret } from './rows';

type P = Record<string, unknown> & { context?: string; namespace?: string; name?: string };

export async function listKind(
  deps: ApiDeps,
  kind: string,
  p: { context?: string; namespace?: string; labelSelector?: string },
): Promise<ResourceList> {
  const context = contextOf(deps, p.context);
  const { cache, kind: d } = await deps.lists.cache(context, kind, p.namespace || undefined);
  let objs = p.namespace && d.namespaced ? cache.index.inNamespace(p.namespace) : cache.list();
  if (p.labelSelector) {
    const sel = parseLabelSelector(p.labelSelector);
    objs = objs.filter((o) => matchesSelector(o.metadata.labels, sel));
  }
  const now = Date.now();
  const items = objs.map((o) => toRow(d, o, now));
  items.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
  const s = cache.status;
  const out: ResourceList = { kind: kindId(d), columns: toKindDto(d).columns, items, live: s.live, stale: s.stale };
  if (s.resourceVersion) out.resourceVersion = s.resourceVersion;
  if (s.error) out.error = s.error;
  return out;
}

const eventsNewestFirst = (evs: KObject[]) =>
  evs.map(toEventRow).sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));

type Actions = ReturnType<ApiDeps['kube']['actions']>;

/** The fields a kind's details add to its row (core behaviour per kind, keyed by kind id like the columns). */
const DETAIL_FIELDS: Record<string, (o: KObject, a: Actions, ns: string) => Promise<Record<string, unknown>>> = {
  services: async (o, a, ns) => {
    const ep = await a.get('endpoints', ns, o.metadata.name).catch(() => undefined);
    const endpoints: string[] = [];
    for (const sub of (ep?.subsets ?? []) as Array<{
      addresses?: Array<{ ip: string }>;
      ports?: Array<{ port: number }>;
    }>) {
      for (const ad of sub.addresses ?? [])
        for (const pt of sub.ports ?? [{ port: 0 }]) endpoints.push(pt.port ? `${ad.ip}:${pt.port}` : ad.ip);
    }
    return {
      type: o.spec?.type ?? 'ClusterIP',
      clusterIP: o.spec?.clusterIP,
      ports: o.spec?.ports ?? [],
      selector: o.spec?.selector ?? {},
      endpoints,
    };
  },
  pods: async (o) => {
    const statuses = (o.status?.containerStatuses ?? []) as Array<{
      name: string;
      ready: boolean;
      restartCount: number;
      state?: Record<string, unknown>;
    }>;
    const containers = ((o.spec?.containers ?? []) as Array<{ name: string; image: string; ports?: unknown }>).map(
      (c) => {
        const st = statuses.find((s) => s.name === c.name);
        return {
          name: c.name,
          image: c.image,
          ports: c.ports ?? [],
          ready: st?.ready ?? false,
          restartCount: st?.restartCount ?? 0,
          state: st?.state ? Object.keys(st.state)[0] : 'waiting',
        };
      },
    );
    return { containers, phase: o.status?.phase, nodeName: o.spec?.nodeName, podIP: o.status?.podIP };
  },
};

export async function detailsOf(deps: ApiDeps, kind: string, p: P & { reveal?: string }): Promise<ResourceDetails> {
  const context = contextOf(deps, p.context);
  const d = deps.kube.descriptor(context, kind);
  const a = deps.kube.actions(context);
  const ns = nsFor(d, p.namespace);
  const o = await a.get(kindId(d), ns, p.name!);
  delete o.metadata.managedFields;
  const shown = isSecretKind(d) ? maskSecret(o, p.reveal) : { object: o };
  const out: ResourceDetails = {
    ...toRow(d, o),
    kind: d.kind,
    apiVersion: o.apiVersion,
    annotations: (shown.object as KObject).metadata.annotations ?? {},
    object: shown.object,
    events: eventsNewestFirst(await a.eventsFor(o).catch(() => [])),
  };
  if (shown.revealed) out.revealed = shown.revealed;
  const id = kindId(d);
  if (kindById(id)?.relatedPods) {
    const pods = await a.podsOf(id, ns!, p.name!).catch(() => [] as KObject[]);
    const pd = deps.kube.descriptor(context, 'pods');
    out.pods = pods.map((x) => toRow(pd, x));
  }
  Object.assign(out, await DETAIL_FIELDS[id]?.(o, a, ns!));
  return out;
}

export async function yamlOf(deps: ApiDeps, kind: string, p: P & { reveal?: string }): Promise<YamlResult> {
  const context = contextOf(deps, p.context);
  const d = deps.kube.descriptor(context, kind);
  const ns = nsFor(d, p.namespace);
  const o = await deps.kube.actions(context).get(kindId(d), ns, p.name!);
  delete o.metadata.managedFields;
  const out: YamlResult = { name: o.metadata.name, yaml: '' };
  if (ns) out.namespace = ns;
  if (isSecretKind(d)) {
    const m = maskSecret(o, p.reveal);
    out.yaml = toYaml(m.object);
    if (p.reveal !== undefined && !m.revealed)
      throw new KubeError('notFound', `secret ${ns}/${p.name} has no key "${p.reveal}"`);
    if (m.revealed) out.revealed = m.revealed;
  } else out.yaml = toYaml(o);
  return out;
}

export async function describeOf(deps: ApiDeps, kind: string, p: P): Promise<DescribeResult> {
  const context = contextOf(deps, p.context);
  const d = deps.kube.descriptor(context, kind);
  const ns = nsFor(d, p.namespace);
  const text = await deps.kube.actions(context).describe(kindId(d), ns, p.name!);
  return ns ? { name: p.name!, namespace: ns, describe: text } : { name: p.name!, describe: text };
}

/** Applies edited YAML for one kind: the document must be that kind (and that object when name is given). */
export async function updateOf(
  deps: ApiDeps,
  kind: string,
  p: P & { yaml: string; dryRun?: boolean },
): Promise<UpdateResult> {
  const context = contextOf(deps, p.context);
  const d = deps.kube.descriptor(context, kind);
  const a = deps.kube.actions(context);
  const obj = parseOneManifest(p.yaml);
  const yd = deps.kube.descriptor(context, String(obj.kind));
  if (kindId(yd) !== kindId(d)) throw badRequest(`this route edits ${d.kind} objects; the YAML is a ${obj.kind}`);
  if (p.name && obj.metadata.name !== p.name)
    throw badRequest(`the YAML is for "${obj.metadata.name}", not "${p.name}"`);
  if (d.namespaced) {
    if (p.namespace && obj.metadata.namespace && obj.metadata.namespace !== p.namespace)
      throw badRequest(`the YAML is in namespace "${obj.metadata.namespace}", not "${p.namespace}"`);
    obj.metadata.namespace ??= p.namespace ?? 'default';
  }
  if (isSecretKind(d)) {
    const stored = await a.get('secrets', obj.metadata.namespace, obj.metadata.name).catch((e: KubeError) => {
      if (e.code === 'notFound') return undefined;
      throw e;
    });
    unmaskSecret(obj, stored);
  }
  const text = toYaml(obj);
  const preview = await a.previewApply(text, obj.metadata.namespace);
  const mask = (o: KObject) => (isSecretKind(d) ? maskSecret(o).object : o);
  if (p.dryRun || !preview.changed) {
    if (isSecretKind(d)) preview.diff = preview.changed ? '(secret values are not shown)' : '';
    return { applied: false, preview };
  }
  const applied = await a.apply(text, obj.metadata.namespace);
  delete applied.metadata.managedFields;
  if (isSecretKind(d)) preview.diff = '(secret values are not shown)';
  return { applied: true, preview, object: mask(applied) };
}

const keyOf = (ns: string | undefined, name: string): ObjectKey => (ns ? { namespace: ns, name } : { name });

export async function deleteOf(
  deps: ApiDeps,
  kind: string,
  p: P & { dryRun?: boolean; gracePeriodSeconds?: number },
): Promise<DeleteResult> {
  const context = contextOf(deps, p.context);
  const d = deps.kube.descriptor(context, kind);
  const a = deps.kube.actions(context);
  const ns = nsFor(d, p.namespace);
  const label = `${d.kind} ${ns ? `${ns}/` : ''}${p.name}`;
  if (p.dryRun) {
    await a.get(kindId(d), ns, p.name!);
    return { ok: true, message: `would delete ${label}`, deleted: [keyOf(ns, p.name!)], dryRun: true };
  }
  await a.delete(kindId(d), ns, p.name!, { gracePeriodSeconds: p.gracePeriodSeconds });
  return { ok: true, message: `deleted ${label}`, deleted: [keyOf(ns, p.name!)], dryRun: false };
}

type Items = Array<{ namespace?: string; name: string }>;

export async function bulkDeleteOf(
  deps: ApiDeps,
  kind: string,
  p: { context?: string; items: Items; dryRun?: boolean },
): Promise<BulkResult> {
  const context = contextOf(deps, p.context);
  const d = deps.kube.descriptor(context, kind);
  const a = deps.kube.actions(context);
  const items = p.items.map((i) => ({ kind: kindId(d), namespace: nsFor(d, i.namespace), name: i.name }));
  if (!p.dryRun) return a.deleteMany(items);
  const res: BulkResult = { deleted: [], failed: [], dryRun: true };
  for (const i of items) {
    try {
      await a.get(i.kind, i.namespace, i.name);
      res.deleted.push(keyOf(i.namespace, i.name));
    } catch (e) {
      res.failed.push({
        key: keyOf(i.namespace, i.name),
        error: (e as KubeError).toDto?.() ?? { code: 'unknown', message: String(e) },
      });
    }
  }
  return res;
}

async function restartOne(
  deps: ApiDeps,
  context: string,
  d: KindDescriptor,
  ns: string,
  name: string,
  force?: boolean,
): Promise<string> {
  return deps.kube.actions(context).restartObject(kindId(d), ns, name, undefined, { force });
}

function handlersFor(): Handlers<typeof RESOURCE_ROUTES, ApiDeps> {
  const out: Record<string, (p: never, deps: ApiDeps, c: Caller) => Promise<unknown>> = {};
  for (const [id, { entry, op }] of Object.entries(RESOURCE_ROUTE_INFO)) {
    const kind = entry.kind;
    const h = async (p: P, deps: ApiDeps): Promise<unknown> => {
      switch (op) {
        case 'list':
          return listKind(deps, kind, p);
        case 'details':
          return detailsOf(deps, kind, p as P & { reveal?: string });
        case 'yaml':
          return yamlOf(deps, kind, p as P & { reveal?: string });
        case 'describe':
          return describeOf(deps, kind, p);
        case 'update':
          return updateOf(deps, kind, p as P & { yaml: string });
        case 'delete':
          return deleteOf(deps, kind, p);
        case 'bulkDelete':
          return bulkDeleteOf(deps, kind, p as unknown as { items: Items });
        case 'scale': {
          const context = contextOf(deps, p.context);
          await deps.kube.actions(context).scale(kind, p.namespace!, p.name!, p.replicas as number);
          return {
            ok: true,
            message: `scaled ${entry.one} ${p.namespace}/${p.name} to ${p.replicas}`,
            replicas: p.replicas,
          } satisfies ActionResult;
        }
        case 'restart': {
          const context = contextOf(deps, p.context);
          const d = deps.kube.descriptor(context, kind);
          return {
            ok: true,
            message: await restartOne(deps, context, d, p.namespace!, p.name!, p.force as boolean | undefined),
          } satisfies ActionResult;
        }
        case 'bulkRestart': {
          const context = contextOf(deps, p.context);
          const d = deps.kube.descriptor(context, kind);
          const res: BulkResult = { deleted: [], failed: [], restarted: [] };
          for (const i of p.items as Items) {
            try {
              await restartOne(deps, context, d, nsFor(d, i.namespace)!, i.name);
              res.restarted!.push(keyOf(i.namespace, i.name));
            } catch (e) {
              const k =
                e instanceof KubeError ? e.toDto() : { code: 'badRequest' as const, message: (e as Error).message };
              res.failed.push({ key: keyOf(i.namespace, i.name), error: k });
            }
          }
          return res;
        }
        case 'rollback': {
          const context = contextOf(deps, p.context);
          const rev = await deps.kube
            .actions(context)
            .rollback(kind, p.namespace!, p.name!, p.revision as number | undefined);
          return {
            ok: true,
            message: `rolled ${entry.one} ${p.namespace}/${p.name} back to revision ${rev}`,
            revision: rev,
          } satisfies ActionResult;
        }
      }
    };
    out[id] = h as never;
  }
  return out as unknown as Handlers<typeof RESOURCE_ROUTES, ApiDeps>;
}

/** `POST /api/manifests/apply`: every object of the YAML, server-side applied (or reviewed with dryRun). */
export async function applyManifestsOf(
  deps: ApiDeps,
  p: { context?: string; yaml: string; namespace?: string; dryRun?: boolean; force?: boolean },
): Promise<ManifestApplyResult> {
  const context = contextOf(deps, p.context);
  const r = await deps.kube
    .actions(context)
    .applyManifests(p.yaml, { dryRun: p.dryRun === true, defaultNamespace: p.namespace, force: p.force === true });
  return { context, dryRun: p.dryRun === true, ...r };
}

export const RESOURCE_HANDLERS: Handlers<typeof RESOURCE_ROUTES, ApiDeps> = {
  ...handlersFor(),
  'manifests.apply': (p, deps) => applyManifestsOf(deps, p),
};
