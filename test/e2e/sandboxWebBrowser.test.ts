/**
 * The sandbox's web page as a newcomer uses it, in a real browser (Debian's chromium driven by
 * playwright-core): alice types a command into an incident's comment form and posts it; the
 * comment is there, and firewatch reacts to it. A form on another site posting to the same page is
 * refused and posts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT, startChatops, type Chatops } from './chatopsHarness.ts';
import { componentPath, needs } from '../support/components.ts';

const CHROMIUM = componentPath('chromium');

let chat: Chatops;
let context: BrowserContext;
let elsewhere: Server;
let elsewhereUrl = '';
let number = 0;
const userDataDir = mkdtempSync(join(tmpdir(), 'firewatch-chromium-'));

needs('chromium', 'in Chromium', () => {
beforeAll(async () => {
  chat = await startChatops(new Date('2026-01-14T09:00:00.000Z'));
  number = await chat.alert('Checkout 500s');
  // Another site (localhost is not 127.0.0.1) with a form aimed at the sandbox page.
  elsewhere = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Win a prize</title><form method="post" action="${chat.sandbox.url}/acme/shop/issues/${number}">
<input type="hidden" name="user" value="alice"><input type="hidden" name="body" value="/resolve hijacked">
<button type="submit">Claim your prize</button></form>`);
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://localhost:${(elsewhere.address() as AddressInfo).port}/`;
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => elsewhere?.close(resolve));
  await chat?.close();
  rmSync(userDataDir, { recursive: true, force: true });
});

describe('the sandbox web page in a browser', () => {
  it('posts a comment alice types into the form, and firewatch acts on it', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${chat.sandbox.url}/acme/shop/issues/${number}`);
    await page.getByLabel('Comment as').selectOption('alice');
    await page.locator('#comment-body').fill('/ack looking at the checkout errors');
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Comment' }).click()]);
    expect(response?.status()).toBe(200);
    expect(page.url()).toMatch(new RegExp(`/acme/shop/issues/${number}#issuecomment-\\d+$`));
    const commentId = /#issuecomment-(\d+)$/.exec(page.url())?.[1] ?? '';
    const posted = page.locator(`#issuecomment-${commentId}`);
    expect(await posted.innerText()).toContain('/ack looking at the checkout errors');
    expect(await posted.innerText()).toContain('alice');

    // firewatch saw it (its webhook) and acted: the incident is acknowledged, and the comment has its reactions.
    await chat.settle();
    await page.reload();
    const reactions = await page.locator(`#issuecomment-${commentId} [aria-label="Reactions"] li`).allInnerTexts();
    expect(reactions.map((reaction) => reaction.replace(/\s+/g, ' ').trim()).sort()).toEqual(['👀 eyes 1', '🚀 rocket 1']);
    expect(await page.locator(`#issuecomment-${commentId} [aria-label="Reactions"] li`).evaluateAll((items) => items.map((item) => item.getAttribute('title')))).toEqual(
      expect.arrayContaining([`${BOT} reacted with eyes`, `${BOT} reacted with rocket`]),
    );
    expect(await page.locator('body').innerText()).toContain('status:acknowledged');
    const view = await chat.view(number);
    expect(view.labels).toContain('status:acknowledged');
    const comments = await chat.comments(number);
    expect(comments.find((comment) => String(comment.id) === commentId)?.user?.login).toBe('alice');
  }, 60_000);

  it('refuses the same form posted from another site, and posts nothing', async () => {
    const before = (await chat.comments(number)).length;
    const page = await context.newPage();
    await page.goto(elsewhereUrl);
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Claim your prize' }).click()]);
    expect(response?.status()).toBe(403);
    expect(await page.locator('body').innerText()).toContain('Cross-site post refused');
    await chat.settle();
    expect(await chat.comments(number)).toHaveLength(before);
    expect((await chat.view(number)).state).toBe('open');
    await page.close();
  }, 60_000);
});
});
