// Property-based bad input: mutated scenario files, broken certificate files, special files, environment values and
// amplified matrices give plans or located errors, never a throw, a hang or an echoed secret.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isMap, parseDocument } from 'yaml';
import { renderScenarioErrors } from '../../src/report/scenario-errors.js';
import {
  type LoadedScenarioFile,
  loadScenarioFile,
  loadScenarioText,
} from '../../src/scenario/load-scenario-file.js';
import { SCENARIO_ERROR_CODES } from '../../src/scenario/scenario-error.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

// A hang bound per input, not a speed claim: loading is synchronous, so a runaway loop would show up here first.
const PER_INPUT_MS = 5000;
// MQTTPROBE_FUZZ_RUNS=5000 digs deeper by hand; the default keeps CI fast.
const RUNS = Number(process.env.MQTTPROBE_FUZZ_RUNS ?? 300);
const BUDGET_MS = RUNS > 300 ? 600_000 : 30_000;

const VALID = `version: 1
defaults:
  endpoint: \${BROKER:-broker.example.com}
  ca: ca.pem
  auth: { type: x509, cert: device.pem.crt, key: device-private.pem.key }
  timeout: { tcp: 2s, suback: 3s }
  mqtt: { version: 5, keepalive: 30s }
scenarios:
  - name: port 8883
    port: 8883
    tags: [ports]
  - name: port 443
    port: 443
    alpn: x-amzn-mqtt-ca
    thresholds: { tls: 300ms, total: 2s }
  - name: no alpn
    port: 443
    alpn: none
    steps: [connect]
    expect: mqtt.http-response
  - name: sweep
    matrix:
      qos: [0, 1]
      mqtt.version: ['3.1.1', 5]
    payloadSize: 128
    hold: 1s
`;

/** Loads `text` and checks the loader's contract: it returned, in bounded time, plans or errors that say where. */
function loadChecked(file: string, text: string): LoadedScenarioFile {
  const t0 = performance.now();
  const loaded = loadScenarioText(file, text, { env: { BROKER: '127.0.0.1' } });
  const ms = performance.now() - t0;
  assert.ok(ms < PER_INPUT_MS, `loading took ${ms} ms`);
  assert.ok(Array.isArray(loaded.plans) && Array.isArray(loaded.errors));
  if (loaded.errors.length === 0) {
    assert.ok(loaded.plans.length > 0, 'no errors, so there must be plans');
  } else {
    assert.equal(loaded.plans.length, 0, 'plans are given only for a file without errors');
  }
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const error of loaded.errors) {
    assert.ok((SCENARIO_ERROR_CODES as readonly string[]).includes(error.code), `unknown code ${error.code}`);
    assert.equal(typeof error.message, 'string');
    assert.ok(error.message.length > 0);
    if (error.code.startsWith('file.')) continue;
    assert.ok(error.span, `${error.code} (${error.message}) has no location`);
    assert.ok(error.span.line >= 1 && error.span.line <= lines + 1, `line ${error.span.line} of ${lines}`);
    assert.ok(error.span.column >= 1);
  }
  return loaded;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths to every value in a parsed document, for mutating one place. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

const KEYS = [
  'name',
  'port',
  'alpn',
  'auth',
  'mqtt',
  'qos',
  'timeout',
  'matrix',
  'steps',
  'expect',
  'hold',
  'x',
];

/** A value that is wrong in some way: another type, a huge or odd value, or deep nesting. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    0,
    -1,
    65536,
    1e308,
    -0,
    0.5,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '${UNSET}',
    '$$',
    '~',
    null,
  ),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 50, max: 400 }).map((depth) => {
    let v: Json = 'deep';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  }),
  fc.array(fc.constantFrom(0, 1, 2, 'x', null), { minLength: 1000, maxLength: 5000 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Rewrites the valid file at one place: replace a value, add a key, or delete one. */
