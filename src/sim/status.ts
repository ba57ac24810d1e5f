// Kubernetes Status errors, shaped exactly as a real API server sends them.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `pods "x" not found`: the resource is the plural, qualified with its group when it has one. */
function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const notFound = (resource: string, group: string, name: string, kind = resource) =>
  new StatusError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind });

export const alreadyExists = (resource: string, group: string, name: string) =>
  new StatusError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });

export const conflict = (resource: string, group: string, name: string, why: string) =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`, {
    name,
    group,
    kind: resource,
  });

export const invalid = (kind: string, group: string, name: string, causes: StatusCause[]) =>
  new StatusError(
    422,
    'Invalid',
    `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    {
      name,
      group,
      kind,
      causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
    },
  );

export const badRequest = (message: string) => new StatusError(400, 'BadRequest', message);

export const forbidden = (
  user: string,
  verb: string,
  resource: string,
  group: string,
  namespace: string | undefined,
  name?: string,
) =>
  new StatusError(
    403,
    'Forbidden',
    `${qualified(resource, group)}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}"${
      namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'
    }`,
    { name, group, kind: resource },
  );

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
  'application/strategic-merge-patch+json',
];
export const BODY_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

export const unsupportedMediaType = (contentType: string, accepted: string[] = PATCH_TYPES) =>
  new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}; got ${contentType}`,
  );

export const methodNotAllowed = (verb: string, resource: string) =>
  new StatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${verb} ${resource})`,
  );

export const expired = (message: string) => new StatusError(410, 'Expired', message);

export const internalError = (message: string) =>
  new StatusError(500, 'InternalError', `Internal error occurred: ${message}`);
