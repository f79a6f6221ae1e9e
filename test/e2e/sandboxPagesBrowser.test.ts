/**
 * What the sandbox's web page shows after a whole incident, in a real browser (Debian's chromium
 * through playwright-core): the incident body's table and task list as GitHub renders them, the
 * events between the comments, firewatch's reactions, a hostile comment that runs nothing, the
 * postmortem file as GitHub shows a Markdown file, and the status page published to gh-pages.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatops, type Chatops } from './chatopsHarness.ts';
import { componentPath, needs } from '../support/components.ts';

const CHROMIUM = componentPath('chromium');
const ARTIFACTS = resolve('test-artifacts');
const HOSTILE = [
  'Looks related: <img src=x onerror="document.title=\'pwned\'"> <a href="javascript:window.pwned=1">details</a>',
  '<details open><summary>logs</summary><script>window.pwned = 1</script><div onmouseover="window.pwned=1" style="position:fixed;inset:0">hover</div></details>',
].join('\n\n');

let chat: Chatops;
let context: BrowserContext;
let number = 0;
const userDataDir = mkdtempSync(join(tmpdir(), 'firewatch-chromium-'));
const dialogs: string[] = [];

async function step(at: string, user: 'alice' | 'bob' | 'eve', body: string): Promise<void> {
  await chat.setClock(at);
  await chat.say(user, number, body);
}

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(`${chat.sandbox.url}${path}`);
  expect(response?.status(), path).toBe(200);
  return page;
}

needs('chromium', 'in Chromium', () => {
beforeAll(async () => {
  chat = await startChatops(new Date('2026-03-01T10:00:00.000Z'));
  await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\nstatusPage:\n  publish: true\n  title: Acme status\n  services: [checkout]\n');
  number = await chat.alert('Card payments fail');
  await step('2026-03-01T10:03:00Z', 'bob', '/ack');
  await step('2026-03-01T10:05:00Z', 'bob', '/severity P1');
  await step('2026-03-01T10:07:00Z', 'eve', HOSTILE);
  await step('2026-03-01T10:30:00Z', 'bob', '/resolve rolled back the gateway deploy');
  await chat.settle();
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await chat?.close();
  rmSync(userDataDir, { recursive: true, force: true });
});

describe('the sandbox web page after a whole incident, in a browser', () => {
  it('shows the body as GitHub renders it, the events, the reactions, and runs nothing from a hostile comment', async () => {
    const page = await open(`/acme/shop/issues/${number}`);
    const body = page.locator('#issue-body');
    // The summary table (incident.md.hbs) as a real table, the first steps as a task list.
    const rows = await body.locator('table').first().locator('tbody tr').allInnerTexts();
    expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual(expect.arrayContaining(['Severity P1', 'Status resolved', 'Service checkout']));
    expect(await body.locator('ul.contains-task-list input.task-list-item-checkbox[type=checkbox][disabled]').count()).toBeGreaterThan(0);
    expect(await body.locator('input.task-list-item-checkbox:checked').count()).toBeGreaterThan(0);
    expect(await body.innerText()).not.toContain('firewatch:state');

    const events = (await page.locator('.timeline-event').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(events.some((e) => /^🏷 firewatch\[bot\] added .*status:acknowledged.* and removed .*status:triggered.* labels/.test(e)), events.join('\n')).toBe(true);
    expect(events.some((e) => /firewatch\[bot\] added sev:P1 and removed sev:P\d labels/.test(e)), events.join('\n')).toBe(true);
    expect(events.some((e) => /^✔ firewatch\[bot\] closed this as completed/.test(e)), events.join('\n')).toBe(true);

    const ack = page.locator('article.comment[aria-label="bob commented"]').filter({ has: page.locator('.markdown p', { hasText: /^\/ack$/ }) });
    const reactions = (await ack.locator('[aria-label="Reactions"] li').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim()).sort();
    expect(reactions).toEqual(['👀 eyes 1', '🚀 rocket 1']);

    // eve's comment: the harmless parts are there, nothing ran.
    const hostile = page.locator('article.comment', { hasText: 'Looks related' });
    await hostile.locator('text=hover').hover();
    await hostile.locator('a', { hasText: 'details' }).click();
    // Evaluated in the page (a string: the test's own types know no DOM).
    expect(await page.evaluate('({ title: document.title, pwned: window.pwned ?? null })')).toEqual({ title: expect.stringContaining('Card payments fail'), pwned: null });
    expect(await hostile.locator('details[open] summary').innerText()).toBe('logs');
    expect(await hostile.locator('script, [onerror], [onmouseover], [style]').count()).toBe(0);
    expect(dialogs).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'sandbox-incident.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('shows the postmortem draft as GitHub shows a Markdown file, front matter as a table', async () => {
    const { data: pulls } = await chat.as('alice').rest.pulls.list({ owner: 'acme', repo: 'post_mortems', state: 'all' });
    const pull = pulls.find((p) => p.title.includes('Card payments fail'));
    expect(pull, 'the postmortem pull request').toBeDefined();
    const { data: files } = await chat.as('alice').rest.pulls.listFiles({ owner: 'acme', repo: 'post_mortems', pull_number: pull?.number ?? 0 });
    const path = files[0]?.filename ?? '';
    const page = await open(`/acme/post_mortems/blob/${pull?.head.ref}/${path}`);
    const markdown = page.locator('.markdown');
    const headers = await markdown.locator(':scope > table').first().locator('thead th').allInnerTexts();
    expect(headers).toEqual(expect.arrayContaining(['severity', 'status', 'incident']));
    expect(await markdown.locator(':scope > table').first().locator('tbody td').allInnerTexts()).toEqual(expect.arrayContaining(['P1', 'draft', `acme/shop#${number}`]));
    expect(await markdown.locator('h1, h2').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(ARTIFACTS, 'sandbox-postmortem.png'), fullPage: true });
    // The pull request's page links the file from its changed files.
    const pullPage = await open(`/acme/post_mortems/pull/${pull?.number}`);
    expect(await pullPage.locator('#files a', { hasText: path }).getAttribute('href')).toBe(`/acme/post_mortems/blob/${pull?.head.sha}/${path.split('/').map(encodeURIComponent).join('/')}`);
    await page.close();
    await pullPage.close();
  }, 60_000);

  it('serves the status page published to gh-pages as GitHub Pages would', async () => {
    const page = await open('/acme.github.io/shop/');
    expect(await page.title()).toContain('Acme status');
    expect(await page.locator('body').innerText()).toContain('checkout');
    await page.screenshot({ path: join(ARTIFACTS, 'sandbox-status-page.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
});