const structuralMutation = fc
  .tuple(fc.nat(), fc.constantFrom('replace', 'add', 'delete'), fc.constantFrom(...KEYS), oddValue)
  .map(([pick, how, key, value]) => {
    const data = parseDocument(VALID).toJS() as Record<string, unknown>;
    const all = paths(data);
    const path = all[pick % all.length]!;
    const doc = parseDocument(VALID);
    if (how === 'replace') doc.setIn(path, value);
    else if (how === 'delete' && path.length > 0) doc.deleteIn(path);
    else {
      // Inside a map the new key goes beside the others; anywhere else the value becomes a one-key map.
      if (isMap(doc.getIn(path, true)) || (path.length === 0 && isMap(doc.contents)))
        doc.setIn([...path, key], value);
      else doc.setIn(path, { [key]: value });
    }
    return doc.toString({ lineWidth: 0 });
  });

/** Damages the text itself: truncation, inserted garbage (binary, unicode, YAML punctuation), or a repeated slice. */
const textMutation = fc.oneof(
  fc.nat().map((n) => VALID.slice(0, n % VALID.length)),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('latin1')),
        fc.constantFrom(
          ':',
          '- ',
          '{',
          '}',
          '[',
          ']',
          '&a',
          '*a',
          '<<: *a',
          '!!binary',
          '%YAML 1.2\n',
          '\t',
          '---\n',
          '...\n',
          '"',
          "'",
          '#',
          '|',
          '>',
        ),
      ),
    )
    .map(([at, junk]) => {
      const i = at % VALID.length;
      return VALID.slice(0, i) + junk + VALID.slice(i);
    }),
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 2, max: 50 })).map(([a, b, times]) => {
    const [from, to] = [a % VALID.length, b % VALID.length].sort((x, y) => x - y);
    return VALID.slice(0, to) + VALID.slice(from!, to).repeat(times) + VALID.slice(to);
  }),
);

/** A billion-laughs shape: each alias doubles the one before, so `levels` levels expand to 2^levels values. */
function aliasBomb(levels: number): string {
  let text = 'a0: &a0 [x, x]\n';
  for (let i = 1; i < levels; i++) text += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
  return `${text}version: 1\nscenarios: [{ name: *a${levels - 1} }]\n`;
}

/** Whole files no one would write but someone will feed in. */
const hostileFile = fc.oneof(
  fc.integer({ min: 10, max: 20_000 }).map((n) => '['.repeat(n)),
  fc.integer({ min: 10, max: 20_000 }).map((n) => `${'- '.repeat(n)}x`),
  fc.integer({ min: 10, max: 20_000 }).map((n) => `${'{a: '.repeat(n)}1${'}'.repeat(n)}`),
  fc
    .integer({ min: 10, max: 20_000 })
    .map((n) => `version: 1\nscenarios:\n  - name: a\n    tags: ${'['.repeat(n)}x${']'.repeat(n)}\n`),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.integer({ min: 2, max: 40 }).map(aliasBomb),
  fc.constantFrom(
    '',
    '\n',
    '---',
    'null',
    '[]',
    '42',
    '"x"',
    'version: 1',
    'version: 1\nscenarios: []',
    '\uFEFFversion: 1',
  ),
);

