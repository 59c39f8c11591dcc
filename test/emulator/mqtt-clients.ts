// Test helpers: plain MQTT.js clients and TLS sockets aimed at a running emulator, wrapped in promises.
import { once } from 'node:events';
import tls from 'node:tls';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Emulator } from '../../src/emulator/index.js';

let counter = 0;
/** A client ID no other test uses, so takeovers only happen where a test wants one. */
export function uniqueClientId(prefix = 'test'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** How a connection attempt ended: CONNACK accepted, an error, or a close with neither. */
export type ConnectOutcome =
  | { kind: 'connected'; client: MqttClient }
  | { kind: 'error'; error: Error & { code?: string | number } }
  | { kind: 'closed' };

/** Options for a TLS MQTT connection to the emulator; certificates default to the emulator's client pair. */
export function tlsOptions(
  emulator: Emulator,
  port: number,
  extra: Partial<IClientOptions> = {},
): IClientOptions {
  return {
    protocol: 'mqtts',
    host: emulator.host,
    port,
    servername: emulator.hostname,
    ca: emulator.ca,
    cert: emulator.client.cert,
    key: emulator.client.key,
    clientId: uniqueClientId(),
    reconnectPeriod: 0,
    connectTimeout: 30_000,
    protocolVersion: 4,
    ...extra,
  };
}

// Each client's first close, recorded from creation so a close that already happened is not missed.
const closes = new WeakMap<MqttClient, Promise<void>>();

/** Connects and resolves with the first of connect, error or close. */
export async function connect(options: IClientOptions): Promise<ConnectOutcome> {
  const client = mqtt.connect(options);
  closes.set(client, new Promise((resolve) => client.once('close', () => resolve())));
  return settle(client);
}

/** Resolves with the first of connect, error or close for a client already created. */
export function settle(client: MqttClient): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const onConnect = () => done({ kind: 'connected', client });
    const onError = (error: Error) => done({ kind: 'error', error });
    const onClose = () => done({ kind: 'closed' });
    const done = (outcome: ConnectOutcome) => {
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
      // Later errors (a server close after CONNACK) are the test's business, not an uncaught exception.
      client.on('error', () => {});
      if (outcome.kind !== 'connected') client.end(true);
      resolve(outcome);
    };
    client.once('connect', onConnect);
    client.once('error', onError);
    client.once('close', onClose);
  });
}

/** Connects and fails the test unless CONNACK accepted the connection. */
export async function connectOk(options: IClientOptions): Promise<MqttClient> {
  const outcome = await connect(options);
  if (outcome.kind !== 'connected') {
    throw new Error(
      `expected a connection, got ${outcome.kind === 'error' ? String(outcome.error) : 'a close'}`,
    );
  }
  outcome.client.on('error', () => {});
  return outcome.client;
}

/** Resolves when the broker closes the client's connection. */
export async function closedByServer(client: MqttClient): Promise<void> {
  const closed = closes.get(client);
  if (!closed) throw new Error('client was not created by connect()');
  await closed;
}

/** Ends a client and waits until its socket is gone. */
export async function endClient(client: MqttClient): Promise<void> {
  await client.endAsync(true);
}

/** Opens a raw TLS socket; resolves with it on secureConnect or rejects with the TLS error. */
export function openTls(options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options);
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Reads from a socket until it closes; resolves with everything received. */
export async function readUntilClose(socket: tls.TLSSocket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

/** A minimal MQTT 3.1.1 CONNECT packet for client ID `id`, for raw-socket tests. */
export function connectPacket(id: string): Buffer {
  const idBytes = Buffer.from(id);
  const body = Buffer.concat([
    Buffer.from([0, 4]),
    Buffer.from('MQTT'),
    Buffer.from([4, 2, 0, 60]),
    Buffer.from([idBytes.length >> 8, idBytes.length & 0xff]),
    idBytes,
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** Resolves with the next message the client receives, as topic and payload text. */
export function nextMessage(client: MqttClient): Promise<{ topic: string; payload: string }> {
  return new Promise((resolve) => {
    client.once('message', (topic, payload) => resolve({ topic, payload: payload.toString() }));
  });
}
