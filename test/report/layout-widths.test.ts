import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { renderCompare } from '../../src/report/compare-table.js';
import { textWidth } from '../../src/report/fit-width.js';
import { formatMs } from '../../src/report/format-ms.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { colorStyle, plainStyle } from '../../src/report/style.js';
import { NAME_CAP, renderTable } from '../../src/report/table.js';
import { renderWaterfall } from '../../src/report/waterfall.js';
import type { RunReport } from '../../src/run/result.js';
import { runPlans } from '../../src/run/run-plans.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { assertFits, orphanedLines, widestColumns } from '../helpers/layout.js';
import { capturedReport, hostileReport } from './captured-reports.js';

const LONG_NOTES = 'test/fixtures/layout/long-notes.yaml';
const VIEWS = { table: renderTable, compare: renderCompare, waterfall: renderWaterfall };
const WIDTHS = [60, 80, 100, 200];

/** One real run of the file of long names, diagnoses and warnings (the emulator, in-process), rendered many times. */
async function runLongNotes(): Promise<RunReport> {
  const text = readFileSync(new URL(`../../${LONG_NOTES}`, import.meta.url), 'utf8');
  const loaded = loadScenarioText(LONG_NOTES, text, { env: {} });
  assert.deepEqual(loaded.errors, []);
  return runPlans(loaded.plans, { concurrency: 4 });
}
const longRun = runLongNotes();

