// A SYN blackhole on loopback without root: a socket listening with backlog 0 that never accepts, its queue filled
// first, so the kernel drops every further SYN and a connect only ends by the client's own timeout.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The blackholed port and how to release it. */
export interface SynBlackhole {
  port: number;
  close(): Promise<void>;
}

/** Node always accepts, so a python3 child holds the listener (as test/probe/helpers/tiny-servers.ts does). */
export async function startSynBlackhole(): Promise<SynBlackhole> {
  const script = [
    'import socket, sys',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
    'port = s.getsockname()[1]',
    'fillers = []',
    'for _ in range(3):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect(("127.0.0.1", port))',
    '    except BlockingIOError: pass',
    '    fillers.append(c)',
    'print(port, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const failed = once(child, 'error').then(([error]) => {
    throw new Error('python3 is needed for the blackholed port', { cause: error });
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, 'line'), failed])) as [string];
  lines.close();
  return {
    port: Number(line),
    async close() {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
