// What the Certificates page shows: cert-manager Certificates (Ready, expiry, renewal, issuer, secret) and the
// certificate inside every kubernetes.io/tls Secret, with one notion of "expiring" that the engine (incidents) and
// the page (badges that follow the clock) share.

/** How close a certificate is to its notAfter. */
export type ExpiryLevel = 'ok' | 'warning' | 'critical' | 'expired';

/** Fewer days left than this: a warning (cert-manager renews at ⅔ of a 90-day lifetime, i.e. 30 days before). */
export const EXPIRY_WARNING_DAYS = 30;
/** Fewer days left than this: critical. */
export const EXPIRY_CRITICAL_DAYS = 7;

const DAY_MS = 86_400_000;

/** The level of a certificate ending at `notAfter` (ISO or ms), seen at `now` (ms); undefined without a time. */
export function expiryLevel(notAfter: string | number | undefined, now: number): ExpiryLevel | undefined {
  if (notAfter === undefined || notAfter === '') return undefined;
  const end = typeof notAfter === 'number' ? notAfter : Date.parse(notAfter);
  if (!Number.isFinite(end)) return undefined;
  const left = end - now;
  if (left <= 0) return 'expired';
  if (left < EXPIRY_CRITICAL_DAYS * DAY_MS) return 'critical';
  if (left < EXPIRY_WARNING_DAYS * DAY_MS) return 'warning';
  return 'ok';
}

/**
 * "expires in 12 days", "expires in 2 days 23 hours", "expires in 5 hours", "expired 9 days ago": whole days (rounded)
 * from a week on, days and hours inside the critical week, so the words never contradict the level's badge.
 */
export function expiryText(notAfter: string | number | undefined, now: number): string {
  if (notAfter === undefined || notAfter === '') return '';
  const end = typeof notAfter === 'number' ? notAfter : Date.parse(notAfter);
  if (!Number.isFinite(end)) return '';
  const left = end - now;
  const HOUR = 3_600_000;
  const n = (k: number, unit: string) => `${k} ${unit}${k === 1 ? '' : 's'}`;
  const a = Math.abs(left);
  const span =
    a >= EXPIRY_CRITICAL_DAYS * DAY_MS
      ? n(Math.round(a / DAY_MS), 'day')
      : a >= 2 * DAY_MS
        ? `${n(Math.floor(a / DAY_MS), 'day')}${Math.floor((a % DAY_MS) / HOUR) ? ` ${n(Math.floor((a % DAY_MS) / HOUR), 'hour')}` : ''}`
        : a >= 2 * HOUR
          ? n(Math.floor(a / HOUR), 'hour')
          : n(Math.max(1, Math.floor(a / 60_000)), 'minute');
  return left > 0 ? `expires in ${span}` : `expired ${span} ago`;
}

/** What a certificate says about itself (the leaf of a PEM chain); never any key material. */
export interface X509Summary {
  /** Distinguished names, one attribute per line as Node prints them, joined with ", ". */
  subject: string;
  commonName?: string;
  /** DNS names and IP addresses of the subjectAltName extension. */
  sans: string[];
  issuer: string;
  issuerCommonName?: string;
  notBefore: string;
  notAfter: string;
  serialNumber: string;
  fingerprintSha256: string;
  isCA: boolean;
  selfSigned: boolean;
  /** Certificates in tls.crt (leaf plus intermediates). */
  chainLength: number;
  /** `EC P-256`, `RSA 2048`… */
  keyType?: string;
}

/** One kubernetes.io/tls Secret and its certificate. */
export interface TlsSecretInfo {
  namespace: string;
  name: string;
  created?: string;
  /** The certificate, when tls.crt parses. */
  cert?: X509Summary;
  /** Why it does not (missing tls.crt, not PEM, not a certificate). */
  error?: string;
  level?: ExpiryLevel;
  /** The cert-manager Certificate that writes this Secret (its annotations say so). */
  certificate?: string;
  issuerName?: string;
  issuerKind?: string;
  /** Ingresses that serve it (`spec.tls[].secretName`). */
  usedBy: string[];
}

/** One cert-manager Certificate (cert-manager.io/v1). */
export interface CertManagerCertificate {
  namespace: string;
  name: string;
  created?: string;
  /** The Ready condition's status: True, False or Unknown. */
  ready: string;
  readyReason?: string;
  readyMessage?: string;
  /** Present while an issuance is under way or pending (the Issuing condition is True). */
  issuing?: { reason?: string; message?: string; since?: string };
  notBefore?: string;
  notAfter?: string;
  renewalTime?: string;
  revision?: number;
  failedIssuanceAttempts?: number;
  lastFailureTime?: string;
  issuerRef: { name: string; kind: string; group: string };
  secretName: string;
  dnsNames: string[];
  commonName?: string;
  level?: ExpiryLevel;
  /** The certificate actually in the Secret, when there is one. */
  secretCert?: X509Summary;
}

export interface CertificatesOverview {
  certManager: {
    /** The cluster serves certificates.cert-manager.io. */
    installed: boolean;
    version?: string;
    message: string;
  };
  certificates: CertManagerCertificate[];
  tlsSecrets: TlsSecretInfo[];
  thresholds: { warningDays: number; criticalDays: number };
}
