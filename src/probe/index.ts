// The probe's public surface: run one plan, get one plain-data result with a typed diagnosis.

export {
  type AwsCredentials,
  resolveSigV4Identity,
  SigV4CredentialsError,
  type SigV4Identity,
} from './aws-credentials.js';
export type {
  CertificateSummary,
  Diagnosis,
  DiagnosisCode,
  DiagnosisFamily,
  DiagnosisOf,
  EvidenceByCode,
  ProbeDiagnosisCode,
  RawCause,
  ThresholdDiagnosisCode,
  ThresholdEvidence,
} from './diagnosis.js';
export {
  DIAGNOSIS_CODES,
  diagnosisFamily,
  PROBE_DIAGNOSIS_CODES,
  THRESHOLD_DIAGNOSIS_CODES,
} from './diagnosis.js';
export { makeDiagnosis } from './diagnosis-text.js';
export { PHASES, type Phase, STEPS, type Step, TIMED_PHASES, type TimedPhase } from './phases.js';
export type {
  ConnackDetails,
  ProbeResult,
  ProxyDetails,
  TlsDetails,
  Warning,
  WarningCode,
  WebSocketDetails,
} from './result.js';
export { WARNING_CODES } from './result.js';
export { type RunProbeOptions, runProbe } from './run-probe.js';
export type { PhaseTiming, PhaseTimings } from './timeline.js';
