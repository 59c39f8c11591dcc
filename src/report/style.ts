// Colour as a value passed in, never detected here (hurl's plain vs terminal output): renderers stay pure.
// Raw SGR codes rather than util.styleText, which strips colour itself when stdout is not a terminal.

export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

/** ANSI colours, for a terminal that wants them. */
export const colorStyle: Style = {
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  blue: sgr(34, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

const same = (text: string) => text;
/** No escape codes at all: pipes, files, NO_COLOR. */
export const plainStyle: Style = { red: same, green: same, yellow: same, blue: same, dim: same, bold: same };
