import assert from 'node:assert/strict';
import { request } from 'node:https';
import { describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { BasicAuth } from '../../src/serve/basic-auth.js';
import { Exporter } from '../../src/serve/exporter.js';
import { startHttpServer } from '../../src/serve/http-server.js';
import { loadWebConfig, redactWebConfigText } from '../../src/serve/web-config.js';
import { tempDir, writeFiles } from '../helpers/scenario-files.js';
import { writeBrokerPki } from '../system/helpers/broker-pki.js';

function load(dir: string, text: string) {
  const { 'web.yml': file } = writeFiles(dir, { 'web.yml': text });
  return { file: file!, loaded: loadWebConfig(file!) };
}

describe('the web config (exporter-toolkit format)', () => {
  test('TLS files and users load; paths are relative to the file', async (t) => {
    const dir = tempDir(t);
    await writeBrokerPki(dir);
    const { loaded } = load(
      dir,
      [
        'tls_server_config:',
        '  cert_file: server.pem',
        '  key_file: server-key.pem',
        '  client_auth_type: RequireAndVerifyClientCert',
        '  client_ca_file: ca.pem',
        '  min_version: TLS13',
        'http_server_config:',
        '  headers:',
        '    X-Frame-Options: deny',
        'basic_auth_users:',
        `  prometheus: ${bcrypt.hashSync('pw', 4)}`,
        '',
      ].join('\n'),
    );
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    assert.equal(loaded.config.tls?.clientAuth, 'RequireAndVerifyClientCert');
    assert.equal(loaded.config.tls?.minVersion, 'TLSv1.3');
    assert.deepEqual(loaded.config.headers, { 'X-Frame-Options': 'deny' });
    assert.equal(loaded.config.users.size, 1);
    assert.equal(
      JSON.stringify(loaded.config),
      JSON.stringify(loaded.config).replace(/\$2[aby]\$/, ''),
      'no hash in JSON',
    );
  });

  const mistakes: Array<{ name: string; text: string; message: RegExp; line: number }> = [
    {
      name: 'an unknown key, as the toolkit parses strictly',
      text: 'tls_server_config:\n  certfile: a.pem\n',
      message: /unknown key `certfile`/,
      line: 2,
    },
    {
      name: 'a top-level typo',
      text: 'basic_auth_user:\n  a: b\n',
      message: /did you mean `basic_auth_users`/,
      line: 1,
    },
    {
      name: 'a client CA without a client_auth_type',
      text: 'tls_server_config:\n  cert: x\n  key: y\n  client_ca: z\n',
      message: /without a client_auth_type/,
      line: 4,
    },
    {
      name: 'a missing cert file',
      text: 'tls_server_config:\n  cert_file: nowhere.pem\n  key_file: nowhere-key.pem\n',
      message: /no such file/,
      line: 2,
    },
    {
      name: 'an unknown TLS version',
      text: 'tls_server_config:\n  min_version: TLS14\n',
      message: /expected one of: TLS10, TLS11, TLS12, TLS13/,
      line: 2,
    },
    {
      name: 'a plain password instead of a hash',
      text: 'basic_auth_users:\n  alice: hunter2\n',
      message: /expected a bcrypt hash/,
      line: 2,
    },
    {
      name: 'a header the server owns',
      text: 'http_server_config:\n  headers:\n    Content-Type: x\n',
      message: /cannot be set here/,
      line: 3,
    },
  ];
  for (const c of mistakes) {
    test(`refused with its line: ${c.name}`, (t) => {
      const { loaded } = load(tempDir(t), c.text);
      assert.equal(loaded.ok, false);
      const errors = (
        loaded as {
          errors: Array<{ message: string; label?: string; hint?: string; span?: { line: number } }>;
        }
      ).errors;
      const words = (e: (typeof errors)[number]) => `${e.message} ${e.label ?? ''} ${e.hint ?? ''}`;
      const error = errors.find((e) => c.message.test(words(e)));
      assert.ok(error, errors.map(words).join('\n'));
      assert.equal(error.span?.line, c.line);
    });
  }

  test('an error quoting the file masks hashes, passwords and inline keys, keeping the columns', () => {
    const text =
      'tls_server_config:\n  key: |\n    -----BEGIN PRIVATE KEY-----\n  cert: x\nbasic_auth_users:\n  alice: hunter2\n';
    const shown = redactWebConfigText(text);
    assert.doesNotMatch(shown, /hunter2|BEGIN PRIVATE/);
    assert.match(shown, /^ {2}alice: \*{7}$/m);
    assert.match(shown, /^ {2}cert: x$/m);
    assert.equal(shown.length, text.length);
  });

  test('basic auth: only the listed user and password, with outcomes cached', async () => {
    const auth = new BasicAuth(
      new Map([['prometheus', { reveal: () => bcrypt.hashSync('pw', 4) } as never]]),
    );
    const header = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    assert.equal(await auth.check(header('prometheus', 'pw')), true);
    assert.equal(await auth.check(header('prometheus', 'pw')), true, 'from the cache');
    assert.equal(await auth.check(header('prometheus', 'wrong')), false);
    assert.equal(await auth.check(header('nobody', 'pw')), false);
    assert.equal(await auth.check('Bearer abc'), false);
    assert.equal(await auth.check(undefined), false);
  });

  test('RequireAndVerifyClientCert: a client without a certificate gets no answer, one with it does', async (t) => {
    const dir = tempDir(t);
    const pki = await writeBrokerPki(dir);
    const { loaded } = load(
      dir,
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n',
    );
    assert.ok(loaded.ok);
    const exporter = new Exporter({
      load: async () => ({ plans: [] }),
      files: [],
      version: 'test',
      maxInFlight: 1,
    });
    const server = await startHttpServer(exporter, { host: '127.0.0.1', port: 0, web: loaded.config });
    t.after(() => server.close(0));
    const { readFileSync } = await import('node:fs');
    const get = (withCert: boolean) =>
      new Promise<number | string>((resolve) => {
        const req = request(
          `${server.url}/-/healthy`,
          {
            ca: readFileSync(pki.ca),
            servername: 'localhost',
            ...(withCert ? { cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) } : {}),
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
        req.end();
      });
    assert.notEqual(await get(false), 200);
    assert.equal(await get(true), 200);
  });
});
