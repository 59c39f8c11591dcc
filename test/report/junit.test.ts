import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  escapeXmlAttribute,
  escapeXmlText,
  MISSED_EXPECTATION_TYPE,
  renderJunit,
} from '../../src/report/junit.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { capturedReport, HOSTILE_NAME, hostileReport } from './captured-reports.js';

const XSD = fileURLToPath(new URL('../fixtures/junit/ant-junit.xsd', import.meta.url));
const mixed = renderJunit(capturedReport('mixed'));

/** Runs xmllint on the XML; returns its exit status and output. */
function xmllint(xml: string, dir: string, args: string[]): { status: number; output: string } {
  const file = join(dir, `report-${Math.random().toString(16).slice(2)}.xml`);
  writeFileSync(file, xml);
  try {
    return {
      status: 0,
      output: execFileSync('xmllint', [...args, file], { encoding: 'utf8', stdio: 'pipe' }),
    };
  } catch (error) {
    const e = error as { status?: number; stderr?: string };
    return { status: e.status ?? -1, output: e.stderr ?? '' };
  }
}

const testcase = (xml: string, name: string) => {
  const start = xml.indexOf(`<testcase name="${name}"`);
  assert.ok(start >= 0, `no testcase ${name}`);
  return xml.slice(
    start,
    xml.indexOf(xml[xml.indexOf('>', start) - 1] === '/' ? '/>' : '</testcase>', start),
  );
};

describe('the JUnit report', () => {
  test('starts with a comment stating the mapping', () => {
    const [declaration, comment] = mixed.split('\n');
    assert.equal(declaration, '<?xml version="1.0" encoding="UTF-8"?>');
    assert.match(
      comment!,
      /^<!-- mqttprobe: one testsuite per scenario file, one testcase per scenario;.*-->$/,
    );
  });

  test('has one testsuite per scenario file and one testcase per scenario', () => {
    const report = capturedReport('mixed');
    report.scenarios[2]!.plan.file = 'scenarios/other.yaml';
    const xml = renderJunit(report);
    assert.deepEqual(
      [...xml.matchAll(/<testsuite name="([^"]*)"[^>]* id="(\d+)"[^>]* tests="(\d+)" failures="(\d+)"/g)].map(
        (m) => m.slice(1),
      ),
      [
        ['scenarios/mixed.yaml', '0', '7', '3'],
        ['scenarios/other.yaml', '1', '1', '0'],
      ],
    );
    assert.equal(xml.match(/<testcase /g)?.length, 8);
  });

  test('a missed expectation is a failure typed by its diagnosis code, with message, fix and location', () => {
    const qos2 = testcase(mixed, 'qos 2');
    assert.match(
      qos2,
      /<failure type="mqtt\.suback-timeout" message="no SUBACK within 1000 ms for [^"]+ at QoS 2">mqtt\.suback-timeout: no SUBACK/,
    );
    assert.match(qos2, /\nfix: AWS IoT does not support QoS 2/);
    assert.match(qos2, /\nat scenarios\/mixed\.yaml:\d+:\d+/);
    assert.match(
      qos2,
      /\ntimeline: dns [\d.]+ms · tcp [\d.]+ms · tls [\d.]+ms · connack [\d.]+ms · suback ✖ after/,
    );
  });

  test('an expected failure that did not come is a failure too', () => {
    assert.match(
      testcase(mixed, 'must be blocked'),
      new RegExp(
        `<failure type="${MISSED_EXPECTATION_TYPE}" message="expected \`tcp\\.timeout\`, but the probe got through">`,
      ),
    );
  });

  test('a pass and an expected failure are passing testcases; the expected failure is told in system-out', () => {
    assert.match(mixed, /<testcase name="aws 8883" classname="scenarios\/mixed\.yaml" time="0\.0\d\d"\/>/);
    assert.match(
      mixed,
      /<testcase name="aws 443 no alpn" classname="scenarios\/mixed\.yaml" time="[\d.]+"\/>/,
    );
    assert.match(mixed, /<system-out>[^<]*aws 443 no alpn: failed as expected: mqtt\.http-response/);
    assert.match(mixed, /warning tls\.insecure: the server certificate was NOT verified/);
  });

  test('interrupted scenarios are skipped testcases', () => {
    const report = capturedReport('mixed');
    report.interrupted = true;
    report.notRun = ['slow one', 'slow <two>'];
    const xml = renderJunit(report);
    assert.match(
      xml,
      /<testsuite name="not run \(interrupted\)"[^>]* tests="2" failures="0" errors="0" skipped="2"/,
    );
    assert.match(
      xml,
      /<testcase name="slow &lt;two&gt;" classname="not run \(interrupted\)" time="0"><skipped\/><\/testcase>/,
    );
  });

  test('escapes markup, quotes, line breaks, and shows forbidden control characters', () => {
    assert.equal(escapeXmlAttribute(`<a & "b" 'c'>`), '&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;');
    assert.equal(escapeXmlAttribute('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d');
    assert.equal(escapeXmlText(']]> & <x>'), ']]&gt; &amp; &lt;x&gt;');
    assert.equal(escapeXmlText('a\u0000b\u001bc\u007f'), 'a\\x00b\\x1bc\\x7f');
    assert.equal(escapeXmlText('😀 𝄞'), '😀 𝄞', 'non-BMP characters pass through whole');
    assert.equal(escapeXmlText('lone \ud800 surrogate \uffff'), 'lone \ufffd surrogate \ufffd');
    const xml = renderJunit(hostileReport());
    assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    assert.ok(!xml.includes(']]>'));
  });

  systemTest('is valid against the Ant JUnit schema CI servers read', { commands: ['xmllint'] }, (t) => {
    const dir = tempDir(t);
    for (const xml of [mixed, renderJunit(capturedReport('demo')), renderJunit(capturedReport('repeat'))]) {
      const result = xmllint(xml, dir, ['--noout', '--schema', XSD]);
      assert.equal(result.status, 0, result.output);
    }
    const interrupted = capturedReport('mixed');
    interrupted.interrupted = true;
    interrupted.notRun = ['x'];
    assert.equal(xmllint(renderJunit(interrupted), dir, ['--noout', '--schema', XSD]).status, 0);
  });

  systemTest(
    'the schema check can fail: a testsuite without its id is rejected',
    { commands: ['xmllint'] },
    (t) => {
      const result = xmllint(mixed.replace(/ id="0"/, ''), tempDir(t), ['--noout', '--schema', XSD]);
      assert.notEqual(result.status, 0);
      assert.match(result.output, /attribute 'id' is required/);
    },
  );

  systemTest(
    'any scenario name survives: valid XML, and the name reads back',
    { commands: ['xmllint'] },
    (t) => {
      const dir = tempDir(t);
      const xml = renderJunit(hostileReport());
      const result = xmllint(xml, dir, ['--noout', '--schema', XSD]);
      assert.equal(result.status, 0, result.output);
      const name = xmllint(xml, dir, ['--xpath', 'string(//testcase[1]/@name)']);
      assert.equal(name.status, 0, name.output);
      const expected = `${HOSTILE_NAME.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)} #0`;
      assert.equal(name.output.replace(/\n$/, ''), expected, 'tabs and line breaks survive as references');
    },
  );
});
