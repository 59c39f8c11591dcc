// `npm run bench`: mqttprobe's own cost against bare Node, mosquitto's C clients, MQTT.js's CLI and a raw MQTT.js
// script, all on loopback against a local mosquitto; writes docs/benchmarks.md. `--quick` runs every section with
// tiny counts, prints the results and writes nothing (CI runs it so that this script keeps working).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { privateTempDir, teardownList } from '../test/system/helpers/teardown.js';
import { startBenchBroker } from './broker.js';
import { identicalScenarios, measureConcurrencyAccuracy } from './concurrency-accuracy.js';
import type { LoopResult } from './loop-worker.js';
import { listModules } from './module-list.js';
import { type BenchResults, renderBenchmarks, renderSummary } from './render-benchmarks.js';
import {
  connectOnlyScenario,
  roundTripScenario,
  timeoutBoundScenarios,
  timeoutRepeatScenarios,
} from './scenarios.js';
import { measureExporter } from './serve-exporter.js';
import { summarise } from './stats.js';
import { startSynBlackhole } from './syn-blackhole.js';
import { timeOk } from './time-process.js';

const quick = process.argv.includes('--quick');
const counts = quick
  ? {
      startupRounds: 2,
      roundTripRounds: 2,
      overheadProbes: 5,
      overheadRuns: 1,
      scaleProbes: 20,
      scaleConcurrency: 5,
      scaleRuns: 1,
      growth: [10, 20, 40],
      timeout: '500ms',
      timeoutRuns: 1,
      sideBySideRounds: 1,
      sideBySideRepeat: 2,
      serveProbes: 200,
      serveWarmup: 50,
      serveConcurrency: 4,
      serveThroughput: [1, 4],
      serveThroughputProbes: 20,
    }
  : {
      startupRounds: 15,
      roundTripRounds: 11,
      overheadProbes: 200,
      overheadRuns: 3,
      scaleProbes: 1000,
      scaleConcurrency: 50,
      scaleRuns: 3,
      growth: [100, 1000, 5000],
      timeout: '2s',
      timeoutRuns: 3,
      sideBySideRounds: 7,
      sideBySideRepeat: 4,
      serveProbes: 20_000,
      serveWarmup: 2000,
      serveConcurrency: 8,
      serveThroughput: [1, 4, 16],
      serveThroughputProbes: 1000,
    };

