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
 * before the others, each line filled as far as its own indent allows; `paint` colours the text of each line,
 * never its indent.
 */
export function hangingLines(
  text: string,
  width: number,
  first: string,
  rest = first,
  paint: (text: string) => string = (t) => t,
): string[] {
  const trimmed = text.trimStart();
  const head = fitWidth(trimmed, width - textWidth(first))[0] ?? '';
  // wrap-ansi keeps plain text as it is, so the first line is a prefix of it and the remainder follows it.
  const tail = trimmed.startsWith(head) ? trimmed.slice(head.length).trimStart() : undefined;
  if (tail === undefined) {
    return fitWidth(trimmed, width - textWidth(rest)).map((l, i) => `${i === 0 ? first : rest}${paint(l)}`);
  }
  const more = tail === '' ? [] : fitWidth(tail, width - textWidth(rest));
  return [`${first}${paint(head)}`, ...more.map((l) => `${rest}${paint(l)}`)];
}
