// Multi-document manifests applied the way `kubectl apply --server-side --field-manager=kubegraf` does: each object
// dry-run first for its diff and action, then for real; a failure stays on its object and the others go ahead.
import { createTwoFilesPatch } from 'diff';
import type { ManifestObjectResult } from '../../shared/routes/resources';
import type { Connection } from './connection';
import { kindId, resourcePath, type KObject } from './descriptors';
import { KubeError, guarded, toKubeError } from './errors';
import { applyOrder, parseManifests } from './manifests';
import { FIELD_MANAGER, forDiff, toYaml } from './writes';

export interface ApplyManifestsOptions {
  /** Server-side dry runs only: diffs and actions, nothing stored. */
  dryRun?: boolean;
  /** For namespaced objects that name none (default "default"). */
  defaultNamespace?: string;
  /** Take over fields other managers own (kubectl --force-conflicts). */
  force?: boolean;
  /** The field manager that applies (default `kubegraf`); a Helm rollback applies as `helm`. */
  fieldManager?: string;
  /** Send the apply even when it changes no value, to take ownership of the fields it names. */
  claim?: boolean;
  /**
   * Adjusts the server's dry-run answer for an object before it is diffed (`obj`: the applied object): a Helm rollback
   * preview removes what the current revision set and the target does not, which the server prunes only on the real
   * apply (once the fields are owned).
   */
  adjustDryRun?: (obj: KObject, dry: KObject) => KObject;
}

/** One server-side apply PATCH (dryRun: the server computes the result and stores nothing). */
function ssa(
  conn: Connection,
  path: string,
  obj: KObject,
  o: { dryRun: boolean; force?: boolean; fieldManager?: string },
): Promise<KObject> {
  return guarded(() =>
    conn.http.json<KObject>(path, {
      method: 'PATCH',
      body: JSON.stringify(obj),
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: o.fieldManager ?? FIELD_MANAGER,
        force: o.force ? 'true' : undefined,
        dryRun: o.dryRun ? 'All' : undefined,
      },
    }),
  );
}

/**
 * Applies every object of a multi-document manifest the way `kubectl apply --server-side --field-manager=kubegraf`
 * does: namespaces and CRDs first, then the rest in order; each object is first applied as a server-side dry run to
 * get its diff and action, then (unless `dryRun`) for real. A failure is reported on its object and the others still
 * go ahead, as with kubectl. A malformed manifest fails as a whole (badRequest naming the document) before anything
 * is sent.
 */
