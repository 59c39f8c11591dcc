// Loads scenario YAML through the real scenario layer and runs it through the real run layer, in this process.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport, ScenarioOutcome } from '../../../src/run/result.js';
import { runPlans } from '../../../src/run/run-plans.js';
import { loadScenarioText } from '../../../src/scenario/load-scenario-file.js';
import type { ProbePlan } from '../../../src/scenario/plan.js';

/** Loads `yaml` as if it were `dir/name`, failing the test on any scenario error. */
export function loadPlans(
  dir: string,
  yaml: string,
  env: Record<string, string> = {},
  name = 'probe.yaml',
): ProbePlan[] {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  const loaded = loadScenarioText(file, yaml, { env });
  assert.deepEqual(loaded.errors, [], 'the scenario file must load without errors');
  return loaded.plans;
}

/** Runs plans at `concurrency` and returns the report. */
export function runAll(plans: readonly ProbePlan[], concurrency = 8): Promise<RunReport> {
  return runPlans(plans, { concurrency });
}

/** The outcome of the scenario with this id, failing the test when it is missing. */
export function outcomeOf(report: RunReport, id: string): ScenarioOutcome {
  const outcome = report.scenarios.find((o) => o.plan.id === id);
  assert.ok(outcome, `no outcome for ${id}; have ${report.scenarios.map((o) => o.plan.id).join(', ')}`);
  return outcome;
}

/** One line per scenario (id, verdict, diagnosis), for assertion messages that show the whole run. */
export function describeRun(report: RunReport): string {
  return report.scenarios
    .map((o) => `${o.plan.id}: ${o.verdict} ${o.diagnosis?.code ?? ''} ${o.mismatch ?? ''}`.trim())
    .join('\n');
}
