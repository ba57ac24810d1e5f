// Helm 3's Secret storage driver, read and written the way Helm does it (helm/helm pkg/storage/driver/secrets.go):
// one Secret per revision, `sh.helm.release.v1.<name>.v<revision>`, type `helm.sh/release.v1`, labels name, owner=helm,
// status, version plus createdAt (Create) or modifiedAt (Update), and `data.release` = base64(gzip(JSON)) inside the
// API's own base64. Records are decoded as plain JSON objects so that an update keeps every key Helm wrote.
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import type { KObject } from '../kube/descriptors';
import type { KubeActions } from '../kube/actions';
import { toKubeError } from '../kube/errors';

/** A release as Helm stores it; only the keys we read are typed, the rest are carried through untouched. */
export interface ReleaseJson {
  name: string;
  namespace: string;
  version: number;
  info?: {
    first_deployed?: string;
    last_deployed?: string;
    deleted?: string;
    description?: string;
    status?: string;
    notes?: string;
    [k: string]: unknown;
  };
  chart?: {
    metadata?: { name?: string; version?: string; appVersion?: string; [k: string]: unknown };
    values?: unknown;
    [k: string]: unknown;
  };
  config?: unknown;
  manifest?: string;
  hooks?: HookJson[];
  [k: string]: unknown;
}

export interface HookJson {
  name?: string;
  kind?: string;
  path?: string;
  manifest?: string;
  events?: string[];
  last_run?: { started_at?: string; completed_at?: string; phase?: string };
  weight?: number;
  delete_policies?: string[];
}

/** One stored revision: the Secret and its decoded release; `userLabels` are the labels that are not Helm's own. */
export interface ReleaseRecord {
  secret: KObject;
  /** The Secret's namespace (the release's). */
  namespace: string;
  rel: ReleaseJson;
  userLabels: Record<string, string>;
}

/** The labels the driver owns (`pkg/storage/driver/util.go`); any other label is a user's release label. */
const SYSTEM_LABELS = new Set(['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt']);

export const recordName = (release: string, version: number): string => `sh.helm.release.v1.${release}.v${version}`;

/** `data.release` of a Secret as the API returns it → the release JSON; gunzips only when the gzip magic is there. */
export function decodeReleaseData(raw: string): ReleaseJson | undefined {
  try {
    let b = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
    if (b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) b = gunzipSync(b);
    const r = JSON.parse(b.toString('utf8')) as ReleaseJson;
    return r && typeof r === 'object' && typeof r.name === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The release JSON → `data.release` as the API takes it: base64(base64(gzip(JSON))), gzip at best compression. */
export function encodeReleaseData(rel: ReleaseJson): string {
  const inner = gzipSync(Buffer.from(JSON.stringify(rel)), { level: constants.Z_BEST_COMPRESSION }).toString('base64');
  return Buffer.from(inner).toString('base64');
}

export function decodeRelease(secret: KObject): ReleaseJson | undefined {
  const raw = (secret.data as Record<string, string> | undefined)?.release;
  return raw ? decodeReleaseData(raw) : undefined;
}

export function isReleaseSecret(s: KObject): boolean {
  return s.type === 'helm.sh/release.v1' && s.metadata.labels?.owner === 'helm';
}

export function record(secret: KObject): ReleaseRecord | undefined {
  const rel = decodeRelease(secret);
  if (!rel) return undefined;
  const userLabels = Object.fromEntries(
    Object.entries(secret.metadata.labels ?? {}).filter(([k]) => !SYSTEM_LABELS.has(k)),
  );
  return { secret, namespace: secret.metadata.namespace ?? rel.namespace, rel, userLabels };
}

/** Every stored revision of a release, oldest first, read from the server (`History`: labels name and owner=helm). */
export async function releaseRecords(a: KubeActions, namespace: string, name: string): Promise<ReleaseRecord[]> {
  const secrets = await a.list('secrets', namespace, { labelSelector: `name=${name},owner=helm` });
  return secrets
    .map(record)
    .filter((r): r is ReleaseRecord => Boolean(r))
    .sort((x, y) => x.rel.version - y.rel.version);
}

const unixNow = (): string => String(Math.floor(Date.now() / 1000));

/** The Secret the driver writes for a release: user labels, then the system labels (`newSecretsObject`). */
function secretOf(rel: ReleaseJson, namespace: string, labels: Record<string, string>): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: recordName(rel.name, rel.version),
      namespace,
      labels: {
        ...labels,
        name: rel.name,
        owner: 'helm',
        status: rel.info?.status ?? 'unknown',
        version: String(rel.version),
      },
    },
    data: { release: encodeReleaseData(rel) },
  };
}

/** `Secrets.Create`: a new record, labelled createdAt. */
export async function createRecord(
  a: KubeActions,
  namespace: string,
  rel: ReleaseJson,
  userLabels: Record<string, string>,
): Promise<ReleaseRecord> {
  const secret = await a.write('create', 'secrets', secretOf(rel, namespace, { ...userLabels, createdAt: unixNow() }));
  return { secret, namespace, rel, userLabels };
}

/**
 * `Secrets.Update`: the record replaced whole, labelled modifiedAt. As in Helm, the labels are rebuilt from the user
 * labels and the release, so createdAt does not survive an update.
 */
export async function updateRecord(a: KubeActions, rec: ReleaseRecord): Promise<void> {
  rec.secret = await a.write(
    'replace',
    'secrets',
    secretOf(rec.rel, rec.namespace, { ...rec.userLabels, modifiedAt: unixNow() }),
  );
}

/** `Secrets.Delete`; a record that is already gone is no error. */
export async function deleteRecord(a: KubeActions, rec: ReleaseRecord): Promise<void> {
  try {
    await a.delete('secrets', rec.namespace, recordName(rec.rel.name, rec.rel.version));
  } catch (e) {
    if (toKubeError(e).code !== 'notFound') throw e;
  }
}
