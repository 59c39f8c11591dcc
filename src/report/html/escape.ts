// HTML that cannot be injected into: text is escaped by one function, attribute values by another, and the `html`
// tagged template applies them to every interpolation, so a page is built only from literal markup and escaped data.
import { printable } from '../printable-text.js';

/** Only this module holds it, so only `html` makes fragments: a string cannot become markup by any other route. */
const MADE_BY_HTML = Symbol('html');

/** Markup built by `html`: the one thing interpolated as is. */
export class HtmlFragment {
  readonly markup: string;

  constructor(key: typeof MADE_BY_HTML, markup: string) {
    if (key !== MADE_BY_HTML) throw new TypeError('HtmlFragment is made by html`…` only');
    this.markup = markup;
  }

  toString(): string {
    return this.markup;
  }
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ENTITIES: Record<string, string> = { ...TEXT_ENTITIES, '"': '&quot;', "'": '&#39;' };

/**
 * Text from a scenario file or a server as HTML text content: control characters made visible as in the terminal
 * views (`printable`), then `&`, `<` and `>` as entities, so `<script>` shows as those characters.
 */
export function escapeText(text: string): string {
  return printable(text).replace(/[&<>]/g, (ch) => TEXT_ENTITIES[ch]!);
}

/** Text as a quoted attribute value: as `escapeText`, and both quotes too, so a value cannot end its attribute. */
export function escapeAttribute(text: string): string {
  return printable(text).replace(/[&<>"']/g, (ch) => ATTRIBUTE_ENTITIES[ch]!);
}

/** What may be interpolated: data (escaped), a fragment (as is), a list of them, or nothing (left out). */
export type HtmlValue = HtmlFragment | string | number | false | null | undefined | readonly HtmlValue[];

/** Where an interpolation lands: in text, or inside a quoted attribute value (the literal before it opened one). */
function inAttribute(before: string): boolean {
  const tag = before.lastIndexOf('<');
  if (tag < before.lastIndexOf('>')) return false;
  // Inside a tag: an odd number of quotes since it opened means a value is open.
  const quotes = before.slice(tag).match(/"/g)?.length ?? 0;
  return quotes % 2 === 1;
}

function interpolate(value: HtmlValue, attribute: boolean): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof HtmlFragment) {
    if (attribute) throw new TypeError('markup cannot be interpolated into an attribute value');
    return value.markup;
  }
  if (Array.isArray(value)) return value.map((v: HtmlValue) => interpolate(v, attribute)).join('');
  const text = String(value);
  return attribute ? escapeAttribute(text) : escapeText(text);
}

/**
 * Builds markup: the literal parts are the page's own, every `${value}` is escaped for where it lands (text, or a
 * double-quoted attribute value). A value in a tag but outside quotes, where escaping cannot help, is refused.
 */
export function html(literals: TemplateStringsArray, ...values: HtmlValue[]): HtmlFragment {
  let markup = literals[0]!;
  let context = literals[0]!;
  values.forEach((value, i) => {
    const attribute = inAttribute(context);
    if (!attribute && context.lastIndexOf('<') > context.lastIndexOf('>')) {
      throw new TypeError(
        `an interpolation inside a tag must sit in a quoted attribute: …${context.slice(-40)}`,
      );
    }
    markup += interpolate(value, attribute) + literals[i + 1]!;
    // The context is the literal text only (escaped values hold no quotes or angle brackets that could mislead it),
    // from the last tag that is still open.
    context += `x${literals[i + 1]!}`;
    const open = context.lastIndexOf('<');
    context = open > context.lastIndexOf('>') ? context.slice(open) : '';
  });
  return new HtmlFragment(MADE_BY_HTML, markup);
}

/** Joins fragments (or escaped text) with a literal separator. */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlFragment = html``): HtmlFragment {
  return html`${parts.flatMap((part, i) => (i === 0 ? [part] : [separator, part]))}`;
}
