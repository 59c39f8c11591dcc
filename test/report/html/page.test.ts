import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { probeTally, verdictWords } from '../../../src/report/cells.js';
import { fixLocationText } from '../../../src/report/fix-location.js';
import { formatMs } from '../../../src/report/format-ms.js';
import { escapeText } from '../../../src/report/html/escape.js';
import {
  diagnosisBlock,
  html,
  htmlPage,
  renderHtml,
  verdictBadge,
  waterfallSvg,
} from '../../../src/report/html/index.js';
import { MAX_DRAWN_SCENARIOS } from '../../../src/report/html/page.js';
import { recommendWay } from '../../../src/report/recommend-way.js';
import { scenarioWarnings } from '../../../src/report/scenario-warnings.js';
import { familyFacts } from '../../../src/report/waterfall.js';
import type { RunReport } from '../../../src/run/result.js';
import { type CapturedRun, capturedReport, HOSTILE_NAME, hostileReport } from '../captured-reports.js';

const RUNS: CapturedRun[] = ['mixed', 'demo', 'repeat'];
const mixed = capturedReport('mixed');
const page = renderHtml(mixed);

/** The markup of one element found by its opening tag's start, up to its matching close (no nesting of the same tag). */
function element(markup: string, start: string, tag: string): string {
  const from = markup.indexOf(start);
  assert.ok(from >= 0, `no ${start}`);
  return markup.slice(from, markup.indexOf(`</${tag}>`, from) + tag.length + 3);
}

/** The article of a scenario, by its position in the report. */
const sectionOf = (markup: string, i: number) => element(markup, `id="scenario-${i + 1}"`, 'article');

