/**
 * Each channel adapter against a local HTTP server standing in for its provider, which checks the
 * request the way the provider would: method, path, auth, content type, body encoding and fields.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ntfyChannel } from '../../src/adapters/channels/ntfy.ts';
import { pushoverChannel } from '../../src/adapters/channels/pushover.ts';
import { slackChannel } from '../../src/adapters/channels/slack.ts';
import { twilioSmsChannel, twilioVoiceChannel } from '../../src/adapters/channels/twilio.ts';
import type { PageMessage } from '../../src/domain/paging/pageMessage.ts';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Reply = { status: number; body: unknown };
let answer: (request: Seen) => Reply = () => ({ status: 200, body: {} });
const seen: Seen[] = [];
let url = '';
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    const entry = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
    seen.push(entry);
    const reply = answer(entry);
    response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const noWait = { sleep: async () => {} };
const message: PageMessage = {
  pageId: 'alice-2',
  login: 'alice',
  round: 2,
  incident: '20260303-checkout-1a2b',
  title: 'Checkout <b>down</b> & "slow"',
  severity: 'P1',
  service: 'checkout',
  openFor: '5m',
  issueUrl: 'https://github.com/acme/shop/issues/12',
  issueRef: 'acme/shop#12',
  ackUrl: 'https://fw.example.com/ack/abc.def',
};

function take(): Seen {
  const entry = seen.shift();
  if (!entry) throw new Error('no request arrived');
  return entry;
}

describe('ntfy', () => {
  it('publishes as JSON to the server root: topic, priority 5 for P1, click, Acknowledge (http POST form) and Open (view) actions, bearer token', async () => {
    answer = () => ({ status: 200, body: { id: 'hwQ2YpKdmg', event: 'message' } });
    const result = await ntfyChannel({ url: `${url}/`, token: 'tk_abc' }, { ...noWait, confirmFor: () => 'c0nfirm' }).send(message, 'alice-pages');
    expect(result).toEqual({ ok: true, attempts: 1, id: 'hwQ2YpKdmg' });
    const request = take();
    expect([request.method, request.path, request.headers['authorization'], request.headers['content-type']]).toEqual(['POST', '/', 'Bearer tk_abc', 'application/json']);
    expect(JSON.parse(request.body)).toEqual({
      topic: 'alice-pages',
      title: 'P1 checkout: Checkout <b>down</b> & "slow"',
      message: expect.stringContaining('(page 2, still not acknowledged)') as unknown,
      priority: 5,
      tags: ['rotating_light'],
      click: message.issueUrl,
      actions: [
        { action: 'http', label: 'Acknowledge', url: message.ackUrl, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'confirm=c0nfirm', clear: true },
        { action: 'view', label: 'Open incident', url: message.issueUrl, clear: false },
      ],
    });
  });

  it('retries a 5xx and says so; a 4xx is final', async () => {
    let calls = 0;
    answer = () => (++calls === 1 ? { status: 502, body: {} } : { status: 200, body: { id: 'x' } });
    expect(await ntfyChannel({ url }, noWait).send(message, 't')).toEqual({ ok: true, attempts: 2, id: 'x' });
    answer = () => ({ status: 403, body: { code: 40301, http: 403, error: 'forbidden' } });
    expect(await ntfyChannel({ url }, noWait).send(message, 't')).toEqual({ ok: false, attempts: 1, error: 'HTTP 403: forbidden' });
    seen.length = 0;
  });
});

describe('Twilio', () => {
  const settings = () => ({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'secret', from: '+15005550006', apiUrl: url });
  it('SMS: POST Messages.json, form-encoded To/From/Body, HTTP basic auth with the Account SID', async () => {
    answer = () => ({ status: 201, body: { sid: 'SM1234', status: 'queued' } });
    expect(await twilioSmsChannel(settings(), noWait).send(message, '+4915112345678')).toEqual({ ok: true, attempts: 1, id: 'SM1234' });
    const request = take();
    expect(request.path).toBe('/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers['authorization']).toBe(`Basic ${Buffer.from('AC0123456789abcdef0123456789abcdef:secret').toString('base64')}`);
    const form = new URLSearchParams(request.body);
    expect([...form.keys()]).toEqual(['To', 'From', 'Body']);
    expect(form.get('To')).toBe('+4915112345678');
    expect(form.get('Body')).toContain('Acknowledge: https://fw.example.com/ack/abc.def');
  });

  it("reports Twilio's error code (21614: not a mobile number) without retrying", async () => {
    answer = () => ({ status: 400, body: { code: 21614, message: "'To' number is not a valid mobile number", more_info: 'https://www.twilio.com/docs/errors/21614', status: 400 } });
    expect(await twilioSmsChannel(settings(), noWait).send(message, '+15005550009')).toEqual({ ok: false, attempts: 1, error: "21614 ('To' number is not a valid mobile number)" });
    seen.length = 0;
  });

  it('voice: POST Calls.json with inline TwiML that says the page, XML-escaped', async () => {
    answer = () => ({ status: 201, body: { sid: 'CA1234' } });
    expect(await twilioVoiceChannel(settings(), noWait).send(message, '+4915112345678')).toMatchObject({ ok: true, id: 'CA1234' });
    const form = new URLSearchParams(take().body);
    expect([...form.keys()]).toEqual(['To', 'From', 'Twiml']);
    expect(form.get('Twiml')).toMatch(/^<Response><Say loop="2">firewatch page\. Severity P 1 incident on checkout: Checkout &lt;b&gt;down&lt;\/b&gt; &amp; &quot;slow&quot;\. Open for 5 minutes\..*<\/Say><\/Response>$/);
  });
});

describe('Pushover', () => {
  it('P1 is an emergency: priority 2 with retry and expire, the ack link as the supplementary URL', async () => {
    answer = () => ({ status: 200, body: { status: 1, request: 'r1', receipt: 'rcpt1' } });
    expect(await pushoverChannel({ token: 'apptoken', apiUrl: url }, { ...noWait, repeatMinutes: () => 5 }).send(message, 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG')).toEqual({ ok: true, attempts: 1, id: 'rcpt1' });
    const request = take();
    expect([request.method, request.path, request.headers['content-type']]).toEqual(['POST', '/1/messages.json', 'application/x-www-form-urlencoded']);
    const form = Object.fromEntries(new URLSearchParams(request.body));
    expect(form).toMatchObject({ token: 'apptoken', user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG', priority: '2', retry: '60', expire: '300', url: message.ackUrl, url_title: 'Acknowledge' });
  });

  it("reports Pushover's errors", async () => {
    answer = () => ({ status: 400, body: { user: 'invalid', errors: ['user identifier is invalid'], status: 0, request: 'r2' } });
    expect(await pushoverChannel({ token: 't', apiUrl: url }, noWait).send({ ...message, severity: 'P3' }, 'x'.repeat(30))).toEqual({ ok: false, attempts: 1, error: 'user identifier is invalid' });
    expect(new URLSearchParams(take().body).get('retry')).toBeNull();
  });
});

describe('Slack', () => {
  it('opens the DM with conversations.open, then chat.postMessage there, bearer token, JSON; text escaped for mrkdwn', async () => {
    answer = (request) => (request.path === '/api/conversations.open' ? { status: 200, body: { ok: true, channel: { id: 'D069C7QFK' } } } : { status: 200, body: { ok: true, channel: 'D069C7QFK', ts: '1503435956.000247' } });
    expect(await slackChannel({ token: 'xoxb-1', apiUrl: `${url}/api` }, noWait).send(message, 'U024BE7LH')).toEqual({ ok: true, attempts: 1, id: '1503435956.000247' });
    const open = take();
    const post = take();
    expect([open.path, open.headers['authorization'], open.headers['content-type']]).toEqual(['/api/conversations.open', 'Bearer xoxb-1', 'application/json; charset=utf-8']);
    expect(JSON.parse(open.body)).toEqual({ users: 'U024BE7LH' });
    expect(post.path).toBe('/api/chat.postMessage');
    const body = JSON.parse(post.body) as { channel: string; text: string; blocks: { type: string; elements?: { url: string }[] }[] };
    expect(body.channel).toBe('D069C7QFK');
    expect(body.text).toContain('*P1 checkout: Checkout &lt;b&gt;down&lt;/b&gt; &amp; "slow"*');
    expect(body.blocks[1]?.elements?.map((element) => element.url)).toEqual([message.ackUrl, message.issueUrl]);
  });

  it('an ok:false answer (HTTP 200) is a failure', async () => {
    answer = () => ({ status: 200, body: { ok: false, error: 'user_not_found' } });
    expect(await slackChannel({ token: 'xoxb-1', apiUrl: url }, noWait).send(message, 'U0000')).toEqual({ ok: false, attempts: 1, error: 'user_not_found' });
    seen.length = 0;
  });
});
