import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { DIAGNOSIS_CODES } from '../../src/probe/diagnosis/diagnosis.js';
import { type JsonReport, renderJson } from '../../src/report/json-report.js';
import { reportJsonSchema } from '../../src/report/report-schema.js';
import { runPlans } from '../../src/run/run-plans.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { PHASES, TIMED_PHASES } from '../../src/scenario/phases.js';
import { EMULATOR_SCENARIO_HEADER, startTestEmulator } from '../helpers/emulator.js';
import { type CapturedRun, capturedReport, HOSTILE_NAME, hostileReport } from './captured-reports.js';

interface SchemaNode {
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
}
const schema = JSON.parse(
  readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'),
) as SchemaNode & Record<string, unknown>;

function validator(): ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: true });
  // Ajv leaves formats to a plugin; ISO 8601 with a zone is all this report ever writes.
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  return ajv.compile(schema);
}
const validate = validator();

function assertValid(json: string): JsonReport {
  const doc = JSON.parse(json) as JsonReport;
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  return doc;
}

describe('the JSON report', () => {
  for (const name of ['mixed', 'demo', 'repeat'] as CapturedRun[]) {
    test(`of the captured ${name} run is valid against schema/report.schema.json`, () => {
      assertValid(renderJson(capturedReport(name)));
    });
  }

  test('the schema rejects what it should: an unknown field, a wrong version, an unknown code', () => {
    const doc = JSON.parse(renderJson(capturedReport('mixed'))) as Record<string, unknown> & JsonReport;
    assert.equal(validate({ ...doc, extra: 1 }), false);
    assert.equal(validate({ ...doc, schemaVersion: 2 }), false);
    const bad = structuredClone(doc);
    bad.scenarios.find((s) => s.diagnosis)!.diagnosis!.code = 'tls.made-up' as never;
    assert.equal(validate(bad), false);
    const noPhase = structuredClone(doc);
    noPhase.scenarios[0]!.probes[0]!.phases = { conack: { startMs: 0, durationMs: 1 } } as never;
    assert.equal(validate(noPhase), false);
  });

  test('schema/report.schema.json is up to date (regenerate: npx tsx scripts/write-report-schema.ts)', () => {
    assert.deepEqual(schema, reportJsonSchema());
  });

  test('the schema names every diagnosis code and phase the code knows, no more', () => {
    const defs = schema.definitions!;
    assert.deepEqual(defs.diagnosisCode!.enum, [...DIAGNOSIS_CODES]);
    assert.deepEqual(defs.phase!.enum, [...PHASES]);
    assert.deepEqual(Object.keys(defs.probe!.properties!.phases!.properties!), [...PHASES]);
    assert.deepEqual(Object.keys(defs.scenario!.properties!.stats!.properties!), [...TIMED_PHASES, 'total']);
  });

  test('is versioned and carries phases, TLS, diagnosis, expectation, verdict and statistics', () => {
    const report = capturedReport('mixed');
    const doc = assertValid(renderJson(report));
    assert.equal(doc.schemaVersion, 1);
    const byId = (id: string) => doc.scenarios.find((s) => s.id === id)!;
    const first = byId('aws 8883').probes[0]!;
    const raw = report.scenarios[0]!.probes[0]!;
    assert.equal(first.phases.tls!.startMs, Math.round(raw.phases.tls!.startMs * 1000) / 1000);
    assert.equal(first.phases.tls!.durationMs, Math.round(raw.phases.tls!.durationMs * 1000) / 1000);
    assert.equal(first.tls!.protocol, 'TLSv1.3');
    assert.equal(first.tls!.serverCertificate!.subject, 'CN=localhost');
    const failed = byId('qos 2');
    assert.equal(failed.verdict, 'fail');
    assert.equal(failed.met, false);
    assert.equal(failed.expect, 'pass');
    assert.equal(failed.diagnosis!.code, 'mqtt.suback-timeout');
    assert.match(failed.diagnosis!.hint, /QoS 2/);
    assert.deepEqual(failed.diagnosis!.location.file, 'scenarios/mixed.yaml');
    const alpn = byId('h2 only <&> "quoted"');
    assert.equal(alpn.diagnosis!.cause!.code, 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL');
    const expected = byId('aws 443 no alpn');
    assert.deepEqual([expected.verdict, expected.expect], ['expected-failure', 'mqtt.http-response']);
    assert.equal(byId('must be blocked').mismatch, 'expected `tcp.timeout`, but the probe got through');
    const repeated = byId('repeated');
    assert.equal(repeated.probes.length, 5);
    assert.equal(repeated.stats!.total!.n, 4, 'the cold first probe is left out');
    assert.ok(repeated.stats!.tls!.p50Ms <= repeated.stats!.tls!.p95Ms);
    const rep = repeated.probes[repeated.representative]!;
    const rawRep = report.scenarios.find((s) => s.plan.id === 'repeated')!.representative;
    assert.equal(rep.clientId, rawRep.clientId);
    assert.deepEqual(
      byId('insecure').warnings.map((w) => w.code),
      ['tls.insecure'],
    );
  });

  test('carries a server DISCONNECT and the count of unsolicited messages, valid against the schema', () => {
    const report = structuredClone(capturedReport('mixed'));
    const probe = report.scenarios[0]!.probes[0]!;
    // Whatever else the server sent with it (user properties) never reaches the report.
    probe.serverDisconnect = {
      reasonCode: 0x8e,
      reasonString: 'another client connected',
      extra: 1,
    } as never;
    probe.unsolicitedMessages = 3;
    const doc = assertValid(renderJson(report));
    const out = doc.scenarios[0]!.probes[0]!;
    assert.deepEqual(out.serverDisconnect, { reasonCode: 0x8e, reasonString: 'another client connected' });
    assert.equal(out.unsolicitedMessages, 3);
    const other = doc.scenarios[0]!.probes.slice(1).concat(doc.scenarios.slice(1).flatMap((s) => s.probes));
    assert.ok(other.every((p) => p.serverDisconnect === undefined && p.unsolicitedMessages === undefined));
  });

  test('keeps hostile names intact (JSON escapes them itself)', () => {
    const doc = assertValid(renderJson(hostileReport()));
    assert.equal(doc.scenarios[0]!.name, HOSTILE_NAME);
  });

  test('a fresh run against the emulator is valid and holds none of the secrets it used', async (t) => {
    const secrets = {
      password: 'Pa55-of-the-SECRET-kind-4417',
      wrongPassword: 'Wrong-SECRET-pa55-9931',
      token: 'token-SECRET-value-2208',
      signature: 'signature-SECRET-value-6604',
      proxyPassword: 'proxy-SECRET-pa55-1312',
    };
    const { env, dir } = await startTestEmulator(t, {
      customAuthorizer: { username: 'device', password: secrets.password },
    });
    const auth = (password: string) => `
    auth:
      type: custom-authorizer
      authorizer: probe-authorizer
      username: device
      password: ${password}
      token: ${secrets.token}
      tokenKeyName: tok
      signature: ${secrets.signature}`;
    const text = `${EMULATOR_SCENARIO_HEADER}  - name: certificate
    repeat: 2
  - name: authorizer
    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}
    alpn: mqtt${auth(secrets.password)}
  - name: authorizer wrong password
    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}
    alpn: mqtt
    expect: fail${auth(secrets.wrongPassword)}
  - name: through a proxy that is not there
    proxy: http://user:${secrets.proxyPassword}@127.0.0.1:1
    steps: [connect]
    expect: fail
`;
    const loaded = loadScenarioText(join(dir, 'secrets.yaml'), text, { env });
    assert.deepEqual(loaded.errors, []);
    const report = await runPlans(loaded.plans, { concurrency: 2 });
    const json = renderJson(report);
    const doc = assertValid(json);
    assert.deepEqual(
      doc.scenarios.map((s) => [s.id, s.verdict]),
      [
        ['certificate', 'pass'],
        ['authorizer', 'pass'],
        ['authorizer wrong password', 'expected-failure'],
        ['through a proxy that is not there', 'expected-failure'],
      ],
    );
    for (const [what, secret] of Object.entries(secrets)) {
      assert.ok(!json.includes(secret), `the ${what} leaked into the JSON report`);
    }
    const key = readFileSync(env.MQTTPROBE_EMULATOR_KEY!, 'utf8');
    for (const line of key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
      assert.ok(!json.includes(line), 'private key material leaked into the JSON report');
    }
    assert.match(
      json,
      /"proxy": "http:\/\/user:\*\*\*@127\.0\.0\.1:1"/,
      'the proxy shows, its password masked',
    );
  });
});
