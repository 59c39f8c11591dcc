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
