// The tls phase: a TLS handshake over the previous socket, then our own verification of the server certificate.
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  type ConnectionOptions,
  checkServerIdentity,
  connect,
  createSecureContext,
  type DetailedPeerCertificate,
  type PeerCertificate,
  type SecureContext,
  type SecureContextOptions,
  type TLSSocket,
} from 'node:tls';
import type { ProbePlan } from '../../scenario/plan.js';
import type { CertificateSummary } from '../diagnosis/diagnosis.js';
import { TlsVerifyError } from '../errors.js';
import type { ProbeFacts, TlsDetails, TlsHandshakeProgress, TlsHandshakeStep } from '../result.js';
import { type PhaseScope, runPhase } from '../run-phase.js';
import { describeCertificate } from './describe-certificate.js';

export interface OpenTlsOptions {
  /** The connected stream to run TLS over (TCP now; a proxy tunnel later). */
  socket: Duplex;
  plan: Pick<ProbePlan, 'endpoint' | 'servername' | 'alpn' | 'ca' | 'tls' | 'auth'>;
  facts: ProbeFacts;
  track: (stream: Duplex) => void;
}

/** The host name the certificate must match: the servername override or the endpoint (which may be an IP). */
export function certificateHost(plan: Pick<ProbePlan, 'endpoint' | 'servername'>): string {
  return plan.servername ?? plan.endpoint;
}

// Parsing the key, certificate and CA costs about 1 ms of CPU per handshake, so the repeats of one plan share one
// context (bench/run.ts, in-process overhead). Node's client never resumes a session it is not handed, so every
// probe still makes a full handshake.
const contexts = new WeakMap<OpenTlsOptions['plan'], SecureContext>();

function secureContextFor(plan: OpenTlsOptions['plan']): SecureContext {
  const cached = contexts.get(plan);
  if (cached) return cached;
  const options: SecureContextOptions = {};
  if (plan.ca) options.ca = plan.ca.pem;
  if (plan.tls.minVersion) options.minVersion = plan.tls.minVersion;
  if (plan.tls.maxVersion) options.maxVersion = plan.tls.maxVersion;
  if (plan.auth.type === 'x509') {
    options.cert = plan.auth.cert.pem;
    options.key = plan.auth.key.secret.reveal();
    const passphrase = plan.auth.passphrase?.reveal();
    if (passphrase !== undefined) options.passphrase = passphrase;
  }
  const context = createSecureContext(options);
  contexts.set(plan, context);
  return context;
}

/** Handshakes within the tls timeout and records what was negotiated in `facts.tls`. */
export async function openTls(scope: PhaseScope, options: OpenTlsOptions): Promise<TLSSocket> {
  const { plan, facts } = options;
  // The first probe of a plan parses its key and certificates here, in its own turn but before the phase starts:
  // that is local work, not network time. A key or CA that OpenSSL rejects still fails the tls phase.
  if (scope.turn) await scope.turn.claim();
  let context: SecureContext | undefined;
  let contextError: unknown;
  try {
    context = secureContextFor(plan);
  } catch (error) {
    contextError = error;
  }
  const host = certificateHost(plan);
  // RFC 6066 forbids an IP address as SNI (and Node warns); AWS routes on SNI, so a name is always sent when known.
  const servername = isIP(host) ? undefined : host;
  const connectOptions: ConnectionOptions = {
    socket: options.socket,
    // Verification is done below, after the handshake, so that a failure can report the certificate it saw;
    // nothing is written on the connection until it passes, so this is as strict as rejectUnauthorized.
    rejectUnauthorized: false,
    // Node's own host-name check runs against `servername`, else the socket's host, else `localhost`: for an IP
    // endpoint (no SNI) over a socket connected by address or through a proxy, that is never the endpoint. Node's
    // check is switched off so that `socket.authorized` speaks of the chain alone; verifyServer checks the host.
    checkServerIdentity: () => undefined,
  };
  if (servername) connectOptions.servername = servername;
  if (plan.alpn.length > 0) connectOptions.ALPNProtocols = plan.alpn;
  const tlsSocket = await runPhase(
    scope,
    'tls',
    (signal) =>
      new Promise<TLSSocket>((resolve, reject) => {
        if (!context) throw contextError;
        const counters = byteCounters(options.socket);
        const socket = connect({ ...connectOptions, secureContext: context });
        // tls.connect over a connected socket writes the ClientHello at once: this is its size.
        counters.helloBytes = counters.written();
        options.track(socket);
        const record = (finished: boolean) => {
          facts.tlsHandshake = handshakeProgress({ socket, counters, servername, alpn: plan.alpn, finished });
        };
        const onError = (error: Error) => {
          record(false);
          reject(error);
        };
        socket.once('error', onError);
        socket.once('secureConnect', () => {
          socket.off('error', onError);
          record(true);
          const details = describeSession(socket, plan.alpn, servername);
          facts.tls = details;
          if (plan.tls.insecure) {
            facts.warnings.push({
              code: 'tls.insecure',
              message: 'the server certificate was not verified (tls.insecure)',
            });
          } else {
            const failure = verifyServer(socket, host, details);
            if (failure) {
              reject(failure);
              return;
            }
            details.verified = true;
          }
          if (plan.alpn.length > 0 && details.negotiatedAlpn === undefined) {
            facts.warnings.push({
              code: 'tls.alpn-not-negotiated',
              message: `ALPN ${plan.alpn.join(', ')} was offered but the server selected none`,
            });
          }
          resolve(socket);
        });
        signal.addEventListener(
          'abort',
          () => {
            // A timeout (or Ctrl-C): what had arrived by then tells a stalled path from a silent server.
            if (facts.tlsHandshake === undefined) record(false);
            socket.destroy();
          },
          { once: true },
        );
      }),
  );
  // After the phase: walking the chain is our own CPU work, not the handshake's time.
  const chain = chainOf(tlsSocket.getPeerCertificate(true));
  if (chain.length > 0 && facts.tls) {
    facts.tls.trustAnchor = chain.at(-1)!.subject;
    if (chain.length > 1) facts.tls.chain = chain.slice(1);
  }
  return tlsSocket;
}

