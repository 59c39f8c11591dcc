// Text from files and servers made safe for a terminal: control characters visible, huge lines cut around a column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printable, printableExcerpt, printableLines } from '../../src/report/printable-text.js';

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
