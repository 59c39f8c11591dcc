// The embedded AWS-IoT-like endpoint: TLS listeners for "8883" and "443", an aedes broker, and a control-plane stub.
import { EventEmitter, once } from 'node:events';
import type http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { Aedes } from 'aedes';
import { AwsGate, GateRegistry } from './aws-gate.js';
import type { GateReason, TransportAuth } from './aws-rules.js';
import { createCa, createClientCert, createServerCert } from './certificates.js';
import { clientHelloSni, UNRECOGNIZED_NAME_ALERT } from './client-hello.js';
import { createControlPlane } from './control-plane.js';
import { createHttpsResponder, type UpgradeRefusal } from './https-responder.js';
import {
  type CustomAuthorizerCredentials,
  DEFAULT_CUSTOM_AUTHORIZER,
  DEFAULT_SIGV4,
  type EmulatorFaults,
  type EmulatorOptions,
  type EmulatorPolicies,
  NO_FAULTS,
  type ServerCertMode,
  type SigV4Credentials,
} from './options.js';
import { allowedBy, topicMatches } from './policy.js';

export type { GateReason } from './aws-rules.js';
export type { CertificateAndKey, CertificateAuthority } from './certificates.js';
export { createCa, createClientCert, createServerCert } from './certificates.js';
export type {
  ConnackRefusal,
  CustomAuthorizerCredentials,
  EmulatorFaults,
  EmulatorOptions,
  EmulatorPolicies,
  ServerCertMode,
  SigV4Credentials,
} from './options.js';
export { presignWebSocketUrl } from './sigv4-presigned.js';

/** ALPN protocols the "443" listener accepts, as AWS IoT does; any other list gets alert 120. */
export const ALPN_PROTOCOLS = ['x-amzn-mqtt-ca', 'mqtt', 'x-amzn-http-ca', 'http/1.1'] as const;

/**
 * Why a connection was refused or a packet ignored: a gate reason (MQTT rules), a refused WebSocket upgrade
 * (`ws-…`), a TLS client error with Node's code (`tls-<code>`), a missing client certificate on x-amzn-mqtt-ca, or
 * a missing SNI.
 */
export type RefusalReason =
  | GateReason
  | UpgradeRefusal
  | `tls-${string}`
  | 'client-cert-rejected'
  | 'sni-missing';

/** A running emulator. */
export interface Emulator {
  /** The address it listens on. */
  host: string;
  /** The host name in the server certificate's SAN (with `localhost` and `127.0.0.1`); use it as SNI. */
  hostname: string;
  ports: {
    /** TLS with a required client certificate, like AWS's 8883. */
    mqtts: number;
    /** The ALPN multiplexer, like AWS's 443. */
    alpn: number;
    /** HTTP control-plane stub (DescribeEndpoint). */
    controlPlane: number;
  };
  /** PEM of the emulator's CA: trust it as the server CA. */
  ca: string;
  /** A client certificate and key signed by that CA, accepted on "8883" and on "443" with x-amzn-mqtt-ca. */
  client: { cert: string; key: string };
  credentials: { sigv4: SigV4Credentials; customAuthorizer: CustomAuthorizerCredentials };
  /** `http://HOST:PORT`, for `new IoTClient({ endpoint })`. */
  controlPlaneUrl: string;
  /** The fault switches now in force. */
  readonly faults: EmulatorFaults;
  /** Changes fault switches; they apply to the next connection or packet. */
  setFaults(faults: Partial<EmulatorFaults>): void;
  /** Replaces the policies; they apply to the next packet. */
  setPolicies(policies: EmulatorPolicies): void;
  /** Emits `refused` with a `RefusalReason` each time the emulator closes a connection or ignores a packet. */
  events: EventEmitter<{ refused: [reason: RefusalReason] }>;
  /** Stops listening, closes every connection and the broker; resolves when all sockets are gone. */
  close(): Promise<void>;
}

/** The emulator could not listen where it was asked to (a port in use, an address not on this machine). */
export class EmulatorListenError extends Error {
  constructor(
    /** Which listener: `mqtts`, `alpn` or `controlPlane`. */
    readonly listener: string,
    readonly host: string,
    readonly port: number,
    /** The errno code, e.g. `EADDRINUSE`, `EADDRNOTAVAIL`, `EACCES`. */
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(`cannot listen on ${host}:${port} (${code})`, options);
    this.name = 'EmulatorListenError';
  }
}

