// The machine-readable report: a versioned JSON document (schema/report.schema.json) built field by field.
import type {
  CertificateSummary,
  Diagnosis,
  DiagnosisOf,
  EvidenceByCode,
} from '../probe/diagnosis/diagnosis.js';
import type { ServerDisconnect, TlsDetails } from '../probe/result.js';
import type { PhaseStats, RunProbe, RunReport, ScenarioOutcome, StatsKey } from '../run/result.js';
import { PHASES, type Phase } from '../scenario/phases.js';
import { fixLocation } from './fix-location.js';
import type { JsonDiagnosis, JsonPhase, JsonProbe, JsonReport, JsonScenario } from './report-schema.js';
import { scenarioWarnings } from './scenario-warnings.js';

export type { JsonDiagnosis, JsonPhase, JsonProbe, JsonReport, JsonScenario } from './report-schema.js';

export interface JsonReportOptions {
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
}

/** Milliseconds with microsecond precision: more digits are clock noise. */
const ms = (value: number): number => Math.round(value * 1000) / 1000;

/** One code's diagnosis as JSON; its evidence keeps the type its code gives it. */
function diagnosisOfCode<C extends Diagnosis['code']>(o: ScenarioOutcome, d: DiagnosisOf<C>) {
  return {
    code: d.code,
    message: d.message,
    hint: d.hint,
    // Every code's evidence is an object; TypeScript cannot see that through the registry's inferred types.
    evidence: { ...(d.evidence as EvidenceByCode[C] & object) },
    ...(d.cause ? { cause: { ...d.cause } } : {}),
    location: fixLocation(o.plan, d.code),
  };
}

function diagnosisOf(o: ScenarioOutcome, d: Diagnosis | undefined): JsonDiagnosis | undefined {
  // TypeScript cannot follow the pairing of code and evidence through a union; diagnosisOfCode keeps it.
  return d ? (diagnosisOfCode(o, d) as JsonDiagnosis) : undefined;
}

function certificate(c: CertificateSummary): CertificateSummary {
  return {
    subject: c.subject,
    issuer: c.issuer,
    validFrom: c.validFrom,
    validTo: c.validTo,
    fingerprint256: c.fingerprint256,
    ...(c.subjectAltName !== undefined ? { subjectAltName: c.subjectAltName } : {}),
  };
}

function tlsOf(t: TlsDetails): TlsDetails {
  return {
    protocol: t.protocol,
    cipher: t.cipher,
    ...(t.servername !== undefined ? { servername: t.servername } : {}),
    offeredAlpn: [...t.offeredAlpn],
    ...(t.negotiatedAlpn !== undefined ? { negotiatedAlpn: t.negotiatedAlpn } : {}),
    ...(t.serverCertificate ? { serverCertificate: certificate(t.serverCertificate) } : {}),
    verified: t.verified,
    ...(t.trustAnchor !== undefined ? { trustAnchor: t.trustAnchor } : {}),
    ...(t.chain ? { chain: t.chain.map(certificate) } : {}),
  };
}

function serverDisconnectOf(d: ServerDisconnect): ServerDisconnect {
  return {
    reasonCode: d.reasonCode,
    ...(d.reasonString !== undefined ? { reasonString: d.reasonString } : {}),
    ...(d.serverReference !== undefined ? { serverReference: d.serverReference } : {}),
  };
}

