// Makes text from scenario files and servers safe to print: a name or a reply must not drive the terminal.

/**
 * Unicode format characters that rearrange a terminal line without being seen: the bidirectional embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), the directional marks (U+200E, U+200F, U+061C), which
 * let a name or a server's reason string reorder the rest of the line (Trojan Source, CVE-2021-42574), and the line
 * and paragraph separators (U+2028, U+2029), which some terminals break the line at.
 */
export function isLayoutControl(cp: number): boolean {
  return (
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x061c ||
    cp === 0x2028 ||
    cp === 0x2029
  );
}

/**
 * Replaces control characters (C0 except tab, DEL, C1) with a visible `\xNN` and the invisible layout controls
 * (bidi overrides and marks, line separators) with `\uNNNN`; tabs and line breaks become spaces. A scenario name
 * or an HTTP status line holding `ESC[2J` would otherwise clear the screen or fake colours, and one holding U+202E
 * would show the rest of its line reversed.
 */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) out += ' ';
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (isLayoutControl(cp)) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** As `printable`, for a block of lines: line breaks stay, a carriage return (which can overwrite a line) does not. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/**
 * Text for one line of a terminal, shortened to `max` characters around `at` (a 0-based index) when longer: a
 * quoted 65 kB source line would otherwise fill the screen. Returns the text and where `at` landed in it.
 */
export function printableExcerpt(text: string, at: number, max = 160): { text: string; at: number } {
  // Cut first, in raw characters (each becomes at most four), so a huge line costs no more than a short one.
  const from = Math.max(0, at - max);
  const before = printable(text.slice(from, at));
  const rest = printable(text.slice(at, at + max));
  if (from === 0 && at + max >= text.length && before.length + rest.length <= max)
    return { text: before + rest, at: before.length };
  const cutBefore = from > 0 || before.length > max / 2;
  const head = cutBefore ? `…${before.slice(Math.max(0, before.length - max / 2 + 1))}` : before;
  const room = max - head.length;
  const cutAfter = at + max < text.length || rest.length > room;
  const tail = cutAfter ? `${rest.slice(0, room - 1)}…` : rest;
  return { text: head + tail, at: head.length };
}
