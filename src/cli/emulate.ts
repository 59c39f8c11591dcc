// `mqttprobe emulate`: runs the local AWS-IoT-like endpoint until Ctrl-C, with its certificates and a scenario file.
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { EMULATOR_CERT_FILES as CERT_FILES, writeEmulatorCerts } from '../emulator/emulator-env.js';
import type { Emulator, EmulatorFaults } from '../emulator/index.js';
import {
  DURATION_BOUNDS,
  DURATION_PATTERN,
  formatDurationMs,
  parseDurationMs,
} from '../scenario/duration.js';
import { type CliIo, EXIT, UsageError, waitForStopSignal } from './io.js';

interface EmulateOptions {
  host: string;
  hostname: string;
  certsDir?: string;
  mqttsPort: number;
  alpnPort: number;
  controlPlanePort: number;
  verbose: boolean;
  fault: Partial<EmulatorFaults>;
}

/** The `--fault` values, each with the switch it turns on; `=VALUE` forms are parsed in `parseFault`. */
export const FAULT_NAMES = [
  'stall-tls',
  'close-after-connect',
  'connack=1..5',
  'delay=MS',
  'cert=untrusted|expired|wrong-host',
  'close-on-subscribe',
  'close-on-publish',
  'never-deliver',
  'require-sni',
  'deny-describe-endpoint',
  'clock-skew=DURATION',
] as const;

/** The largest `clock-skew=` either way: a day (docs/limits.md). */
const MAX_CLOCK_SKEW_MS = 24 * 60 * 60_000;

/** Parses one `--fault` value and merges it into the faults given so far (commander's collector signature). */
export function parseFault(value: string, previous: Partial<EmulatorFaults> = {}): Partial<EmulatorFaults> {
  const [name, arg] = value.split('=', 2) as [string, string | undefined];
  const flags: Record<string, Partial<EmulatorFaults>> = {
    'stall-tls': { stallTlsHandshake: true },
    'deny-describe-endpoint': { denyControlPlane: true },
    'close-after-connect': { closeAfterConnect: true },
    'close-on-subscribe': { closeOnSubscribe: true },
    'close-on-publish': { closeOnPublish: true },
    'never-deliver': { neverDeliver: true },
    'require-sni': { refuseWithoutSni: true },
  };
  const flag = flags[name];
  if (flag && arg === undefined) return { ...previous, ...flag };
  if (name === 'connack' && arg && /^[1-5]$/.test(arg)) {
    return { ...previous, connackRefusal: Number(arg) as 1 | 2 | 3 | 4 | 5 };
  }
  if (name === 'delay' && arg && /^\d+(ms)?$/.test(arg)) {
    const delayMs = Number.parseInt(arg, 10);
    // A delay past the longest timeout a probe may set only ever shows as a timeout (and past 2^31 ms Node's timers
    // fire at once): docs/limits.md.
    const maxMs = DURATION_BOUNDS.timeout.maxMs;
    if (delayMs > maxMs)
      throw new InvalidArgumentError(
        `delay=${arg} is too long: a delay is from 0 to ${maxMs} ms (${formatDurationMs(maxMs)})`,
      );
    return { ...previous, phaseDelayMs: delayMs };
  }
  if (name === 'clock-skew' && arg && DURATION_PATTERN.test(arg.replace(/^-/, ''))) {
    const ms = parseDurationMs(arg.replace(/^-/, ''));
    // SigV4 tolerates 15 minutes; a day's skew already fails the same way, and a huge one would be an invalid Date.
    if (ms > MAX_CLOCK_SKEW_MS)
      throw new InvalidArgumentError(
        `clock-skew=${arg} is too large: a skew is at most ${formatDurationMs(MAX_CLOCK_SKEW_MS)} either way`,
      );
    return { ...previous, clockSkewMs: arg.startsWith('-') ? -ms : ms };
  }
  if (name === 'cert' && (arg === 'untrusted' || arg === 'expired' || arg === 'wrong-host')) {
    return { ...previous, serverCert: arg };
  }
  throw new InvalidArgumentError(`unknown fault "${value}"; expected one of ${FAULT_NAMES.join(', ')}`);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one)');
  }
  return port;
}

