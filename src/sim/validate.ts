// The subset of API validation that clients hit in practice; failures are 422 Invalid with field causes.
import type { ResourceType } from './kinds';
import type { KObj } from './store';
import type { StatusCause } from './status';
import { invalid } from './status';
import { labelSelectorMatches } from './selectors';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function containersCauses(spec: KObj | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  const cs: KObj[] | undefined = spec?.containers;
  if (!Array.isArray(cs) || cs.length === 0) {
    out.push({ reason: 'FieldValueRequired', field: `${path}.containers`, message: 'Required value' });
    return out;
  }
  cs.forEach((c, i) => {
    if (!c?.name)
      out.push({ reason: 'FieldValueRequired', field: `${path}.containers[${i}].name`, message: 'Required value' });
    if (!c?.image)
      out.push({ reason: 'FieldValueRequired', field: `${path}.containers[${i}].image`, message: 'Required value' });
  });
  return out;
}

function labelCauses(labels: unknown, path: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels))
    return [{ field: path, message: 'Invalid value: must be a map of string to string' }];
  const out: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (name.length > 63 || !LABEL_KEY_NAME.test(name))
      out.push({
        field: path,
        message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
      });
    if (typeof v !== 'string')
      out.push({ field: `${path}.${k}`, message: `Invalid value: ${JSON.stringify(v)}: must be a string` });
    else if (v.length > 63 || !LABEL_VALUE.test(v))
      out.push({
        field: `${path}.${k}`,
        message: `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
      });
  }
  return out;
}

function replicaCauses(spec: KObj | undefined): StatusCause[] {
  const r = spec?.replicas;
  if (r === undefined) return [];
  if (!Number.isInteger(r) || r < 0)
    return [
      { field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(r)}: must be greater than or equal to 0` },
    ];
  return [];
}

function templateCauses(o: KObj, selectorRequired: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  const sel = o.spec?.selector;
  if (selectorRequired && !sel)
    out.push({ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' });
  const tpl = o.spec?.template;
  out.push(...labelCauses(tpl?.metadata?.labels, 'spec.template.metadata.labels'));
  if (sel && !labelSelectorMatches(sel, tpl?.metadata?.labels)) {
    out.push({
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${JSON.stringify(tpl?.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``,
    });
  }
  out.push(...containersCauses(tpl?.spec, 'spec.template.spec'));
  return out;
}

export function validate(rt: ResourceType, o: KObj): void {
  if (!o.metadata || typeof o.metadata !== 'object')
    throw invalid(rt.kind, rt.group, '', [{ field: 'metadata', message: 'Required value' }]);
  const causes: StatusCause[] = [...labelCauses(o.metadata.labels, 'metadata.labels')];
  const name = o.metadata.name ?? '';
  switch (`${rt.group}/${rt.resource}`) {
    case '/pods':
      causes.push(...containersCauses(o.spec, 'spec'));
      break;
    case '/namespaces':
      if (name && (name.length > 63 || !DNS1123_LABEL.test(name)))
        causes.push({
          field: 'metadata.name',
          message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
        });
      break;
    case '/services':
      (o.spec?.ports ?? []).forEach((p: KObj, i: number) => {
        if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535)
          causes.push({
            field: `spec.ports[${i}].port`,
            message: `Invalid value: ${JSON.stringify(p?.port)}: must be between 1 and 65535, inclusive`,
          });
      });
      break;
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/statefulsets':
      causes.push(...replicaCauses(o.spec), ...templateCauses(o, true));
      break;
    case 'apps/daemonsets':
      causes.push(...templateCauses(o, true));
      break;
    case 'batch/jobs':
      causes.push(...containersCauses(o.spec?.template?.spec, 'spec.template.spec'));
      break;
  }
  if (causes.length) throw invalid(rt.kind, rt.group, name, causes);
}
