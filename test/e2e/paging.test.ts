/**
 * Paging end to end, as people live it at 3 a.m.: the sandbox GitHub, the app, and a local server
 * standing in for ntfy that checks every request's shape. A P1 pages the primary on ntfy,
 * re-pages on time, escalates to the secondary, and stops when the secondary taps Acknowledge on
 * the notification; every other link then says who acknowledged.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { parsePagingEnv } from '../../src/runtimes/server/pagingEnv.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { eventually } from '../support/processes.ts';
import { startCaptureServer, type CaptureServer, type CapturedRequest } from '../support/captureServer.ts';
import { writeRepoConfig } from '../support/repoConfig.ts';

const repo = { owner: 'acme', repo: 'shop' };
const BOT = 'firewatch[bot]';
const CONFIG = `
timezone: UTC
oncall:
  layers:
    - name: primary
      participants: [bob]
      handoff: { weekday: monday, time: '09:00' }
      start: '2026-03-02'
  escalation:
    steps:
      - { afterMinutes: 10, mention: ['@carol'] }
paging:
  policies:
    P1: { channels: [ntfy], repeatMinutes: 5, escalateAfterMinutes: 10 }
    P2: { channels: [sms] }
`;
const CONTACTS = JSON.stringify({ people: { bob: { channels: [{ ntfy: 'bob-pages' }] }, carol: { channels: [{ ntfy: 'carol-pages' }] }, alice: { channels: [{ sms: '+15005550009' }, { ntfy: 'alice-pages' }] }, mallory: { channels: [{ ntfy: 'mallory-pages' }] }, dave: { channels: [{ ntfy: 'dave-pages' }, { email: 'dave@example.com' }] } } });

let running: Sandboxed;
let ntfy: CaptureServer;
let alice: Octokit;
let twilio: CaptureServer;

async function setClock(iso: string): Promise<void> {
  await running.sandbox.setNow(new Date(iso));
}

async function comments(number: number) {
  const { data } = await alice.rest.issues.listComments({ ...repo, issue_number: number, per_page: 100 });
  return data.filter((comment) => comment.user?.login === BOT);
}

/** How often firewatch's comments mention `login` for real (GitHub notifies): `@login` outside code. */
async function realMentionsOf(number: number, login: string): Promise<number> {
  const pattern = new RegExp(`(?<![\\w\`@])@${login}(?![\\w\`-])`, 'g');
  return (await comments(number)).reduce((count, comment) => count + [...(comment.body ?? '').matchAll(pattern)].length, 0);
}

function pagesTo(topic: string, since = 0): CapturedRequest[] {
  return ntfy.requests.slice(since).filter((request) => (request.json as { topic?: string } | undefined)?.topic === topic);
}

interface NtfyAction {
  action: string;
  label: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  clear?: boolean;
}

