// Runs one ProbePlan end to end and returns its ProbeResult; never throws for a network failure, never prints.
import type { Duplex } from 'node:stream';
import type { Phase } from '../scenario/phases.js';
import type { ProbePlan } from '../scenario/plan.js';
import { diagnose } from './diagnosis/diagnose.js';
import { describeFamilyAttempts, familyFailedWarning, leadAttempt } from './diagnosis/family-attempts.js';
import { PhaseFailure, ProbeDeadline } from './errors.js';
import { defaultTopic, generateClientId } from './mqtt/client-identity.js';
import type { MqttConnection } from './mqtt/mqtt-connection.js';
import { mqttRoundTrip } from './mqtt/mqtt-round-trip.js';
import type { FamilyAttempt, ProbeFacts, ProbeResult } from './result.js';
import type { PhaseScope, TimedTurn } from './run-phase.js';
import { type PhaseTimings, Timeline } from './timeline.js';
import type { SigV4Identity } from './transport/aws-credentials.js';
import { type CrossCheckProtocol, crossCheckProtocol } from './transport/cross-check-protocol.js';
import type { TcpAttempt } from './transport/open-tcp.js';
import { OpenSockets, openTransport } from './transport/open-transport.js';
import type { LookupFunction } from './transport/resolve-dns.js';

/** The run's turn for timed work (run/timed-turns.ts), which also knows the event loop's stalls. */
export interface RunTurn extends TimedTurn {
  /** Local delay inside [fromMs, toMs] of the monotonic clock, in ms. */
  localDelayMs(fromMs: number, toMs: number): number;
}

export interface RunProbeOptions {
  /** Probes side by side take turns at timed work; each phase then records its local delay. */
  turn?: RunTurn;
  /** Aborting stops the probe promptly (its result then carries `probe.interrupted`) and cleans up. */
  signal?: AbortSignal;
  /** Overrides the client ID (else plan.mqtt.clientId, else a fresh `mqttprobe-<hex>`). */
  clientId?: string;
  /** Replaces `dns.lookup`; for tests that need a resolver that never answers. */
  lookup?: LookupFunction;
  /**
   * Resolves SigV4 credentials and region for `auth: sigv4` plans; defaults to the AWS SDK's standard chain
   * (`resolveSigV4Identity`). A run may resolve once and share it, or tests may inject one.
   */
  resolveIdentity?: (auth: { region?: string; profile?: string }) => Promise<SigV4Identity>;
}

/** The longest the second look after a silent close may take, in ms (the tls timeout when that is shorter). */
const CROSS_CHECK_MAX_MS = 2000;

/**
 * Which protocol to try on a second connection, when the server closed on ours without a byte: a ClientHello that
 * got nothing back (is it plain MQTT?), or a plain CONNECT closed without a byte (is it TLS?). Not through a proxy:
 * the second connection would not take the same path.
 */
function crossCheckWanted(
  plan: ProbePlan,
  failure: PhaseFailure,
  facts: ProbeFacts,
): CrossCheckProtocol | undefined {
  if (plan.proxy) return undefined;
  const { phase, outcome } = failure;
  const silentEnd = outcome.kind === 'error' || outcome.kind === 'closed';
  if (!silentEnd) return undefined;
  const handshake = facts.tlsHandshake;
  if (phase === 'tls' && handshake?.reached === 'client-hello-sent') return 'mqtt';
  if (phase === 'connack' && plan.transport === 'mqtt' && facts.firstBytes === undefined) return 'tls';
  return undefined;
}