describe('the HTML page', () => {
  test('is one self-contained document: charset, no script, nothing it could fetch', () => {
    for (const name of RUNS) {
      const markup = renderHtml(capturedReport(name));
      assert.match(markup, /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">/, name);
      assert.match(markup, /Content-Security-Policy" content="default-src 'none'/);
      assert.doesNotMatch(markup, /<script|<link|<img|<iframe|<object|@import|@font-face/i, name);
      assert.doesNotMatch(markup, /\ssrc=/i, name);
      for (const [, href] of markup.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^#/, name);
      for (const [, ref] of markup.matchAll(/url\(([^)]*)\)/g)) assert.match(ref!, /^#/, name);
      assert.match(markup, /@media print \{[^@]*\.scenario, figure[^}]*break-inside: avoid/);
    }
  });

  test('opens with the verdict and which ways work, which do not and why', () => {
    const head = page.slice(0, page.indexOf('id="comparison"'));
    assert.match(head, /<h1>✖ mqttprobe: 5 of 8 scenarios met, 3 missed<\/h1>/);
    const works = element(head, '<h3>Works</h3>', 'ul');
    const fails = element(head, '<h3>Does not work</h3>', 'ul');
    for (const o of mixed.scenarios) {
      const into = o.verdict === 'pass' ? works : fails;
      assert.ok(into.includes(escapeText(o.plan.id)), `${o.plan.id} listed under the wrong heading`);
      if (o.diagnosis) assert.ok(fails.includes(`<code>${o.diagnosis.code}</code>`), o.plan.id);
    }
  });

  test('says what the terminal says of every scenario: verdict, code, explanation, fix and line to change', () => {
    const now = new Date(mixed.startedAt);
    mixed.scenarios.forEach((o, i) => {
      const section = sectionOf(page, i);
      assert.ok(section.includes(`<h3>${escapeText(o.plan.id)} `), o.plan.id);
      const v = verdictWords(o, 'full');
      assert.ok(section.includes(`${v.met ? '✔' : '✖'} ${v.word}</span>`), `${o.plan.id}: verdict`);
      const count = probeTally(o);
      if (count) assert.ok(section.includes(`<p class="where">${count}</p>`), `${o.plan.id}: ${count}`);
      assert.equal(
        (section.match(/<svg class="waterfall-chart"/g) ?? []).length,
        1,
        `${o.plan.id}: waterfall`,
      );
      const d = o.diagnosis;
      if (d) {
        assert.ok(
          section.includes(`<code class="code">${d.code}</code>: ${escapeText(d.message)}`),
          o.plan.id,
        );
        const fix =
          section.includes(escapeText(d.hint)) &&
          section.includes(escapeText(fixLocationText(o.plan, d.code)));
        // As in the terminal: an expected failure is told quietly, without a fix to make.
        assert.equal(fix, !o.met, `${o.plan.id}: fix shown exactly when the failure was not expected`);
      }
      if (o.mismatch) assert.ok(section.includes(escapeText(`✖ ${o.mismatch}`)), o.plan.id);
      for (const w of scenarioWarnings(o, now, mixed.scenarios)) {
        assert.ok(
          section.includes(`<code>${w.code}</code>: ${escapeText(w.message)}`),
          `${o.plan.id}: ${w.code}`,
        );
        assert.ok(element(page, 'id="warnings"', 'section').includes(escapeText(w.message)));
      }
    });
    // Missed failures first, then the expected ones: the ones to act on lead.
    const failures = element(page, 'id="failures"', 'section');
    const at = (o: (typeof mixed.scenarios)[number]) => failures.indexOf(`>${escapeText(o.plan.id)}</a>`);
    const told = mixed.scenarios.filter((o) => o.diagnosis || o.mismatch);
    for (const o of told) assert.ok(at(o) >= 0, `${o.plan.id} is not among the failures`);
    const lastMissed = Math.max(...told.filter((o) => !o.met).map(at));
    const firstExpected = Math.min(...told.filter((o) => o.met).map(at));
    assert.ok(lastMissed < firstExpected);
  });

  test('a waterfall per scenario: the failed phase hatched and marked ✖, unreached phases said so', () => {
    const i = mixed.scenarios.findIndex((o) => o.plan.id === 'qos 2');
    const svg = element(sectionOf(page, i), '<svg class="waterfall-chart"', 'svg');
    assert.match(
      svg,
      /<g class="row failed missed"><text class="label" x="0" y="[\d.]+">suback<\/text><text[^>]*>✖ 999ms<\/text>/,
    );
    assert.match(svg, /fill="url\(#wf\d+-failed-missed\)"/);
    for (const phase of ['puback', 'receive'])
      assert.match(svg, new RegExp(`<g class="row not-reached"><text[^>]*>${phase}</text>.*?not reached`));
    const demo = capturedReport('demo');
    const cold = demo.scenarios.findIndex((o) => o.representative.cold);
    assert.ok(cold >= 0, 'the captured demo has a cold probe');
    assert.match(sectionOf(renderHtml(demo), cold), /cold: the run’s first probe, its times include warm-up/);
  });

  test('the comparison chart has one bar per scenario and a legend entry per phase it draws', () => {
    const chart = element(page, '<svg class="compare-chart"', 'svg');
    assert.equal((chart.match(/<g class="row (met|missed)">/g) ?? []).length, mixed.scenarios.length);
    const legend = element(page, '<ul class="legend">', 'ul');
    const drawn = new Set([...chart.matchAll(/<g class="phase ([a-z]+)">/g)].map((m) => m[1]));
    for (const phase of drawn) assert.match(legend, new RegExp(`</svg> ${phase}</li>`));
    assert.match(legend, /the phase that failed \(hatched\)/);
  });

  test('a repeated scenario shows min, p50, p95 and max of its warm probes per phase', () => {
    const report = capturedReport('repeat');
    const markup = renderHtml(report);
    report.scenarios.forEach((o, i) => {
      if (o.probes.length < 2) {
        assert.doesNotMatch(sectionOf(markup, i), /class="stats"/);
        return;
      }
      const stats = element(sectionOf(markup, i), '<table class="stats">', 'table');
      for (const [phase, st] of Object.entries(o.stats ?? {})) {
        const row = [phase, st!.n, ...[st!.minMs, st!.p50Ms, st!.p95Ms, st!.maxMs].map(formatMs)];
        assert.ok(
          stats.includes(`<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`),
          `${o.plan.id} ${phase}`,
        );
      }
    });
  });

  test("a check's comparison (scenarios tagged `way`) opens with check's recommendation", () => {
    const report: RunReport = capturedReport('demo');
    for (const o of report.scenarios) o.plan.tags = ['way'];
    const markup = renderHtml(report);
    const banner = element(markup, '<header class="verdict-banner', 'header');
    assert.ok(banner.includes(`<p class="recommendation">${escapeText(recommendWay(report).text)}</p>`));
    assert.doesNotMatch(renderHtml(capturedReport('demo')), /class="recommendation"/);
  });

  test('names, server text and certificate fields are text, never markup', () => {
    const report = hostileReport();
    const o = report.scenarios[0]!;
    o.plan.id = '<script>alert(1)</script>';
    const cert = o.representative.tls!.serverCertificate!;
    cert.subject = 'CN="><img src=x onerror=alert(2)>';
    cert.issuer = "CN='><svg onload=alert(3)>";
    const p = o.representative;
    p.proxy = { url: 'http://user:***@proxy:3128', answer: 'HTTP/1.1 403 <b>Forbidden</b>' };
    p.connack = {
      protocolVersion: 5,
      reasonCode: 0,
      sessionPresent: false,
      properties: { reasonString: '<script>x</script>', maximumQoS: 1 },
    };
    p.serverDisconnect = { reasonCode: 0x8e, reasonString: '<img src=y>' };
    p.familyAttempts = [
      { family: 6, address: 'fd16::1', outcome: 'timeout', afterMs: 2000, used: false },
      { family: 4, address: '10.0.0.1', outcome: 'connected', afterMs: 0.4, used: true },
    ];
    const failed = report.scenarios.find((s) => s.diagnosis)!;
    failed.diagnosis!.message = 'answered "HTTP/1.1 400 <iframe src=//evil>"';
    const markup = renderHtml(report, {
      hostname: '<b>host</b>',
      about: { mqttprobeVersion: '<i>', nodeVersion: 'v20' },
    });
    assert.doesNotMatch(markup, /<script|<img|<iframe|<svg onload|<b>host|<i>/);
    assert.ok(markup.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(markup.includes('CN="&gt;&lt;img src=x onerror=alert(2)&gt;'));
    assert.ok(markup.includes(escapeText(HOSTILE_NAME)));
    // What the servers answered is shown, as text.
    const answers = element(sectionOf(markup, 0), '<div class="answers">', 'div');
    assert.ok(
      answers.includes(
        'http://user:***@proxy:3128 answered <q>HTTP/1.1 403 &lt;b&gt;Forbidden&lt;/b&gt;</q>',
      ),
    );
    assert.ok(answers.includes('MQTT 5 · reason code 0x00'));
    assert.ok(answers.includes('reasonString &lt;script&gt;x&lt;/script&gt; · maximumQoS 1'));
    assert.ok(answers.includes('reason code 0x8E: &lt;img src=y&gt;'));
    // Both IP families, in the terminal waterfall's words, loud as there when one failed.
    assert.ok(answers.includes(`<dd class="loud">${escapeText(familyFacts(p)!.text)}</dd>`));
    assert.doesNotMatch(
      markup,
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/,
      'no control character',
    );
  });

  test('draws at most MAX_DRAWN_SCENARIOS scenarios, names every one, and every link has its target', () => {
    const big = capturedReport('mixed');
    const base = big.scenarios;
    big.scenarios = Array.from({ length: MAX_DRAWN_SCENARIOS + 5 }, (_, i) => {
      const o = structuredClone(base[i % base.length]!);
      o.plan.id = `scenario ${i}`;
      return o;
    });
    const markup = renderHtml(big);
    assert.equal((markup.match(/<svg class="waterfall-chart"/g) ?? []).length, MAX_DRAWN_SCENARIOS);
    const chart = element(markup, '<svg class="compare-chart"', 'svg');
    assert.equal((chart.match(/<g class="row (met|missed)">/g) ?? []).length, MAX_DRAWN_SCENARIOS);
    const table = element(markup, '<table class="figures">', 'table');
    assert.equal((table.match(/<tr>/g) ?? []).length, big.scenarios.length + 1);
    assert.match(markup, /show the first 200 scenarios; 5 more are in the tables above/);
    for (const markupOf of [markup, page]) {
      const ids = new Set([...markupOf.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
      for (const [, target] of markupOf.matchAll(/href="#([^"]+)"/g)) assert.ok(ids.has(target), target);
    }
  });

  test('another page (the exporter status) builds on the same pieces: shell, escaping, badge, diagnosis, waterfall', () => {
    const o = mixed.scenarios.find((s) => s.verdict === 'fail' && s.diagnosis)!;
    const status = htmlPage({
      title: '<status>',
      body: html`<h1>${o.plan.id}</h1>${verdictBadge(o)}${diagnosisBlock(o)}${waterfallSvg(o, o.representative, 'st')}`,
    }).markup;
    assert.match(status, /^<!DOCTYPE html>[\s\S]*Content-Security-Policy[\s\S]*<style>/);
    assert.match(status, /<title>&lt;status&gt;<\/title>/);
    assert.ok(status.includes(`<code class="code">${o.diagnosis!.code}</code>`));
    assert.match(status, /<svg class="waterfall-chart"/);
  });

  test('an interrupted run says which scenarios did not finish, in the banner', () => {
    const report = capturedReport('demo');
    report.interrupted = true;
    report.notRun = ['late <one>'];
    const banner = element(renderHtml(report), '<header class="verdict-banner', 'header');
    assert.match(banner, /interrupted: 1 scenario did not finish: late &lt;one&gt;/);
  });

  test('the footer says where and when it ran, and only what it is given', () => {
    const markup = renderHtml(mixed, {
      hostname: 'probe-host',
      about: { mqttprobeVersion: '1.2.3', nodeVersion: 'v20.1.0' },
    });
    const footer = element(markup, '<footer>', 'footer');
    for (const text of [
      '1.2.3',
      'v20.1.0',
      mixed.startedAt,
      'probe-host',
      `<code>${escapeText(mixed.scenarios[0]!.plan.file)}</code>`,
    ])
      assert.ok(footer.includes(text), text);
    assert.doesNotMatch(element(page, '<footer>', 'footer'), /<dt>(host|mqttprobe|Node\.js)<\/dt>/);
  });
});
