// `mqttprobe check ENDPOINT`: the zero-config port comparison, with a one-line recommendation at the end.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { printable } from '../report/printable-text.js';
import type { RunReport } from '../run/result.js';
import { environmentProxy } from '../scenario/environment-proxy.js';
import type { ProbePlan } from '../scenario/plan.js';
import { portComparisonYaml } from '../scenario/port-comparison-yaml.js';
import { isProxyUrl, redactUrlsInText } from '../scenario/redact-url.js';
import { executeRun, exitCodeOf } from './execute-run.js';
import { type CliIo, EXIT, UsageError } from './io.js';
import {
  checkOutputPaths,
  inputFilesOf,
  type OutputTarget,
  reportFailedExit,
  writeFileAtomically,
} from './output-files.js';
import {
  addOutputOptions,
  emitReport,
  type OutputFlags,
  outputTargets,
  parseOutputFlags,
} from './output-options.js';
import { outputWidth } from './output-width.js';
import { parseConcurrency } from './select-plans.js';
import { timeoutFlag } from './target-options.js';

interface CheckFlags extends OutputFlags {
  cert?: string;
  key?: string;
  ca?: string;
  proxy?: string;
  repeat: string;
  timeout?: string;
  save?: string;
  concurrency: string;
  mqtt?: string;
}

const SCHEMA_URL = pathToFileURL(new URL('../../schema/scenario.schema.json', import.meta.url).pathname).href;

/** AWS credentials the SDK's chain would find without a network call: then WebSockets with SigV4 is worth a try. */
function hasAwsCredentials(env: CliIo['env']): boolean {
  return Boolean(
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE,
  );
}