describe('fuzzed scenario files', () => {
  const fuzzRun = (arbitrary: fc.Arbitrary<string>) => (t: { after: (fn: () => void) => void }) => {
    const dir = tempDir(t as Parameters<typeof tempDir>[0]);
    return writeDeviceCerts(dir).then(() => {
      const file = join(dir, 'fuzz.yaml');
      // The unmutated file must load, or every property below proves nothing.
      assert.equal(loadChecked(file, VALID).errors.length, 0);
      fc.assert(
        fc.property(arbitrary, (text) => {
          loadChecked(file, text);
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS },
      );
    });
  };

  test(
    'one value replaced, added or deleted (random keys, types, huge values, deep nesting)',
    fuzzRun(structuralMutation),
  );
  test('the text truncated, spliced with binary or YAML garbage, or a slice repeated', fuzzRun(textMutation));
  test('hostile whole files (deep nesting, alias bombs, random bytes, odd documents)', fuzzRun(hostileFile));

  test('through the CLI, mutated files exit 0 or 2 with no stack trace', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    const samples = fc.sample(fc.oneof(structuralMutation, textMutation, hostileFile), {
      numRuns: 6,
      seed: 7,
    });
    const check = async (text: string, i: number) => {
      const file = join(dir, `cli-${i}.yaml`);
      writeFileSync(file, text);
      const { code, stderr } = await runCli(['validate', file], { BROKER: '127.0.0.1' });
      assert.ok(code === 0 || code === 2, `exit ${code} for sample ${i}:\n${stderr.slice(0, 2000)}`);
      assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+\)?\n/, `a stack trace for sample ${i}`);
    };
    // Two at a time: each is a Node start-up, and the machine has two cores.
    for (let i = 0; i < samples.length; i += 2) {
      await Promise.all(samples.slice(i, i + 2).map((text, k) => check(text, i + k)));
    }
  });
});

// Inputs that crashed the loader when this file was written (fixed in src/scenario since): kept as regressions.
describe('bad input that used to crash', () => {
  test('an alias to an anchor that does not exist (a typo in `<<: *base`) is a located error', (t) => {
    const dir = tempDir(t);
    const loaded = loadChecked(
      join(dir, 'typo.yaml'),
      'version: 1\nbase: &base { port: 8883 }\nscenarios:\n  - name: a\n    <<: *bsae\n',
    );
    assert.equal(loaded.errors[0]?.span?.line, 5);
  });

  test('an alias bomb is a located error, not a thrown ReferenceError', (t) => {
    const dir = tempDir(t);
    const loaded = loadChecked(join(dir, 'bomb.yaml'), aliasBomb(12));
    assert.ok(loaded.errors.length > 0);
  });

  test('through the CLI, an alias bomb exits 2 without a stack trace', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'bomb.yaml'), aliasBomb(12));
    const { code, stderr } = await runCli(['validate', join(dir, 'bomb.yaml')]);
    assert.equal(code, 2, stderr);
    assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+\)?\n/);
  });

  test('a huge string where a map belongs (`defaults: xxx…`) is one error, not one per character or a RangeError', (t) => {
    const dir = tempDir(t);
    const { errors } = loadChecked(
      join(dir, 'huge-defaults.yaml'),
      `version: 1\ndefaults: ${'x'.repeat(200_000)}\nscenarios:\n  - name: a\n`,
    );
    assert.equal(errors.length, 1, `${errors.length} errors`);
    assert.equal(errors[0]?.code, 'value.invalid');
  });

  test('deeply nested files (5,000 then 20,000 brackets) exit 2 with a located error, not a V8 abort', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'deep-1.yaml'), '['.repeat(5000));
    writeFileSync(join(dir, 'deep-2.yaml'), '['.repeat(20_000));
    const { code, stderr } = await runCli(['validate', join(dir, 'deep-1.yaml'), join(dir, 'deep-2.yaml')]);
    assert.equal(code, 2, stderr.slice(0, 1000));
  });

  test('an error quotes a huge wrong value abbreviated, not whole', (t) => {
    const dir = tempDir(t);
    for (const value of [`[${Array(3000).fill(0).join(',')}]`, 'x'.repeat(200_000)]) {
      const { errors } = loadChecked(
        join(dir, 'huge.yaml'),
        `version: 1\nscenarios:\n  - name: a\n    auth: { type: ${value} }\n`,
      );
      assert.equal(errors[0]?.code, 'value.invalid');
      assert.ok(errors[0]!.message.length < 500, `a ${errors[0]!.message.length}-character message`);
    }
  });
});

