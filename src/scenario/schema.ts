// The scenario file format (version 1): the single source of the TypeScript types, the validation and the JSON Schema.
import * as z from 'zod';
import { DIAGNOSIS_CODES, isDiagnosisCode } from './diagnosis-codes.js';
import {
  DURATION_BOUNDS,
  DURATION_PATTERN,
  type DurationKind,
  durationProblem,
  formatDurationMs,
} from './duration.js';
import { MQTT_LIMITS, utf8Bytes } from './mqtt-limits.js';
import { STEPS, TIMED_PHASES } from './phases.js';
import { isProxyUrl } from './redact-url.js';
import { suggest } from './suggest-key.js';

/** A duration of one kind: a unit is required, and the value must lie in that kind's range (DURATION_BOUNDS). */
const duration = (kind: DurationKind) => {
  const { minMs, maxMs } = DURATION_BOUNDS[kind];
  return z
    .string({ error: 'expected a duration with a unit, such as `750ms`, `5s` or `2m`' })
    .regex(DURATION_PATTERN, { error: 'expected a duration with a unit, such as `750ms`, `5s` or `2m`' })
    .superRefine((text, ctx) => {
      // A text without a unit is the pattern's error alone; this one is about the range.
      const problem = DURATION_PATTERN.test(text) ? durationProblem(text, kind) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', message: problem.label, params: { hint: problem.hint } });
    })
    .meta({
      description: `A duration: a number followed by \`ms\`, \`s\` or \`m\`, from ${formatDurationMs(minMs)} to ${formatDurationMs(maxMs)}.`,
      examples: ['750ms', '5s', '2m'],
    });
};

/** Text that MQTT carries as a length-prefixed string (client ID, topic, username, password): at most 65,535 bytes. */
const mqttText = (what: string) =>
  z.string().refine((text) => utf8Bytes(text) <= MQTT_LIMITS.stringBytes, {
    error: `MQTT allows at most ${MQTT_LIMITS.stringBytes} bytes of UTF-8 in ${what}`,
  });

const fileRef = (what: string) =>
  z
    .string({ error: `expected the path of ${what}` })
    .min(1, { error: `expected the path of ${what}` })
    .meta({ description: `Path of ${what}, relative to the scenario file's folder.` });

/** `pass`, `fail`, or something shaped like a diagnosis code; the refinement then checks the code exists. */
const EXPECT_FORM = /^(pass|fail|[a-z0-9]+\.[a-z0-9-]+)$/;

export const TRANSPORTS = ['mqtts', 'mqtt', 'wss', 'ws'] as const;
export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
export const AUTH_TYPES = ['none', 'x509', 'password', 'sigv4', 'custom-authorizer'] as const;

const auth = z
  .discriminatedUnion(
    'type',
    [
      z
        .strictObject({ type: z.literal('none') })
        .meta({ title: 'No authentication', description: 'Connect without credentials.' }),
      z
        .strictObject({
          type: z.literal('x509'),
          cert: fileRef('the client certificate (PEM)'),
          key: fileRef('the client private key (PEM)'),
          passphrase: z.string().optional().meta({ description: 'Passphrase of an encrypted private key.' }),
        })
        .meta({ title: 'X.509 client certificate', description: 'Mutual TLS, as AWS IoT devices use.' }),
      z
        .strictObject({
          type: z.literal('password'),
          username: mqttText('a username'),
          password: mqttText('a password').optional(),
        })
        .meta({ title: 'Username and password', description: 'MQTT CONNECT credentials.' }),
      z
        .strictObject({
          type: z.literal('sigv4'),
          region: z
            .string()
            .optional()
            .meta({ description: 'AWS region; else AWS_REGION, else the profile.' }),
          profile: z
            .string()
            .optional()
            .meta({ description: 'AWS profile; else AWS_PROFILE or the default chain.' }),
        })
        .meta({ title: 'AWS SigV4', description: 'A presigned WebSocket URL (transport `wss`).' }),
      z
        .strictObject({
          type: z.literal('custom-authorizer'),
          authorizer: mqttText('an authorizer name').meta({
            description: 'Name of the AWS IoT custom authorizer.',
          }),
          username: mqttText('a username').optional(),
          password: mqttText('a password').optional(),
          token: mqttText('a token')
            .optional()
            .meta({ description: 'Token value passed to the authorizer.' }),
          tokenKeyName: mqttText('a token key name')
            .optional()
            .meta({ description: 'Name of the token field.' }),
          signature: mqttText('a signature')
            .optional()
            .meta({ description: 'Token signature, when signing is enabled.' }),
        })
        .meta({ title: 'AWS IoT custom authorizer', description: 'ALPN `mqtt` on 443, or WebSockets.' }),
    ],
    { error: `expected \`auth.type\` to be one of: ${AUTH_TYPES.join(', ')}` },
  )
  .meta({ description: 'How the client authenticates.' });

