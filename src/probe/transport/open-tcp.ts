// The tcp phase: one connection to the resolved address, with Nagle off so small MQTT packets are not delayed.
import { connect, type Socket } from 'node:net';
import { type PhaseScope, runPhase } from '../run-phase.js';

export interface OpenTcpOptions {
  address: string;
  port: number;
  /** Called with the socket as soon as it exists, so the probe can destroy it whatever happens next. */
  track: (socket: Socket) => void;
}

/** Connects to `address:port` within the tcp timeout; the socket is destroyed on timeout or abort. */
export function openTcp(scope: PhaseScope, options: OpenTcpOptions): Promise<Socket> {
  return runPhase(
    scope,
    'tcp',
    (signal) =>
      new Promise<Socket>((resolve, reject) => {
        // Without TCP_NODELAY the CONNACK and echo arrive ~40 ms late (delayed ACK), skewing every latency.
        const socket = connect({ host: options.address, port: options.port, noDelay: true });
        options.track(socket);
        const onError = (error: Error) => reject(error);
        socket.once('error', onError);
        socket.once('connect', () => {
          socket.off('error', onError);
          resolve(socket);
        });
        signal.addEventListener('abort', () => socket.destroy(), { once: true });
      }),
  );
}