/** Reads the byte counters of the stream under TLS (a TCP socket or a proxy tunnel), relative to the phase start. */
interface ByteCounters {
  read: () => number;
  written: () => number;
  /** Bytes written by the time the ClientHello was out. */
  helloBytes: number;
}

function byteCounters(stream: Duplex): ByteCounters {
  const counted = stream as Partial<Pick<Socket, 'bytesRead' | 'bytesWritten'>>;
  const read = () => (typeof counted.bytesRead === 'number' ? counted.bytesRead : 0);
  const written = () => (typeof counted.bytesWritten === 'number' ? counted.bytesWritten : 0);
  // A proxy's answer was read on this same socket before TLS started: count from here.
  const readBefore = read();
  const writtenBefore = written();
  return { read: () => read() - readBefore, written: () => written() - writtenBefore, helloBytes: 0 };
}

function handshakeProgress(options: {
  socket: TLSSocket;
  counters: ByteCounters;
  servername: string | undefined;
  alpn: string[];
  finished: boolean;
}): TlsHandshakeProgress {
  const { socket, counters } = options;
  const bytesRead = counters.read();
  const bytesWritten = counters.written();
  // Empty until the server's Certificate message has been processed, and null once a failed socket is gone; the
  // client writes its second flight (its certificate, Finished) only after the server's whole first flight, so
  // more bytes written than the ClientHello also prove the certificate arrived (and a finished handshake, too).
  const peer = options.finished ? null : (socket.getPeerCertificate() as PeerCertificate | null);
  const serverCertificateSeen =
    options.finished || (peer !== null && Object.keys(peer).length > 0) || bytesWritten > counters.helloBytes;
  let reached: TlsHandshakeStep = 'nothing-sent';
  if (options.finished) reached = 'finished';
  else if (serverCertificateSeen) reached = 'server-certificate';
  else if (bytesRead > 0) reached = 'server-answered';
  else if (bytesWritten > 0) reached = 'client-hello-sent';
  const progress: TlsHandshakeProgress = {
    offeredAlpn: [...options.alpn],
    bytesWritten,
    bytesRead,
    serverCertificateSeen,
    reached,
  };
  if (options.servername !== undefined) progress.sniSent = options.servername;
  return progress;
}

function describeSession(
  socket: TLSSocket,
  offeredAlpn: string[],
  servername: string | undefined,
): TlsDetails {
  const details: TlsDetails = {
    protocol: socket.getProtocol() ?? '',
    cipher: socket.getCipher()?.name ?? '',
    offeredAlpn: [...offeredAlpn],
    verified: false,
  };
  if (servername) details.servername = servername;
  if (typeof socket.alpnProtocol === 'string') details.negotiatedAlpn = socket.alpnProtocol;
  const certificate = describeCertificate(socket.getPeerCertificate());
  if (certificate) details.serverCertificate = certificate;
  return details;
}

/** Certificates of a chain worth reporting; a longer one is cut (real chains have two to four). */
const MAX_CHAIN = 8;

/**
 * The chain from the leaf up: Node completes the chain the server sent with the issuers it finds among the trusted
 * roots, so for a verified chain the last is the root in `ca` (the trust anchor); a self-signed top points at itself.
 */
function chainOf(leaf: DetailedPeerCertificate): CertificateSummary[] {
  if (Object.keys(leaf).length === 0) return [];
  const chain = [leaf];
  let top = leaf;
  while (top.issuerCertificate && !chain.includes(top.issuerCertificate) && chain.length < MAX_CHAIN) {
    top = top.issuerCertificate;
    chain.push(top);
  }
  return chain.flatMap((c) => describeCertificate(c) ?? []);
}

// The same two checks, in the same order, that Node makes with rejectUnauthorized: chain first, then host name,
// against the host the plan names (an IP endpoint is matched against the certificate's IP addresses).
function verifyServer(socket: TLSSocket, host: string, details: TlsDetails): TlsVerifyError | undefined {
  const certificate = details.serverCertificate;
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? 'UNABLE_TO_VERIFY');
    return new TlsVerifyError({ code, message: `server certificate: ${code}`, hostname: host, certificate });
  }
  const mismatch = checkServerIdentity(host, socket.getPeerCertificate());
  if (mismatch) {
    const code = (mismatch as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID';
    return new TlsVerifyError({ code, message: mismatch.message, hostname: host, certificate });
  }
  return undefined;
}
