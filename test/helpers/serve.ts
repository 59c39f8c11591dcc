// Starts `mqttprobe serve` for a test on a free loopback port, and asks it things over real HTTP.
import type { TestContext } from 'node:test';
import { type CliOptions, type CliRun, startCli } from './cli.js';

export interface RunningServe {
  run: CliRun;
  /** `http://127.0.0.1:PORT` (https with a TLS web config). */
  url: string;
  /** Stops it with SIGTERM and waits for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `mqttprobe serve ARGS --listen 127.0.0.1:0`, ready once it says where it listens; stopped when the test ends. */
export async function startServe(
  t: Pick<TestContext, 'after'>,
  args: string[],
  env: Record<string, string> = {},
  options: CliOptions = {},
): Promise<RunningServe> {
  const run = startCli(['serve', '--listen', '127.0.0.1:0', ...args], env, options);
  let exited = false;
  void run.exited.then(() => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) run.child.kill('SIGTERM');
    return run.exited;
  };
  t.after(stop);
  await Promise.race([
    run.waitForStderr(/listening on https?:\/\/\S+/),
    run.exited.then(() => {
      throw new Error(`serve exited before it listened:\n${run.stderr()}`);
    }),
  ]);
  const url = /listening on (https?:\/\/\S+)/.exec(run.stderr())![1]!;
  return { run, url, stop };
}

/** GET (or another method) with headers; the status, the headers and the body. */
export async function ask(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** The value of one sample (`name{labels}`, labels as printed) in an exposition, or undefined. */
export function sample(text: string, series: string): number | undefined {
  const escaped = series.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}
