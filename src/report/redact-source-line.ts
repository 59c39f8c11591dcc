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
    for (let i = from + 1; i < line.length; i++) {
      if (quote === '"' && line[i] === '\\') i++;
      // In single quotes, YAML writes a quote as two.
      else if (quote === "'" && line[i] === "'" && line[i + 1] === "'") i++;
      else if (line[i] === quote) return i + 1;
    }
    return line.length;
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

function maskedRanges(line: string): Masked[] {
  const ranges: Masked[] = [];
  for (const m of line.matchAll(KEY)) {
    if (!SECRET_KEYS.has(m[3]!)) continue;
    const from = m.index! + m[0].length;
    if (from >= line.length) continue;
    const inFlow = line.lastIndexOf('{', m.index!) >= 0;
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
  return merged;
}

/**
 * The line with every secret value masked, and a map from a 1-based column of the original line to the same
 * place in the masked one, so a caret still points at its key (or at the mask, when the error is the value).
 */
export function redactSourceLine(line: string): { text: string; column: (column: number) => number } {
  const ranges = maskedRanges(line);
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

/** A found value as shown in `= found:`: hidden for a secret key, URL passwords masked otherwise. */
export function redactFound(seen: string, keyPath: string | undefined): string {
  const key = keyPath
    ?.split('.')
    .at(-1)
    ?.replace(/\[\d+\]$/, '');
  if (key && SECRET_KEYS.has(key)) return '[redacted]';
  return redactUrlsInText(seen);
}
