// `--web.config.file`: TLS and basic auth for `serve`, in the format of prometheus/exporter-toolkit (web/tls_config.go),
// so the same file and Prometheus's own `tls_config` and `basic_auth` work against mqttprobe as against any exporter.
// Parsed with positions and checked strictly, as the toolkit does: an unknown key is an error, never ignored.

import { dirname, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import { findHostileShape } from '../scenario/check-yaml-shape.js';
import { locate, parseYaml } from '../scenario/parse-yaml.js';
import { MAX_PEM_FILE_BYTES, type ReadFailure, readRegularFile } from '../scenario/read-regular-file.js';
import type { ScenarioError } from '../scenario/scenario-error.js';
import { Secret } from '../scenario/secret.js';
import { issuesToErrors } from '../scenario/zod-issues.js';

/** The toolkit's client_auth_type values, mapped to Node's requestCert / rejectUnauthorized below. */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
type ToolkitTlsVersion = keyof typeof TLS_VERSIONS;

/** A bcrypt hash as htpasswd -B and the toolkit's docs make them: `$2y$10$` and 53 characters. */
const BCRYPT_FORM = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;
/** Users a web config may list: a handful in practice; the bound keeps a generated file from costing memory. */
const MAX_USERS = 1000;
const MAX_WEB_CONFIG_BYTES = 1024 * 1024;

const version = z.enum(Object.keys(TLS_VERSIONS) as [ToolkitTlsVersion, ...ToolkitTlsVersion[]], {
  error: `expected one of: ${Object.keys(TLS_VERSIONS).join(', ')}`,
});
const path = z.string().min(1, { error: 'expected a file path' });

const webConfigSchema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert_file: path.optional(),
      key_file: path.optional(),
      cert: z.string().optional(),
      key: z.string().optional(),
      client_auth_type: z
        .enum(CLIENT_AUTH_TYPES, { error: `expected one of: ${CLIENT_AUTH_TYPES.join(', ')}` })
        .optional(),
      client_ca_file: path.optional(),
      client_ca: z.string().optional(),
      client_allowed_sans: z.array(z.string()).optional(),
      min_version: version.optional(),
      max_version: version.optional(),
    })
    .optional(),
  http_server_config: z
    .strictObject({
      http2: z.boolean().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  basic_auth_users: z
    .record(
      z.string().min(1, { error: 'a user name cannot be empty' }),
      z.string().regex(BCRYPT_FORM, {
        error:
          'expected a bcrypt hash such as `$2y$10$…` (make one with `htpasswd -nBC 10 "" | tr -d \':\\n\'`)',
      }),
    )
    .optional(),
});

/** TLS as Node's https server takes it. */
export interface WebTls {
  cert: string;
  key: Secret<string>;
  ca?: string;
  clientAuth: ClientAuthType;
  minVersion: (typeof TLS_VERSIONS)[ToolkitTlsVersion];
  maxVersion?: (typeof TLS_VERSIONS)[ToolkitTlsVersion];
  /** Client certificates must carry one of these in their subjectAltName (DNS, IP, e-mail or URI). */
  allowedSans?: string[];
}

export interface WebConfig {
  tls?: WebTls;
  /** User name → bcrypt hash; empty when basic auth is off. */
  users: Map<string, Secret<string>>;
  /** Headers added to every answer (`http_server_config.headers`). */
  headers: Record<string, string>;
}

export type LoadedWebConfig =
  | { ok: true; config: WebConfig }
  | { ok: false; errors: ScenarioError[]; text?: string };

function readFailureWords(file: string, what: string, f: ReadFailure): string {
  switch (f.kind) {
    case 'not-found':
      return `${file}: no such file`;
    case 'directory':
      return `${file} is a folder, not ${what}`;
    case 'not-regular':
      return `${file} is ${f.what}, not a regular file`;
    case 'too-large':
      return `${file} is larger than ${what} can be`;
    case 'unreadable':
      return `${file} cannot be read (${f.code})`;
  }
}

