// Real X.509 certificates for the simulated cluster's TLS Secrets, made synchronously with node:crypto: the scenario
// loads in one pass and the simulated cert-manager issues within a controller step, so the async WebCrypto path of
// tls.ts does not fit. The DER is written by hand (the handful of ASN.1 types a certificate needs); each issuer gets
// one P-256 key per process that signs everything it issues. Nothing here is meant to be trusted: it is demo PKI.
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

const tlv = (tag: number, body: Buffer): Buffer => {
  const n = body.length;
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...xs: Buffer[]) => tlv(0x30, Buffer.concat(xs));
const set = (...xs: Buffer[]) => tlv(0x31, Buffer.concat(xs));
const explicit = (n: number, x: Buffer) => tlv(0xa0 + n, x);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && !(b[i + 1] & 0x80)) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const p = dotted.split('.').map(Number);
  const out = [40 * p[0] + p[1]];
  for (const n of p.slice(2)) {
    const stack = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

const ATTR: Record<string, [string, number]> = {
  C: ['2.5.4.6', 0x13],
  O: ['2.5.4.10', 0x0c],
  OU: ['2.5.4.11', 0x0c],
  CN: ['2.5.4.3', 0x0c],
};

/** `{O: "Let's Encrypt", CN: "R11"}` → an RDNSequence in that order. */
function name(dn: Record<string, string>): Buffer {
  return seq(...Object.entries(dn).map(([k, v]) => set(seq(oid(ATTR[k][0]), tlv(ATTR[k][1], Buffer.from(v, 'utf8'))))));
}

function ipBytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

export interface IssueOptions {
  /** Subject DN, e.g. `{CN: 'shop.acme.example'}`. */
  subject: Record<string, string>;
  /** DNS names and IPv4 addresses for the subjectAltName extension. */
  sans?: string[];
  notBefore: Date;
  notAfter: Date;
  /** The issuer's DN; absent: self-signed with the certificate's own key. */
  issuer?: Record<string, string>;
  isCA?: boolean;
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
}

const issuerKeys = new Map<string, KeyObject>();
const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

function pem(der: Buffer, label: string): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** A certificate and its private key (PKCS#8), both PEM, signed ECDSA-SHA256 by the issuer's key. */
export function issueCertificate(o: IssueOptions): IssuedCert {
  const leaf = ecKey();
  let signer = leaf.privateKey;
  if (o.issuer) {
    const k = JSON.stringify(o.issuer);
    let ik = issuerKeys.get(k);
    if (!ik) issuerKeys.set(k, (ik = ecKey().privateKey));
    signer = ik;
  }
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const exts: Buffer[] = [];
  if (o.sans?.length)
    exts.push(
      seq(
        oid('2.5.29.17'),
        octets(
          seq(
            ...o.sans.map((s) => (/^\d+\.\d+\.\d+\.\d+$/.test(s) ? tlv(0x87, ipBytes(s)) : tlv(0x82, Buffer.from(s)))),
          ),
        ),
      ),
    );
  exts.push(seq(oid('2.5.29.19'), bool(true), octets(o.isCA ? seq(bool(true)) : seq())));
  if (!o.isCA) exts.push(seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1')))));
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaSha256,
    name(o.issuer ?? o.subject),
    seq(time(o.notBefore), time(o.notAfter)),
    name(o.subject),
    leaf.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...exts)),
  );
  const sig = sign('sha256', tbs, signer);
  const der = seq(tbs, ecdsaSha256, bits(sig));
  return {
    certPem: pem(der, 'CERTIFICATE'),
    keyPem: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/** A kubernetes.io/tls Secret's data (base64, as the API stores it) for an issued certificate. */
export function tlsData(c: IssuedCert): Record<string, string> {
  return {
    'tls.crt': Buffer.from(c.certPem).toString('base64'),
    'tls.key': Buffer.from(c.keyPem).toString('base64'),
  };
}
