// A SYN blackhole on loopback without root, for the timeout-bound benchmark: the probe tests' own listener.
import { startSynBlackhole as startListener } from '../test/probe/helpers/tiny-servers.js';

/** The blackholed port and how to release it. */
export interface SynBlackhole {
  port: number;
  close(): Promise<void>;
}

/** A port whose SYNs the kernel drops (python3 holds a full backlog-0 listener); throws without python3. */
export async function startSynBlackhole(): Promise<SynBlackhole> {
  const listener = await startListener();
  if (!listener) throw new Error('python3 is needed for the blackholed port');
  return listener;
}
