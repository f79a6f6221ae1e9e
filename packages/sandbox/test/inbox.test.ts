/**
 * The sandbox's notification inbox: what a webhook notification target POSTs to
 * `/_sandbox/notifications` is listed as JSON and on the `/notifications` page, links only into
 * the sandbox, and a reset empties it. The home page points at it and at the guided tour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../src/index.ts';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'inbox', now: new Date('2026-03-04T10:00:00Z') });
});

afterAll(async () => {
  await sandbox?.close();
});

const notify = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sandbox.url}/_sandbox/notifications`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'firewatch', ...headers }, body: JSON.stringify(body) });

describe('the notification inbox', () => {
  it('keeps what it receives, shows it newest first, and links only into the sandbox', async () => {
    const opened = { version: 1, event: 'opened', at: '2026-03-04T10:00:00Z', incident: { id: 'x', title: 'Checkout down', service: 'checkout', severity: 'P1', status: 'triggered', url: `${sandbox.url}/acme/shop/issues/10` }, text: 'P1 incident opened: Checkout down' };
    const hostile = { event: 'resolved', text: '<script>alert(1)</script> Resolved', incident: { url: 'https://evil.example/phish' } };
    expect((await notify(opened, { 'x-firewatch-signature': 'sha256=abc' })).status).toBe(202);
    expect((await notify(hostile)).status).toBe(202);

    const listed = (await (await fetch(`${sandbox.url}/_sandbox/notifications`)).json()) as { at: string; body: unknown; signature?: string; userAgent?: string }[];
    expect(listed).toEqual([
      { at: '2026-03-04T10:00:00.000Z', body: opened, signature: 'sha256=abc', userAgent: 'firewatch' },
      { at: '2026-03-04T10:00:00.000Z', body: hostile, userAgent: 'firewatch' },
    ]);

    const page = await (await fetch(`${sandbox.url}/notifications`)).text();
    expect(page).toContain('2 notifications received');
    expect(page.indexOf('Resolved')).toBeLessThan(page.indexOf('P1 incident opened: Checkout down'));
    expect(page).toContain('href="/acme/shop/issues/10"');
    expect(page).not.toContain('evil.example');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Resolved');
  });

  it('refuses an empty notification and is emptied by a reset', async () => {
    expect((await fetch(`${sandbox.url}/_sandbox/notifications`, { method: 'POST' })).status).toBe(400);
    sandbox.reset();
    expect(await (await fetch(`${sandbox.url}/_sandbox/notifications`)).json()).toEqual([]);
    expect(await (await fetch(`${sandbox.url}/notifications`)).text()).toContain('Nothing yet');
  });

  it('is linked from the home page, next to the guided tour', async () => {
    const home = await (await fetch(`${sandbox.url}/`)).text();
    expect(home).toContain('<pre><code>npx firewatch demo</code></pre>');
    expect(home).toContain('<a href="/notifications">the notification inbox</a>');
  });
});
