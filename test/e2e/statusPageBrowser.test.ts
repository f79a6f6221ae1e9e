/**
 * The status page built from a sandbox scenario (incidents driven by alerts and comments) and
 * looked at in a real headless browser: Debian's chromium driven by playwright-core.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusPageCli } from '../../src/runtimes/cli/statusPage.ts';
import { startChatops, type Chatops } from './chatopsHarness.ts';
import { componentPath, needs } from '../support/components.ts';

const CHROMIUM = componentPath('chromium');
const ARTIFACTS = resolve('test-artifacts');
const out = join(ARTIFACTS, 'statuspage');

let chat: Chatops;
let browser: Browser | undefined;
const userDataDir = mkdtempSync(join(tmpdir(), 'firewatch-chromium-'));

function alertIncident(title: string, service: string, severity: string): Promise<number> {
  return chat.alert(title, { service, severity });
}

async function step(at: string, number: number, body: string): Promise<void> {
  await chat.setClock(at);
  const result = await chat.say('bob', number, body);
  expect(result.reactions, `${body}: ${result.reply}`).toEqual(['eyes', 'rocket']);
}

needs('chromium', 'in Chromium', () => {
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH; the status page browser test needs it.`);
  }
  chat = await startChatops(new Date('2026-02-10T08:00:00.000Z'));
  await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\n');
  // Last month: a search incident, resolved with a public message.
  const past = await alertIncident('SearchLatencyHigh', 'search', 'P3');
  await step('2026-02-10T08:03:00Z', past, '/ack');
  await step('2026-02-10T08:20:00Z', past, '/status identified Search results are slow; a fix is rolling out.');
  await step('2026-02-10T09:00:00Z', past, '/resolve Search is fast again.');
  // Today: a checkout outage with one public and one internal update.
  await chat.setClock('2026-03-01T10:00:00Z');
  const active = await alertIncident('CheckoutErrors5xx', 'checkout', 'P1');
  await step('2026-03-01T10:04:00Z', active, '/ack');
  await step('2026-03-01T10:10:00Z', active, '/status investigating Some card payments fail. We are investigating.');
  await step('2026-03-01T10:15:00Z', active, '/status identified db-primary-7 credentials rotated by mistake --internal');
  await chat.setClock('2026-03-01T10:30:00Z');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await chat?.close();
  rmSync(userDataDir, { recursive: true, force: true });
});

describe('status page in a browser', () => {
  it('shows the active incident with its public updates only, and the history', async () => {
    mkdirSync(out, { recursive: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let errors = '';
    stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await statusPageCli({ values: { out, repo: 'acme/shop', title: 'Acme status', 'api-url': chat.sandbox.apiUrl, token: 'sandbox-alice' }, positionals: ['build'] }, { stdout, stderr, env: {} }, new Date('2026-03-01T10:30:00Z'));
    expect(errors).toBe('');
    expect(code).toBe(0);

    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1000, height: 1400 },
      javaScriptEnabled: false,
    });
    browser = context.browser() ?? undefined;
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(join(out, 'index.html')).href);
      expect(await page.title()).toBe('Acme status');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Acme status');
      expect(await page.getByRole('status').textContent()).toBe('Major outage in progress');

      const activeSection = page.locator('section', { has: page.getByRole('heading', { name: 'Active incidents' }) });
      expect(await activeSection.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Major outage: checkout']);
      const activeText = await activeSection.innerText();
      // The stage announced only internally (identified) is not shown either.
      expect(activeText).toContain('Investigating · started 1 Mar 2026, 10:00 UTC');
      expect(activeText).toContain('Some card payments fail. We are investigating.');
      expect(activeText).not.toContain('db-primary-7');

      const history = page.locator('section', { has: page.getByRole('heading', { name: 'Past incidents' }) });
      const historyText = await history.innerText();
      expect(historyText).toContain('Degraded performance: search');
      expect(historyText).toContain('Search is fast again.');
      expect(historyText).toContain('lasted 1h 00m');

      const bars = page.getByRole('img', { name: /^checkout: .* uptime over 90 days; major outage on 2026-03-01\.$/ });
      expect(await bars.count()).toBe(1);
      expect(await bars.locator('rect').count()).toBe(90);
      expect(await page.getByRole('img', { name: /^search: 100\.00% uptime over 90 days; degraded performance on 2026-02-10\.$/ }).count()).toBe(1);

      const body = await page.locator('body').innerText();
      for (const leak of ['db-primary-7', 'CheckoutErrors5xx', 'SearchLatencyHigh', 'bob', 'alice']) expect(body).not.toContain(leak);
      await page.screenshot({ path: join(ARTIFACTS, 'statuspage.png'), fullPage: true });
      expect(existsSync(join(ARTIFACTS, 'statuspage.png'))).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);
});
});
