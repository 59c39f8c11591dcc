// The names of every diagnosis code: what a scenario's `expect` may name, and the keys the probe's registry must fill.
//
// The names live with the plan contract (as the phase vocabulary does in phases.ts) because src/scenario may import
// nothing from src/probe. Everything else about a code (its evidence, words and the key a fix changes) is one entry
// in src/probe/diagnosis/registry.ts, which the compiler holds to exactly these names.
import { TIMED_PHASES } from './phases.js';

/**
 * Codes the probe itself produces, `family.reason`. The family is the layer that failed (dns, tcp, proxy, tls,
 * ws, mqtt), not necessarily the phase it was seen in: a TLS 1.3 client-certificate alert arrives while we wait
 * for CONNACK and is still `tls.client-cert-rejected`.
 */
export const PROBE_DIAGNOSIS_CODES = [
  'dns.not-found',
  'dns.timeout',
  'dns.unknown',
  'tcp.timeout',
  'tcp.refused',
  'tcp.reset',
  'tcp.unreachable',
  'tcp.unknown',
  'proxy.unreachable',
  'proxy.refused',
  'proxy.auth-required',
  'proxy.timeout',
  'proxy.unsupported',
  'proxy.unknown',
  'tls.timeout',
  'tls.alpn-rejected',
  'tls.server-untrusted',
  'tls.hostname-mismatch',
  'tls.cert-expired',
  'tls.client-cert-rejected',
  'tls.version',
  'tls.not-tls',
  'tls.closed-during-handshake',
  'tls.closed-before-server-hello',
  'tls.sni-refused',
  'tls.intercepted',
  'tls.unknown',
  'ws.rejected',
  'ws.timeout',
  'ws.not-http',
  'ws.sigv4-credentials',
  'ws.unknown',
  'mqtt.http-response',
  'mqtt.tls-port',
  'mqtt.connack-timeout',
  'mqtt.connack-refused',
  'mqtt.protocol-version-refused',
  'mqtt.closed-before-connack',
  'mqtt.suback-denied',
  'mqtt.suback-timeout',
  'mqtt.closed-after-subscribe',
  'mqtt.puback-timeout',
  'mqtt.publish-refused',
  'mqtt.qos-not-supported',
  'mqtt.packet-over-server-limit',
  'mqtt.unexpected-ack',
  'mqtt.closed-after-publish',
  'mqtt.receive-timeout',
  'mqtt.payload-mismatch',
  'mqtt.connection-dropped',
  'mqtt.client-id-taken-over',
  'mqtt.server-disconnect',
  'mqtt.packet-too-large',
  'mqtt.unsolicited-flood',
  'mqtt.silently-dropped',
  'mqtt.malformed-packet',
  'mqtt.unknown',
  'probe.interrupted',
  'probe.deadline',
  'probe.fd-limit',
] as const;

/** Codes the run layer adds when a phase (or the whole probe) is slower than the scenario allows. */
export const THRESHOLD_DIAGNOSIS_CODES = [
  ...TIMED_PHASES.map((phase) => `threshold.${phase}` as const),
  'threshold.total' as const,
];

/** Every diagnosis code, in documentation order. */
export const DIAGNOSIS_CODES = [...PROBE_DIAGNOSIS_CODES, ...THRESHOLD_DIAGNOSIS_CODES] as const;
export type ProbeDiagnosisCode = (typeof PROBE_DIAGNOSIS_CODES)[number];
export type ThresholdDiagnosisCode = (typeof THRESHOLD_DIAGNOSIS_CODES)[number];
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

/** Whether a text (a scenario's `expect`, say) names a diagnosis code. */
export function isDiagnosisCode(text: string): text is DiagnosisCode {
  return (DIAGNOSIS_CODES as readonly string[]).includes(text);
}
