// A diagnosis: what a failed probe is. The codes are named in src/scenario/diagnosis-codes.ts and each one's evidence
// and words are one entry in registry.ts; this file derives the types from them and builds diagnoses.
import type { DiagnosisCode } from '../../scenario/diagnosis-codes.js';
import { DIAGNOSES, type DiagnosisEntry } from './registry.js';

export {
  DIAGNOSIS_CODES,
  type DiagnosisCode,
  PROBE_DIAGNOSIS_CODES,
  type ProbeDiagnosisCode,
  THRESHOLD_DIAGNOSIS_CODES,
  type ThresholdDiagnosisCode,
} from '../../scenario/diagnosis-codes.js';
export type { ProxyUnreachableReason, ThresholdEvidence, WsRejectionReason } from './registry.js';

/** The layer a code belongs to: the part before the dot. */
export type DiagnosisFamily = DiagnosisCode extends `${infer F}.${string}` ? F : never;

/** A raw error reduced to plain, serialisable data (never key material): what Node or MQTT.js actually said. */
export interface RawCause {
  name?: string;
  /** Node/OpenSSL error code such as `ECONNREFUSED` or `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`. */
  code?: string;
  message: string;
  errno?: number;
  syscall?: string;
  /** OpenSSL's reason string, e.g. `tlsv13 alert certificate required`. */
  reason?: string;
  /** MQTT reason or return code carried by an MQTT.js error. */
  reasonCode?: number;
}

/** A certificate as the probe saw it: names and dates only, never key material. */
export interface CertificateSummary {
  /** Distinguished name as `CN=…, O=…`. */
  subject: string;
  issuer: string;
  /** Validity bounds as ISO 8601 timestamps (empty when the peer sent no certificate). */
  validFrom: string;
  validTo: string;
  /** SHA-256 fingerprint, colon-separated hex. */
  fingerprint256: string;
  /** subjectAltName as Node prints it, e.g. `DNS:example.com, IP Address:127.0.0.1`. */
  subjectAltName?: string;
}

/** The raw error in words for an `.unknown` code's evidence (`CODE: message`, one line, at most 200 characters). */
export function rawWords(cause: RawCause | undefined): { error?: string } {
  if (cause === undefined) return {};
  const line = `${cause.code ? `${cause.code}: ` : ''}${cause.message}`.split(/\r?\n/)[0] ?? '';
  return line === '' ? {} : { error: line.length > 200 ? `${line.slice(0, 199)}…` : line };
}

/** What each code proves, read off its registry entry; the fields are the evidence a renderer may show. */
export type EvidenceByCode = {
  [C in DiagnosisCode]: (typeof DIAGNOSES)[C] extends DiagnosisEntry<infer E> ? E : never;
};

/** One diagnosis of a given code. */
export interface DiagnosisOf<C extends DiagnosisCode> {
  code: C;
  /** One line in plain words: what went wrong. */
  message: string;
  /** One line: what to do or check next. */
  hint: string;
  evidence: EvidenceByCode[C];
  /** The raw error behind it, for `--verbose` and JSON; absent when the failure was an absence (a timeout). */
  cause?: RawCause;
}

/** A diagnosis: discriminate on `code` to reach typed evidence. */
export type Diagnosis = { [C in DiagnosisCode]: DiagnosisOf<C> }[DiagnosisCode];

/** The family (layer) of a code, e.g. `tls` for `tls.cert-expired`. */
export function diagnosisFamily(code: DiagnosisCode): DiagnosisFamily {
  return code.slice(0, code.indexOf('.')) as DiagnosisFamily;
}

/** Builds a diagnosis of one code from its evidence, with its message and hint filled in. */
export function makeDiagnosis<C extends DiagnosisCode>(
  code: C,
  evidence: EvidenceByCode[C],
  cause?: RawCause,
): DiagnosisOf<C> {
  const text = (DIAGNOSES[code] as DiagnosisEntry<EvidenceByCode[C]>).text(evidence);
  return cause === undefined ? { code, ...text, evidence } : { code, ...text, evidence, cause };
}