const phaseDurations = <K extends string>(keys: readonly K[], kind: DurationKind, what: string) =>
  z
    .strictObject(
      Object.fromEntries(keys.map((k) => [k, duration(kind).optional()])) as Record<
        K,
        z.ZodOptional<ReturnType<typeof duration>>
      >,
    )
    .meta({
      description: what,
    });

/** A `serve.targets` pattern: a host (optionally `*.` for any subdomain, or a bracketed IPv6 address) and a port. */
export const SERVE_TARGET_FORM =
  /^(?:(?:\*\.)?[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/** The most `serve.targets` patterns a scenario may list. */
export const MAX_SERVE_TARGETS = 100;

const alpnName = z.string().min(1, { error: 'an ALPN protocol name cannot be empty' });

/** Every key a scenario (or `defaults`) may set, except `name`, `matrix` and `tags`, which only scenarios have. */
export const scenarioFields = {
  endpoint: z
    .string({ error: 'expected a host name, an address, or `aws`' })
    .min(1, { error: 'expected a host name, an address, or `aws`' })
    // A URL here would be printed in every report, a password in it too: the scheme is `transport`, the port `port`.
    .refine((value) => !/[/@]/.test(value), {
      error: 'expected a host name or an address, not a URL: set `transport` and `port` on their own keys',
    })
    .meta({
      description:
        'Host name or address of the broker; `aws` looks it up with DescribeEndpoint; `emulator` starts the embedded AWS IoT Core look-alike for the run.',
    }),
  port: z
    .int({ error: 'expected a port number from 1 to 65535' })
    .min(1, { error: 'expected a port number from 1 to 65535' })
    .max(65535, { error: 'expected a port number from 1 to 65535' })
    .meta({ description: 'TCP port. Default: 8883 for mqtts, 1883 for mqtt, 443 for wss, 80 for ws.' }),
  transport: z
    .enum(TRANSPORTS, { error: `expected one of: ${TRANSPORTS.join(', ')}` })
    .meta({ description: 'How MQTT is carried. Default: mqtts.' }),
  path: z
    .string({ error: 'expected an HTTP path starting with `/`' })
    .regex(/^\//, { error: 'expected an HTTP path starting with `/`' })
    .meta({ description: 'HTTP path of the WebSocket endpoint. Default: /mqtt.' }),
  alpn: z
    .union([z.literal(false), z.literal('none'), z.literal('auto'), alpnName, z.array(alpnName)], {
      error: 'expected an ALPN protocol name, a list of names, `auto`, or `none`/`false`',
    })
    .meta({
      description:
        'ALPN protocols to offer. `auto` (default): `x-amzn-mqtt-ca` on port 443 with x509 auth, `mqtt` on 443 with a custom authorizer, none otherwise.',
      examples: ['auto', 'x-amzn-mqtt-ca', ['mqtt'], 'none'],
    }),
  servername: z
    .string()
    .min(1)
    .meta({ description: 'TLS SNI and certificate host name. Default: the endpoint.' }),
  ca: fileRef('the CA certificate(s) that sign the server certificate (PEM)').meta({
    description:
      'CA bundle (PEM) to verify the server with. Default: Amazon Root CA 1 and 3 for *.amazonaws.com, else the system roots.',
  }),
  tls: z
    .strictObject({
      minVersion: z.enum(TLS_VERSIONS, { error: `expected one of: ${TLS_VERSIONS.join(', ')}` }).optional(),
      maxVersion: z.enum(TLS_VERSIONS, { error: `expected one of: ${TLS_VERSIONS.join(', ')}` }).optional(),
      insecure: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .meta({ description: 'Skip server certificate verification. The report warns loudly.' }),
    })
    .meta({ description: 'TLS settings.' }),
  auth,
  mqtt: z
    .strictObject({
      version: z
        .union([z.literal('3.1.1'), z.literal(5)], { error: 'expected `3.1.1` or `5`' })
        .optional()
        .meta({ description: 'MQTT protocol version. Default: 3.1.1.' }),
      clientId: mqttText('a client ID').min(1, { error: 'a client ID cannot be empty' }).optional().meta({
        description:
          'Fixed client ID, at most 65535 bytes (AWS IoT: 128). Default: a fresh `mqttprobe-<random>` per probe, so that a probe never takes over a device’s session.',
      }),
      keepalive: duration('keepalive').optional().meta({ description: 'Keepalive interval. Default: 60s.' }),
      cleanSession: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .meta({ description: 'Default: true.' }),
    })
    .meta({ description: 'MQTT connection settings.' }),
  qos: z
    .union([z.literal(0), z.literal(1), z.literal(2)], { error: 'expected QoS 0, 1 or 2' })
    .meta({ description: 'QoS of the subscription and the publish. Default: 1.' }),
  topic: mqttText('a topic')
    .min(1, { error: 'a topic cannot be empty' })
    .refine((t) => !/[+#]/.test(t), {
      error: 'the probe publishes to this topic, so it cannot hold `+` or `#`',
    })
    .meta({
      description:
        'Topic to subscribe and publish to, at most 65535 bytes (AWS IoT: 256 bytes, 7 slashes). Default: `mqttprobe/<client ID>`.',
    }),
  payload: z
    .string()
    .refine((text) => utf8Bytes(text) <= MQTT_LIMITS.packetBytes, {
      error: `an MQTT packet is at most ${MQTT_LIMITS.packetBytes} bytes`,
    })
    .meta({ description: 'Payload text. Default: a unique text per scenario.' }),
  payloadSize: z
    .int({ error: 'expected a whole number of bytes' })
    .min(0, { error: 'expected a whole number of bytes' })
    .max(MQTT_LIMITS.packetBytes, { error: `an MQTT packet is at most ${MQTT_LIMITS.packetBytes} bytes` })
    .meta({
      description:
        'Send a generated payload of this many bytes instead of `payload`; the PUBLISH packet must stay within MQTT’s 256 MB (AWS IoT: 128 KB).',
    }),
  retain: z
    .boolean({ error: 'expected true or false' })
    .meta({ description: 'Publish with the retain flag.' }),
  steps: z
    .array(z.enum(STEPS, { error: `expected one of: ${STEPS.join(', ')}` }), {
      error: 'expected a list of steps',
    })
    .min(1, { error: 'list at least `connect`' })
    .meta({ description: 'Which part of the round trip to run, in order. Default: all four.' }),
  repeat: z
    .int({ error: 'expected a whole number from 1 to 10000' })
    .min(1, { error: 'expected a whole number from 1 to 10000' })
    .max(10_000, { error: 'expected a whole number from 1 to 10000' })
    .meta({ description: 'How many probes to run for statistics. Default: 1.' }),
  timeout: z
    .union(
      [
        duration('timeout'),
        phaseDurations(
          TIMED_PHASES,
          'timeout',
          'A timeout per phase; phases not named keep the timeout they had (from `defaults`, else 5s).',
        ),
      ],
      {
        error: 'expected a duration such as `5s`, or a map of phase to duration',
      },
    )
    .meta({ description: 'Timeout of each phase. Default: 5s per phase.' }),
  proxy: z
    .string()
    .refine(isProxyUrl, {
      error:
        'expected a proxy URL such as `http://host:3128`, `http://user:pass@host:3128`, `socks5://host:1080`, or `none`',
    })
    .meta({
      description:
        'HTTP or SOCKS proxy. Default: HTTPS_PROXY/ALL_PROXY, honouring NO_PROXY; `none` ignores them.',
    }),
  expect: z
    .string()
    .regex(EXPECT_FORM, {
      error:
        'expected `pass`, `fail`, or a failure code of the form `phase.reason` (for example `tcp.timeout`)',
    })
    .refine(
      (text) => !EXPECT_FORM.test(text) || text === 'pass' || text === 'fail' || isDiagnosisCode(text),
      {
        error: (issue) => unknownCodeLabel(String(issue.input)),
      },
    )
    .meta({
      description: 'The outcome that counts as success. Default: pass.',
      examples: ['pass', 'fail', 'tcp.timeout'],
    }),
  thresholds: phaseDurations(
    [...TIMED_PHASES, 'total'] as const,
    'threshold',
    'Latency limits per phase (and `total`); a slower phase fails as `threshold.<phase>`.',
  ),
  aws: z
    .strictObject({
      region: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'AWS region. Default: AWS_REGION, then the profile’s region.' }),
      profile: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'AWS profile. Default: AWS_PROFILE, then the default chain.' }),
    })
    .meta({
      description: 'The AWS account used by `endpoint: aws` (DescribeEndpoint) and `auth.type: sigv4`.',
    }),
  serve: z
    .strictObject({
      targets: z
        .array(
          z.string().regex(SERVE_TARGET_FORM, {
            error:
              'expected HOST or HOST:PORT, where HOST may start with `*.` (any subdomain), e.g. `broker.example.com:8883` or `*.iot.eu-west-1.amazonaws.com`',
          }),
          { error: 'expected a list of HOST[:PORT] patterns' },
        )
        .max(MAX_SERVE_TARGETS, { error: `list at most ${MAX_SERVE_TARGETS} patterns` })
        .meta({
          description:
            "`mqttprobe serve`: the hosts `/probe?target=HOST[:PORT]` may send this scenario to instead of its endpoint. `HOST` alone allows the scenario's own port; `*.example.com` allows any subdomain. Default: none, `target=` is refused.",
          examples: [['broker-a.example.com', 'broker-b.example.com:8883', '*.iot.eu-west-1.amazonaws.com']],
        }),
    })
    .meta({ description: 'How `mqttprobe serve` may run this scenario.' }),
  hold: duration('hold').meta({
    description:
      'Keep the connection open this long after the round trip, to catch middleboxes that cut idle links.',
  }),
};

