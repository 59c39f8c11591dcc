// Runs Debian's headless chromium on a local page, bounded in time, in a throwaway profile where no host name
// resolves, and reads from its network log every request the page made.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ChromiumRun {
  stdout: string;
  stderr: string;
  code: number | null;
  timedOut: boolean;
  /**
   * The URL of every request the page asked for (images, styles, fonts, frames…), from chromium's net log: those
   * made on behalf of the file:// page, not chromium's own background traffic (updates, time, accounts).
   */
  pageRequests: string[];
}

/** Network-log events of URL requests whose isolation key or initiator is the page's (file:// is an opaque origin). */
function requestsOfPage(netLog: string): string[] {
  const log = JSON.parse(netLog) as {
    constants: { logEventTypes: Record<string, number> };
    events: Array<{
      type: number;
      params?: { url?: string; initiator?: string; network_isolation_key?: string };
    }>;
  };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events.flatMap((e) => {
    const p = e.params;
    if (e.type !== start || !p?.url) return [];
    return p.network_isolation_key?.startsWith('file://') || p.initiator === 'null' ? [p.url] : [];
  });
}

/**
 * Opens `file` in headless chromium with `args` (`--dump-dom`, `--screenshot=…`): no sandbox (root), no GPU, a fresh
 * profile, no host name resolving, and a network log. Killed with its whole process group after `timeoutMs`.
 */
export async function runChromium(
  file: string,
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<ChromiumRun> {
  const profile = mkdtempSync(join(tmpdir(), 'mqttprobe-chromium-'));
  const netLog = join(profile, 'net-log.json');
  const child = spawn(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--no-default-browser-check',
      // Nothing leaves the machine: no name resolves, so a request the page made fails, and the log still has it.
      '--host-resolver-rules=MAP * ~NOTFOUND',
      `--log-net-log=${netLog}`,
      ...args,
      pathToFileURL(file).href,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, options.timeoutMs ?? 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  try {
    // Its renderer and helper processes share the group; none may outlive the test.
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone, which is the usual case.
  }
  const pageRequests = timedOut ? [] : requestsOfPage(readFileSync(netLog, 'utf8'));
  rmSync(profile, { recursive: true, force: true });
  return { stdout, stderr, code, timedOut, pageRequests };
}
