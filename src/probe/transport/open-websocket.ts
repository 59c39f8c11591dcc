// The ws phase: the HTTP/1.1 upgrade with subprotocol `mqtt` over the stream already open; MQTT then runs inside it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ClientOptions, createWebSocketStream, WebSocket } from 'ws';
import { type UpgradeRefusalHint, WsUpgradeError } from '../errors.js';
import type { WebSocketDetails } from '../result.js';
import { type PhaseScope, runPhase } from '../run-phase.js';
import type { WebSocketRequest } from './websocket-request.js';

export interface OpenWebSocketOptions {
  /** The connected stream (TLS for wss, TCP or a proxy tunnel for ws). */
  stream: Duplex;
  request: WebSocketRequest;
  /**
   * The largest WebSocket message accepted, in bytes: ws buffers a whole message before handing it on, so this is
   * where a huge one is refused (at its frame header), the MQTT packet size guard's job one layer down.
   */
  maxMessageBytes: number;
  track: (stream: Duplex) => void;
  /** Receives the upgrade's status as soon as the answer's head arrives (101, or the refusal). */
  onAnswer: (details: WebSocketDetails) => void;
}

/** How much of a refusal's body to read for a hint; AWS's error bodies are short JSON. */
const BODY_LIMIT = 4096;

/** Upgrades within the ws timeout and resolves with a byte stream of binary WebSocket messages. */
export function openWebSocket(scope: PhaseScope, options: OpenWebSocketOptions): Promise<Duplex> {
  return runPhase(
    scope,
    'ws',
    (signal) =>
      new Promise<Duplex>((resolve, reject) => {
        const fail = (error: unknown) => reject(withoutQuery(error, options.request.url));
        let ws: WebSocket;
        try {
          ws = new WebSocket(options.request.url, ['mqtt'], {
            headers: options.request.headers,
            // The socket is ours: dialled, timed and (for wss) TLS-verified by the earlier phases. ws types this
            // as net.createConnection, but only needs a connected stream back.
            createConnection: (() => options.stream) as unknown as ClientOptions['createConnection'],
            perMessageDeflate: false,
            maxPayload: options.maxMessageBytes,
            followRedirects: false,
          });
        } catch (error) {
          // An invalid URL (a strange endpoint or path): its message quotes the URL, signature and token included.
          fail(error);
          return;
        }
        // After the phase, errors reach MQTT through the stream below; this listener only keeps them handled.
        ws.on('error', fail);
        ws.once('upgrade', (response: IncomingMessage) => {
          options.onAnswer({ statusCode: response.statusCode ?? 101 });
        });
        // With this listener the ws package leaves the refused request to us (and emits no error).
        ws.once('unexpected-response', (request, response: IncomingMessage) => {
          const answeredAt = Date.now();
          const statusCode = response.statusCode ?? 0;
          options.onAnswer({ statusCode });
          const statusLine =
            `HTTP/${response.httpVersion} ${statusCode} ${response.statusMessage ?? ''}`.trimEnd();
          void readBody(response, signal).then((body) => {
            request.destroy();
            fail(
              new WsUpgradeError({
                statusCode,
                statusLine,
                ...skewOf(response.headers.date, answeredAt),
                ...hintOf(body),
              }),
            );
          });
        });
        ws.once('open', () => {
          const stream = createWebSocketStream(ws);
          // On an error (a message over maxPayload, bad framing) ws starts a close handshake, and the stream
          // reports the error only once the server answers it, or after ws's 30 s close timeout: a probe wants
          // the error now. Registered after the stream's own listener, so the stream is already failing with it.
          ws.once('error', () => ws.terminate());
          options.track(stream);
          if (ws.protocol) options.onAnswer({ statusCode: 101, protocol: ws.protocol });
          resolve(stream);
        });
        signal.addEventListener('abort', () => ws.terminate(), { once: true });
      }),
  );
}

/** The error, with the URL's query (a SigV4 signature and session token) cut from its message if quoted. */
function withoutQuery(error: unknown, url: string): unknown {
  const at = url.indexOf('?');
  if (at === -1 || !(error instanceof Error) || !error.message.includes(url.slice(at))) return error;
  const redacted = new Error(error.message.replace(url.slice(at), '?[redacted]'));
  redacted.name = error.name;
  return redacted;
}

/** Up to BODY_LIMIT bytes of the body as text; whatever arrived if the phase ends first. */
function readBody(response: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      if (size < BODY_LIMIT) chunks.push(chunk);
      size += chunk.length;
      if (size >= BODY_LIMIT) done();
    });
    response.once('end', done);
    response.once('close', done);
    response.once('error', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

function skewOf(date: string | undefined, localMs: number): { skewMs?: number } {
  if (date === undefined) return {};
  const serverMs = Date.parse(date);
  return Number.isNaN(serverMs) ? {} : { skewMs: serverMs - localMs };
}

// AWS SigV4 errors say "Signature expired" / "not yet current" for clock problems, and name the signature otherwise.
function hintOf(body: string): { hint?: UpgradeRefusalHint } {
  if (/signature expired|not yet current|request time|clock skew/i.test(body)) return { hint: 'clock-skew' };
  if (/signature|security token|credential/i.test(body)) return { hint: 'signature' };
  return {};
}
