// The MQTT phases over an open stream: connack → suback → puback → receive → [hold] → DISCONNECT.
import type { Duplex } from 'node:stream';
import type { IClientOptions, Packet } from 'mqtt';
import type { ProbePlan } from '../../scenario/plan.js';
import { PhaseFailure } from '../errors.js';
import type { ConnackDetails, ProbeFacts, ServerDisconnect } from '../result.js';
import { type PhaseScope, runPhase } from '../run-phase.js';
import { type IncomingLimits, incomingLimits } from './incoming-limits.js';
import { type Arrival, MqttConnection } from './mqtt-connection.js';
import { mqttCredentials } from './mqtt-credentials.js';
import { publishLimitBroken, subscribeLimitBroken } from './server-limits.js';

type PacketOf<C extends Packet['cmd']> = Extract<Packet, { cmd: C }>;

function isCmd<C extends Packet['cmd']>(cmd: C): (packet: Packet) => packet is PacketOf<C> {
  return (packet): packet is PacketOf<C> => packet.cmd === cmd;
}

export interface RoundTripOptions {
  plan: ProbePlan;
  clientId: string;
  topic: string;
  facts: ProbeFacts;
  /** Receives the connection as soon as it exists, so the caller can read its first bytes and destroy it. */
  onConnection: (connection: MqttConnection) => void;
}

/** Runs the MQTT steps the plan asks for on `stream`; rejects with a PhaseFailure, leaves teardown to the caller. */
export async function mqttRoundTrip(
  scope: PhaseScope,
  stream: Duplex,
  options: RoundTripOptions,
): Promise<void> {
  const { plan, topic, facts } = options;
  const steps = new Set(plan.steps);
  const wantsReceive = steps.has('receive');
  const wantsSubscribe = wantsReceive || steps.has('subscribe');
  const wantsPublish = wantsReceive || steps.has('publish');

  const connection = await connect(scope, stream, options);

  if (wantsSubscribe) {
    await runPhase(scope, 'suback', async (signal) => {
      const limit = subscribeLimitBroken(facts.connack, { topic, version: plan.mqtt.version });
      if (limit) throw new PhaseFailure('suback', { kind: 'server-limit', limit });
      const { packet, at } = await new Promise<Arrival<PacketOf<'suback'>>>((resolve, reject) => {
        connection.nextPacket('suback', isCmd('suback'), signal).then(resolve, reject);
        // The SUBACK is read from packetreceive, which settles first; an error here means it was never sent
        // (an invalid filter, a closing client).
        connection.client.subscribe(topic, { qos: plan.qos }, (error) => {
          if (error) reject(error);
        });
      });
      scope.timeline.end('suback', at);
      // mqtt-packet parses SUBACK codes as numbers; anything else is malformed and counts as a failure code.
      const granted = packet.granted.map((grant) => (typeof grant === 'number' ? grant : 0x80));
      facts.grantedQos = granted;
      const code = granted[0] ?? 0x80;
      if (code >= 0x80) throw new PhaseFailure('suback', { kind: 'denied', reasonCode: code });
      if (code < plan.qos) {
        facts.warnings.push({
          code: 'mqtt.qos-downgraded',
          message: `QoS ${plan.qos} was requested for ${topic} but the broker granted QoS ${code}`,
        });
      }
    });
  }

  if (wantsPublish) {
    // Never send what the CONNACK said the server cannot take: the failure names the limit. It counts as the
    // publish's phase (puback), where a broker that enforces the limit would have been seen closing.
    const limit = publishLimitBroken(facts.connack, {
      topic,
      qos: plan.qos,
      payloadBytes: plan.payload.length,
      version: plan.mqtt.version,
    });
    if (limit) {
      await runPhase(scope, 'puback', async () => {
        throw new PhaseFailure('puback', { kind: 'server-limit', limit });
      });
    }
    const receiving = wantsReceive ? new AbortController() : undefined;
    // Listen before publishing: the echo may arrive before the PUBACK.
    const echo = receiving
      ? connection.nextPacket(
          'receive',
          (packet): packet is PacketOf<'publish'> =>
            // A retained message delivered on subscribe is old news, not our echo.
            packet.cmd === 'publish' && packet.topic === topic && !packet.retain,
          receiving.signal,
        )
      : undefined;
    // Its rejection is read below through runPhase; until then it must not count as unhandled.
    echo?.catch(() => undefined);
    if (scope.turn) await scope.turn.claim();
    const publishedAt = scope.timeline.now();
    facts.payloadBytes = plan.payload.length;
    connection.client.publish(topic, plan.payload, { qos: plan.qos, retain: plan.retain }, () => {
      // Acknowledgements are read from packetreceive, with their arrival time.
    });
    if (plan.qos > 0) {
      await runPhase(scope, 'puback', (signal) => awaitPublishAck(scope, connection, plan, signal), {
        startedAt: publishedAt,
      });
    }
    if (echo && receiving) {
      await runPhase(
        scope,
        'receive',
        async (signal) => {
          signal.addEventListener('abort', () => receiving.abort(), { once: true });
          const { packet, at } = await echo;
          scope.timeline.end('receive', at);
          facts.receivedQos = packet.qos;
          const received = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
          if (!received.equals(plan.payload)) {
            throw new PhaseFailure('receive', { kind: 'mismatch', sent: plan.payload, received });
          }
        },
        { startedAt: publishedAt },
      );
    }
  }

  if (plan.holdMs > 0) await hold(scope, connection, plan, facts);

  // A clean DISCONNECT, bounded: a broker that never closes must not hold the probe.
  const clean = await connection.disconnect(plan.timeoutsMs.connack, scope.signal);
  if (!clean) {
    facts.warnings.push({
      code: 'mqtt.disconnect-unclean',
      message: 'the connection did not close after DISCONNECT',
    });
  }
}

