// cert-manager's issuing path, as far as a user sees it: a Certificate whose Issuing condition was set by hand
// (`cmctl renew` sets Issuing=True, reason ManuallyTriggered, on the status subresource) is issued a moment later: a
// fresh key and certificate land in its Secret (type kubernetes.io/tls, with the cert-manager.io annotations), the
// status gets the new notBefore/notAfter/renewalTime and revision, Ready turns True and the Issuing condition goes.
// Issuance that the scenario left failing (payments-tls: DoesNotExist) keeps failing until someone renews it.
import type { KObj } from '../store';
import { issueCertificate, tlsData } from '../x509';
import type { Condition, Runtime } from './runtime';
import { findCondition, keyOf, setCondition } from './runtime';

const CERTS = 'cert-manager.io/certificates';
const DAY = 86_400_000;
/** The wait between the trigger and the new certificate (CertificateRequest, order, signing). */
const ISSUE_MS = 1500;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Go durations as cert-manager takes them (`2160h`, `720h0m0s`, `90m`). */
function goDuration(s: unknown): number | undefined {
  if (typeof s !== 'string' || !s) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g))
    ms += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'h'];
  return ms || undefined;
}

const triggered = (c: KObj) => {
  const i = findCondition(c.status?.conditions, 'Issuing');
  return i?.status === 'True' && i.reason === 'ManuallyTriggered';
};

/** The issuer's distinguished name as it appears in what it signs. */
function issuerDn(r: Runtime, c: KObj): Record<string, string> | undefined {
  const ref = (c.spec?.issuerRef ?? {}) as { name?: string; kind?: string };
  const iss =
    ref.kind === 'ClusterIssuer'
      ? r.get('cert-manager.io/clusterissuers', undefined, ref.name ?? '')
      : r.get('cert-manager.io/issuers', c.metadata.namespace, ref.name ?? '');
  if (!iss) return undefined;
  if (iss.spec?.selfSigned) return {};
  if (/letsencrypt/.test(String(iss.spec?.acme?.server ?? ''))) return { C: 'US', O: "Let's Encrypt", CN: 'R11' };
  return { CN: iss.metadata.name };
}

function issue(r: Runtime, key: string): void {
  let c = r.byKey(CERTS, key);
  if (!c || !triggered(c)) return;
  const ns = c.metadata.namespace!;
  const dn = issuerDn(r, c);
  const ref = c.spec?.issuerRef ?? {};
  if (!dn) {
    r.event(
      c,
      'Warning',
      'IssuerNotFound',
      `Referenced "${ref.kind ?? 'Issuer'}" not found: ${ref.name ?? ''}`,
      'cert-manager-certificates-trigger',
    );
    return;
  }
  const now = Date.now();
  const lifetime = goDuration(c.spec?.duration) ?? 90 * DAY;
  const notBefore = Math.floor(now / 1000) * 1000;
  const notAfter = notBefore + lifetime;
  const renewBefore = goDuration(c.spec?.renewBefore) ?? Math.round(lifetime / 3);
  const dnsNames = (c.spec?.dnsNames ?? []) as string[];
  const ips = (c.spec?.ipAddresses ?? []) as string[];
  const cn = (c.spec?.commonName as string | undefined) ?? dnsNames[0] ?? c.metadata.name;
  const issued = issueCertificate({
    subject: { CN: cn },
    sans: [...dnsNames, ...ips],
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    ...(Object.keys(dn).length ? { issuer: dn } : {}),
  });
  const secretName = String(c.spec?.secretName ?? c.metadata.name);
  const annotations = {
    'cert-manager.io/certificate-name': c.metadata.name,
    'cert-manager.io/issuer-name': String(ref.name ?? ''),
    'cert-manager.io/issuer-kind': String(ref.kind ?? 'Issuer'),
    'cert-manager.io/issuer-group': String(ref.group ?? 'cert-manager.io'),
    'cert-manager.io/common-name': cn,
    'cert-manager.io/alt-names': dnsNames.join(','),
    'cert-manager.io/ip-sans': ips.join(','),
  };
  const existing = r.get('secrets', ns, secretName);
  if (existing)
    r.update('secrets', {
      ...existing,
      type: 'kubernetes.io/tls',
      metadata: { ...existing.metadata, annotations: { ...(existing.metadata.annotations ?? {}), ...annotations } },
      data: { ...(existing.data ?? {}), ...tlsData(issued) },
    });
  else
    r.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace: ns, annotations },
      type: 'kubernetes.io/tls',
      data: tlsData(issued),
    });
  c = r.byKey(CERTS, key)!;
  const gen = c.metadata.generation ?? 1;
  const conds = setCondition(
    (c.status?.conditions as Condition[] | undefined)?.filter((x) => x.type !== 'Issuing'),
    {
      type: 'Ready',
      status: 'True',
      reason: 'Ready',
      message: 'Certificate is up to date and has not expired',
      observedGeneration: gen,
    } as Condition,
  );
  const status = { ...(c.status ?? {}) };
  delete status.failedIssuanceAttempts;
  delete status.lastFailureTime;
  r.setStatus(CERTS, c, {
    ...status,
    conditions: conds,
    notBefore: iso(notBefore),
    notAfter: iso(notAfter),
    renewalTime: iso(notAfter - renewBefore),
    revision: (Number(c.status?.revision) || 0) + 1,
  });
  r.event(c, 'Normal', 'Issuing', 'The certificate has been successfully issued', 'cert-manager-certificates-issuing');
}

export function installCertManager(r: Runtime): void {
  const waiting = new Set<string>();
  r.on(CERTS, (e) => e.type !== 'DELETED' && triggered(e.object) && r.enqueue('cert-manager', keyOf(e.object)));
  r.handle('cert-manager', (key) => {
    const c = r.byKey(CERTS, key);
    if (!c || !triggered(c) || waiting.has(key)) return;
    waiting.add(key);
    r.after(ISSUE_MS, () => {
      waiting.delete(key);
      issue(r, key);
    });
  });
}