export function registerCheck(program: Command, io: CliIo): void {
  const command = program
    .command('check')
    .description(
      'try every way into an endpoint from this network (8883, 443 with ALPN, WSS, via proxy) and recommend one',
    )
    .argument('<endpoint>', 'host name, `aws` (DescribeEndpoint) or `emulator`')
    .option('--cert <file>', 'device certificate (PEM); not needed for `emulator`')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('--ca <file>', 'CA bundle that signs the server certificate (default: Amazon roots for AWS)')
    .option(
      '--proxy <url>',
      'also try each way through this HTTP or SOCKS proxy (default: HTTPS_PROXY / ALL_PROXY)',
    )
    .option('--mqtt <version>', 'also try each way over MQTT 5 (`5`), beside MQTT 3.1.1')
    .option('--repeat <n>', 'probes per way, for p50 figures', '3')
    .option('--timeout <duration>', 'timeout of each phase (default: 5s; 1ms to 10m)')
    .option('-c, --concurrency <n>', 'probes in flight at once', '8')
    .option('--save <file>', 'write the comparison as a scenario file, to run in CI later');
  // The same output options as `run`, from the same registry: JSON, JUnit, Markdown files of the comparison.
  addOutputOptions(command).action(async (endpoint: string, flags: CheckFlags) => {
    const output = parseOutputFlags(flags);
    if ((flags.cert === undefined) !== (flags.key === undefined)) {
      throw new UsageError('--cert and --key go together', 'give the device certificate and its private key');
    }
    if (flags.cert === undefined && endpoint !== 'emulator') {
      throw new UsageError(
        `checking ${endpoint} needs the device certificate`,
        'add --cert FILE --key FILE (or check `emulator` to try it locally)',
      );
    }
    if (flags.mqtt !== undefined && flags.mqtt !== '5' && flags.mqtt !== '3.1.1') {
      throw new UsageError(
        `--mqtt ${printable(flags.mqtt)} is not an MQTT version`,
        'give --mqtt 5 to try MQTT 5 beside 3.1.1 (3.1.1 is always tried)',
      );
    }
    const timeout = flags.timeout === undefined ? undefined : timeoutFlag(flags.timeout);
    const repeat = Number(flags.repeat);
    if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100)
      throw new UsageError(`--repeat ${flags.repeat} is not a whole number from 1 to 100`);
    const cwd = process.cwd();
    const fromEnv = environmentProxy(io.env);
    // Quoted with its password masked: the URL did not parse, but it may still hold one.
    if (flags.proxy !== undefined && (flags.proxy === 'none' || !isProxyUrl(flags.proxy))) {
      throw new UsageError(
        `--proxy ${redactUrlsInText(flags.proxy)} is not a proxy URL`,
        'give one such as http://host:3128, http://user:pass@host:3128 or socks5://host:1080',
      );
    }
    // A proxy password must not land in a saved file: the file refers to a variable instead.
    const proxyUrl = flags.proxy ?? fromEnv?.url;
    const proxyRef = flags.proxy
      ? new URL(flags.proxy).password
        ? '${MQTTPROBE_PROXY}'
        : flags.proxy
      : fromEnv
        ? `\${${fromEnv.variable}}`
        : undefined;
    const spec = {
      endpoint,
      ...(flags.cert && flags.key ? { cert: resolve(cwd, flags.cert), key: resolve(cwd, flags.key) } : {}),
      ...(flags.ca ? { ca: resolve(cwd, flags.ca) } : {}),
      wss: hasAwsCredentials(io.env),
      mqtt5: flags.mqtt === '5',
      ...(proxyRef ? { proxy: proxyRef } : {}),
      repeat,
      origin: `Written by \`mqttprobe check ${endpoint}\` on ${new Date().toISOString().slice(0, 10)}.`,
      schemaUrl: SCHEMA_URL,
    };
    const yaml = portComparisonYaml(spec);
    const file = flags.save ? resolve(cwd, flags.save) : join(cwd, 'mqttprobe-check.yaml');
    const env = { ...io.env, ...(proxyUrl ? { MQTTPROBE_PROXY: proxyUrl } : {}) };
    // Loaded here, not at start-up: the loader and the renderers are the heavy part of the CLI.
    const [{ loadScenarioText }, { redactUrl }, { renderScenarioErrors }, { recommendWay }] =
      await Promise.all([
        import('../scenario/load-scenario-file.js'),
        import('../scenario/redact-url.js'),
        import('../report/scenario-errors.js'),
        import('../report/recommend-way.js'),
      ]);
    // --timeout is a command-line override, as for `run`: the file stays the standard comparison.
    const loaded = loadScenarioText(file, yaml, { env, ...(timeout ? { overrides: { timeout } } : {}) });
    if (loaded.errors.length > 0) {
      io.stderr.write(
        `${renderScenarioErrors(loaded.errors, { texts: new Map([[file, yaml]]), style: io.style.stderr })}\n`,
      );
      io.setExitCode(EXIT.badInput);
      return;
    }
    const save: OutputTarget | undefined = flags.save ? { path: file, label: '--save' } : undefined;
    checkOutputPaths(
      [...(save ? [save] : []), ...outputTargets(output, io.env)],
      inputFilesOf(loaded.plans).filter((f) => f !== file),
    );
    if (proxyUrl)
      io.stderr.write(
        io.style.stderr.dim(
          `also trying each way through ${printable(redactUrl(proxyUrl))}${endpoint === 'emulator' ? emulatorPortsNote(loaded.plans) : ''}\n`,
        ),
      );
    // Unsaved, the comparison is in memory only: a fix names the option that set the key, not a line of a file.
    const plans = flags.save
      ? loaded.plans
      : loaded.plans.map((plan) => ({
          ...plan,
          fixOptions: unsavedFixOptions(printable(endpoint), flags),
        }));
    const run = await executeRun(plans, { concurrency: parseConcurrency(flags.concurrency) }, io);
    const recommendation = recommendWay(run.report);
    const report = { ...run.report, recommendation };
    // The ways are variants of one path: side by side unless another view was asked for.
    const view = output.view === 'auto' ? 'compare' : output.view;
    const width = outputWidth(io);
    const written = await emitReport(report, { ...output, view }, io, width);
    // The terminal layouts end with the recommendation; another format carries it in a field of its own, and
    // stdout stays that format alone, so the line goes to stderr for whoever watches.
    const toStdout = output.format === 'table';
    const s = toStdout ? io.style.stdout : io.style.stderr;
    const paint = (t: string) => (recommendation.found ? s.green(s.bold(t)) : s.red(s.bold(t)));
    const { hangingLines } = await import('../report/fit-width.js');
    const lines = hangingLines(printable(recommendation.text), width, '', '  ', paint);
    (toStdout ? io.stdout : io.stderr).write(`${toStdout ? '\n' : ''}${lines.join('\n')}\n`);
    const verdict = run.stoppedBy ? exitCodeOf(run) : recommendation.found ? EXIT.ok : EXIT.expectationMissed;
    io.setExitCode(written ? verdict : reportFailedExit(verdict));
    if (save && run.stoppedBy) {
      io.stderr.write(
        `not saved: the check was stopped, so ${printable(flags.save ?? file)} would not say what this network does\n`,
      );
    } else if (save) {
      // What was observed, so the file passes when run again on this network (and fails when the network changes).
      writeFileAtomically(save, portComparisonYaml({ ...spec, observed: observedOutcomes(report) }));
      const again = `mqttprobe run ${flags.save}${timeout ? ` --timeout ${timeout}` : ''}`;
      io.stderr.write(`wrote ${printable(flags.save ?? file)}: run it later with \`${printable(again)}\`\n`);
      // The file names the proxy by a variable; where it runs later, that variable must be set.
      const variable = proxyRef?.startsWith('${') ? proxyRef.slice(2, -1) : undefined;
      if (variable === 'MQTTPROBE_PROXY' && proxyUrl) {
        io.stderr.write(
          `  with MQTTPROBE_PROXY set to the proxy URL and its password (${printable(redactUrl(proxyUrl))}): the file names the variable, not the password\n`,
        );
      } else if (variable) {
        io.stderr.write(`  with ${variable} set, as now: the file reads the proxy from it\n`);
      }
    }
  });
}

