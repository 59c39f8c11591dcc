// Wraps plain text to a column budget, breaking words that alone are too long, so no line can overflow.

/** Splits `text` into lines of at most `width` code points: at spaces, and inside a word only when it must. */
export function fitWidth(text: string, width: number): string[] {
  const out: string[] = [];
  let line: string[] = [];
  for (const word of text.split(' ')) {
    let chars = [...word];
    if (line.length > 0 && line.length + 1 + chars.length > width) {
      out.push(line.join(''));
      line = [];
    }
    if (line.length > 0) line.push(' ');
    while (line.length + chars.length > width) {
      const room = width - line.length;
      out.push([...line, ...chars.slice(0, room)].join(''));
      line = [];
      chars = chars.slice(room);
    }
    line.push(...chars);
  }
  if (line.length > 0 || out.length === 0) out.push(line.join(''));
  return out;
}