export type ScenarioFieldKey = keyof typeof scenarioFields;

/** What `defaults:` may set. */
export const defaultsSchema = z.strictObject(scenarioFields).partial().meta({
  description: 'Values every scenario inherits. Nested maps merge key by key; `auth` is replaced whole.',
});

/** One list entry of `scenarios:`, before defaults are merged and the matrix expanded. */
export const scenarioSchema = z
  .strictObject({
    name: z
      .string({ error: 'expected a scenario name' })
      .min(1, { error: 'a scenario name cannot be empty' })
      .meta({ description: 'Unique name, shown in every report.' }),
    tags: z.array(z.string()).optional().meta({ description: 'Labels for `--tag`.' }),
    ...Object.fromEntries(Object.entries(scenarioFields).map(([k, v]) => [k, v.optional()])),
    matrix: z
      .record(
        z.string(),
        z
          .array(z.unknown(), { error: 'expected a list of values' })
          .min(1, { error: 'list at least one value' }),
      )
      .optional()
      .meta({
        description:
          'Run the scenario once per combination: a map from a key (dotted for nested keys, e.g. `mqtt.version`) to a list of values.',
        examples: [{ port: [8883, 443], qos: [0, 1] }],
      }),
  })
  .meta({ description: 'One probe scenario.' }) as z.ZodType<RawScenario>;

