// The exporter under load: `mqttprobe serve` (dist/) scraped over HTTP as Prometheus would, its own /metrics read
// for memory (process_resident_memory_bytes, nodejs_heap_size_used_bytes) as the probes go by, and probes per
// second at several numbers of concurrent scrapes.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Teardown } from '../test/system/helpers/teardown.js';

export interface ExporterBench {
  /** Memory after the warm-up and at the end, and the largest seen, over `probes` scrapes at `concurrency`. */
  memory: {
    probes: number;
    warmup: number;
    concurrency: number;
    failed: number;
    rssMiB: { afterWarmup: number; end: number; max: number };
    heapMiB: { afterWarmup: number; end: number; max: number };
  };
  /** Probes per second, by concurrent scrapes. */
  throughput: Array<{ concurrency: number; probes: number; probesPerS: number; failed: number }>;
}

const MIB = 1024 * 1024;
const sample = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

/** Starts dist/cli.js serve on a free port; resolves with its URL; stopped at teardown. */
async function startExporter(
  t: Teardown,
  cli: string,
  file: string,
  maxConcurrent: number,
): Promise<{ url: string; collectGarbage: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      new URL('./gc-on-signal.mjs', import.meta.url).pathname,
      cli,
      'serve',
      file,
      '--listen',
      '127.0.0.1:0',
      '--max-concurrent',
      String(maxConcurrent),
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  t.after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
  let err = '';
  let collections = 0;
  let collected: (() => void) | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
      const url = /listening on (http\S+)/.exec(err)?.[1];
      if (url) resolve(url);
      const done = err.split('bench: gc done').length - 1;
      if (done > collections) {
        collections = done;
        collected?.();
      }
    });
    child.once('exit', () => reject(new Error(`serve exited:\n${err}`)));
  });
  // A full collection in the exporter, awaited through the line it prints (bench/gc-on-signal.mjs).
  const collectGarbage = () =>
    new Promise<void>((resolve) => {
      collected = resolve;
      child.kill('SIGUSR2');
    });
  return { url, collectGarbage };
}

/** `probes` scrapes by `concurrency` workers; calls `every` after each `step` scrapes. */
async function scrape(
  url: string,
  probes: number,
  concurrency: number,
  onDone?: (done: number) => Promise<void>,
): Promise<{ wallMs: number; failed: number }> {
  let started = 0;
  let done = 0;
  let failed = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (started < probes) {
      started++;
      const response = await fetch(`${url}/probe?scenario=round%20trip`, {
        headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '10' },
      });
      const body = await response.text();
      if (!/^probe_success 1$/m.test(body)) failed++;
      done++;
      await onDone?.(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { wallMs: performance.now() - t0, failed };
}

/** Runs the memory and throughput measures against the scenario text (one scenario named `round trip`). */
export async function measureExporter(
  t: Teardown,
  options: {
    cli: string;
    dir: string;
    scenario: string;
    probes: number;
    warmup: number;
    concurrency: number;
    throughput: { concurrency: number[]; probes: number };
  },
): Promise<ExporterBench> {
  const file = join(options.dir, 'serve-bench.yaml');
  writeFileSync(file, options.scenario);
  const maxConcurrent = Math.max(options.concurrency, ...options.throughput.concurrency);
  const { url, collectGarbage } = await startExporter(t, options.cli, file, maxConcurrent);
  const readMemory = async () => {
    await collectGarbage();
    const text = await (await fetch(`${url}/metrics`)).text();
    return {
      rss: sample(text, 'process_resident_memory_bytes') / MIB,
      heap: sample(text, 'nodejs_heap_size_used_bytes') / MIB,
    };
  };

  // Memory: sampled every 2% of the run, each time right after a full collection, so it is what the exporter keeps.
  // "After warm-up" and "end" are the means of the first and the last fifth of the samples after the warm-up.
  const step = Math.max(1, Math.floor(options.probes / 50));
  const samples: Array<{ at: number; rss: number; heap: number }> = [];
  let sampling = Promise.resolve();
  const memoryRun = await scrape(url, options.probes, options.concurrency, async (done) => {
    if (done % step !== 0) return;
    sampling = sampling.then(async () => {
      samples.push({ at: done, ...(await readMemory()) });
    });
    await sampling;
  });
  await sampling;
  const warm = samples.filter((s) => s.at >= options.warmup);
  const window = Math.max(1, Math.floor(warm.length / 5));
  const mean = (list: typeof warm, key: 'rss' | 'heap') =>
    list.reduce((sum, s) => sum + s[key], 0) / list.length;
  const first = warm.slice(0, window);
  const last = warm.slice(-window);

  const throughput: ExporterBench['throughput'] = [];
  for (const concurrency of options.throughput.concurrency) {
    const run = await scrape(url, options.throughput.probes, concurrency);
    throughput.push({
      concurrency,
      probes: options.throughput.probes,
      probesPerS: options.throughput.probes / (run.wallMs / 1000),
      failed: run.failed,
    });
  }
  return {
    memory: {
      probes: options.probes,
      warmup: options.warmup,
      concurrency: options.concurrency,
      failed: memoryRun.failed,
      rssMiB: {
        afterWarmup: mean(first, 'rss'),
        end: mean(last, 'rss'),
        max: Math.max(...samples.map((s) => s.rss)),
      },
      heapMiB: {
        afterWarmup: mean(first, 'heap'),
        end: mean(last, 'heap'),
        max: Math.max(...samples.map((s) => s.heap)),
      },
    },
    throughput,
  };
}
