// The assertion most probe tests end with: the probe failed, with this code, in this phase.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { ProbeResult } from '../../../src/probe/result.js';

/** Asserts a failed probe with diagnosis `code` seen in `phase`, showing the whole diagnosis when it differs. */
export function assertFails(result: ProbeResult, code: string, phase: string): void {
  assert.equal(result.ok, false, `expected ${code}, but the probe passed`);
  assert.equal(result.diagnosis?.code, code, inspect(result.diagnosis, { depth: 4 }));
  assert.equal(result.failedPhase, phase);
}
