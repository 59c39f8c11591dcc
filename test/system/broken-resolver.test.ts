// A resolver that never answers, for real: the namespace's resolv.conf names an address inside it where port 53 is
// dropped. The probe reports dns.timeout at its own timeout, and the process exits once the report is out, not
// when glibc's getaddrinfo() gives up (5 s per try, 2 tries by default).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { createNetworkNamespace } from './helpers/network-namespace.js';
import { spawnInNamespace } from './helpers/run-in-namespace.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
const RESOLVER = '10.213.254.53';

describe('a resolver that never answers', () => {
  systemTest(
    'dns.timeout after the dns timeout, and the process exits within 2 s of its report',
    { root: true, commands: ['ip', 'iptables'] },
    async (t) => {
      const ns = createNetworkNamespace(t, { etc: { 'resolv.conf': `nameserver ${RESOLVER}\n` } });
      execFileSync('ip', ['-n', ns.name, 'addr', 'add', `${RESOLVER}/32`, 'dev', 'lo']);
      // INPUT, not OUTPUT: a query dropped on the way out fails at once with EPERM, a real dead resolver is silent.
      for (const proto of ['udp', 'tcp'])
        ns.iptables(['-A', 'INPUT', '-p', proto, '--dport', '53', '-j', 'DROP']);
      const file = join(tempDir(t), 'dns.yaml');
      writeFileSync(
        file,
        `version: 1
scenarios:
  - { name: silent resolver, endpoint: broker.mqttprobe.test, port: 8883, timeout: 1500ms, expect: dns.timeout }
`,
      );
      const env = { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', ALL_PROXY: '', RES_OPTIONS: undefined };
      const run = await spawnInNamespace(
        ns,
        [process.execPath, '--import', import.meta.resolve('tsx'), cli, 'run', file, '--format', 'json'],
        { env },
      );
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      const report = JSON.parse(run.stdout) as { scenarios: Array<{ diagnosis?: { code: string } }> };
      assert.equal(report.scenarios[0]?.diagnosis?.code, 'dns.timeout');
      // Without the bound, glibc's schedule holds the process about 10 s after the start: a generous bound that
      // only a hang breaks.
      const afterReportMs = run.wallMs - (run.firstStdoutMs ?? 0);
      assert.ok(afterReportMs < 2000, `exited ${Math.round(afterReportMs)} ms after its report`);
    },
  );
});