describe('broken certificate inputs are refused at load time, before any connection', () => {
  /** Loads a one-scenario file whose auth points at the given files. */
  const loadAuth = (dir: string, auth: string) =>
    loadChecked(join(dir, 'probe.yaml'), `version: 1\nscenarios:\n  - name: a\n    auth: ${auth}\n`);

  test('garbage in the certificate or key file is pem.invalid at that key, whatever the bytes', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
          fc
            .string({ maxLength: 400 })
            .map((s) => Buffer.from(`-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`)),
          fc
            .base64String({ maxLength: 800 })
            .map((s) => Buffer.from(`-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----\n`)),
        ),
        fc.constantFrom('cert', 'key'),
        (bytes, which) => {
          writeFileSync(join(dir, 'garbage.pem'), bytes, { mode: 0o600 });
          const auth =
            which === 'cert'
              ? '{ type: x509, cert: garbage.pem, key: device-private.pem.key }'
              : '{ type: x509, cert: device.pem.crt, key: garbage.pem }';
          const { errors } = loadAuth(dir, auth);
          assert.ok(errors.length > 0, 'garbage must not load');
          assert.match(errors[0]!.code, /^pem\./);
          assert.ok(errors[0]!.span && errors[0]!.span.line === 4, 'the error points at the auth line');
        },
      ),
      { numRuns: 100, interruptAfterTimeLimit: BUDGET_MS },
    );
  });

  test('an encrypted key without a passphrase says so and how to fix it; the right passphrase loads', async (t) => {
    const dir = tempDir(t);
    const { device } = await writeDeviceCerts(dir);
    const encrypted = createPrivateKey(device.key).export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'correct horse',
    });
    writeFileSync(join(dir, 'encrypted.pem.key'), encrypted, { mode: 0o600 });
    const missing = loadAuth(dir, '{ type: x509, cert: device.pem.crt, key: encrypted.pem.key }');
    assert.equal(missing.errors[0]?.code, 'pem.passphrase');
    assert.match(missing.errors[0]!.message, /encrypted/);
    assert.match(missing.errors[0]!.hint ?? '', /passphrase/);
    const wrong = loadAuth(
      dir,
      '{ type: x509, cert: device.pem.crt, key: encrypted.pem.key, passphrase: nope }',
    );
    assert.equal(wrong.errors[0]?.code, 'pem.passphrase');
    const right = loadAuth(
      dir,
      '{ type: x509, cert: device.pem.crt, key: encrypted.pem.key, passphrase: correct horse }',
    );
    assert.deepEqual(right.errors, []);
  });

  test('a CA bundle of garbage is refused at `ca`', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    writeFileSync(join(dir, 'bad-ca.pem'), 'not a certificate\n');
    const { errors } = loadChecked(
      join(dir, 'probe.yaml'),
      'version: 1\nscenarios:\n  - name: a\n    ca: bad-ca.pem\n',
    );
    assert.equal(errors[0]?.code, 'pem.invalid');
    assert.equal(errors[0]?.span?.line, 4);
  });

  test('a key for another certificate and an expired certificate fail the CLI with exit 2 before connecting', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    // Port 9 on loopback: if the CLI tried to connect it would be refused, and the exit code would be 1, not 2.
    writeFileSync(
      join(dir, 'mismatch.yaml'),
      'version: 1\nscenarios:\n  - { name: a, endpoint: 127.0.0.1, port: 9, auth: { type: x509, cert: device.pem.crt, key: other-private.pem.key } }\n',
    );
    const mismatch = await runCli(['run', join(dir, 'mismatch.yaml')]);
    assert.equal(mismatch.code, 2, mismatch.stderr);
    assert.match(mismatch.stderr, /does not belong to certificate/);

    const expiredDir = tempDir(t);
    await writeDeviceCerts(expiredDir, { expired: true });
    writeFileSync(
      join(expiredDir, 'expired.yaml'),
      'version: 1\nscenarios:\n  - { name: a, endpoint: 127.0.0.1, port: 9, auth: { type: x509, cert: device.pem.crt, key: device-private.pem.key } }\n',
    );
    const expired = await runCli(['run', join(expiredDir, 'expired.yaml')]);
    assert.equal(expired.code, 2, expired.stderr);
    assert.match(expired.stderr, /expired/);
  });
});

