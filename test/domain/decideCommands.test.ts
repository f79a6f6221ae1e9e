import { describe, expect, it } from 'vitest';
import { decideCommands, decideLine, MAX_COMMANDS_PER_COMMENT, type CommentFact, type CommentFacts, type LineFacts } from '../../src/domain/commands/decideCommands.ts';
import { parseCommands } from '../../src/domain/commands/parseCommands.ts';

const lines = (body: string) => parseCommands(body);

/** Facts of a comment that passes every gate (bob, write access, within the rate limit, not seen before). */
function passing(overrides: Partial<CommentFacts> = {}): CommentFacts {
  return {
    author: 'bob',
    repo: 'acme/shop',
    ownActor: false,
    lines: lines('/ack'),
    recorded: false,
    seen: { before: false, answered: false },
    permission: 'write',
    config: { rateLimit: { max: 30, windowSeconds: 300 }, overrides: {} },
    rate: { ok: true, history: [0] },
    inTimeline: false,
    ...overrides,
  };
}

/** Walks the gates from nothing known, answering each `ask` from `facts`, and lists the facts asked for. */
function walk(facts: CommentFacts): { asked: CommentFact[]; decision: ReturnType<typeof decideCommands> } {
  const known: CommentFacts = { author: facts.author, repo: facts.repo, ownActor: facts.ownActor, lines: facts.lines };
  const asked: CommentFact[] = [];
  const field = { recorded: 'recorded', seen: 'seen', permission: 'permission', config: 'config', rate: 'rate', issue: 'inTimeline' } as const;
  for (;;) {
    const decision = decideCommands(known);
    if (decision.kind !== 'ask') return { asked, decision };
    asked.push(decision.fact);
    const key = field[decision.fact];
    Object.assign(known, { [key]: facts[key] });
  }
}

describe('decideCommands (the comment-level gates)', () => {
  it('runs a comment that passes every gate, asking for each fact once and in order', () => {
    const { asked, decision } = walk(passing());
    expect(asked).toEqual(['recorded', 'seen', 'permission', 'config', 'rate', 'issue']);
    expect(decision).toEqual({ kind: 'run', permission: 'write', overrides: {} });
  });

  it("skips firewatch's own comment before asking anything", () => {
    expect(walk(passing({ ownActor: true }))).toEqual({ asked: [], decision: { kind: 'skip', reason: 'own' } });
  });

  it('skips a comment the coordination recorded as handled, before looking at its lines', () => {
    const { asked, decision } = walk(passing({ recorded: true, lines: [] }));
    expect(asked).toEqual(['recorded']);
    expect(decision).toMatchObject({ kind: 'skip', reason: 'redelivery' });
  });

  it('skips a comment without commands without reacting or asking the permission', () => {
    const { asked, decision } = walk(passing({ lines: lines('Looking into it.') }));
    expect(asked).toEqual(['recorded']);
    expect(decision).toEqual({ kind: 'skip', reason: 'no-commands' });
  });

  it('skips a redelivery that our 🚀 or 😕 already answered, before asking the permission', () => {
    const { asked, decision } = walk(passing({ seen: { before: true, answered: true } }));
    expect(asked).toEqual(['recorded', 'seen']);
    expect(decision).toMatchObject({ kind: 'skip', reason: 'redelivery', why: expect.stringContaining('earlier delivery') });
  });

  it('without read access reads neither the configuration nor the rate limit, and lets the line gates refuse', () => {
    const { asked, decision } = walk(passing({ permission: 'none' }));
    expect(asked).toEqual(['recorded', 'seen', 'permission']);
    expect(decision).toEqual({ kind: 'run', permission: 'none', overrides: {} });
  });

  it('refuses every line over the rate limit with one "slow down" reply that says when to try again', () => {
    const { asked, decision } = walk(passing({ rate: { ok: false, history: [], retryAfterSeconds: 42, alreadyTold: false } }));
    expect(asked).toEqual(['recorded', 'seen', 'permission', 'config', 'rate']);
    expect(decision).toEqual({
      kind: 'rate-limited',
      retryAfterSeconds: 42,
      reply: '⏳ Slow down: `@bob` ran more than 30 commands in 300 seconds, so none of these ran. Try again in 42 seconds. Further commands until then get only 😕.',
    });
  });

  it('refuses over the rate limit without a reply when the author was already told in this window', () => {
    expect(walk(passing({ rate: { ok: false, history: [], retryAfterSeconds: 5, alreadyTold: true } })).decision).toEqual({ kind: 'rate-limited', retryAfterSeconds: 5 });
  });

  it('skips a redelivery the incident timeline already records, only when our 👀 was there before', () => {
    expect(walk(passing({ seen: { before: true, answered: false }, inTimeline: true })).decision).toMatchObject({ kind: 'skip', reason: 'redelivery', why: expect.stringContaining('timeline') });
    expect(walk(passing({ seen: { before: false, answered: false }, inTimeline: true })).decision).toMatchObject({ kind: 'run' });
  });

  it('does not read the issue for /help alone, nor for commands the author may not run', () => {
    expect(walk(passing({ lines: lines('/help') })).asked).not.toContain('issue');
    expect(walk(passing({ permission: 'read', lines: lines('/ack') })).asked).not.toContain('issue');
  });

  it('applies the configured permission overrides to what it reads and passes them to the line gates', () => {
    const config = { rateLimit: { max: 30, windowSeconds: 300 }, overrides: { ack: 'read' as const } };
    const { asked, decision } = walk(passing({ permission: 'read', config }));
    expect(asked).toContain('issue');
    expect(decision).toEqual({ kind: 'run', permission: 'read', overrides: { ack: 'read' } });
  });
});

