// The tcp phase: one connection to the resolved address (or one per family, raced), with Nagle off so small MQTT
// packets are not delayed.
import { connect, type Socket } from 'node:net';
import { type PhaseScope, runPhase } from '../run-phase.js';
import type { ResolvedAddress } from './resolve-dns.js';

/** How one connect attempt of a race ended, as raw facts (the diagnosis reads the error). */
export type TcpAttemptEnd =
  | { kind: 'connected' }
  /** No answer by the tcp timeout. */
  | { kind: 'timeout' }
  | { kind: 'error'; error: unknown }
  /** The probe was stopped (Ctrl-C) before the attempt ended. */
  | { kind: 'cancelled' };

/** One connect of a race: where to, how it ended, and when (ms after the tcp phase started). */
export interface TcpAttempt {
  address: ResolvedAddress;
  end: TcpAttemptEnd;
  afterMs: number;
  /** True for the connection the probe went on over. */
  used: boolean;
}

export interface OpenTcpOptions {
  /** One address, or one per family (`addressPerFamily`): each gets its own connect, all started at once. */
  addresses: readonly ResolvedAddress[];
  port: number;
  /** Called with the socket the probe goes on over, so the probe can destroy it whatever happens next. */
  track: (socket: Socket) => void;
  /**
   * With more than one address: called at once with the race's outcome, which settles when every attempt has
   * ended (at the latest at the tcp timeout) and every socket but the one used has closed. Never rejects.
   */
  onRace?: (attempts: Promise<TcpAttempt[]>) => void;
}

/** The connection the probe goes on over, and the address it reached. */
export interface TcpConnection {
  socket: Socket;
  address: ResolvedAddress;
}

// Without TCP_NODELAY the CONNACK and echo arrive ~40 ms late (delayed ACK), skewing every latency.
const dial = (address: ResolvedAddress, port: number) =>
  connect({ host: address.address, port, noDelay: true });

/**
 * Connects within the tcp timeout; every socket is destroyed on timeout or abort. Given one address per family,
 * dials both at once (Happy Eyeballs, but without the head start, since both outcomes are wanted) and goes on with
 * the first that connects: the phase lasts until then, so its figure is the winner's connect time. The other
 * attempt runs on outside the phase, bounded by the same tcp deadline, and is closed as soon as its outcome is known.
 */
export function openTcp(scope: PhaseScope, options: OpenTcpOptions): Promise<TcpConnection> {
  const { addresses, port } = options;
  return runPhase(scope, 'tcp', (signal) => {
    const [only] = addresses;
    if (addresses.length === 1 && only) {
      return new Promise<TcpConnection>((resolve, reject) => {
        const socket = dial(only, port);
        options.track(socket);
        const onError = (error: Error) => reject(error);
        socket.once('error', onError);
        socket.once('connect', () => {
          socket.off('error', onError);
          resolve({ socket, address: only });
        });
        signal.addEventListener('abort', () => socket.destroy(), { once: true });
      });
    }
    return race(scope, options, signal);
  });
}

/** The race of `openTcp` for several addresses; see there. */
function race(scope: PhaseScope, options: OpenTcpOptions, signal: AbortSignal): Promise<TcpConnection> {
  const { timeline } = scope;
  const timeoutMs = scope.timeoutsMs.tcp;
  // From the phase's own start mark, so an attempt's time and the tcp figure share one origin.
  const startedAt = timeline.startOf('tcp') ?? timeline.now();
  const deadlineAt = startedAt + timeoutMs;
  const sockets = options.addresses.map((address) => ({ address, socket: dial(address, options.port) }));
  const ends: Array<TcpAttempt | undefined> = sockets.map(() => undefined);
  let winner: TcpConnection | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let reportSettled: (attempts: TcpAttempt[]) => void = () => undefined;
  options.onRace?.(
    new Promise<TcpAttempt[]>((resolve) => {
      reportSettled = resolve;
    }),
  );
  return new Promise<TcpConnection>((resolve, reject) => {
    const cancel = () => {
      // Ctrl-C after the winner connected: the other attempt stops now, not at the deadline.
      for (const i of sockets.keys()) settle(i, { kind: 'cancelled' });
    };
    scope.signal?.addEventListener('abort', cancel, { once: true });
    const settle = (i: number, end: TcpAttemptEnd) => {
      const entry = sockets[i]!;
      if (ends[i]) return;
      const won = end.kind === 'connected' && winner === undefined;
      const afterMs = end.kind === 'timeout' ? timeoutMs : timeline.now() - startedAt;
      ends[i] = { address: entry.address, end, afterMs, used: won };
      if (won) {
        winner = { socket: entry.socket, address: entry.address };
        options.track(entry.socket);
        resolve(winner);
        // The others keep the phase's deadline; the phase itself is over.
        deadline = setTimeout(
          () => {
            for (const j of sockets.keys()) settle(j, { kind: 'timeout' });
          },
          Math.max(0, deadlineAt - timeline.now()),
        );
      } else {
        entry.socket.destroy();
      }
      if (ends.every((e) => e !== undefined)) finish();
    };
    const finish = () => {
      clearTimeout(deadline);
      scope.signal?.removeEventListener('abort', cancel);
      const attempts = ends as TcpAttempt[];
      if (!winner) {
        // Every family failed: the phase fails with the first attempt's error; the diagnosis reads all of them.
        const failed = attempts.find((a) => a.end.kind === 'error');
        reject(failed?.end.kind === 'error' ? failed.end.error : new Error('no connect attempt succeeded'));
      }
      const losers = sockets.filter((s) => s.socket !== winner?.socket).map((s) => s.socket);
      void Promise.all(
        losers.map((socket) =>
          socket.closed ? undefined : new Promise((done) => socket.once('close', done)),
        ),
      ).then(() => reportSettled(attempts));
    };
    sockets.forEach(({ socket }, i) => {
      // Errors after the outcome (a late reset on a destroyed socket) are nobody's business; they must not throw.
      socket.on('error', (error) => settle(i, { kind: 'error', error }));
      socket.once('connect', () => settle(i, { kind: 'connected' }));
    });
    // The phase's own timeout (or Ctrl-C) while no attempt has connected: every open attempt ends now.
    signal.addEventListener(
      'abort',
      () => {
        const end: TcpAttemptEnd = scope.signal?.aborted ? { kind: 'cancelled' } : { kind: 'timeout' };
        for (const i of sockets.keys()) settle(i, end);
      },
      { once: true },
    );
  });
}