/** Probes one plan: dns → tcp → [proxy] → [tls] → [ws] → MQTT round trip, each phase timed and bounded. */
export async function runProbe(plan: ProbePlan, options: RunProbeOptions = {}): Promise<ProbeResult> {
  const startedAt = new Date();
  const timeline = new Timeline();
  // A signal of our own that follows the caller's: many concurrent probes then add no listeners to the shared
  // signal (AbortSignal.any links without one), so no MaxListeners warning however high the concurrency.
  const scope: PhaseScope = {
    timeline,
    timeoutsMs: plan.timeoutsMs,
    ...(options.signal ? { signal: AbortSignal.any([options.signal]) } : {}),
    ...(options.turn ? { turn: excludingWaits(options.turn, timeline) } : {}),
  };
  const clientId = options.clientId ?? plan.mqtt.clientId ?? generateClientId();
  const topic = plan.topic ?? defaultTopic(clientId);
  const facts: ProbeFacts = { warnings: [] };
  const sockets = new OpenSockets();
  let connection: MqttConnection | undefined;
  let failure: PhaseFailure | undefined;
  try {
    const stream: Duplex = await openTransport(scope, {
      plan,
      facts,
      sockets,
      lookup: options.lookup,
      resolveIdentity: options.resolveIdentity,
    });
    await mqttRoundTrip(scope, stream, {
      plan,
      clientId,
      topic,
      facts,
      onConnection: (opened) => {
        connection = opened;
      },
    });
  } catch (error) {
    // Anything not already a PhaseFailure is a bug in the probe; it still becomes a result, never a throw.
    failure =
      error instanceof PhaseFailure
        ? error
        : new PhaseFailure(timeline.lastStarted() ?? 'dns', { kind: 'error', error });
  } finally {
    connection?.destroy();
    await sockets.destroyAll();
  }
  // A caller's deadline (a scrape's timeout) is not the user stopping the run: the failure says which it was.
  const reason: unknown = options.signal?.reason;
  if (failure?.outcome.kind === 'aborted' && reason instanceof ProbeDeadline) {
    failure = new PhaseFailure(failure.phase, { kind: 'aborted', deadlineMs: reason.deadlineMs });
  }
  if (connection && connection.firstBytes.length > 0) facts.firstBytes = connection.firstBytes;
  if (connection && connection.unsolicitedMessages > 0)
    facts.unsolicitedMessages = connection.unsolicitedMessages;
  const { phases, totalMs } = timeline.finish();
  const localDelayMs = options.turn ? recordLocalDelay(phases, timeline, options.turn) : undefined;
  // The other family's connect ends by the tcp deadline at the latest; its outcome is part of the result.
  const race = facts.tcpRace ? await facts.tcpRace : undefined;
  const families = race ? readFamilies(plan, race, failure, facts) : undefined;
  if (families?.failure) failure = families.failure;
  // After the timeline closed: the second look is not part of any phase.
  const speak = failure ? crossCheckWanted(plan, failure, facts) : undefined;
  const crossCheck =
    speak && facts.address !== undefined && !scope.signal?.aborted
      ? await crossCheckProtocol({
          address: facts.address,
          port: plan.port,
          speak,
          ...(facts.tlsHandshake?.sniSent ? { servername: facts.tlsHandshake.sniSent } : {}),
          timeoutMs: Math.min(CROSS_CHECK_MAX_MS, plan.timeoutsMs.tls),
        })
      : undefined;
  const { firstBytes: _firstBytes, tlsHandshake: _tlsHandshake, tcpRace: _tcpRace, ...learned } = facts;
  const result: ProbeResult = {
    planId: plan.id,
    clientId,
    topic,
    ok: failure === undefined,
    startedAt: startedAt.toISOString(),
    phases,
    totalMs,
    endpoint: plan.endpoint,
    port: plan.port,
    qos: plan.qos,
    ...learned,
    ...(localDelayMs !== undefined ? { localDelayMs } : {}),
  };
  if (failure) {
    result.failedPhase = failure.phase;
    // Words about the endpoint use it as written (`emulator:8883`), not the port the run mapped it to.
    result.diagnosis = diagnose(failure, {
      plan: plan.written ? { ...plan, ...plan.written } : plan,
      topic,
      clientId,
      // Only an ID someone chose can collide: a generated one is unique to this probe.
      clientIdFixed: options.clientId !== undefined || plan.mqtt.clientId !== undefined,
      serverDisconnect: facts.serverDisconnect,
      address: plan.written ? plan.written.endpoint : facts.address,
      ...(families?.otherFamily ? { otherFamily: families.otherFamily } : {}),
      tls: facts.tls,
      firstBytes: facts.firstBytes,
      tlsHandshake: facts.tlsHandshake,
      ...(speak && crossCheck ? { crossCheck: { spoke: speak, answer: crossCheck } } : {}),
      failedAfterMs: phases[failure.phase]?.durationMs ?? 0,
      heldMs: facts.heldMs,
    });
  }
  return result;
}

/**
 * Records each family's outcome of a connect race and warns when one failed while another worked. When every
 * family failed in tcp, returns the failure to diagnose (the lead attempt's, see `leadAttempt`) and the other
 * attempt, and points `facts.address` at the lead.
 */
function readFamilies(
  plan: ProbePlan,
  race: readonly TcpAttempt[],
  failure: PhaseFailure | undefined,
  facts: ProbeFacts,
): { failure?: PhaseFailure; otherFamily?: FamilyAttempt } | undefined {
  const attempts = describeFamilyAttempts(race);
  if (!attempts) return undefined;
  facts.familyAttempts = attempts;
  const target = plan.proxy
    ? { port: plan.proxy.port, proxy: plan.proxy.display }
    : { port: (plan.written ?? plan).port };
  const warning = familyFailedWarning(attempts, target);
  if (warning) facts.warnings.push(warning);
  const lead = attempts.some((a) => a.used) ? undefined : leadAttempt(attempts);
  if (!lead || failure?.phase !== 'tcp' || failure.outcome.kind === 'aborted') return {};
  facts.address = lead.address;
  facts.family = lead.family;
  const end = race[attempts.indexOf(lead)]?.end;
  return {
    failure: new PhaseFailure(
      'tcp',
      end?.kind === 'error'
        ? { kind: 'error', error: end.error }
        : { kind: 'timeout', waitedMs: plan.timeoutsMs.tcp },
    ),
    otherFamily: attempts.find((a) => a !== lead),
  };
}

/** The turn as the phases see it: time spent waiting for it is left out of the probe's clock. */
function excludingWaits(turn: RunTurn, timeline: Timeline): TimedTurn {
  return {
    claim: async () => {
      const from = timeline.now();
      await turn.claim();
      timeline.exclude(timeline.now() - from);
    },
  };
}

/** Fills in each timed phase's local delay and returns the probe's: over the union of its timed phases, in ms. */
function recordLocalDelay(phases: PhaseTimings, timeline: Timeline, turn: RunTurn): number {
  const windows: Array<[number, number]> = [];
  for (const [phase, timing] of Object.entries(phases)) {
    if (phase === 'hold' || !timing) continue;
    // startMs leaves out turn waits; the window on the monotonic clock is where the phase's own mark put it.
    const from = timeline.startOf(phase as Phase)!;
    const to = from + timing.durationMs;
    timing.localDelayMs = round(turn.localDelayMs(from, to));
    windows.push([from, to]);
  }
  // puback and receive both start at the publish: count the time they share once.
  windows.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [from, to] of windows) {
    const start = Math.max(from, reach);
    if (to > start) total += turn.localDelayMs(start, to);
    reach = Math.max(reach, to);
  }
  return round(total);
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
