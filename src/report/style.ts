// Colour as a value passed in, never detected here (hurl's plain vs terminal output): renderers stay pure.
import { styleText } from 'node:util';

type Format = Parameters<typeof styleText>[0];

export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const paint =
  (format: Format) =>
  (text: string): string =>
    styleText(format, text);

/** ANSI colours, for a terminal that wants them. */
export const colorStyle: Style = {
  red: paint('red'),
  green: paint('green'),
  yellow: paint('yellow'),
  blue: paint('blue'),
  dim: paint('dim'),
  bold: paint('bold'),
};

const same = (text: string) => text;
/** No escape codes at all: pipes, files, NO_COLOR. */
export const plainStyle: Style = { red: same, green: same, yellow: same, blue: same, dim: same, bold: same };
