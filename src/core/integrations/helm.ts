// Helm 3 without the helm binary for reads: release records are `helm.sh/release.v1` secrets whose `release` key is
// base64(gzip(JSON)) inside the API's own base64 (helmStorage.ts). Rollback and uninstall are native too
// (helmNative.ts); install runs the real helm binary, as an argument array, never through a shell.
import { execFile } from 'node:child_process';
import type { HelmHistoryEntry, HelmHook, HelmRelease, HelmReleaseSummary } from '../../shared/routes/integrations';
import type { KObject } from '../kube/descriptors';
import type { ApiDeps } from '../api/deps';
import { ApiError, notFound } from '../api/errors';
import { contextOf } from '../api/common';
import { decodeRelease, isReleaseSecret, type ReleaseJson } from './helmStorage';
import { checkRelease } from './helmNative';
import { coalesceValues, maskManifest, maskValues } from './helmValues';

export { decodeRelease };

export async function releaseSecrets(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<KObject[]> {
  const ctx = contextOf(deps, context);
  const { cache } = await deps.lists.cache(ctx, 'secrets', namespace || undefined);
  const all = namespace ? cache.index.inNamespace(namespace) : cache.list();
  return all.filter(isReleaseSecret);
}

export function summary(r: ReleaseJson, s: KObject): HelmReleaseSummary {
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

/** Every revision of every release among these Secrets, decoded. */
export function decodeAll(secrets: readonly KObject[]): Array<{ s: KObject; r: ReleaseJson }> {
  return secrets
    .filter(isReleaseSecret)
    .map((s) => ({ s, r: decodeRelease(s) }))
    .filter((x): x is { s: KObject; r: ReleaseJson } => Boolean(x.r));
}

async function decoded(deps: ApiDeps, context: string | undefined, namespace?: string) {
  return decodeAll(await releaseSecrets(deps, context, namespace));
}

/** Like `helm list -A --all`: the newest revision of each release among these Secrets. */
export function releasesOf(secrets: readonly KObject[]): HelmReleaseSummary[] {
  const latest = new Map<string, { s: KObject; r: ReleaseJson }>();
  for (const x of decodeAll(secrets)) {
    const key = `${x.r.namespace}/${x.r.name}`;
    const cur = latest.get(key);
    if (!cur || x.r.version > cur.r.version) latest.set(key, x);
  }
  return [...latest.values()]
    .map((x) => summary(x.r, x.s))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** `helm history` rows of one release among these Secrets, oldest first. */
export function historyOf(secrets: readonly KObject[], namespace: string, name: string): HelmHistoryEntry[] {
  return decodeAll(secrets)
    .filter((x) => x.r.name === name && (x.s.metadata.namespace ?? x.r.namespace) === namespace)
    .sort((a, b) => a.r.version - b.r.version)
    .map(({ r }) => ({
      revision: r.version,
      updated: r.info?.last_deployed ?? '',
      status: r.info?.status ?? 'unknown',
      chart: `${r.chart?.metadata?.name ?? ''}-${r.chart?.metadata?.version ?? ''}`,
      app_version: r.chart?.metadata?.appVersion ?? '',
      description: r.info?.description ?? '',
    }));
}

export async function listReleases(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<HelmReleaseSummary[]> {
  return releasesOf(await releaseSecrets(deps, context, namespace));
}

export async function releaseHistory(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string,
  name: string,
): Promise<HelmHistoryEntry[]> {
  const rows = historyOf(await releaseSecrets(deps, context, namespace), namespace, name);
  if (!rows.length) throw notFound(`no Helm release "${name}" in namespace ${namespace}`);
  return rows;
}

function hookOf(h: NonNullable<ReleaseJson['hooks']>[number]): HelmHook {
  const out: HelmHook = {
    name: h.name ?? '',
    kind: h.kind ?? '',
    events: h.events ?? [],
    weight: h.weight ?? 0,
    deletePolicies: h.delete_policies ?? [],
  };
  if (h.last_run?.phase)
    out.lastRun = {
      phase: h.last_run.phase,
      startedAt: h.last_run.started_at ?? '',
      completedAt: h.last_run.completed_at ?? '',
    };
  return out;
}

/** One revision of a release (the newest unless `revision` is given), values and manifest masked. */
export async function releaseDetails(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string,
  name: string,
  revision?: number,
): Promise<HelmRelease> {
  const revs = (await decoded(deps, context, namespace))
    .filter((x) => x.r.name === name)
    .sort((a, b) => b.r.version - a.r.version);
  if (!revs.length) throw notFound(`no Helm release "${name}" in namespace ${namespace}`);
  const pick = revision === undefined ? revs[0] : revs.find((x) => x.r.version === revision);
  if (!pick) throw notFound(`release ${name} has no revision ${revision}`);
  const { r, s } = pick;
  return {
    ...summary(r, s),
    firstDeployed: r.info?.first_deployed ?? '',
    notes: r.info?.notes ?? '',
    values: maskValues(r.chart?.values ?? {}),
    config: maskValues(r.config ?? {}),
    computed: maskValues(coalesceValues(r.chart?.values ?? {}, r.config ?? {})),
    manifest: maskManifest(r.manifest ?? ''),
    hooks: (r.hooks ?? []).map(hookOf),
    chartMetadata: { ...(r.chart?.metadata ?? {}) },
    latestRevision: revs[0].r.version,
  };
}

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
  try {
    checkRelease(call.release, call.namespace);
  } catch (e) {
    return Promise.reject(e as Error);
  }
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

export interface HelmBinary {
  available: boolean;
  /** `helm version --short` (v3.16.2+g13654a5). */
  version?: string;
  message: string;
}

let probe: { key: string; at: number; result: Promise<HelmBinary> } | undefined;

/**
 * Whether a helm binary is on PATH (what install and upgrade need), from `helm version --short`; remembered for 30 s
 * per PATH so the capabilities route and the install check stay cheap.
 */
export function helmBinary(now = Date.now()): Promise<HelmBinary> {
  const key = process.env.PATH ?? '';
  if (probe && probe.key === key && now - probe.at < 30_000) return probe.result;
  const result = new Promise<HelmBinary>((resolve) =>
    execFile('helm', ['version', '--short'], { timeout: 5000, shell: false }, (err, stdout, stderr) => {
      if (!err) {
        const version = stdout.trim().split('\n')[0];
        const v2 = /^v2\./.test(version) || /Client: &version/.test(stdout);
        return resolve(
          v2
            ? { available: false, version, message: `helm ${version} is Helm 2; KubeGraf needs Helm 3` }
            : { available: true, version, message: `helm ${version} on PATH` },
        );
      }
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return resolve({
          available: false,
          message:
            'No helm binary on PATH: installing and upgrading charts need Helm 3 (https://helm.sh/docs/intro/install/)',
        });
      resolve({
        available: false,
        message: `helm is on PATH but did not run: ${(stderr || err.message).trim().slice(0, 300)}`,
      });
    }),
  );
  probe = { key, at: now, result };
  return result;
}
