import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fitWidth, hangingLines, textWidth } from '../../src/report/fit-width.js';
import { printable } from '../../src/report/printable-text.js';

test('fitWidth wraps at spaces and breaks only words that cannot fit', () => {
  assert.deepEqual(fitWidth('one two three', 7), ['one two', 'three']);
  assert.deepEqual(fitWidth('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(
    fitWidth('😀😀😀', 4),
    ['😀😀', '😀'],
    'counts the columns a terminal gives a wide character, never splits a surrogate pair',
  );
  assert.deepEqual(
    fitWidth('see tls.hostname-mismatch at /etc/mqttprobe/scenarios/aws.yaml', 30),
    ['see tls.hostname-mismatch at', '/etc/mqttprobe/scenarios/aws.y', 'aml'],
    'codes and paths break only where they alone are wider than the line',
  );
});

const WIDE_AND_NARROW = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  ' ',
  '-',
  '.',
  '/',
  'é',
  'ü',
  '世',
  '界',
  '😀',
  '𝄞',
);

test('fitWidth never exceeds the width and loses no character', () => {
  fc.assert(
    // Narrow and wide characters, accents, and the punctuation of codes and paths. (string-width 4, which cli-table3
    // shares, and wrap-ansi's own copy disagree only on rare decomposed graphemes.)
    fc.property(fc.string({ unit: WIDE_AND_NARROW }), fc.integer({ min: 2, max: 30 }), (text, width) => {
      const lines = fitWidth(text, width);
      for (const line of lines) assert.ok(textWidth(line) <= width, `${JSON.stringify(line)} in ${width}`);
      assert.equal(lines.join('').replace(/ /g, ''), text.replace(/ /g, ''));
    }),
  );
});

test('hangingLines wraps once under a hanging indent, filling the first line to its own indent', () => {
  const text = 'fix: offer ALPN x-amzn-mqtt-ca on port 443, or use port 8883';
  assert.deepEqual(hangingLines(text, 24, '  ', '    '), [
    '  fix: offer ALPN',
    '    x-amzn-mqtt-ca on',
    '    port 443, or use',
    '    port 8883',
  ]);
  assert.deepEqual(
    hangingLines('abc def', 9, '  ', '    '),
    ['  abc def'],
    'the first line uses its whole room',
  );
  assert.deepEqual(
    hangingLines('abc def', 9, '  ', '    ', (t) => `<${t}>`),
    ['  <abc def>'],
    'paint spares the indent',
  );
});

test('printable shows control characters instead of sending them to the terminal', () => {
  assert.equal(printable('a\u001b[2Jb\u0007\u009b'), 'a\\x1b[2Jb\\x07\\x9b');
  assert.equal(printable('tab\there\r\nnext'), 'tab here  next');
  assert.equal(printable('ünïcødé 😀'), 'ünïcødé 😀');
});
