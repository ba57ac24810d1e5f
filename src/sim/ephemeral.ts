// The pods/ephemeralcontainers subresource (what `kubectl debug pod/x --image=…` patches): it changes
// spec.ephemeralContainers only, may add ephemeral containers but never change or remove one, and validates them
// as the API server does. The kubelet side (running them) is controllers/ephemeral.ts.
import type { ServerResponse } from 'node:http';
import type { ResourceRequest, SimContext } from './context';
import { typeKey } from './kinds';
import { applyPatch } from './patch';
import { decodeBody, sendJson } from './server';
import type { KObj } from './store';
import { invalid, methodNotAllowed, notFound, type StatusCause } from './status';
import { stableJson } from './controllers/runtime';

type Container = KObj['spec'];

/** Fields an ephemeral container may not set (validation.go: "cannot be set for an Ephemeral Container"). */
const FORBIDDEN = ['ports', 'resources', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'];

function validate(pod: KObj, want: Container[]): StatusCause[] {
  const have: Container[] = pod.spec?.ephemeralContainers ?? [];
  const causes: StatusCause[] = [];
  const regular = new Set<string>(
    [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c: Container) => c.name),
  );
  for (const old of have) {
    const i = want.findIndex((c) => c.name === old.name);
    if (i < 0)
      causes.push({
        reason: 'FieldValueForbidden',
        field: 'spec.ephemeralContainers',
        message: `Forbidden: existing ephemeral containers "${old.name}" may not be removed`,
      });
    else if (stableJson(withDefaults(want[i])) !== stableJson(old))
      causes.push({
        reason: 'FieldValueForbidden',
        field: `spec.ephemeralContainers[${i}]`,
        message: `Forbidden: existing ephemeral containers "${old.name}" may not be changed`,
      });
  }
  const seen = new Set<string>();
  want.forEach((c, i) => {
    const at = `spec.ephemeralContainers[${i}]`;
    if (!c.name) causes.push({ reason: 'FieldValueRequired', field: `${at}.name`, message: 'Required value' });
    else if (regular.has(c.name) || seen.has(c.name))
      causes.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: "${c.name}"` });
    seen.add(c.name);
    if (!c.image) causes.push({ reason: 'FieldValueRequired', field: `${at}.image`, message: 'Required value' });
    for (const f of FORBIDDEN) {
      const v = c[f];
      if (v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0)) continue;
      causes.push({
        reason: 'FieldValueForbidden',
        field: `${at}.ephemeralContainerCommon.${f}`,
        message: 'Forbidden: cannot be set for an Ephemeral Container',
      });
    }
    if (c.targetContainerName && !regular.has(c.targetContainerName))
      causes.push({
        reason: 'FieldValueNotFound',
        field: `${at}.targetContainerName`,
        message: `Not found: "${c.targetContainerName}"`,
      });
  });
  return causes;
}

/** The defaults the API server fills in for a container. */
function withDefaults(c: Container): Container {
  return {
    imagePullPolicy: /:latest$|^[^:@]+$/.test(c.image ?? '') ? 'Always' : 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...c,
  };
}

function serve(ctx: SimContext) {
  return (r: ResourceRequest, res: ServerResponse, body: Buffer): void => {
    const tk = typeKey(r.rt.group, r.rt.resource);
    const current = ctx.store.get(tk, r.namespace, r.name!);
    if (!current) throw notFound(r.rt.resource, r.rt.group, r.name!);
    if (r.verb === 'get') return sendJson(res, 200, current);
    if (r.verb !== 'patch' && r.verb !== 'update') throw methodNotAllowed(r.verb, 'pods/ephemeralcontainers');
    const ct = String(r.req.headers['content-type'] ?? 'application/json');
    const next = r.verb === 'patch' ? applyPatch(current, body, ct, r.rt) : decodeBody(body, ct);
    const want: Container[] = next.spec?.ephemeralContainers ?? [];
    const causes = validate(current, want);
    if (causes.length) throw invalid('Pod', '', r.name!, causes);
    const have: Container[] = current.spec?.ephemeralContainers ?? [];
    const updated = structuredClone(current);
    updated.spec.ephemeralContainers = want.map((c) => have.find((h) => h.name === c.name) ?? withDefaults(c));
    if (updated.spec.ephemeralContainers.length === 0) delete updated.spec.ephemeralContainers;
    const dryRun = r.url.searchParams.getAll('dryRun').includes('All');
    const expectRV = r.verb === 'update' ? next.metadata?.resourceVersion : undefined;
    sendJson(res, 200, ctx.store.update(r.rt, updated, { dryRun, expectRV }));
  };
}

export function installEphemeralContainers(ctx: SimContext): void {
  ctx.subresources.set('pods/ephemeralcontainers', serve(ctx));
}
