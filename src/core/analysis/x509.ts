// Reading the certificate of a kubernetes.io/tls Secret: the leaf of the PEM chain in `tls.crt`, summarised (subject,
// SANs, issuer, validity, fingerprint) with node:crypto. The private key is never read. Parsing is cached by the
// base64 text, so watch events and page reloads of an unchanged Secret cost a map lookup.
import { X509Certificate } from 'node:crypto';
import type { X509Summary } from '../../shared/certificates';

export type ParsedCert = { cert: X509Summary } | { error: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const CACHE_MAX = 2000;
const cache = new Map<string, ParsedCert>();

/** `CN=a\nO=b` (Node's form) → `CN=a, O=b`; and the CN alone. */
function dn(s: string): { text: string; cn?: string } {
  const parts = s.split('\n').filter(Boolean);
  const cn = parts.find((p) => p.startsWith('CN='))?.slice(3);
  return { text: parts.join(', '), ...(cn ? { cn } : {}) };
}

function keyType(x: X509Certificate): string | undefined {
  const k = x.publicKey;
  const d = k.asymmetricKeyDetails;
  if (k.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[d?.namedCurve ?? ''] ?? d?.namedCurve;
    return `EC ${curve ?? ''}`.trim();
  }
  if (k.asymmetricKeyType === 'rsa') return `RSA ${d?.modulusLength ?? ''}`.trim();
  return k.asymmetricKeyType?.toUpperCase();
}

function summarise(pem: string): ParsedCert {
  const blocks = pem.match(PEM_BLOCK);
  if (!blocks?.length) return { error: 'tls.crt holds no PEM certificate' };
  let x: X509Certificate;
  try {
    x = new X509Certificate(blocks[0]);
  } catch (e) {
    return { error: `tls.crt is not a valid certificate: ${(e as Error).message}` };
  }
  const subject = dn(x.subject);
  const issuer = dn(x.issuer);
  const sans = (x.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => s.replace(/^DNS:/, '').replace(/^IP Address:/, ''))
    .filter(Boolean);
  const selfSigned = (() => {
    try {
      return x.checkIssued(x) && x.verify(x.publicKey);
    } catch {
      return false;
    }
  })();
  return {
    cert: {
      subject: subject.text,
      ...(subject.cn ? { commonName: subject.cn } : {}),
      sans,
      issuer: issuer.text,
      ...(issuer.cn ? { issuerCommonName: issuer.cn } : {}),
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      serialNumber: x.serialNumber,
      fingerprintSha256: x.fingerprint256,
      isCA: x.ca,
      selfSigned,
      chainLength: blocks.length,
      ...(keyType(x) ? { keyType: keyType(x) } : {}),
    },
  };
}

/** The certificate of a Secret's `data['tls.crt']` (base64, as the API gives it). */
export function parseTlsCrt(b64: string | undefined): ParsedCert {
  if (!b64) return { error: 'the Secret has no tls.crt' };
  const hit = cache.get(b64);
  if (hit) return hit;
  const r = summarise(Buffer.from(b64, 'base64').toString('utf8'));
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(b64, r);
  return r;
}
