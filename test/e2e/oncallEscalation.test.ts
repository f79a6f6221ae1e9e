/**
 * On-call through the sandbox: an alert's incident is assigned to the people on call, and
 * `/escalate` without a target (by carol, triage) pages the escalation policy's steps in turn,
 * sharing with the ack-SLO sweep the record of which step was paged, so no step is paged twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReminderMarkers } from '../../src/domain/sweep/reminderMarker.ts';
import { BOT, startChatops, type Chatops } from './chatopsHarness.ts';

const CONFIG = `
timezone: UTC
commands:
  rateLimit: { max: 200 }
oncall:
  layers:
    - name: rot-a
      participants: [alice, bob]
      handoff: { weekday: monday, time: '11:00' }
      start: '2026-02-23'
    - name: rot-b
      participants: [carol, ghost]
      handoff: { weekday: wednesday, time: '11:00' }
      start: '2026-02-25'
  escalation:
    steps:
      - { afterMinutes: 15, mention: ['@alice'] }
      - { afterMinutes: 60, mention: ['@acme/sre', '@eve'] }
`;

let chat: Chatops;
beforeAll(async () => {
  // Monday 15:00 UTC: business hours, so the ack SLO is 10 minutes; bob (rot-a) and carol (rot-b) are on call.
  chat = await startChatops(new Date('2026-03-02T15:00:00.000Z'));
  await chat.writeConfig(CONFIG);
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

function alertIncident(title: string): Promise<number> {
  return chat.alert(title, { severity: 'P2' });
}

/** How many of our comments on the issue settle each reminder key. */
async function settledCounts(number: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const comment of await chat.comments(number)) {
    if (comment.user?.login !== BOT) continue;
    for (const marker of parseReminderMarkers(comment.body)) for (const key of marker.reminders) counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('on-call assignment and /escalate without a target', () => {
  let first = 0;
  let second = 0;

  it('assigns a new incident to the people on call and shows them in the body without pinging', async () => {
    first = await alertIncident('CheckoutLatency');
    const view = await chat.view(first);
    expect(view.assignees).toEqual(['bob', 'carol']);
    expect(view.body).toContain('On call when triggered: bob (rot-a); carol (rot-b)');
    expect(view.body).not.toMatch(/@(bob|carol)\b/);
  });

  it('carol pages step 1 of the policy before its time: mention, assignment, label, timeline', async () => {
    await chat.setClock('2026-03-02T15:02:00Z');
    const result = await chat.say('carol', first, '/escalate card payments failing');
    expect(result.reactions).toEqual(['eyes', 'rocket']);
    expect(result.reply).toContain('🆘 Escalation step 1 of 2: @alice (assigned: `@alice`)');
    expect(result.reply).toContain(': card payments failing.');
    const view = await chat.view(first);
    expect(view.labels).toContain('escalated');
    expect(view.assignees).toEqual(['alice', 'bob', 'carol']);
    expect(view.incident?.timeline.find((entry) => entry.type === 'escalated')).toMatchObject({ actor: 'carol', step: 0, text: 'Escalated to @alice (step 1): card payments failing' });
    expect(await settledCounts(first)).toEqual({ 'escalation-0': 1 });
  });

  it('the ack-SLO sweep then announces step 2 as next, never step 1 again', async () => {
    await chat.setClock('2026-03-02T15:20:00Z');
    const counts = await settledCounts(first);
    expect(counts).toEqual({ 'escalation-0': 1, 'ack-slo': 1 });
    const breach = (await chat.comments(first)).find((comment) => parseReminderMarkers(comment.body).some((marker) => marker.reminders.includes('ack-slo')));
    expect(breach?.body).toContain('@acme/sre, @eve');
    expect(breach?.body).not.toMatch(/@alice\b/);
  });

  it('a second /escalate takes step 2 (a team and a person), and the sweep does not repeat it', async () => {
    await chat.setClock('2026-03-02T15:25:00Z');
    const result = await chat.say('carol', first, '/escalate');
    expect(result.reactions).toEqual(['eyes', 'rocket']);
    expect(result.reply).toContain('🆘 Escalation step 2 of 2: @eve, @acme/sre');
    expect(result.reply).toContain('teams cannot be assigned; they are notified');
    await chat.setClock('2026-03-02T16:30:00Z');
    expect(await settledCounts(first)).toEqual({ 'escalation-0': 1, 'ack-slo': 1, 'escalation-1': 1 });
  });

  it('once every step was paged, /escalate says the policy is exhausted and changes nothing', async () => {
    const before = await chat.view(first);
    const result = await chat.say('carol', first, '/escalate');
    expect(result.reactions).toEqual(['eyes', 'confused']);
    expect(result.reply).toContain('all 2 steps of the escalation policy have already been brought in');
    expect(result.reply).toContain('`/escalate @user reason`');
    const after = await chat.view(first);
    expect(after.incident?.timeline).toEqual(before.incident?.timeline);
    expect(after.assignees).toEqual(before.assignees);
  });

  it('after the sweep paged step 1, /escalate brings in step 2', async () => {
    await chat.setClock('2026-03-02T16:31:00Z');
    second = await alertIncident('PaymentsDown');
    // Breached at 16:41; at 16:50 the breach comment takes step 1 (due after 15 minutes).
    await chat.setClock('2026-03-02T16:50:00Z');
    expect(await settledCounts(second)).toEqual({ 'ack-slo': 1, 'escalation-0': 1 });
    const result = await chat.say('carol', second, '/escalate');
    expect(result.reactions).toEqual(['eyes', 'rocket']);
    expect(result.reply).toContain('🆘 Escalation step 2 of 2: @eve, @acme/sre');
    expect(result.reply).not.toMatch(/@alice\b/);
    await chat.setClock('2026-03-02T17:45:00Z');
    expect(await settledCounts(second)).toEqual({ 'ack-slo': 1, 'escalation-0': 1, 'escalation-1': 1 });
  });

  it('without a policy or schedule, /escalate keeps refusing clearly', async () => {
    await chat.writeConfig('timezone: UTC\ncommands:\n  rateLimit: { max: 200 }\n');
    const third = await alertIncident('DiskFull');
    const result = await chat.say('carol', third, '/escalate');
    expect(result.reactions).toEqual(['eyes', 'confused']);
    expect(result.reply).toContain('no escalation policy or on-call schedule is configured');
    expect((await chat.view(third)).labels).not.toContain('escalated');
  });

  it('with a schedule but no policy, /escalate brings in the on-call people not yet assigned', async () => {
    await chat.writeConfig(CONFIG.replace(/ {2}escalation:[\s\S]*$/, ''));
    await chat.setClock('2026-03-02T18:00:00Z');
    const fourth = await alertIncident('QueueBacklog');
    // Wednesday 11:00: rot-b hands over from carol to ghost, who cannot be assigned in acme/shop.
    await chat.setClock('2026-03-04T12:00:00Z');
    const result = await chat.say('carol', fourth, '/escalate');
    expect(result.reactions).toEqual(['eyes', 'rocket']);
    expect(result.reply).toContain('🆘 Escalated to the on-call people: @ghost (not assignable in this repository, notified only: `@ghost`)');
  });
});
