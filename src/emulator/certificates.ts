// A small PKI for the emulator and for tests: CAs, server and client certificates (EC P-256, SHA-256) as PEM.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// Node's WebCrypto, set explicitly so the library never depends on a global being present.
x509.cryptoProvider.set(webcrypto);

const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A certificate and its private key, both PEM (the key is PKCS#8 `PRIVATE KEY`). */
export interface CertificateAndKey {
  cert: string;
  key: string;
  /** The subject as OpenSSL prints it, e.g. `CN=mqttprobe emulator CA`. */
  subject: string;
  /** The issuer's subject; equals `subject` for a CA. */
  issuer: string;
}

/** A CA that can sign certificates: the PEM pair plus the loaded signing key. */
export interface CertificateAuthority extends CertificateAndKey {
  /** Used to sign leaf certificates; kept as a CryptoKey so signing needs no re-import. */
  signingKey: CryptoKey;
  /** Parsed CA certificate, for the issuer name and authority key identifier of what it signs. */
  certificate: x509.X509Certificate;
}

/** When a certificate is valid: the default is from an hour ago (clock skew) for `days` days; `expired` ended yesterday. */
export interface Validity {
  /** Make a certificate that expired a day ago. */
  expired?: boolean;
  /** Lifetime in days when not expired (default 365). */
  days?: number;
}

/** Options for a CA. */
export interface CaOptions extends Validity {
  /** Common name of the CA (default `mqttprobe emulator CA`). */
  commonName?: string;
}

/** Options for a server certificate. */
export interface ServerCertOptions extends Validity {
  /** The host name clients connect to (default `localhost`); it becomes the CN and the first SAN. */
  hostname?: string;
  /**
   * Every name in the SAN, DNS names and IP addresses mixed; replaces the default list
   * (`hostname`, `localhost`, `127.0.0.1`). Pass e.g. `['wrong-host.invalid']` for a certificate with the wrong host name.
   */
  altNames?: string[];
}

/** Options for a client certificate. */
export interface ClientCertOptions extends Validity {
  /** Common name, e.g. the thing name (default `mqttprobe-client`). */
  commonName?: string;
}

function validity({ expired = false, days = 365 }: Validity): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  if (expired) return { notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now - DAY_MS) };
  return { notBefore: new Date(now - HOUR_MS), notAfter: new Date(now + days * DAY_MS) };
}

// A random positive serial: the high bit cleared so DER never reads it as negative.
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function cnName(commonName: string): string {
  // Escape the characters that are special in an RFC 4514 string so any name round-trips.
  return `CN=${commonName.replace(/([,+"\\<>;=])/g, '\\$1')}`;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** Creates a self-signed CA (basicConstraints CA:true, keyCertSign). */
export async function createCa(options: CaOptions = {}): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const name = cnName(options.commonName ?? 'mqttprobe emulator CA');
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name,
    keys,
    signingAlgorithm: SIGNING,
    ...validity(options),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    cert: certificate.toString('pem') + '\n',
    key: await privateKeyPem(keys.privateKey),
    subject: certificate.subject,
    issuer: certificate.issuer,
    signingKey: keys.privateKey,
    certificate,
  };
}

async function createLeaf(
  ca: CertificateAuthority,
  commonName: string,
  usage: x509.ExtendedKeyUsage,
  altNames: string[] | undefined,
  period: Validity,
): Promise<CertificateAndKey> {
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([usage]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
  ];
  if (altNames && altNames.length > 0) {
    const entries = altNames.map((value) => ({
      type: isIP(value) ? ('ip' as const) : ('dns' as const),
      value,
    }));
    extensions.push(new x509.SubjectAlternativeNameExtension(entries));
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: cnName(commonName),
    issuer: ca.certificate.subject,
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: SIGNING,
    ...validity(period),
    extensions,
  });
  return {
    cert: certificate.toString('pem') + '\n',
    key: await privateKeyPem(keys.privateKey),
    subject: certificate.subject,
    issuer: certificate.issuer,
  };
}

/** Creates a TLS server certificate signed by `ca`, with the host name, `localhost` and `127.0.0.1` in its SAN by default. */
export async function createServerCert(
  ca: CertificateAuthority,
  options: ServerCertOptions = {},
): Promise<CertificateAndKey> {
  const hostname = options.hostname ?? 'localhost';
  const altNames = options.altNames ?? [...new Set([hostname, 'localhost', '127.0.0.1'])];
  return createLeaf(ca, hostname, x509.ExtendedKeyUsage.serverAuth, altNames, options);
}

/** Creates a TLS client certificate signed by `ca` (extendedKeyUsage clientAuth), like a device certificate. */
export async function createClientCert(
  ca: CertificateAuthority,
  options: ClientCertOptions = {},
): Promise<CertificateAndKey> {
  return createLeaf(
    ca,
    options.commonName ?? 'mqttprobe-client',
    x509.ExtendedKeyUsage.clientAuth,
    undefined,
    options,
  );
}
