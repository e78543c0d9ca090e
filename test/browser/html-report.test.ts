import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/model.js';
import { leftovers, readReport, REPO, runCli } from '../e2e/cli.js';
import { executable, lacks } from '../system-parts.js';

// The HTML report of a real run of the flawed listener, opened in headless Chromium (Debian's
// package, found on PATH; .ci/run installs it). The screenshot is kept where CI keeps artifacts.
const ARTIFACTS = join(REPO, 'test-artifacts');
const SCREENSHOT = join(ARTIFACTS, 'html-report.png');
const DEADLINE_MS = 15_000;

let out: string;
let browser: Browser;
let report: RunResult;
let url: string;

async function open(options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(DEADLINE_MS);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url, { timeout: DEADLINE_MS });
  return { page, requests };
}

const visibleRows = (page: Page) => page.locator('details.scenario:visible').count();

async function tick(page: Page, name: 'verdict' | 'layer', values: readonly string[]): Promise<void> {
  for (const box of await page.locator(`.filters input[name="${name}"]`).all()) {
    await box.setChecked(values.includes(await box.getAttribute('value') ?? ''));
  }
}

describe.skipIf(lacks('chromium'))('the HTML report in Chromium', () => {
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'whc-html-'));
    const run = await runCli(['run', '--command', 'node examples/listeners/flawed.mjs', '--capabilities', 'crl', '--reporter', 'html,json', '--out', out], { env: { WHC_FLAWS: 'no-crl,500-on-bad-signature' } });
    expect(run.code).toBe(1);
    expect(leftovers(run)).toEqual([]);
    report = readReport(out);
    url = pathToFileURL(join(out, 'index.html')).href;
    browser = await chromium.launch({
      executablePath: executable('chromium'),
      timeout: DEADLINE_MS,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('loads nothing but itself and shows the header and a row per scenario', async () => {
    const { page, requests } = await open();
    expect(requests).toEqual([url]);
    expect(await page.title()).toContain('flawed.mjs');
    await expect.poll(() => page.locator('h1').textContent()).toBe('wh-conformance report');
    expect(await page.locator('[data-total="fail"]').textContent()).toBe(`${report.summary.fail} fail`);
    expect(await visibleRows(page)).toBe(report.scenarios.length);
    expect(await page.locator('#shown').textContent()).toBe(`${report.scenarios.length} of ${report.scenarios.length} shown`);
    await page.context().close();
  });

  it('shows every failure open: its reason, what was sent and what was observed', async () => {
    const { page } = await open();
    const failures = report.scenarios.filter((s) => s.verdict === 'fail');
    expect(failures.length).toBeGreaterThan(1);
    for (const s of failures) {
      const row = page.locator(`details.scenario[data-id="${s.id}"]`);
      await expect.poll(() => row.locator('.more').isVisible(), { timeout: DEADLINE_MS }).toBe(true);
      expect(await row.locator('.verdict').textContent()).toBe('fail');
      expect(await row.locator('summary .reason').textContent()).toContain(s.reason);
      expect(await row.locator('.more').textContent()).toContain(`${s.request?.bodyBytes} bytes`);
      expect(await row.locator('.more').textContent()).toContain(s.outcome?.detail ?? '');
    }
    const passing = page.locator('details.scenario[data-verdict="pass"]').first();
    expect(await passing.locator('.more').isVisible()).toBe(false);
    await page.context().close();
  });

  it('filters by verdict and by layer', async () => {
    const { page } = await open();
    await tick(page, 'verdict', ['fail']);
    expect(await visibleRows(page)).toBe(report.summary.fail);
    expect(await page.locator('#shown').textContent()).toBe(`${report.summary.fail} of ${report.scenarios.length} shown`);
    expect(await page.locator('details.scenario[data-verdict="pass"]:visible').count()).toBe(0);

    await tick(page, 'verdict', ['pass', 'fail', 'warn', 'skip', 'inconclusive', 'error']);
    await tick(page, 'layer', ['sig']);
    expect(await visibleRows(page)).toBe(report.scenarios.filter((s) => s.layer === 'sig').length);
    expect(await page.locator('section.group[data-layer="mtls"]').isVisible()).toBe(false);

    await tick(page, 'layer', []);
    expect(await visibleRows(page)).toBe(0);
    expect(await page.locator('#empty').isVisible()).toBe(true);
    await page.context().close();
  });

  it('shows every scenario without script', async () => {
    const { page } = await open({ javaScriptEnabled: false });
    expect(await visibleRows(page)).toBe(report.scenarios.length);
    await page.context().close();
  });

  it('saves a screenshot for CI: a PNG of the whole viewport, showing more than a blank page', async () => {
    const { page } = await open();
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(SCREENSHOT, { force: true });
    await page.screenshot({ path: SCREENSHOT, timeout: DEADLINE_MS });
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR comes first: width and height, big-endian, after the chunk's length and type.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 900]);
    await page.goto('about:blank');
    const blank = await page.screenshot({ timeout: DEADLINE_MS });
    expect(png.length).toBeGreaterThan(blank.length * 4);
    await page.context().close();
  });
});