export const scenarioFileSchema = z
  .strictObject({
    version: z
      .literal(1, { error: 'expected `version: 1`' })
      .meta({ description: 'Scenario format version.' }),
    defaults: defaultsSchema.optional(),
    scenarios: z
      .array(scenarioSchema, { error: 'expected a list of scenarios' })
      .min(1, { error: 'list at least one scenario' }),
  })
  .meta({
    title: 'mqttprobe scenario file',
    description: 'MQTT connectivity probes for mqttprobe. Every key is described in docs/scenario-format.md.',
  });

type FieldTypes = { [K in ScenarioFieldKey]?: z.infer<(typeof scenarioFields)[K]> };
/** A scenario's fields as written (after env interpolation), before defaults and matrix. */
export type RawScenario = FieldTypes & { name: string; tags?: string[]; matrix?: Record<string, unknown[]> };
export type RawDefaults = FieldTypes;
export type RawAuth = z.infer<typeof auth>;
export type ScenarioFile = z.infer<typeof scenarioFileSchema>;

/** Why a well-formed `expect` is refused: no such code, with the near match when there is one. */
function unknownCodeLabel(text: string): string {
  const guess = suggest(text, DIAGNOSIS_CODES);
  return guess
    ? `no diagnosis code is called \`${text}\`; did you mean \`${guess}\`?`
    : `no diagnosis code is called \`${text}\`; the codes are listed in docs/diagnosis.md`;
}

