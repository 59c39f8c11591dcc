// Turns a failure in an MQTT phase (connack … hold) into an mqtt.* diagnosis, starting from the bytes received.
import { ReasonCodes } from 'mqtt';
import type { Phase } from '../../scenario/phases.js';
import { type FailureOutcome, IncomingLimitError, toRawCause } from '../errors.js';
import { incomingLimits } from '../mqtt/incoming-limits.js';
import { looksLikeTlsRecord } from '../transport/cross-check-protocol.js';
import { errorCode, RESET_CODES } from './classify-network-error.js';
import { type Diagnosis, type EvidenceByCode, makeDiagnosis, rawWords } from './diagnosis.js';
import type { DiagnosisContext } from './diagnosis-context.js';

const MALFORMED =
  /^(Invalid|Malformed|Packet too short|Cannot parse|Not supported|Unknown (packet|command))/i;

/** The status line when the server answered in HTTP (`HTTP/1.1 400 Bad Request`), else undefined. */
export function httpStatusLine(firstBytes: Buffer | undefined): string | undefined {
  if (!firstBytes || firstBytes.length < 5) return undefined;
  if (firstBytes.subarray(0, 5).toString('latin1') !== 'HTTP/') return undefined;
  const text = firstBytes.toString('latin1');
  const end = text.search(/\r|\n/);
  return end === -1 ? text : text.slice(0, end);
}

/** MQTT reason or return code in words (MQTT 3.1.1 return codes 1–5 and MQTT 5 reason codes share the table). */
export function reasonText(reasonCode: number): string {
  const text = (ReasonCodes as Record<number, string | undefined>)[reasonCode];
  return text === undefined || text === '' ? `reason code ${reasonCode}` : text;
}

/** The ws package's error for a message above `maxPayload` (it closes with 1009). */
const WS_MESSAGE_TOO_LARGE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/** MQTT 5 DISCONNECT reason code: another connection with the same client ID took the session (§3.14.2.1). */
const SESSION_TAKEN_OVER = 0x8e;

/**
 * mqtt.packet-too-large when the ws package refused a message above the limit at its frame header, before
 * buffering it (the packet size guard's job, one layer up). ws reads messages only after `open`, so this is
 * always seen in an MQTT phase.
 */
function wsMessageTooLarge(phase: Phase, error: unknown, context: DiagnosisContext): Diagnosis | undefined {
  if (errorCode(error) !== WS_MESSAGE_TOO_LARGE) return undefined;
  return makeDiagnosis('mqtt.packet-too-large', {
    phase,
    packetType: 'WebSocket message',
    limitBytes: incomingLimits(context.plan).maxPacketBytes,
    advertised: context.plan.mqtt.version === 5,
  });
}

/**
 * CONNACK codes that refuse the protocol version: 3.1.1's return code 1 (also what a 3.1.1-only broker answers an
 * MQTT 5 CONNECT with) and MQTT 5's 0x84 Unsupported Protocol Version.
 */
const PROTOCOL_VERSION_REFUSED = new Set([0x01, 0x84]);

