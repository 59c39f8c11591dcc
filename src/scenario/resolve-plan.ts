// Turns one merged, schema-valid scenario into a ProbePlan: applies defaults and checks rules that span several
// keys; credentials are resolve-credentials.ts's job.
import { resolve as resolvePath } from 'node:path';
import { checkMqttSizes } from './check-mqtt-sizes.js';
import { COMMAND_LINE, flagFor } from './command-line-overrides.js';
import { isDiagnosisCode } from './diagnosis-codes.js';
import { parseDurationMs } from './duration.js';
import { bypassesProxy, environmentProxy } from './environment-proxy.js';
import { type ExpandedScenario, filePathOf } from './expand-matrix.js';
import { utf8Bytes } from './mqtt-limits.js';
import type { YamlPath } from './parse-yaml.js';
import { STEPS, type Step, TIMED_PHASES, type TimedPhase } from './phases.js';
import {
  type Expectation,
  effectiveAuthType,
  type ProbePlan,
  type SourceSpan,
  type Thresholds,
  type Transport,
} from './plan.js';
import { parseProxySetting } from './proxy-setting.js';
import { isProxyUrl, redactUrlsInText } from './redact-url.js';
import type { ResolveContext, ResolveProblem } from './resolve-context.js';
import { loadCa, resolveAuth } from './resolve-credentials.js';
import type { ScenarioWarning } from './scenario-error.js';
import type { RawAuth, RawScenario } from './schema.js';

export const DEFAULT_PORTS: Record<Transport, number> = { mqtts: 8883, mqtt: 1883, wss: 443, ws: 80 };
export const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_KEEPALIVE_S = 60;
/** AWS IoT Core's ALPN names: https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html */
export const AWS_ALPN = { x509: 'x-amzn-mqtt-ca', customAuthorizer: 'mqtt' } as const;

export type ResolveOutcome =
  | { ok: true; plan: ProbePlan; warnings: ScenarioWarning[] }
  | { ok: false; problems: ResolveProblem[] };

const TLS_ORDER = { 'TLSv1.2': 0, 'TLSv1.3': 1 } as const;

