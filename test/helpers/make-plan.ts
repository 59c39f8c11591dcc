// Builds a ProbePlan for tests: sensible loopback defaults, with any field overridden.
import type { Auth, ProbePlan } from '../../src/scenario/plan.js';
import { Secret } from '../../src/scenario/secret.js';

const SPAN = { file: 'test.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Shallow overrides, except `mqtt`, `tls` and `timeoutsMs`, which merge into their defaults. */
export type PlanOverrides = Omit<Partial<ProbePlan>, 'mqtt' | 'tls' | 'timeoutsMs'> & {
  mqtt?: Partial<ProbePlan['mqtt']>;
  tls?: Partial<ProbePlan['tls']>;
  timeoutsMs?: Partial<ProbePlan['timeoutsMs']>;
};

/** A plan for 127.0.0.1 over plain MQTT, QoS 1, full round trip, 2 s per phase unless overridden. */
export function makePlan(overrides: PlanOverrides = {}): ProbePlan {
  const { mqtt, tls, timeoutsMs, ...rest } = overrides;
  return {
    id: 'test',
    name: 'test',
    matrixValues: [],
    file: 'test.yaml',
    span: SPAN,
    spans: {},
    tags: [],
    endpoint: '127.0.0.1',
    port: 1883,
    transport: 'mqtt',
    path: '/mqtt',
    alpn: [],
    auth: { type: 'none' },
    qos: 1,
    payload: Buffer.from('mqttprobe test payload'),
    retain: false,
    steps: ['connect', 'subscribe', 'publish', 'receive'],
    repeat: 1,
    expect: { kind: 'pass' },
    thresholdsMs: {},
    holdMs: 0,
    ...rest,
    tls: { insecure: false, ...tls },
    mqtt: { version: 4, keepaliveS: 30, cleanSession: true, ...mqtt },
    timeoutsMs: {
      dns: 2000,
      tcp: 2000,
      proxy: 2000,
      tls: 2000,
      ws: 2000,
      connack: 2000,
      suback: 2000,
      puback: 2000,
      receive: 2000,
      ...timeoutsMs,
    },
  };
}

/** x509 auth from PEM strings, with the key held as a Secret the way the loader does. */
export function x509Auth(client: { cert: string; key: string }): Auth {
  return {
    type: 'x509',
    cert: { path: '/test/client.crt', pem: client.cert },
    key: { path: '/test/client.key', secret: new Secret(client.key) },
  };
}
