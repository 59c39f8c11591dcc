// Which scenario key a fix would change, so a diagnosis can point at the line to edit.
import type { DiagnosisCode } from '../probe/diagnosis/diagnosis.js';
import type { PlanSummary } from '../run/result.js';
import type { SourceSpan } from '../scenario/plan.js';

const KEY_FOR_CODE: Partial<Record<DiagnosisCode, string>> = {
  'mqtt.http-response': 'alpn',
  'tls.alpn-rejected': 'alpn',
  'tls.server-untrusted': 'ca',
  'tls.hostname-mismatch': 'servername',
  'tls.version': 'tls',
  'tls.client-cert-rejected': 'auth',
  'mqtt.suback-timeout': 'qos',
  'mqtt.suback-denied': 'topic',
  'mqtt.receive-timeout': 'topic',
  'tcp.timeout': 'port',
  'tcp.refused': 'port',
  'dns.not-found': 'endpoint',
};

/** The span of the key behind a diagnosis, falling back to the scenario itself. */
export function fixLocation(plan: PlanSummary, code: string): SourceSpan {
  const key = code.startsWith('threshold.')
    ? `thresholds.${code.slice('threshold.'.length)}`
    : KEY_FOR_CODE[code as DiagnosisCode];
  return (key && (plan.spans[key] ?? plan.spans[key.split('.')[0]!])) || plan.span;
}

/** `file:line:column`. */
export function formatSpan(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.column}`;
}
