// `endpoint: aws` through the real @aws-sdk/client-iot, pointed at the emulator's DescribeEndpoint stub.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { amazonRootCas } from '../../src/run/aws-root-cas.js';
import { describeEndpoint } from '../../src/run/describe-endpoint.js';
import { resolveEndpoints } from '../../src/run/resolve-endpoints.js';
import { parseProxySetting } from '../../src/scenario/proxy-setting.js';
import { runCli } from '../helpers/cli.js';
import { emulatorScenarioHeader, startTestEmulator } from '../helpers/emulator.js';
import { makePlan } from '../helpers/make-plan.js';

const SCENARIO = `${emulatorScenarioHeader({ endpoint: 'aws', extra: ['aws: { region: eu-west-1 }'], servername: false, timeout: false })}  - name: looked up
  - name: looked up too
    qos: 0
`;

/** Test credentials and the stub's URL, as AWS_ENDPOINT_URL_IOT (the SDK's standard per-service override). */
function awsEnv(controlPlaneUrl: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_IOT: controlPlaneUrl,
    AWS_ACCESS_KEY_ID: 'AKIAMQTTPROBETEST000',
    AWS_SECRET_ACCESS_KEY: 'mqttprobe-test-secret-key-do-not-print',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_PROFILE: '',
  };
}

describe('endpoint: aws', () => {
  test('a run looks the endpoint up with DescribeEndpoint and probes it, printing no credentials', async (t) => {
    const { emulator, env, dir } = await startTestEmulator(t);
    const file = join(dir, 'aws.yaml');
    writeFileSync(file, SCENARIO);
    const result = await runCli(['run', file, '--no-compare'], {
      ...env,
      ...awsEnv(emulator.controlPlaneUrl),
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    // The stub answers with the emulator's host name, which the probe then dialled.
    assert.match(result.stdout, /looked up\s+✔ pass/);
    assert.match(result.stdout, /aws:\d+ mqtts/);
    assert.ok(!(result.stdout + result.stderr).includes('mqttprobe-test-secret-key-do-not-print'));
    assert.doesNotMatch(result.stderr, /NodeVersionSupportWarning/);
  });

  test('the look-up happens once per region and profile', async (t) => {
    const { emulator } = await startTestEmulator(t);
    Object.assign(process.env, awsEnv(emulator.controlPlaneUrl));
    const asked: string[] = [];
    const counting = async (target: { region?: string; profile?: string }) => {
      asked.push(target.region ?? '');
      return describeEndpoint(target);
    };
    const plans = [
      makePlan({ endpoint: 'aws', aws: { region: 'eu-west-1' } }),
      makePlan({ endpoint: 'aws', aws: { region: 'eu-west-1' } }),
      makePlan({ endpoint: 'aws', aws: { region: 'us-east-1' } }),
    ];
    const resolved = await resolveEndpoints(plans, { describeEndpoint: counting });
    await resolved.close();
    assert.deepEqual(asked.sort(), ['eu-west-1', 'us-east-1']);
    assert.deepEqual(
      resolved.plans.map((p) => p.endpoint),
      ['localhost', 'localhost', 'localhost'],
    );
  });

  test('a refused look-up is a clear setup error with exit code 2, before any probe', async (t) => {
    const { emulator, env, dir } = await startTestEmulator(t);
    emulator.setFaults({ denyControlPlane: true });
    const file = join(dir, 'aws.yaml');
    writeFileSync(file, SCENARIO);
    const result = await runCli(['run', file], { ...env, ...awsEnv(emulator.controlPlaneUrl) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /AWS refused DescribeEndpoint: AccessDeniedException/);
    assert.match(result.stderr, /help: the credentials need permission for iot:DescribeEndpoint/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(result.stdout, '', 'no scenario was reported as a network failure');
  });

  test('missing credentials name the fix', async (t) => {
    const { emulator, env, dir } = await startTestEmulator(t);
    const file = join(dir, 'aws.yaml');
    writeFileSync(file, SCENARIO);
    // Empty values count as unset for the SDK's environment provider, and the profile files do not exist.
    const noKeys = { ...awsEnv(emulator.controlPlaneUrl), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
    const result = await runCli(['run', file], { ...env, ...noKeys });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /endpoint: aws needs AWS credentials, and none were found/);
  });
});

test('AWS hosts are verified against Amazon Root CA 1 and 3 only', async () => {
  const resolved = await resolveEndpoints([
    makePlan({ endpoint: 'abc-ats.iot.eu-west-1.amazonaws.com' }),
    makePlan({ endpoint: 'broker.example' }),
  ]);
  assert.equal(resolved.plans[0]!.ca, amazonRootCas());
  assert.equal((amazonRootCas().pem.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
  assert.equal(resolved.plans[1]!.ca, undefined, 'other hosts keep the default trust store');
});

test('NO_PROXY applies to the looked-up AWS host', async () => {
  const plan = makePlan({
    endpoint: 'aws',
    proxy: { ...parseProxySetting('http://proxy.corp:3128', 'HTTPS_PROXY'), noProxy: '.amazonaws.com' },
  });
  const proxied = makePlan({ ...plan, proxy: { ...plan.proxy!, noProxy: 'corp.example' } });
  const resolved = await resolveEndpoints([plan, proxied], {
    describeEndpoint: async () => 'abc-ats.iot.eu-west-1.amazonaws.com',
  });
  assert.equal(resolved.plans[0]!.proxy, undefined);
  assert.equal(resolved.plans[1]!.proxy?.display, 'http://proxy.corp:3128 (HTTPS_PROXY)');
});
