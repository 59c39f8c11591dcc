import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fitWidth } from '../../src/report/fit-width.js';
import { printable } from '../../src/report/printable-text.js';

test('fitWidth wraps at spaces and breaks only words that cannot fit', () => {
  assert.deepEqual(fitWidth('one two three', 7), ['one two', 'three']);
  assert.deepEqual(fitWidth('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(
    fitWidth('😀😀😀', 2),
    ['😀😀', '😀'],
    'counts code points, never splits a surrogate pair',
  );
});

test('fitWidth never exceeds the width and loses no character', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme-composite' }), fc.integer({ min: 1, max: 30 }), (text, width) => {
      const lines = fitWidth(text, width);
      for (const line of lines) assert.ok([...line].length <= width);
      assert.equal(lines.join('').replace(/ /g, ''), text.replace(/ /g, ''));
    }),
  );
});

test('printable shows control characters instead of sending them to the terminal', () => {
  assert.equal(printable('a\u001b[2Jb\u0007\u009b'), 'a\\x1b[2Jb\\x07\\x9b');
  assert.equal(printable('tab\there\r\nnext'), 'tab here  next');
  assert.equal(printable('ünïcødé 😀'), 'ünïcødé 😀');
});
