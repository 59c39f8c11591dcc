// Text width and wrapping for the terminal layouts: string-width measures what a terminal shows (wide characters
// take two columns, escape codes none) and wrap-ansi wraps, once, at spaces; neither is written again here.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** The columns `text` takes on a terminal. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/**
 * Splits `text` into lines of at most `width` columns: at spaces, and inside a word only when that word alone is
 * wider than the line, so a code such as `tls.hostname-mismatch` or a path stays whole wherever it can.
 */
export function fitWidth(text: string, width: number): string[] {
  return wrapAnsi(text, Math.max(1, width), { hard: true, trim: true }).split('\n');
}

/**
 * Wraps one paragraph of plain text to `width` columns with a hanging indent: `first` before its first line, `rest`
 * (at least as long) before the others, each line filled as far as its own indent allows; `paint` colours the text
 * of each line, never its indent.
 */
export function hangingLines(
  text: string,
  width: number,
  first: string,
  rest = first,
  paint: (text: string) => string = (t) => t,
): string[] {
  const budget = Math.max(1, width - textWidth(rest));
  const extra = Math.min(budget - 1, Math.max(0, textWidth(rest) - textWidth(first)));
  // A placeholder glued to the first word gives the first line the room its shorter indent leaves.
  const lines = fitWidth(`${'x'.repeat(extra)}${text}`, budget);
  return lines.map((line, i) => (i === 0 ? `${first}${paint(line.slice(extra))}` : `${rest}${paint(line)}`));
}