/** Resolves defaults and cross-key rules for one expanded scenario. */
export function resolvePlan(scenario: ExpandedScenario, ctx: ResolveContext): ResolveOutcome {
  const written = scenario.values as unknown as RawScenario;
  const problems: ResolveProblem[] = [];
  const warnings: ScenarioWarning[] = [];
  const problem = (p: ResolveProblem) => problems.push(p);

  const transport: Transport = written.transport ?? 'mqtts';
  const { values: v, misplaced } = applicableKeys(scenario, written);
  // The emulator lends its device certificate to scenarios that name no auth, so `auto` ALPN sees x509 there.
  const emulator =
    v.endpoint === 'emulator' ? { ca: v.ca === undefined, deviceCert: v.auth === undefined } : undefined;
  const tlsTransport = transport === 'mqtts' || transport === 'wss';
  const port = v.port ?? DEFAULT_PORTS[transport];
  const auth = v.auth ?? { type: 'none' as const };

  // Which steps, in the round trip's fixed order.
  const steps: Step[] = v.steps ?? [...STEPS];
  const order = steps.map((s) => STEPS.indexOf(s));
  if (new Set(steps).size !== steps.length || order.some((n, i) => i > 0 && n < order[i - 1]!)) {
    problem({
      code: 'combination.invalid',
      message: 'steps are out of order or repeated',
      valuePath: ['steps'],
      label: `list them in this order: ${STEPS.join(', ')}`,
    });
  } else if (steps[0] !== 'connect') {
    problem({
      code: 'combination.invalid',
      message: 'steps must start with `connect`',
      valuePath: ['steps'],
      label: 'add `connect` first',
    });
  } else if (steps.includes('receive') && !(steps.includes('subscribe') && steps.includes('publish'))) {
    problem({
      code: 'combination.invalid',
      message: '`receive` needs `subscribe` and `publish`',
      valuePath: ['steps'],
      label: 'receiving our own message needs both',
    });
  }

  if (v.payload !== undefined && v.payloadSize !== undefined) {
    problem({
      code: 'combination.invalid',
      message: '`payload` and `payloadSize` cannot both be set',
      valuePath: ['payloadSize'],
      key: true,
      label: 'remove one of them',
    });
  }
  for (const valuePath of misplaced) {
    problem({
      code: 'combination.invalid',
      message: `\`${valuePath.join('.')}\` needs a TLS transport`,
      valuePath,
      key: true,
      label: `transport \`${transport}\` is not encrypted`,
      hint: 'use transport `mqtts` or `wss`, or remove the key',
    });
  }
  if (!tlsTransport) {
    if (auth.type === 'x509') {
      problem({
        code: 'combination.invalid',
        message: 'x509 auth needs a TLS transport',
        valuePath: ['auth', 'type'],
        label: `transport \`${transport}\` has no TLS`,
        hint: 'use transport `mqtts`',
      });
    }
  }
  if (auth.type === 'sigv4' && transport !== 'wss') {
    problem({
      code: 'combination.invalid',
      message: 'sigv4 auth works only over WebSockets',
      valuePath: ['auth', 'type'],
      label: 'AWS signs the WebSocket URL',
      hint: 'set `transport: wss`',
    });
  }
  const { minVersion, maxVersion } = v.tls ?? {};
  if (minVersion && maxVersion && TLS_ORDER[minVersion] > TLS_ORDER[maxVersion]) {
    problem({
      code: 'combination.invalid',
      message: '`tls.minVersion` is above `tls.maxVersion`',
      valuePath: ['tls', 'minVersion'],
      label: `no version is both ≥ ${minVersion} and ≤ ${maxVersion}`,
    });
  }
  const keepaliveS = v.mqtt?.keepalive ? parseDurationMs(v.mqtt.keepalive) / 1000 : DEFAULT_KEEPALIVE_S;
  // The schema bounds it (DURATION_BOUNDS.keepalive); MQTT carries whole seconds only.
  if (!Number.isInteger(keepaliveS)) {
    problem({
      code: 'value.invalid',
      message: 'invalid value for `keepalive`',
      valuePath: ['mqtt', 'keepalive'],
      label: 'MQTT keepalive is a whole number of seconds',
      hint: 'round it to whole seconds, such as `30s`',
    });
  }

  const payloadText = v.payload ?? `mqttprobe ${scenario.id}`;
  // Sized before it is made: a refused 256 MB payload is never allocated.
  const payloadBytes = v.payloadSize ?? utf8Bytes(payloadText);
  const sizes = checkMqttSizes(v, payloadBytes, (p) => {
    const span = ctx.spanOf(p);
    return span ? { span } : {};
  });
  problems.push(...sizes.problems);
  warnings.push(...sizes.warnings);

  const ca =
    v.ca === undefined
      ? undefined
      : ctx.readFiles
        ? loadCa(v.ca, ctx, problem)
        : { path: resolvePath(ctx.baseDir, v.ca), pem: '' };
  const resolvedAuth = resolveAuth(auth, ctx, problem, warnings);
  const proxy = resolveProxy(v, port, ctx.env);
  // The scenario's own proxy was checked by the schema; the environment's is checked where a scenario uses it.
  const fromEnv = proxy && !v.proxy ? environmentProxy(ctx.env) : undefined;
  if (fromEnv && !isProxyUrl(fromEnv.url)) {
    problem({
      code: 'value.invalid',
      message: `${fromEnv.variable} is not a proxy URL: ${redactUrlsInText(fromEnv.url)}`,
      valuePath: [],
      label: `this scenario would use ${fromEnv.variable}`,
      hint: `set ${fromEnv.variable} to a URL such as http://host:3128, or \`proxy: none\` in the scenario`,
    });
  }

  if (problems.length > 0) return { ok: false, problems };

  const timeoutsMs = Object.fromEntries(TIMED_PHASES.map((p) => [p, DEFAULT_TIMEOUT_MS])) as Record<
    TimedPhase,
    number
  >;
  if (typeof v.timeout === 'string') for (const p of TIMED_PHASES) timeoutsMs[p] = parseDurationMs(v.timeout);
  else if (v.timeout)
    for (const [p, d] of Object.entries(v.timeout)) if (d) timeoutsMs[p as TimedPhase] = parseDurationMs(d);

  const thresholdsMs: Thresholds = {};
  for (const [p, d] of Object.entries(v.thresholds ?? {}))
    if (d) thresholdsMs[p as keyof Thresholds] = parseDurationMs(d);

  if (v.tls?.insecure) {
    const span = ctx.spanOf(['tls', 'insecure']);
    warnings.push({
      code: 'tls.insecure',
      message: `${scenario.id}: server certificate verification is OFF (tls.insecure: true)`,
      ...(span ? { span } : {}),
    });
  }

  const plan: ProbePlan = {
    id: scenario.id,
    name: scenario.name,
    matrixValues: scenario.matrixValues,
    file: ctx.file,
    span: ctx.spanOf([]) ?? { file: ctx.file, line: 1, column: 1, endLine: 1, endColumn: 1 },
    spans: spansOf(scenario, ctx),
    ...commandLineOf(scenario),
    tags: v.tags ?? [],
    endpoint: v.endpoint ?? 'localhost',
    port,
    transport,
    path: v.path ?? '/mqtt',
    alpn: resolveAlpn(v.alpn, { port, transport, authType: effectiveAuthType({ auth, emulator }) }),
    ...(v.servername ? { servername: v.servername } : {}),
    ...(ca ? { ca } : {}),
    tls: {
      ...(minVersion ? { minVersion } : {}),
      ...(maxVersion ? { maxVersion } : {}),
      insecure: v.tls?.insecure ?? false,
    },
    auth: resolvedAuth!,
    mqtt: {
      version: v.mqtt?.version === 5 ? 5 : 4,
      ...(v.mqtt?.clientId ? { clientId: v.mqtt.clientId } : {}),
      keepaliveS,
      cleanSession: v.mqtt?.cleanSession ?? true,
    },
    qos: v.qos ?? 1,
    ...(v.topic ? { topic: v.topic } : {}),
    payload: v.payloadSize !== undefined ? patternPayload(v.payloadSize) : Buffer.from(payloadText),
    retain: v.retain ?? false,
    steps,
    repeat: v.repeat ?? 1,
    timeoutsMs,
    ...(proxy ? { proxy } : {}),
    expect: parseExpectation(v.expect),
    thresholdsMs,
    holdMs: v.hold ? parseDurationMs(v.hold) : 0,
    ...(emulator ? { emulator } : {}),
    ...(v.aws ? { aws: { ...v.aws } } : {}),
    ...(v.serve?.targets?.length ? { serveTargets: [...v.serve.targets] } : {}),
  };
  return { ok: true, plan, warnings };
}

