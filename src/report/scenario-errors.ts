// Renders scenario-file errors the way tsc and hurl do: title, location, the offending line with a caret, the fix.
import type { ScenarioError, ScenarioWarning } from '../scenario/scenario-error.js';
import { hangingLines } from './fit-width.js';
import { printable, printableExcerpt } from './printable-text.js';
import { type RedactedLine, redactFound, redactSourceLines } from './redact-source-line.js';
import { plainStyle, type Style } from './style.js';

export interface ErrorRenderOptions {
  /** File texts by path, to quote the offending line. */
  texts: ReadonlyMap<string, string>;
  style?: Style;
}

/** One block per error, separated by blank lines. */
export function renderScenarioErrors(errors: readonly ScenarioError[], options: ErrorRenderOptions): string {
  const s = options.style ?? plainStyle;
  // Each file split into lines and masked once, however many errors quote it: a secret written over several
  // lines (a `password: |` block) is masked on every one of them, whichever line an error quotes.
  const lines = new Map<string, RedactedLine[]>();
  const lineOf = (file: string, line: number) => {
    let split = lines.get(file);
    if (!split) {
      const text = options.texts.get(file);
      if (text === undefined) return undefined;
      split = redactSourceLines(text.split(/\r?\n/));
      lines.set(file, split);
    }
    return split[line - 1];
  };
  return errors.map((e) => renderOne(e, lineOf, s)).join('\n\n');
}

function renderOne(
  raw: ScenarioError,
  lineOf: (file: string, line: number) => RedactedLine | undefined,
  s: Style,
): string {
  // Messages quote keys, values, names and paths from the file: none of them may drive the terminal.
  const e = printableError(raw);
  const lines = [`${s.red(s.bold('error'))}${s.bold(`: ${e.message}`)}`];
  if (!e.span) {
    // No place in a file: the value came from the command line (or the file as a whole is wrong).
    if (e.path)
      lines.push(`  ${s.blue('=')} from: ${e.path}${e.scenario ? ` (in scenario \`${e.scenario}\`)` : ''}`);
    if (e.label) lines.push(`  ${s.blue('=')} ${e.label}`);
    if (e.seen) lines.push(`  ${s.blue('=')} found: ${redactFound(e.seen, e.path)}`);
    if (e.hint) lines.push(`  ${s.blue('=')} help: ${e.hint}`);
    return lines.join('\n');
  }
  const { file, line, column, endLine, endColumn } = e.span;
  const gutter = String(line).length;
  const pad = ' '.repeat(gutter);
  lines.push(`${pad}${s.blue('-->')} ${printable(file)}:${line}:${column}`);
  const redacted = lineOf(file, line);
  if (redacted !== undefined) {
    // Secrets (a password, a passphrase, a proxy URL's password) are masked on the quoted line first; then control
    // characters show as `\x1b`, four columns for one (a tab as one space), and a huge line is cut around the
    // column: the caret follows all three.
    const text = redacted.text;
    const from = redacted.column(column);
    const to = endLine === line ? redacted.column(endColumn) : text.trimEnd().length + 1;
    const spanWidth = Math.max(1, to - from);
    const excerpt = printableExcerpt(text, from - 1);
    const shown = excerpt.text;
    const spanShown = printable(text.slice(from - 1, from - 1 + Math.min(spanWidth, shown.length))).length;
    const width = Math.max(1, Math.min(spanShown, shown.length - excerpt.at));
    lines.push(`${pad} ${s.blue('|')}`);
    lines.push(`${s.blue(String(line))} ${s.blue('|')} ${shown}`);
    const caret = `${' '.repeat(excerpt.at)}${'^'.repeat(width)}${e.label ? ` ${e.label}` : ''}`;
    lines.push(`${pad} ${s.blue('|')} ${s.red(caret)}`);
    lines.push(`${pad} ${s.blue('|')}`);
  } else if (e.label) {
    lines.push(`${pad} ${s.blue('=')} ${e.label}`);
  }
  if (e.path)
    lines.push(`${pad} ${s.blue('=')} key: ${e.path}${e.scenario ? ` (in scenario \`${e.scenario}\`)` : ''}`);
  if (e.seen) lines.push(`${pad} ${s.blue('=')} found: ${redactFound(e.seen, e.path)}`);
  if (e.hint) lines.push(`${pad} ${s.blue('=')} help: ${e.hint}`);
  return lines.join('\n');
}

/** The error with every text field made printable. */
function printableError(e: ScenarioError): ScenarioError {
  const out: ScenarioError = { ...e, message: printable(e.message) };
  for (const key of ['path', 'label', 'hint', 'seen', 'scenario'] as const) {
    const text = e[key];
    if (text !== undefined) out[key] = printable(text);
  }
  return out;
}

/**
 * A paragraph per warning, with its location when known, wrapped to `width` columns under a hanging indent; a name
 * holding `ESC[2K\r` cannot erase the line.
 */
export function renderScenarioWarnings(
  warnings: readonly ScenarioWarning[],
  style: Style = plainStyle,
  width = 100,
): string {
  return warnings
    .flatMap((w) => {
      const where = w.span ? `(${printable(w.span.file)}:${w.span.line}:${w.span.column})` : '';
      const lines = hangingLines(
        `warning: ${printable(w.message)}${where ? ` ${where}` : ''}`,
        width,
        '',
        '  ',
      );
      // Colour after wrapping, so the widths are those of the text.
      lines[0] = lines[0]!.replace(/^warning/, style.yellow(style.bold('warning')));
      const last = lines.length - 1;
      if (where && lines[last]!.endsWith(where))
        lines[last] = `${lines[last]!.slice(0, -where.length)}${style.dim(where)}`;
      return lines;
    })
    .join('\n');
}
