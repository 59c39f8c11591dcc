// `mqttprobe serve FILE...`: a Prometheus multi-target exporter, as blackbox_exporter is for HTTP: Prometheus asks
// `/probe?scenario=NAME` and gets the scenario's metrics. Reads flags, the web config and signals; logs to stderr.
import type { Command } from 'commander';
import { printable } from '../report/printable-text.js';
import type { ProbePlan } from '../scenario/plan.js';
import { type CliIo, EXIT, UsageError, waitForStopSignal } from './io.js';
import { loadAndReport } from './validate.js';

/**
 * The default port. Prometheus's default port allocations list the 9100-9999 range as fully taken, so this is the
 * MQTT-over-TLS port 8883 in the range above it; nothing in /etc/services claims it.
 */
export const DEFAULT_PORT = 10883;
/** How long SIGTERM lets probes in flight finish before they are cut, in ms. */
const SHUTDOWN_GRACE_MS = 5000;

interface ServeFlags {
  listen: string;
  webConfigFile?: string;
  maxConcurrent: string;
}

/** `HOST:PORT`, `:PORT` (every interface) or `[V6]:PORT`. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) {
    throw new UsageError(
      `--listen ${text} is not HOST:PORT`,
      `for example --listen 127.0.0.1:${DEFAULT_PORT}, or --listen :${DEFAULT_PORT} for every interface`,
    );
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '::' : host, port };
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** A plan id once across all files: `/probe?scenario=` names exactly one. */
function duplicateIds(plans: readonly ProbePlan[]): string | undefined {
  const seen = new Map<string, string>();
  for (const plan of plans) {
    const other = seen.get(plan.id);
    if (other !== undefined)
      return `scenario ${JSON.stringify(plan.id)} is in both ${other} and ${plan.file}`;
    seen.set(plan.id, plan.file);
  }
  return undefined;
}

async function runServe(files: string[], flags: ServeFlags, io: CliIo, version: string): Promise<void> {
  const listen = parseListen(flags.listen);
  const maxInFlight = Number(flags.maxConcurrent);
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 1000)
    throw new UsageError(`--max-concurrent ${flags.maxConcurrent} is not a whole number from 1 to 1000`);
  const [{ Exporter }, { startHttpServer }, { loadWebConfig }, { renderScenarioErrors }] = await Promise.all([
    import('../serve/exporter.js'),
    import('../serve/http-server.js'),
    import('../serve/web-config.js'),
    import('../report/scenario-errors.js'),
  ]);
  const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${printable(line)}\n`);

  let web: import('../serve/web-config.js').WebConfig | undefined;
  if (flags.webConfigFile !== undefined) {
    const loaded = loadWebConfig(flags.webConfigFile);
    if (!loaded.ok) {
      const texts = new Map(loaded.text !== undefined ? [[flags.webConfigFile, loaded.text]] : []);
      io.stderr.write(`${renderScenarioErrors(loaded.errors, { texts, style: io.style.stderr })}\n`);
      io.setExitCode(EXIT.badInput);
      return;
    }
    web = loaded.config;
  }

  const load = async () => {
    const { loaded, ok } = await loadAndReport(files, io);
    if (!ok) return { error: 'a scenario file is invalid (the errors are in the log above)' };
    const plans = loaded.flatMap((l) => l.plans);
    const duplicate = duplicateIds(plans);
    if (duplicate) return { error: `${duplicate}: give every scenario its own name` };
    if (plans.length === 0) return { error: 'the files hold no scenarios' };
    return { plans };
  };
  const exporter = new Exporter({ load, files, version, maxInFlight });
  const first = await exporter.reload();
  if (!first.ok) {
    io.stderr.write(`${io.style.stderr.red('error')}: ${printable(first.error)}\n`);
    await exporter.close();
    io.setExitCode(EXIT.badInput);
    return;
  }

  let server: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    server = await startHttpServer(exporter, {
      ...listen,
      ...(web ? { web } : {}),
      onReload: (result) =>
        log(
          result.ok
            ? 'reloaded the configuration'
            : `reload failed, keeping the running configuration: ${result.error}`,
        ),
      onError: (error) => log(`internal error: ${error instanceof Error ? error.message : String(error)}`),
    });
  } catch (error) {
    await exporter.close();
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      code === 'EADDRINUSE' ? `${flags.listen} is in use` : `cannot listen on ${flags.listen} (${code})`,
      code === 'EADDRINUSE'
        ? `stop what uses it, or pick another --listen (the default is 127.0.0.1:${DEFAULT_PORT})`
        : '--listen must be an address of this machine and a port you may use',
    );
  }

  const ids = exporter.scenarioIds();
  log(
    `mqttprobe serve ${version}: listening on ${server.url} with ${ids.length} scenario${ids.length === 1 ? '' : 's'} from ${files.join(', ')}`,
  );
  const authenticated = (web?.users.size ?? 0) > 0 || web?.tls?.clientAuth === 'RequireAndVerifyClientCert';
  if (!isLoopback(listen.host) && !authenticated) {
    log(
      `warning: listening beyond loopback (${listen.host}) without authentication: anyone who reaches ${server.url} can make this machine probe; set basic_auth_users or client certificates in --web.config.file (docs/prometheus.md)`,
    );
  }

  const reload = () => {
    log('SIGHUP: reloading the configuration');
    void exporter.reload().then((result) => {
      if (result.ok) log(`reloaded the configuration: ${exporter.scenarioIds().length} scenarios`);
      else log(`reload failed, keeping the running configuration: ${result.error}`);
    });
  };
  process.on('SIGHUP', reload);
  const signal = await waitForStopSignal();
  process.off('SIGHUP', reload);
  const inFlight = exporter.inFlight;
  log(
    `${signal}: stopping${inFlight > 0 ? `; ${inFlight} probe${inFlight === 1 ? '' : 's'} in flight get ${SHUTDOWN_GRACE_MS / 1000} s to finish` : ''}`,
  );
  // Probes still running after the grace are cut and answered 503; then every connection closes.
  const cut = setTimeout(() => void exporter.close(), SHUTDOWN_GRACE_MS);
  await server.close(SHUTDOWN_GRACE_MS + 1000);
  clearTimeout(cut);
  await exporter.close();
  log('stopped');
  io.setExitCode(EXIT.ok);
}

/** Registers `mqttprobe serve`. */
export function registerServe(program: Command, io: CliIo, version: string): void {
  program
    .command('serve')
    .description(
      'a Prometheus exporter: GET /probe?scenario=NAME runs that scenario now and answers with its metrics (docs/prometheus.md)',
    )
    .argument('<files...>', 'scenario files (YAML)')
    .option(
      '--listen <host:port>',
      `address to listen on; :PORT for every interface (default 127.0.0.1:${DEFAULT_PORT})`,
      `127.0.0.1:${DEFAULT_PORT}`,
    )
    .option(
      '--web.config.file <file>',
      'TLS and basic auth, in the Prometheus exporter-toolkit format (docs/prometheus.md)',
    )
    .option(
      '--max-concurrent <n>',
      'probes in flight at once across all scrapes; a scrape over it gets 503 at once',
      '16',
    )
    .action((files: string[], flags: Record<string, string | undefined>) =>
      runServe(
        files,
        {
          listen: flags.listen!,
          maxConcurrent: flags.maxConcurrent!,
          ...(flags['web.config.file'] !== undefined ? { webConfigFile: flags['web.config.file'] } : {}),
        },
        io,
        version,
      ),
    );
}