/** Keys that mean something only over TLS; `alpn` values that offer nothing (`auto`, `none`, `false`) fit any transport. */
const TLS_ONLY_KEYS = ['alpn', 'ca', 'servername', 'tls'] as const;
const offersNoAlpn = (alpn: RawScenario['alpn']) => alpn === 'auto' || alpn === 'none' || alpn === false;

/** How specific the layer a value came from is: defaults < command line < the scenario < its matrix. */
function layerOf(scenario: ExpandedScenario, valuePath: YamlPath): number {
  const origin = filePathOf(scenario.origins, valuePath);
  if (origin[0] === 'defaults') return 1;
  if (origin[0] === COMMAND_LINE) return 2;
  return origin[2] === 'matrix' ? 4 : 3;
}

/**
 * TLS-only keys on a plain transport (`mqtt`, `ws`). A key the scenario sets at least as specifically as it picks
 * that transport is a mistake (`misplaced`); one it inherits (from `defaults` or the command line, or from the
 * scenario itself when its matrix picks the transport) simply does not apply, so it is left out.
 */
function applicableKeys(
  scenario: ExpandedScenario,
  v: RawScenario,
): { values: RawScenario; misplaced: YamlPath[] } {
  const transport = v.transport ?? 'mqtts';
  if (transport === 'mqtts' || transport === 'wss') return { values: v, misplaced: [] };
  const transportLayer = layerOf(scenario, ['transport']);
  const ownHere = (path: YamlPath) => {
    const layer = layerOf(scenario, path);
    return layer >= 3 && layer >= transportLayer;
  };
  const values: RawScenario = { ...v };
  const misplaced: YamlPath[] = [];
  for (const key of TLS_ONLY_KEYS) {
    if (v[key] === undefined || (key === 'alpn' && offersNoAlpn(v.alpn))) continue;
    // `tls` merges key by key, so each of its keys may come from another layer.
    const paths: YamlPath[] = key === 'tls' ? Object.keys(v.tls ?? {}).map((sub) => ['tls', sub]) : [[key]];
    misplaced.push(...paths.filter(ownHere));
    delete values[key];
  }
  return { values, misplaced };
}

