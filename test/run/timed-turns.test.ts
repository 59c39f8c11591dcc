import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { type ProbeTurn, TimedTurns } from '../../src/run/timed-turns.js';

/** Keeps the event loop busy for `ms`: the local work (a key exchange, a report) that distorts a timed window. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spinning on purpose
  }
}

/** Resolves after the sampler has had a chance to look at the loop (a real timer tick, not a guess at time). */
const nextTick = () => new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 2)));

/** Stalls the loop for 30 ms inside a window and returns the local delay the probe reads for it. */
async function stallInside(probe: ProbeTurn): Promise<{ delay: number; to: number }> {
  await nextTick();
  const from = performance.now();
  busy(30);
  await nextTick();
  const to = performance.now();
  return { delay: probe.localDelayMs(from, to), to };
}

describe('timed turns', () => {
  test('one probe at a time holds the turn; the next gets it when the first is done', async () => {
    const turns = new TimedTurns({ patienceMs: 60_000 });
    const a = turns.forProbe({ cold: false });
    const b = turns.forProbe({ cold: false });
    const order: string[] = [];
    await a.claim();
    order.push('a');
    const waiting = b.claim().then(() => order.push('b'));
    await a.claim();
    order.push('a again');
    a.done();
    await waiting;
    assert.deepEqual(order, ['a', 'a again', 'b']);
    b.done();
    turns.close();
  });

  test('a holder that waits on the network (an idle loop) hands the turn on after its patience', async () => {
    const turns = new TimedTurns({ patienceMs: 5 });
    const a = turns.forProbe({ cold: false });
    const b = turns.forProbe({ cold: false });
    await a.claim();
    // a never finishes, like a probe to a dropped port; b must still get its turn.
    await b.claim();
    a.done();
    b.done();
    turns.close();
  });

  test('the loop stalling while another probe works counts as local delay inside the window', async () => {
    const turns = new TimedTurns();
    const a = turns.forProbe({ cold: false });
    const b = turns.forProbe({ cold: false });
    const { delay, to } = await stallInside(a);
    assert.ok(delay >= 15, `30 ms of busy loop inside the window, ${delay} ms counted`);
    assert.equal(a.localDelayMs(to, to + 1_000), 0, 'nothing after the window');
    a.done();
    b.done();
    turns.close();
  });

  test('a probe at work alone reports no local delay, even when the loop stalls (its own work)', async () => {
    const turns = new TimedTurns();
    const a = turns.forProbe({ cold: false });
    assert.equal((await stallInside(a)).delay, 0);
    a.done();
    turns.close();
  });
});