/**
 * The file's text as an error may quote it: every value under `basic_auth_users` (a hash, or a password written
 * there by mistake) and an inline `key` masked character for character, so carets still point at the right column.
 */
export function redactWebConfigText(text: string): string {
  const lines = text.split('\n');
  let secretIndent: number | undefined;
  return lines
    .map((line) => {
      const indent = line.search(/\S/);
      if (secretIndent !== undefined && (indent < 0 || indent > secretIndent)) {
        // Inside a secret block: mask everything after the key (or the whole line of a block scalar).
        const colon = /^\s*[^:#]+:/.exec(line);
        const from = colon && secretIndent === 0 ? colon[0].length : indent < 0 ? line.length : indent;
        return line.slice(0, from) + line.slice(from).replace(/\S/g, '*');
      }
      secretIndent = undefined;
      const key = /^(\s*)(basic_auth_users|key)\s*:/.exec(line);
      if (key && (key[2] === 'basic_auth_users' ? key[1] === '' : key[1] !== '')) {
        secretIndent = key[1]!.length;
        const from = key[0].length;
        return line.slice(0, from) + line.slice(from).replace(/[^\s#]/g, '*');
      }
      return line;
    })
    .join('\n');
}

/** Headers the toolkit refuses to let a web config set, because the server owns them. */
const OWN_HEADERS = new Set(['content-type', 'content-length', 'www-authenticate', 'date', 'connection']);

/** Reads and checks a web configuration file; every mistake comes back with its line and column. */
export function loadWebConfig(file: string): LoadedWebConfig {
  const read = readRegularFile(file, MAX_WEB_CONFIG_BYTES);
  if ('failure' in read) {
    const code = read.failure.kind === 'not-found' ? 'file.not-found' : 'file.unreadable';
    return {
      ok: false,
      errors: [
        {
          code,
          message: readFailureWords(file, 'a web configuration file', read.failure),
          hint: '--web.config.file names a YAML file in the exporter-toolkit format (docs/prometheus.md)',
        },
      ],
    };
  }
  const text = read.bytes.toString('utf8');
  const shown = redactWebConfigText(text);
  const hostile = findHostileShape(file, text);
  if (hostile) return { ok: false, errors: [hostile], text: shown };
  const { source, errors } = parseYaml(file, text);
  if (errors.length > 0) return { ok: false, errors, text: shown };
  const data: unknown = source.doc.toJS({ maxAliasCount: 100 }) ?? {};
  const parsed = webConfigSchema.safeParse(data);
  if (!parsed.success) {
    const found = issuesToErrors(parsed.error.issues, {
      source,
      schema: webConfigSchema,
      data,
      toFilePath: (p) => p,
    });
    // A password hash or a key is a secret: the error says where and what is wrong, never what was there.
    const secret = (e: ScenarioError) =>
      e.path?.startsWith('basic_auth_users') === true || e.path === 'tls_server_config.key';
    const hidden = found.map(({ seen, ...e }) => (secret(e) || seen === undefined ? e : { ...e, seen }));
    return { ok: false, errors: hidden, text: shown };
  }
  const raw = parsed.data;
  const problems: ScenarioError[] = [];
  const at = (keyPath: Array<string | number>, error: Omit<ScenarioError, 'span' | 'path'>) => {
    const span = locate(source, keyPath);
    problems.push({ ...error, ...(span ? { span } : {}), path: keyPath.join('.') });
  };
  const base = dirname(resolve(file));
  const readPem = (
    key: string,
    inline: string | undefined,
    filePath: string | undefined,
  ): string | undefined => {
    if (inline !== undefined) return inline;
    if (filePath === undefined) return undefined;
    const full = resolve(base, filePath);
    const pem = readRegularFile(full, MAX_PEM_FILE_BYTES);
    if ('failure' in pem) {
      at(['tls_server_config', key], {
        code: pem.failure.kind === 'not-found' ? 'pem.not-found' : 'pem.unreadable',
        message: readFailureWords(full, 'a PEM file', pem.failure),
        hint: 'paths are relative to the web configuration file',
      });
      return undefined;
    }
    return pem.bytes.toString('utf8');
  };

  const users = new Map<string, Secret<string>>();
  const userEntries = Object.entries(raw.basic_auth_users ?? {});
  if (userEntries.length > MAX_USERS) {
    at(['basic_auth_users'], { code: 'value.invalid', message: `list at most ${MAX_USERS} users` });
  }
  for (const [name, hash] of userEntries) users.set(name, new Secret(hash));

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.http_server_config?.headers ?? {})) {
    if (
      OWN_HEADERS.has(name.toLowerCase()) ||
      !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ||
      /[\r\n]/.test(value)
    ) {
      at(['http_server_config', 'headers', name], {
        code: 'value.invalid',
        message: `the header \`${name}\` cannot be set here`,
        hint: 'the exporter sets Content-Type, Content-Length, WWW-Authenticate, Date and Connection itself; a value is one line',
      });
    } else headers[name] = value;
  }
  if (raw.http_server_config?.http2) {
    at(['http_server_config', 'http2'], {
      code: 'value.invalid',
      message: '`http2: true` is not supported by mqttprobe serve',
      hint: 'remove it: Prometheus scrapes over HTTP/1.1 as well',
    });
  }

  const t = raw.tls_server_config;
  let tls: WebTls | undefined;
  if (t) {
    const cert = readPem('cert_file', t.cert, t.cert_file);
    const key = readPem('key_file', t.key, t.key_file);
    const ca = readPem('client_ca_file', t.client_ca, t.client_ca_file);
    const clientAuth = t.client_auth_type ?? 'NoClientCert';
    if (t.cert === undefined && t.cert_file === undefined)
      at(['tls_server_config'], {
        code: 'key.missing',
        message: 'tls_server_config needs `cert_file` (or `cert`)',
      });
    if (t.key === undefined && t.key_file === undefined)
      at(['tls_server_config'], {
        code: 'key.missing',
        message: 'tls_server_config needs `key_file` (or `key`)',
      });
    if (ca !== undefined && clientAuth === 'NoClientCert') {
      at(['tls_server_config', t.client_ca_file !== undefined ? 'client_ca_file' : 'client_ca'], {
        code: 'combination.invalid',
        message: 'a client CA without a client_auth_type that asks for certificates',
        hint: 'set client_auth_type: RequireAndVerifyClientCert (or VerifyClientCertIfGiven)',
      });
    }
    if (
      ca === undefined &&
      (clientAuth === 'RequireAndVerifyClientCert' || clientAuth === 'VerifyClientCertIfGiven')
    ) {
      at(['tls_server_config', 'client_auth_type'], {
        code: 'combination.invalid',
        message: `${clientAuth} needs a client_ca_file to verify the certificates against`,
      });
    }
    const minVersion = TLS_VERSIONS[t.min_version ?? 'TLS12'];
    const maxVersion = t.max_version ? TLS_VERSIONS[t.max_version] : undefined;
    if (cert !== undefined && key !== undefined) {
      try {
        createSecureContext({ cert, key, ...(ca ? { ca } : {}) });
      } catch (error) {
        // OpenSSL's words say which part failed (no start line, key values mismatch); they hold no key material.
        at(['tls_server_config', t.cert_file !== undefined ? 'cert_file' : 'cert'], {
          code: 'pem.invalid',
          message: `the certificate, key or client CA cannot be used: ${(error as Error).message.split('\n')[0]}`,
          hint: 'cert_file is the server certificate (PEM), key_file its private key (PEM), client_ca_file the CA of the clients',
        });
      }
    }
    if (cert !== undefined && key !== undefined) {
      tls = {
        cert,
        key: new Secret(key),
        ...(ca !== undefined ? { ca } : {}),
        clientAuth,
        minVersion,
        ...(maxVersion ? { maxVersion } : {}),
        ...(t.client_allowed_sans?.length ? { allowedSans: t.client_allowed_sans } : {}),
      };
    }
  }
  if (problems.length > 0) return { ok: false, errors: problems, text: shown };
  return { ok: true, config: { ...(tls ? { tls } : {}), users, headers } };
}
