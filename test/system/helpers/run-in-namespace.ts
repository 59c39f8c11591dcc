// Runs a scenario file with mqttprobe inside a network namespace and returns the parsed RunReport.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { RunReport } from '../../../src/run/result.js';
import type { NetworkNamespace } from './network-namespace.js';

const root = new URL('../../..', import.meta.url).pathname;
const driver = new URL('./run-file-json.ts', import.meta.url).pathname;

/** The report plus the child's wall time in ms (process start to exit, so it includes Node's start-up). */
export async function runInNamespace(
  ns: NetworkNamespace,
  file: string,
  options: { concurrency?: number } = {},
): Promise<{ report: RunReport; wallMs: number }> {
  const [command, ...prefix] = ns.execPrefix;
  const t0 = performance.now();
  const child = spawn(
    command!,
    [...prefix, process.execPath, '--import', 'tsx', driver, file, String(options.concurrency ?? 8)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk;
  });
  // 'close', not 'exit': it waits until stdout has been read to the end.
  const [code] = (await once(child, 'close')) as [number | null];
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`mqttprobe in ${ns.name} exited ${code}:\n${err}`);
  return { report: JSON.parse(out) as RunReport, wallMs };
}
