import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig, type ConfigResult } from '../../src/domain/config/config.ts';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { MAX_COMMANDS_PER_COMMENT, runCommands, type CommentEvent } from '../../src/features/commands/runCommands.ts';
import { incidentStateSchema, renderStateBlock } from '../../src/domain/incident/incidentState.ts';
import { memoryCoordination } from '../../src/services/coordination.ts';
import { createStateSeal, stateScope } from '../../src/domain/incident/stateSeal.ts';
import { fakeGitHub, quietLog } from './fakeGitHub.ts';
import { FIREWATCH } from '../support/identity.ts';

const permissions = { alice: 'admin', bob: 'write', carol: 'triage', eve: 'read' };

function event(body: string, overrides: Partial<CommentEvent> = {}): CommentEvent {
  return {
    repo: { owner: 'acme', repo: 'shop' },
    issue: { number: 12, labels: ['incident', 'sev:P2', 'status:triggered'], body: 'incident body', isPullRequest: false },
    comment: { id: 555, body },
    author: { login: 'bob', type: 'User' },
    ...overrides,
  };
}

async function run(body: string, overrides: Partial<CommentEvent> = {}, config: ConfigResult = { config: DEFAULT_CONFIG, problems: [] }) {
  const github = fakeGitHub({ permissions });
  let configLoads = 0;
  const result = await runCommands({
    identity: FIREWATCH,
    octokit: github.octokit,
    event: event(body, overrides),
    loadConfig: async () => {
      configLoads++;
      return config;
    },
    clock: () => new Date('2026-01-14T10:00:00Z'),
    log: quietLog,
  });
  return { github, result, configLoads, reply: github.comments[0]?.body ?? '' };
}