// The address a local client should dial: a wildcard listen address is reachable on loopback.
function dialHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

// The schema shipped with this installation (the package root holds schema/ next to src/ and dist/).
const SCHEMA_URL = new URL('../../schema/scenario.schema.json', import.meta.url).href;

/** A ready scenario file for the running emulator; paths are absolute so it works wherever it is saved. */
export function emulatorScenarioYaml(
  emulator: Emulator,
  files: Record<keyof typeof CERT_FILES, string>,
): string {
  const q = (value: string | number) => JSON.stringify(value);
  const endpoint = isIP(emulator.hostname) ? emulator.hostname : dialHost(emulator.host);
  return [
    `# yaml-language-server: $schema=${SCHEMA_URL}`,
    '# Written by `mqttprobe emulate`: the local AWS IoT Core look-alike, valid while it runs (ports are fresh each start).',
    'version: 1',
    'defaults:',
    `  endpoint: ${q(endpoint)}`,
    `  servername: ${q(emulator.hostname)}`,
    `  ca: ${q(files.ca)}`,
    '  auth:',
    '    type: x509',
    `    cert: ${q(files.cert)}`,
    `    key: ${q(files.key)}`,
    '  timeout: 5s',
    'scenarios:',
    '  - name: emulator 8883',
    `    port: ${emulator.ports.mqtts}`,
    '    alpn: none',
    '    qos: 1',
    '  - name: emulator 443 alpn',
    `    port: ${emulator.ports.alpn}`,
    '    alpn: x-amzn-mqtt-ca',
    '    qos: 1',
    '  # Like AWS, port "443" without ALPN is HTTPS: MQTT must fail with an HTTP answer.',
    '  - name: emulator 443 no alpn',
    `    port: ${emulator.ports.alpn}`,
    '    alpn: none',
    '    qos: 1',
    '    steps: [connect]',
    '    expect: mqtt.http-response',
    '',
  ].join('\n');
}

function describeEndpoints(emulator: Emulator, certsDir: string, scenarioFile: string): string {
  const host = isIP(emulator.hostname) ? emulator.hostname : `${emulator.hostname}`;
  const { sigv4, customAuthorizer } = emulator.credentials;
  const authorizerUser = customAuthorizer.name
    ? `${customAuthorizer.username}?x-amz-customauthorizer-name=${customAuthorizer.name}`
    : customAuthorizer.username;
  return [
    `mqttprobe emulator: an AWS IoT Core look-alike listening on ${emulator.host}`,
    `  "8883"  mqtts://${host}:${emulator.ports.mqtts}  TLS + client certificate`,
    `  "443"   ${host}:${emulator.ports.alpn}  ALPN x-amzn-mqtt-ca: client certificate · mqtt: custom authorizer ·`,
    '          none, http/1.1, x-amzn-http-ca: HTTPS (MQTT bytes get "400 Bad Request"); others: TLS alert 120',
    `  wss     wss://${host}:${emulator.ports.alpn}/mqtt  SigV4 presigned (service iotdevicegateway)`,
    `  control ${emulator.controlPlaneUrl}  DescribeEndpoint stub (IoTClient endpoint)`,
    `TLS server name ${emulator.hostname}; certificates in ${certsDir}:`,
    `  ${CERT_FILES.ca}  ${CERT_FILES.cert}  ${CERT_FILES.key}`,
    `custom authorizer  username ${authorizerUser}  password ${customAuthorizer.password}` +
      (customAuthorizer.token
        ? `  (WSS: header ${customAuthorizer.tokenKeyName}: ${customAuthorizer.token})`
        : ''),
    `SigV4 test keys    ${sigv4.accessKeyId} / ${sigv4.secretAccessKey}  region ${sigv4.region}`,
    `scenario file      ${scenarioFile}  (also printed on stdout)`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

const PORT_FLAG: Record<string, string> = {
  mqtts: '--mqtts-port',
  alpn: '--alpn-port',
  controlPlane: '--control-plane-port',
};

/** The certificate folder, created if need be and checked writable before anything listens. */
async function prepareCertsDir(certsDir: string | undefined): Promise<string> {
  if (certsDir === undefined) return mkdtemp(path.join(tmpdir(), 'mqttprobe-emulator-'));
  const dir = path.resolve(certsDir);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `--certs-dir ${certsDir} cannot be used (${(error as NodeJS.ErrnoException).code ?? error})`,
      'give a folder you can write to, or leave --certs-dir out for a new temporary one',
    );
  }
  return dir;
}

