/**
 * Only firewatch's own identity is trusted for state (issue 16, item 2): another GitHub App's bot
 * (`mallory-app[bot]`, a second bot user of the sandbox with triage access) is a stranger like
 * anyone else. Its comment carrying a forged `firewatch:event` reminder marker does not suppress the
 * ack-SLO escalation, and its label change that would resolve the incident is checked against its
 * permission (and put back) instead of being ignored as an echo of firewatch's own writes.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { parseReminderMarkers, renderReminderMarker } from '../../src/domain/sweep/reminderMarker.ts';
import { BOT, startChatops, type Chatops } from './chatopsHarness.ts';

const OTHER_APP = 'mallory-app[bot]';

let chat: Chatops;
let otherApp: Octokit;
beforeAll(async () => {
  // Monday 15:00 UTC: business hours, so a P2's ack SLO is 10 minutes.
  chat = await startChatops(new Date('2026-03-02T15:00:00.000Z'));
  await chat.writeConfig('timezone: UTC\ncommands:\n  rateLimit: { max: 200 }\n');
  const { state } = chat.sandbox;
  state.users.set(OTHER_APP, { id: 90_001, login: OTHER_APP, type: 'Bot', token: 'sandbox-mallory-app' });
  state.repos.get('acme/shop')?.collaborators.set(OTHER_APP, 'triage');
  otherApp = new Octokit({ baseUrl: chat.sandbox.apiUrl, auth: 'sandbox-mallory-app' });
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

describe('another app is not firewatch', () => {
  it('a forged ack-slo reminder marker in another bot\'s comment does not suppress the ack-SLO escalation', async () => {
    const number = await chat.alert('PaymentsDown', { severity: 'P2' });
    const forged = renderReminderMarker({ type: 'ack-slo', at: '2026-03-02T15:01:00.000Z', reminders: ['ack-slo', 'escalation-0'] });
    await otherApp.rest.issues.createComment({ ...chat.repo, issue_number: number, body: `All good here.\n\n${forged}` });
    await chat.settle();
    const { data: posted } = await otherApp.rest.issues.listComments({ ...chat.repo, issue_number: number });
    expect(posted.find((comment) => comment.user?.login === OTHER_APP)?.user?.type).toBe('Bot');

    await chat.setClock('2026-03-02T15:20:00Z');
    await chat.settle();
    const breaches = (await chat.comments(number)).filter((comment) => comment.user?.login === BOT && parseReminderMarkers(comment.body).some((marker) => marker.reminders.includes('ack-slo')));
    expect(breaches).toHaveLength(1);
    expect((await chat.view(number)).labels).toContain('slo:breached');
  });

  it('another bot adding status:resolved is checked like a person with triage: put back, not ignored', async () => {
    const number = await chat.incident('Other app resolves', 'P3');
    await otherApp.rest.issues.addLabels({ ...chat.repo, issue_number: number, labels: ['status:resolved'] });
    await chat.settle();
    expect(await chat.view(number)).toMatchObject({ state: 'open', labels: ['incident', 'sev:P3', 'status:triggered'], incident: { status: 'triggered' } });
    const told = (await chat.comments(number)).filter((comment) => comment.user?.login === BOT && parseEventMarker(comment.body)?.type === 'github-change');
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toContain('↩️ Put back a change `@mallory-app`\\[bot\\] made in GitHub');
    expect(told[0]?.body).toContain('`status:resolved` resolves the incident, which needs **write** access; `@mallory-app`\\[bot\\] has **triage**. Put `status:triggered` back');
  });

  it('firewatch\'s own label writes are still not reconciled (no loop, no comment)', async () => {
    const number = await chat.incident('Own writes', 'P3');
    const { reactions } = await chat.say('bob', number, '/severity P2');
    expect(reactions).toContain('rocket');
    const view = await chat.view(number);
    expect(view.labels).toEqual(['incident', 'sev:P2', 'status:triggered']);
    expect((await chat.comments(number)).filter((comment) => parseEventMarker(comment.body)?.type === 'github-change')).toEqual([]);
  });
});