function lineFacts(overrides: Partial<LineFacts> = {}): LineFacts {
  return { index: 0, total: 1, permission: 'write', overrides: {}, isIncident: true, trust: 'sealed', repo: 'acme/shop', issue: 7, author: 'bob', now: new Date('2026-03-01T12:00:00Z'), timezone: 'UTC', ...overrides };
}
const first = (body: string) => {
  const [line] = parseCommands(body);
  if (!line) throw new Error(`no command line in ${body}`);
  return line;
};

describe('decideLine (the line-level gates)', () => {
  it('runs a valid command with its request read', () => {
    expect(decideLine(first('/severity P1 checkout down'), lineFacts())).toEqual({ kind: 'run', request: { name: 'severity', severity: 'P1', reason: 'checkout down' } });
  });

  it('stops at the per-comment cap and counts the lines not run', () => {
    expect(decideLine(first('/ack'), lineFacts({ index: MAX_COMMANDS_PER_COMMENT, total: MAX_COMMANDS_PER_COMMENT + 3 }))).toEqual({
      kind: 'stop',
      notRun: 3,
      reply: `⚠️ …and 3 more command lines were not run: at most ${MAX_COMMANDS_PER_COMMENT} run per comment. Split them over several comments.`,
    });
    expect(decideLine(first('/ack'), lineFacts({ index: MAX_COMMANDS_PER_COMMENT, total: MAX_COMMANDS_PER_COMMENT + 1 }))).toMatchObject({ reply: expect.stringContaining('1 more command line was not run') });
  });

  it('refuses a word that is not a command, suggesting the closest one', () => {
    expect(decideLine(first('/akc'), lineFacts())).toEqual({ kind: 'refuse', reply: '⚠️ `/akc` is not a firewatch command. Did you mean `/ack`? Comment `/help` to see the commands you can run.' });
  });

  it('refuses a command the author lacks the permission for, naming both levels', () => {
    expect(decideLine(first('/ack'), lineFacts({ permission: 'read' }))).toEqual({
      kind: 'refuse',
      reply: '⚠️ Cannot run `/ack`: it needs **triage** access to acme/shop and you have **read**. Ask someone with triage access to run it, or a maintainer to grant you access.',
    });
  });

  it('lets a configured override lower or raise what a command needs', () => {
    expect(decideLine(first('/ack'), lineFacts({ permission: 'read', overrides: { ack: 'read' } }))).toMatchObject({ kind: 'run' });
    expect(decideLine(first('/help'), lineFacts({ permission: 'write', overrides: { help: 'admin' } }))).toMatchObject({ kind: 'refuse', reply: expect.stringContaining('needs **admin** access') });
  });

  it('refuses an incident command on a forged state block, saying the seal does not match', () => {
    expect(decideLine(first('/ack'), lineFacts({ isIncident: false, trust: 'forged' }))).toMatchObject({ kind: 'refuse', reply: expect.stringContaining('hidden state block of #7 was changed outside firewatch') });
  });

  it('refuses an incident command outside an incident issue, pointing to /incident', () => {
    expect(decideLine(first('/ack'), lineFacts({ isIncident: false, trust: 'none' }))).toEqual({
      kind: 'refuse',
      reply: "⚠️ Cannot run `/ack` here: #7 is not an incident issue. Run it in the incident's issue, or declare one with `/incident`.",
    });
    expect(decideLine(first('/incident P2 Search is slow'), lineFacts({ isIncident: false, trust: 'none' }))).toMatchObject({ kind: 'run' });
  });

  it('refuses a command with invalid arguments with its usage', () => {
    expect(decideLine(first('/severity P9'), lineFacts())).toMatchObject({ kind: 'refuse', reply: expect.stringMatching(/^⚠️ `\/severity` .*Usage: `\/severity/) });
  });

  it('checks permission before incident scope: a reader outside an incident is told about access', () => {
    expect(decideLine(first('/ack'), lineFacts({ permission: 'read', isIncident: false, trust: 'none' }))).toMatchObject({ reply: expect.stringContaining('needs **triage**') });
  });
});
