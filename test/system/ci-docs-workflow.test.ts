// docs/ci.md's CI jobs, run as scripts on a fresh copy: the package made with `npm pack` installed as the page says,
// its scenario file, and its GitHub Actions steps and GitLab script lines, word for word, against an emulator on the
// real ports 8883 and 443 inside a network namespace. Everything is read from the page, so page and test cannot drift.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { startDaemon } from './helpers/daemon-process.js';
import { createNetworkNamespace, type NetworkNamespace } from './helpers/network-namespace.js';

const root = new URL('../..', import.meta.url).pathname;
const doc = readFileSync(join(root, 'docs/ci.md'), 'utf8');

/** The page's fenced YAML block whose first line is `# NAME…`. */
function block(name: string): string {
  const found = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].find((m) => m[1]!.startsWith(`# ${name}`));
  assert.ok(found, `docs/ci.md has no yaml block starting with "# ${name}"`);
  return found[1]!;
}

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

const run = promisify(execFile);

/** Runs one shell step as GitHub (`bash -eo pipefail`) and GitLab do, in the namespace when given; fails on exit ≠ 0. */
async function shell(
  script: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; ns?: NetworkNamespace },
): Promise<void> {
  const argv = [
    ...(options.ns?.execPrefix ?? []),
    'bash',
    '--noprofile',
    '--norc',
    '-eo',
    'pipefail',
    '-c',
    script,
  ];
  try {
    await run(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env });
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    assert.fail(`\`${script}\` exited ${code}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('docs/ci.md, run as written', () => {
  systemTest(
    'the package file installs as documented, and the GitHub and GitLab jobs pass with their own scenario file',
    { root: true, commands: ['ip', 'npm', 'bash'] },
    async (t) => {
      assert.ok(existsSync(join(root, 'dist/cli.js')), 'run `npm run build` first: npm pack packs dist/');
      const work = tempDir(t);
      const workspace = join(work, 'repository');
      const runnerTemp = join(work, 'runner-temp');
      const prefix = join(work, 'global');
      for (const dir of [workspace, runnerTemp, prefix]) mkdirSync(dir);

      const workflow = parse(block('.github/workflows/')) as { jobs: { probe: { steps: WorkflowStep[] } } };
      const steps = workflow.jobs.probe.steps;
      const install = steps.find((s) => s.run?.startsWith('npm install'))!.run!;
      const tarball = /^npm install --global \.\/(\S+\.tgz)$/.exec(install.trim())?.[1];
      assert.ok(tarball, `the install step is not \`npm install --global ./PATH.tgz\`: ${install}`);

      // actions/checkout: the user's repository holds the page's scenario file and the package file made with npm pack.
      writeFileSync(join(workspace, 'mqtt-connectivity.yaml'), block('mqtt-connectivity.yaml'));
      mkdirSync(join(workspace, dirname(tarball)), { recursive: true });
      // dist/ is built already; --ignore-scripts skips the rebuild that `prepare` would do.
      const { stdout: packed } = await run(
        'npm',
        ['pack', '--ignore-scripts', '--pack-destination', join(workspace, dirname(tarball))],
        { cwd: root },
      );
      assert.equal(
        packed.trim().split('\n').at(-1),
        basename(tarball),
        'the page names the file npm pack makes',
      );

      // A fresh runner: its own global prefix, npm's cache (filled by `npm ci`) before the registry, no proxy.
      const env: NodeJS.ProcessEnv = {
        PATH: `${prefix}/bin:${dirname(process.execPath)}:/usr/bin:/bin:/usr/sbin:/sbin`,
        HOME: process.env.HOME,
        CI: 'true',
        RUNNER_TEMP: runnerTemp,
        GITHUB_WORKSPACE: workspace,
        GITHUB_STEP_SUMMARY: join(runnerTemp, 'step-summary.md'),
        npm_config_prefix: prefix,
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      };
      await shell(install, { cwd: workspace, env });
      const mqttprobe = join(prefix, 'bin', 'mqttprobe');
      assert.ok(existsSync(mqttprobe), 'the install put `mqttprobe` on the PATH');

      // The endpoint: the installed package's own emulator, on the real ports, on the namespace's loopback.
      const ns = createNetworkNamespace(t);
      const certs = join(work, 'emulator');
      await startDaemon(
        t,
        'ip',
        [
          'netns',
          'exec',
          ns.name,
          mqttprobe,
          'emulate',
          '--mqtts-port',
          '8883',
          '--alpn-port',
          '443',
          '--certs-dir',
          certs,
        ],
        /expect: mqtt\.http-response\n/,
      );
      // The emulator's CA stands in for Amazon's roots, which Node trusts already.
      const trusted = { ...env, NODE_EXTRA_CA_CERTS: join(certs, 'ca.pem') };
      const expressions: Record<string, string> = {
        'secrets.DEVICE_CERT': readFileSync(join(certs, 'client.pem.crt'), 'utf8'),
        'secrets.DEVICE_KEY': readFileSync(join(certs, 'client-private.pem.key'), 'utf8'),
        'vars.AWS_IOT_ENDPOINT': 'localhost',
      };
      const expand = (value: string) =>
        value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
          assert.ok(expression in expressions, `the test cannot stand in for \${{ ${expression} }}`);
          return expressions[expression]!;
        });

      // GitHub Actions: every `run` step after the install, in order; the probe runs in the network under test.
      for (const step of steps.slice(steps.findIndex((s) => s.run === install) + 1)) {
        if (step.run === undefined) continue;
        const stepEnv = Object.fromEntries(
          Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))]),
        );
        const probe = step.run.includes('mqttprobe run');
        await shell(step.run, { cwd: workspace, env: { ...trusted, ...stepEnv }, ...(probe ? { ns } : {}) });
      }
      const json = JSON.parse(readFileSync(join(workspace, 'results.json'), 'utf8'));
      assert.deepEqual(
        json.scenarios.map((s: { id: string; met: boolean }) => [s.id, s.met]),
        [
          ['port 8883', true],
          ['port 443 alpn', true],
          ['port 443 no alpn', true],
        ],
      );
      assert.equal(
        (readFileSync(join(workspace, 'results.xml'), 'utf8').match(/<testcase /g) ?? []).length,
        3,
      );
      assert.match(
        readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
        /\| port 443 alpn/,
        'the job summary got the table',
      );
      // The `uses:` steps read what the probe wrote.
      for (const step of steps.filter((s) => s.with?.path)) {
        for (const path of step.with!.path!.split('\n').filter(Boolean))
          assert.ok(existsSync(join(workspace, path.trim())), `${step.name}: ${path} was not written`);
      }

      // GitLab CI: the same install line, then the script with File variables (paths) for the certificate and key.
      const gitlab = parse(block('.gitlab-ci.yml')) as Record<
        string,
        { variables: Record<string, string>; script: string[]; artifacts: { paths: string[] } }
      >;
      const job = gitlab['mqtt-connectivity']!;
      assert.equal(job.script[0], install, 'GitLab installs the same way, so the install above covers it');
      const gitlabEnv = {
        ...trusted,
        ...job.variables,
        // A project variable overrides the example endpoint in the job's `variables:`.
        AWS_IOT_ENDPOINT: 'localhost',
        DEVICE_CERT: join(certs, 'client.pem.crt'),
        DEVICE_KEY: join(certs, 'client-private.pem.key'),
      };
      const project = join(work, 'gitlab-project');
      mkdirSync(project);
      writeFileSync(join(project, 'mqtt-connectivity.yaml'), block('mqtt-connectivity.yaml'));
      for (const line of job.script.slice(1)) await shell(line, { cwd: project, env: gitlabEnv, ns });
      for (const path of [...job.artifacts.paths, 'results.xml'])
        assert.ok(existsSync(join(project, path)), `GitLab artifact ${path} was not written`);
    },
  );
});
