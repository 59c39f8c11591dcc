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

test('a wait for the turn between phases is left out: later phases start earlier and the total is shorter', () => {
  const timeline = new Timeline(0);
  timeline.start('dns', 0);
  timeline.end('dns', 1);
  timeline.exclude(10);
  timeline.start('tcp', 11);
  timeline.end('tcp', 12);
  const { phases, totalMs } = timeline.finish(12);
  assert.deepEqual(phases.dns, { startMs: 0, durationMs: 1 });
  assert.deepEqual(phases.tcp, { startMs: 1, durationMs: 1 });
  assert.equal(totalMs, 2);
  assert.equal(timeline.startOf('tcp'), 11, 'the monotonic mark itself is kept');
});
