// What "fits the width" means for the terminal layouts, as the layout tests check it on real output.
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { textWidth } from '../../src/report/fit-width.js';

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * Lines that hold a lone word orphaned by wrapping: a continuation line of a note (indented like the line before, or
 * two more, as the hanging indent is) made of one word, where the line before had room for that word. Lines at the
 * left edge and rows of cells are tables, whose cells wrap inside their columns, not across the width.
 */
export function orphanedLines(text: string, width: number): string[] {
  const lines = stripVTControlCharacters(text).split('\n');
  const found: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [before, line] = [lines[i - 1]!, lines[i]!];
    const word = line.trim();
    if (word === '' || /\s/.test(word) || indentOf(line) < 2 || before.trim() === '') continue;
    // A line of cells (two spaces or more between them) is a table row, whose cells wrap in their own columns.
    if (/\S\s{2,}\S/.test(before)) continue;
    const step = indentOf(line) - indentOf(before);
    if (step !== 0 && step !== 2) continue;
    if (textWidth(before) + 1 + textWidth(word) <= width) found.push(`${before}⏎${line}`);
  }
  return found;
}

/** Fails unless every line of `text` fits `width` columns and no wrapped note leaves a word on its own. */
export function assertFits(text: string, width: number, what: string): void {
  const lines = stripVTControlCharacters(text).split('\n');
  const wide = lines.filter((l) => textWidth(l) > width);
  assert.deepEqual(wide, [], `${what}: lines wider than ${width} columns`);
  assert.deepEqual(orphanedLines(text, width), [], `${what}: lone words that had room on the line before`);
}

/** The widest line, in terminal columns. */
export function widestColumns(text: string): number {
  return Math.max(...stripVTControlCharacters(text).split('\n').map(textWidth));
}

/** The paragraph that starts with `start` at the left edge, its hanging-indented continuation lines joined back. */
export function paragraphFrom(text: string, start: string): string | undefined {
  const lines = stripVTControlCharacters(text).split('\n');
  const first = lines.findIndex((l) => l.startsWith(start));
  if (first < 0) return undefined;
  const rest = lines.slice(first + 1);
  const end = rest.findIndex((l) => !/^ {2}\S/.test(l));
  return [lines[first]!, ...rest.slice(0, end < 0 ? rest.length : end).map((l) => l.trim())].join(' ');
}
