// Runs Debian's promtool (the `prometheus` package) as the judge of expositions and rule files.
import { spawn } from 'node:child_process';

/** `promtool ARGS` with `input` on stdin: its exit code and everything it printed. */
export async function promtool(args: string[], input = ''): Promise<{ code: number; output: string }> {
  const child = spawn('promtool', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.stdin.end(input);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, output };
}

/** `promtool check metrics` on an exposition. */
export function promtoolCheckMetrics(text: string): Promise<{ code: number; output: string }> {
  return promtool(['check', 'metrics'], text);
}
