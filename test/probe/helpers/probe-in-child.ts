// Run as a child process: probes that fail in different phases, then returns; the process must exit by itself.
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { runProbe } from '../../../src/probe/run-probe.js';
import { parseProxySetting } from '../../../src/scenario/proxy-setting.js';
import { makePlan } from '../../helpers/make-plan.js';
import { startSilentServer } from './tiny-servers.js';

// The server and its connections are unref'd and never closed: only what the probe leaves behind can hold the
// process. Long timeouts make any timer left behind (ours, or MQTT.js's connack timer) hold it for 20 s or more.
const LONG = 20_000;
const silent = await startSilentServer({ unref: true });
const codes: Array<string | undefined> = [];
const connack = makePlan({ port: silent.port, timeoutsMs: { connack: 300 } });
codes.push((await runProbe(connack)).diagnosis?.code);
const tls = makePlan({
  port: silent.port,
  transport: 'mqtts',
  endpoint: 'localhost',
  timeoutsMs: { tls: 300 },
});
codes.push((await runProbe(tls)).diagnosis?.code);
// The proxy and WebSocket layers: a silent proxy (HTTP and SOCKS) and a silent WebSocket server.
for (const scheme of ['http', 'socks5']) {
  const proxied = makePlan({
    proxy: parseProxySetting(`${scheme}://127.0.0.1:${silent.port}`, 'scenario'),
    timeoutsMs: { proxy: 300, connack: LONG },
  });
  codes.push((await runProbe(proxied)).diagnosis?.code);
}
codes.push(
  (await runProbe(makePlan({ port: silent.port, transport: 'ws', timeoutsMs: { ws: 300 } }))).diagnosis?.code,
);
const controller = new AbortController();
const probing = runProbe(makePlan({ port: silent.port, timeoutsMs: { connack: LONG } }), {
  signal: controller.signal,
});
// Abort once CONNECT has reached the server, so the probe is waiting in connack with MQTT.js's timer armed.
const [socket] = (await once(silent.server, 'connection')) as [Socket];
await once(socket, 'data');
controller.abort();
codes.push((await probing).diagnosis?.code);
process.stdout.write(`${JSON.stringify(codes)}\n`);
