// Resolves a scenario's credentials: reads the CA, certificate and key files once per load, checks that they fit
// together, and wraps every secret value so it can never be printed.
import { resolve as resolvePath } from 'node:path';
import type { YamlPath } from './parse-yaml.js';
import type { Auth, PemFile } from './plan.js';
import {
  checkKeyMatchesCertificate,
  isKeyFileExposed,
  PemError,
  parseCertificates,
  parsePrivateKey,
  readPemFile,
} from './read-pem.js';
import type { ResolveContext, ResolveProblem } from './resolve-context.js';
import type { ScenarioWarning } from './scenario-error.js';
import type { RawAuth } from './schema.js';
import { Secret } from './secret.js';

function cached<T>(ctx: ResolveContext, key: string, load: () => T): T {
  if (ctx.pemCache.has(key)) {
    const hit = ctx.pemCache.get(key);
    if (hit instanceof PemError) throw hit;
    return hit as T;
  }
  try {
    const value = load();
    ctx.pemCache.set(key, value);
    return value;
  } catch (error) {
    ctx.pemCache.set(key, error);
    throw error;
  }
}

function asProblem(error: unknown, valuePath: YamlPath): ResolveProblem {
  if (!(error instanceof PemError)) throw error;
  return { code: error.code, message: error.message, valuePath, ...(error.hint ? { hint: error.hint } : {}) };
}

export function loadCa(
  path: string,
  ctx: ResolveContext,
  problem: (p: ResolveProblem) => void,
): PemFile | undefined {
  const abs = resolvePath(ctx.baseDir, path);
  try {
    return cached(ctx, `ca:${abs}`, () => {
      const pem = readPemFile(abs, 'CA file');
      parseCertificates(pem, abs, 'CA file');
      return { path: abs, pem };
    });
  } catch (error) {
    problem(asProblem(error, ['ca']));
    return undefined;
  }
}

export function resolveAuth(
  auth: RawAuth,
  ctx: ResolveContext,
  problem: (p: ResolveProblem) => void,
  warnings: ScenarioWarning[],
): Auth | undefined {
  const secret = (s: string | undefined) => (s === undefined ? {} : { value: new Secret(s) });
  switch (auth.type) {
    case 'none':
    case 'sigv4':
      return { ...auth };
    case 'password': {
      const p = secret(auth.password);
      return { type: 'password', username: auth.username, ...(p.value ? { password: p.value } : {}) };
    }
    case 'custom-authorizer': {
      const out: Auth = { type: 'custom-authorizer', authorizer: auth.authorizer };
      if (auth.username !== undefined) out.username = auth.username;
      if (auth.password !== undefined) out.password = new Secret(auth.password);
      if (auth.token !== undefined) out.token = new Secret(auth.token);
      if (auth.tokenKeyName !== undefined) out.tokenKeyName = auth.tokenKeyName;
      if (auth.signature !== undefined) out.signature = new Secret(auth.signature);
      return out;
    }
    case 'x509': {
      const certPath = resolvePath(ctx.baseDir, auth.cert);
      const keyPath = resolvePath(ctx.baseDir, auth.key);
      if (!ctx.readFiles)
        return {
          type: 'x509',
          cert: { path: certPath, pem: '' },
          key: { path: keyPath, secret: new Secret('') },
        };
      let certs: ReturnType<typeof parseCertificates> | undefined;
      let certPem = '';
      try {
        ({ certPem, certs } = cached(ctx, `cert:${certPath}`, () => {
          const pem = readPemFile(certPath, 'client certificate');
          return { certPem: pem, certs: parseCertificates(pem, certPath, 'client certificate') };
        }));
      } catch (error) {
        problem(asProblem(error, ['auth', 'cert']));
      }
      let keyPem = '';
      let key: ReturnType<typeof parsePrivateKey> | undefined;
      try {
        ({ keyPem, key } = cached(ctx, `key:${keyPath}:${auth.passphrase ?? ''}`, () => {
          const pem = readPemFile(keyPath, 'private key');
          return { keyPem: pem, key: parsePrivateKey(pem, keyPath, auth.passphrase) };
        }));
      } catch (error) {
        problem(asProblem(error, ['auth', 'key']));
      }
      if (!certs || !key) return undefined;
      const leaf = certs[0]!;
      try {
        checkKeyMatchesCertificate(leaf, key, certPath, keyPath);
      } catch (error) {
        problem(asProblem(error, ['auth', 'key']));
        return undefined;
      }
      const expires = new Date(leaf.validTo);
      if (expires < ctx.now) {
        problem({
          code: 'pem.expired',
          message: `client certificate ${certPath} expired on ${expires.toISOString().slice(0, 10)}`,
          valuePath: ['auth', 'cert'],
          hint: 'create or download a current certificate; the broker would refuse this one',
        });
        return undefined;
      }
      if (isKeyFileExposed(keyPath) && !ctx.pemCache.has(`warned:${keyPath}`)) {
        ctx.pemCache.set(`warned:${keyPath}`, true);
        const span = ctx.spanOf(['auth', 'key']);
        warnings.push({
          code: 'pem.key-permissions',
          message: `private key ${keyPath} is readable by other users; run: chmod 600 ${keyPath}`,
          ...(span ? { span } : {}),
        });
      }
      return {
        type: 'x509',
        cert: { path: certPath, pem: certPem },
        key: { path: keyPath, secret: new Secret(keyPem) },
        ...(auth.passphrase !== undefined ? { passphrase: new Secret(auth.passphrase) } : {}),
      };
    }
  }
}