async function runEmulate(options: EmulateOptions, io: CliIo): Promise<void> {
  const certsDir = await prepareCertsDir(options.certsDir);
  // Loaded here so that aedes and the certificate library never slow down other commands.
  const { startEmulator, EmulatorListenError } = await import('../emulator/index.js');
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      host: options.host,
      hostname: options.hostname,
      ports: { mqtts: options.mqttsPort, alpn: options.alpnPort, controlPlane: options.controlPlanePort },
      faults: options.fault,
    });
  } catch (error) {
    if (!(error instanceof EmulatorListenError)) throw error;
    const flag = PORT_FLAG[error.listener] ?? '--host';
    throw new UsageError(
      error.code === 'EADDRINUSE'
        ? `port ${error.port} on ${error.host} is in use`
        : `cannot listen on ${error.host}:${error.port} (${error.code})`,
      error.code === 'EADDRINUSE'
        ? `stop what uses it, or pick another ${flag} (0 picks a free one)`
        : error.code === 'EACCES'
          ? `ports below 1024 need privileges; pick another ${flag} (0 picks a free one)`
          : '--host must be an address of this machine',
    );
  }
  try {
    let files: Record<keyof typeof CERT_FILES, string>;
    const scenarioFile = path.join(certsDir, 'emulator.yaml');
    let yaml: string;
    try {
      files = writeEmulatorCerts(emulator, certsDir);
      yaml = emulatorScenarioYaml(emulator, files);
      await writeFile(scenarioFile, yaml);
    } catch (error) {
      throw new UsageError(
        `cannot write the certificates to ${certsDir} (${(error as NodeJS.ErrnoException).code ?? error})`,
        'give a --certs-dir you can write to',
      );
    }

    if (options.verbose) {
      emulator.events.on('refused', (reason) =>
        io.stderr.write(`${io.style.stderr.dim(`refused: ${reason}`)}\n`),
      );
    }
    io.stderr.write(describeEndpoints(emulator, certsDir, scenarioFile));
    const faults = Object.keys(options.fault);
    if (faults.length > 0) io.stderr.write(`${io.style.stderr.yellow(`faults on: ${faults.join(', ')}`)}\n`);
    io.stdout.write(yaml);
    const signal = await waitForStopSignal();
    io.stderr.write(`${signal}: stopping the emulator\n`);
  } finally {
    await emulator.close();
  }
  io.setExitCode(EXIT.ok);
}

/** Registers `mqttprobe emulate`. */
export function registerEmulate(program: Command, io: CliIo): void {
  program
    .command('emulate')
    .description(
      'run a local endpoint that behaves like AWS IoT Core (ports "8883", "443" with ALPN, WSS) until Ctrl-C',
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--hostname <name>',
      'host name in the server certificate and DescribeEndpoint answers',
      'localhost',
    )
    .option(
      '--certs-dir <dir>',
      'folder for ca.pem, client.pem.crt, client-private.pem.key (default: a new temp folder)',
    )
    .option('--mqtts-port <port>', 'port for MQTT over TLS, like 8883 (0: any free port)', parsePort, 0)
    .option('--alpn-port <port>', 'port for the ALPN multiplexer, like 443 (0: any free port)', parsePort, 0)
    .option(
      '--control-plane-port <port>',
      'port for the DescribeEndpoint stub (0: any free port)',
      parsePort,
      0,
    )
    .option('--fault <fault>', `misbehave on purpose, repeatable: ${FAULT_NAMES.join(', ')}`, parseFault, {})
    .option('-v, --verbose', 'print why each refused connection or ignored packet was refused', false)
    .action((options: EmulateOptions) => runEmulate(options, io));
}
