/**
 * Every command through the real app against the sandbox, as each seeded user (alice admin, bob
 * write, carol triage, eve read): what they see afterwards (labels, body, replies, reactions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionRank } from '../../src/domain/commands/permissions.ts';
import { startChatops, USERS, type Chatops, type User } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops();
  // alice declares every incident of this suite: far more commands than a person types.
  await chat.writeConfig('commands:\n  rateLimit:\n    max: 1000\n');
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

type View = Awaited<ReturnType<Chatops['view']>>;
interface Case {
  command: string;
  need: 'read' | 'triage' | 'write';
  /** Run by alice before the command, to put the incident in the state the command needs. */
  setup?: string;
  /** On a plain issue instead of an incident. */
  plain?: boolean;
  expect: (after: View, reply: string, user: User) => void;
}

const CASES: Case[] = [
  {
    command: '/incident P2 Search is slow',
    need: 'triage',
    plain: true,
    expect: (after, reply) => {
      expect(after.labels).toEqual(['incident', 'sev:P2', 'status:triggered']);
      expect(after.title).toBe('[P2] shop: Search is slow');
      expect(after.body).toContain('Reported by support.');
      expect(reply).toContain('this issue is now the incident');
    },
  },
  {
    command: '/ack',
    need: 'triage',
    expect: (after, reply, user) => {
      expect(after.labels).toEqual(['incident', 'sev:P3', 'status:acknowledged']);
      expect(after.assignees).toContain(user);
      expect(after.body).toContain(`| **Acknowledged by** | \`@${user}\` |`);
      expect(reply).toContain('✅ Acknowledged');
    },
  },
  {
    command: '/sev P1 all card payments fail',
    need: 'triage',
    expect: (after) => {
      expect(after.labels).toEqual(['incident', 'sev:P1', 'status:triggered']);
      expect(after.title).toMatch(/^\[P1\] /);
      expect(after.body).toContain('Severity P3 → P1: all card payments fail');
    },
  },
  {
    command: '/status investigating error rate up since 09:00',
    need: 'triage',
    expect: (after) => {
      expect(after.labels).toContain('status:investigating');
      expect(after.body).toContain('**Latest status update**: **investigating**: error rate up since 09:00');
    },
  },
  { command: '/commander @bob', need: 'triage', expect: (after) => (expect(after.body).toContain('| **Incident commander** | `@bob` |'), expect(after.assignees).toContain('bob')) },
  { command: '/comms @carol', need: 'triage', expect: (after) => (expect(after.body).toContain('| **Communications** | `@carol` |'), expect(after.assignees).toContain('carol')) },
  { command: '/responder add @carol', need: 'triage', expect: (after) => (expect(after.body).toContain('| **Responders** | `@carol` |'), expect(after.assignees).toContain('carol')) },
  { command: '/note -5m checked the dashboards', need: 'triage', expect: (after) => expect(after.body).toMatch(/\| 2026-01-14 08:5\d UTC \| checked the dashboards \(\w+\) \|/) },
  {
    command: '/escalate @alice payment client expertise',
    need: 'triage',
    expect: (after, reply) => {
      expect(after.labels).toContain('escalated');
      expect(after.assignees).toContain('alice');
      expect(reply).toContain('🆘 Escalated to @alice, assigned: payment client expertise.');
    },
  },
  { command: '/resolve rolled back', need: 'write', expect: (after) => (expect(after).toMatchObject({ state: 'closed', stateReason: 'completed' }), expect(after.labels).toContain('status:resolved')) },
  { command: '/cancel synthetic check misconfigured', need: 'write', expect: (after) => (expect(after).toMatchObject({ state: 'closed', stateReason: 'not_planned' }), expect(after.labels).toContain('status:canceled')) },
  { command: '/reopen', need: 'write', setup: '/resolve', expect: (after) => (expect(after.state).toBe('open'), expect(after.labels).toContain('status:triggered')) },
  {
    command: '/followup Alert on payment queue depth',
    need: 'triage',
    expect: (after, reply) => {
      expect(after.body).toMatch(/- \[ \] acme\/shop#\d+ Alert on payment queue depth/);
      expect(reply).toMatch(/📌 Follow-up opened: acme\/shop#\d+ Alert on payment queue depth \(http/);
    },
  },
  { command: '/summary', need: 'read', expect: (_after, reply) => (expect(reply).toContain('### 🔥 Checkout fails: P3, triggered'), expect(reply).toContain('| **Time to acknowledge** | — |')) },
  { command: '/help', need: 'read', expect: (_after, reply, user) => expect(reply).toContain(`(your access: **${USERS[user]}**)`) },
];

describe.each(Object.keys(USERS) as User[])('as %s', (user) => {
  for (const testCase of CASES) {
    const allowed = permissionRank(USERS[user]) >= permissionRank(testCase.need);
    it(`${allowed ? 'runs' : 'refuses'} ${testCase.command}`, async () => {
      const number = testCase.plain ? await chat.openIssue('Search is slow') : await chat.incident();
      if (testCase.setup) await chat.say('alice', number, testCase.setup);
      const before = await chat.view(number);
      const { replies, reply, reactions } = await chat.say(user, number, testCase.command);
      const after = await chat.view(number);
      expect(replies).toHaveLength(1);
      if (allowed) {
        expect(reactions).toEqual(['eyes', 'rocket']);
        testCase.expect(after, reply, user);
      } else {
        expect(reactions).toEqual(['eyes', 'confused']);
        expect(reply).toContain(`⚠️ Cannot run \`/${testCase.command.slice(1).split(' ')[0] === 'sev' ? 'severity' : testCase.command.slice(1).split(' ')[0]}\`: it needs **${testCase.need}** access to acme/shop and you have **${USERS[user]}**.`);
        expect(after).toEqual(before);
      }
    });
  }
});
