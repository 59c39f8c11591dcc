// Runs commands inside a network namespace: any argv, or mqttprobe on a scenario file returning its RunReport.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { RunReport } from '../../../src/run/result.js';
import type { NetworkNamespace } from './network-namespace.js';

const root = new URL('../../..', import.meta.url).pathname;
const driver = new URL('./run-file-json.ts', import.meta.url).pathname;

/** What a command printed, how it exited, and its wall time in ms (process start to exit). */
export interface NamespaceRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** When stdout got its first bytes, in ms from process start (undefined when it printed nothing). */
  firstStdoutMs?: number;
}

/** Runs `argv` inside the namespace from the repository root and waits until its output is read to the end. */
export async function spawnInNamespace(
  ns: NetworkNamespace,
  argv: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<NamespaceRun> {
  const [command, ...prefix] = ns.execPrefix;
  const t0 = performance.now();
  const child = spawn(command!, [...prefix, ...argv], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: options.env } : {}),
  });
  let stdout = '';
  let stderr = '';
  let firstStdoutMs: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    firstStdoutMs ??= performance.now() - t0;
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  // 'close', not 'exit': it waits until stdout has been read to the end.
  const [code] = (await once(child, 'close')) as [number | null];
  return {
    code,
    stdout,
    stderr,
    wallMs: performance.now() - t0,
    ...(firstStdoutMs ? { firstStdoutMs } : {}),
  };
}

/** The report plus the child's wall time in ms (process start to exit, so it includes Node's start-up). */
export async function runInNamespace(
  ns: NetworkNamespace,
  file: string,
  options: { concurrency?: number } = {},
): Promise<{ report: RunReport; wallMs: number }> {
  const run = await spawnInNamespace(ns, [
    process.execPath,
    '--import',
    'tsx',
    driver,
    file,
    String(options.concurrency ?? 8),
  ]);
  if (run.code !== 0) throw new Error(`mqttprobe in ${ns.name} exited ${run.code}:\n${run.stderr}`);
  return { report: JSON.parse(run.stdout) as RunReport, wallMs: run.wallMs };
}
