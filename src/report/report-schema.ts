// The JSON report's one source: a zod schema that yields its TypeScript types (json-report.ts builds values of
// them) and its JSON Schema (draft-07; `npm run schema` writes schema/report.schema.json, a test fails when stale).
// Rendering never loads zod: json-report.ts imports only the types.
import { z } from 'zod';
import {
  type CertificateSummary,
  DIAGNOSIS_CODES,
  type DiagnosisCode,
  type EvidenceByCode,
  type RawCause,
} from '../probe/diagnosis/diagnosis.js';
import {
  type ConnackDetails,
  FAMILY_OUTCOMES,
  type FamilyAttempt,
  type ServerDisconnect,
  type TlsDetails,
} from '../probe/result.js';
import type { RunProbe } from '../run/result.js';
import { PHASES, STEPS, TIMED_PHASES } from '../scenario/phases.js';

/** Milliseconds with microsecond precision: more digits are clock noise. */
const ms = z.number().min(0);
const count = z.int().min(0);
const text = z.string();
const described = <T extends z.ZodType>(schema: T, description: string): T => schema.meta({ description });

/** An object with one optional entry per key, in the keys' order. */
function keyed<K extends string, S extends z.ZodType>(keys: readonly K[], value: S) {
  return z.strictObject(
    Object.fromEntries(keys.map((key) => [key, value.optional()])) as Record<K, z.ZodOptional<S>>,
  );
}

const span = z
  .strictObject({
    file: text,
    line: z.int().min(1),
    column: z.int().min(1),
    endLine: z.int().min(1),
    endColumn: z.int().min(1),
  })
  .meta({
    id: 'span',
    description: 'A place in a scenario file; lines and columns are 1-based, the end is just past the value.',
  });

const phase = z.enum(PHASES).meta({ id: 'phase' });
const diagnosisCode = z
  .enum(DIAGNOSIS_CODES)
  .meta({ id: 'diagnosisCode', description: 'See docs/diagnosis.md.' });
const qos = z.literal([0, 1, 2]).meta({ id: 'qos' });

const cause = z
  .strictObject({
    name: text.optional(),
    code: text.optional(),
    message: text,
    errno: z.int().optional(),
    syscall: text.optional(),
    reason: text.optional(),
    reasonCode: z.int().optional(),
  })
  .meta({ description: 'The raw error behind the diagnosis, as Node or MQTT.js reported it.' });

const diagnosis = z
  .strictObject({
    code: diagnosisCode,
    message: described(text, 'What went wrong, in one line.'),
    hint: described(text, 'What to do or check next, in one line.'),
    evidence: described(
      z.record(z.string(), z.unknown()),
      'The facts behind the code; its fields per code are in docs/diagnosis.md.',
    ),
    cause: cause.optional(),
    location: described(span, 'The scenario key a fix would change (or the scenario itself).'),
  })
  .meta({ id: 'diagnosis' });

const warning = z.strictObject({ code: text, message: text }).meta({ id: 'warning' });

const stats = z
  .strictObject({ n: count, minMs: ms, p50Ms: ms, p95Ms: ms, maxMs: ms })
  .meta({ id: 'stats', description: 'Over the warm probes that reached the phase.' });

const certificate = z
  .strictObject({
    subject: text,
    issuer: text,
    validFrom: text,
    validTo: text,
    fingerprint256: text,
    subjectAltName: text.optional(),
  })
  .meta({ id: 'certificate' });

const tls = z
  .strictObject({
    protocol: described(text, '`TLSv1.2` or `TLSv1.3`.'),
    cipher: text,
    servername: described(text, 'The SNI sent.').optional(),
    offeredAlpn: z.array(text),
    negotiatedAlpn: text.optional(),
    serverCertificate: certificate.optional(),
    verified: z.boolean(),
    trustAnchor: described(
      text,
      'Subject of the top of the chain: the trusted root it verified against.',
    ).optional(),
    chain: described(
      z.array(certificate).max(7),
      'The certificates above the server certificate, in order up to the trust anchor.',
    ).optional(),
  })
  .meta({ id: 'tls' });

const connack = z
  .strictObject({
    protocolVersion: z.int(),
    reasonCode: z.int(),
    sessionPresent: z.boolean(),
    properties: z
      .strictObject({
        maximumQoS: z.int(),
        retainAvailable: z.boolean(),
        maximumPacketSize: z.int(),
        receiveMaximum: z.int(),
        topicAliasMaximum: z.int(),
        serverKeepAlive: z.int(),
        assignedClientIdentifier: text,
        reasonString: text,
        wildcardSubscriptionAvailable: z.boolean(),
        subscriptionIdentifiersAvailable: z.boolean(),
        sharedSubscriptionAvailable: z.boolean(),
        serverReference: text,
      })
      .partial()
      .optional(),
  })
  .meta({ id: 'connack' });

