// Runs one command as a whole process and measures its wall time (and, for node, peak RSS and CPU via a preload).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Peak RSS and CPU time of a node process, from bench/preload-rusage.mjs. */
export interface Rusage {
  maxRssKiB: number;
  userMs: number;
  systemMs: number;
}

/** What one run of a process gave. */
export interface TimedProcess {
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
  rusage?: Rusage;
}

export interface TimeOptions {
  env?: NodeJS.ProcessEnv;
  /** Measure peak RSS and CPU (the command must be node; the preload is added before its script). */
  rusage?: boolean;
  /**
   * Stop the clock when stdout matches, then kill the process: for `mqtt sub`, which never exits on its own.
   * Without it, the clock stops when the process exits.
   */
  until?: RegExp;
}

const preload = new URL('./preload-rusage.mjs', import.meta.url).href;
let serial = 0;

/** Spawns `command args` and resolves when it exits (or prints `until`). Never rejects for a non-zero exit. */
export async function timeProcess(
  command: string,
  args: string[],
  options: TimeOptions = {},
): Promise<TimedProcess> {
  const rusageFile = join(tmpdir(), `mqttprobe-bench-rusage-${process.pid}-${serial++}.json`);
  const env = {
    ...process.env,
    ...options.env,
    ...(options.rusage ? { BENCH_RUSAGE_FILE: rusageFile } : {}),
  };
  const argv = options.rusage ? ['--import', preload, ...args] : args;
  const t0 = performance.now();
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let matchedAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    if (options.until && matchedAt === undefined && options.until.test(stdout)) {
      matchedAt = performance.now();
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  const wallMs = (matchedAt ?? performance.now()) - t0;
  const result: TimedProcess = { wallMs, code, stdout, stderr };
  if (options.rusage) {
    try {
      result.rusage = JSON.parse(readFileSync(rusageFile, 'utf8')) as Rusage;
    } finally {
      rmSync(rusageFile, { force: true });
    }
  }
  return result;
}

/** As timeProcess, but throws with the output when the exit code is not `expectCode` (default 0). */
export async function timeOk(
  command: string,
  args: string[],
  options: TimeOptions & { expectCode?: number } = {},
): Promise<TimedProcess> {
  const result = await timeProcess(command, args, options);
  const expected = options.until
    ? options.until.test(result.stdout)
    : result.code === (options.expectCode ?? 0);
  if (!expected) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
    );
  }
  return result;
}
