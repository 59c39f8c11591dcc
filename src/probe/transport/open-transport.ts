// Opens the byte stream MQTT runs over, one timed phase after another: dns → tcp → [proxy] → [tls] → [ws].
import type { Duplex } from 'node:stream';
import { type Phase, plannedPhases } from '../../scenario/phases.js';
import type { ProbePlan } from '../../scenario/plan.js';
import { PhaseFailure } from '../errors.js';
import { incomingLimits } from '../mqtt/incoming-limits.js';
import type { ProbeFacts } from '../result.js';
import type { PhaseScope } from '../run-phase.js';
import type { SigV4Identity } from './aws-credentials.js';
import { openHttpProxy } from './open-http-proxy.js';
import { openTcp } from './open-tcp.js';
import { openTls } from './open-tls.js';
import { type ProxyAddress, proxyAddress } from './proxy-address.js';
import { addressPerFamily, type LookupFunction, resolveDns } from './resolve-dns.js';
import type { WebSocketRequest } from './websocket-request.js';

// SOCKS (socks, ip-address), WebSocket (ws) and SigV4 signing (@smithy, @aws-crypto) load only for the plans that
// use them: a plain mqtts run starts about 40 ms sooner (bench/run.ts). openTransport loads them before dns, so a
// phase never times a module load; the layers' own import() then finds them already loaded.
const loadSocks = () => import('./open-socks-proxy.js');
const loadWebSocket = () => import('./open-websocket.js');

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
  /** Replaces the AWS SDK's credential chain for sigv4 plans (tests, or one resolution shared by many probes). */
  resolveIdentity?: (auth: { region?: string; profile?: string }) => Promise<SigV4Identity>;
}

/** Where TCP goes: the proxy when there is one (the proxy phase then reaches the endpoint), else the endpoint. */
export interface FirstHop {
  host: string;
  port: number;
  proxy?: ProxyAddress;
}

/** The first hop for this plan; a proxy URL whose scheme the probe cannot speak is a proxy failure. */
export function firstHop(plan: ProbePlan): FirstHop {
  if (!plan.proxy) return { host: plan.endpoint, port: plan.port };
  const proxy = proxyAddress(plan.proxy);
  if (!proxy) throw new PhaseFailure('proxy', { kind: 'unsupported', what: plan.proxy.display });
  return { host: proxy.host, port: proxy.port, proxy };
}

/** The layers to stack over TCP for this plan, in order: [proxy] → [tls] → [ws]. */
export function transportLayers(
  options: OpenTransportOptions & { proxy?: ProxyAddress; wsRequest?: WebSocketRequest },
): TransportLayer[] {
  const { plan, facts, sockets, proxy, wsRequest } = options;
  const layers: TransportLayer[] = [];
  const phases = plannedPhases(plan);
  if (proxy && phases.includes('proxy')) {
    const display = plan.proxy?.display ?? '';
    facts.proxy = { url: display };
    const target = { host: plan.endpoint, port: plan.port };
    const onAnswer = (answer: string) => {
      facts.proxy = { url: display, answer };
    };
    layers.push({
      phase: 'proxy',
      open: async (scope, socket) =>
        proxy.kind === 'socks4' || proxy.kind === 'socks5'
          ? (await loadSocks()).openSocksProxy(scope, {
              socket,
              proxy: { ...proxy, kind: proxy.kind },
              target,
              onAnswer,
            })
          : openHttpProxy(scope, { socket, proxy, target, track: sockets.track, onAnswer }),
    });
  }
  if (phases.includes('tls')) {
    layers.push({
      phase: 'tls',
      open: (scope, stream) => openTls(scope, { socket: stream, plan, facts, track: sockets.track }),
    });
  }
  if (wsRequest && phases.includes('ws')) {
    layers.push({
      phase: 'ws',
      open: async (scope, stream) =>
        (await loadWebSocket()).openWebSocket(scope, {
          stream,
          request: wsRequest,
          maxMessageBytes: incomingLimits(plan).maxPacketBytes,
          track: sockets.track,
          onAnswer: (details) => {
            facts.ws = details;
          },
        }),
    });
  }
  return layers;
}

/**
 * Loads the modules a plan's transport needs (SOCKS, WebSocket, SigV4 signing and the AWS SDK) before any probe
 * runs: a module load is hundreds of ms of CPU that would otherwise stall the event loop inside other probes' timed
 * windows. Never throws: a plan that cannot load them fails in its own probe, with a diagnosis.
 */
export async function prepareTransport(plan: ProbePlan): Promise<void> {
  try {
    const kind = plan.proxy?.kind;
    if (kind === 'socks4' || kind === 'socks5') await loadSocks();
    if (plan.transport === 'ws' || plan.transport === 'wss') {
      await Promise.all([import('./websocket-request.js'), loadWebSocket()]);
      if (plan.auth.type === 'sigv4') await import('@aws-sdk/client-iot');
    }
  } catch {
    // The probe loads them again and turns the same error into its diagnosis.
  }
}

/** Runs dns, tcp and then each layer; resolves with the stream to hand to MQTT, or rejects with a PhaseFailure. */
export async function openTransport(scope: PhaseScope, options: OpenTransportOptions): Promise<Duplex> {
  const { plan, facts, sockets } = options;
  // Everything that needs no network (the proxy URL, signing a WebSocket URL) is settled before dns starts,
  // so that a bad setting fails at once and loading the AWS SDK never counts as network time.
  const hop = firstHop(plan);
  const wsRequest =
    plan.transport === 'ws' || plan.transport === 'wss'
      ? await (await import('./websocket-request.js')).webSocketRequest({
          plan,
          resolveIdentity: options.resolveIdentity,
        })
      : undefined;
  if (wsRequest) await loadWebSocket();
  if (hop.proxy?.kind === 'socks4' || hop.proxy?.kind === 'socks5') await loadSocks();
  const layers = transportLayers({ ...options, proxy: hop.proxy, wsRequest });
  // Through a proxy, dns and tcp concern the proxy: the proxy resolves and dials the endpoint itself.
  const resolved = await resolveDns(scope, { host: hop.host, lookup: options.lookup });
  facts.resolvedAddresses = resolved.map((r) => r.address);
  const tried = addressPerFamily(resolved);
  facts.address = tried[0]?.address;
  facts.family = tried[0]?.family;
  const tcp = await openTcp(scope, {
    addresses: tried,
    port: hop.port,
    track: sockets.track,
    onRace: (attempts) => {
      facts.tcpRace = attempts;
    },
  });
  facts.address = tcp.address.address;
  facts.family = tcp.address.family;
  let stream: Duplex = tcp.socket;
  for (const layer of layers) stream = await layer.open(scope, stream);
  return stream;
}
