// Text from files and servers made safe for a terminal: control characters visible, huge lines cut around a column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUTPUTS, type OutputName } from '../../src/report/outputs.js';
import { printable, printableExcerpt, printableLines } from '../../src/report/printable-text.js';
import { renderReport } from '../../src/report/report-formats.js';
import { renderScenarioErrors } from '../../src/report/scenario-errors.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { hostileReport } from './captured-reports.js';

const cases: Array<{ name: string; text: string; at: number; expect: { text: string; at: number } }> = [
  { name: 'a short line is kept whole', text: 'port: x', at: 6, expect: { text: 'port: x', at: 6 } },
  {
    name: 'an escape before the column moves it by three places per character',
    text: 'name: "\x1b[2J", port: x',
    at: 21,
    expect: { text: 'name: "\\x1b[2J", port: x', at: 24 },
  },
  {
    name: 'a huge line is cut on both sides with an ellipsis, the column still under its character',
    text: `${'a'.repeat(100_000)}X${'b'.repeat(100_000)}`,
    at: 100_000,
    expect: { text: `…${'a'.repeat(79)}X${'b'.repeat(78)}…`, at: 80 },
  },
  {
    name: 'a long tail alone is cut at the end',
    text: `key: ${'v'.repeat(1000)}`,
    at: 5,
    expect: { text: `key: ${'v'.repeat(154)}…`, at: 5 },
  },
];
for (const c of cases) test(c.name, () => assert.deepEqual(printableExcerpt(c.text, c.at), c.expect));

test('a carriage return or an erase-line sequence cannot overwrite a warning line', () => {
  assert.equal(printable('x\x1b[2K\r'), 'x\\x1b[2K ');
  assert.equal(printableLines('one\n\x1b[31mtwo\r\n'), 'one\n\\x1b[31mtwo \n');
});

test('bidi overrides, isolates, marks and line separators show as \\u escapes (Trojan Source)', () => {
  assert.equal(
    printable('a\u202eb\u202ac\u2066d\u2069e\u200ef\u200fg\u061ch\u2028i\u2029j'),
    'a\\u202eb\\u202ac\\u2066d\\u2069e\\u200ef\\u200fg\\u061ch\\u2028i\\u2029j',
  );
  // What makes emoji and scripts render stays: a zero-width joiner is not a layout control.
  assert.equal(printable('👩\u200d💻 مرحبا'), '👩\u200d💻 مرحبا');
});

test('a caret after a bidi override in the quoted line still sits under its key', () => {
  const file = 'bidi.yaml';
  const text = `version: 1\nscenarios:\n  - { name: "ok\u202e gnissap", bogus: 1 }\n`;
  const { errors } = loadScenarioText(file, text, { env: {} });
  assert.equal(errors.length, 1, JSON.stringify(errors));
  const shown = renderScenarioErrors(errors, { texts: new Map([[file, text]]) }).split('\n');
  assert.doesNotMatch(shown.join('\n'), /\u202e/);
  const quoted = shown.findIndex((l) => l.includes('\\u202e gnissap'));
  assert.ok(quoted >= 0, shown.join('\n'));
  assert.equal(shown[quoted + 1]!.indexOf('^'), shown[quoted]!.indexOf('bogus'));
});

test('no view or format but JSON and metrics (which are data) lets a bidi control of a scenario name through', async () => {
  for (const name of Object.keys(OUTPUTS) as OutputName[]) {
    // Label values are data too: Prometheus keeps them byte for byte, escaping only backslash, quote and newline.
    if (name === 'json' || name === 'openmetrics') continue;
    assert.doesNotMatch(await renderReport(name, hostileReport()), /[\u202a-\u202e\u2066-\u2069]/, name);
  }
});