/** An mqtt.* diagnosis for a failure in an MQTT phase; errors it cannot place give mqtt.unknown. */
export function classifyMqttFailure(
  phase: Phase,
  outcome: FailureOutcome,
  context: DiagnosisContext,
): Diagnosis {
  const { plan, topic } = context;
  const statusLine = httpStatusLine(context.firstBytes);
  if (statusLine !== undefined) {
    // Decided on the bytes, not on MQTT.js's parser message: the server spoke HTTP.
    return makeDiagnosis('mqtt.http-response', {
      statusLine,
      offeredAlpn: [...plan.alpn],
      negotiatedAlpn: context.tls?.negotiatedAlpn,
      phase,
    });
  }
  if (outcome.kind === 'server-limit') {
    const { limit } = outcome;
    if (limit.name === 'maximumQoS') {
      return makeDiagnosis('mqtt.qos-not-supported', {
        phase,
        topic,
        requestedQos: limit.requestedQos,
        maximumQos: limit.allowed,
      });
    }
    return makeDiagnosis('mqtt.packet-over-server-limit', {
      phase,
      packetType: limit.packetType,
      packetBytes: limit.packetBytes,
      maximumPacketSize: limit.allowed,
    });
  }
  if (outcome.kind === 'unexpected-packet') {
    return makeDiagnosis('mqtt.unexpected-ack', {
      topic,
      qos: plan.qos,
      expected: outcome.expected,
      received: outcome.received,
      ...(outcome.reasonCode !== undefined ? { reasonCode: outcome.reasonCode } : {}),
    });
  }
  if (outcome.kind === 'unanswered-ping') {
    return makeDiagnosis('mqtt.silently-dropped', {
      heldMs: context.heldMs ?? plan.holdMs,
      keepaliveS: plan.mqtt.keepaliveS,
      waitedMs: outcome.waitedMs,
    });
  }
  const error = 'error' in outcome ? outcome.error : undefined;
  const cause = error === undefined ? undefined : toRawCause(error);
  const tlsPort = tlsPortEvidence(context);
  if (tlsPort) return makeDiagnosis('mqtt.tls-port', tlsPort, cause);
  // The server's own word on why the session ended explains the close (or silence) that follows it.
  if (context.serverDisconnect) {
    const { reasonCode, reasonString, serverReference } = context.serverDisconnect;
    if (reasonCode === SESSION_TAKEN_OVER) {
      return makeDiagnosis('mqtt.client-id-taken-over', {
        phase,
        clientId: context.clientId,
        clientIdFixed: context.clientIdFixed,
        ...(reasonString !== undefined ? { reasonString } : {}),
      });
    }
    return makeDiagnosis('mqtt.server-disconnect', {
      phase,
      reasonCode,
      reason: reasonText(reasonCode),
      ...(reasonString !== undefined ? { reasonString } : {}),
      ...(serverReference !== undefined ? { serverReference } : {}),
    });
  }
  if (error instanceof IncomingLimitError) {
    const { exceeded } = error;
    if (exceeded.kind === 'packet-size') {
      return makeDiagnosis('mqtt.packet-too-large', {
        phase,
        packetType: exceeded.packetType,
        announcedBytes: exceeded.announcedBytes,
        limitBytes: exceeded.limitBytes,
        advertised: plan.mqtt.version === 5,
      });
    }
    return makeDiagnosis('mqtt.unsolicited-flood', {
      phase,
      messages: exceeded.messages,
      bytes: exceeded.bytes,
      limitMessages: exceeded.limitMessages,
      limitBytes: exceeded.limitBytes,
      firstTopic: exceeded.firstTopic,
      ownTopic: exceeded.firstTopic === topic,
    });
  }
  const tooLarge = wsMessageTooLarge(phase, error, context);
  if (tooLarge) return tooLarge;
  const identity = context.clientIdFixed ? { fixedClientId: context.clientId } : {};
  const code = errorCode(error);
  const reset = code !== undefined && RESET_CODES.has(code);
  // A socket-level end (orderly close or reset) counts as the server closing; anything else is unrecognised.
  const closed = outcome.kind === 'closed' || reset;
  // mqtt-packet's parser errors ("Invalid header flag bits…", "Packet too short", …) mean bytes that are not MQTT.
  if (error instanceof Error && code === undefined && MALFORMED.test(error.message)) {
    return makeDiagnosis('mqtt.malformed-packet', { phase, parserMessage: error.message }, cause);
  }

  if (phase === 'connack') {
    if (outcome.kind === 'timeout')
      return makeDiagnosis('mqtt.connack-timeout', { waitedMs: outcome.waitedMs });
    if (outcome.kind === 'refused' && PROTOCOL_VERSION_REFUSED.has(outcome.reasonCode)) {
      return makeDiagnosis('mqtt.protocol-version-refused', {
        protocolVersion: plan.mqtt.version,
        reasonCode: outcome.reasonCode,
        reason: reasonText(outcome.reasonCode),
      });
    }
    if (outcome.kind === 'refused') {
      return makeDiagnosis('mqtt.connack-refused', {
        protocolVersion: plan.mqtt.version,
        reasonCode: outcome.reasonCode,
        reason: reasonText(outcome.reasonCode),
      });
    }
    if (closed) {
      return makeDiagnosis(
        'mqtt.closed-before-connack',
        {
          reset,
          tlsProtocol: context.tls?.protocol,
          clientCertPresented: plan.auth.type === 'x509',
          authType: plan.auth.type,
          ...identity,
          transport: plan.transport,
        },
        cause,
      );
    }
  }
  if (phase === 'suback') {
    if (outcome.kind === 'timeout') {
      return makeDiagnosis('mqtt.suback-timeout', {
        topic,
        requestedQos: plan.qos,
        waitedMs: outcome.waitedMs,
      });
    }
    if (outcome.kind === 'denied') {
      return makeDiagnosis('mqtt.suback-denied', {
        topic,
        requestedQos: plan.qos,
        reasonCode: outcome.reasonCode,
        reason: reasonText(outcome.reasonCode),
      });
    }
    if (closed) return makeDiagnosis('mqtt.closed-after-subscribe', { topic, reset, ...identity }, cause);
  }
  if (phase === 'puback') {
    if (outcome.kind === 'timeout') {
      return makeDiagnosis('mqtt.puback-timeout', { topic, qos: plan.qos, waitedMs: outcome.waitedMs });
    }
    if (outcome.kind === 'refused') {
      return makeDiagnosis('mqtt.publish-refused', {
        topic,
        qos: plan.qos,
        reasonCode: outcome.reasonCode,
        reason: reasonText(outcome.reasonCode),
      });
    }
    if (closed)
      return makeDiagnosis('mqtt.closed-after-publish', { topic, qos: plan.qos, reset, ...identity }, cause);
  }
  if (phase === 'receive') {
    if (outcome.kind === 'timeout')
      return makeDiagnosis('mqtt.receive-timeout', { topic, waitedMs: outcome.waitedMs });
    if (outcome.kind === 'mismatch') {
      return makeDiagnosis('mqtt.payload-mismatch', {
        topic,
        sentBytes: outcome.sent.length,
        receivedBytes: outcome.received.length,
        firstDifferenceAt: firstDifference(outcome.sent, outcome.received),
      });
    }
    if (closed)
      return makeDiagnosis('mqtt.closed-after-publish', { topic, qos: plan.qos, reset, ...identity }, cause);
  }
  if (phase === 'hold' && (closed || outcome.kind === 'error')) {
    // MQTT.js's "Keepalive timeout" (no PINGRESP) ends here too: the connection is gone either way.
    return makeDiagnosis(
      'mqtt.connection-dropped',
      { heldMs: context.heldMs ?? context.failedAfterMs, plannedMs: plan.holdMs, reset, ...identity },
      cause,
    );
  }
  return makeDiagnosis('mqtt.unknown', { phase, ...rawWords(cause) }, cause);
}

/**
 * Plain MQTT (or ws) to a TLS port: CONNECT was answered with a TLS record, or closed without a byte while a
 * ClientHello on a second connection got a ServerHello.
 */
function tlsPortEvidence(context: DiagnosisContext): EvidenceByCode['mqtt.tls-port'] | undefined {
  const { plan, firstBytes, crossCheck } = context;
  if (plan.transport !== 'mqtt' && plan.transport !== 'ws') return undefined;
  if (looksLikeTlsRecord(firstBytes)) {
    return { seen: 'tls-record', firstBytes: firstBytes!.subarray(0, 7).toString('hex') };
  }
  if (crossCheck?.spoke === 'tls' && crossCheck.answer === 'answered') return { seen: 'server-hello' };
  return undefined;
}

/** Index of the first differing byte, or -1 when one buffer is a prefix of the other. */
function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}
