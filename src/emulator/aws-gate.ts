// A stream between a client transport and aedes that applies AWS IoT's rules to each packet and delays replies.
import { Duplex } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import { v3ConnackAsV5 } from '../scenario/mqtt-reason-codes.js';
import {
  AWS_LIMITS,
  checkTopic,
  type GateReason,
  type GateSession,
  type GateSettings,
  judgeFilter,
  judgePacket,
} from './aws-rules.js';
import {
  decodeConnect,
  type Frame,
  FrameSplitter,
  frameOf,
  MalformedPacketError,
  PACKET,
  PacketTooLargeError,
} from './mqtt-frames.js';
import {
  type BridgeAction,
  encodeConnackV5,
  encodeDisconnect,
  Mqtt5Bridge,
  parseFrame,
  REASON,
  reasonCodeFor,
} from './mqtt5-bridge.js';

// Largest packet that could be legal: the payload quota plus a topic, packet id and MQTT 5 properties.
const MAX_PACKET_BYTES = AWS_LIMITS.payloadBytes + 64 * 1024;

// How long close() waits for a DISCONNECT 0x8B to reach a client's socket before closing it anyway.
const SHUTDOWN_FLUSH_MS = 1000;

/** Called when the gate closes a connection or ignores a packet, with the reason. */
export type GateListener = (reason: GateReason) => void;

/**
 * The emulator's live connections by client ID, and which protocol owns each stored session: a new connection
 * with a client ID in use takes the session over (MQTT 5: DISCONNECT 0x8E), and an MQTT 3.1.1 session and an
 * MQTT 5 session do not resume each other.
 */
export class GateRegistry {
  readonly gates = new Set<AwsGate>();
  readonly #byClientId = new Map<string, AwsGate>();
  readonly #sessionProtocol = new Map<string, 4 | 5>();

  /** True when a stored session for `clientId` was made by the other protocol, so it must not be resumed. */
  otherProtocol(clientId: string, protocolLevel: number): boolean {
    const owner = this.#sessionProtocol.get(clientId);
    return owner !== undefined && owner !== (protocolLevel === 5 ? 5 : 4);
  }

  /** Records `gate` as the connection of `clientId`; the previous one is taken over. */
  claim(clientId: string, gate: AwsGate, options: { protocolLevel: number; clean: boolean }): void {
    const previous = this.#byClientId.get(clientId);
    this.#byClientId.set(clientId, gate);
    if (options.clean) this.#sessionProtocol.delete(clientId);
    else this.#sessionProtocol.set(clientId, options.protocolLevel === 5 ? 5 : 4);
    if (previous && previous !== gate) previous.takenOver();
  }

  /** Forgets a closed gate. */
  forget(gate: AwsGate): void {
    this.gates.delete(gate);
    for (const [clientId, owner] of this.#byClientId) if (owner === gate) this.#byClientId.delete(clientId);
  }
}

/**
 * Presents `transport` to aedes as its connection. Inbound packets pass through `judgePacket`;
 * outbound packets are held `phaseDelayMs` each, one after another, when that fault is on.
 */
export class AwsGate extends Duplex {
  readonly #transport: Duplex;
  readonly #session: GateSession;
  readonly #settings: () => GateSettings;
  readonly #onReason: GateListener;
  readonly #inbound = new FrameSplitter(MAX_PACKET_BYTES);
  readonly #outbound = new FrameSplitter(Number.MAX_SAFE_INTEGER);
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #registry: GateRegistry;
  /** Set by an MQTT 5 CONNECT: the client then speaks MQTT 5 and aedes 3.1.1. */
  #bridge: Mqtt5Bridge | undefined;
  #sendChain: Promise<void> = Promise.resolve();
  #closing = false;

