// Opens the byte stream MQTT runs over, one timed phase after another: dns → tcp → [proxy] → [tls] → [ws].
import type { Duplex } from 'node:stream';
import type { ProbePlan } from '../scenario/plan.js';
import { openTcp } from './open-tcp.js';
import { openTls } from './open-tls.js';
import { PhaseFailure } from './phase-failure.js';
import type { Phase } from './phases.js';
import type { ProbeFacts } from './probe-facts.js';
import { type LookupFunction, resolveDns } from './resolve-dns.js';
import type { PhaseScope } from './run-phase.js';

/** Every socket or stream a probe opened, so that all of them are destroyed at the end whatever happened. */
export class OpenSockets {
  readonly #streams = new Set<Duplex>();
  /** Adopts a stream: keeps an error listener on it for its whole life, so no error is ever unhandled. */
  track = (stream: Duplex): void => {
    this.#streams.add(stream);
    stream.on('error', () => {
      // Each phase (and later MqttConnection) listens for the errors that concern it; this one only makes sure
      // an error arriving when no phase listens (after a timeout, during teardown) cannot crash the process.
    });
  };

  /** Destroys every socket and waits until each has closed, so the probe leaves no handle behind. */
  async destroyAll(): Promise<void> {
    const closing = [...this.#streams].map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (stream.closed) resolve();
          else stream.once('close', () => resolve());
          stream.destroy();
        }),
    );
    await Promise.all(closing);
  }
}

/** One layer over the connected stream (proxy tunnel, TLS, WebSocket): takes a stream, returns the next one. */
export interface TransportLayer {
  phase: Phase;
  open(scope: PhaseScope, stream: Duplex): Promise<Duplex>;
}

export interface OpenTransportOptions {
  plan: ProbePlan;
  facts: ProbeFacts;
  sockets: OpenSockets;
  /** Overrides `dns.lookup` (tests). */
  lookup?: LookupFunction;
}

/** The layers to stack over TCP for this plan, in order; a later issue adds `proxy` before and `ws` after TLS. */
export function transportLayers(options: OpenTransportOptions): TransportLayer[] {
  const { plan, facts, sockets } = options;
  const layers: TransportLayer[] = [];
  if (plan.transport === 'mqtts' || plan.transport === 'wss') {
    layers.push({
      phase: 'tls',
      open: (scope, stream) =>
        openTls(scope, { socket: stream, plan, timeoutMs: plan.timeoutsMs.tls, facts, track: sockets.track }),
    });
  }
  return layers;
}

/** The first part of the plan this version cannot run (proxy, WebSocket), as a failure; undefined if none. */
export function unsupportedPart(plan: ProbePlan): PhaseFailure | undefined {
  if (plan.proxy) return new PhaseFailure('proxy', { kind: 'unsupported', what: plan.proxy.display });
  if (plan.transport === 'ws' || plan.transport === 'wss') {
    return new PhaseFailure('ws', { kind: 'unsupported', what: plan.transport });
  }
  return undefined;
}

/** Runs dns, tcp and then each layer; resolves with the stream to hand to MQTT, or rejects with a PhaseFailure. */
export async function openTransport(scope: PhaseScope, options: OpenTransportOptions): Promise<Duplex> {
  const { plan, facts, sockets } = options;
  // Refuse what this version cannot do before touching the network.
  const unsupported = unsupportedPart(plan);
  if (unsupported) throw unsupported;
  const layers = transportLayers(options);
  const resolved = await resolveDns(scope, {
    host: plan.endpoint,
    timeoutMs: plan.timeoutsMs.dns,
    lookup: options.lookup,
  });
  facts.address = resolved.address;
  facts.family = resolved.family;
  let stream: Duplex = await openTcp(scope, {
    address: resolved.address,
    port: plan.port,
    timeoutMs: plan.timeoutsMs.tcp,
    track: sockets.track,
  });
  for (const layer of layers) stream = await layer.open(scope, stream);
  return stream;
}