function probeOf(o: ScenarioOutcome, p: RunProbe): JsonProbe {
  const phases: Partial<Record<Phase, JsonPhase>> = {};
  for (const phase of PHASES) {
    const t = p.phases[phase];
    if (t) {
      phases[phase] = {
        startMs: ms(t.startMs),
        durationMs: ms(t.durationMs),
        ...(t.localDelayMs !== undefined ? { localDelayMs: ms(t.localDelayMs) } : {}),
      };
    }
  }
  const diagnosis = diagnosisOf(o, p.diagnosis);
  return {
    clientId: p.clientId,
    topic: p.topic,
    ok: p.ok,
    cold: p.cold,
    startedAt: p.startedAt,
    totalMs: ms(p.totalMs),
    ...(p.localDelayMs !== undefined ? { localDelayMs: ms(p.localDelayMs) } : {}),
    ...(p.failedPhase ? { failedPhase: p.failedPhase } : {}),
    ...(diagnosis ? { diagnosis } : {}),
    ...(p.address !== undefined ? { address: p.address } : {}),
    ...(p.family !== undefined ? { family: p.family } : {}),
    ...(p.resolvedAddresses ? { resolvedAddresses: [...p.resolvedAddresses] } : {}),
    ...(p.familyAttempts
      ? { familyAttempts: p.familyAttempts.map((a) => ({ ...a, afterMs: ms(a.afterMs) })) }
      : {}),
    phases,
    ...(p.tls ? { tls: tlsOf(p.tls) } : {}),
    ...(p.connack ? { connack: p.connack } : {}),
    qos: p.qos,
    ...(p.grantedQos ? { grantedQos: [...p.grantedQos] } : {}),
    ...(p.receivedQos !== undefined ? { receivedQos: p.receivedQos } : {}),
    ...(p.payloadBytes !== undefined ? { payloadBytes: p.payloadBytes } : {}),
    ...(p.heldMs !== undefined ? { heldMs: ms(p.heldMs) } : {}),
    ...(p.serverDisconnect ? { serverDisconnect: serverDisconnectOf(p.serverDisconnect) } : {}),
    ...(p.unsolicitedMessages !== undefined ? { unsolicitedMessages: p.unsolicitedMessages } : {}),
    warnings: p.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

function statsOf(stats: Partial<Record<StatsKey, PhaseStats>>): Partial<Record<StatsKey, PhaseStats>> {
  const out: Partial<Record<StatsKey, PhaseStats>> = {};
  for (const [key, st] of Object.entries(stats) as Array<[StatsKey, PhaseStats | undefined]>) {
    if (st)
      out[key] = {
        n: st.n,
        minMs: ms(st.minMs),
        p50Ms: ms(st.p50Ms),
        p95Ms: ms(st.p95Ms),
        maxMs: ms(st.maxMs),
      };
  }
  return out;
}

function scenarioOf(o: ScenarioOutcome, now: Date): JsonScenario {
  const p = o.plan;
  const r = o.representative;
  const diagnosis = diagnosisOf(o, o.diagnosis);
  return {
    id: p.id,
    name: p.name,
    file: p.file,
    location: p.span,
    tags: [...p.tags],
    target: {
      endpoint: p.endpoint,
      port: p.port,
      transport: p.transport,
      alpn: [...p.alpn],
      qos: p.qos,
      mqttVersion: p.mqttVersion,
      authType: p.authType,
      ...(p.proxy !== undefined ? { proxy: p.proxy } : {}),
      insecure: p.insecure,
    },
    steps: [...p.steps],
    repeat: p.repeat,
    expect: p.expect,
    thresholdsMs: { ...p.thresholdsMs },
    verdict: o.verdict,
    met: o.met,
    ...(o.mismatch !== undefined ? { mismatch: o.mismatch } : {}),
    ...(diagnosis ? { diagnosis } : {}),
    warnings: scenarioWarnings(o, now),
    passed: o.passed,
    ...(o.stats ? { stats: statsOf(o.stats) } : {}),
    // A report read back from JSON holds copies, so the representative is found by value, not identity.
    representative: Math.max(
      0,
      o.probes.findIndex((q) => q.startedAt === r.startedAt && q.clientId === r.clientId),
    ),
    probes: o.probes.map((q) => probeOf(o, q)),
  };
}

/** The report as a plain object of the published shape (schemaVersion 1). */
export function toJsonReport(report: RunReport, options: JsonReportOptions = {}): JsonReport {
  const now = options.now ?? new Date(report.startedAt);
  return {
    schemaVersion: 1,
    startedAt: report.startedAt,
    durationMs: ms(report.durationMs),
    interrupted: report.interrupted,
    notRun: [...report.notRun],
    summary: { ...report.summary },
    ...(report.recommendation
      ? { recommendation: { found: report.recommendation.found, text: report.recommendation.text } }
      : {}),
    scenarios: report.scenarios.map((o) => scenarioOf(o, now)),
  };
}

/** Renders the report as JSON text (two-space indent, trailing newline), valid against schema/report.schema.json. */
export function renderJson(report: RunReport, options: JsonReportOptions = {}): string {
  return `${JSON.stringify(toJsonReport(report, options), null, 2)}\n`;
}
