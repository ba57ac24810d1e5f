// Helm 3 without the helm binary for reads: release records are `helm.sh/release.v1` secrets whose `release` key is
// base64(gzip(JSON)) inside the API's own base64. Writes (rollback, install) run the real helm binary, never a shell.
import type { ActionResult } from '../../shared/routes/resources';
import { execFile } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { isMap, parseAllDocuments } from 'yaml';
import { MASK } from '../api/rows';
import type { HelmHistoryEntry, HelmRelease, HelmReleaseSummary } from '../../shared/routes/integrations';
import type { Params } from './util';
import type { KObject } from '../kube/descriptors';
import type { ApiDeps } from '../api/deps';
import { ApiError, badRequest, notFound } from '../api/errors';
import { contextOf } from '../api/common';

interface ReleaseJson {
  name: string;
  namespace: string;
  version: number;
  info?: { first_deployed?: string; last_deployed?: string; description?: string; status?: string; notes?: string };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string }; values?: unknown };
  config?: unknown;
  manifest?: string;
}

export function decodeRelease(secret: KObject): ReleaseJson | undefined {
  const raw = (secret.data as Record<string, string> | undefined)?.release;
  if (!raw) return undefined;
  try {
    let b = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
    if (b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) b = gunzipSync(b);
    return JSON.parse(b.toString('utf8')) as ReleaseJson;
  } catch {
    return undefined;
  }
}

export async function releaseSecrets(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<KObject[]> {
  const ctx = contextOf(deps, context);
  const { cache } = await deps.lists.cache(ctx, 'secrets', namespace || undefined);
  const all = namespace ? cache.index.inNamespace(namespace) : cache.list();
  return all.filter((s) => s.type === 'helm.sh/release.v1' && s.metadata.labels?.owner === 'helm');
}

function summary(r: ReleaseJson, s: KObject): HelmReleaseSummary {
  return {
    name: r.name,
    namespace: r.namespace ?? s.metadata.namespace ?? '',
    revision: r.version,
    status: r.info?.status ?? s.metadata.labels?.status ?? 'unknown',
    chart: r.chart?.metadata?.name ?? '',
    chartVersion: r.chart?.metadata?.version ?? '',
    appVersion: r.chart?.metadata?.appVersion ?? '',
    updated: r.info?.last_deployed ?? '',
    description: r.info?.description ?? '',
  };
}

/** Keys whose values are credentials by name (chart values carry passwords as `auth.password`, `apiKey`, …). */
const SECRET_KEY =
  /pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|auth[-_]?key|access[-_]?key|cert(ificate)?[-_]?key/i;

/** Values with every credential-named leaf replaced by MASK, as the secret routes show a Secret. */
export function maskValues(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => maskValues(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValues(x, k)]));
  return SECRET_KEY.test(key) && v !== null && v !== '' && typeof v !== 'boolean' ? MASK : v;
}

/** A rendered manifest with the values of every Secret's data/stringData masked (keys kept), the rest as written. */
export function maskManifest(manifest: string): string {
  if (!/\bkind:\s*["']?Secret\b/.test(manifest)) return manifest;
  let docs;
  try {
    docs = parseAllDocuments(manifest);
  } catch {
    return '# (the manifest could not be read, so it is not shown: it may hold Secret values)\n';
  }
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length))
    return '# (the manifest could not be read, so it is not shown: it may hold Secret values)\n';
  return docs
    .map((d) => {
      if (d.get('kind') === 'Secret') {
        for (const field of ['data', 'stringData']) {
          const m = d.get(field);
          if (isMap(m)) for (const item of m.items) item.value = d.createNode(MASK);
        }
      }
      return d.toString();
    })
    .join('');
}

/** Every revision of every release, decoded. */
async function decoded(deps: ApiDeps, context: string | undefined, namespace?: string) {
  return (await releaseSecrets(deps, context, namespace))
    .map((s) => ({ s, r: decodeRelease(s) }))
    .filter((x): x is { s: KObject; r: ReleaseJson } => Boolean(x.r));
}

