// Child process for the in-process overhead measurement: N round trips one at a time, through mqttprobe's run layer
// (runPlans → runProbe) or through the raw MQTT.js loop, each probe timed the same way from the outside.
// Usage (bench/run.ts compiles it first): node loop-worker.mjs mqttprobe|raw COUNT HOST PORT PKI_DIR; prints one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProbeResult } from '../src/probe/result.js';
import { runProbe } from '../src/probe/run-probe.js';
import { runPlans } from '../src/run/run-plans.js';
import { loadScenarioText } from '../src/scenario/load-scenario-file.js';
import type { ProbePlan } from '../src/scenario/plan.js';
import { rawRoundTrip } from './raw-round-trip.mjs';
import { roundTripScenario } from './scenarios.js';

/** Per-probe wall times of the warm probes, and the CPU the warm loop used. */
export interface LoopResult {
  perProbeMs: number[];
  cpuMs: number;
  loopMs: number;
}

type Mark = { at: number; cpu: NodeJS.CpuUsage };
const mark = (): Mark => ({ at: performance.now(), cpu: process.cpuUsage() });

function finish(from: Mark, perProbeMs: number[]): LoopResult {
  const cpu = process.cpuUsage(from.cpu);
  return { perProbeMs, cpuMs: (cpu.user + cpu.system) / 1000, loopMs: performance.now() - from.at };
}

// The first probe of a process pays JIT and TLS warm-up; both loops leave it out of times and CPU.
async function viaMqttprobe(count: number, host: string, port: number, dir: string): Promise<LoopResult> {
  const text = roundTripScenario({ host, port, dir, repeat: count + 1 });
  const loaded = loadScenarioText(join(dir, 'overhead.yaml'), text, { env: {} });
  if (loaded.errors.length > 0) throw new Error(JSON.stringify(loaded.errors));
  const times: number[] = [];
  let warmFrom: Mark | undefined;
  const timed = async (plan: ProbePlan): Promise<ProbeResult> => {
    const t0 = performance.now();
    const result = await runProbe(plan);
    if (warmFrom === undefined) warmFrom = mark();
    else times.push(performance.now() - t0);
    return result;
  };
  const report = await runPlans(loaded.plans, { concurrency: 1, probe: timed });
  const passed = report.scenarios.every((s) => s.passed === s.probes.length);
  if (!passed) throw new Error(`a probe failed: ${JSON.stringify(report.scenarios[0]?.diagnosis)}`);
  return finish(warmFrom!, times);
}

async function viaRaw(count: number, host: string, port: number, dir: string): Promise<LoopResult> {
  const read = (name: string) => readFileSync(join(dir, name));
  const target = { host, port, ca: read('ca.pem'), cert: read('client.pem'), key: read('client-key.pem') };
  await rawRoundTrip(target);
  const from = mark();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await rawRoundTrip(target);
    times.push(performance.now() - t0);
  }
  return finish(from, times);
}

const [mode, count = '10', host = '127.0.0.1', port = '8883', dir = '.'] = process.argv.slice(2);
const loop = mode === 'raw' ? viaRaw : viaMqttprobe;
const result = await loop(Number(count), host, Number(port), dir);
process.stdout.write(`${JSON.stringify(result)}\n`);
