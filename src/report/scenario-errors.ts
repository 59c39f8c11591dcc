// Renders scenario-file errors the way tsc and hurl do: title, location, the offending line with a caret, the fix.
import type { ScenarioError, ScenarioWarning } from '../scenario/scenario-error.js';
import { plainStyle, type Style } from './style.js';

export interface ErrorRenderOptions {
  /** File texts by path, to quote the offending line. */
  texts: ReadonlyMap<string, string>;
  style?: Style;
}

/** One block per error, separated by blank lines. */
export function renderScenarioErrors(errors: readonly ScenarioError[], options: ErrorRenderOptions): string {
  const s = options.style ?? plainStyle;
  return errors.map((e) => renderOne(e, options.texts, s)).join('\n\n');
}

function renderOne(e: ScenarioError, texts: ReadonlyMap<string, string>, s: Style): string {
  const lines = [`${s.red(s.bold('error'))}${s.bold(`: ${e.message}`)}`];
  if (!e.span) {
    // No place in a file: the value came from the command line (or the file as a whole is wrong).
    if (e.path)
      lines.push(`  ${s.blue('=')} from: ${e.path}${e.scenario ? ` (in scenario \`${e.scenario}\`)` : ''}`);
    if (e.hint) lines.push(`  ${s.blue('=')} help: ${e.hint}`);
    return lines.join('\n');
  }
  const { file, line, column, endLine, endColumn } = e.span;
  const gutter = String(line).length;
  const pad = ' '.repeat(gutter);
  lines.push(`${pad}${s.blue('-->')} ${file}:${line}:${column}`);
  const source = texts.get(file)?.split(/\r?\n/)[line - 1];
  if (source !== undefined) {
    const shown = source.replace(/\t/g, ' ');
    const width = Math.max(1, endLine === line ? endColumn - column : shown.trimEnd().length - column + 1);
    lines.push(`${pad} ${s.blue('|')}`);
    lines.push(`${s.blue(String(line))} ${s.blue('|')} ${shown}`);
    const caret = `${' '.repeat(column - 1)}${'^'.repeat(width)}${e.label ? ` ${e.label}` : ''}`;
    lines.push(`${pad} ${s.blue('|')} ${s.red(caret)}`);
    lines.push(`${pad} ${s.blue('|')}`);
  } else if (e.label) {
    lines.push(`${pad} ${s.blue('=')} ${e.label}`);
  }
  if (e.path)
    lines.push(`${pad} ${s.blue('=')} key: ${e.path}${e.scenario ? ` (in scenario \`${e.scenario}\`)` : ''}`);
  if (e.seen) lines.push(`${pad} ${s.blue('=')} found: ${e.seen}`);
  if (e.hint) lines.push(`${pad} ${s.blue('=')} help: ${e.hint}`);
  return lines.join('\n');
}

/** One line per warning, with its location when known. */
export function renderScenarioWarnings(
  warnings: readonly ScenarioWarning[],
  style: Style = plainStyle,
): string {
  return warnings
    .map(
      (w) =>
        `${style.yellow(style.bold('warning'))}: ${w.message}${w.span ? style.dim(` (${w.span.file}:${w.span.line}:${w.span.column})`) : ''}`,
    )
    .join('\n');
}
