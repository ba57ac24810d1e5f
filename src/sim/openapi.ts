// OpenAPI v3 documents: the index and one document per group/version. kubectl reads them to decide
// whether the server validates fields (`fieldValidation` on each kind's PATCH operation) and for
// `kubectl explain`; the schemas are loose where a manifest may say more than they spell out.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SimContext } from './context';
import type { ResourceType } from './kinds';
import { BUILTIN_TYPES } from './kinds';
import { listMeta } from './patch';

type Schema = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Schema building blocks.

const d = (description?: string): Schema => (description ? { description } : {});
const str = (description?: string): Schema => ({ type: 'string', ...d(description) });
const int = (description?: string): Schema => ({ type: 'integer', format: 'int32', ...d(description) });
const bool = (description?: string): Schema => ({ type: 'boolean', ...d(description) });
const strMap = (description?: string): Schema => ({
  type: 'object',
  additionalProperties: { type: 'string', default: '' },
  ...d(description),
});
const strList = (description?: string): Schema => ({
  type: 'array',
  items: { type: 'string', default: '' },
  ...d(description),
});
const loose = (description?: string): Schema => ({
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
  ...d(description),
});
const looseList = (description?: string): Schema => ({
  type: 'array',
  items: loose(),
  'x-kubernetes-list-type': 'atomic',
  ...d(description),
});
const ref = (name: string, description?: string): Schema => ({
  allOf: [{ $ref: `#/components/schemas/${name}` }],
  default: {},
  ...d(description),
});
const obj = (properties: Record<string, Schema>, description?: string, extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  ...d(description),
  ...extra,
});

