// A second look after a silent close: speaks the other protocol (TLS or plain MQTT) to the same address and port,
// so that "this port speaks the other one" rests on an answer, not on a guess.
import { randomBytes } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** The protocol spoken on the second connection. */
export type CrossCheckProtocol = 'tls' | 'mqtt';

/** What the port did with it: answered in that protocol, or not (closed, silent, other bytes, unreachable). */
export type CrossCheckAnswer = 'answered' | 'no-answer';

export interface CrossCheckOptions {
  address: string;
  port: number;
  speak: CrossCheckProtocol;
  /** SNI for the TLS ClientHello; absent for an IP endpoint. */
  servername?: string;
  timeoutMs: number;
}

// The ClientHello's answer starts with a handshake record (0x16) or an alert (0x15), version 3.x.
const TLS_RECORD = /^(15|16)03/;

/** The first two bytes of a buffer as hex, e.g. `1603`. */
function head(bytes: Buffer): string {
  return bytes.subarray(0, 2).toString('hex');
}

/** Whether `bytes` starts like a TLS record (handshake or alert, version 3.x). */
export function looksLikeTlsRecord(bytes: Buffer | undefined): boolean {
  return bytes !== undefined && bytes.length >= 2 && TLS_RECORD.test(head(bytes));
}

/**
 * Opens one connection, says hello in `speak` and resolves with whether the port answered in it; never rejects,
 * and the socket is closed when it resolves. The MQTT hello is a CONNECT (3.1.1, clean session) with a random
 * client ID and no credentials, followed by DISCONNECT; the TLS hello is a ClientHello without a client certificate.
 */
export function crossCheckProtocol(options: CrossCheckOptions): Promise<CrossCheckAnswer> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: options.address, port: options.port, noDelay: true });
    let settled = false;
    const finish = (answer: CrossCheckAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (socket.closed) resolve(answer);
      else {
        socket.once('close', () => resolve(answer));
        socket.destroy();
      }
    };
    const timer = setTimeout(() => finish('no-answer'), options.timeoutMs);
    // Whatever goes wrong on this second look only means "no answer".
    socket.on('error', () => finish('no-answer'));
    socket.once('close', () => finish('no-answer'));
    socket.once('connect', () => {
      if (options.speak === 'mqtt') speakMqtt(socket, finish);
      else speakTls(socket, options.servername, finish);
    });
  });
}

function speakMqtt(socket: Socket, finish: (answer: CrossCheckAnswer) => void): void {
  socket.once('data', (chunk: Buffer) => {
    // CONNACK is packet type 2: 0x20, remaining length 2 (3.1.1) or more (5).
    if (chunk[0] === 0x20) {
      socket.write(Buffer.from([0xe0, 0x00]));
      finish('answered');
    } else finish('no-answer');
  });
  socket.write(mqttConnect(`mqttprobe-check-${randomBytes(4).toString('hex')}`));
}

function speakTls(
  socket: Socket,
  servername: string | undefined,
  finish: (answer: CrossCheckAnswer) => void,
) {
  const tls = connectTls({
    socket,
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    ...(servername ? { servername } : {}),
  });
  tls.on('error', (error: NodeJS.ErrnoException) => {
    // An alert after bytes came back (a client certificate required, say) is still a TLS server talking.
    const spokeTls =
      socket.bytesRead > 0 && !/WRONG_VERSION|PACKET_LENGTH|UNKNOWN_PROTOCOL/.test(error.code ?? '');
    tls.destroy();
    finish(spokeTls ? 'answered' : 'no-answer');
  });
  tls.once('secureConnect', () => {
    tls.destroy();
    finish('answered');
  });
}

/** An MQTT 3.1.1 CONNECT: clean session, keepalive 10 s, no credentials. */
function mqttConnect(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  const remaining = variable.length + payload.length;
  return Buffer.concat([Buffer.from([0x10, remaining]), variable, payload]);
}