beforeAll(async () => {
  ntfy = await startCaptureServer();
  // Twilio's answer for a number that cannot take SMS.
  twilio = await startCaptureServer(400, { code: 21614, message: "'To' number is not a valid mobile number", more_info: 'https://www.twilio.com/docs/errors/21614', status: 400 });
  running = await startSandboxed({
    port: 0,
    sandboxPort: 0,
    logLevel: 'fatal',
    now: new Date('2026-03-03T02:55:00Z'),
    paging: parsePagingEnv({ FIREWATCH_NTFY_URL: ntfy.url, FIREWATCH_NTFY_TOKEN: 'tk_test', FIREWATCH_CONTACTS: CONTACTS, FIREWATCH_TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', FIREWATCH_TWILIO_AUTH_TOKEN: 'twilio-secret', FIREWATCH_TWILIO_FROM: '+15005550006', FIREWATCH_TWILIO_API_URL: twilio.url }),
  });
  alice = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-alice' });
  await writeRepoConfig(alice, repo, CONFIG, 'paging');
  await running.sandbox.idle();
}, 60_000);

afterAll(async () => {
  await running?.close();
  await ntfy?.close();
  await twilio?.close();
});

describe('a P1 at night', () => {
  let number = 0;
  let carolTap: NtfyAction | undefined;
  let bobLink = '';

  it('pages the primary via ntfy at once, with urgent priority and an Acknowledge button', async () => {
    await setClock('2026-03-03T03:00:00Z');
    const response = await fetch(`${running.server.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'CheckoutDown', severity: 'P1', service: 'checkout' }),
    });
    expect(response.status).toBe(202);
    const page = await ntfy.waitFor((request) => (request.json as { topic?: string }).topic === 'bob-pages', { sinceCount: 0 });
    expect(page.method).toBe('POST');
    expect(page.path).toBe('/');
    expect(page.headers['content-type']).toBe('application/json');
    expect(page.headers['authorization']).toBe('Bearer tk_test');
    const body = page.json as { title: string; message: string; priority: number; click: string; actions: NtfyAction[] };
    expect(body.title).toBe('P1 checkout: CheckoutDown');
    expect(body.priority).toBe(5);
    // The sandbox clock stands still where the test set it: the page went out at 03:00:00 sharp.
    expect(body.message).toContain(' Open 0s. ');
    const [ack, view] = body.actions;
    expect(ack).toMatchObject({ action: 'http', label: 'Acknowledge', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, clear: true });
    expect(ack?.url).toMatch(new RegExp(`^${running.server.url}/ack/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
    expect(ack?.body).toMatch(/^confirm=[A-Za-z0-9_-]{32}$/);
    expect(view).toMatchObject({ action: 'view', label: 'Open incident' });
    bobLink = ack?.url ?? '';
    number = Number(/\/issues\/(\d+)$/.exec(body.click)?.[1]);
    expect(number).toBeGreaterThan(0);

    // The comment is edited with the outcome right after the send.
    const claim = await eventually(async () => (await comments(number)).find((comment) => comment.body?.includes('📟') && comment.body.includes('delivered')), 'the page comment with its outcome');
    // The one real mention of the GitHub channel, and the delivery recorded on the incident.
    expect(claim?.body).toContain('📟 Paging @bob (on call) via ntfy and GitHub.');
    expect(claim?.body).toContain('paged `@bob` via ntfy; delivered');
  });

  it('re-pages after the interval, once, and names them quietly on GitHub', async () => {
    const before = pagesTo('bob-pages').length;
    await setClock('2026-03-03T03:04:59Z');
    expect(pagesTo('bob-pages').length).toBe(before);
    await setClock('2026-03-03T03:05:00Z');
    await setClock('2026-03-03T03:05:40Z');
    expect(pagesTo('bob-pages').length).toBe(before + 1);
    const body = pagesTo('bob-pages').at(-1)?.json as { message: string };
    expect(body.message).toContain('(page 2, still not acknowledged)');
    const repage = (await comments(number)).filter((comment) => comment.body?.includes('📟')).at(-1);
    expect(repage?.body).toContain('📟 Paging `@bob` (page 2 of at most 10, not acknowledged yet) via ntfy and GitHub.');
    expect(repage?.body).not.toMatch(/(^|\s)@bob\b/);
  });

  it('escalates to the secondary after 10 minutes without an acknowledgement', async () => {
    await setClock('2026-03-03T03:09:59Z');
    expect(pagesTo('carol-pages')).toHaveLength(0);
    await setClock('2026-03-03T03:10:00Z');
    const carol = pagesTo('carol-pages');
    expect(carol).toHaveLength(1);
    carolTap = (carol[0]?.json as { actions: NtfyAction[] }).actions[0];
    const escalation = (await comments(number)).find((comment) => comment.body?.includes('🆘'));
    expect(escalation?.body).toContain('🆘 Escalation step 1 of 1: nobody acknowledged 10 minutes after the last page, so @carol is brought in.');
    const { data: issue } = await alice.rest.issues.get({ ...repo, issue_number: number });
    expect(issue.assignees?.map((user) => user.login).sort()).toEqual(['bob', 'carol']);
    // Three pages of bob and one of carol, each woken on GitHub by one real mention.
    expect(await realMentionsOf(number, 'bob')).toBe(1);
    expect(await realMentionsOf(number, 'carol')).toBe(1);
  });

  it('opening a link changes nothing: it shows a confirm page', async () => {
    const page = await fetch(carolTap?.url ?? '');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Acknowledge as @carol');
    expect(html).toContain('<form method="post"');
    const { data: issue } = await alice.rest.issues.get({ ...repo, issue_number: number });
    expect(parseStateBlock(issue.body)?.status).toBe('triggered');
  });

  it('a forged link changes nothing and says why', async () => {
    const url = carolTap?.url ?? '';
    const forged = url.replace(/\.[A-Za-z0-9_-]{22}$/, `.${'A'.repeat(22)}`);
    const response = await fetch(forged, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: carolTap?.body ?? '' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('was not made by this firewatch');
    const { data: issue } = await alice.rest.issues.get({ ...repo, issue_number: number });
    expect(parseStateBlock(issue.body)?.status).toBe('triggered');
  });

  it('the secondary taps Acknowledge on the notification: acknowledged as carol, like her /ack', async () => {
    // Exactly the request the ntfy app sends for the button.
    const response = await fetch(carolTap?.url ?? '', { method: carolTap?.method ?? 'POST', headers: carolTap?.headers ?? {}, body: carolTap?.body ?? '' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Acknowledged by @carol');
    await running.sandbox.idle();
    const { data: issue } = await alice.rest.issues.get({ ...repo, issue_number: number });
    const state = parseStateBlock(issue.body);
    expect(state?.status).toBe('acknowledged');
    expect(state?.acknowledgedBy).toBe('carol');
    expect(state?.timeline.find((entry) => entry.type === 'acknowledged')).toMatchObject({ actor: 'carol', text: 'Acknowledged' });
    // Written with firewatch's seal, like every other write: the acknowledged state is still its own.
    const body = issue.body ?? '';
    const block = JSON.parse(body.slice(body.lastIndexOf('<!-- firewatch:state ') + '<!-- firewatch:state '.length, body.lastIndexOf(' -->'))) as { seal?: string };
    expect(block.seal).toMatch(/^v1\./);
    expect(issue.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('status:acknowledged');
  });

  it('pages stop, and every link now says who acknowledged', async () => {
    const before = ntfy.requests.length;
    await setClock('2026-03-03T03:16:00Z');
    await setClock('2026-03-03T03:30:00Z');
    expect(ntfy.requests.length).toBe(before);
    const bob = await fetch(bobLink);
    expect(bob.status).toBe(409);
    expect(await bob.text()).toContain('Already acknowledged by @carol');
    const again = await fetch(carolTap?.url ?? '', { method: 'POST', headers: carolTap?.headers ?? {}, body: carolTap?.body ?? '' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already used');
  });
});

describe('a failing channel falls back to the next way the person gave', () => {
  it('/escalate @alice pages her: SMS fails with 21614, ntfy takes over, and both are on the timeline', async () => {
    await setClock('2026-03-03T04:00:00Z');
    await fetch(`${running.server.url}/alerts/generic`, { method: 'POST', headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' }, body: JSON.stringify({ title: 'QueueDelay', severity: 'P2', service: 'jobs' }) });
    // bob has no SMS: he is paged by the first way he gave.
    const bobPage = await ntfy.waitFor((request) => (request.json as { topic?: string; title?: string }).title === 'P2 jobs: QueueDelay');
    const number = Number(/\/issues\/(\d+)$/.exec((bobPage.json as { click: string }).click)?.[1]);
    await eventually(async () => ((await comments(number)).some((comment) => comment.body?.includes('no SMS contact: paging by ntfy instead')) ? true : undefined), "bob's page comment");
    const bob = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-bob' });
    await bob.rest.issues.createComment({ ...repo, issue_number: number, body: '/escalate @alice database is on fire' });
    const sms = await twilio.waitFor(() => true, { sinceCount: 0 });
    expect(new URLSearchParams(sms.body.toString()).get('To')).toBe('+15005550009');
    expect(sms.headers['authorization']).toBe(`Basic ${Buffer.from('AC00000000000000000000000000000000:twilio-secret').toString('base64')}`);
    await ntfy.waitFor((request) => (request.json as { topic?: string }).topic === 'alice-pages');
    const page = await eventually(async () => (await comments(number)).find((comment) => comment.body?.includes('instead of SMS')), "alice's page outcome");
    expect(page.body).toContain("SMS to `@alice` failed: 21614 ('To' number is not a valid mobile number); paged by ntfy instead");
    expect(page.body).toContain('paged `@alice` by ntfy instead of SMS; delivered');
    // The /escalate reply already mentioned her for real: the page names her quietly.
    expect((await comments(number)).some((comment) => comment.body?.includes('🆘 Escalated to @alice, assigned'))).toBe(true);
    expect(page.body).toContain('📟 Paging `@alice` (escalated) via SMS and GitHub.');
    expect(await realMentionsOf(number, 'alice')).toBe(1);
  });
});

describe('a state block changed outside firewatch', () => {
  it('pages nobody and acknowledges nothing: not the people it names, not the re-pages it would be due', async () => {
    await setClock('2026-03-03T05:00:00Z');
    await fetch(`${running.server.url}/alerts/generic`, { method: 'POST', headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' }, body: JSON.stringify({ title: 'SearchDown', severity: 'P1', service: 'search' }) });
    const first = await ntfy.waitFor((request) => (request.json as { title?: string }).title === 'P1 search: SearchDown');
    const tap = (first.json as { actions: NtfyAction[]; click: string }).actions[0];
    const number = Number(/\/issues\/(\d+)$/.exec((first.json as { click: string }).click)?.[1]);
    await eventually(async () => ((await comments(number)).some((comment) => comment.body?.includes('📟') && comment.body.includes('delivered')) ? true : undefined), "bob's first page recorded");
    const pagesBefore = ntfy.requests.length;

    // Someone with triage access rewrites the block while firewatch misses the edit (its guard would put it back):
    // another responder to wake, the seal left as it was.
    const { data: issue } = await alice.rest.issues.get({ ...repo, issue_number: number });
    const body = issue.body ?? '';
    const start = body.lastIndexOf('<!-- firewatch:state ');
    const block = JSON.parse(body.slice(start + '<!-- firewatch:state '.length, body.lastIndexOf(' -->'))) as { alerts: { responders?: string[] }[]; seal?: string };
    expect(block.seal).toMatch(/^v1\./);
    for (const alert of block.alerts) alert.responders = ['mallory'];
    running.sandbox.setWebhookTarget(undefined);
    try {
      await alice.rest.issues.update({ ...repo, issue_number: number, body: `${body.slice(0, start)}<!-- firewatch:state ${JSON.stringify(block)} -->\n` });
    } finally {
      running.sandbox.setWebhookTarget(running.server.webhookUrl);
    }

    // Re-pages (05:05) and the escalation (05:10) were due: the forged block pages nobody, mallory least of all.
    await setClock('2026-03-03T05:05:00Z');
    await setClock('2026-03-03T05:10:00Z');
    expect(ntfy.requests.slice(pagesBefore).map((request) => (request.json as { topic?: string }).topic)).toEqual([]);

    // bob's link does not acknowledge from it either, and says why.
    const response = await fetch(tap?.url ?? '', { method: 'POST', headers: tap?.headers ?? {}, body: tap?.body ?? '' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('was changed outside firewatch');
    const { data: after } = await alice.rest.issues.get({ ...repo, issue_number: number });
    expect(parseStateBlock(after.body)?.status).toBe('triggered');
    expect((await comments(number)).some((comment) => comment.body?.includes('Acknowledged'))).toBe(false);
  });
});

describe("an Opsgenie alert's responders", () => {
  it('pages the user it names by e-mail address (found in the private contacts) with the people on call; a team names nobody more', async () => {
    await setClock('2026-03-03T06:00:00Z');
    const since = ntfy.requests.length;
    const response = await fetch(`${running.server.url}/alerts/opsgenie/v2/alerts`, {
      method: 'POST',
      headers: { authorization: 'GenieKey sandbox-opsgenie', 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'PaymentsDown', alias: 'payments-down', priority: 'P1', responders: [{ type: 'user', username: 'Dave@Example.com' }, { type: 'team', name: 'payments' }] }),
    });
    expect(response.status).toBe(202);
    const page = await ntfy.waitFor((request) => (request.json as { topic?: string; title?: string }).topic === 'dave-pages', { sinceCount: since });
    expect((page.json as { title: string }).title).toContain('PaymentsDown');
    const number = Number(/\/issues\/(\d+)$/.exec((page.json as { click: string }).click)?.[1]);
    const claim = await eventually(async () => (await comments(number)).find((comment) => comment.body?.includes('📟 Paging')), 'the page comment');
    expect(claim.body).toContain('(alert responder)');
    expect(claim.body).toContain('@dave');
    // The address came from the alert: the page comment names the person, never the address.
    expect((await comments(number)).some((comment) => comment.body?.includes('dave@example.com'))).toBe(false);
    expect(pagesTo('bob-pages', since)).toHaveLength(1);
    expect(pagesTo('mallory-pages', since)).toHaveLength(0);
  });
});
