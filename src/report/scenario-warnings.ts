// Everything worth flagging on a scenario that may still pass, gathered once so every view shows the same warnings.
import type { CertificateSummary } from '../probe/diagnosis/diagnosis.js';
import type { WarningCode } from '../probe/result.js';
import type { ScenarioOutcome } from '../run/result.js';

/** Codes of report-level warnings: the probe's own, plus what only the whole outcome reveals. */
export type ReportWarningCode =
  | WarningCode
  | 'tls.cert-expiring'
  | 'tls.cert-expired'
  | 'mqtt.client-id-like-thing-name'
  | 'run.local-load';

export interface ReportWarning {
  code: ReportWarningCode;
  /** One line in plain words. */
  message: string;
}

/** Warn when the server certificate expires sooner than this. */
export const CERT_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** The client IDs mqttprobe makes up itself; anything else was fixed by the scenario. */
const GENERATED_CLIENT_ID = /^mqttprobe-[0-9a-f]+$/;
/** AWS IoT thing names: 1..128 of letters, digits, `:`, `_`, `-` (CreateThing's thingName pattern). */
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

/** True when a fixed client ID could be a device's: AWS drops a live connection when another uses its ID. */
export function looksLikeThingName(clientId: string): boolean {
  return !GENERATED_CLIENT_ID.test(clientId) && THING_NAME.test(clientId);
}

/** Whole days from `now` until `validTo` (negative once expired), or undefined for an unreadable date. */
export function daysUntil(validTo: string, now: Date): number | undefined {
  const end = Date.parse(validTo);
  if (Number.isNaN(end)) return undefined;
  return Math.floor((end - now.getTime()) / DAY_MS);
}

/**
 * The expiry warning for a server certificate, if it expires within CERT_EXPIRY_WARNING_DAYS of `now`;
 * `scenarios` (default 1) is how many scenarios of the run it served, said when more than one.
 */
export function certificateWarning(
  cert: CertificateSummary,
  now: Date,
  scenarios = 1,
): ReportWarning | undefined {
  const days = daysUntil(cert.validTo, now);
  if (days === undefined || days >= CERT_EXPIRY_WARNING_DAYS) return undefined;
  const date = cert.validTo.slice(0, 10);
  const shared = scenarios > 1 ? ` (served to ${scenarios} scenarios)` : '';
  if (Date.parse(cert.validTo) <= now.getTime()) {
    return {
      code: 'tls.cert-expired',
      message: `the server certificate ${cert.subject} expired on ${date}${shared}`,
    };
  }
  return {
    code: 'tls.cert-expiring',
    message: `the server certificate ${cert.subject} expires on ${date}, in ${days} day${days === 1 ? '' : 's'}${shared}`,
  };
}

/**
 * A phase figure may include local load when this much of it (ms, and share of the phase) was the event loop
 * stalled on other local work: below both, it is within the noise of a probe run alone (docs/accuracy.md).
 */
export const LOCAL_LOAD_WARNING = { ms: 1, share: 0.1 } as const;

/** The warning that some of a scenario's figures include this machine's own load, naming the phases. */
export function localLoadWarning(outcome: ScenarioOutcome): ReportWarning | undefined {
  const worst = new Map<string, number>();
  let loaded = 0;
  for (const probe of outcome.probes) {
    let hit = false;
    for (const [phase, timing] of Object.entries(probe.phases)) {
      const delay = timing?.localDelayMs ?? 0;
      if (delay < LOCAL_LOAD_WARNING.ms || delay < LOCAL_LOAD_WARNING.share * timing!.durationMs) continue;
      worst.set(phase, Math.max(worst.get(phase) ?? 0, delay));
      hit = true;
    }
    if (hit) loaded++;
  }
  if (loaded === 0) return undefined;
  const phases = [...worst].map(
    ([phase, ms]) => `${phase} up to ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`,
  );
  const of = outcome.probes.length > 1 ? ` (${loaded} of ${outcome.probes.length} probes)` : '';
  return {
    code: 'run.local-load',
    message: `some figures include this machine's own load, not the network: ${phases.join(', ')}${of}; run fewer probes at once (--concurrency) for network time`,
  };
}

const serverCertificate = (o: ScenarioOutcome) => o.representative.tls?.serverCertificate;

/** For a server certificate (by fingerprint): the first scenario of the run it served, and how many it served. */
type CertificateServed = (cert: CertificateSummary) => { first: ScenarioOutcome | undefined; count: number };

/**
 * Every warning of one scenario, each code once, the loudest first; `now` dates the certificate check. A
 * certificate is about the server, not the scenario: given the run's scenarios (`run`), its expiry is told once,
 * on the first scenario it served, instead of under every scenario that reached the same server.
 */
export function scenarioWarnings(
  outcome: ScenarioOutcome,
  now: Date,
  run: readonly ScenarioOutcome[] = [outcome],
): ReportWarning[] {
  const servers = serversOf(run);
  return warningsOf(
    outcome,
    now,
    (cert) => servers.get(cert.fingerprint256) ?? { first: undefined, count: 0 },
  );
}

/** `scenarioWarnings` of every scenario of a run, in order. */
export function runWarnings(run: readonly ScenarioOutcome[], now: Date): ReportWarning[][] {
  return run.map((o) => scenarioWarnings(o, now, run));
}

/**
 * The run's server certificates by fingerprint, with the first scenario each served and how many: grouped once per
 * run, however many scenarios ask (a view asks once per scenario; grouping each time made 10,000 scenarios take
 * minutes).
 */
type Servers = Map<string, { first: ScenarioOutcome; count: number }>;
const serversByRun = new WeakMap<readonly ScenarioOutcome[], { length: number; servers: Servers }>();
function serversOf(run: readonly ScenarioOutcome[]): Servers {
  const known = serversByRun.get(run);
  // Keyed by the array and its length, so a run that grew since (an interrupted run's list) is grouped anew.
  if (known?.length === run.length) return known.servers;
  const servers: Servers = new Map();
  for (const o of run) {
    const cert = serverCertificate(o);
    if (!cert) continue;
    const seen = servers.get(cert.fingerprint256);
    if (seen) seen.count++;
    else servers.set(cert.fingerprint256, { first: o, count: 1 });
  }
  serversByRun.set(run, { length: run.length, servers });
  return servers;
}

function warningsOf(outcome: ScenarioOutcome, now: Date, servedBy: CertificateServed): ReportWarning[] {
  const out: ReportWarning[] = [];
  const add = (w: ReportWarning | undefined) => {
    if (w && !out.some((o) => o.code === w.code)) out.push(w);
  };
  if (outcome.plan.insecure) {
    add({
      code: 'tls.insecure',
      message: 'the server certificate was NOT verified; anyone in the path could have answered',
    });
  }
  for (const probe of outcome.probes) {
    if (looksLikeThingName(probe.clientId)) {
      add({
        code: 'mqtt.client-id-like-thing-name',
        message: `the fixed client ID "${probe.clientId}" looks like a thing name: AWS IoT drops a device's live connection when a probe connects with its ID`,
      });
    }
  }
  const cert = serverCertificate(outcome);
  if (cert) {
    const served = servedBy(cert);
    if ((served.first ?? outcome) === outcome) add(certificateWarning(cert, now, Math.max(served.count, 1)));
  }
  for (const w of outcome.probes.flatMap((p) => p.warnings)) add(w);
  add(localLoadWarning(outcome));
  return out;
}