/** Each scenario's observed outcome by name: `pass`, or the code all its probes failed with (`fail` when mixed). */
function observedOutcomes(report: RunReport): Map<string, string> {
  return new Map(
    report.scenarios.map((o) => {
      const codes = new Set(o.probes.map((p) => (p.ok ? 'pass' : (p.diagnosis?.code ?? 'fail'))));
      const only = codes.size === 1 ? [...codes][0]! : 'fail';
      return [o.plan.name, only];
    }),
  );
}

/**
 * The embedded emulator listens on ports of its own, not 8883 and 443: a proxy is asked for those ports, and a
 * proxy that allows 443 only refuses them. Said up front, so "443 through the proxy" is not taken literally.
 */
function emulatorPortsNote(plans: readonly ProbePlan[]): string {
  const proxied = plans.some((p) => p.proxy !== undefined);
  return proxied
    ? ' (the emulator runs here on ports of its own, so the proxy is asked for those, not for 8883 and 443)'
    : '';
}

/** What a fix points at when `check` saved no file: the options it was given, by the scenario key each one sets. */
function unsavedFixOptions(endpoint: string, flags: CheckFlags): Record<string, string> {
  const comparison = `the standard comparison (\`mqttprobe check ${endpoint} --save FILE\` writes it to a file to edit)`;
  return {
    endpoint: `the endpoint \`${endpoint}\` given to \`mqttprobe check\``,
    servername: `the endpoint \`${endpoint}\` given to \`mqttprobe check\``,
    auth: flags.cert ? '`--cert` and `--key`' : 'add `--cert FILE --key FILE`',
    ca: flags.ca ? '`--ca`' : 'add `--ca FILE`',
    proxy: '`--proxy` (or HTTPS_PROXY)',
    timeout: '`--timeout`',
    repeat: '`--repeat`',
    '*': comparison,
  };
}
