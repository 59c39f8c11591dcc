// Quoted scenario lines keep their shape but lose their secrets, and the caret still points at the same key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactFound, redactSourceLine, redactSourceLines } from '../../src/report/redact-source-line.js';

const cases: Array<{ name: string; line: string; shown: string }> = [
  {
    name: 'a block-style password',
    line: '      password: hunter2 # the device one',
    shown: '      password: *** # the device one',
  },
  {
    name: 'a flow mapping with a password and a token',
    line: '    auth: { type: custom-authorizer, token: "t0k, en", signature: s1g, password: p }',
    shown: '    auth: { type: custom-authorizer, token: "***", signature: ***, password: *** }',
  },
  { name: 'a passphrase of the wrong type', line: '    passphrase: [a, b]', shown: '    passphrase: ***' },
  { name: "a single-quoted value with ''", line: "  password: 'it''s'", shown: "  password: '***'" },
  {
    name: 'a proxy URL, even an unclosed one',
    line: '    proxy: "http://u:pa@ss@[::1"',
    shown: '    proxy: "http://u:***@[::1"',
  },
  {
    name: 'a key that only ends like a secret',
    line: '    tokenKeyName: x-token',
    shown: '    tokenKeyName: x-token',
  },
  { name: 'a username stays', line: '    username: alice', shown: '    username: alice' },
];
for (const c of cases) test(c.name, () => assert.equal(redactSourceLine(c.line).text, c.shown));

test('a caret after a masked value still points at its key', () => {
  const line = '    auth: { type: password, password: a-long-secret, bogus: 1 }';
  const { text, column } = redactSourceLine(line);
  const at = line.indexOf('bogus') + 1;
  assert.equal(text.slice(column(at) - 1, column(at + 5) - 1), 'bogus');
});

test('a caret on a masked value covers the mask', () => {
  const line = '    passphrase: 12345';
  const { text, column } = redactSourceLine(line);
  const at = line.indexOf('12345') + 1;
  assert.equal(text.slice(column(at) - 1, column(at + 5) - 1), '***');
});

test('found: hides a secret key value and masks URL passwords elsewhere', () => {
  assert.equal(redactFound('the number 12345', 'scenarios[2].auth.passphrase'), '[redacted]');
  assert.equal(
    redactFound('the text "http://u:pw@[::1"', 'scenarios[1].proxy'),
    'the text "http://u:***@[::1"',
  );
  assert.equal(redactFound('the number 5', 'scenarios[0].port'), 'the number 5');
});

const multiLine: Array<{ name: string; lines: string[]; shown: string[] }> = [
  {
    name: 'a literal block scalar, up to the next key of the same mapping',
    lines: ['      password: |', '        line-one', '', '        line-two', '      username: u'],
    shown: ['      password: |', '        ***', '', '        ***', '      username: u'],
  },
  {
    name: 'a folded block scalar with a chomping indicator and a comment',
    lines: ['    passphrase: >- # folded', '      part-one', '      part-two', '  - name: next'],
    shown: ['    passphrase: >- # folded', '      ***', '      ***', '  - name: next'],
  },
  {
    name: 'a plain scalar that goes on, in a sequence entry',
    lines: ['  - token: abc', '      def', '    port: 1'],
    shown: ['  - token: ***', '      ***', '    port: 1'],
  },
  {
    name: 'a quoted scalar in a flow mapping, closed on a later line, the keys after it kept',
    lines: ['    auth: { password: "one', '   two', ' three", bogus: 1 }'],
    shown: ['    auth: { password: "***', '   ***', ' ***", bogus: 1 }'],
  },
  {
    name: 'a plain scalar in a flow mapping that goes on to the next comma',
    lines: ['    auth: { type: password, signature: abc', '      def, bogus: 1 }'],
    shown: ['    auth: { type: password, signature: ***', '      ***, bogus: 1 }'],
  },
  {
    name: 'a value on the line after its key',
    lines: ['      password:', '        hunter2', '      username: u'],
    shown: ['      password:', '        ***', '      username: u'],
  },
];
for (const c of multiLine) {
  test(`every line of ${c.name}`, () =>
    assert.deepEqual(
      redactSourceLines(c.lines).map((l) => l.text),
      c.shown,
    ));
}

test('a caret after a secret that ended on this line still points at its key', () => {
  const lines = ['    auth: { password: "one', ' a-long-secret-two", bogus: 1 }'];
  const { text, column } = redactSourceLines(lines)[1]!;
  const at = lines[1]!.indexOf('bogus') + 1;
  assert.equal(text.slice(column(at) - 1, column(at + 5) - 1), 'bogus');
});