async function listen(server: net.Server, port: number, host: string, listener: string): Promise<number> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    throw new EmulatorListenError(listener, host, port, (error as NodeJS.ErrnoException).code ?? 'error', {
      cause: error,
    });
  }
  return (server.address() as AddressInfo).port;
}

/** Starts the emulator: generates its certificates, starts the broker and listens on every port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const hostname = options.hostname ?? 'localhost';
  const sigv4 = options.sigv4 ?? DEFAULT_SIGV4;
  const customAuthorizer = options.customAuthorizer ?? DEFAULT_CUSTOM_AUTHORIZER;
  let faults: EmulatorFaults = { ...NO_FAULTS, ...options.faults };
  let policies: EmulatorPolicies = options.policies ?? {};
  const events = new EventEmitter<{ refused: [reason: RefusalReason] }>();
  const refused = (reason: RefusalReason) => events.emit('refused', reason);

  const ca = await createCa();
  const rogueCa = await createCa({ commonName: 'Corporate TLS Inspection CA' });
  const [server, client, untrusted, expired, wrongHost] = await Promise.all([
    createServerCert(ca, { hostname }),
    createClientCert(ca),
    createServerCert(rogueCa, { hostname }),
    createServerCert(ca, { hostname, expired: true }),
    createServerCert(ca, { hostname: 'wrong-host.invalid', altNames: ['wrong-host.invalid'] }),
  ]);
  const serverCerts: Record<ServerCertMode, { cert: string; key: string }> = {
    valid: server,
    // A middlebox re-signs with its own CA and shows its chain; the client only trusts the emulator CA.
    untrusted: { cert: untrusted.cert + rogueCa.cert, key: untrusted.key },
    expired,
    'wrong-host': wrongHost,
  };
  const contextFor = (mode: ServerCertMode): tls.SecureContextOptions => ({
    ...serverCerts[mode],
    ca: ca.cert,
  });

  const broker = await Aedes.createBroker({
    // iot:Receive: a message the policy does not allow is silently not delivered.
    authorizeForward: (_client, packet) =>
      faults.neverDeliver || !allowedBy(policies.receive, packet.topic, topicMatches) ? null : packet,
  });

  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const track = (timer: NodeJS.Timeout) => {
    timers.add(timer);
  };
  let closing = false;

  const registry = new GateRegistry();
  const handleMqtt = (transport: Duplex, transportAuth: TransportAuth) => {
    const gate = new AwsGate({
      registry,
      transport,
      session: { protocolLevel: 4, transportAuth },
      settings: () => ({ faults, policies, customAuthorizer }),
      onReason: refused,
    });
    broker.handle(gate);
  };

  const responder = createHttpsResponder({
    sigv4,
    customAuthorizer,
    policies: () => policies,
    phaseDelayMs: () => faults.phaseDelayMs,
    now: () => new Date(Date.now() + faults.clockSkewMs),
    onMqttWebSocket: (stream, auth) => handleMqtt(stream, auth),
    publish: (topic, payload, qos) =>
      new Promise((resolve, reject) =>
        broker.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false }, (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    onRefused: refused,
    track,
  });

  // "8883": the client certificate is required during the handshake.
  const mqttsTls = tls.createServer({
    ...contextFor(faults.serverCert),
    requestCert: true,
    rejectUnauthorized: true,
  });
  mqttsTls.on('secureConnection', (socket: tls.TLSSocket) => handleMqtt(socket, 'x509'));

  // "443": one TLS listener; the ALPN the client offers picks MQTT with a certificate, MQTT with a custom
  // authorizer, or HTTPS. The certificate is requested but checked per route, as only x-amzn-mqtt-ca needs it.
  const alpnTls = tls.createServer({
    ...contextFor(faults.serverCert),
    requestCert: true,
    rejectUnauthorized: false,
    ALPNCallback: ({ protocols }) => protocols.find((p) => (ALPN_PROTOCOLS as readonly string[]).includes(p)),
  });
  alpnTls.on('secureConnection', (socket: tls.TLSSocket) => {
    switch (socket.alpnProtocol) {
      case 'x-amzn-mqtt-ca':
        if (!socket.authorized) {
          refused('client-cert-rejected');
          socket.destroy();
          return;
        }
        return handleMqtt(socket, 'x509');
      case 'mqtt':
        return handleMqtt(socket, 'custom-authorizer');
      default:
        responder.server.emit('connection', socket);
    }
  });
  for (const tlsServer of [mqttsTls, alpnTls]) {
    tlsServer.on('tlsClientError', (error: NodeJS.ErrnoException) => refused(`tls-${error.code ?? 'error'}`));
  }

  // Plain TCP front doors, so that faults can act before TLS starts. pauseOnConnect keeps the ClientHello
  // unread in the kernel until the TLS server takes the socket over.
  const frontDoor = (tlsServer: tls.Server) =>
    net.createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      // Errors surface as `close`, which is all the emulator needs; the peer sees them itself.
      socket.on('error', () => {});
      socket.setNoDelay(true);
      if (closing) return void socket.destroy();
      if (faults.stallTlsHandshake) return;
      const toTls = () => {
        if (!socket.destroyed) tlsServer.emit('connection', socket);
      };
      const handOver = () => (faults.refuseWithoutSni ? requireSni(socket, toTls) : toTls());
      if (faults.phaseDelayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          handOver();
        }, faults.phaseDelayMs);
        track(timer);
      } else handOver();
    });
  // Node's TLS server has no hook that sees a ClientHello without SNI (SNICallback runs only with one), so the
  // front door reads the ClientHello itself, answers one without SNI with the unrecognized_name alert before any
  // ServerHello (RFC 6066), and hands the bytes back unread otherwise.
  const requireSni = (socket: net.Socket, handOver: () => void) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const sni = clientHelloSni(seen);
      if (sni.kind === 'incomplete') return;
      socket.off('data', onData);
      socket.pause();
      if (sni.kind === 'none') {
        refused('sni-missing');
        socket.end(UNRECOGNIZED_NAME_ALERT);
        return;
      }
      socket.unshift(seen);
      handOver();
    };
    socket.on('data', onData);
    socket.resume();
  };
  const mqttsDoor = frontDoor(mqttsTls);
  const alpnDoor = frontDoor(alpnTls);

  const controlPlane: http.Server = createControlPlane(hostname, () => faults.denyControlPlane);
  controlPlane.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
  });

  let ports: Emulator['ports'];
  try {
    ports = {
      mqtts: await listen(mqttsDoor, options.ports?.mqtts ?? 0, host, 'mqtts'),
      alpn: await listen(alpnDoor, options.ports?.alpn ?? 0, host, 'alpn'),
      controlPlane: await listen(controlPlane, options.ports?.controlPlane ?? 0, host, 'controlPlane'),
    };
  } catch (error) {
    // What did start must not keep the process alive.
    for (const server of [mqttsDoor, alpnDoor, controlPlane]) if (server.listening) server.close();
    responder.close();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  const urlHost = net.isIPv6(host) ? `[${host}]` : host;

  return {
    host,
    hostname,
    ports,
    ca: ca.cert,
    client: { cert: client.cert, key: client.key },
    credentials: { sigv4, customAuthorizer },
    controlPlaneUrl: `http://${urlHost}:${ports.controlPlane}`,
    get faults() {
      return faults;
    },
    setFaults(next) {
      const certChanged = next.serverCert !== undefined && next.serverCert !== faults.serverCert;
      faults = { ...faults, ...next };
      if (certChanged) {
        mqttsTls.setSecureContext(contextFor(faults.serverCert));
        alpnTls.setSecureContext(contextFor(faults.serverCert));
      }
    },
    setPolicies(next) {
      policies = next;
    },
    events,
    async close() {
      if (closing) return;
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // MQTT 5 clients hear why (DISCONNECT 0x8B) before their sockets go.
      await Promise.all([...registry.gates].map((gate) => gate.shutdown()));
      const stopped = [mqttsDoor, alpnDoor, controlPlane].map(
        (s) => new Promise<void>((resolve) => s.close(() => resolve())),
      );
      for (const socket of sockets) socket.destroy();
      responder.close();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await Promise.all(stopped);
    },
  };
}
