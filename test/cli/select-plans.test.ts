// --only and --tag together: the selection, and an error that names what did not match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/io.js';
import { selectPlans } from '../../src/cli/select-plans.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';

const { plans } = loadScenarioText(
  '/tmp/select.yaml',
  `version: 1
defaults: { endpoint: broker.example, port: 1883, transport: mqtt }
scenarios:
  - name: port 1883
    tags: [ports]
  - name: port 1884
    port: 1884
    tags: [ports]
  - name: qos 0
    qos: 0
    tags: [qos]
`,
  { env: {} },
);

const names = (selected: ReturnType<typeof selectPlans>) => selected.map((p) => p.name);

test('--only and --tag both apply', () => {
  assert.deepEqual(names(selectPlans(plans, { only: ['port*'], tag: ['ports'] })), [
    'port 1883',
    'port 1884',
  ]);
  assert.deepEqual(names(selectPlans(plans, { tag: ['qos'] })), ['qos 0']);
});

test('a tag that exists, but not among the --only matches, is named as such, with the scenarios that have it', () => {
  assert.throws(
    () => selectPlans(plans, { only: ['port*'], tag: ['qos'] }),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.message, 'no scenario matches --only port* and has tag qos');
      assert.equal(error.hint, 'scenarios with tag qos: qos 0');
      return true;
    },
  );
});

test('a tag no scenario has lists the tags there are', () => {
  assert.throws(
    () => selectPlans(plans, { tag: ['smoke'] }),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message === 'no scenario has tag smoke' &&
      error.hint === 'tags in these files: ports, qos',
  );
});
