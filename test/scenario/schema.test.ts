import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
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

for (const file of shipped) {
  test(`${file} starts with the yaml-language-server schema line and matches the JSON Schema`, () => {
    const text = readFileSync(join(root, 'scenarios', file), 'utf8');
    assert.match(
      text.split('\n')[0]!,
      /^# yaml-language-server: \$schema=\.\.\/schema\/scenario\.schema\.json$/,
    );
    // Editors see the file before ${VAR} substitution, so the raw text must satisfy the schema where it can.
    const validate = new Ajv({ strict: false }).compile(published);
    const data = parse(text);
    const ok = validate(data);
    const onlyEnvTyped = (validate.errors ?? []).every((e: { instancePath: string }) =>
      /\$\{/.test(JSON.stringify(getAt(data, e.instancePath))),
    );
    assert.ok(ok || onlyEnvTyped, JSON.stringify(validate.errors));
  });
}

function getAt(data: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((d, key) => (d as Record<string, unknown> | undefined)?.[key], data);
}

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