describe('durations: every key is bounded, and per-phase timeouts merge phase by phase', () => {
  // An independent model of the format: a number, a unit, and the ranges docs/limits.md documents.
  const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
  const RANGES = {
    timeout: [1, 600_000],
    'timeout.tcp': [1, 600_000],
    'thresholds.total': [1, 3_600_000],
    hold: [0, 3_600_000],
    'mqtt.keepalive': [0, 65_535_000],
  } as const;
  const modelMs = (text: string): number | undefined => {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(text);
    return match ? Math.round(Number(match[1]) * UNIT_MS[match[2]!]!) : undefined;
  };
  /** What the plan holds for a key, in ms. */
  const planMs = (plan: LoadedScenarioFile['plans'][number], key: keyof typeof RANGES): number =>
    ({
      timeout: plan.timeoutsMs.dns,
      'timeout.tcp': plan.timeoutsMs.tcp,
      'thresholds.total': plan.thresholdsMs.total!,
      hold: plan.holdMs,
      'mqtt.keepalive': plan.mqtt.keepaliveS * 1000,
    })[key];

  const number = fc.oneof(
    fc.nat({ max: 100_000 }).map(String),
    fc.constantFrom('0', '00', '0.4', '0.5', '1.5', '35791', '35792', '2147483648', `1${'0'.repeat(400)}`),
    fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 9999 })).map(([a, b]) => `${a}.${b}`),
  );
  const durationText = fc.oneof(
    fc.tuple(number, fc.constantFrom('ms', 's', 'm', ' s', 'h', 'd', '', 'S')).map(([n, u]) => `${n}${u}`),
    fc.constantFrom('-1s', '1e3s', 'Infinity s', 'NaNms', '.5s', '5s ', '1_000ms'),
  );

  test('a duration in range loads as its value in ms; any other is one located error that gives the range', (t) => {
    const file = join(tempDir(t), 'durations.yaml');
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(RANGES) as Array<keyof typeof RANGES>)),
        durationText,
        (key, text) => {
          const [head, sub] = key.split('.');
          const value = sub ? `{ ${sub}: "${text}" }` : `"${text}"`;
          const loaded = loadChecked(
            file,
            `version: 1\nscenarios:\n  - name: a\n    endpoint: h\n    ${head}: ${value}\n`,
          );
          const ms = modelMs(text);
          const [min, max] = RANGES[key];
          // Keepalive is also whole seconds (MQTT carries seconds).
          const whole = key !== 'mqtt.keepalive' || (ms !== undefined && ms % 1000 === 0);
          if (ms !== undefined && ms >= min && ms <= max && whole) {
            assert.deepEqual(loaded.errors, [], text);
            assert.equal(planMs(loaded.plans[0]!, key), ms);
            // Node's timers overflow past 2^31-1 ms and then fire at once.
            assert.ok(ms < 2 ** 31 - 1);
            return;
          }
          assert.equal(loaded.errors.length, 1, `${key}: ${text}`);
          const [error] = loaded.errors;
          assert.equal(error!.span?.line, 5);
          assert.equal(error!.path, `scenarios[0].${key}`);
          if (ms === undefined) assert.match(error!.label ?? '', /with a unit/);
          else if (whole) assert.match(`${error!.label} ${error!.hint}`, /from \d+(ms|s|m) to \d+(ms|s|m)\b/);
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS },
    );
  });

  test('each phase takes the most specific timeout: command line, then matrix, then scenario, then defaults', () => {
    const PHASES = ['dns', 'tcp', 'tls', 'connack', 'suback'] as const;
    const phaseMap = fc.dictionary(fc.constantFrom(...PHASES), fc.integer({ min: 1, max: 9999 }), {
      maxKeys: 3,
    });
    const layer = fc.option(fc.oneof(fc.integer({ min: 1, max: 9999 }), phaseMap), { nil: undefined });
    const yamlOf = (value: number | Record<string, number>) =>
      typeof value === 'number'
        ? `${value}ms`
        : `{ ${Object.entries(value)
            .map(([p, ms]) => `${p}: ${ms}ms`)
            .join(', ')} }`;
    fc.assert(
      fc.property(
        layer,
        layer,
        fc.option(fc.tuple(fc.constantFrom(...PHASES), fc.integer({ min: 1, max: 9999 })), {
          nil: undefined,
        }),
        fc.option(fc.integer({ min: 1, max: 9999 }), { nil: undefined }),
        (defaults, own, matrix, flag) => {
          const text = [
            'version: 1',
            ...(defaults === undefined ? [] : [`defaults: { timeout: ${yamlOf(defaults)} }`]),
            'scenarios:',
            '  - name: a',
            '    endpoint: h',
            ...(own === undefined ? [] : [`    timeout: ${yamlOf(own)}`]),
            ...(matrix ? [`    matrix: { timeout.${matrix[0]}: [${matrix[1]}ms] }`] : []),
            '',
          ].join('\n');
          const loaded = loadScenarioText('/tmp/merge.yaml', text, {
            env: {},
            ...(flag === undefined ? {} : { overrides: { timeout: `${flag}ms` } }),
          });
          assert.deepEqual(loaded.errors, [], text);
          for (const phase of PHASES) {
            // The model: walk the layers from least to most specific; a single value sets every phase.
            let expected = 5000;
            for (const l of [defaults, own]) {
              if (typeof l === 'number') expected = l;
              else if (l?.[phase] !== undefined) expected = l[phase]!;
            }
            if (matrix?.[0] === phase) expected = matrix[1];
            if (flag !== undefined) expected = flag;
            assert.equal(
              loaded.plans[0]!.timeoutsMs[phase],
              expected,
              `${phase} in\n${text}--timeout ${flag}`,
            );
          }
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS },
    );
  });
});

