// Reads certificates and keys at load time, as blackbox_exporter compiles its regexes early: a bad file is an input
// error before any connection is made, never a TLS failure blamed on the network.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { MAX_PEM_FILE_BYTES, readRegularFile, tooLargeText } from './read-regular-file.js';
import type { ScenarioErrorCode } from './scenario-error.js';

export class PemError extends Error {
  constructor(
    readonly code: ScenarioErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a PEM file (a regular file of at most MAX_PEM_FILE_BYTES), turning every failure into a PemError that says what to do. */
export function readPemFile(path: string, what: string): string {
  const read = readRegularFile(path, MAX_PEM_FILE_BYTES);
  if ('bytes' in read) return read.bytes.toString('utf8');
  const f = read.failure;
  switch (f.kind) {
    case 'not-found':
      throw new PemError(
        'pem.not-found',
        `${what} not found: ${path}`,
        'check the path (in a scenario file, relative paths start at the file’s folder)',
      );
    case 'directory':
      throw new PemError(
        'pem.unreadable',
        `${what} is a folder, not a file: ${path}`,
        'give the path of the PEM file itself',
      );
    case 'not-regular':
      throw new PemError(
        'pem.not-regular',
        `${what} ${path} is ${f.what}, not a regular file`,
        'mqttprobe reads certificates and keys only from regular files; save the PEM text to a file',
      );
    case 'too-large':
      throw new PemError(
        'pem.too-large',
        `${what} ${path} ${tooLargeText(f, 'a PEM file')}`,
        'this is not a certificate or key file; check the path (see docs/limits.md)',
      );
    case 'unreadable':
      throw new PemError(
        'pem.unreadable',
        `cannot read ${what} ${path} (${f.code})`,
        'check the file’s permissions',
      );
  }
}

/** Parses every certificate in a PEM bundle; throws PemError when there is none. */
export function parseCertificates(pem: string, path: string, what: string): X509Certificate[] {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  const certs: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certs.push(new X509Certificate(block));
    } catch (cause) {
      throw new PemError(
        'pem.invalid',
        `${what} ${path} holds a certificate that cannot be parsed (${(cause as Error).message})`,
      );
    }
  }
  if (certs.length === 0) {
    const hint = /PRIVATE KEY-----/.test(pem)
      ? 'this file holds a private key; did you swap `cert` and `key`?'
      : 'expected a PEM file starting with -----BEGIN CERTIFICATE-----';
    throw new PemError('pem.invalid', `${what} ${path} holds no PEM certificate`, hint);
  }
  return certs;
}

/** Loads a private key, decrypting it with the passphrase when it is encrypted. */
export function parsePrivateKey(pem: string, path: string, passphrase: string | undefined): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    const hint = /BEGIN CERTIFICATE/.test(pem)
      ? 'this file holds a certificate; did you swap `cert` and `key`?'
      : 'expected a PEM file starting with -----BEGIN PRIVATE KEY-----';
    throw new PemError('pem.invalid', `private key ${path} holds no PEM private key`, hint);
  }
  try {
    return createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? '';
    const text = (cause as Error).message;
    // OpenSSL 3 (Node 20) reports a missing passphrase as an interrupted read rather than ERR_MISSING_PASSPHRASE.
    const needsPassphrase =
      code === 'ERR_MISSING_PASSPHRASE' ||
      /passphrase required/i.test(text) ||
      (passphrase === undefined &&
        (code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || /ENCRYPTED/.test(pem)));
    if (needsPassphrase) {
      throw new PemError(
        'pem.passphrase',
        `private key ${path} is encrypted`,
        'set `auth.passphrase` (for example from an environment variable: ${KEY_PASSPHRASE})',
      );
    }
    if (passphrase !== undefined && /bad decrypt|decrypt/i.test(text)) {
      throw new PemError(
        'pem.passphrase',
        `the passphrase does not decrypt private key ${path}`,
        'check `auth.passphrase`',
      );
    }
    throw new PemError('pem.invalid', `private key ${path} cannot be read (${text})`);
  }
}

/** Checks that the key belongs to the certificate, which AWS would otherwise report as a bare handshake failure. */
export function checkKeyMatchesCertificate(
  cert: X509Certificate,
  key: KeyObject,
  certPath: string,
  keyPath: string,
): void {
  if (!cert.checkPrivateKey(key)) {
    throw new PemError(
      'pem.key-mismatch',
      `private key ${keyPath} does not belong to certificate ${certPath}`,
      'use the key that was created with this certificate (AWS names them …-private.pem.key and …-certificate.pem.crt)',
    );
  }
}

/** Whether a key file can be read by group or others, which ssh refuses and we warn about. */
export function isKeyFileExposed(path: string): boolean {
  try {
    return (statSync(path).mode & 0o077) !== 0;
  } catch {
    // Already read successfully; a stat race here is not worth an error.
    return false;
  }
}
