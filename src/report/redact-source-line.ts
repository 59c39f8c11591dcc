// A scenario line quoted in an error message may hold a secret written inline: the values of secret keys and the
// password of a URL are masked wherever a line or a found value is shown.
import { redactUrlsInText, URL_PASSWORD } from '../scenario/redact-url.js';

/**
 * Scenario keys whose values are secrets (the ones resolve-credentials wraps in `Secret`): MQTT and authorizer
 * passwords, key passphrases, authorizer tokens and their signatures. Proxy passwords sit in URLs, masked below.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'passphrase', 'token', 'signature']);

const MASK = '***';

interface Masked {
  /** Index of the first character masked, and one past the last. */
  start: number;
  end: number;
}

/** A key at the start of a line, after `- `, or inside a flow mapping, quoted or not, and its `:`. */
const KEY = /(^|[\s{,-])(["']?)([A-Za-z]+)\2\s*:(\s+|$)/g;

/** Where the value that starts at `from` ends: a quoted scalar at its quote, a plain one before `,`/`}` in flow. */
function valueEnd(line: string, from: number, inFlow: boolean): number {
  const quote = line[from];
  const close = quote === '[' ? ']' : quote === '{' ? '}' : undefined;
  if (close) {
    // A flow list or map as the value (a wrong type, say): everything up to its matching bracket.
    let depth = 0;
    for (let i = from; i < line.length; i++) {
      if (line[i] === quote) depth++;
      else if (line[i] === close && --depth === 0) return i + 1;
    }
    return line.length;
  }
  if (quote === '"' || quote === "'") {
    const close = closingQuote(line, from + 1, quote);
    return close < 0 ? line.length : close + 1;
  }
  let end = line.length;
  const comment = line.slice(from).search(/\s#/);
  if (comment >= 0) end = from + comment;
  if (inFlow) {
    const stop = line.slice(from, end).search(/[,}\]]/);
    if (stop >= 0) end = from + stop;
  }
  while (end > from && /\s/.test(line[end - 1]!)) end--;
  return end;
}

/** A secret's value that goes on past the end of its key's line, and how to find where it ends. */
type Continuation =
  /** A block scalar (`|`, `>-`), a value that starts on the next line, or a plain scalar in block context: every
   *  following line more indented than the key (or blank) belongs to it. */
  | { kind: 'indented'; keyColumn: number }
  /** A quoted scalar not closed on its line: it ends at its closing quote, wherever that is. */
  | { kind: 'quoted'; quote: '"' | "'" }
  /** A plain scalar inside a flow mapping: it ends before the next `,`, `}` or `]`. */
  | { kind: 'flow-plain' };

/** Where a quoted scalar whose content starts at `from` closes (the index of the quote), or -1 if not on this line. */
function closingQuote(line: string, from: number, quote: '"' | "'"): number {
  for (let i = from; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    // In single quotes, YAML writes a quote as two.
    else if (quote === "'" && line[i] === "'" && line[i + 1] === "'") i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const trimmedEnd = (line: string) => line.trimEnd().length;

/** Whether the value of a secret key, starting at `from`, may go on past this line, and how. */
function continuationOf(
  line: string,
  keyColumn: number,
  from: number,
  inFlow: boolean,
): Continuation | undefined {
  const value = line.slice(from);
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    return closingQuote(line, from + 1, quote) < 0 ? { kind: 'quoted', quote } : undefined;
  }
  if (quote === '[' || quote === '{') return undefined;
  if (inFlow) return /[,}\]]/.test(value) ? undefined : { kind: 'flow-plain' };
  // Block context: an empty value, a block scalar's `|`/`>` header, or a plain scalar, which YAML lets continue.
  return { kind: 'indented', keyColumn };
}

/**
 * The masked ranges of one line, given the secret value (if any) that goes on into it from the lines before;
 * returns them with the value that goes on past this line.
 */
function maskedRanges(
  line: string,
  carried: Continuation | undefined,
): { ranges: Masked[]; carried: Continuation | undefined } {
  const ranges: Masked[] = [];
  const body = { start: indentOf(line), end: trimmedEnd(line) };
  // Where this line's own keys may start: after the part that still belongs to the value from above.
  let keysFrom = 0;
  if (carried?.kind === 'indented') {
    if (body.end === 0 || body.start > carried.keyColumn) {
      if (body.end > body.start) ranges.push(body);
      return { ranges, carried };
    }
  } else if (carried?.kind === 'quoted') {
    const close = closingQuote(line, 0, carried.quote);
    const end = close < 0 ? body.end : close;
    if (end > body.start) ranges.push({ start: body.start, end });
    if (close < 0) return { ranges, carried };
    keysFrom = close + 1;
  } else if (carried?.kind === 'flow-plain') {
    const stop = line.search(/[,}\]]/);
    const end = stop < 0 ? body.end : stop;
    if (end > body.start) ranges.push({ start: body.start, end: trimmedEnd(line.slice(0, end)) });
    if (stop < 0) return { ranges, carried };
    keysFrom = stop;
  }
  let next: Continuation | undefined;
  for (const m of line.matchAll(KEY)) {
    if (m.index! < keysFrom || !SECRET_KEYS.has(m[3]!)) continue;
    const from = m.index! + m[0].length;
    const keyColumn = m.index! + m[1]!.length;
    // Still inside the flow mapping a carried plain value ended in, or after a `{` on this line.
    const inFlow = carried?.kind === 'flow-plain' || line.lastIndexOf('{', m.index!) >= 0;
    const comment = line.slice(from).search(/^#|\s#/);
    const valueText = comment >= 0 ? line.slice(from, from + comment) : line.slice(from);
    if (valueText.trim() === '' || /^[|>][-+0-9]*\s*$/.test(valueText)) {
      next = inFlow ? { kind: 'flow-plain' } : { kind: 'indented', keyColumn };
      continue;
    }
    next = continuationOf(line, keyColumn, from, inFlow) ?? next;
    const end = valueEnd(line, from, inFlow);
    // Inside quotes only the content is masked, so the line still reads as YAML.
    const quoted = line[from] === '"' || line[from] === "'";
    const start = quoted ? from + 1 : from;
    const stop = quoted && end > start && line[end - 1] === line[from] ? end - 1 : end;
    if (stop > start) ranges.push({ start, end: stop });
  }
  for (const m of line.matchAll(URL_PASSWORD)) {
    const start = m.index! + m[0].length - 1 - m[1]!.length;
    if (m[1]!.length > 0) ranges.push({ start, end: start + m[1]!.length });
  }
  // Overlaps (a URL inside a password value) merge into one range.
  ranges.sort((a, b) => a.start - b.start);
  const merged: Masked[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return { ranges: merged, carried: next };
}

/** A line with its secrets masked, and a map from a 1-based column of the original to the same place in it. */
export interface RedactedLine {
  text: string;
  column: (column: number) => number;
}

function applyMask(line: string, ranges: readonly Masked[]): RedactedLine {
  let text = '';
  let at = 0;
  for (const r of ranges) {
    text += line.slice(at, r.start) + MASK;
    at = r.end;
  }
  text += line.slice(at);
  const column = (c: number) => {
    let shift = 0;
    for (const r of ranges) {
      if (c - 1 >= r.end) shift += MASK.length - (r.end - r.start);
      else if (c - 1 > r.start) return r.start + 1 + shift + MASK.length;
    }
    return c + shift;
  };
  return { text, column };
}

/**
 * Every line of a file with every secret value masked, including the later lines of one written over several
 * (a `password: |` or `>-` block scalar, a quoted or plain scalar that goes on), and for each a map from a 1-based
 * column of the original line to the same place in the masked one, so a caret still points at its key (or at the
 * mask, when the error is the value).
 */
export function redactSourceLines(lines: readonly string[]): RedactedLine[] {
  let carried: Continuation | undefined;
  return lines.map((line) => {
    const masked = maskedRanges(line, carried);
    carried = masked.carried;
    return applyMask(line, masked.ranges);
  });
}

/** One line alone, as `redactSourceLines` masks it (a value that goes on past it is masked on this line only). */
export function redactSourceLine(line: string): RedactedLine {
  return redactSourceLines([line])[0]!;
}

/** A found value as shown in `= found:`: hidden for a secret key, URL passwords masked otherwise. */
export function redactFound(seen: string, keyPath: string | undefined): string {
  const key = keyPath
    ?.split('.')
    .at(-1)
    ?.replace(/\[\d+\]$/, '');
  if (key && SECRET_KEYS.has(key)) return '[redacted]';
  return redactUrlsInText(seen);
}
