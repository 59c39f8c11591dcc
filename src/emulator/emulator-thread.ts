// Worker-thread entry: runs the emulator off the probes' event loop, so its TLS and broker work never lands in a
// probe's timed window (`endpoint: emulator`). Posts where it listens, then closes when told to.
import { parentPort } from 'node:worker_threads';
import { startEmulator } from './index.js';

/** What the thread posts once it listens: everything a plan needs to reach it. */
export interface EmulatorThreadReady {
  host: string;
  hostname: string;
  ports: { mqtts: number; alpn: number; controlPlane: number };
  ca: string;
  client: { cert: string; key: string };
}

if (!parentPort) throw new Error('emulator-thread.ts runs as a worker thread');
const port = parentPort;
const emulator = await startEmulator();
const ready: EmulatorThreadReady = {
  host: emulator.host,
  hostname: emulator.hostname,
  ports: { ...emulator.ports },
  ca: emulator.ca,
  client: { ...emulator.client },
};
port.postMessage(ready);
port.once('message', async () => {
  await emulator.close();
  port.close();
});
