// The HTTP side of the "443" listener: WebSocket upgrades to MQTT, HTTPS publish, and 400 for MQTT bytes.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { checkTopic } from './aws-rules.js';
import type { CustomAuthorizerCredentials, EmulatorPolicies, SigV4Credentials } from './options.js';
import { allowedBy, topicMatches } from './policy.js';
import { type PresignedUrlRefusal, type PresignedUrlVerdict, verifyPresignedUrl } from './sigv4-presigned.js';

// What a plain HTTP server answers to bytes that are not HTTP, e.g. an MQTT CONNECT sent without ALPN on 443.
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

/** Why the responder refused a WebSocket upgrade: no such path, a failed custom authorizer, or a bad SigV4 URL. */
export type UpgradeRefusal = 'ws-not-found' | 'ws-custom-auth-failed' | `ws-sigv4-${PresignedUrlRefusal}`;

/** What the responder needs from the emulator; functions so that settings changed at run time apply. */
export interface HttpsResponderOptions {
  sigv4: SigV4Credentials;
  customAuthorizer: CustomAuthorizerCredentials;
  policies: () => EmulatorPolicies;
  phaseDelayMs: () => number;
  /** The emulator's clock: the real one plus the `clockSkewMs` fault. */
  now: () => Date;
  /** Hands an accepted `wss://…/mqtt` connection to the broker, with how the upgrade authenticated. */
  onMqttWebSocket: (stream: Duplex, auth: 'sigv4' | 'ws-custom-authorizer') => void;
  /** Publishes an HTTPS `POST /topics/…` message to the broker. */
  publish: (topic: string, payload: Buffer, qos: 0 | 1) => Promise<void>;
  onRefused: (reason: UpgradeRefusal) => void;
  /** Registers a timer so `close()` can cancel it. */
  track: (timer: NodeJS.Timeout) => void;
}

/** An HTTPS responder for TLS sockets already accepted elsewhere; feed it with `emit('connection', socket)`. */
export interface HttpsResponder {
  server: http.Server;
  close: () => void;
}

/** A refused upgrade, with a `Date` header as AWS sends it, so a client can tell its clock is off. */
function refuseUpgrade(socket: Duplex, status: string, now: Date): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nDate: ${now.toUTCString()}\r\nContent-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
}

/** Creates the responder (it never listens itself). */
export function createHttpsResponder(options: HttpsResponderOptions): HttpsResponder {
  const wss = new WebSocketServer({
    noServer: true,
    // AWS IoT speaks MQTT over WebSockets with the `mqtt` subprotocol.
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
  });
  const server = http.createServer((req, res) => void handleRequest(req, res, options));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end(BAD_REQUEST);
    else socket.destroy();
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    void handleUpgrade(req, socket, head).catch(() => socket.destroy());
  });

  async function handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    if (url.pathname !== '/mqtt') {
      options.onRefused('ws-not-found');
      return refuseUpgrade(socket, '404 Not Found', options.now());
    }
    // AWS IoT custom authentication over WebSockets: the authorizer name and token come as headers.
    // https://docs.aws.amazon.com/iot/latest/developerguide/custom-auth.html
    const authorizerName = req.headers['x-amz-customauthorizer-name'];
    const auth = authorizerName !== undefined ? 'ws-custom-authorizer' : 'sigv4';
    if (auth === 'ws-custom-authorizer') {
      const expected = options.customAuthorizer;
      const token = expected.tokenKeyName ? req.headers[expected.tokenKeyName.toLowerCase()] : undefined;
      const nameOk = expected.name === undefined || authorizerName === expected.name;
      if (!nameOk || expected.token === undefined || token !== expected.token) {
        options.onRefused('ws-custom-auth-failed');
        return refuseUpgrade(socket, '403 Forbidden', options.now());
      }
    } else {
      const verdict: PresignedUrlVerdict = await verifyPresignedUrl(
        { host: req.headers.host ?? '', path: url.pathname, query: url.searchParams },
        options.sigv4,
        options.now(),
      );
      if (!verdict.ok) {
        options.onRefused(`ws-sigv4-${verdict.reason}`);
        return refuseUpgrade(socket, '403 Forbidden', options.now());
      }
    }
    const delayMs = options.phaseDelayMs();
    if (delayMs > 0) {
      await new Promise<void>((resolve) => options.track(setTimeout(resolve, delayMs)));
      if (socket.destroyed) return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      options.onMqttWebSocket(createWebSocketStream(ws), auth);
    });
  }

  return { server, close: () => wss.close() };
}

// HTTPS publish (`POST /topics/TOPIC?qos=N`): https://docs.aws.amazon.com/iot/latest/developerguide/http.html
async function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: HttpsResponderOptions,
) {
  const reply = (status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
  };
  const url = new URL(req.url ?? '/', 'https://emulator.invalid');
  if (req.method !== 'POST' || !url.pathname.startsWith('/topics/')) return reply(404, 'Not Found');
  const socket = req.socket as TLSSocket;
  // Certificate authentication for HTTPS needs port 8443 or ALPN x-amzn-http-ca on 443.
  if (!socket.authorized || socket.alpnProtocol !== 'x-amzn-http-ca') return reply(403, 'Forbidden');
  const topic = decodeURIComponent(url.pathname.slice('/topics/'.length));
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const payload = Buffer.concat(chunks);
  if (
    checkTopic(topic, Buffer.byteLength(topic)) ||
    !allowedBy(options.policies().publish, topic, topicMatches)
  ) {
    return reply(403, 'Forbidden');
  }
  const qos = url.searchParams.get('qos') === '1' ? 1 : 0;
  await options.publish(topic, payload, qos);
  reply(200, 'OK');
}
