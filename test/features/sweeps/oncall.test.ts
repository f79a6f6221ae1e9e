import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/domain/config/config.ts';
import { oncallTable, parseWhen } from '../../../src/features/commands/oncall.ts';
import { runCommands, type CommentEvent } from '../../../src/features/commands/runCommands.ts';
import { fakeGitHub, quietLog } from '../fakeGitHub.ts';
import { FIREWATCH } from '../../support/identity.ts';

const { config, problems } = validateConfig({
  timezone: 'America/New_York',
  oncall: {
    timezone: 'America/New_York',
    layers: [
      { name: 'rot-a', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-03-02' },
      { name: 'rot-b', participants: ['carol', 'no-one'], handoff: { weekday: 'wednesday', time: '11:00' }, start: '2026-03-04' },
    ],
  },
});

async function ask(body: string, author = 'eve') {
  const github = fakeGitHub({ permissions: { eve: 'read', mallory: 'none' } });
  const { data: issue } = await github.octokit.rest.issues.create({ title: 'Question', body: 'not an incident' });
  github.calls.length = 0;
  const event: CommentEvent = { repo: { owner: 'acme', repo: 'shop' }, issue: { number: issue.number, labels: [], body: 'not an incident', isPullRequest: false }, comment: { id: 9, body }, author: { login: author, type: 'User' } };
  const result = await runCommands({ identity: FIREWATCH, octokit: github.octokit, event, loadConfig: async () => ({ config, problems: [] }), clock: () => new Date('2026-03-10T15:00:00Z'), log: quietLog });
  return { result, reply: github.comments[0]?.body ?? '' };
}

describe('/oncall', () => {
  it('answers anyone with read access, in any issue, per layer, without pinging anyone', async () => {
    expect(problems).toEqual([]);
    const { result, reply } = await ask('/oncall');
    expect(result.outcomes).toEqual([{ command: 'oncall', outcome: 'ok' }]);
    expect(reply).toContain('On call at Tue 2026-03-10 11:00 EDT:');
    expect(reply).toContain('| rot-a | `@bob` | Mon 2026-03-16 11:00 EDT |');
    expect(reply).toContain('| rot-b | `@carol` | Wed 2026-03-11 11:00 EDT |');
  });

  it('answers for a time in the configured zone and shows gaps', async () => {
    const { reply } = await ask('/oncall 2026-03-12 09:00');
    expect(reply).toContain('On call at Thu 2026-03-12 09:00 EDT:');
    expect(reply).toContain('| rot-b | **nobody (gap)** |');
  });

  it('refuses a time it cannot read, saying how to write one', async () => {
    const { result, reply } = await ask('/oncall next tuesday');
    expect(result.outcomes).toEqual([{ command: 'oncall', outcome: 'refused' }]);
    expect(reply).toContain('is not a time');
  });

  it('refuses people without access (fail closed)', async () => {
    const { result } = await ask('/oncall', 'mallory');
    expect(result.outcomes).toEqual([{ command: 'oncall', outcome: 'refused' }]);
  });
});

describe('firewatch oncall table', () => {
  it('lists each shift with its start, end and person, across the DST change', () => {
    const table = oncallTable(config.oncall, new Date('2026-03-02T16:00:00Z'), new Date('2026-03-10T00:00:00Z'), 'America/New_York');
    expect(table.split('\n').slice(2, 6)).toEqual([
      'rot-b | (start)                  | Wed 2026-03-04 11:00 EST | nobody (gap)',
      'rot-a | Mon 2026-03-02 11:00 EST | Mon 2026-03-09 11:00 EDT | alice',
      'rot-b | Wed 2026-03-04 11:00 EST | Wed 2026-03-11 11:00 EDT | carol',
      'rot-a | Mon 2026-03-09 11:00 EDT | Mon 2026-03-16 11:00 EDT | bob',
    ]);
  });

  it('reads times in the zone, with offsets, and now', () => {
    const now = new Date('2026-03-10T15:00:00Z');
    expect(parseWhen('2026-03-10 09:00', 'America/New_York', now)?.toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(parseWhen('2026-03-10T09:00Z', 'America/New_York', now)?.toISOString()).toBe('2026-03-10T09:00:00.000Z');
    expect(parseWhen(undefined, 'UTC', now)).toBe(now);
    expect(parseWhen('soon', 'UTC', now)).toBeNull();
  });
});
