import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  escapeAttribute,
  escapeText,
  HtmlFragment,
  html,
  joinHtml,
} from '../../../src/report/html/escape.js';

const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"><img src=x onerror=alert(1)>';

describe('HTML escaping', () => {
  test('text cannot open a tag or an entity; control characters show as in the terminal', () => {
    assert.equal(escapeText(SCRIPT), '&lt;script&gt;alert(1)&lt;/script&gt;');
    assert.equal(escapeText('a &amp; b'), 'a &amp;amp; b');
    assert.equal(escapeText('bell\u0007 esc\u001b[2J'), 'bell\\x07 esc\\x1b[2J');
    assert.equal(escapeText('line\nbreak'), 'line break');
  });

  test('an attribute value cannot end its quotes, single or double', () => {
    assert.equal(escapeAttribute(BREAKOUT), '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeAttribute("' onmouseover='x"), '&#39; onmouseover=&#39;x');
  });

  test('the template escapes every interpolation for where it lands, and nests what it built', () => {
    const inner = html`<b>${SCRIPT}</b>`;
    const page = html`<p title="${BREAKOUT}">${inner} ${[SCRIPT, 1, undefined, false, null]}</p>`;
    assert.equal(
      page.markup,
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b> &lt;script&gt;alert(1)&lt;/script&gt;1</p>',
    );
    assert.equal(joinHtml(['<a>', html`<br>`], html`, `).markup, '&lt;a&gt;, <br>');
  });

  test('a value in a tag but outside quotes, or markup inside an attribute, is refused', () => {
    assert.throws(() => html`<p class=${'x onclick=alert(1)'}>`, /quoted attribute/);
    assert.throws(() => html`<p ${'onclick="x"'}>`, /quoted attribute/);
    assert.throws(() => html`<p title="${html`<b>`}">`, /attribute/);
    // After a value, the same tag is still a tag, and a closed one is text again.
    assert.equal(html`<p a="${'1'}" b="${'2'}">${'<'}</p>`.markup, '<p a="1" b="2">&lt;</p>');
  });

  test('markup is made by the template only: a string cannot pass for a fragment', () => {
    assert.throws(() => new HtmlFragment(Symbol('html') as never, SCRIPT), /made by html/);
    const forged = { markup: SCRIPT } as unknown as HtmlFragment;
    assert.equal(html`${forged}`.markup, '[object Object]');
  });
});
