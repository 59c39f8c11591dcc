// Runs one ProbePlan end to end and returns its ProbeResult; never throws for a network failure, never prints.
import type { Duplex } from 'node:stream';
import type { ProbePlan } from '../scenario/plan.js';
import type { SigV4Identity } from './aws-credentials.js';
import { defaultTopic, generateClientId } from './client-identity.js';
import { diagnose } from './diagnose.js';
import type { MqttConnection } from './mqtt-connection.js';
import { mqttRoundTrip } from './mqtt-round-trip.js';
import { OpenSockets, openTransport } from './open-transport.js';
import { PhaseFailure } from './phase-failure.js';
import type { ProbeFacts } from './probe-facts.js';
import type { LookupFunction } from './resolve-dns.js';
import type { ProbeResult } from './result.js';
import { Timeline } from './timeline.js';

export interface RunProbeOptions {
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

/** Probes one plan: dns → tcp → [proxy] → [tls] → [ws] → MQTT round trip, each phase timed and bounded. */
export async function runProbe(plan: ProbePlan, options: RunProbeOptions = {}): Promise<ProbeResult> {
  const startedAt = new Date();
  const timeline = new Timeline();
  // A signal of our own that follows the caller's: many concurrent probes then add no listeners to the shared
  // signal (AbortSignal.any links without one), so no MaxListeners warning however high the concurrency.
  const scope = options.signal ? { timeline, signal: AbortSignal.any([options.signal]) } : { timeline };
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
  if (connection && connection.firstBytes.length > 0) facts.firstBytes = connection.firstBytes;
  const { phases, totalMs } = timeline.finish();
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
    warnings: facts.warnings,
  };
  copyFacts(facts, result);
  if (failure) {
    result.failedPhase = failure.phase;
    result.diagnosis = diagnose(failure, {
      plan,
      topic,
      address: facts.address,
      tls: facts.tls,
      firstBytes: facts.firstBytes,
      failedAfterMs: phases[failure.phase]?.durationMs ?? 0,
      heldMs: facts.heldMs,
    });
  }
  return result;
}

function copyFacts(facts: ProbeFacts, result: ProbeResult): void {
  if (facts.address !== undefined) result.address = facts.address;
  if (facts.family !== undefined) result.family = facts.family;
  if (facts.proxy !== undefined) result.proxy = facts.proxy;
  if (facts.ws !== undefined) result.ws = facts.ws;
  if (facts.tls !== undefined) result.tls = facts.tls;
  if (facts.connack !== undefined) result.connack = facts.connack;
  if (facts.grantedQos !== undefined) result.grantedQos = facts.grantedQos;
  if (facts.receivedQos !== undefined) result.receivedQos = facts.receivedQos;
  if (facts.payloadBytes !== undefined) result.payloadBytes = facts.payloadBytes;
  if (facts.heldMs !== undefined) result.heldMs = facts.heldMs;
}
