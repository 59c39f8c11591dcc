import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { portComparisonYaml } from '../../src/scenario/port-comparison-yaml.js';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';

const root = new URL('../..', import.meta.url).pathname;
const published = JSON.parse(readFileSync(join(root, 'schema/scenario.schema.json'), 'utf8'));
const shipped = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml'));

test('the published JSON Schema is generated from the current source (run `npm run schema` if not)', () => {
  assert.deepEqual(published, scenarioJsonSchema());
});

test('the JSON Schema rejects unknown keys, as the validator does', () => {
  const validate = new Ajv({ strict: false }).compile(published);
  assert.equal(validate({ version: 1, scenarios: [{ name: 'a', alpn_protocol: 'x' }] }), false);
  assert.equal(
    validate({ version: 1, scenarios: [{ name: 'a', auth: { type: 'x509', cert: 'c', key: 'k' } }] }),
    true,
  );
});

// An editor (yaml-language-server) checks the file as written, before `${VAR}` substitution, with a real JSON
// Schema validator: so does this, with no exceptions for variables.
const validateFile = new Ajv({ strict: false }).compile(published);
const editorErrors = (data: unknown) => (validateFile(data) ? [] : (validateFile.errors ?? []));

/** Every YAML block of the docs that is a whole scenario file (it has `version: 1`), by where it is. */
const documented = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => join('docs', f))]
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) =>
    [...readFileSync(join(root, f), 'utf8').matchAll(/```ya?ml\n([\s\S]*?)```/g)]
      .filter((m) => /^version: 1$/m.test(m[1]!))
      .map((m, i) => [`${f} example ${i + 1}`, m[1]!] as const),
  );

for (const file of shipped) {
  test(`scenarios/${file} starts with the yaml-language-server line and an editor finds no error in it`, () => {
    const text = readFileSync(join(root, 'scenarios', file), 'utf8');
    assert.match(
      text.split('\n')[0]!,
      /^# yaml-language-server: \$schema=\.\.\/schema\/scenario\.schema\.json$/,
    );
    assert.deepEqual(editorErrors(parse(text)), []);
  });

  test(`scenarios/${file} uses every variable its header documents, and documents every one it uses`, () => {
    const text = readFileSync(join(root, 'scenarios', file), 'utf8');
    const header = text.slice(0, text.search(/^version:/m));
    // The header lists variables as `#   NAME[, NAME]   what it is`.
    const listed = [...header.matchAll(/^#\s+([A-Z][A-Z0-9_]*(?:, [A-Z][A-Z0-9_]*)*)\s{2,}\S/gm)].flatMap(
      (m) => m[1]!.split(', '),
    );
    const used = [...text.slice(header.length).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
    assert.deepEqual(
      listed.filter((name) => !used.includes(name)),
      [],
      'documented but never used',
    );
    assert.deepEqual(
      used.filter((name) => !header.includes(name)),
      [],
      'used but not documented in the header',
    );
  });
}

for (const [where, text] of documented) {
  test(`${where} is a scenario file an editor finds no error in`, () => {
    assert.deepEqual(editorErrors(parse(text)), []);
  });
}

test('the files check --save and init write are ones an editor finds no error in', () => {
  const base = {
    endpoint: 'aws',
    origin: 'test',
    schemaUrl: 'file:///schema.json',
    cert: 'c.pem',
    key: 'k.pem',
  };
  for (const spec of [
    base,
    { ...base, ca: 'ca.pem', wss: true, repeat: 3, proxy: '${MQTTPROBE_PROXY}' },
    { ...base, proxy: '${HTTPS_PROXY}' },
  ]) {
    assert.deepEqual(editorErrors(parse(portComparisonYaml(spec))), [], JSON.stringify(spec));
  }
});

describe('the JSON Schema takes a `${VAR}` wherever the loader does, and nothing the loader would refuse', () => {
  const scenario = (fields: Record<string, unknown>) => ({
    version: 1,
    scenarios: [{ name: 'a', ...fields }],
  });
  const cases: Array<{
    name: string;
    fields: Record<string, unknown>;
    editor: boolean;
    env?: Record<string, string>;
  }> = [
    { name: 'a port as ${VAR:-default}', fields: { port: '${PORT:-8883}' }, editor: true },
    { name: 'a QoS as ${VAR}', fields: { qos: '${QOS}' }, editor: true, env: { QOS: '0' } },
    { name: 'a boolean as ${VAR}', fields: { retain: '${RETAIN}' }, editor: true, env: { RETAIN: 'true' } },
    { name: 'an enum as ${VAR}', fields: { transport: '${TRANSPORT:-wss}' }, editor: true },
    { name: 'a duration as ${VAR}', fields: { timeout: '${TIMEOUT:-5s}' }, editor: true },
    {
      name: 'a nested value as ${VAR}',
      fields: { tls: { minVersion: '${TLS_MIN:-TLSv1.3}' } },
      editor: true,
    },
    { name: 'a list item as ${VAR}', fields: { steps: ['connect', '${STEP:-subscribe}'] }, editor: true },
    { name: 'a port that is not a number', fields: { port: 'eighty' }, editor: false },
    { name: 'a port with text around the variable', fields: { port: '88${X:-83}' }, editor: false },
    { name: 'a map as ${VAR}', fields: { tls: '${TLS}' }, editor: false, env: { TLS: 'x' } },
  ];
  for (const c of cases) {
    test(`${c.name}: the editor ${c.editor ? 'accepts' : 'refuses'} it, as the loader does`, () => {
      const data = scenario({ endpoint: 'h.test', ...c.fields });
      assert.equal(editorErrors(data).length === 0, c.editor, JSON.stringify(validateFile.errors));
      const loaded = loadScenarioText('/tmp/s.yaml', stringify(data), { env: c.env ?? {} });
      assert.equal(loaded.errors.length === 0, c.editor, JSON.stringify(loaded.errors));
    });
  }
});

test('docs/scenario-format.md documents every key of the schema', () => {
  const doc = readFileSync(join(root, 'docs/scenario-format.md'), 'utf8');
  const keys = new Set<string>();
  const collect = (schema: unknown, prefix: string) => {
    const s = schema as { properties?: Record<string, unknown>; oneOf?: unknown[]; anyOf?: unknown[] };
    for (const [key, sub] of Object.entries(s.properties ?? {})) {
      keys.add(prefix ? `${prefix}.${key}` : key);
      if (['tls', 'mqtt', 'aws'].includes(key)) collect(sub, key);
    }
    for (const option of [...(s.oneOf ?? []), ...(s.anyOf ?? [])]) collect(option, prefix);
  };
  const scenario = (published.properties.scenarios as { items: unknown }).items;
  collect(scenario, '');
  collect((published.properties.defaults as { properties: { auth: unknown } }).properties.auth, 'auth');
  assert.ok(keys.size > 30, `only ${keys.size} keys found in the schema`);
  const missing = [...keys].filter((key) => !doc.includes(`\`${key.replace(/^auth\./, '')}\``));
  assert.deepEqual(missing, []);
});