describe('fuzzed special files, environment values and amplified matrices', () => {
  test('any special, huge or missing file as the scenario, `ca`, `auth.cert` or `auth.key` is a file or pem error', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync(join(dir, 'fifo'), join(dir, 'link-to-fifo'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling-link'));
    mkdirSync(join(dir, 'folder'));
    const fd = openSync(join(dir, 'sparse-huge'), 'w');
    ftruncateSync(fd, 64 * 1024 * 1024);
    closeSync(fd);
    const specials = [
      join(dir, 'fifo'),
      join(dir, 'link-to-fifo'),
      join(dir, 'dangling-link'),
      join(dir, 'folder'),
      join(dir, 'sparse-huge'),
      '/dev/zero',
      '/dev/null',
      '/dev/urandom',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...specials),
        fc.constantFrom('scenario', 'ca', 'cert', 'key'),
        (special, role) => {
          const t0 = performance.now();
          const auth = { cert: 'device.pem.crt', key: 'device-private.pem.key', [role]: special };
          const text = `version: 1\nscenarios:\n  - name: a\n    endpoint: 127.0.0.1\n${role === 'ca' ? `    ca: ${special}\n` : ''}    auth: { type: x509, cert: ${auth.cert}, key: ${auth.key} }\n`;
          writeFileSync(join(dir, 's.yaml'), text);
          const loaded = loadScenarioFile(role === 'scenario' ? special : join(dir, 's.yaml'), { env: {} });
          assert.ok(performance.now() - t0 < PER_INPUT_MS, 'bounded, never blocked');
          assert.equal(loaded.plans.length, 0);
          assert.ok(loaded.errors.length > 0, `${special} as ${role} loaded`);
          assert.match(loaded.errors[0]!.code, role === 'scenario' ? /^file\./ : /^pem\./);
        },
      ),
      { numRuns: 60, interruptAfterTimeLimit: BUDGET_MS },
    );
  });

  test('any environment value is taken as text (or the number/boolean its key wants) and never echoed or warned about', (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'env.yaml');
    const text = `version: 1
scenarios:
  - name: a
    endpoint: \${ENDPOINT}
    port: \${PORT}
    transport: mqtt
    mqtt:
      clientId: \${CLIENT_ID}
    auth:
      type: password
      username: \${USERNAME}
      password: \${PASSWORD}
`;
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    // A marker that no message of ours holds, so finding it in an error means a value was echoed.
    const MARK = 'Qz8';
    const value = fc
      .tuple(
        fc.boolean(),
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.constantFrom('@', '`', '"', '[', '%', '|', '*', '!', '&', '{', '- ', '? ', '#', '>', ': '),
          fc.stringMatching(/^[0-9]{1,12}$/),
        ),
      )
      .map(([front, v]) => (front ? `${MARK}${v}` : `${v}${MARK}`));
    fc.assert(
      fc.property(
        value,
        value,
        fc.oneof(value, fc.constantFrom('8883', '1883', '0', '70000')),
        (secret, user, port) => {
          const env = {
            ENDPOINT: '127.0.0.1',
            PORT: port,
            CLIENT_ID: user,
            USERNAME: user,
            PASSWORD: secret,
          };
          const t0 = performance.now();
          const loaded = loadScenarioText(file, text, { env });
          assert.ok(performance.now() - t0 < PER_INPUT_MS);
          if (loaded.errors.length === 0) {
            const auth = loaded.plans[0]!.auth;
            assert.ok(
              auth.type === 'password' && auth.password?.reveal() === secret,
              'the password, exactly',
            );
            assert.equal(loaded.plans[0]!.mqtt.clientId, user);
            assert.equal(loaded.plans[0]!.port, Number(port));
          }
          const shown = renderScenarioErrors(loaded.errors, { texts: new Map([[file, text]]) });
          assert.ok(!shown.includes(MARK), `an environment value was echoed:\n${shown}`);
          assert.ok(!JSON.stringify(loaded.errors).includes(MARK));
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS },
    );
    assert.deepEqual(warnings, [], 'no YAML warning about a value');
  });

  test('amplified matrices: refused exactly when scenarios × combinations × repeat passes the limit, counted without expanding', () => {
    fc.assert(
      fc.property(
        // At most 200 × (100 + 100) listed values: under MAX_YAML_ITEMS, so the count is what refuses.
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 1, max: 400 }),
        (scenarios, ports, sizes, repeat, anchored, maxProbes) => {
          const axes = `{ port: [${Array.from({ length: ports }, (_, i) => i + 1).join(',')}], payloadSize: [${Array.from({ length: sizes }, (_, i) => i).join(',')}] }`;
          let text = `version: 1\n${repeat ? `defaults: { repeat: ${repeat} }\n` : ''}scenarios:\n`;
          for (let i = 0; i < scenarios; i++) {
            const matrix = anchored ? (i === 0 ? `&m ${axes}` : '*m') : axes;
            text += `  - { name: s${i}, endpoint: 127.0.0.1, transport: mqtt, matrix: ${matrix} }\n`;
          }
          const probes = scenarios * ports * sizes * (repeat ?? 1);
          const t0 = performance.now();
          const loaded = loadScenarioText('/tmp/amplified.yaml', text, {
            env: {},
            probeBudget: { maxProbes, counted: 0 },
          });
          assert.ok(
            performance.now() - t0 < PER_INPUT_MS,
            `${probes} probes took ${performance.now() - t0} ms`,
          );
          if (probes > maxProbes) {
            assert.deepEqual(
              loaded.errors.map((e) => e.code),
              ['probes.too-many'],
            );
            assert.match(loaded.errors[0]!.message, new RegExp(`would hold ${probes} probes`));
            assert.ok(loaded.errors[0]!.span, 'located');
          } else {
            assert.deepEqual(loaded.errors, []);
            assert.equal(loaded.plans.length, scenarios * ports * sizes);
          }
        },
      ),
      { numRuns: Math.min(RUNS, 200), interruptAfterTimeLimit: BUDGET_MS },
    );
  });
});
