// A stream between a client transport and aedes that applies AWS IoT's rules to each packet and delays replies.
import { Duplex } from 'node:stream';
import {
  AWS_LIMITS,
  type GateReason,
  type GateSession,
  type GateSettings,
  judgePacket,
} from './aws-rules.js';
import { FrameSplitter, MalformedPacketError } from './mqtt-frames.js';

// Largest packet that could be legal: the payload quota plus a topic, packet id and MQTT 5 properties.
const MAX_PACKET_BYTES = AWS_LIMITS.payloadBytes + 64 * 1024;

/** Called when the gate closes a connection or ignores a packet, with the reason. */
export type GateListener = (reason: GateReason) => void;

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
  #sendChain: Promise<void> = Promise.resolve();
  #closing = false;

  constructor(options: {
    transport: Duplex;
    session: GateSession;
    settings: () => GateSettings;
    onReason: GateListener;
  }) {
    super();
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
      this.#close('malformed-packet');
      return;
    }
    for (const frame of frames) {
      const verdict = judgePacket(frame, this.#session, this.#settings());
      if (verdict.action === 'forward') {
        if (!this.push(frame.raw)) this.#transport.pause();
        continue;
      }
      this.#onReason(verdict.reason);
      if (verdict.action === 'close') {
        this.#close(verdict.reason, verdict.reply);
        return;
      }
    }
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
    const delayMs = this.#settings().faults.phaseDelayMs;
    if (delayMs <= 0) {
      this.#outbound.push(chunk); // keep the splitter in step in case the delay is switched on later
      this.#transport.write(chunk);
      callback();
      return;
    }
    for (const frame of this.#outbound.push(chunk)) {
      this.#sendChain = this.#sendChain.then(
        () =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              this.#timers.delete(timer);
              if (!this.#closing && !this.#transport.destroyed) this.#transport.write(frame.raw);
              resolve();
            }, delayMs);
            this.#timers.add(timer);
          }),
      );
    }
    callback();
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