const root = new URL('..', import.meta.url).pathname;
const node = process.execPath;
const cli = join(root, 'dist/cli.js');
const rawScript = join(root, 'bench/raw-round-trip.mjs');
// Compiled like dist/ (esbuild, no tsx loader, whose keepNames wrappers would cost the probe CPU), next to node_modules
// so that both loops import the same mqtt package.
const worker = join(root, 'node_modules/.cache/mqttprobe-bench/loop-worker.mjs');
const mqttJsCli = join(root, 'node_modules/mqtt/build/bin/mqtt.js');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function durationMs(text: string): number {
  const ms = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  if (!ms) throw new Error(`not a duration: ${text}`);
  return Number(ms[1]) * (ms[2] === 's' ? 1000 : 1);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  if (!quick && !process.argv.includes('--no-build')) {
    log('building dist/ (npm run build)');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  }
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');

  const teardown = teardownList();
  try {
    const broker = await startBenchBroker(teardown);
    const dir = privateTempDir(teardown);
    const target = { host: broker.host, port: broker.port, dir: broker.dir };
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const connectOnly = file('connect-only.yaml', connectOnlyScenario(target));
    const roundTrip = file('round-trip.yaml', roundTripScenario(target));
    const tls = ['--cafile', broker.ca, '--cert', broker.cert, '--key', broker.key];
    const mqttJsTls = ['-l', 'mqtts', '--ca', broker.ca, '--cert', broker.cert, '--key', broker.key];
    const results: BenchResults = {
      quick,
      versions: {
        node: process.version,
        mosquitto: broker.version,
        mqtt: (
          JSON.parse(readFileSync(join(root, 'node_modules/mqtt/package.json'), 'utf8')) as {
            version: string;
          }
        ).version,
        mqttprobe: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
          .version,
      },
      counts,
    } as BenchResults;

    // 1. Start-up, interleaved so that drift on a shared machine hits every command alike.
    log(`start-up: ${counts.startupRounds} rounds`);
    const startup = {
      node: [] as number[],
      version: [] as number[],
      validate: [] as number[],
      connect: [] as number[],
    };
    for (let i = 0; i < counts.startupRounds; i++) {
      startup.node.push((await timeOk(node, ['-e', '0'])).wallMs);
      startup.version.push((await timeOk(node, [cli, '--version'])).wallMs);
      startup.validate.push(
        (await timeOk(node, [cli, 'validate', join(root, 'scenarios/aws-iot-ports.yaml')])).wallMs,
      );
      startup.connect.push((await timeOk(node, [cli, 'run', connectOnly])).wallMs);
    }
    results.startup = {
      node: summarise(startup.node),
      version: summarise(startup.version),
      validate: summarise(startup.validate),
      connect: summarise(startup.connect),
    };
    log('start-up: module lists');
    results.modules = {
      version: await listModules([cli, '--version']),
      validate: await listModules([cli, 'validate', join(root, 'scenarios/aws-iot-ports.yaml')]),
      connect: await listModules([cli, 'run', connectOnly]),
    };

    // 2. One round trip as a whole process. The two-process baselines publish a retained message first and then
    // subscribe, so no harness has to guess when the subscriber is ready: the same packets, strictly in sequence.
    log(`round trip: ${counts.roundTripRounds} rounds`);
    const rt = {
      mqttprobe: [] as number[],
      mosquitto: [] as number[],
      mqttJs: [] as number[],
      raw: [] as number[],
    };
    const hp = ['-h', broker.host, '-p', String(broker.port)];
    for (let i = 0; i < counts.roundTripRounds; i++) {
      rt.mqttprobe.push((await timeOk(node, [cli, 'run', roundTrip])).wallMs);
      const topic = `bench/retained/${i}`;
      const pub = await timeOk('mosquitto_pub', [
        ...hp,
        ...tls,
        '-q',
        '1',
        '-r',
        '-t',
        `${topic}/c`,
        '-m',
        'x',
      ]);
      const sub = await timeOk('mosquitto_sub', [...hp, ...tls, '-q', '1', '-C', '1', '-t', `${topic}/c`]);
      rt.mosquitto.push(pub.wallMs + sub.wallMs);
      const jsPub = await timeOk(node, [
        mqttJsCli,
        'pub',
        ...hp,
        ...mqttJsTls,
        '-q',
        '1',
        '-r',
        '-t',
        `${topic}/js`,
        '-m',
        'x',
      ]);
      const jsSub = await timeOk(
        node,
        [mqttJsCli, 'sub', ...hp, ...mqttJsTls, '-q', '1', '-t', `${topic}/js`],
        { until: /^x$/m },
      );
      rt.mqttJs.push(jsPub.wallMs + jsSub.wallMs);
      rt.raw.push((await timeOk(node, [rawScript, broker.host, String(broker.port), broker.dir])).wallMs);
    }
    results.roundTrip = {
      mqttprobe: summarise(rt.mqttprobe),
      mosquitto: summarise(rt.mosquitto),
      mqttJs: summarise(rt.mqttJs),
      raw: summarise(rt.raw),
    };

    // 3. Measurement overhead in one process, at concurrency 1, alternating which loop goes first.
    await build({
      entryPoints: [join(root, 'bench/loop-worker.ts')],
      outfile: worker,
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    log(`overhead: ${counts.overheadRuns} × ${counts.overheadProbes} probes each way`);
    const loops = { mqttprobe: [] as LoopResult[], raw: [] as LoopResult[] };
    for (let i = 0; i < counts.overheadRuns; i++) {
      const order = i % 2 === 0 ? (['mqttprobe', 'raw'] as const) : (['raw', 'mqttprobe'] as const);
      for (const mode of order) {
        const args = [
          worker,
          mode,
          String(counts.overheadProbes),
          broker.host,
          String(broker.port),
          broker.dir,
        ];
        const run = await timeOk(node, args, { env: { NODE_OPTIONS: '' } });
        loops[mode].push(JSON.parse(run.stdout) as LoopResult);
      }
    }
    results.overhead = {
      mqttprobeMs: summarise(loops.mqttprobe.flatMap((l) => l.perProbeMs)),
      rawMs: summarise(loops.raw.flatMap((l) => l.perProbeMs)),
      mqttprobeCpuMs: summarise(loops.mqttprobe.map((l) => l.cpuMs / l.perProbeMs.length)),
      rawCpuMs: summarise(loops.raw.map((l) => l.cpuMs / l.perProbeMs.length)),
    };

    // 4. Throughput at scale: the whole CLI (runner, statistics, JSON and JUnit reports) against the raw loop.
    const scaleRun = async (probes: number) => {
      const junit = join(dir, 'scale.xml');
      const args = [
        cli,
        'run',
        roundTrip,
        '--repeat',
        String(probes),
        '--concurrency',
        String(counts.scaleConcurrency),
        '--format',
        'json',
        '--report',
        `junit=${junit}`,
      ];
      const run = await timeOk(node, args, { rusage: true });
      const report = JSON.parse(run.stdout) as { durationMs: number; scenarios: Array<{ passed: number }> };
      if (report.scenarios[0]?.passed !== probes)
        throw new Error(`only ${report.scenarios[0]?.passed} of ${probes} probes passed`);
      return {
        probesPerS: (probes * 1000) / report.durationMs,
        wallMs: run.wallMs,
        rssMiB: run.rusage!.maxRssKiB / 1024,
      };
    };
    const rawScaleRun = async (probes: number) => {
      const args = [
        rawScript,
        broker.host,
        String(broker.port),
        broker.dir,
        String(probes),
        String(counts.scaleConcurrency),
      ];
      const run = await timeOk(node, args, { rusage: true });
      const { loopMs } = JSON.parse(run.stdout) as { loopMs: number };
      return {
        probesPerS: (probes * 1000) / loopMs,
        wallMs: run.wallMs,
        rssMiB: run.rusage!.maxRssKiB / 1024,
      };
    };
    log(
      `throughput: ${counts.scaleRuns} × ${counts.scaleProbes} probes at concurrency ${counts.scaleConcurrency} each way`,
    );
    const scale = {
      mqttprobe: [] as Array<Awaited<ReturnType<typeof scaleRun>>>,
      raw: [] as Array<Awaited<ReturnType<typeof rawScaleRun>>>,
    };
    for (let i = 0; i < counts.scaleRuns; i++) {
      scale.mqttprobe.push(await scaleRun(counts.scaleProbes));
      scale.raw.push(await rawScaleRun(counts.scaleProbes));
    }
    results.throughput = {
      mqttprobe: summarise(scale.mqttprobe.map((s) => s.probesPerS)),
      raw: summarise(scale.raw.map((s) => s.probesPerS)),
      mqttprobeRssMiB: summarise(scale.mqttprobe.map((s) => s.rssMiB)),
      rawRssMiB: summarise(scale.raw.map((s) => s.rssMiB)),
    };
    results.growth = [];
    for (const probes of counts.growth) {
      log(`growth: ${probes} probes`);
      const run = probes === counts.scaleProbes ? scale.mqttprobe[0]! : await scaleRun(probes);
      results.growth.push({ probes, wallMs: run.wallMs, probesPerS: run.probesPerS, rssMiB: run.rssMiB });
    }

    // 5. Timeout bound: half the scenarios go to a port whose SYNs are dropped.
    const blackhole = await startSynBlackhole();
    teardown.after(() => blackhole.close());
    const bound = file(
      'timeout-bound.yaml',
      timeoutBoundScenarios({ ...target, blackholePort: blackhole.port, timeout: counts.timeout }),
    );
    log(`timeout bound: ${counts.timeoutRuns} runs at concurrency 16, one at the default concurrency`);
    const boundRuns: number[] = [];
    for (let i = 0; i < counts.timeoutRuns; i++) {
      boundRuns.push((await timeOk(node, [cli, 'run', bound, '--concurrency', '16'])).wallMs);
    }
    const defaultConcurrency = await timeOk(node, [cli, 'run', bound]);
    const withRepeats = file(
      'timeout-repeat.yaml',
      timeoutRepeatScenarios({
        ...target,
        blackholePort: blackhole.port,
        timeout: counts.timeout,
        repeat: 3,
      }),
    );
    const repeatRun = await timeOk(node, [cli, 'run', withRepeats]);
    results.timeoutBound = {
      timeoutMs: durationMs(counts.timeout),
      wallMs: summarise(boundRuns),
      defaultConcurrencyWallMs: defaultConcurrency.wallMs,
      repeatWallMs: repeatRun.wallMs,
    };

    // 6. Phase figures side by side: 8 identical scenarios at the default concurrency against the same run alone.
    log(`side by side: ${counts.sideBySideRounds} rounds each way`);
    const identical = file(
      'identical.yaml',
      identicalScenarios({ ...target, scenarios: 8, repeat: counts.sideBySideRepeat }),
    );
    results.sideBySide = await measureConcurrencyAccuracy({
      cli,
      file: identical,
      scenarios: 8,
      repeat: counts.sideBySideRepeat,
      rounds: counts.sideBySideRounds,
    });

    // 7. The exporter: memory over many scrapes, and probes per second at concurrent scrapes.
    log(`exporter: ${counts.serveProbes} scrapes at concurrency ${counts.serveConcurrency}, then throughput`);
    results.exporter = await measureExporter(teardown, {
      cli,
      dir: broker.dir,
      scenario: roundTripScenario(broker),
      probes: counts.serveProbes,
      warmup: counts.serveWarmup,
      concurrency: counts.serveConcurrency,
      throughput: { concurrency: counts.serveThroughput, probes: counts.serveThroughputProbes },
    });

    results.totalS = (performance.now() - t0) / 1000;
    process.stdout.write(`${renderSummary(results)}\n`);
    if (!quick) {
      const doc = join(root, 'docs/benchmarks.md');
      writeFileSync(doc, renderBenchmarks(results));
      log(`wrote ${doc}`);
    }
    log(`done in ${results.totalS.toFixed(1)} s`);
  } finally {
    await teardown.run();
  }
}

await main();
