// Wraps one MqttClient over a stream we opened: received packets become awaitable, errors and close become failures.
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { type IClientOptions, MqttClient, type Packet } from 'mqtt';
import type { Phase } from '../../scenario/phases.js';
import { IncomingLimitError, PhaseFailure } from '../errors.js';
import { type IncomingLimits, PacketSizeGuard } from './incoming-limits.js';

/** How many bytes of the server's first answer to keep: enough for `HTTP/1.1 400 Bad Request`. */
const FIRST_BYTES = 64;

/** Packets other than PUBLISH kept for a waiter that comes later; older ones are dropped beyond this. */
const MAX_UNCLAIMED = 16;

/** A packet and the monotonic time it was parsed, so a phase ends when the packet came, not when we looked. */
export interface Arrival<T extends Packet = Packet> {
  packet: T;
  at: number;
}

interface Waiter {
  phase: Phase;
  accept: (packet: Packet) => boolean;
  resolve: (arrival: Arrival) => void;
  reject: (failure: PhaseFailure) => void;
}

/** One MQTT session on a stream that is already connected; MQTT.js never opens or reopens a socket itself. */
export class MqttConnection {
  readonly client: MqttClient;
  readonly #stream: Duplex;
  readonly #limits: IncomingLimits;
  readonly #waiters = new Set<Waiter>();
  readonly #unclaimed: Arrival[] = [];
  #firstBytes = Buffer.alloc(0);
  #streamError: unknown;
  #clientError: unknown;
  /** An oversized packet seen in the bytes, not yet acted on (the packets before it are still being handled). */
  #oversized: IncomingLimitError | undefined;
  /** The limit that ended the connection. */
  #limitError: IncomingLimitError | undefined;
  #unsolicited = { messages: 0, bytes: 0, firstTopic: '' };
  #closed = false;
  readonly #closeListeners = new Set<() => void>();