  constructor(options: {
    transport: Duplex;
    session: GateSession;
    settings: () => GateSettings;
    onReason: GateListener;
    registry: GateRegistry;
  }) {
    super();
    this.#registry = options.registry;
    this.#registry.gates.add(this);
    this.once('close', () => this.#registry.forget(this));
    this.#transport = options.transport;
    this.#session = options.session;
    this.#settings = options.settings;
    this.#onReason = options.onReason;
    this.#transport.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#transport.on('end', () => this.push(null));
    this.#transport.on('close', () => this.destroy());
    this.#transport.on('error', (error: Error) => this.destroy(error));
  }

  #receive(chunk: Buffer): void {
    if (this.#closing) return;
    let frames: ReturnType<FrameSplitter['push']>;
    try {
      frames = this.#inbound.push(chunk);
    } catch (error) {
      if (!(error instanceof MalformedPacketError)) throw error;
      const code = error instanceof PacketTooLargeError ? REASON.packetTooLarge : REASON.malformedPacket;
      this.#close('malformed-packet', this.#bridge ? encodeDisconnect(code) : undefined);
      return;
    }
    for (const frame of frames) {
      if (frame.type === PACKET.connect) this.#receiveConnect(frame);
      else if (this.#bridge) this.#receiveV5(frame, this.#bridge);
      else this.#receiveV3(frame);
      if (this.#closing) return;
    }
  }

  #receiveV3(frame: Frame): void {
    {
      const verdict = judgePacket(frame, this.#session, this.#settings());
      if (verdict.action === 'forward') {
        this.#toBroker(frame.raw);
        return;
      }
      this.#onReason(verdict.reason);
      if (verdict.action === 'close') this.#close(verdict.reason, verdict.reply);
    }
  }

  // CONNECT (either protocol): AWS's rules, then the session registry; MQTT 5 refusals carry a reason code.
  #receiveConnect(frame: Frame): void {
    const settings = this.#settings();
    const verdict = judgePacket(frame, this.#session, settings);
    const level = this.#session.protocolLevel;
    if (level === 5) this.#bridge ??= new Mqtt5Bridge(this.#onReason);
    if (verdict.action !== 'forward') {
      this.#onReason(verdict.reason);
      if (verdict.action === 'drop') return;
      if (!this.#bridge) {
        this.#close(verdict.reason, verdict.reply);
        return;
      }
      const code =
        verdict.reason === 'fault-connack-refusal' && settings.faults.connackRefusal !== null
          ? v3ConnackAsV5(settings.faults.connackRefusal)
          : reasonCodeFor(verdict.reason);
      this.#close(verdict.reason, code === undefined ? undefined : encodeConnackV5(code));
      return;
    }
    let clientId: string;
    let raw = frame.raw;
    let clean: boolean;
    try {
      clientId = decodeConnect(frame).clientId.toString('utf8');
      const forceClean = this.#registry.otherProtocol(clientId, level);
      if (this.#bridge) {
        const action = this.#bridge.connect(frame, {
          forceClean,
          willTopicOk: (topic) => checkTopic(topic, Buffer.byteLength(topic)) === undefined,
        });
        if (action.kind !== 'broker') {
          this.#act(action);
          return;
        }
        raw = action.raw;
      } else if (forceClean) {
        const packet = parseFrame(frame.raw, level);
        if (packet.cmd === 'connect') packet.clean = true;
        raw = mqttPacket.generate(packet, { protocolVersion: level });
      }
      const forwarded = parseFrame(raw, this.#bridge ? 4 : level);
      clean = forwarded.cmd !== 'connect' || forwarded.clean !== false;
    } catch {
      this.#close('malformed-packet', this.#bridge ? encodeDisconnect(REASON.malformedPacket) : undefined);
      return;
    }
    if (clientId.length > 0) this.#registry.claim(clientId, this, { protocolLevel: level, clean });
    this.#toBroker(raw);
  }

  // An MQTT 5 packet after CONNECT: translated to 3.1.1, judged as AWS would, answered with a reason code.
  #receiveV5(frame: Frame, bridge: Mqtt5Bridge): void {
    const settings = this.#settings();
    try {
      if (frame.type === PACKET.publish) {
        const translated = bridge.publish(frame);
        if (translated.kind !== 'publish') {
          this.#act(translated);
          return;
        }
        const verdict = judgePacket(
          frameOf(translated.raw),
          { ...this.#session, protocolLevel: 4 },
          settings,
        );
        if (verdict.action === 'forward') {
          this.#toBroker(translated.raw);
          return;
        }
        this.#onReason(verdict.reason);
        if (verdict.action === 'drop') return;
        const code = reasonCodeFor(verdict.reason);
        if (code === undefined) {
          this.#close(verdict.reason);
          return;
        }
        // A QoS 1 PUBLISH is refused in its PUBACK and the session goes on; QoS 0 has no answer but DISCONNECT.
        if (translated.qos === 1 && code !== REASON.packetTooLarge) {
          this.#send(
            mqttPacket.generate(
              { cmd: 'puback', messageId: translated.messageId, reasonCode: code },
              { protocolVersion: 5 },
            ),
          );
          return;
        }
        this.#close(verdict.reason, encodeDisconnect(code));
        return;
      }
      if (frame.type === PACKET.subscribe) {
        if (settings.faults.closeOnSubscribe) {
          this.#onReason('fault-close-on-subscribe');
          this.#close('fault-close-on-subscribe');
          return;
        }
        const action = bridge.subscribe(frame, (filter, bytes) => judgeFilter(filter, bytes, settings));
        if (action.kind === 'none') this.#onReason('qos2-ignored');
        this.#act(action);
        return;
      }
      this.#act(bridge.other(frame));
    } catch {
      this.#onReason('malformed-packet');
      this.#close('malformed-packet', encodeDisconnect(REASON.malformedPacket));
    }
  }

  #act(action: BridgeAction): void {
    switch (action.kind) {
      case 'broker':
        this.#toBroker(action.raw);
        break;
      case 'client':
        this.#send(action.raw);
        break;
      case 'none':
        break;
      case 'end':
        // DISCONNECT 0x04: the transport closes without a DISCONNECT to aedes, so that it publishes the will.
        this.#closing = true;
        this.#transport.end();
        this.push(null);
        break;
      case 'refuse':
        this.#onReason(action.reason);
        this.#close(action.reason, action.raw);
        break;
      case 'disconnect':
        this.#onReason(action.reason);
        this.#close(action.reason, encodeDisconnect(action.reasonCode));
        break;
    }
  }