/** Like `helm list -A`: the newest revision of each release. */
export async function listReleases(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<HelmReleaseSummary[]> {
  const latest = new Map<string, { s: KObject; r: ReleaseJson }>();
  for (const x of await decoded(deps, context, namespace)) {
    const key = `${x.r.namespace}/${x.r.name}`;
    const cur = latest.get(key);
    if (!cur || x.r.version > cur.r.version) latest.set(key, x);
  }
  return [...latest.values()]
    .map((x) => summary(x.r, x.s))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export async function releaseHistory(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string,
  name: string,
): Promise<HelmHistoryEntry[]> {
  const revs = (await decoded(deps, context, namespace))
    .filter((x) => x.r.name === name)
    .sort((a, b) => a.r.version - b.r.version);
  if (!revs.length) throw notFound(`no Helm release "${name}" in namespace ${namespace}`);
  return revs.map(({ r }) => ({
    revision: r.version,
    updated: r.info?.last_deployed ?? '',
    status: r.info?.status ?? 'unknown',
    chart: `${r.chart?.metadata?.name ?? ''}-${r.chart?.metadata?.version ?? ''}`,
    app_version: r.chart?.metadata?.appVersion ?? '',
    description: r.info?.description ?? '',
  }));
}

export async function releaseDetails(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string,
  name: string,
): Promise<HelmRelease> {
  const revs = (await decoded(deps, context, namespace)).filter((x) => x.r.name === name);
  if (!revs.length) throw notFound(`no Helm release "${name}" in namespace ${namespace}`);
  const { r, s } = revs.sort((a, b) => b.r.version - a.r.version)[0];
  return {
    ...summary(r, s),
    firstDeployed: r.info?.first_deployed ?? '',
    notes: r.info?.notes ?? '',
    values: maskValues(r.chart?.values ?? {}),
    config: maskValues(r.config ?? {}),
    manifest: maskManifest(r.manifest ?? ''),
  };
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface HelmCall {
  /** `install`, `rollback`, `uninstall`… */
  command: string;
  release: string;
  namespace: string;
  /** Positional arguments after the release (a chart reference, a revision): ours, never a user's free text. */
  rest?: string[];
  /** Flags of ours (`--wait`, `--repo URL`). */
  flags?: string[];
}

/**
 * Runs `helm COMMAND FLAGS --namespace=NS --kube-context=C -- RELEASE REST` with our kubeconfig files, as an argument
 * array (no shell). The release and namespace must be Kubernetes names (a release named `--kubeconfig=…` in a crafted
 * secret is refused), and `--` ends the flags before any positional argument. ENOENT becomes "install helm".
 */
export function runHelm(deps: ApiDeps, context: string, call: HelmCall, timeoutMs = 300_000): Promise<string> {
  if (call.release.length > 53 || !RELEASE_NAME.test(call.release))
    return Promise.reject(badRequest(`"${call.release.slice(0, 80)}" is not a valid Helm release name`));
  if (call.namespace.length > 63 || !NAMESPACE.test(call.namespace))
    return Promise.reject(badRequest(`"${call.namespace.slice(0, 80)}" is not a valid namespace name`));
  const argv = [
    call.command,
    ...(call.flags ?? []),
    `--namespace=${call.namespace}`,
    `--kube-context=${context}`,
    '--',
    call.release,
    ...(call.rest ?? []),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      'helm',
      argv,
      {
        env: { ...process.env, KUBECONFIG: deps.kubeconfigFiles.join(process.platform === 'win32' ? ';' : ':') },
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
        shell: false,
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(
            new ApiError(
              'helmNotFound',
              'the helm binary is not on PATH; install Helm 3 (https://helm.sh/docs/intro/install/) to change releases',
              424,
            ),
          );
        reject(
          new ApiError(
            'helmFailed',
            `helm ${call.command} failed: ${(stderr || err.message).trim().slice(0, 2000)}`,
            502,
          ),
        );
      },
    );
  });
}

/** `helm rollback --wait` to a revision the release has, or to the previous one. */
export async function rollbackRelease(deps: ApiDeps, p: Params<'helm.rollback'>): Promise<ActionResult> {
  const hist = await releaseHistory(deps, p.context, p.namespace, p.name);
  if (p.revision !== undefined && !hist.some((h) => h.revision === p.revision))
    throw new ApiError('notFound', `release ${p.name} has no revision ${p.revision}`, 404);
  if (p.revision === undefined && hist.length < 2)
    throw new ApiError('badRequest', `release ${p.name} has no previous revision`, 400);
  const ctx = contextOf(deps, p.context);
  await runHelm(deps, ctx, {
    command: 'rollback',
    release: p.name,
    namespace: p.namespace,
    rest: p.revision ? [String(p.revision)] : [],
    flags: ['--wait'],
  });
  return {
    ok: true,
    message: `rolled back ${p.namespace}/${p.name}${p.revision ? ` to revision ${p.revision}` : ''}`,
  };
}
