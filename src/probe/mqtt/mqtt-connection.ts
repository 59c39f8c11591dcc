// Wraps one MqttClient over a stream we opened: received packets become awaitable, errors and close become failures.
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { type IClientOptions, MqttClient, type Packet } from 'mqtt';
import type { Phase } from '../../scenario/phases.js';
import { PhaseFailure } from '../errors.js';

/** How many bytes of the server's first answer to keep: enough for `HTTP/1.1 400 Bad Request`. */
const FIRST_BYTES = 64;

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
  readonly #waiters = new Set<Waiter>();
  readonly #unclaimed: Arrival[] = [];
  #firstBytes = Buffer.alloc(0);
  #streamError: unknown;
  #clientError: unknown;
  #closed = false;
  readonly #closeListeners = new Set<() => void>();

  /** Creates the client, which sends CONNECT at once. `options` must not carry reconnect or transport settings. */
  constructor(stream: Duplex, options: IClientOptions) {
    this.#stream = stream;
    // Keep the socket's own error: TLS 1.3 alerts and resets carry their code here, even when MQTT.js drops them.
    stream.on('error', (error) => {
      this.#streamError ??= error;
    });
    // Tap before MQTT.js pipes the stream, so the bytes are kept before its parser can choke on them (HTTP).
    stream.on('data', (chunk: Buffer) => {
      if (this.#firstBytes.length < FIRST_BYTES) {
        this.#firstBytes = Buffer.concat([this.#firstBytes, chunk]).subarray(0, FIRST_BYTES);
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
      this.#failAll((phase) => new PhaseFailure(phase, { kind: 'error', error: this.#streamError ?? error }));
    });
    this.client.on('close', () => {
      this.#closed = true;
      this.#failAll(
        (phase) => new PhaseFailure(phase, { kind: 'closed', error: this.#streamError ?? this.#clientError }),
      );
      for (const listener of this.#closeListeners) listener();
    });
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
    if (this.#closed) {
      return Promise.reject(
        new PhaseFailure(phase, { kind: 'closed', error: this.#streamError ?? this.#clientError }),
      );
    }
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
    if (this.#closed) return Promise.resolve({ error: this.#streamError ?? this.#clientError });
    return new Promise((resolve) => {
      const listener = () => resolve({ error: this.#streamError ?? this.#clientError });
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

  #onPacket(packet: Packet): void {
    const arrival = { packet, at: performance.now() };
    for (const waiter of this.#waiters) {
      if (waiter.accept(packet)) {
        this.#waiters.delete(waiter);
        waiter.resolve(arrival);
        return;
      }
    }
    this.#unclaimed.push(arrival);
  }

  #failAll(failure: (phase: Phase) => PhaseFailure): void {
    for (const waiter of this.#waiters) waiter.reject(failure(waiter.phase));
    this.#waiters.clear();
  }
}
