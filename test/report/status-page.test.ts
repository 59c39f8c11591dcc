import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatusPage } from '../../src/report/status-page.js';

test("serve's status page is built from the HTML report's pieces: its shell, and every text escaped", () => {
  const name = '<script>alert(1)</script>';
  const probe = {
    at: '2026-12-01T12:00:00.000Z',
    scenario: name,
    success: false,
    met: false,
    durationMs: 1234,
    diagnosis: { code: 'tcp.timeout', message: 'no answer from "><img src=x>', hint: 'open <b>8883</b>' },
  };
  const page = renderStatusPage({
    version: '1.2.3',
    files: ['a <b>.yaml'],
    loadedAt: '2026-12-01T11:00:00.000Z',
    reloadError: 'bad <i>file</i>',
    scenarios: [{ id: name, endpoint: 'h:8883', targets: ['*.example.com'], last: probe }],
    recent: [probe],
  });
  assert.match(page, /^<!DOCTYPE html>[\s\S]*Content-Security-Policy" content="default-src 'none'/);
  assert.doesNotMatch(page, /<script|<img|<b>|<i>/);
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(page.includes(`href="probe?scenario=${encodeURIComponent(name)}"`));
  assert.ok(page.includes('<code class="code">tcp.timeout</code>: no answer from "&gt;&lt;img src=x&gt;'));
  assert.ok(page.includes('bad &lt;i&gt;file&lt;/i&gt;'));
  assert.equal((page.match(/✖ failure/g) ?? []).length, 2);
});