async function connect(
  scope: PhaseScope,
  stream: Duplex,
  options: RoundTripOptions,
): Promise<MqttConnection> {
  const { plan, facts } = options;
  return runPhase(scope, 'connack', async (signal) => {
    const limits = incomingLimits(plan);
    const connection = new MqttConnection(stream, clientOptions(plan, options.clientId, limits), limits);
    options.onConnection(connection);
    // MQTT 5 servers end a session with DISCONNECT and a reason (0x8E: another connection took the client ID).
    connection.client.on('disconnect', (packet) => {
      facts.serverDisconnect ??= describeDisconnect(packet);
    });
    const { packet, at } = await connection.nextPacket('connack', isCmd('connack'), signal);
    scope.timeline.end('connack', at);
    facts.connack = describeConnack(packet, plan.mqtt.version);
    if (facts.connack.reasonCode !== 0) {
      throw new PhaseFailure('connack', { kind: 'refused', reasonCode: facts.connack.reasonCode });
    }
    return connection;
  });
}

function clientOptions(plan: ProbePlan, clientId: string, limits: IncomingLimits): IClientOptions {
  return {
    protocolId: 'MQTT',
    protocolVersion: plan.mqtt.version,
    clientId,
    keepalive: plan.mqtt.keepaliveS,
    clean: plan.mqtt.cleanSession,
    // Our own connack timer decides; this one only has to stay out of its way and is cleared on close.
    connectTimeout: plan.timeoutsMs.connack * 2 + 1000,
    queueQoSZero: false,
    // MQTT 5 §3.1.2.11.4: a server must not send a packet above the client's Maximum Packet Size (it drops the
    // message instead); 3.1.1 has no way to say so, and the connection enforces the same limit either way.
    ...(plan.mqtt.version === 5 ? { properties: { maximumPacketSize: limits.maxPacketBytes } } : {}),
    ...mqttCredentials(plan.auth),
  };
}

async function awaitPublishAck(
  scope: PhaseScope,
  connection: MqttConnection,
  plan: ProbePlan,
  signal: AbortSignal,
): Promise<void> {
  // QoS 2 is PUBLISH → PUBREC → PUBREL → PUBCOMP (MQTT.js sends the PUBREL); a failing PUBREC ends it early.
  // The other level's first acknowledgement (a PUBACK to QoS 2, a PUBREC to QoS 1) is taken too, and named.
  const final = plan.qos === 2 ? 'pubcomp' : 'puback';
  const first = plan.qos === 2 ? 'pubrec' : 'puback';
  const wrong = plan.qos === 2 ? 'puback' : 'pubrec';
  const isAck = (packet: Packet): packet is PacketOf<'puback' | 'pubrec' | 'pubcomp'> =>
    packet.cmd === final ||
    packet.cmd === wrong ||
    (packet.cmd === 'pubrec' && (packet.reasonCode ?? 0) >= 0x80);
  const { packet, at } = await connection.nextPacket('puback', isAck, signal);
  scope.timeline.end('puback', at);
  const reasonCode = packet.reasonCode ?? 0;
  if (packet.cmd === wrong) {
    throw new PhaseFailure('puback', {
      kind: 'unexpected-packet',
      expected: first,
      received: wrong,
      ...(packet.reasonCode !== undefined ? { reasonCode } : {}),
    });
  }
  if (reasonCode >= 0x80) throw new PhaseFailure('puback', { kind: 'refused', reasonCode });
}