/** A list annotated with the patch metadata patch.ts merges it by (kind and path locate it in a built-in type). */
function mergeList(kind: string, path: string[], items: Schema, description?: string): Schema {
  const meta = listMeta(kind, path);
  const field = path[path.length - 1];
  const strategy = field === 'volumes' || field === 'resourceClaims' ? 'merge,retainKeys' : 'merge';
  if (meta?.key) {
    return {
      type: 'array',
      items,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': [meta.key],
      'x-kubernetes-patch-merge-key': meta.key,
      'x-kubernetes-patch-strategy': strategy,
      ...d(description),
    };
  }
  if (meta?.set)
    return {
      type: 'array',
      items,
      'x-kubernetes-list-type': 'set',
      'x-kubernetes-patch-strategy': 'merge',
      ...d(description),
    };
  return { type: 'array', items, 'x-kubernetes-list-type': 'atomic', ...d(description) };
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
const SELECTOR = 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const POD_TEMPLATE = 'io.k8s.api.core.v1.PodTemplateSpec';
const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';
const CONTAINER = 'io.k8s.api.core.v1.Container';
const EPHEMERAL_CONTAINER = 'io.k8s.api.core.v1.EphemeralContainer';
const JOB_SPEC = 'io.k8s.api.batch.v1.JobSpec';

// Representative paths for the shared types, so that listMeta answers for them.
const POD = ['spec'];
const CTR = ['spec', 'containers'];

const SHARED: Record<string, Schema> = {
  [META]: obj(
    {
      name: str('Name must be unique within a namespace.'),
      generateName: str('Optional prefix the server uses to generate a unique name.'),
      namespace: str('Namespace defines the space within which each name must be unique.'),
      uid: str('UID is the unique in time and space value for this object.'),
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
      resourceVersion: str('An opaque value that represents the internal version of this object.'),
      generation: {
        type: 'integer',
        format: 'int64',
        description: 'A sequence number representing a specific generation of the desired state.',
      },
      creationTimestamp: { type: 'string', format: 'date-time', description: 'Time this object was created.' },
      deletionTimestamp: {
        type: 'string',
        format: 'date-time',
        description: 'Time at which this resource will be deleted.',
      },
      deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
      labels: strMap('Map of string keys and values that can be used to organize and categorize objects.'),
      annotations: strMap('Unstructured key value map stored with a resource.'),
      ownerReferences: mergeList('Pod', ['metadata', 'ownerReferences'], loose(), 'Objects depended by this object.'),
      finalizers: mergeList(
        'Pod',
        ['metadata', 'finalizers'],
        { type: 'string', default: '' },
        'Must be empty before the object is deleted from the registry.',
      ),
      managedFields: looseList('Maps workflow-id and version to the set of fields managed by that workflow.'),
    },
    'ObjectMeta is metadata that all persisted resources must have.',
  ),
  [LIST_META]: obj({
    resourceVersion: str(),
    continue: str(),
    remainingItemCount: { type: 'integer', format: 'int64' },
  }),
  [SELECTOR]: obj(
    {
      matchLabels: strMap('A map of {key,value} pairs.'),
      matchExpressions: looseList('A list of label selector requirements.'),
    },
    'A label selector is a label query over a set of resources.',
    { 'x-kubernetes-map-type': 'atomic' },
  ),
  [PATCH]: {
    type: 'object',
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
  [STATUS]: loose('Status is a return value for calls that do not return other objects.'),
  [POD_TEMPLATE]: obj(
    { metadata: ref(META), spec: ref(POD_SPEC, 'Specification of the desired behavior of the pod.') },
    'PodTemplateSpec describes the data a pod should have when created from a template.',
  ),
  [CONTAINER]: obj(
    {
      name: str('Name of the container specified as a DNS_LABEL.'),
      image: str('Container image name.'),
      imagePullPolicy: str('Image pull policy. One of Always, Never, IfNotPresent.'),
      command: strList('Entrypoint array.'),
      args: strList('Arguments to the entrypoint.'),
      workingDir: str(),
      ports: mergeList(
        'Pod',
        [...CTR, 'ports'],
        obj({ name: str(), containerPort: int(), hostPort: int(), hostIP: str(), protocol: str() }),
        'List of ports to expose from the container.',
      ),
      env: mergeList(
        'Pod',
        [...CTR, 'env'],
        obj({ name: str(), value: str(), valueFrom: loose() }),
        'List of environment variables to set in the container.',
      ),
      envFrom: looseList('List of sources to populate environment variables in the container.'),
      resources: obj(
        { limits: strMap(), requests: strMap(), claims: looseList() },
        'Compute Resources required by this container.',
      ),
      resizePolicy: looseList(),
      restartPolicy: str(),
      volumeMounts: mergeList(
        'Pod',
        [...CTR, 'volumeMounts'],
        obj({
          name: str(),
          mountPath: str(),
          readOnly: bool(),
          subPath: str(),
          subPathExpr: str(),
          mountPropagation: str(),
          recursiveReadOnly: str(),
        }),
        "Pod volumes to mount into the container's filesystem.",
      ),
      volumeDevices: mergeList('Pod', [...CTR, 'volumeDevices'], obj({ name: str(), devicePath: str() })),
      livenessProbe: loose('Periodic probe of container liveness.'),
      readinessProbe: loose('Periodic probe of container service readiness.'),
      startupProbe: loose(),
      lifecycle: loose(),
      terminationMessagePath: str(),
      terminationMessagePolicy: str(),
      securityContext: loose(),
      stdin: bool(),
      stdinOnce: bool(),
      tty: bool(),
    },
    'A single application container that you want to run within a pod.',
  ),
  [POD_SPEC]: obj(
    {
      containers: mergeList('Pod', [...POD, 'containers'], ref(CONTAINER), 'List of containers belonging to the pod.'),
      initContainers: mergeList(
        'Pod',
        [...POD, 'initContainers'],
        ref(CONTAINER),
        'List of initialization containers belonging to the pod.',
      ),
      ephemeralContainers: mergeList(
        'Pod',
        [...POD, 'ephemeralContainers'],
        ref(EPHEMERAL_CONTAINER),
        "List of ephemeral containers run in this pod. Ephemeral containers may be run in an existing pod to perform user-initiated actions such as debugging. This list cannot be specified when creating a pod, and it cannot be modified by updating the pod spec. In order to add an ephemeral container to an existing pod, use the pod's ephemeralcontainers subresource.",
      ),
      volumes: mergeList(
        'Pod',
        [...POD, 'volumes'],
        loose(),
        'List of volumes that can be mounted by containers belonging to the pod.',
      ),
      imagePullSecrets: mergeList('Pod', [...POD, 'imagePullSecrets'], obj({ name: str() })),
      hostAliases: mergeList('Pod', [...POD, 'hostAliases'], obj({ ip: str(), hostnames: strList() })),
      topologySpreadConstraints: mergeList('Pod', [...POD, 'topologySpreadConstraints'], loose()),
      schedulingGates: mergeList('Pod', [...POD, 'schedulingGates'], obj({ name: str() })),
      resourceClaims: mergeList('Pod', [...POD, 'resourceClaims'], loose()),
      tolerations: looseList("If specified, the pod's tolerations."),
      readinessGates: looseList(),
      restartPolicy: str('Restart policy for all containers within the pod. One of Always, OnFailure, Never.'),
      terminationGracePeriodSeconds: { type: 'integer', format: 'int64' },
      activeDeadlineSeconds: { type: 'integer', format: 'int64' },
      dnsPolicy: str(),
      dnsConfig: loose(),
      nodeSelector: strMap('A selector which must be true for the pod to fit on a node.'),
      nodeName: str('Request to schedule this pod onto a specific node.'),
      serviceAccountName: str('Name of the ServiceAccount to use to run this pod.'),
      serviceAccount: str(),
      automountServiceAccountToken: bool(),
      hostNetwork: bool(),
      hostPID: bool(),
      hostIPC: bool(),
      hostUsers: bool(),
      shareProcessNamespace: bool(),
      securityContext: loose(),
      hostname: str(),
      subdomain: str(),
      setHostnameAsFQDN: bool(),
      affinity: loose("If specified, the pod's scheduling constraints."),
      schedulerName: str(),
      priorityClassName: str(),
      priority: int(),
      preemptionPolicy: str(),
      runtimeClassName: str(),
      enableServiceLinks: bool(),
      overhead: strMap(),
      os: loose(),
      resources: loose(),
    },
    'PodSpec is a description of a pod.',
  ),
  [JOB_SPEC]: obj(
    {
      template: ref(POD_TEMPLATE, 'Describes the pod that will be created when executing a job.'),
      selector: ref(SELECTOR),
      manualSelector: bool(),
      parallelism: int(),
      completions: int(),
      completionMode: str(),
      backoffLimit: int(),
      backoffLimitPerIndex: int(),
      maxFailedIndexes: int(),
      activeDeadlineSeconds: { type: 'integer', format: 'int64' },
      ttlSecondsAfterFinished: int(),
      suspend: bool(),
      podFailurePolicy: loose(),
      successPolicy: loose(),
      podReplacementPolicy: str(),
      managedBy: str(),
    },
    'JobSpec describes how the job execution will look like.',
  ),
};

// An ephemeral container (kubectl debug) has a container's fields, and the container whose namespaces it targets.
SHARED[EPHEMERAL_CONTAINER] = obj(
  {
    ...(SHARED[CONTAINER].properties as Record<string, Schema>),
    targetContainerName: str(
      'If set, the name of the container from PodSpec that this ephemeral container targets. The ephemeral container will be run in the namespaces (IPC, PID, etc) of this container.',
    ),
  },
  'An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging.',
);

/** Status with conditions merged by type, everything else open. */
const statusOf = (kind: string): Schema =>
  obj(
    { conditions: mergeList(kind, ['status', 'conditions'], loose()) },
    `Most recently observed status of the ${kind}.`,
    { 'x-kubernetes-preserve-unknown-fields': true },
  );

const workloadSpec = (kind: string, extra: Record<string, Schema>): Schema =>
  obj(
    {
      replicas: int('Number of desired pods.'),
      selector: ref(SELECTOR, 'Label selector for pods.'),
      template: ref(POD_TEMPLATE, 'Template describes the pods that will be created.'),
      minReadySeconds: int(),
      revisionHistoryLimit: int(),
      ...extra,
    },
    `${kind}Spec is the specification of the desired behavior of the ${kind}.`,
  );

/** The spec (and friends) of the built-in kinds this simulator describes in detail. */
const BODIES: Record<string, () => Record<string, Schema>> = {
  Pod: () => ({ spec: ref(POD_SPEC), status: statusOf('Pod') }),
  Deployment: () => ({
    spec: workloadSpec('Deployment', {
      strategy: loose('The deployment strategy to use.'),
      paused: bool(),
      progressDeadlineSeconds: int(),
    }),
    status: statusOf('Deployment'),
  }),
  ReplicaSet: () => ({ spec: workloadSpec('ReplicaSet', {}), status: statusOf('ReplicaSet') }),
  StatefulSet: () => ({
    spec: workloadSpec('StatefulSet', {
      serviceName: str(),
      podManagementPolicy: str(),
      updateStrategy: loose(),
      volumeClaimTemplates: looseList(),
      persistentVolumeClaimRetentionPolicy: loose(),
      ordinals: loose(),
    }),
    status: statusOf('StatefulSet'),
  }),
  DaemonSet: () => ({ spec: workloadSpec('DaemonSet', { updateStrategy: loose() }), status: statusOf('DaemonSet') }),
  Job: () => ({ spec: ref(JOB_SPEC), status: statusOf('Job') }),
  CronJob: () => ({
    spec: obj({
      schedule: str('The schedule in Cron format.'),
      timeZone: str(),
      startingDeadlineSeconds: { type: 'integer', format: 'int64' },
      concurrencyPolicy: str(),
      suspend: bool(),
      jobTemplate: obj(
        { metadata: ref(META), spec: ref(JOB_SPEC) },
        'Specifies the job that will be created when executing a CronJob.',
      ),
      successfulJobsHistoryLimit: int(),
      failedJobsHistoryLimit: int(),
    }),
    status: loose(),
  }),
  Service: () => ({
    spec: obj(
      {
        ports: mergeList(
          'Service',
          ['spec', 'ports'],
          obj({
            name: str(),
            protocol: str(),
            appProtocol: str(),
            port: int(),
            targetPort: { 'x-kubernetes-int-or-string': true },
            nodePort: int(),
          }),
          'The list of ports that are exposed by this service.',
        ),
        selector: strMap('Route service traffic to pods with label keys and values matching this selector.'),
        type: str('type determines how the Service is exposed.'),
        clusterIP: str(),
        clusterIPs: strList(),
        externalIPs: strList(),
        externalName: str(),
        externalTrafficPolicy: str(),
        internalTrafficPolicy: str(),
        sessionAffinity: str(),
        sessionAffinityConfig: loose(),
        loadBalancerIP: str(),
        loadBalancerClass: str(),
        loadBalancerSourceRanges: strList(),
        ipFamilies: strList(),
        ipFamilyPolicy: str(),
        healthCheckNodePort: int(),
        publishNotReadyAddresses: bool(),
        allocateLoadBalancerNodePorts: bool(),
        trafficDistribution: str(),
      },
      'ServiceSpec describes the attributes that a user creates on a service.',
    ),
    status: statusOf('Service'),
  }),
  Node: () => ({
    spec: obj({
      podCIDR: str(),
      podCIDRs: mergeList('Node', ['spec', 'podCIDRs'], { type: 'string', default: '' }),
      unschedulable: bool('Unschedulable controls node schedulability of new pods.'),
      taints: looseList(),
      providerID: str(),
      configSource: loose(),
      externalID: str(),
    }),
    status: obj(
      {
        conditions: mergeList('Node', ['status', 'conditions'], loose()),
        addresses: mergeList('Node', ['status', 'addresses'], obj({ type: str(), address: str() })),
      },
      'Most recently observed status of the node.',
      { 'x-kubernetes-preserve-unknown-fields': true },
    ),
  }),
  ConfigMap: () => ({ data: strMap('Data contains the configuration data.'), binaryData: strMap(), immutable: bool() }),
  Secret: () => ({
    data: strMap('Data contains the secret data, base64 encoded.'),
    stringData: strMap(),
    type: str(),
    immutable: bool(),
  }),
  Namespace: () => ({ spec: obj({ finalizers: strList() }), status: statusOf('Namespace') }),
};

// ---------------------------------------------------------------------------------------------
// Documents.

const isBuiltin = (rt: ResourceType) => BUILTIN_TYPES.some((b) => b.group === rt.group && b.resource === rt.resource);

/** Schema names as a real server spells them: io.k8s.api.<group>.<version>.<Kind>, or reversed-domain for CRDs. */
function schemaName(group: string, version: string, kind: string, builtin: boolean): string {
  if (!group) return `io.k8s.api.core.${version}.${kind}`;
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${kind}`;
  if (builtin) return `io.k8s.api.${group.replace(/\.k8s\.io$/, '').split('.')[0]}.${version}.${kind}`;
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function kindSchema(ctx: SimContext, rt: ResourceType): Schema {
  const gvk = [{ group: rt.group, version: rt.version, kind: rt.kind }];
  const common = {
    apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
    kind: str('Kind is a string value representing the REST resource this object represents.'),
    metadata: ref(META, "Standard object's metadata."),
  };
  const crd = isBuiltin(rt) ? undefined : crdSchema(ctx, rt);
  if (crd)
    return {
      ...crd,
      type: 'object',
      properties: { ...((crd.properties as Record<string, Schema>) ?? {}), ...common },
      'x-kubernetes-group-version-kind': gvk,
    };
  const body = BODIES[rt.kind]?.();
  return {
    type: 'object',
    description: `${rt.kind} is served by the KubeGraf simulator.`,
    properties: { ...common, ...(body ?? { spec: loose(), status: loose() }) },
    // Kinds described only in outline accept whatever else a manifest carries (rules, subjects, subsets…).
    ...(body ? {} : { 'x-kubernetes-preserve-unknown-fields': true }),
    'x-kubernetes-group-version-kind': gvk,
  };
}

/** The schema of a kind, with the shared component schemas its `$ref`s name (for server-side field validation). */
export function kindSchemaOf(
  ctx: SimContext,
  rt: ResourceType,
): { schema: Schema; components: Record<string, Schema> } {
  return { schema: kindSchema(ctx, rt), components: { ...SHARED, [SCALE]: SCALE_SCHEMA } };
}

const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

/** The structural schema a CRD declares for this version, if it declares one. */
function crdSchema(ctx: SimContext, rt: ResourceType): Schema | undefined {
  const crd = ctx.store.get(CRD_KEY, undefined, `${rt.resource}.${rt.group}`);
  const version = (
    crd?.spec?.versions as Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }> | undefined
  )?.find((v) => v.name === rt.version);
  const s = version?.schema?.openAPIV3Schema;
  return s ? structuredClone(s) : undefined;
}

const queryParam = (name: string, description: string): Schema => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});
const pathParam = (name: string, description: string): Schema => ({
  name,
  in: 'path',
  description,
  required: true,
  schema: { type: 'string', uniqueItems: true },
});
const WRITE_PARAMS = [
  queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
  queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.',
  ),
];
const FORCE = {
  name: 'force',
  in: 'query',
  description: 'Force is going to "force" Apply requests.',
  schema: { type: 'boolean', uniqueItems: true },
};

/**
 * Patch bodies the server accepts. Strategic merge is left out on purpose: kubectl then computes
 * client-side apply patches from its compiled-in Go types (exact patch metadata for every field)
 * instead of from these abbreviated schemas, which would make it warn on any field they omit.
 */
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function operation(
  action: string,
  gvk: Gvk,
  schema: string,
  parameters: Schema[],
  requestBody?: Record<string, Schema>,
): Schema {
  const json = { schema: { $ref: `#/components/schemas/${schema}` } };
  return {
    description: `${action} ${gvk.kind}`,
    operationId: `${action}${gvk.group.split('.')[0]}${gvk.version}${gvk.kind}`,
    parameters,
    ...(requestBody ? { requestBody: { content: requestBody, required: true } } : {}),
    responses: {
      '200': { description: 'OK', content: { 'application/json': json } },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  };
}

function pathsFor(
  rt: ResourceType,
  schema: string,
  subSchema: (s: { kind: string; group?: string; version?: string }) => string,
): Record<string, Schema> {
  const base = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  const coll = rt.namespaced ? `${base}/namespaces/{namespace}/${rt.resource}` : `${base}/${rt.resource}`;
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const has = (v: string) => rt.verbs.includes(v);
  const ns = rt.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const json = (s: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${s}` } } });
  const patchContent = Object.fromEntries(
    PATCH_TYPES.map((t) => [t, { schema: { $ref: `#/components/schemas/${PATCH}` } }]),
  ) as Record<string, Schema>;
  const out: Record<string, Schema> = {};

  const collection: Schema = { parameters: ns };
  if (has('list'))
    collection.get = operation('list', gvk, schema, [
      queryParam('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
      queryParam('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
      queryParam('limit', 'limit is a maximum number of responses to return for a list call.'),
      queryParam('continue', 'The continue option should be set when retrieving more results from the server.'),
      queryParam('watch', 'Watch for changes to the described resources.'),
    ]);
  if (has('create')) collection.post = operation('post', gvk, schema, WRITE_PARAMS, json(schema));
  if (has('deletecollection')) collection.delete = operation('deletecollection', gvk, schema, []);
  if (Object.keys(collection).length > 1) out[coll] = collection;
  if (rt.namespaced && has('list')) out[`${base}/${rt.resource}`] = { get: operation('list', gvk, schema, []) };

  const item: Schema = { parameters: [pathParam('name', `name of the ${rt.kind}`), ...ns] };
  if (has('get')) item.get = operation('get', gvk, schema, []);
  if (has('update')) item.put = operation('put', gvk, schema, WRITE_PARAMS, json(schema));
  if (has('patch')) item.patch = operation('patch', gvk, schema, [...WRITE_PARAMS, FORCE], patchContent);
  if (has('delete'))
    item.delete = operation('delete', gvk, schema, [
      queryParam('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.'),
      queryParam('propagationPolicy', 'Whether and how garbage collection will be performed.'),
    ]);
  if (Object.keys(item).length > 1) out[`${coll}/{name}`] = item;

  for (const s of rt.subresources ?? []) {
    if (!s.verbs.includes('patch')) continue;
    const sg = { group: s.group ?? rt.group, version: s.version ?? rt.version, kind: s.kind };
    const ss = subSchema(s);
    out[`${coll}/{name}/${s.name}`] = {
      parameters: item.parameters,
      get: operation('get', sg, ss, []),
      put: operation('put', sg, ss, WRITE_PARAMS, json(ss)),
      patch: operation('patch', sg, ss, [...WRITE_PARAMS, FORCE], patchContent),
    };
  }
  return out;
}

const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
const SCALE_SCHEMA: Schema = {
  type: 'object',
  description: 'Scale represents a scaling request for a resource.',
  properties: {
    apiVersion: str(),
    kind: str(),
    metadata: ref(META),
    spec: obj({ replicas: int('desired number of instances for the scaled object.') }),
    status: obj({ replicas: int(), selector: str() }),
  },
  'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
};

/** The OpenAPI v3 document of one group/version. */
function buildDoc(ctx: SimContext, group: string, version: string, kubeVersion: string): Schema {
  const types = ctx.types
    .all()
    .filter((t) => t.group === group && t.version === version)
    .sort((a, b) => a.resource.localeCompare(b.resource));
  const schemas: Record<string, Schema> = { ...SHARED };
  let paths: Record<string, Schema> = {};
  for (const rt of types) {
    const name = schemaName(rt.group, rt.version, rt.kind, isBuiltin(rt));
    schemas[name] = kindSchema(ctx, rt);
    const subSchema = (s: { kind: string; group?: string; version?: string }) => {
      if (s.kind === 'Scale') {
        schemas[SCALE] = SCALE_SCHEMA;
        return SCALE;
      }
      return s.kind === rt.kind ? name : schemaName(s.group ?? rt.group, s.version ?? rt.version, s.kind, true);
    };
    paths = { ...paths, ...pathsFor(rt, name, subSchema) };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: kubeVersion }, paths, components: { schemas } };
}

// ---------------------------------------------------------------------------------------------
// OpenAPI v2, which kubectl 1.27 and 1.28 read (as gnostic protobuf) before apply or create -f to learn
// whether the server validates fields. Only what that check reads: each kind's PATCH operation, its
// group-version-kind extension and its query parameters. No definitions: kubectl then computes patches
// from its compiled-in types, as it does with the v3 documents above.

function pbVarint(n: number): Buffer {
  const out: number[] = [];
  for (; n > 127; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return Buffer.from(out);
}

/** A protobuf message of length-delimited fields (strings and sub-messages), in order. */
const pbMessage = (fields: Array<[number, string | Buffer]>): Buffer =>
  Buffer.concat(
    fields.flatMap(([num, v]) => {
      const bytes = typeof v === 'string' ? Buffer.from(v) : v;
      return [pbVarint(num * 8 + 2), pbVarint(bytes.length), bytes];
    }),
  );

function buildV2(ctx: SimContext, kubeVersion: string): Buffer {
  const paths: Buffer[] = [];
  for (const rt of ctx.types.all()) {
    if (!rt.verbs.includes('patch')) continue;
    const base = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
    const path = `${base}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.resource}/{name}`;
    // QueryParameterSubSchema{in=2, name=4, type=6} in NonBodyParameter=3 in Parameter=2 in ParametersItem=1.
    const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) =>
      pbMessage([
        [
          1,
          pbMessage([
            [
              2,
              pbMessage([
                [
                  3,
                  pbMessage([
                    [2, 'query'],
                    [4, name],
                    [6, name === 'force' ? 'boolean' : 'string'],
                  ]),
                ],
              ]),
            ],
          ]),
        ],
      ]),
    );
    // NamedAny{name=1, value=Any{yaml=2}}.
    const gvk = pbMessage([
      [1, 'x-kubernetes-group-version-kind'],
      [2, pbMessage([[2, `group: "${rt.group}"\nkind: ${rt.kind}\nversion: ${rt.version}\n`]])],
    ]);
    // Operation{operation_id=5, parameters=8, vendor_extension=13} as PathItem.patch=8, in NamedPathItem{name=1, value=2}.
    const op = pbMessage([[5, `patch${rt.kind}`], ...params.map((p): [number, Buffer] => [8, p]), [13, gvk]]);
    paths.push(
      pbMessage([
        [1, path],
        [2, pbMessage([[8, op]])],
      ]),
    );
  }
  // Document{swagger=1, info=2{title=1, version=2}, paths=8{path=2}}.
  return pbMessage([
    [1, '2.0'],
    [
      2,
      pbMessage([
        [1, 'Kubernetes'],
        [2, kubeVersion],
      ]),
    ],
    [8, pbMessage(paths.map((p): [number, Buffer] => [2, p]))],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Serving, with documents cached until the set of types changes.

interface Cache {
  docs: Map<string, { body: string; hash: string }>;
  index?: string;
  v2?: Buffer;
}
const caches = new WeakMap<SimContext, Cache>();

function cacheOf(ctx: SimContext): Cache {
  let c = caches.get(ctx);
  if (!c) {
    const fresh: Cache = { docs: new Map() };
    const clear = () => {
      fresh.docs.clear();
      fresh.index = undefined;
      fresh.v2 = undefined;
    };
    ctx.types.onChange(clear);
    // A CRD's schema can change without its type changing; explain should see the new one.
    ctx.store.onChange((e) => e.tk === CRD_KEY && clear());
    caches.set(ctx, fresh);
    c = fresh;
  }
  return c;
}

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

function doc(ctx: SimContext, group: string, version: string): { body: string; hash: string } {
  const cache = cacheOf(ctx);
  const key = gvPath(group, version);
  let d = cache.docs.get(key);
  if (!d) {
    const body = JSON.stringify(buildDoc(ctx, group, version, `v1.${ctx.kubeMinor}.0`));
    d = { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
    cache.docs.set(key, d);
  }
  return d;
}

function send(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** Serves GET /openapi/v2, /openapi/v3 and /openapi/v3/<group-version>; false for any path it does not own. */
export function serveOpenApi(ctx: SimContext, url: URL, res: ServerResponse): boolean {
  const p = url.pathname.replace(/\/+$/, '');
  if (p === '/openapi/v2') {
    const cache = cacheOf(ctx);
    cache.v2 ??= buildV2(ctx, `v1.${ctx.kubeMinor}.0`);
    res.writeHead(200, {
      'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      'Content-Length': String(cache.v2.length),
    });
    res.end(cache.v2);
    return true;
  }
  if (p === '/openapi/v3') {
    const cache = cacheOf(ctx);
    if (!cache.index) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const { group, versions } of ctx.types.groupVersions()) {
        for (const v of versions)
          paths[gvPath(group, v)] = {
            serverRelativeURL: `/openapi/v3/${gvPath(group, v)}?hash=${doc(ctx, group, v).hash}`,
          };
      }
      cache.index = JSON.stringify({ paths });
    }
    send(res, cache.index, { 'Cache-Control': 'no-cache, private' });
    return true;
  }
  const m = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(p);
  if (!m) return false;
  const [group, version] = m[1] ? ['', m[1]] : [m[2], m[3]];
  if (!ctx.types.all().some((t) => t.group === group && t.version === version)) return false;
  const d = doc(ctx, group, version);
  // A hashed URL names immutable content, so clients may cache it for good.
  const immutable = url.searchParams.get('hash') === d.hash;
  send(res, d.body, { ETag: `"${d.hash}"`, 'Cache-Control': immutable ? 'public, immutable' : 'no-cache, private' });
  return true;
}