const serverDisconnect = z
  .strictObject({
    reasonCode: described(z.int(), 'MQTT 5 reason code, e.g. 142 (0x8E) Session taken over.'),
    reasonString: described(text, 'The Reason String property, when the server sent one.').optional(),
    serverReference: described(text, 'The Server Reference property (another server to use).').optional(),
  })
  .meta({ description: 'The DISCONNECT the server sent (MQTT 5), in whatever phase it came.' });

const familyAttempt = z
  .strictObject({
    family: z.literal([4, 6]),
    address: text,
    outcome: described(
      z.enum(FAMILY_OUTCOMES),
      '`refused`: ECONNREFUSED; `timeout`: no answer by the tcp timeout; `unreachable`: no route from this machine.',
    ),
    afterMs: described(
      ms,
      'From the start of the tcp phase until the outcome was known, in ms; for `timeout`, the tcp timeout.',
    ),
    errorCode: described(text, 'The socket error’s code, when it failed with one.').optional(),
    used: described(z.boolean(), 'The connection the probe went on over.'),
  })
  .meta({ id: 'familyAttempt' });

const phaseTiming = z.strictObject({
  startMs: described(ms, 'Start, in ms since the probe started (monotonic clock).'),
  durationMs: described(ms, 'Duration in ms; for the failed phase, until the failure was seen.'),
  localDelayMs: described(
    ms,
    'Local delay inside the phase, in ms: how long the event loop stalled on other local work while other probes were at work (an upper bound on what in the figure is this machine, not the network).',
  ).optional(),
});

const probe = z
  .strictObject({
    clientId: text,
    topic: text,
    ok: described(z.boolean(), 'Every requested step completed.'),
    cold: described(z.boolean(), 'The run’s first probe: it paid the warm-up, so statistics leave it out.'),
    startedAt: z.iso.datetime({ offset: true }),
    totalMs: ms,
    localDelayMs: described(
      ms,
      'Local delay inside the timed phases (their union), in ms; near 0 means the figures are network time.',
    ).optional(),
    failedPhase: phase.optional(),
    diagnosis: diagnosis.optional(),
    address: described(
      text,
      'The address TCP used (the proxy’s through a proxy); when every attempt failed, the one the diagnosis is about.',
    ).optional(),
    family: z.literal([4, 6]).optional(),
    resolvedAddresses: described(
      z.array(text).max(16),
      'Every address DNS gave for the host TCP dialled, in the resolver’s order (at most 16).',
    ).optional(),
    familyAttempts: described(
      z.array(familyAttempt).min(2),
      'When DNS gave both IPv4 and IPv6: one connect per family (the first address of each), started at once, in the resolver’s order.',
    ).optional(),
    phases: described(
      keyed(PHASES, phaseTiming),
      'Every phase that ran, in order; one that never started is absent.',
    ),
    tls: tls.optional(),
    connack: connack.optional(),
    qos,
    grantedQos: z.array(z.int()).optional(),
    receivedQos: qos.optional(),
    payloadBytes: count.optional(),
    heldMs: ms.optional(),
    serverDisconnect: serverDisconnect.optional(),
    unsolicitedMessages: described(
      z.int().min(1),
      'PUBLISH packets received that the probe did not ask for (anything but its own echo).',
    ).optional(),
    warnings: z.array(warning),
  })
  .meta({ id: 'probe' });

const STATS_KEYS = [...TIMED_PHASES, 'total' as const];

const scenario = z
  .strictObject({
    id: described(text, 'Unique: the name plus matrix values.'),
    name: text,
    file: text,
    location: span,
    tags: z.array(text),
    target: z.strictObject({
      endpoint: text,
      port: z.int().min(0).max(65535),
      transport: z.enum(['mqtts', 'mqtt', 'wss', 'ws']),
      alpn: described(z.array(text), 'ALPN protocols offered (empty when none).'),
      qos,
      mqttVersion: z.literal(['3.1.1', '5']),
      authType: text,
      proxy: described(text, 'The proxy URL with any password replaced by `***`.').optional(),
      insecure: described(z.boolean(), 'Server certificate verification was switched off.'),
    }),
    steps: z.array(z.enum(STEPS)),
    repeat: z.int().min(1),
    expect: described(text, '`pass`, `fail`, or the failure code that must happen.'),
    thresholdsMs: keyed(STATS_KEYS, ms),
    verdict: z.enum(['pass', 'expected-failure', 'fail']),
    met: described(z.boolean(), 'The outcome met the expectation and thresholds.'),
    mismatch: described(text, 'Why the expectation was missed, in plain words.').optional(),
    diagnosis: diagnosis.optional(),
    warnings: z.array(warning),
    passed: described(count, 'Probes that completed every step.'),
    stats: keyed(STATS_KEYS, stats).optional(),
    representative: described(count, 'Index into `probes` of the probe single-probe views show.'),
    probes: z.array(probe),
  })
  .meta({ id: 'scenario' });