async function hold(
  scope: PhaseScope,
  connection: MqttConnection,
  plan: ProbePlan,
  facts: ProbeFacts,
): Promise<void> {
  const { timeline } = scope;
  const startedAt = timeline.now();
  timeline.start('hold', startedAt);
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<{ kind: 'aborted' }>((resolve) => {
    onAbort = () => resolve({ kind: 'aborted' });
    if (scope.signal?.aborted) onAbort();
    else scope.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const closed = connection
    .whenClosed(stop.signal)
    .then((closed) => ({ kind: 'closed' as const, error: closed.error }));
  try {
    const outcome = await Promise.race([
      closed,
      new Promise<{ kind: 'held' }>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'held' }), plan.holdMs);
      }),
      aborted,
    ]);
    facts.heldMs = Math.round(timeline.now() - startedAt);
    if (outcome.kind === 'held') {
      // A middlebox that forgets an idle connection sends neither FIN nor RST: the socket looks open until
      // something is sent. One PINGREQ, answered within the connack timeout, proves the connection still works.
      const waitedMs = plan.timeoutsMs.connack;
      const pong = connection
        .nextPacket('hold', isCmd('pingresp'), stop.signal)
        .then(() => ({ kind: 'alive' as const }));
      connection.client.sendPing();
      const answer = await Promise.race([
        pong,
        closed,
        aborted,
        new Promise<{ kind: 'silent' }>((resolve) => {
          timer = setTimeout(() => resolve({ kind: 'silent' }), waitedMs);
        }),
      ]);
      timeline.end('hold');
      if (answer.kind === 'silent') throw new PhaseFailure('hold', { kind: 'unanswered-ping', waitedMs });
      settleHold(answer);
      return;
    }
    timeline.end('hold');
    settleHold(outcome);
  } finally {
    clearTimeout(timer);
    stop.abort();
    if (onAbort) scope.signal?.removeEventListener('abort', onAbort);
  }
}

function describeDisconnect(packet: PacketOf<'disconnect'>): ServerDisconnect {
  const details: ServerDisconnect = { reasonCode: packet.reasonCode ?? 0 };
  // Named fields only: user properties stay out of the result.
  const { reasonString, serverReference } = packet.properties ?? {};
  if (reasonString !== undefined) details.reasonString = reasonString;
  if (serverReference !== undefined) details.serverReference = serverReference;
  return details;
}

/** Throws the hold's failure for a connection that closed or a probe that was stopped. */
function settleHold(
  outcome: { kind: 'alive' | 'held' } | { kind: 'closed'; error?: unknown } | { kind: 'aborted' },
) {
  if (outcome.kind === 'closed') throw new PhaseFailure('hold', { kind: 'closed', error: outcome.error });
  if (outcome.kind === 'aborted') throw new PhaseFailure('hold', { kind: 'aborted' });
}

function describeConnack(packet: PacketOf<'connack'>, version: number): ConnackDetails {
  const reasonCode = (version === 5 ? packet.reasonCode : packet.returnCode) ?? 0;
  const details: ConnackDetails = {
    protocolVersion: version,
    reasonCode,
    sessionPresent: packet.sessionPresent,
  };
  const p = packet.properties;
  if (version === 5 && p) {
    // Copy named fields only: authenticationData and user properties stay out of the result.
    details.properties = {
      maximumQoS: p.maximumQoS,
      retainAvailable: p.retainAvailable,
      maximumPacketSize: p.maximumPacketSize,
      receiveMaximum: p.receiveMaximum,
      topicAliasMaximum: p.topicAliasMaximum,
      serverKeepAlive: p.serverKeepAlive,
      assignedClientIdentifier: p.assignedClientIdentifier,
      reasonString: p.reasonString,
      wildcardSubscriptionAvailable: p.wildcardSubscriptionAvailable,
      subscriptionIdentifiersAvailable: p.subscriptionIdentifiersAvailable,
      sharedSubscriptionAvailable: p.sharedSubscriptionAvailable,
      serverReference: p.serverReference,
    };
    for (const key of Object.keys(details.properties) as Array<keyof typeof details.properties>) {
      if (details.properties[key] === undefined) delete details.properties[key];
    }
  }
  return details;
}
