// Timeline: raw marks in, relative timings out, derived once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Timeline } from '../../src/probe/timeline.js';

test('timings are relative to the origin and listed in phase order', () => {
  const timeline = new Timeline(1000);
  timeline.start('tcp', 1010);
  timeline.end('tcp', 1015);
  timeline.start('dns', 1001);
  timeline.end('dns', 1009.5);
  const { phases, totalMs } = timeline.finish(1020);
  assert.deepEqual(Object.keys(phases), ['dns', 'tcp']);
  assert.deepEqual(phases.dns, { startMs: 1, durationMs: 8.5 });
  assert.deepEqual(phases.tcp, { startMs: 10, durationMs: 5 });
  assert.equal(totalMs, 20);
});

test('an open phase ends when the probe finishes; a second end is ignored', () => {
  const timeline = new Timeline(0);
  timeline.start('connack', 2);
  timeline.end('connack', 3);
  timeline.end('connack', 9);
  timeline.start('suback', 4);
  const { phases } = timeline.finish(7);
  assert.deepEqual(phases.connack, { startMs: 2, durationMs: 1 });
  assert.deepEqual(phases.suback, { startMs: 4, durationMs: 3 });
});

test('overlapping phases may share a start mark', () => {
  const timeline = new Timeline(0);
  timeline.start('puback', 5);
  timeline.start('receive', 5);
  timeline.end('receive', 6);
  timeline.end('puback', 7);
  const { phases } = timeline.finish(8);
  assert.equal(phases.puback?.startMs, phases.receive?.startMs);
  assert.equal(timeline.lastStarted(), 'receive');
});