/**
 * The scenario's own `proxy` wins (`none` turns proxies off); otherwise the environment's, unless NO_PROXY exempts
 * the host. The embedded emulator is on this machine, so the environment's proxy never applies to it.
 */
function resolveProxy(v: RawScenario, port: number, env: ResolveContext['env']): ProbePlan['proxy'] {
  if (v.proxy === 'none') return undefined;
  if (v.proxy) return parseProxySetting(v.proxy, 'scenario');
  const fromEnv = environmentProxy(env);
  const host = v.endpoint ?? 'localhost';
  if (!fromEnv || host === 'emulator') return undefined;
  const setting = parseProxySetting(fromEnv.url, fromEnv.variable);
  if (host === 'aws') return { ...setting, ...(fromEnv.noProxy ? { noProxy: fromEnv.noProxy } : {}) };
  return bypassesProxy(host, port, fromEnv.noProxy) ? undefined : setting;
}

/** `auto` picks what AWS IoT Core expects on port 443; elsewhere no ALPN is offered. */
export function resolveAlpn(
  alpn: RawScenario['alpn'],
  at: { port: number; transport: Transport; authType: RawAuth['type'] },
): string[] {
  if (alpn === false || alpn === 'none') return [];
  if (Array.isArray(alpn)) return alpn;
  if (alpn !== undefined && alpn !== 'auto') return [alpn];
  if (at.transport !== 'mqtts' || at.port !== 443) return [];
  if (at.authType === 'x509') return [AWS_ALPN.x509];
  if (at.authType === 'custom-authorizer') return [AWS_ALPN.customAuthorizer];
  return [];
}

function parseExpectation(expect: string | undefined): Expectation {
  if (expect === undefined || expect === 'pass') return { kind: 'pass' };
  if (expect === 'fail') return { kind: 'fail' };
  if (isDiagnosisCode(expect)) return { kind: 'code', code: expect };
  // The schema refuses any other text, with its location, before a plan is resolved.
  throw new Error(`internal error: \`expect: ${expect}\` passed validation but names no diagnosis code`);
}

let pattern = Buffer.alloc(0);

/**
 * A recognisable, non-repeating-prefix payload of exactly `size` bytes. Every plan shares one buffer (the pattern
 * depends only on the offset), so a matrix of large `payloadSize`s costs the largest once, not each one.
 */
function patternPayload(size: number): Buffer {
  if (size > pattern.length) {
    pattern = Buffer.alloc(size);
    for (let i = 0; i < size; i++) pattern[i] = 0x21 + (i % 94);
  }
  return pattern.subarray(0, size);
}

/** The top-level keys whose value came from a flag, with the flag's name. */
function commandLineOf(scenario: ExpandedScenario): Pick<ProbePlan, 'commandLine'> {
  const flags: Record<string, string> = {};
  for (const [key, origin] of scenario.origins)
    if (origin[0] === COMMAND_LINE) flags[key.split('.')[0]!] ??= flagFor(origin);
  return Object.keys(flags).length > 0 ? { commandLine: flags } : {};
}

function spansOf(scenario: ExpandedScenario, ctx: ResolveContext): Record<string, SourceSpan> {
  const spans: Record<string, SourceSpan> = {};
  for (const key of scenario.origins.keys()) {
    const span = ctx.spanOf(key.split('.'));
    if (span) spans[key] = span;
    // The keys of a map too (`mqtt.version`), so a fix to one of them points at its own line.
    const value = scenario.values[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    for (const sub of Object.keys(value)) {
      const subSpan = ctx.spanOf([key, sub]);
      if (subSpan) spans[`${key}.${sub}`] ??= subSpan;
    }
  }
  return spans;
}
