// Certificates: cert-manager's Certificates (Ready, notAfter, renewalTime, issuer, secret) read from the watch cache,
// the certificate inside every kubernetes.io/tls Secret (parsed with node:crypto, whoever issued it), and renewing a
// Certificate the way `cmctl renew` does: the Issuing condition set to True, reason ManuallyTriggered, written to the
// status subresource, so cert-manager's issuing controller issues it again.
import type {
  CertificatesOverview,
  CertManagerCertificate,
  TlsSecretInfo,
  X509Summary,
} from '../../shared/certificates';
import { EXPIRY_CRITICAL_DAYS, EXPIRY_WARNING_DAYS, expiryLevel } from '../../shared/certificates';
import type { ActionResult } from '../../shared/routes/resources';
import { parseTlsCrt } from '../analysis/x509';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, notInstalled } from '../api/errors';
import type { KObject } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import type { Params } from './util';

export const CERTS = 'certificates.cert-manager.io' as const;
const TLS = 'kubernetes.io/tls';

interface Cond {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

const condOf = (o: KObject, type: string): Cond | undefined =>
  ((o.status?.conditions as Cond[] | undefined) ?? []).find((c) => c.type === type);

/** `quay.io/jetstack/cert-manager-controller:v1.16.1` → `v1.16.1`. */
const tagOf = (image: unknown) => (typeof image === 'string' ? /:([^:/@]+)(@|$)/.exec(image)?.[1] : undefined);

function tlsSecretInfo(s: KObject, usedBy: string[], now: number): TlsSecretInfo {
  const a = s.metadata.annotations ?? {};
  const parsed = parseTlsCrt((s.data as Record<string, string> | undefined)?.['tls.crt']);
  const cert = 'cert' in parsed ? parsed.cert : undefined;
  return {
    namespace: s.metadata.namespace ?? '',
    name: s.metadata.name,
    ...(s.metadata.creationTimestamp ? { created: s.metadata.creationTimestamp } : {}),
    ...(cert ? { cert, level: expiryLevel(cert.notAfter, now) } : { error: (parsed as { error: string }).error }),
    ...(a['cert-manager.io/certificate-name'] ? { certificate: a['cert-manager.io/certificate-name'] } : {}),
    ...(a['cert-manager.io/issuer-name'] ? { issuerName: a['cert-manager.io/issuer-name'] } : {}),
    ...(a['cert-manager.io/issuer-kind'] ? { issuerKind: a['cert-manager.io/issuer-kind'] } : {}),
    usedBy,
  };
}

function certificateInfo(c: KObject, secretCert: X509Summary | undefined, now: number): CertManagerCertificate {
  const st = (c.status ?? {}) as Record<string, unknown>;
  const spec = (c.spec ?? {}) as Record<string, unknown>;
  const ready = condOf(c, 'Ready');
  const issuing = condOf(c, 'Issuing');
  const ref = (spec.issuerRef ?? {}) as { name?: string; kind?: string; group?: string };
  const notAfter = typeof st.notAfter === 'string' ? st.notAfter : undefined;
  return {
    namespace: c.metadata.namespace ?? '',
    name: c.metadata.name,
    ...(c.metadata.creationTimestamp ? { created: c.metadata.creationTimestamp } : {}),
    ready: ready?.status ?? 'Unknown',
    ...(ready?.reason ? { readyReason: ready.reason } : {}),
    ...(ready?.message ? { readyMessage: ready.message } : {}),
    ...(issuing?.status === 'True'
      ? { issuing: { reason: issuing.reason, message: issuing.message, since: issuing.lastTransitionTime } }
      : {}),
    ...(typeof st.notBefore === 'string' ? { notBefore: st.notBefore } : {}),
    ...(notAfter ? { notAfter, level: expiryLevel(notAfter, now) } : {}),
    ...(typeof st.renewalTime === 'string' ? { renewalTime: st.renewalTime } : {}),
    ...(typeof st.revision === 'number' ? { revision: st.revision } : {}),
    ...(typeof st.failedIssuanceAttempts === 'number' ? { failedIssuanceAttempts: st.failedIssuanceAttempts } : {}),
    ...(typeof st.lastFailureTime === 'string' ? { lastFailureTime: st.lastFailureTime } : {}),
    issuerRef: { name: ref.name ?? '', kind: ref.kind ?? 'Issuer', group: ref.group ?? 'cert-manager.io' },
    secretName: String(spec.secretName ?? ''),
    dnsNames: Array.isArray(spec.dnsNames) ? (spec.dnsNames as string[]) : [],
    ...(typeof spec.commonName === 'string' ? { commonName: spec.commonName } : {}),
    ...(secretCert ? { secretCert } : {}),
  };
}

const byName = <T extends { namespace: string; name: string }>(a: T, b: T) =>
  a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

export async function certificatesOverview(
  deps: ApiDeps,
  p: Params<'certificates.overview'>,
): Promise<CertificatesOverview> {
  const ns = p.namespace || undefined;
  const now = Date.now();
  const [secrets, ingresses, certs] = await Promise.all([
    objects(deps, p.context, 'secrets', ns),
    objects(deps, p.context, 'ingresses', ns),
    objects(deps, p.context, CERTS, ns),
  ]);
  const usedBy = new Map<string, string[]>();
  for (const i of ingresses ?? [])
    for (const t of (i.spec?.tls as Array<{ secretName?: string }> | undefined) ?? []) {
      if (!t.secretName) continue;
      const k = `${i.metadata.namespace}/${t.secretName}`;
      usedBy.set(k, [...(usedBy.get(k) ?? []), i.metadata.name]);
    }
  const tlsSecrets = (secrets ?? [])
    .filter((s) => s.type === TLS)
    .map((s) => tlsSecretInfo(s, usedBy.get(`${s.metadata.namespace}/${s.metadata.name}`) ?? [], now))
    .sort(byName);
  const certOf = (namespace: string, name: string) =>
    tlsSecrets.find((s) => s.namespace === namespace && s.name === name)?.cert;
  const certificates = (certs ?? [])
    .map((c) =>
      certificateInfo(c, certOf(c.metadata.namespace ?? '', String((c.spec?.secretName as string) ?? '')), now),
    )
    .sort(byName);
  let version: string | undefined;
  if (certs) {
    const d = ((await objects(deps, p.context, 'deployments')) ?? []).find(
      (x) => x.metadata.name === 'cert-manager' || x.metadata.labels?.['app.kubernetes.io/name'] === 'cert-manager',
    );
    version =
      d?.metadata.labels?.['app.kubernetes.io/version'] ??
      tagOf((d?.spec?.template?.spec?.containers as Array<{ image?: string }> | undefined)?.[0]?.image);
  }
  return {
    certManager: certs
      ? {
          installed: true,
          ...(version ? { version } : {}),
          message: `cert-manager${version ? ` ${version}` : ''} manages ${certificates.length} certificate${
            certificates.length === 1 ? '' : 's'
          } here`,
        }
      : {
          installed: false,
          message:
            'cert-manager is not installed in this cluster (no certificates.cert-manager.io CRD): only the certificates of TLS Secrets are shown, and nothing renews them automatically.',
        },
    certificates,
    tlsSecrets,
    thresholds: { warningDays: EXPIRY_WARNING_DAYS, criticalDays: EXPIRY_CRITICAL_DAYS },
  };
}

/**
 * `cmctl renew`: the Issuing condition set to True (reason ManuallyTriggered) through the status subresource, at the
 * Certificate's current generation. A concurrent status write (cert-manager's own) is retried on the fresh object.
 */
export async function renewCertificate(deps: ApiDeps, p: Params<'certificate.renew'>): Promise<ActionResult> {
  const ctx = contextOf(deps, p.context);
  if (!(await objects(deps, ctx, CERTS))) throw notInstalled('cert-manager is not installed in this cluster');
  const a = deps.kube.actions(ctx);
  for (let attempt = 0; ; attempt++) {
    const c = (await a.get(CERTS, p.namespace, p.name).catch((e: unknown) => {
      if (e instanceof KubeError && e.code === 'notFound')
        throw new ApiError('notFound', `Certificate ${p.namespace}/${p.name} not found`, 404);
      throw e;
    })) as KObject;
    const conds = ((c.status?.conditions as Cond[] | undefined) ?? []).slice();
    const i = conds.findIndex((x) => x.type === 'Issuing');
    const prev = i >= 0 ? conds[i] : undefined;
    const next: Cond = {
      type: 'Issuing',
      status: 'True',
      reason: 'ManuallyTriggered',
      message: 'Certificate re-issuance manually triggered',
      observedGeneration: c.metadata.generation ?? 1,
      // As cert-manager's SetCertificateCondition: the transition time moves only when the status flips.
      lastTransitionTime:
        prev?.status === 'True' && prev.lastTransitionTime
          ? prev.lastTransitionTime
          : new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    if (i >= 0) conds[i] = next;
    else conds.push(next);
    try {
      await a.replaceStatus(CERTS, { ...c, status: { ...(c.status ?? {}), conditions: conds } });
      return {
        ok: true,
        message: `Manually triggered issuance of Certificate ${p.namespace}/${p.name}; cert-manager issues it shortly`,
      };
    } catch (e) {
      if (e instanceof KubeError && e.code === 'conflict' && attempt < 3) continue;
      throw e;
    }
  }
}
