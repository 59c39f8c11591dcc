// The run as GitHub-flavoured Markdown, for a job summary ($GITHUB_STEP_SUMMARY): the table view's content.

import type { RunReport, ScenarioOutcome } from '../run/result.js';
import { phaseFigure, probeTally, verdictWords } from './cells.js';
import { fixLocationText } from './fix-location.js';
import { formatMs } from './format-ms.js';
import { printable } from './printable-text.js';
import { scenarioWarnings } from './scenario-warnings.js';
import { anyHold, HOLD_LEGEND, type ShownRow, shownRows } from './shown-phases.js';
import { targetLine } from './table.js';

export interface MarkdownOptions {
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
  /** The heading level of the title (default 2, `##`). */
  headingLevel?: 1 | 2 | 3 | 4;
}

/**
 * Escapes text for a Markdown table cell or list item, never the start of a line: the punctuation that means
 * something mid-line gets a backslash (emphasis, code, links, tables, strikethrough, entities), `<`/`>` become
 * entities so no HTML can start, and line breaks become spaces because a table row is one line.
 */
export function escapeMarkdown(text: string): string {
  return printable(text)
    .replace(/[\\`*_[\]|~&]/g, (ch) => `\\${ch}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

type Column = ShownRow;

/** `✅ pass`, `❌ **FAIL**`, with the probe count in small type under it for a repeated scenario. */
function verdict(o: ScenarioOutcome): string {
  const v = verdictWords(o, 'full');
  const tally = probeTally(o);
  return `${v.met ? `✅ ${v.word}` : `❌ **${v.word}**`}${tally ? `<br><sub>${escapeMarkdown(tally)}</sub>` : ''}`;
}

function cell(o: ScenarioOutcome, column: Column): string {
  const f = phaseFigure(o, column);
  switch (f.kind) {
    case 'stats':
      return `${formatMs(f.p50Ms)} / ${formatMs(f.p95Ms)}`;
    case 'done':
    case 'cut-short':
      return formatMs(f.ms);
    case 'failed':
      return `❌ ${formatMs(f.ms)}`;
    case 'not-reached':
      return '·';
  }
}

/** Renders a heading, the verdict and per-phase latency table, then failures, expected failures and warnings. */
export function renderMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  const now = options.now ?? new Date(report.startedAt);
  const hashes = '#'.repeat(options.headingLevel ?? 2);
  const { total, met, missed } = report.summary;
  const cols = shownRows(report);
  const out: string[] = [
    `${hashes} ${missed > 0 ? '❌' : '✅'} mqttprobe: ${met} of ${total} scenario${total === 1 ? '' : 's'} met${missed > 0 ? `, ${missed} missed` : ''}`,
    '',
    ...(report.recommendation
      ? [`${report.recommendation.found ? '👉' : '⛔'} **${escapeMarkdown(report.recommendation.text)}**`, '']
      : []),
    `| scenario | result | ${cols.join(' | ')} |`,
    `| :-- | :-- | ${cols.map(() => '--:').join(' | ')} |`,
  ];
  for (const o of report.scenarios) {
    // GitHub renders <br> and <sub> in table cells: the target goes small under the name, as in the terminal table.
    const scenario = `${escapeMarkdown(o.plan.id)}<br><sub>${escapeMarkdown(targetLine(o))}</sub>`;
    out.push(`| ${scenario} | ${verdict(o)} | ${cols.map((c) => cell(o, c)).join(' | ')} |`);
  }
  out.push('');
  const notes: string[] = [];
  if (report.scenarios.some((o) => o.probes.length > 1)) {
    notes.push(
      'Repeated scenarios show p50 / p95 of the warm probes (the run’s first probe is cold, left out).',
    );
  }
  if (anyHold(report)) notes.push(`${escapeMarkdown(HOLD_LEGEND.replace(/^hold/, 'The hold column'))}.`);
  notes.push(`Run started ${report.startedAt}, took ${formatMs(report.durationMs)}.`);
  if (report.interrupted) {
    notes.push(
      `**Interrupted**: ${report.notRun.length} scenario${report.notRun.length === 1 ? '' : 's'} did not finish: ${report.notRun.map(escapeMarkdown).join(', ')}.`,
    );
  }
  out.push(notes.join(' '), '');

  const failed = report.scenarios.filter((o) => !o.met);
  if (failed.length > 0) {
    out.push(`${hashes}# Failures`, '');
    for (const o of failed) {
      const d = o.diagnosis;
      out.push(`- **${escapeMarkdown(o.plan.id)}**`);
      if (o.mismatch) out.push(`  - ${escapeMarkdown(o.mismatch)}`);
      if (d) {
        out.push(`  - **${escapeMarkdown(d.code)}**: ${escapeMarkdown(d.message)}`);
        out.push(`  - fix: ${escapeMarkdown(d.hint)}`);
        out.push(`  - at ${escapeMarkdown(fixLocationText(o.plan, d.code))}`);
      }
    }
    out.push('');
  }
  const expected = report.scenarios.filter((o) => o.met && o.diagnosis);
  if (expected.length > 0) {
    out.push(`${hashes}# Failed as expected`, '');
    for (const o of expected) {
      const d = o.diagnosis!;
      out.push(`- **${escapeMarkdown(o.plan.id)}**: ${escapeMarkdown(d.code)}: ${escapeMarkdown(d.message)}`);
    }
    out.push('');
  }
  const warned = report.scenarios.flatMap((o) =>
    scenarioWarnings(o, now, report.scenarios).map((w) => ({ o, w })),
  );
  if (warned.length > 0) {
    out.push(`${hashes}# Warnings`, '');
    for (const { o, w } of warned) {
      out.push(
        `- ⚠️ **${escapeMarkdown(o.plan.id)}**: ${escapeMarkdown(w.code)}: ${escapeMarkdown(w.message)}`,
      );
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
