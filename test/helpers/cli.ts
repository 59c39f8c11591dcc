// Runs the mqttprobe CLI in a child process, as a user would, and collects what it prints and how it exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const root = new URL('../..', import.meta.url).pathname;
const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
const builtCli = new URL('../../dist/cli.js', import.meta.url).pathname;

export interface CliOptions {
  cwd?: string;
  /** Run dist/cli.js, the bundle a user installs (bundled dependencies such as `debug` behave as shipped). */
  built?: boolean;
  /**
   * Options for node itself, before the script: after tsx for the sources (e.g. `--import` of a .ts reporter), first
   * for dist/cli.js (e.g. `--import` of a fault-injecting .mjs module).
   */
  nodeArgs?: string[];
  /** Start under `sh -c 'ulimit -n N'`: the process's open-file limit. */
  openFiles?: number;
}

export interface CliRun {
  child: ChildProcess;
  /** Everything printed so far. */
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stderr has printed a line matching `pattern`. */
  waitForStderr: (pattern: RegExp) => Promise<void>;
  /** Exit code (or signal), and ms between the last output and the exit. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; exitLagMs: number }>;
}

/** Starts `mqttprobe ARGS` from the repository root with colour off. */
export function startCli(args: string[], env: Record<string, string> = {}, options: CliOptions = {}): CliRun {
  // A proxy in the developer's environment must not reroute loopback test traffic; tests that want one set it.
  const inherited = { ...process.env };
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'])
    delete inherited[name];
  // Nor may the developer's terminal width change the layout a test reads: tests that want one set COLUMNS.
  delete inherited.COLUMNS;
  if (options.built && !existsSync(builtCli))
    throw new Error(`${builtCli} is missing: run \`npm run build\` first`);
  const nodeArgs = options.nodeArgs ?? [];
  // tsx is resolved here, so the child finds it whatever its working directory.
  const argv = options.built
    ? [...nodeArgs, builtCli, ...args]
    : ['--import', import.meta.resolve('tsx'), ...nodeArgs, cli, ...args];
  const [command, commandArgs] =
    options.openFiles === undefined
      ? [process.execPath, argv]
      : ['sh', ['-c', 'ulimit -n "$0" && exec "$@"', String(options.openFiles), process.execPath, ...argv]];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? root,
    env: { ...inherited, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let lastOutputAt = performance.now();
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk;
    lastOutputAt = performance.now();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk;
    lastOutputAt = performance.now();
    for (const w of [...waiters]) {
      if (w.pattern.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  // 'close', not 'exit': it waits until everything printed has been read.
  const exited = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    exitLagMs: performance.now() - lastOutputAt,
  }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (pattern) =>
      pattern.test(err) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve })),
    exited,
  };
}

/** Runs `mqttprobe ARGS` to the end. */
export async function runCli(args: string[], env: Record<string, string> = {}, options: CliOptions = {}) {
  const run = startCli(args, env, options);
  const { code, exitLagMs } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr(), exitLagMs };
}
