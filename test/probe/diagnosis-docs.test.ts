// docs/diagnosis.md documents every diagnosis code, so the table and the union cannot drift apart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PROBE_DIAGNOSIS_CODES } from '../../src/probe/diagnosis/diagnosis.js';
import { WARNING_CODES } from '../../src/probe/result.js';

const doc = readFileSync(new URL('../../docs/diagnosis.md', import.meta.url), 'utf8');

test('docs/diagnosis.md has a row for every code the probe produces', () => {
  // A table row starts with the code in backticks (tables may be padded by the formatter).
  const rowCodes = new Set([...doc.matchAll(/^\| `([a-z0-9.-]+)` +\|/gm)].map((match) => match[1]));
  const missing = PROBE_DIAGNOSIS_CODES.filter((code) => !rowCodes.has(code));
  assert.deepEqual(missing, []);
});

test('docs/diagnosis.md names every warning and the threshold family', () => {
  const missing = WARNING_CODES.filter((code) => !doc.includes(`\`${code}\``));
  assert.deepEqual(missing, []);
  assert.match(doc, /`threshold\.total`/);
});
