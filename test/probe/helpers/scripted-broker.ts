// A tiny MQTT server for probe tests whose answers each test scripts (MQTT.js's test/node/server.ts idea).
import { EventEmitter, once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

/** What the broker does; the defaults make a well-behaved echo broker for one client. */
export interface BrokerScript {
  /** Answer CONNECT (default true). */
  connack?: boolean;
  /** CONNACK return/reason code (default 0). */
  connackCode?: number;
  /** MQTT 5 CONNACK properties. */
  connackProperties?: Record<string, unknown>;
  /** SUBACK codes to grant; default: the QoS requested. `null` sends no SUBACK. */
  granted?: number[] | null;
  /** Acknowledge PUBLISH (default true). */
  ackPublish?: boolean;
  /** MQTT 5 reason code on PUBACK (default 0). */
  pubackCode?: number;
  /** Send the PUBLISH back to the client (default true); `mutate` rewrites its payload first. */
  echo?: boolean;
  mutate?: (payload: Buffer) => Buffer;
  /** QoS to deliver the echo with (default: the QoS it was published with). */
  echoQos?: 0 | 1 | 2;
  /**
   * Sees each packet before the script answers it; returning true means it answered (or chose silence) itself.
   * `send` encodes for the client's protocol version; raw bytes go to `socket.write`.
   */
  onPacket?: (packet: Packet, peer: { socket: net.Socket; send: (packet: Packet) => void }) => boolean;
  /**
   * A CONNECT with a client ID already connected takes the session over, as AWS IoT does: the older connection
   * gets DISCONNECT 0x8E (Session taken over) when it speaks MQTT 5, and is closed.
   */
  takeover?: boolean;
  /** The acknowledgement sent for a QoS 2 PUBLISH (default `pubrec`); `puback` is a broker that gets QoS 2 wrong. */
  qos2Ack?: 'pubrec' | 'puback';
  /** Answer PINGREQ (default true); false is a connection that has silently died. */
  answerPing?: boolean;
}

export interface ScriptedBroker {
  port: number;
  /** Emits `packet` for each packet received and `connack` once a CONNACK was sent, with the server socket. */
  events: EventEmitter<{ packet: [Packet]; connack: [net.Socket] }>;
  close(): Promise<void>;
}

/** Starts a scripted broker on 127.0.0.1, port 0. */
export async function startScriptedBroker(script: BrokerScript = {}): Promise<ScriptedBroker> {
  const events = new EventEmitter<{ packet: [Packet]; connack: [net.Socket] }>();
  const sockets = new Set<net.Socket>();
  const sessions = new Map<
    string,
    { socket: net.Socket; protocolVersion: number; send: (packet: Packet) => void }
  >();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // The client side of these tests destroys sockets at will; a reset here is expected.
    });
    let protocolVersion = 4;
    const send = (packet: Packet) => {
      if (!socket.destroyed) socket.write(mqttPacket.generate(packet, { protocolVersion }));
    };
    const parser = mqttPacket.parser();
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    parser.on('packet', (packet: Packet) => {
      events.emit('packet', packet);
      if (packet.cmd === 'connect') protocolVersion = packet.protocolVersion ?? 4;
      if (script.onPacket?.(packet, { socket, send })) return;
      switch (packet.cmd) {
        case 'connect':
          if (script.takeover) {
            const older = sessions.get(packet.clientId);
            if (older && older.socket !== socket) {
              if (older.protocolVersion === 5) older.send({ cmd: 'disconnect', reasonCode: 0x8e } as Packet);
              older.socket.end();
            }
            sessions.set(packet.clientId, { socket, protocolVersion, send });
            socket.once('close', () => {
              if (sessions.get(packet.clientId)?.socket === socket) sessions.delete(packet.clientId);
            });
          }
          if (script.connack === false) return;
          send({
            cmd: 'connack',
            sessionPresent: false,
            ...(protocolVersion === 5
              ? { reasonCode: script.connackCode ?? 0, properties: script.connackProperties ?? {} }
              : { returnCode: script.connackCode ?? 0 }),
          } as Packet);
          events.emit('connack', socket);
          return;
        case 'subscribe':
          if (script.granted === null) return;
          send({
            cmd: 'suback',
            messageId: packet.messageId ?? 0,
            granted: script.granted ?? packet.subscriptions.map((s) => s.qos),
          });
          return;
        case 'publish': {
          const qos = packet.qos;
          if (script.echo !== false) {
            const payload = Buffer.from(packet.payload);
            const echoQos = script.echoQos ?? qos;
            send({
              cmd: 'publish',
              topic: packet.topic,
              payload: script.mutate ? script.mutate(payload) : payload,
              qos: echoQos,
              retain: false,
              dup: false,
              ...(echoQos > 0 ? { messageId: 1000 } : {}),
            } as Packet);
          }
          if (script.ackPublish === false || qos === 0) return;
          if (qos === 1) {
            const reason = protocolVersion === 5 ? { reasonCode: script.pubackCode ?? 0 } : {};
            send({ cmd: 'puback', messageId: packet.messageId ?? 0, ...reason });
          } else send({ cmd: script.qos2Ack ?? 'pubrec', messageId: packet.messageId ?? 0 });
          return;
        }
        case 'pubrel':
          send({ cmd: 'pubcomp', messageId: packet.messageId ?? 0 });
          return;
        case 'pingreq':
          if (script.answerPing !== false) send({ cmd: 'pingresp' });
          return;
        case 'disconnect':
          socket.end();
          return;
        default:
          return;
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    events,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
