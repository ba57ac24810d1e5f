// Decodes the protobuf bodies kubectl's generators send (`kubectl create deployment|configmap|secret|...`):
// envelope `k8s\0` + runtime.Unknown{typeMeta, raw}. A field table per message type turns the wire format into
// the JSON object the rest of the simulator stores. Fields not in the table are refused rather than dropped.
import { BODY_TYPES, unsupportedMediaType } from './status';

type Scalar = 'string' | 'varint' | 'bool' | 'bytes' | 'time' | 'quantity' | 'intstr';
/** [json name, type, repeated]. A type that is not a Scalar names a message in MESSAGES; `map:T` is map<string,T>. */
type Field = [string, string, boolean?];

const MESSAGES: Record<string, Record<number, Field>> = {
  ObjectMeta: {
    1: ['name', 'string'],
    2: ['generateName', 'string'],
    3: ['namespace', 'string'],
    5: ['uid', 'string'],
    6: ['resourceVersion', 'string'],
    7: ['generation', 'varint'],
    8: ['creationTimestamp', 'time'],
    11: ['labels', 'map:string'],
    12: ['annotations', 'map:string'],
    13: ['ownerReferences', 'OwnerReference', true],
    14: ['finalizers', 'string', true],
  },
  OwnerReference: {
    1: ['kind', 'string'],
    3: ['name', 'string'],
    4: ['uid', 'string'],
    5: ['apiVersion', 'string'],
    6: ['controller', 'bool'],
    7: ['blockOwnerDeletion', 'bool'],
  },
  LabelSelector: { 1: ['matchLabels', 'map:string'], 2: ['matchExpressions', 'LabelSelectorRequirement', true] },
  LabelSelectorRequirement: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', true] },
  Namespace: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'Empty'], 3: ['status', 'Empty'] },
  ConfigMap: {
    1: ['metadata', 'ObjectMeta'],
    2: ['data', 'map:string'],
    3: ['binaryData', 'map:bytes'],
    4: ['immutable', 'bool'],
  },
  Secret: {
    1: ['metadata', 'ObjectMeta'],
    2: ['data', 'map:bytes'],
    3: ['type', 'string'],
    4: ['stringData', 'map:string'],
    5: ['immutable', 'bool'],
  },
  ServiceAccount: { 1: ['metadata', 'ObjectMeta'], 4: ['automountServiceAccountToken', 'bool'] },
  Deployment: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'], 3: ['status', 'Empty'] },
  DeploymentSpec: {
    1: ['replicas', 'varint'],
    2: ['selector', 'LabelSelector'],
    3: ['template', 'PodTemplateSpec'],
    4: ['strategy', 'DeploymentStrategy'],
    5: ['minReadySeconds', 'varint'],
    6: ['revisionHistoryLimit', 'varint'],
    7: ['paused', 'bool'],
    9: ['progressDeadlineSeconds', 'varint'],
  },
  DeploymentStrategy: { 1: ['type', 'string'] },
  PodTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  PodSpec: {
    2: ['containers', 'Container', true],
    3: ['restartPolicy', 'string'],
    4: ['terminationGracePeriodSeconds', 'varint'],
    6: ['dnsPolicy', 'string'],
    7: ['nodeSelector', 'map:string'],
    8: ['serviceAccountName', 'string'],
    10: ['nodeName', 'string'],
  },
  Container: {
    1: ['name', 'string'],
    2: ['image', 'string'],
    3: ['command', 'string', true],
    4: ['args', 'string', true],
    5: ['workingDir', 'string'],
    6: ['ports', 'ContainerPort', true],
    7: ['env', 'EnvVar', true],
    8: ['resources', 'ResourceRequirements'],
    14: ['imagePullPolicy', 'string'],
    16: ['stdin', 'bool'],
    18: ['tty', 'bool'],
  },
  ContainerPort: {
    1: ['name', 'string'],
    2: ['hostPort', 'varint'],
    3: ['containerPort', 'varint'],
    4: ['protocol', 'string'],
  },
  EnvVar: { 1: ['name', 'string'], 2: ['value', 'string'] },
  ResourceRequirements: { 1: ['limits', 'map:quantity'], 2: ['requests', 'map:quantity'] },
  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'], 3: ['status', 'Empty'] },
  ServiceSpec: {
    1: ['ports', 'ServicePort', true],
    2: ['selector', 'map:string'],
    3: ['clusterIP', 'string'],
    4: ['type', 'string'],
    5: ['externalIPs', 'string', true],
    11: ['externalName', 'string'],
  },
  ServicePort: {
    1: ['name', 'string'],
    2: ['protocol', 'string'],
    3: ['port', 'varint'],
    4: ['targetPort', 'intstr'],
    5: ['nodePort', 'varint'],
  },
  Job: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'JobSpec'], 3: ['status', 'Empty'] },
  JobSpec: {
    1: ['parallelism', 'varint'],
    2: ['completions', 'varint'],
    3: ['activeDeadlineSeconds', 'varint'],
    4: ['selector', 'LabelSelector'],
    6: ['template', 'PodTemplateSpec'],
    7: ['backoffLimit', 'varint'],
    8: ['ttlSecondsAfterFinished', 'varint'],
  },
  CronJob: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'CronJobSpec'], 3: ['status', 'Empty'] },
  CronJobSpec: {
    1: ['schedule', 'string'],
    3: ['concurrencyPolicy', 'string'],
    4: ['suspend', 'bool'],
    5: ['jobTemplate', 'JobTemplateSpec'],
    8: ['timeZone', 'string'],
  },
  JobTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'JobSpec'] },
  Role: { 1: ['metadata', 'ObjectMeta'], 2: ['rules', 'PolicyRule', true] },
  ClusterRole: { 1: ['metadata', 'ObjectMeta'], 2: ['rules', 'PolicyRule', true] },
  PolicyRule: {
    1: ['verbs', 'string', true],
    2: ['apiGroups', 'string', true],
    3: ['resources', 'string', true],
    4: ['resourceNames', 'string', true],
    5: ['nonResourceURLs', 'string', true],
  },
  RoleBinding: { 1: ['metadata', 'ObjectMeta'], 2: ['subjects', 'Subject', true], 3: ['roleRef', 'RoleRef'] },
  ClusterRoleBinding: { 1: ['metadata', 'ObjectMeta'], 2: ['subjects', 'Subject', true], 3: ['roleRef', 'RoleRef'] },
  Subject: { 1: ['kind', 'string'], 2: ['apiGroup', 'string'], 3: ['name', 'string'], 4: ['namespace', 'string'] },
  RoleRef: { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] },
  Empty: {},
};