  /**
   * Creates the client, which sends CONNECT at once. `options` must not carry reconnect or transport settings;
   * `limits` bound what the server can make it hold.
   */
  constructor(stream: Duplex, options: IClientOptions, limits: IncomingLimits) {
    this.#stream = stream;
    this.#limits = limits;
    // Keep the socket's own error: TLS 1.3 alerts and resets carry their code here, even when MQTT.js drops them.
    stream.on('error', (error) => {
      this.#streamError ??= error;
    });
    // mqtt-packet buffers a packet until its announced length has arrived, and MQTT.js checks MQTT 5's Maximum
    // Packet Size only after that: the size is checked here, on the fixed header, before either has buffered it.
    const guard = new PacketSizeGuard(limits.maxPacketBytes);
    // Tap before MQTT.js pipes the stream, so the bytes are kept before its parser can choke on them (HTTP).
    stream.on('data', (chunk: Buffer) => {
      if (this.#firstBytes.length < FIRST_BYTES) {
        this.#firstBytes = Buffer.concat([this.#firstBytes, chunk]).subarray(0, FIRST_BYTES);
      }
      const oversized = guard.check(chunk);
      if (oversized) {
        const error = new IncomingLimitError({
          kind: 'packet-size',
          ...oversized,
          limitBytes: limits.maxPacketBytes,
        });
        // Known at once, so that MQTT.js's own Maximum Packet Size error (a whole packet in one chunk, as a
        // WebSocket message may bring) is reported as what it is.
        this.#oversized = error;
        // MQTT.js still parses the packets before the oversized one in this chunk (the rest of them on next
        // ticks): let them reach their waiters first. Until then the parser holds at most this event loop
        // turn's bytes.
        setImmediate(() => this.#exceed(error));
      }
    });
    this.client = new MqttClient(() => stream, {
      ...options,
      // Never reconnect: one probe is one connection, and its failure is the answer.
      reconnectPeriod: 0,
      reconnectOnConnackError: false,
      resubscribe: false,
      manualConnect: false,
    });
    this.client.on('packetreceive', (packet) => this.#onPacket(packet));
    this.client.on('error', (error) => {
      this.#clientError ??= error;
      this.#failAll(
        (phase) =>
          new PhaseFailure(phase, {
            kind: 'error',
            error: this.#limitError ?? this.#oversized ?? this.#streamError ?? error,
          }),
      );
    });
    this.client.on('close', () => {
      this.#closed = true;
      this.#failAll((phase) => new PhaseFailure(phase, { kind: 'closed', error: this.#closeError() }));
      for (const listener of this.#closeListeners) listener();
    });
  }

  /** PUBLISH packets that arrived without the probe asking for them (anything but its own echo). */
  get unsolicitedMessages(): number {
    return this.#unsolicited.messages;
  }

  /** The first bytes the server sent (up to 64), whatever they were. */
  get firstBytes(): Buffer {
    return this.#firstBytes;
  }

  /** True once the connection has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Waits for the next received packet that `accept` takes; rejects with a PhaseFailure of `phase` on close/error. */
  nextPacket<T extends Packet>(
    phase: Phase,
    accept: (packet: Packet) => packet is T,
    signal: AbortSignal,
  ): Promise<Arrival<T>> {
    const index = this.#unclaimed.findIndex((arrival) => accept(arrival.packet));
    if (index >= 0) return Promise.resolve(this.#unclaimed.splice(index, 1)[0] as Arrival<T>);
    if (this.#limitError)
      return Promise.reject(new PhaseFailure(phase, { kind: 'error', error: this.#limitError }));
    if (this.#closed)
      return Promise.reject(new PhaseFailure(phase, { kind: 'closed', error: this.#closeError() }));
    return new Promise<Arrival<T>>((resolve, reject) => {
      const waiter: Waiter = {
        phase,
        accept,
        resolve: (arrival) => resolve(arrival as Arrival<T>),
        reject,
      };
      this.#waiters.add(waiter);
      signal.addEventListener('abort', () => this.#waiters.delete(waiter), { once: true });
    });
  }

  /** Resolves when the connection closes, with the socket error if there was one; rejects never. */
  whenClosed(signal: AbortSignal): Promise<{ error?: unknown }> {
    if (this.#closed) return Promise.resolve({ error: this.#closeError() });
    return new Promise((resolve) => {
      const listener = () => resolve({ error: this.#closeError() });
      this.#closeListeners.add(listener);
      signal.addEventListener('abort', () => this.#closeListeners.delete(listener), { once: true });
    });
  }

  /**
   * Sends DISCONNECT and waits (at most `timeoutMs`, and no longer than `signal` allows) for the stream to close;
   * false if it had to be forced.
   */
  disconnect(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const force = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', force);
        this.destroy();
        resolve(false);
      };
      const timer = setTimeout(force, timeoutMs);
      if (signal?.aborted) return force();
      signal?.addEventListener('abort', force, { once: true });
      this.client.end(false, {}, () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', force);
        resolve(true);
      });
    });
  }

  /** Tears everything down at once: MQTT.js timers (keepalive, connack) and the stream. Safe to call twice. */
  destroy(): void {
    this.client.end(true);
    this.#stream.destroy();
  }

  /** Why the connection ended: a limit we enforced, else the socket's own error, else MQTT.js's. */
  #closeError(): unknown {
    return this.#limitError ?? this.#oversized ?? this.#streamError ?? this.#clientError;
  }

  #onPacket(packet: Packet): void {
    // MQTT.js still hands over the packets it had parsed when a limit closed the connection: they are not read.
    if (this.#limitError) return;
    const arrival = { packet, at: performance.now() };
    for (const waiter of this.#waiters) {
      if (waiter.accept(packet)) {
        this.#waiters.delete(waiter);
        waiter.resolve(arrival);
        return;
      }
    }
    if (packet.cmd === 'disconnect') {
      // The server has ended the session (MQTT 5): nothing more will come, so fail now rather than at a timeout
      // if it is slow to close. Deferred so MQTT.js and the round trip see the packet first.
      setImmediate(() => this.destroy());
      return;
    }
    if (packet.cmd === 'publish') {
      // Every waiter for a PUBLISH (the echo) listens before the probe publishes, so an unclaimed one can never
      // be claimed later: count it, never keep it.
      this.#countUnsolicited(packet);
      return;
    }
    this.#unclaimed.push(arrival);
    if (this.#unclaimed.length > MAX_UNCLAIMED) this.#unclaimed.shift();
  }

  #countUnsolicited(packet: Extract<Packet, { cmd: 'publish' }>): void {
    const seen = this.#unsolicited;
    if (seen.messages === 0) seen.firstTopic = packet.topic.toString();
    seen.messages++;
    seen.bytes += packet.length ?? 0;
    const { maxUnsolicitedMessages, maxUnsolicitedBytes } = this.#limits;
    if (seen.messages > maxUnsolicitedMessages || seen.bytes > maxUnsolicitedBytes) {
      this.#exceed(
        new IncomingLimitError({
          kind: 'unsolicited',
          ...seen,
          limitMessages: maxUnsolicitedMessages,
          limitBytes: maxUnsolicitedBytes,
        }),
      );
    }
  }

  /** Ends the connection because of a limit: every waiter, and the close, fail with `error`. */
  #exceed(error: IncomingLimitError): void {
    if (this.#limitError || this.#closed) return;
    this.#limitError = error;
    this.#failAll((phase) => new PhaseFailure(phase, { kind: 'error', error }));
    this.destroy();
  }

  #failAll(failure: (phase: Phase) => PhaseFailure): void {
    for (const waiter of this.#waiters) waiter.reject(failure(waiter.phase));
    this.#waiters.clear();
  }
}