describe('every view at 60, 80, 100 and 200 columns', () => {
  let long: RunReport;
  before(async () => {
    long = await longRun;
  });
  const reports = (): Array<[string, RunReport]> => [
    ['long notes', long],
    ['demo', capturedReport('demo')],
    ['mixed', capturedReport('mixed')],
    ['repeat', capturedReport('repeat')],
    ['hostile', hostileReport()],
  ];

  test('no line is wider than the width, and no wrapped note leaves a lone word', () => {
    for (const [name, report] of reports()) {
      for (const [view, render] of Object.entries(VIEWS)) {
        for (const width of WIDTHS) {
          const text = render(report, { style: colorStyle, width });
          assertFits(text, width, `${view} of the ${name} run at ${width}`);
        }
      }
    }
  });

  test('the long notes wrap once, keeping codes, host names and paths whole', () => {
    for (const width of [80, 100]) {
      const text = renderTable(long, { style: plainStyle, width });
      for (const token of [
        'tls.hostname-mismatch:',
        'a-name-the-emulator-certificate-does-not-carry.example.com',
        'mqtt.client-id-like-thing-name:',
        `${LONG_NOTES}:12:17`,
      ]) {
        assert.ok(text.includes(token), `${token} is broken at ${width}:\n${text}`);
      }
      // Continuation lines hang under the first by two more columns.
      assert.match(text, /\n {2}tls\.hostname-mismatch: .*\n {4}\S/);
    }
  });

  test('the scenario column grows to at most 40 columns; a wide terminal keeps the spare room', () => {
    const text = renderTable(long, { style: plainStyle, width: 200 });
    const header = text.split('\n')[0]!;
    assert.equal(header.indexOf('result'), NAME_CAP + 1, header);
    assert.ok(widestColumns(text) < 200, 'nothing stretches to the full width');
    // The long name is wrapped, never cut: every word of it is there.
    const name = long.scenarios[0]!.plan.id;
    const shown = text
      .split('\n')
      .slice(1, 4)
      .map((l) => l.slice(0, NAME_CAP).trim())
      .join(' ');
    assert.ok(shown.startsWith(name), shown);
  });

  test('where the phases do not fit beside the names, the table splits them into blocks', () => {
    const report = capturedReport('mixed');
    const text = renderTable(report, { style: plainStyle, width: 60 });
    const headers = text.split('\n').filter((l) => /^scenario\s+result\s/.test(l));
    assert.ok(headers.length >= 2, text);
    // Every phase is in exactly one block, in order, and every block lists every scenario.
    const phases = headers.flatMap((h) => h.split(/\s+/).slice(2));
    assert.deepEqual(phases, ['dns', 'tcp', 'tls', 'connack', 'suback', 'puback', 'receive', 'total']);
    for (const o of report.scenarios) {
      const rows = text.split('\n').filter((l) => l.startsWith(o.plan.id.slice(0, 12)));
      assert.ok(rows.length >= headers.length, o.plan.id);
    }
    // At 100 the same run is one block, each scenario's notes under its own row.
    const wide = renderTable(report, { style: plainStyle, width: 100 });
    assert.equal(wide.split('\n').filter((l) => /^scenario\s+result\s/.test(l)).length, 1);
  });

  test('the side-by-side view splits into blocks of columns, each repeating the phase names', () => {
    const demo = capturedReport('demo');
    const at = (width: number) => renderCompare(demo, { style: plainStyle, width });
    const blocksOf = (text: string) => text.split('\n').filter((l) => /^connack\s/.test(l)).length;
    assert.equal(blocksOf(at(200)), 1);
    assert.equal(blocksOf(at(80)), 2);
    assert.equal(blocksOf(at(60)), 2);
    // No block is a lone column when it need not be: 7 variants in blocks of at most 3 go 3, 2, 2.
    const seven = structuredClone(demo);
    seven.scenarios.push({
      ...structuredClone(demo.scenarios[0]!),
      plan: { ...demo.scenarios[0]!.plan, id: 'again' },
    });
    const sizes = renderCompare(seven, { style: plainStyle, width: 60 })
      .split('\n')
      .filter((l) => /^result\s/.test(l))
      .map((l) => l.match(/✔|✖/g)!.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${sizes}`);
    assert.doesNotMatch(
      at(60),
      /x-amzn-mqtt-\n/,
      'the ALPN name is not broken where a wider column keeps it',
    );
  });

  test('the waterfall’s bars scale with the width', () => {
    const demo = capturedReport('demo');
    const bars = (width: number) =>
      Math.max(
        ...renderWaterfall(demo, { width })
          .split('\n')
          .map((l) => (l.match(/[█░]+/)?.[0] ?? '').length),
      );
    assert.ok(bars(200) > bars(100) && bars(100) > bars(60), `${bars(60)} ${bars(100)} ${bars(200)}`);
    assert.ok(textWidth(renderWaterfall(demo, { width: 200 }).split('\n')[3]!) > 100);
  });
});

describe('the idle hold', () => {
  let held: RunReport;
  before(async () => {
    const long = await longRun;
    held = { ...long, scenarios: long.scenarios.filter((o) => o.plan.name === 'holds the connection idle') };
  });

  test('has a column in the table and a row side by side, dim, with a legend that says it is not latency', () => {
    const o = held.scenarios[0]!;
    const holdMs = o.representative.phases.hold!.durationMs;
    assert.ok(holdMs >= 300, 'the probe held for the 300 ms the file asks');
    assert.equal(o.stats?.['hold' as never], undefined, 'no latency statistics for the hold');
    const table = renderTable(held, { style: plainStyle });
    assert.match(table.split('\n')[0]!, /\sreceive\s+hold\s+total$/);
    assert.ok(table.split('\n')[1]!.includes(formatMs(holdMs)), table);
    assert.match(
      table,
      /\nhold: idle time the scenario asked for \(`hold`, ended by one answered PINGREQ\), not latency/,
    );
    const both = { ...held, scenarios: [o, { ...o, plan: { ...o.plan, id: 'again', port: 443 } }] };
    const compare = renderCompare(both, { style: plainStyle });
    assert.match(compare, /\nhold\s+\S+\s+\S+\n/, 'a hold row, its figures never marked fastest or slowest');
    assert.match(compare, /hold: idle time/);
    // Beside a variant without a hold, the total with one is no latency: it takes no mark.
    const plain = held.scenarios[0]!;
    const without = { ...structuredClone(plain), plan: { ...plain.plan, id: 'no hold', holdMs: 0 } };
    for (const p of without.probes) delete p.phases.hold;
    const mixed = renderCompare({ ...held, scenarios: [plain, without] }, { style: plainStyle });
    assert.doesNotMatch(mixed.split('\n').find((l) => l.startsWith('total'))!, /[▼▲]/, mixed);
    assert.match(renderMarkdown(held), /\| receive \| hold \| total \|/);
    assert.match(renderMarkdown(held), /The hold column: idle time/);
    assert.match(renderJunit(held), /hold [\d.]+m?s \(idle\)/);
  });

  test('is drawn in the waterfall as an idle line, not a bar', () => {
    const text = renderWaterfall(held, { style: plainStyle });
    const line = text.split('\n').find((l) => /^ {2}hold\s/.test(l))!;
    assert.match(line, /─{3,}$/, text);
    assert.doesNotMatch(line, /█/);
    // The hold is longer than the rest of the probe: the other phases keep a scale of their own, before ≈.
    assert.match(text.split('\n').find((l) => /^ {2}phase\s/.test(l))!, /\s0\s+[\d.]+m?s\s+≈ [\d.]+m?s$/);
    const header = text.split('\n').find((l) => /^ {2}phase\s/.test(l))!;
    const barStart = header.indexOf(' 0 ') + 1;
    const barWidth = header.length - barStart;
    const receive = text.split('\n').find((l) => /^ {2}receive\s/.test(l))!;
    assert.ok(
      receive.lastIndexOf('█') + 1 - barStart >= 0.7 * barWidth,
      `the network phases keep most of the bar:\n${text}`,
    );
    assert.ok(line.match(/─+/)![0].length <= barWidth / 4 + 1, `the hold takes the rest:\n${text}`);
    assert.match(text, /hold ─: the connection kept idle for the scenario’s `hold`/);
  });

  test('a run without a hold shows none of it', () => {
    const demo = capturedReport('demo');
    for (const text of [renderTable(demo), renderCompare(demo), renderWaterfall(demo), renderMarkdown(demo)])
      assert.doesNotMatch(text, /\bhold\b/);
  });
});

test('the orphan check finds the double wrap it was written for', () => {
  // What a renderer that wrapped a wrapped line printed at 100 columns (issue 15).
  const text = [
    '  tls.untrusted-server: the server certificate is not trusted',
    '(UNABLE_TO_VERIFY_LEAF_SIGNATURE);',
    '    it was issued by CN=corporate proxy CA, which the CA bundle does not hold; ask',
    '    for',
    '    the port to be opened',
  ].join('\n');
  assert.deepEqual(orphanedLines(text, 100), [
    '    it was issued by CN=corporate proxy CA, which the CA bundle does not hold; ask⏎    for',
  ]);
  assert.deepEqual(orphanedLines(stripVTControlCharacters(text), 40), []);
});
