import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedBy, filterCovers, globMatches, topicMatches } from '../../src/emulator/policy.js';

const topicCases: Array<[filter: string, topic: string, expected: boolean]> = [
  ['a/b', 'a/b', true],
  ['a/b', 'a/c', false],
  ['a/+', 'a/b', true],
  ['a/+', 'a/b/c', false],
  ['a/#', 'a', true],
  ['a/#', 'a/b/c', true],
  ['#', 'anything/at/all', true],
  ['+/b', 'a/b', true],
  ['a/b', 'a/b/c', false],
];
for (const [filter, topic, expected] of topicCases) {
  test(`topic filter ${filter} ${expected ? 'matches' : 'does not match'} ${topic}`, () => {
    assert.equal(topicMatches(filter, topic), expected);
  });
}

const coverCases: Array<[allowed: string, requested: string, expected: boolean]> = [
  ['a/#', 'a/+', true],
  ['a/#', 'a/b/#', true],
  ['a/+', 'a/b', true],
  ['a/+', 'a/#', false],
  ['a/b', 'a/+', false],
  ['a/+/c', 'a/+/c', true],
  ['a/+', 'a/b/c', false],
];
for (const [allowed, requested, expected] of coverCases) {
  test(`an allowed filter ${allowed} ${expected ? 'covers' : 'does not cover'} a requested ${requested}`, () => {
    assert.equal(filterCovers(allowed, requested), expected);
  });
}

test('client ID patterns use * and ? and match the whole ID', () => {
  assert.equal(globMatches('sensor-*', 'sensor-12'), true);
  assert.equal(globMatches('sensor-?', 'sensor-12'), false);
  assert.equal(globMatches('sensor-*', 'my-sensor-1'), false);
  assert.equal(globMatches('a.b', 'axb'), false);
});

test('an absent list allows everything and an empty list allows nothing', () => {
  assert.equal(allowedBy(undefined, 'x', topicMatches), true);
  assert.equal(allowedBy([], 'x', topicMatches), false);
});