export async function applyManifests(
  conn: Connection,
  yamlText: string,
  o: ApplyManifestsOptions = {},
): Promise<{ results: ManifestObjectResult[]; applied: number; failed: number }> {
  const items = applyOrder(parseManifests(yamlText));
  const dryRun = o.dryRun === true;
  const defaultNs = o.defaultNamespace || 'default';
  const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
  const versionOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion);
  const resolve = (obj: KObject) => {
    const d = conn.registry.resolve(String(obj.kind), String(obj.apiVersion));
    return d && d.kind === obj.kind && d.group === groupOf(String(obj.apiVersion)) ? d : undefined;
  };
  if (items.some((it) => !resolve(it.obj))) await conn.discoverCrds();
  // Kinds and namespaces this manifest brings: a dry run cannot ask the server about their contents yet.
  const crdKinds = new Set(
    items
      .filter((it) => it.obj.kind === 'CustomResourceDefinition')
      .map(
        (it) =>
          `${(it.obj.spec as { group?: string } | undefined)?.group ?? ''}/${(it.obj.spec as { names?: { kind?: string } } | undefined)?.names?.kind ?? ''}`,
      ),
  );
  const newNamespaces = new Set<string>();
  let crdsApplied = false;
  const results: ManifestObjectResult[] = [];

  for (const { doc, line, obj } of items) {
    const r: ManifestObjectResult = {
      doc,
      line,
      kind: String(obj.kind),
      apiVersion: String(obj.apiVersion),
      name: obj.metadata.name,
      action: 'failed',
      diff: '',
    };
    results.push(r);
    let d = resolve(obj);
    if (!d && crdsApplied) {
      // A CRD this manifest just created: its kind is served once the API server has established it.
      for (let i = 0; i < 10 && !d; i++) {
        await conn.discoverCrds();
        d = resolve(obj);
        if (!d) await new Promise((res) => setTimeout(res, 300));
      }
    }
    const fromCrd = crdKinds.has(`${groupOf(r.apiVersion)}/${r.kind}`);
    if (!d) {
      if (dryRun && fromCrd) {
        if (obj.metadata.namespace === undefined && o.defaultNamespace) obj.metadata.namespace = defaultNs;
        r.namespace = obj.metadata.namespace;
        r.action = 'created';
        r.diff = createTwoFilesPatch(`${r.kind}/${r.name} (live)`, `${r.kind}/${r.name} (applied)`, '', toYaml(obj));
        r.note = `the ${r.kind} kind is defined by a CustomResourceDefinition in this manifest; the server checks this object when it is applied`;
      } else {
        r.error = {
          code: 'invalid',
          message: `unknown kind "${r.apiVersion} ${r.kind}": the cluster serves no such resource${fromCrd ? ' (its CustomResourceDefinition is in this manifest but is not established yet)' : ' (is its CustomResourceDefinition installed?)'}`,
        };
      }
      continue;
    }
    if (d.namespaced) obj.metadata.namespace ??= defaultNs;
    else delete obj.metadata.namespace;
    r.namespace = obj.metadata.namespace;
    const path = resourcePath({ ...d, version: versionOf(r.apiVersion) }, obj.metadata.namespace, obj.metadata.name);
    const label = `${kindId(d)}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
    try {
      let live: KObject | undefined;
      try {
        live = await guarded(() => conn.http.json<KObject>(path));
      } catch (e) {
        if (toKubeError(e).code !== 'notFound') throw e;
      }
      let dry: KObject;
      try {
        dry = await ssa(conn, path, obj, { dryRun: true, force: o.force, fieldManager: o.fieldManager });
      } catch (e) {
        const k = toKubeError(e);
        if (dryRun && !live && k.code === 'notFound' && r.namespace && newNamespaces.has(r.namespace)) {
          r.action = 'created';
          r.diff = createTwoFilesPatch(`${label} (live)`, `${label} (applied)`, '', toYaml(obj));
          r.note = `namespace ${r.namespace} is created by this manifest; the server checks this object when it is applied`;
          continue;
        }
        throw k;
      }
      if (dryRun && o.adjustDryRun) dry = o.adjustDryRun(obj, dry);
      const a = live ? toYaml(forDiff(live)) : '';
      const b = toYaml(forDiff(dry));
      const action = !live ? 'created' : a === b ? 'unchanged' : 'configured';
      if (kindId(d) === 'secrets') {
        const keys = (x: KObject | undefined) => ({
          ...((x as { data?: Record<string, string> } | undefined)?.data ?? {}),
        });
        const was = keys(live);
        const now = keys(dry);
        const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])]
          .filter((k) => was[k] !== now[k])
          .sort();
        r.diff =
          action === 'unchanged'
            ? ''
            : `(secret values are not shown${changed.length ? `; keys changed: ${changed.join(', ')}` : ''})`;
      } else r.diff = action === 'unchanged' ? '' : createTwoFilesPatch(`${label} (live)`, `${label} (applied)`, a, b);
      if (!dryRun && (action !== 'unchanged' || o.claim))
        await ssa(conn, path, obj, { dryRun: false, force: o.force, fieldManager: o.fieldManager });
      r.action = action;
      if (action === 'created' && kindId(d) === 'namespaces') newNamespaces.add(r.name);
      if (!dryRun && action !== 'unchanged' && kindId(d) === 'customresourcedefinitions.apiextensions.k8s.io')
        crdsApplied = true;
    } catch (e) {
      r.action = 'failed';
      r.error = applyErrorOf(toKubeError(e));
    }
  }
  const applied = results.filter((r) => r.action === 'created' || r.action === 'configured').length;
  return {
    results: results.sort((x, y) => x.doc - y.doc || x.line - y.line),
    applied,
    failed: results.filter((r) => r.action === 'failed').length,
  };
}

/** A per-object failure as a face shows it; server-side apply conflicts name each manager and field. */
function applyErrorOf(k: KubeError): NonNullable<ManifestObjectResult['error']> {
  const out: NonNullable<ManifestObjectResult['error']> = { code: k.code, message: k.message };
  if (k.status) out.status = k.status;
  const causes = (
    (k.details as { causes?: Array<{ reason?: string; message?: string; field?: string }> } | undefined)?.causes ?? []
  ).filter((c) => c.reason === 'FieldManagerConflict');
  if (causes.length) {
    out.conflicts = causes.map((c) => ({
      manager: (c.message ?? '').replace(/^conflict with /, ''),
      field: c.field ?? '',
    }));
    out.message = `${k.message.split('\n')[0]} — apply again with force to take over these fields`;
  }
  return out;
}
