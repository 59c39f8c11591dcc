import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/io.js';
import { selectPlans } from '../../src/cli/select-plans.js';
import { loadScenarioFile } from '../../src/scenario/load-scenario-file.js';

const { plans } = loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname, {
  env: {},
});
const ids = (selected: typeof plans) => selected.map((p) => p.id);

test('--only matches names and expanded ids, with * as a wildcard', () => {
  assert.deepEqual(ids(selectPlans(plans, { only: ['qos'] })), ['qos [qos=0]', 'qos [qos=1]']);
  assert.deepEqual(ids(selectPlans(plans, { only: ['qos [qos=1]'] })), ['qos [qos=1]']);
  assert.deepEqual(ids(selectPlans(plans, { only: ['port 443*'] })), ['port 443 + ALPN', 'port 443 no ALPN']);
});

test('--tag keeps scenarios with any of the tags', () => {
  assert.deepEqual(ids(selectPlans(plans, { tag: ['ports'] })), [
    'port 8883',
    'port 443 + ALPN',
    'port 443 no ALPN',
  ]);
});

test('--timeout and --repeat override every selected scenario', () => {
  const chosen = selectPlans(plans, { only: ['port 8883'], timeout: '750ms', repeat: '4' });
  assert.ok(Object.values(chosen[0]!.timeoutsMs).every((ms) => ms === 750));
  assert.equal(chosen[0]!.repeat, 4);
});

test('a selection that matches nothing, or a bad override, is a usage error that lists what exists', () => {
  assert.throws(
    () => selectPlans(plans, { only: ['nope'] }),
    (e: unknown) => e instanceof UsageError && /port 8883/.test(e.hint ?? ''),
  );
  assert.throws(
    () => selectPlans(plans, { tag: ['x'] }),
    (e: unknown) => e instanceof UsageError && /ports, qos/.test(e.hint ?? ''),
  );
  assert.throws(() => selectPlans(plans, { timeout: '5' }), UsageError);
  assert.throws(() => selectPlans(plans, { repeat: '0' }), UsageError);
});