/** The report `renderJson` writes, schemaVersion 1. */
export const reportSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    startedAt: described(z.iso.datetime({ offset: true }), 'Wall-clock start of the run.'),
    durationMs: described(ms, 'The whole run.'),
    interrupted: described(z.boolean(), 'Ctrl-C stopped the run; `scenarios` holds only what finished.'),
    notRun: described(
      z.array(text),
      'Ids of scenarios selected but not finished because of the interruption.',
    ),
    summary: z.strictObject({ total: count, met: count, missed: count }),
    recommendation: described(
      z.strictObject({
        found: described(z.boolean(), 'Some way through works.'),
        text: described(text, 'The recommendation in one line, as the terminal shows it.'),
      }),
      '`mqttprobe check` only: which way into the endpoint to use from this network, or why there is none.',
    ).optional(),
    scenarios: z.array(scenario),
  })
  .meta({
    title: 'mqttprobe report',
    description:
      'The output of `mqttprobe run --format json` (or `--report json=PATH`; `mqttprobe check` too). schemaVersion changes on any incompatible change. Durations are in milliseconds.',
  });

/** zod writes the safe-integer bounds on every integer; a report's counts never come near them. */
const SAFE_BOUNDS = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

/** The JSON Schema (draft-07) of the JSON report, as schema/report.schema.json holds it. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(reportSchema, {
    target: 'draft-7',
    override: ({ jsonSchema }) => {
      for (const [key, bound] of Object.entries(SAFE_BOUNDS) as Array<[keyof typeof SAFE_BOUNDS, number]>) {
        if (jsonSchema[key] === bound) delete jsonSchema[key];
      }
      // zod calls numeric literals `number`; QoS, IP family and the version are integers.
      const values = jsonSchema.enum ?? (jsonSchema.const === undefined ? [] : [jsonSchema.const]);
      if (jsonSchema.type === 'number' && values.length > 0 && values.every(Number.isInteger)) {
        jsonSchema.type = 'integer';
      }
    },
  }) as Record<string, unknown>;
}

/** A diagnosis in the report: discriminate on `code` to reach its typed evidence, as with `Diagnosis`. */
export type JsonDiagnosis = {
  [C in DiagnosisCode]: Omit<z.infer<typeof diagnosis>, 'code' | 'evidence'> & {
    code: C;
    evidence: EvidenceByCode[C];
  };
}[DiagnosisCode];

/** One probe in the report: a ProbeResult's reportable fields, with times rounded to the microsecond. */
export type JsonProbe = Omit<z.infer<typeof probe>, 'diagnosis'> & { diagnosis?: JsonDiagnosis };

export type JsonPhase = z.infer<typeof phaseTiming>;

/** One scenario in the report: its target as planned, its verdict, statistics and probes. */
export type JsonScenario = Omit<z.infer<typeof scenario>, 'diagnosis' | 'probes'> & {
  diagnosis?: JsonDiagnosis;
  probes: JsonProbe[];
};

/** The whole report, as `renderJson` writes it. */
export type JsonReport = Omit<z.infer<typeof reportSchema>, 'scenarios'> & { scenarios: JsonScenario[] };

// Compile-time checks that the JSON keeps step with the run's own types: a field added to ProbeResult must be
// placed in the schema above or named in LeftOut, and the shared parts must have the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** ProbeResult fields the JSON leaves out: the scenario's target says where, the diagnosis says why. */
type LeftOut = 'planId' | 'endpoint' | 'port' | 'proxy' | 'ws';
type Shared = Exclude<keyof JsonProbe & keyof RunProbe, 'diagnosis' | 'warnings'>;
const inStep: [
  Same<Exclude<keyof RunProbe, keyof JsonProbe | LeftOut>, never>,
  Same<Pick<JsonProbe, Shared>, Pick<RunProbe, Shared>>,
  Same<z.infer<typeof tls>, TlsDetails>,
  Same<z.infer<typeof connack>, ConnackDetails>,
  Same<z.infer<typeof serverDisconnect>, ServerDisconnect>,
  Same<z.infer<typeof certificate>, CertificateSummary>,
  Same<z.infer<typeof cause>, RawCause>,
  Same<z.infer<typeof familyAttempt>, FamilyAttempt>,
] = [true, true, true, true, true, true, true, true];
void inStep;
