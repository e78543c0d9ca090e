import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAILING_VERDICTS } from '../../harness/model.js';
import { maskSignature, summarizeRequest } from '../../harness/deliver/request-summary.js';
import { writeReports } from '../../harness/run/write-reports.js';
import { renderAnnotations } from '../../reports/annotations.js';
import { applyBaseline } from '../../harness/judge/baseline.js';
import { renderHtml } from '../../reports/html.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { HOSTILE_REASON, runResult, SCENARIOS, SIG_FIX } from '../fixtures/run-result.js';

describe('renderHtml', () => {
  const html = renderHtml(runResult());

  it('is one self-contained page: nothing loaded from anywhere', () => {
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|@import|url\(/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('escapes what it shows: a hostile reason stays text', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('notAfter &lt; now &amp; CA &quot;x&quot; isn&#39;t trusted');
  });

  it('has a row per scenario with its verdict and layer, failures open', () => {
    for (const s of SCENARIOS) {
      const row = new RegExp(`<details class="scenario" id="[^"]*" data-id="${s.id.replace('.', '\\.')}" data-verdict="${s.verdict}" data-layer="${s.layer}"( open)?>`);
      const match = row.exec(html);
      expect(match, s.id).not.toBeNull();
      expect(match?.[1] === ' open', s.id).toBe(FAILING_VERDICTS.includes(s.verdict));
    }
  });

  it('shows the header, what was sent, the remediation and a filter per verdict', () => {
    expect(html).toContain('node examples/listeners/flawed.mjs');
    expect(html).toContain('<time datetime="2025-01-02T03:04:05.000Z">2025-01-02 03:04:05 UTC</time>');
    expect(html).toContain('<dt>client certificate</dt><dd><code>expired</code></dd>');
    expect(html).toContain('<dt>webhook-signature</dt><dd><code>v1,g0hM…</code></dd>');
    expect(html).toContain('<dt>body</dt><dd>107 bytes</dd>');
    expect(html).toContain('ssl_verify_client on;');
    expect(html).toContain('<dt>fix (standard-webhooks)</dt><dd><code>Verify the raw body bytes before parsing them; with standardwebhooks: `new Webhook(secret).verify(rawBody, headers)`</code></dd>');
    for (const v of ['pass', 'fail', 'warn', 'skip', 'inconclusive', 'error']) expect(html).toContain(`name="verdict" value="${v}" checked`);
  });

  it('shows the baseline and marks unexpected passes', () => {
    const { scenarios, summary } = applyBaseline(SCENARIOS, { file: 'known-gaps.json', entries: [{ id: 'mtls.valid', note: 'stale' }] });
    const page = renderHtml(runResult(scenarios, { baseline: summary }));
    expect(page).toContain('baseline known-gaps.json: 0 expected failures, 1 unexpected pass');
    expect(page).toMatch(/data-id="mtls\.valid" data-verdict="pass" data-layer="mtls" open>/);
    expect(page).toContain('class="mark unexpected-pass"');
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(runResult());

  it('leads with the run verdict and the scenarios to fix, with their reference and remediation', () => {
    expect(md.split('\n')[0]).toBe('## ❌ wh-conformance: 4 scenarios fail the run');
    const fix = md.slice(md.indexOf('### To fix'), md.indexOf('<details>'));
    for (const id of ['mtls.expired', 'sig.forged', 'sig.tampered-body', 'sig.stale-timestamp']) expect(fix).toContain(`\`${id}\``);
    expect(fix).not.toContain('`mtls.no-cert`');
    expect(fix).toContain('RFC 8446 §4.4.2');
    expect(fix).toContain('fix (nginx): ssl_verify_client on;');
    expect(fix).toContain(`- \`sig.tampered-body\`: fix (standard-webhooks): ${SIG_FIX.replaceAll('|', '\\|')}`);
  });

  it('keeps every table row one line with its columns intact', () => {
    const rows = md.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.length).toBe(SCENARIOS.length + 4);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length, row).toBe(row.includes('RFC') ? 8 : 7);
    expect(md).toContain('notAfter &lt; now &amp; CA "x" isn\'t trusted \\| &lt;script&gt;');
  });

  it('says so when all is as expected', () => {
    const fine = SCENARIOS.filter((s) => s.verdict === 'pass' || s.verdict === 'warn' || s.verdict === 'skip');
    const text = renderMarkdown(runResult(fine));
    expect(text.split('\n')[0]).toBe('## ✅ wh-conformance: as expected');
    expect(text).not.toContain('### To fix');
  });
});

describe('renderAnnotations', () => {
  it('writes one ::error per failing scenario and a ::warning per warn, escaped so nothing breaks out', () => {
    const multiline = SCENARIOS.map((s) => (s.id === 'mtls.expired' ? { ...s, reason: '50% bad\nsecond line', title: 'a: b, c' } : s));
    const lines = renderAnnotations(runResult(multiline)).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(1);
    expect(lines).toContain('::error title=wh-conformance mtls.expired%3A a%3A b%2C c::fail: 50%25 bad%0Asecond line');
  });

  it('with several profiles, names the profile of signature scenarios only, on errors and warnings alike', () => {
    const text = renderAnnotations(runResult(SCENARIOS, { profiles: ['standard-webhooks', 'stripe'] }));
    expect(text).toContain('::error title=wh-conformance mtls.expired%3A ');
    expect(text).toMatch(/^::error title=wh-conformance sig\.tampered-body \(standard-webhooks\)%3A /m);
    for (const line of text.split('\n').filter((l) => l.includes(' mtls.'))) expect(line).not.toMatch(/mtls\.[\w.-]+ \(/);
  });

  it('names an unexpected pass and leaves expected failures out', () => {
    const { scenarios, summary } = applyBaseline(SCENARIOS, { file: 'b.json', entries: [{ id: 'mtls.expired', note: 'n' }, { id: 'sig.valid', note: 'n' }] });
    const text = renderAnnotations(runResult(scenarios, { baseline: summary }));
    expect(text).not.toContain('mtls.expired');
    expect(text).toMatch(/^::error title=wh-conformance sig\.valid%3A title of sig\.valid::unexpected pass: /m);
  });
});

describe('summarizeRequest', () => {
  it('cuts every digest of a signature header and keeps labels and timestamps', () => {
    expect(maskSignature('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,AAAAbbbbCCCCdddd1234')).toBe('v1,g0hM… v1,AAAA…');
    expect(maskSignature('t=1614265330,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd')).toBe('t=1614265330,v1=5257…');
    expect(maskSignature('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17')).toBe('sha256=7571…');
  });

  it('masks only the signature header, whatever its case, and counts the body bytes', () => {
    const delivery = {
      identity: 'expired',
      webhookId: 'msg_0123456789abcdef0123',
      method: 'POST' as const,
      path: '/webhook',
      headers: { 'Webhook-Signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', 'webhook-id': 'msg_0123456789abcdef0123' },
      body: Buffer.from('{"é":1}'),
    };
    expect(summarizeRequest(delivery, 'webhook-signature')).toEqual({
      identity: 'expired',
      method: 'POST',
      path: '/webhook',
      headers: { 'Webhook-Signature': 'v1,g0hM…', 'webhook-id': 'msg_0123456789abcdef0123' },
      bodyBytes: 8,
    });
  });
});

describe('writeReports', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whc-writers-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every format from one result and, in GitHub Actions, the job summary and annotations', async () => {
    let printed = '';
    const io = { write: (text: string) => void (printed += text), color: false };
    const summaryFile = join(dir, 'step-summary.md');
    const result = runResult();
    await writeReports(result, { reporters: ['console', 'json', 'junit', 'html', 'markdown'], outputDir: join(dir, 'out') }, io, { GITHUB_STEP_SUMMARY: summaryFile });
    for (const file of ['wh-conformance.json', 'junit.xml', 'index.html', 'summary.md']) expect(printed).toContain(`report written: ${join(dir, 'out', file)}`);
    expect(await readFile(join(dir, 'out', 'index.html'), 'utf8')).toBe(renderHtml(result));
    expect(await readFile(summaryFile, 'utf8')).toBe(renderMarkdown(result));
    expect(printed).toContain(renderAnnotations(result));
    expect(printed).toContain(HOSTILE_REASON);
  });

  it('writes no job summary or annotations outside GitHub Actions', async () => {
    let printed = '';
    await writeReports(runResult(), { reporters: ['console'], outputDir: join(dir, 'out') }, { write: (t) => void (printed += t), color: false }, {});
    expect(printed).not.toContain('::error');
    expect(printed).not.toContain('report written');
  });
});