describe('runCommands', () => {
  it('answers /help: 👀, permission, one reply listing the commands, 🚀', async () => {
    const { github, result, reply } = await run('/help');
    expect(github.methods()).toEqual(['reactions.createForIssueComment', 'repos.getCollaboratorPermissionLevel', 'issues.createComment', 'reactions.createForIssueComment']);
    expect(github.reactions.map((r) => r.content)).toEqual(['eyes', 'rocket']);
    expect(result.outcomes).toEqual([{ command: 'help', outcome: 'ok' }]);
    expect(reply).toContain('**Commands you can run here** (your access: **write**)');
    expect(reply).toContain('| `/help [command]` | List the commands you may run here, or explain one command. | `/help` |');
    expect(parseEventMarker(reply)).toEqual({ type: 'command-reply', at: '2026-01-14T10:00:00.000Z', actor: 'bob', command: 'help', replyTo: 555 });
  });

  it('explains one command with /help <command>', async () => {
    const { reply } = await run('/help help');
    expect(reply).toContain('**`/help [command]`**: Without an argument');
    expect(reply).toContain('Needs **read** access; you have it.');
  });

  it('lists only what the user may run, per config overrides', async () => {
    const config = validateConfig({ commands: { permissions: { help: 'triage' } } });
    const { reply, result } = await run('/help', { author: { login: 'eve', type: 'User' } }, config);
    expect(result.outcomes).toEqual([{ command: 'help', outcome: 'refused' }]);
    expect(reply).toContain('⚠️ Cannot run `/help`: it needs **triage** access to acme/shop and you have **read**.');
  });

  it('refuses users without access before reading anything else', async () => {
    const { github, configLoads, result, reply } = await run('/help', { author: { login: 'mallory', type: 'User' } });
    expect(configLoads).toBe(0);
    expect(github.methods()).toEqual(['reactions.createForIssueComment', 'repos.getCollaboratorPermissionLevel', 'issues.createComment', 'reactions.createForIssueComment']);
    expect(github.reactions.map((r) => r.content)).toEqual(['eyes', 'confused']);
    expect(result.outcomes).toEqual([{ command: 'help', outcome: 'refused' }]);
    expect(reply).toContain('you have **none**');
  });

  it('refuses an unknown command with the closest suggestion', async () => {
    const { github, reply, result } = await run('/hepl');
    expect(reply).toContain('⚠️ `/hepl` is not a firewatch command. Did you mean `/help`?');
    expect(result.outcomes).toEqual([{ command: 'unknown', outcome: 'refused' }]);
    expect(github.reactions.map((r) => r.content)).toEqual(['eyes', 'confused']);
  });

  it('answers several commands with one combined reply', async () => {
    const { github, reply, result } = await run('/help\n/nope\n/help help');
    expect(github.comments).toHaveLength(1);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['ok', 'refused', 'ok']);
    expect(reply.split('\n---\n')).toHaveLength(3);
    expect(github.reactions.map((r) => r.content)).toEqual(['eyes', 'rocket', 'confused']);
  });

  it('caps the commands per comment and says how many lines did not run', async () => {
    const { result, reply, github } = await run(Array.from({ length: MAX_COMMANDS_PER_COMMENT + 2 }, () => '/help').join('\n'));
    expect(result.outcomes.filter((o) => o.outcome === 'ok')).toHaveLength(MAX_COMMANDS_PER_COMMENT);
    expect(reply).toContain(`⚠️ …and 2 more command lines were not run: at most ${MAX_COMMANDS_PER_COMMENT} run per comment.`);
    expect(parseEventMarker(reply)?.command).toBe(Array.from({ length: MAX_COMMANDS_PER_COMMENT }, () => 'help').join(','));
    expect(github.reactions.map((r) => r.content)).toEqual(['eyes', 'rocket', 'confused']);
  });

  it('answers a comment of 20,000 command lines within GitHub\'s size limit', async () => {
    const { result, reply } = await run(Array.from({ length: 20_000 }, (_, i) => `/nope${i}`).join('\n'));
    expect(reply.length).toBeLessThanOrEqual(65_536);
    expect(result.outcomes).toHaveLength(MAX_COMMANDS_PER_COMMENT);
    expect(reply).toContain('⚠️ …and 19,990 more command lines were not run: at most 10 run per comment.');
    expect(parseEventMarker(reply)?.command?.split(',')).toHaveLength(MAX_COMMANDS_PER_COMMENT);
  });

  it('ignores its own comments, whatever their type says', async () => {
    for (const author of [{ login: 'firewatch[bot]', type: 'Bot' }, { login: 'Firewatch[bot]', type: 'User' }]) {
      const { github, result } = await run('/help', { author });
      expect(result.skipped).toBe('own');
      expect(github.calls).toEqual([]);
    }
  });

  it('treats another app\'s bot as a stranger: its commands meet the permission check like anyone\'s', async () => {
    const { github, result, reply } = await run('/ack', { author: { login: 'mallory-app[bot]', type: 'Bot' } });
    expect(result.skipped).toBeUndefined();
    expect(github.methods()).toContain('repos.getCollaboratorPermissionLevel');
    expect(result.outcomes).toEqual([{ command: 'ack', outcome: 'refused' }]);
    expect(reply).toContain('Cannot run `/ack`');
  });

  it('does nothing for comments without commands, or with unknown words outside incidents', async () => {
    expect((await run('Looking into it')).github.calls).toEqual([]);
    const plain = { issue: { number: 3, labels: ['bug'], body: 'Checkout is slow', isPullRequest: false } };
    expect((await run('/shrug', plain)).github.calls).toEqual([]);
    expect((await run('/help', plain)).result.outcomes).toEqual([{ command: 'help', outcome: 'ok' }]);
  });

  it('tells users about config problems in the reply', async () => {
    const config = validateConfig({ timezone: 'Nowhere/Land' });
    const { reply } = await run('/help', {}, config);
    expect(reply).toContain('⚠️ **`.github/firewatch.yml` has 1 problem**');
    expect(reply).toContain('| `timezone` | must be an IANA time zone such as Europe/Berlin or America/New\\_York |');
  });

  it('carries the incident id in the reply marker on incident issues', async () => {
    const body = '<!-- firewatch:state {"version":1,"id":"20260114-checkout-3f9a","title":"t","source":"generic","service":"checkout","severity":"P2","status":"triggered","triggeredAt":"2026-01-14T09:00:00.000Z"} -->';
    const { reply } = await run('/help', { issue: { number: 12, labels: [], body, isPullRequest: false } });
    expect(parseEventMarker(reply)?.incident).toBe('20260114-checkout-3f9a');
  });

  it('does not act on a state block firewatch did not write, even when no edit guard put it back', async () => {
    const seal = createStateSeal(['test-key']);
    const state = incidentStateSchema.parse({ version: 1, id: '20260114-checkout-3f9a', title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P2', status: 'investigating', triggeredAt: '2026-01-14T09:00:00.000Z' });
    const sealed = renderStateBlock(state, stateScope(seal, { owner: 'acme', repo: 'shop' }));
    const forged = sealed.replace('"status":"investigating"', '"status":"resolved"');
    for (const [body, command] of [
      ['/summary', 'summary'],
      ['/ack', 'ack'],
    ] as const) {
      const github = fakeGitHub({ permissions });
      const { data: issue } = await github.octokit.rest.issues.create({ title: '[P2] checkout: Checkout errors', body: `Summary\n\n${forged}\n`, labels: ['incident', 'sev:P2', 'status:investigating'] });
      const result = await runCommands({
        identity: FIREWATCH,
        octokit: github.octokit,
        event: event(body, { issue: { number: issue.number, labels: ['incident'], body: issue.body ?? null, isPullRequest: false } }),
        loadConfig: async () => ({ config: DEFAULT_CONFIG, problems: [] }),
        clock: () => new Date('2026-01-14T10:00:00Z'),
        log: quietLog,
        coordination: memoryCoordination(),
        stateSeal: seal,
      });
      expect(result.outcomes).toEqual([{ command, outcome: 'refused' }]);
      const reply = github.comments.at(-1)?.body ?? '';
      expect(reply).toContain(`⚠️ Cannot run \`/${command}\`: the hidden state block of #${issue.number} was changed outside firewatch (its seal does not match), so firewatch does not act on it.`);
      expect(reply).not.toContain('resolved');
      expect(github.methods()).not.toContain('issues.update');
    }
  });
});