  #toBroker(raw: Buffer): void {
    if (!this.push(raw)) this.#transport.pause();
  }

  /** A newer connection with this client ID took the session over: MQTT 5 clients are told so (0x8E). */
  takenOver(): void {
    if (this.#closing) return;
    this.#onReason('session-taken-over');
    // MQTT 3.1.1: aedes closes the old connection itself.
    if (this.#bridge) this.#close('session-taken-over', encodeDisconnect(REASON.sessionTakenOver));
  }

  /** The emulator is stopping: MQTT 5 clients get DISCONNECT 0x8B. Resolves when it is handed to the socket. */
  shutdown(): Promise<void> {
    if (this.#closing || !this.#bridge || this.#transport.destroyed) return Promise.resolve();
    this.#closing = true;
    return new Promise((resolve) => {
      // A client that stopped reading must not hold the emulator's close() forever.
      const timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
      this.#transport.write(encodeDisconnect(REASON.serverShuttingDown), () => {
        clearTimeout(timer);
        resolve();
      });
      this.#transport.end();
      this.push(null);
    });
  }

  // Ends the connection the way AWS does: no DISCONNECT, no reason, just the transport closing.
  #close(_reason: GateReason, reply?: Buffer): void {
    this.#closing = true;
    if (reply) this.#transport.write(reply);
    this.#transport.end();
    this.push(null);
  }

  override _read(): void {
    this.#transport.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#closing) {
      callback();
      return;
    }
    try {
      for (const frame of this.#outbound.push(chunk)) {
        this.#send(this.#bridge ? this.#bridge.toClient(frame) : frame.raw);
      }
    } catch (error) {
      // aedes sent something mqtt-packet cannot translate: a bug to see, not a hang.
      callback(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    callback();
  }

  // Sends one packet to the client, after `phaseDelayMs` and the packets before it when that fault is on.
  #send(raw: Buffer): void {
    const delayMs = this.#settings().faults.phaseDelayMs;
    if (delayMs <= 0) {
      this.#transport.write(raw);
      return;
    }
    this.#sendChain = this.#sendChain.then(
      () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            if (!this.#closing && !this.#transport.destroyed) this.#transport.write(raw);
            resolve();
          }, delayMs);
          this.#timers.add(timer);
        }),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#transport.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    // After a deliberate close the transport is already ending; let its last bytes (a CONNACK refusal) flush.
    if (!this.#transport.destroyed && !this.#transport.writableEnded) this.#transport.destroy();
    callback(error);
  }
}
