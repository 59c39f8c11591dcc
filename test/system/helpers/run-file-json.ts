// Child-process driver: loads one scenario file with the real scenario layer, runs it, prints the RunReport as JSON.
// Used to run mqttprobe inside a network namespace (`ip netns exec NS node --import tsx run-file-json.ts FILE N`).
import { runPlans } from '../../../src/run/run-plans.js';
import { loadScenarioFile } from '../../../src/scenario/load-scenario-file.js';

const [file, concurrency = '8'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: run-file-json.ts FILE [CONCURRENCY]');
const loaded = loadScenarioFile(file, { env: process.env });
if (loaded.errors.length > 0) {
  process.stderr.write(`${JSON.stringify(loaded.errors, null, 2)}\n`);
  process.exitCode = 2;
} else {
  const report = await runPlans(loaded.plans, { concurrency: Number(concurrency) });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
