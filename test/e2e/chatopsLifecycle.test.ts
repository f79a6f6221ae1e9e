/**
 * A whole incident run from comments against the sandbox: alert → ack → severity → roles → notes
 * with past times → status updates → resolve → reopen → resolve; plus what must never happen
 * (a redelivered webhook running twice, a note pinging @acme/everyone, our own label writes
 * looping) and what people do by hand in GitHub's UI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '@firewatch/sandbox';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { rebuildTimeline } from '../../src/domain/incident/rebuildTimeline.ts';
import { BOT, startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops(new Date('2026-01-14T09:00:00.000Z'));
  await chat.writeConfig('timezone: Europe/Berlin\ncommands:\n  rateLimit:\n    max: 200\n');
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

function startOfMinute(at: Date): string {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
}

function alertIncident(title: string): Promise<number> {
  // The sandbox clock keeps ticking and the alert is filed from a queue; pin the start to the
  // clock's current minute so durations measured from it do not depend on how long filing took.
  return chat.alert(title, { started_at: startOfMinute(chat.sandbox.now()) });
}

describe('the lifecycle of an incident, from comments only', () => {
  it('trigger → ack → sev → roles → past notes → updates → resolve → reopen → resolve', async () => {
    const number = await alertIncident('HighErrorRate');
    const step = async (at: string, user: 'alice' | 'bob' | 'carol', body: string) => {
      await chat.setClock(at);
      const result = await chat.say(user, number, body);
      expect(result.reactions, `${body}: ${result.reply}`).toEqual(['eyes', 'rocket']);
      return result;
    };
    await step('2026-01-14T09:04:00Z', 'carol', '/ack');
    await step('2026-01-14T09:06:00Z', 'carol', '/sev P1 all card payments fail');
    const roles = await step('2026-01-14T09:07:00Z', 'bob', '/commander @alice\n/comms @carol\n/responder add @bob');
    expect(roles.replies).toHaveLength(1);
    await step('2026-01-14T09:10:00Z', 'carol', '/note 09:55 deploy of checkout v2.3 started\n/timeline -5m first support ticket');
    await step('2026-01-14T09:15:00Z', 'carol', '/status identified bad config in the payment client --internal');
    await step('2026-01-14T09:30:00Z', 'carol', '/status monitoring rolled back to v2.2');
    await step('2026-01-14T09:45:00Z', 'bob', '/resolve error rate normal for 15 minutes');
    expect(await chat.view(number)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    await step('2026-01-14T10:00:00Z', 'alice', '/reopen');
    expect((await chat.view(number)).labels).toContain('status:investigating');
    await step('2026-01-14T10:10:00Z', 'carol', '/status monitoring second fix deployed');
    await step('2026-01-14T10:20:00Z', 'bob', '/resolve stable for 10 minutes');

    const final = await chat.view(number);
    expect(final).toMatchObject({ state: 'closed', stateReason: 'completed', labels: ['incident', 'sev:P1', 'status:resolved'], assignees: ['alice', 'bob', 'carol'] });
    expect(final.title).toBe('[P1] checkout: HighErrorRate');
    // Durations from the trigger (09:00): acknowledged 09:04, mitigated again 10:10, resolved 10:20.
    expect(final.body).toContain('| 4m | 1h 10m | 1h 20m |');
    expect(final.body).toContain('| **Incident commander** | `@alice` |');
    expect(final.body).toContain('| **Communications** | `@carol` |');
    expect(final.body).toContain('**Latest status update**: **resolved**: stable for 10 minutes (2026-01-14 10:20 UTC (11:20 GMT+1), `@bob`)');
    // Other features add their own entries (e.g. the postmortem draft on resolve); these are ours.
    const rows = [...final.body.matchAll(/^\| (2026-01-14 \d\d:\d\d UTC \(\d\d:\d\d GMT\+1\)) \| (.*) \|$/gm)].map((m) => `${m[1]} ${m[2]}`).filter((row) => !/Postmortem/.test(row));
    expect(rows).toEqual([
      '2026-01-14 08:55 UTC (09:55 GMT+1) deploy of checkout v2.3 started (carol)',
      '2026-01-14 09:00 UTC (10:00 GMT+1) Triggered by generic alert HighErrorRate',
      '2026-01-14 09:04 UTC (10:04 GMT+1) Acknowledged (carol)',
      '2026-01-14 09:05 UTC (10:05 GMT+1) first support ticket (carol)',
      '2026-01-14 09:06 UTC (10:06 GMT+1) Severity P3 → P1: all card payments fail (carol)',
      '2026-01-14 09:07 UTC (10:07 GMT+1) Incident commander: alice (bob)',
      '2026-01-14 09:07 UTC (10:07 GMT+1) Communications officer: carol (bob)',
      '2026-01-14 09:07 UTC (10:07 GMT+1) Responder added: bob (bob)',
      '2026-01-14 09:15 UTC (10:15 GMT+1) Status acknowledged → identified: bad config in the payment client (internal) (carol)',
      '2026-01-14 09:30 UTC (10:30 GMT+1) Status identified → monitoring: rolled back to v2.2 (carol)',
      // The generic alert never reported resolved: the timeline says the incident was resolved anyway.
      '2026-01-14 09:45 UTC (10:45 GMT+1) Resolved (1 alert still firing; resolving anyway): error rate normal for 15 minutes (bob)',
      '2026-01-14 10:00 UTC (11:00 GMT+1) Reopened (was resolved) (alice)',
      '2026-01-14 10:10 UTC (11:10 GMT+1) Status investigating → monitoring: second fix deployed (carol)',
      '2026-01-14 10:20 UTC (11:20 GMT+1) Resolved (1 alert still firing; resolving anyway): stable for 10 minutes (bob)',
    ]);
    expect(final.incident?.statusUpdates.map((u) => [u.status, u.internal])).toEqual([
      ['identified', true],
      ['monitoring', false],
      ['resolved', false],
      ['monitoring', false],
      ['resolved', false],
    ]);

    // Every entry after the trigger can be rebuilt from our comments alone.
    const rebuilt = rebuildTimeline(await chat.comments(number));
    const ours = new Set(['acknowledged', 'severity', 'role', 'responder', 'note', 'status', 'resolved', 'reopened']);
    expect(rebuilt.filter((e) => ours.has(e.type))).toEqual([...(final.incident?.timeline ?? [])].filter((e) => ours.has(e.type)).sort((a, b) => a.at.localeCompare(b.at)));
    expect(rebuilt.filter((e) => ours.has(e.type))).toHaveLength(13);
  });
});

describe('refusals change nothing', () => {
  it('eve (read) runs /ack: 😕 and a refusal saying what, why and what instead', async () => {
    const number = await chat.incident('Eve tries');
    const before = await chat.view(number);
    const { reply, reactions } = await chat.say('eve', number, '/ack');
    expect(reactions).toEqual(['eyes', 'confused']);
    expect(reply).toContain('⚠️ Cannot run `/ack`: it needs **triage** access to acme/shop and you have **read**. Ask someone with triage access to run it');
    expect(await chat.view(number)).toEqual(before);
  });

  it('/resolve on a canceled incident says why and changes nothing', async () => {
    const number = await chat.incident('Canceled one');
    await chat.say('bob', number, '/cancel synthetic check misconfigured');
    const before = await chat.view(number);
    chat.sandbox.resetStats();
    const { reply, reactions } = await chat.say('bob', number, '/resolve');
    expect(reactions).toEqual(['eyes', 'confused']);
    expect(reply).toMatch(/⚠️ `\/resolve`: Cannot resolve it: this incident was canceled at 2026-01-14 \d\d:\d\d UTC \(\d\d:\d\d GMT\+1\) \(not an incident\)\. If it was one after all, `\/reopen` it first\./);
    expect(await chat.view(number)).toEqual(before);
    expect(chat.sandbox.stats().byRoute['PATCH /repos/{owner}/{repo}/issues/{issue_number}']).toBeUndefined();
  });
});

describe('security', () => {
  it('a note quoting @acme/everyone pings nobody and HTML is escaped', async () => {
    const number = await chat.incident('Injection');
    const { reply } = await chat.say('carol', number, '/note ping @acme/everyone and @bob <img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))');
    const { body } = await chat.view(number);
    for (const text of [reply, body]) {
      // Only as inline code, which GitHub never turns into a mention.
      expect(text).not.toMatch(/(^|[^`])@(acme\/everyone|bob)/);
      expect(text).not.toContain('<img');
      expect(text).toContain('`@acme/everyone`');
    }
    expect(reply).toContain('\\*\\*bold\\*\\* \\[x\\](javascript:alert(1))');
  });

  it('a flood of commands is stopped by the per-user rate limit, told once', async () => {
    // Well past carol's earlier commands in this file, so only the flood counts.
    await chat.setClock('2026-01-14T12:00:00Z');
    const number = await chat.incident('Flood');
    await chat.writeConfig('timezone: Europe/Berlin\ncommands:\n  rateLimit:\n    max: 3\n    windowSeconds: 600\n');
    try {
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await chat.say('carol', number, `/note flood ${i}`));
      expect(results.map((r) => r.reactions.includes('rocket'))).toEqual([true, true, true, false, false]);
      expect(results[3]?.reply).toContain('⏳ Slow down: `@carol` ran more than 3 commands in 600 seconds, so none of these ran.');
      expect(results[4]?.replies).toEqual([]);
      expect(results[4]?.reactions).toEqual(['eyes', 'confused']);
    } finally {
      await chat.writeConfig('timezone: Europe/Berlin\ncommands:\n  rateLimit:\n    max: 200\n');
    }
  });
});

describe('idempotence and API use', () => {
  it('a redelivered webhook does not run the command twice', async () => {
    const number = await chat.incident('Redelivery');
    const { comment } = await chat.say('carol', number, '/note only once');
    const delivery = chat.sandbox.deliveries().find((d) => d.event === 'issue_comment' && (d.payload?.['comment'] as { id?: number } | undefined)?.id === comment.id);
    if (!delivery?.payload) throw new Error('no delivery for the comment');
    const before = await chat.view(number);
    const commentsBefore = (await chat.comments(number)).length;
    chat.sandbox.resetStats();
    const body = JSON.stringify(delivery.payload);
    const response = await fetch(chat.running.server.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': delivery.id, 'x-hub-signature-256': signPayload(chat.sandbox.webhookSecret, body) },
      body,
    });
    expect(response.status).toBeLessThan(300);
    await chat.settle();
    expect(await chat.view(number)).toEqual(before);
    expect(await chat.comments(number)).toHaveLength(commentsBefore);
    // The coordination remembers the comment was handled: not even a 👀 this time.
    expect(chat.sandbox.stats().contentCreating).toBe(0);
  });

  it('writes only what changed: one PATCH for several commands, none for /summary', async () => {
    const number = await chat.incident('Counting');
    chat.sandbox.resetStats();
    await chat.say('carol', number, '/ack\n/sev P2 half of the users\n/status investigating looking at the deploy');
    const byRoute = chat.sandbox.stats().byRoute;
    expect(byRoute['PATCH /repos/{owner}/{repo}/issues/{issue_number}']).toBe(1);
    expect(byRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(1);
    expect(byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}']).toBe(1);
    chat.sandbox.resetStats();
    await chat.say('eve', number, '/summary');
    expect(chat.sandbox.stats().byRoute['PATCH /repos/{owner}/{repo}/issues/{issue_number}']).toBeUndefined();
  });
});

describe('changes made by hand in GitHub', () => {
  it('a severity label swapped in the UI is recorded, and our own label writes do not loop', async () => {
    const number = await chat.incident('Swap');
    await chat.as('alice').rest.issues.setLabels({ ...chat.repo, issue_number: number, labels: ['incident', 'sev:P1', 'status:triggered'] });
    await chat.settle();
    const after = await chat.view(number);
    expect(after.incident?.severity).toBe('P1');
    expect(after.title).toMatch(/^\[P1\]/);
    expect(after.body).toContain('Severity P3 → P1 (in GitHub) (alice)');
    const recorded = (await chat.comments(number)).filter((c) => parseEventMarker(c.body)?.type === 'github-change');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.body).toContain('📝 Recorded a change `@alice` made in GitHub');
  });

  it('a second severity label keeps the newest and removes the other', async () => {
    const number = await chat.incident('Two sevs');
    await chat.as('alice').rest.issues.addLabels({ ...chat.repo, issue_number: number, labels: ['sev:P2'] });
    await chat.settle();
    const after = await chat.view(number);
    expect(after.labels).toEqual(['incident', 'sev:P2', 'status:triggered']);
    expect(after.incident?.severity).toBe('P2');
  });

  it('closing as not planned cancels; reopening reopens', async () => {
    const number = await chat.incident('Closed by hand');
    await chat.as('bob').rest.issues.update({ ...chat.repo, issue_number: number, state: 'closed', state_reason: 'not_planned' });
    await chat.settle();
    expect(await chat.view(number)).toMatchObject({ state: 'closed', labels: ['incident', 'sev:P3', 'status:canceled'], incident: { status: 'canceled' } });
    await chat.as('bob').rest.issues.update({ ...chat.repo, issue_number: number, state: 'open' });
    await chat.settle();
    expect(await chat.view(number)).toMatchObject({ state: 'open', labels: ['incident', 'sev:P3', 'status:triggered'], incident: { status: 'triggered' } });
  });

  it("closing a follow-up ticks its box in the incident's task list", async () => {
    const number = await chat.incident('Follow me');
    const { reply } = await chat.say('carol', number, '/followup Alert on queue depth');
    const followup = Number(/acme\/shop#(\d+)/.exec(reply)?.[1]);
    const { data: opened } = await chat.as('alice').rest.issues.get({ ...chat.repo, issue_number: followup });
    expect(opened.body).toContain(`incident \`${(await chat.view(number)).incident?.id}\` (acme/shop#${number})`);
    await chat.as('bob').rest.issues.update({ ...chat.repo, issue_number: followup, state: 'closed' });
    await chat.settle();
    const after = await chat.view(number);
    expect(after.body).toContain(`- [x] acme/shop#${followup} Alert on queue depth`);
    expect((await chat.comments(number)).some((c) => c.user?.login === BOT && c.body?.includes(`☑️ Follow-up acme/shop#${followup} done.`))).toBe(true);
  });
});