/** Optional (pointer) fields: on the wire only when set, so a zero there is meant. */
const POINTERS = new Set([
  'replicas',
  'parallelism',
  'completions',
  'backoffLimit',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'ttlSecondsAfterFinished',
  'suspend',
  'immutable',
  'automountServiceAccountToken',
  'controller',
  'blockOwnerDeletion',
]);

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly end = buf.length,
  ) {}
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.end) throw new Error('truncated field');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
}

/** Generic pass over a message: field number, wire type, value (number for varints, bytes for length-delimited). */
function* fields(buf: Buffer): Generator<[number, number, number | Buffer]> {
  const r = new Reader(buf);
  while (r.pos < r.end) {
    const key = r.varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) yield [no, wire, r.varint()];
    else if (wire === 2) yield [no, wire, r.bytes()];
    else if (wire === 1) {
      r.pos += 8;
      yield [no, wire, 0];
    } else if (wire === 5) {
      r.pos += 4;
      yield [no, wire, 0];
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

const toSigned = (n: number) => (n > Number.MAX_SAFE_INTEGER ? n - 2 ** 64 : n);

function scalar(type: string, v: number | Buffer): unknown {
  switch (type as Scalar) {
    case 'string':
      return (v as Buffer).toString('utf8');
    case 'varint':
      return toSigned(v as number);
    case 'bool':
      return v !== 0;
    case 'bytes':
      return (v as Buffer).toString('base64');
    case 'quantity':
      return decode('Quantity', v as Buffer).string;
    case 'time': {
      const t = decodeRaw(v as Buffer);
      return t.seconds ? new Date(Number(t.seconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : null;
    }
    case 'intstr': {
      const m = decodeRaw(v as Buffer);
      return m.type === 1 ? (m.str ?? '') : (m.int ?? 0);
    }
  }
  throw new Error(`unknown type ${type}`);
}

/** Small fixed shapes with no table of their own: Quantity{1:string}, Time{1:seconds,2:nanos}, IntOrString{1:type,2:int,3:str}. */
function decodeRaw(buf: Buffer): { string?: string; seconds?: number; type?: number; int?: number; str?: string } {
  const o: { seconds?: number; type?: number; int?: number; str?: string } = {};
  for (const [no, , v] of fields(buf)) {
    if (no === 1) {
      if (typeof v === 'number') {
        o.seconds = v;
        o.type = v;
      } else return { string: v.toString('utf8') };
    } else if (no === 2 && typeof v === 'number') o.int = v;
    else if (no === 3 && Buffer.isBuffer(v)) o.str = v.toString('utf8');
  }
  return o;
}

function decode(message: string, buf: Buffer): Record<string, unknown> {
  if (message === 'Quantity') return decodeRaw(buf);
  const table = MESSAGES[message];
  const out: Record<string, unknown> = {};
  for (const [no, , v] of fields(buf)) {
    const f = table[no];
    if (!f) {
      // gogo-protobuf writes every non-pointer field, set or not: an empty one carries nothing to lose.
      if (v === 0 || (Buffer.isBuffer(v) && v.length === 0)) continue;
      throw new Error(`field ${no} of ${message} is not understood by this simulator`);
    }
    const [name, type, repeated] = f;
    let value: unknown;
    if (type.startsWith('map:')) {
      const entry = decodeRaw2(v as Buffer, type.slice(4));
      const m = (out[name] ??= {}) as Record<string, unknown>;
      m[entry[0]] = entry[1];
      continue;
    }
    if (type in MESSAGES) value = decode(type, v as Buffer);
    else {
      value = scalar(type, v);
      // Non-pointer fields are always on the wire; zero values mean "unset" there, as omitempty does in JSON.
      if (!repeated && (value === '' || ((value === 0 || value === false) && !POINTERS.has(name)))) continue;
    }
    if (repeated) ((out[name] ??= []) as unknown[]).push(value);
    else out[name] = value;
  }
  return out;
}

function decodeRaw2(buf: Buffer, valueType: string): [string, unknown] {
  let key = '';
  let value: unknown = valueType === 'string' ? '' : valueType === 'bytes' ? '' : undefined;
  for (const [no, , v] of fields(buf)) {
    if (no === 1) key = (v as Buffer).toString('utf8');
    else if (no === 2) value = scalar(valueType, v);
  }
  return [key, value];
}

export function isProtobuf(contentType: string): boolean {
  return contentType.split(';')[0].trim() === 'application/vnd.kubernetes.protobuf';
}

/** Turns a protobuf body into the JSON object it stands for; unknown kinds or fields are a 415. */
export function decodeProtobufObject(body: Buffer): { apiVersion: string; kind: string; [k: string]: unknown } {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw unsupportedMediaType('application/vnd.kubernetes.protobuf (missing k8s envelope)', BODY_TYPES);
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  try {
    for (const [no, , v] of fields(body.subarray(4))) {
      if (no === 1 && Buffer.isBuffer(v)) {
        for (const [tn, , tv] of fields(v)) {
          if (tn === 1) apiVersion = (tv as Buffer).toString('utf8');
          if (tn === 2) kind = (tv as Buffer).toString('utf8');
        }
      } else if (no === 2 && Buffer.isBuffer(v)) raw = v;
    }
    if (!MESSAGES[kind] || !raw)
      throw new Error(`kind "${kind}" is not decoded from protobuf by this simulator; send JSON`);
    const obj = decode(kind, raw);
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    if (meta.creationTimestamp === null) delete meta.creationTimestamp;
    return { apiVersion, kind, ...obj };
  } catch (e) {
    throw unsupportedMediaType(`application/vnd.kubernetes.protobuf: ${(e as Error).message}`, BODY_TYPES);
  }
}
