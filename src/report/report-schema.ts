// The JSON Schema (draft-07) of the JSON report, built from the code's own lists of phases and diagnosis codes.
// schema/report.schema.json is this, written by scripts/write-report-schema.ts; a test fails when it is stale.
import { DIAGNOSIS_CODES } from '../probe/diagnosis/diagnosis.js';
import { PHASES, STEPS, TIMED_PHASES } from '../scenario/phases.js';

type Schema = Record<string, unknown>;

const ms: Schema = { type: 'number', minimum: 0 };
const text: Schema = { type: 'string' };
const strings: Schema = { type: 'array', items: text };
const integer: Schema = { type: 'integer' };
const flag: Schema = { type: 'boolean' };
const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

/** A closed object: every listed property allowed, `required` ones mandatory, nothing else. */
function object(properties: Record<string, Schema>, required: string[] = [], description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
    properties,
  };
}

const described = (schema: Schema, description: string): Schema => ({ ...schema, description });

/** The schema of `renderJson`'s output, schemaVersion 1. */
export function reportJsonSchema(): Schema {
  const statsKeys = [...TIMED_PHASES, 'total'];
  const phaseTiming = object(
    {
      startMs: described(ms, 'Start, in ms since the probe started (monotonic clock).'),
      durationMs: described(ms, 'Duration in ms; for the failed phase, until the failure was seen.'),
      localDelayMs: described(
        ms,
        'Local delay inside the phase, in ms: how long the event loop stalled on other local work while other probes were at work (an upper bound on what in the figure is this machine, not the network).',
      ),
    },
    ['startMs', 'durationMs'],
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'mqttprobe report',
    description:
      'The output of `mqttprobe run --format json` (or `--report json=PATH`). schemaVersion changes on any incompatible change. Durations are in milliseconds.',
    ...object(
      {
        schemaVersion: { const: 1 },
        startedAt: { type: 'string', format: 'date-time', description: 'Wall-clock start of the run.' },
        durationMs: described(ms, 'The whole run.'),
        interrupted: described(flag, 'Ctrl-C stopped the run; `scenarios` holds only what finished.'),
        notRun: described(strings, 'Ids of scenarios selected but not finished because of the interruption.'),
        summary: object(
          {
            total: { type: 'integer', minimum: 0 },
            met: { type: 'integer', minimum: 0 },
            missed: { type: 'integer', minimum: 0 },
          },
          ['total', 'met', 'missed'],
        ),
        scenarios: { type: 'array', items: ref('scenario') },
      },
      ['schemaVersion', 'startedAt', 'durationMs', 'interrupted', 'notRun', 'summary', 'scenarios'],
    ),
    definitions: {
      span: object(
        {
          file: text,
          line: { type: 'integer', minimum: 1 },
          column: { type: 'integer', minimum: 1 },
          endLine: { type: 'integer', minimum: 1 },
          endColumn: { type: 'integer', minimum: 1 },
        },
        ['file', 'line', 'column', 'endLine', 'endColumn'],
        'A place in a scenario file; lines and columns are 1-based, the end is just past the value.',
      ),
      phase: { type: 'string', enum: [...PHASES] },
      diagnosisCode: { type: 'string', enum: [...DIAGNOSIS_CODES], description: 'See docs/diagnosis.md.' },
      diagnosis: object(
        {
          code: ref('diagnosisCode'),
          message: described(text, 'What went wrong, in one line.'),
          hint: described(text, 'What to do or check next, in one line.'),
          evidence: {
            type: 'object',
            description: 'The facts behind the code; its fields per code are in docs/diagnosis.md.',
          },
          cause: object(
            {
              name: text,
              code: text,
              message: text,
              errno: integer,
              syscall: text,
              reason: text,
              reasonCode: integer,
            },
            ['message'],
            'The raw error behind the diagnosis, as Node or MQTT.js reported it.',
          ),
          location: described(ref('span'), 'The scenario key a fix would change (or the scenario itself).'),
        },
        ['code', 'message', 'hint', 'evidence', 'location'],
      ),
      warning: object({ code: text, message: text }, ['code', 'message']),
      stats: object(
        { n: { type: 'integer', minimum: 0 }, minMs: ms, p50Ms: ms, p95Ms: ms, maxMs: ms },
        ['n', 'minMs', 'p50Ms', 'p95Ms', 'maxMs'],
        'Over the warm probes that reached the phase.',
      ),
      certificate: object(
        {
          subject: text,
          issuer: text,
          validFrom: text,
          validTo: text,
          fingerprint256: text,
          subjectAltName: text,
        },
        ['subject', 'issuer', 'validFrom', 'validTo', 'fingerprint256'],
      ),
      tls: object(
        {
          protocol: described(text, '`TLSv1.2` or `TLSv1.3`.'),
          cipher: text,
          servername: described(text, 'The SNI sent.'),
          offeredAlpn: strings,
          negotiatedAlpn: text,
          serverCertificate: ref('certificate'),
          verified: flag,
        },
        ['protocol', 'cipher', 'offeredAlpn', 'verified'],
      ),
      connack: object(
        {
          protocolVersion: integer,
          reasonCode: integer,
          sessionPresent: flag,
          properties: object({
            maximumQoS: integer,
            retainAvailable: flag,
            maximumPacketSize: integer,
            receiveMaximum: integer,
            topicAliasMaximum: integer,
            serverKeepAlive: integer,
            assignedClientIdentifier: text,
            reasonString: text,
            wildcardSubscriptionAvailable: flag,
            subscriptionIdentifiersAvailable: flag,
            sharedSubscriptionAvailable: flag,
            serverReference: text,
          }),
        },
        ['protocolVersion', 'reasonCode', 'sessionPresent'],
      ),
      qos: { type: 'integer', enum: [0, 1, 2] },
      probe: object(
        {
          clientId: text,
          topic: text,
          ok: described(flag, 'Every requested step completed.'),
          cold: described(flag, 'The run’s first probe: it paid the warm-up, so statistics leave it out.'),
          startedAt: { type: 'string', format: 'date-time' },
          totalMs: ms,
          localDelayMs: described(
            ms,
            'Local delay inside the timed phases (their union), in ms; near 0 means the figures are network time.',
          ),
          failedPhase: ref('phase'),
          diagnosis: ref('diagnosis'),
          address: text,
          family: { type: 'integer', enum: [4, 6] },
          phases: object(Object.fromEntries(PHASES.map((p) => [p, phaseTiming]))),
          tls: ref('tls'),
          connack: ref('connack'),
          qos: ref('qos'),
          grantedQos: { type: 'array', items: integer },
          receivedQos: ref('qos'),
          payloadBytes: { type: 'integer', minimum: 0 },
          heldMs: ms,
          serverDisconnect: object(
            {
              reasonCode: described(integer, 'MQTT 5 reason code, e.g. 142 (0x8E) Session taken over.'),
              reasonString: described(text, 'The Reason String property, when the server sent one.'),
              serverReference: described(text, 'The Server Reference property (another server to use).'),
            },
            ['reasonCode'],
            'The DISCONNECT the server sent (MQTT 5), in whatever phase it came.',
          ),
          unsolicitedMessages: {
            type: 'integer',
            minimum: 1,
            description:
              'PUBLISH packets received that the probe did not ask for (anything but its own echo).',
          },
          warnings: { type: 'array', items: ref('warning') },
        },
        ['clientId', 'topic', 'ok', 'cold', 'startedAt', 'totalMs', 'phases', 'qos', 'warnings'],
      ),
      scenario: object(
        {
          id: described(text, 'Unique: the name plus matrix values.'),
          name: text,
          file: text,
          location: ref('span'),
          tags: strings,
          target: object(
            {
              endpoint: text,
              port: { type: 'integer', minimum: 0, maximum: 65535 },
              transport: { type: 'string', enum: ['mqtts', 'mqtt', 'wss', 'ws'] },
              alpn: described(strings, 'ALPN protocols offered (empty when none).'),
              qos: ref('qos'),
              mqttVersion: { type: 'string', enum: ['3.1.1', '5'] },
              authType: text,
              proxy: described(text, 'The proxy URL with any password replaced by `***`.'),
              insecure: described(flag, 'Server certificate verification was switched off.'),
            },
            ['endpoint', 'port', 'transport', 'alpn', 'qos', 'mqttVersion', 'authType', 'insecure'],
          ),
          steps: { type: 'array', items: { type: 'string', enum: [...STEPS] } },
          repeat: { type: 'integer', minimum: 1 },
          expect: described(text, '`pass`, `fail`, or the failure code that must happen.'),
          thresholdsMs: object(Object.fromEntries(statsKeys.map((k) => [k, ms]))),
          verdict: { type: 'string', enum: ['pass', 'expected-failure', 'fail'] },
          met: described(flag, 'The outcome met the expectation and thresholds.'),
          mismatch: described(text, 'Why the expectation was missed, in plain words.'),
          diagnosis: ref('diagnosis'),
          warnings: { type: 'array', items: ref('warning') },
          passed: { type: 'integer', minimum: 0, description: 'Probes that completed every step.' },
          stats: object(Object.fromEntries(statsKeys.map((k) => [k, ref('stats')]))),
          representative: {
            type: 'integer',
            minimum: 0,
            description: 'Index into `probes` of the probe single-probe views show.',
          },
          probes: { type: 'array', items: ref('probe') },
        },
        [
          'id',
          'name',
          'file',
          'location',
          'tags',
          'target',
          'steps',
          'repeat',
          'expect',
          'thresholdsMs',
          'verdict',
          'met',
          'warnings',
          'passed',
          'representative',
          'probes',
        ],
      ),
    },
  };
}
