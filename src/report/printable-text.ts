// Makes text from scenario files and servers safe to print: a name or a reply must not drive the terminal.

/**
 * Replaces control characters (C0 except tab, DEL, C1) with a visible `\xNN`, tabs and line breaks with spaces.
 * A scenario name or an HTTP status line holding `ESC[2J` would otherwise clear the screen or fake colours.
 */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) out += ' ';
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) out += `\\x${cp.toString(16).padStart(2, '0')}`;
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
  const before = printable(text.slice(0, at));
  const rest = printable(text.slice(at));
  if (before.length + rest.length <= max) return { text: before + rest, at: before.length };
  const head = before.length > max / 2 ? `…${before.slice(before.length - max / 2 + 1)}` : before;
  const tail = rest.length > max - head.length ? `${rest.slice(0, max - head.length - 1)}…` : rest;
  return { text: head + tail, at: head.length };
}
