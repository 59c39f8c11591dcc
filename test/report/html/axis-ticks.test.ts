import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axisTicks, roundStep } from '../../../src/report/html/phase-look.js';

test('chart axes step in round figures', () => {
  assert.deepEqual(
    [1010, 142, 9.1, 0.7, 60_000].map((axis) => roundStep(axis, 4)),
    [250, 25, 2, 0.2, 20_000],
  );
});

test('the labels of an axis are round figures, the last ending at the chart', () => {
  const ticks = axisTicks({ axisMs: 1010, x: (ms) => ms / 10, labelY: 10, top: 0, bottom: 50 }).map(String);
  const labels = ticks.map((t) => /<text[^>]*>([^<]*)<\/text>/.exec(t)?.[1]);
  assert.deepEqual(labels, ['0', '250ms', '500ms', '750ms', '1.00s']);
  assert.match(ticks.at(-1)!, /text-anchor="end"/);
  assert.match(ticks[2]!, /text-anchor="middle"/);
});