/**
 * `${NAME}` or `${NAME:-default}`: an environment variable in a value, replaced when the file is loaded
 * (interpolate-env.ts). Group 1 is the name, group 2 the default.
 */
export const ENV_REFERENCE = String.raw`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`;

type JsonSchema = Record<string, unknown>;

const ENV_DEFINITIONS: Record<string, JsonSchema> = {
  // A whole-value reference becomes a number or boolean when it reads as one, as if written in place.
  envValue: {
    type: 'string',
    pattern: `^${ENV_REFERENCE}$`,
    description:
      'An environment variable, `${NAME}` or `${NAME:-default}`, replaced by its value when the file is loaded.',
  },
  envText: {
    type: 'string',
    pattern: ENV_REFERENCE,
    description:
      'Text with environment variables (`${NAME}`, `${NAME:-default}`), replaced when the file is loaded.',
  },
};

/** Whether every string passes `schema` as it stands: then a `${VAR}` in it needs no second branch. */
function acceptsAnyString(schema: JsonSchema): boolean {
  return schema.type === 'string' && !('pattern' in schema) && !('enum' in schema) && !('const' in schema);
}

const branches = (schema: JsonSchema): JsonSchema[] => [
  ...((schema.anyOf as JsonSchema[] | undefined) ?? []),
  ...((schema.oneOf as JsonSchema[] | undefined) ?? []),
];
/** A map or a list (or a choice of them only): a `${VAR}` cannot stand for one. */
const isContainer = (schema: JsonSchema): boolean =>
  schema.type === 'object' ||
  schema.type === 'array' ||
  (branches(schema).length > 0 && branches(schema).every(isContainer));
const mayBeString = (schema: JsonSchema): boolean =>
  schema.type === 'string' || branches(schema).some(mayBeString);

/** The schema with every value inside it (properties, list items, branches) given the `${VAR}` alternative. */
function withEnvInside(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (isSchemaMap(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, acceptEnvReferences(value)]),
    );
  }
  if (isSchemaMap(schema.items)) out.items = acceptEnvReferences(schema.items);
  for (const key of ['anyOf', 'oneOf'] as const)
    if (Array.isArray(schema[key])) out[key] = (schema[key] as JsonSchema[]).map(withEnvInside);
  return out;
}

/**
 * The loader substitutes `${VAR}` in every value before it validates, so a value the schema wants as a number, a
 * boolean, an enum or a pattern may be written as a reference, and an editor sees the text before substitution:
 * each such value gets a second branch that accepts it. Maps and lists are searched for values, not given one.
 */
function acceptEnvReferences(schema: JsonSchema): JsonSchema {
  const out = withEnvInside(schema);
  if (isContainer(out) || acceptsAnyString(out) || Object.keys(out).length === 0) return out;
  const env = { $ref: `#/definitions/${mayBeString(out) ? 'envText' : 'envValue'}` };
  if (Array.isArray(out.anyOf)) return { ...out, anyOf: [...out.anyOf, env] };
  const { description, examples, ...rest } = out;
  return {
    ...(description !== undefined ? { description } : {}),
    ...(examples !== undefined ? { examples } : {}),
    anyOf: [rest, env],
  };
}

function isSchemaMap(value: unknown): value is JsonSchema & Record<string, JsonSchema> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The published JSON Schema (`schema/scenario.schema.json`, `mqttprobe schema`). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioFileSchema, {
    target: 'draft-7',
    unrepresentable: 'any',
  }) as JsonSchema;
  return { ...acceptEnvReferences(generated), definitions: ENV_DEFINITIONS };
}
