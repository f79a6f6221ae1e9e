import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/domain/commands/commands.ts';
import { parseCommands, type ParsedCommand } from '../../src/domain/commands/parseCommands.ts';
import { readCommand } from '../../src/domain/commands/readCommand.ts';

const options = { author: 'carol', now: new Date('2026-01-14T15:30:00.000Z'), timezone: 'UTC' };

function read(text: string) {
  const [line] = parseCommands(text);
  if (line?.kind !== 'command') throw new Error(`${text} is not a command`);
  return readCommand(line, options);
}

describe('readCommand', () => {
  it('reads every example of the command table (help round-trip)', () => {
    for (const command of COMMANDS) {
      for (const example of command.examples) {
        const result = read(example);
        expect(result, example).toMatchObject({ ok: true, request: { name: command.name } });
      }
    }
  });

  it('reads arguments into typed requests', () => {
    expect(read('/sev p1 all card payments fail')).toEqual({ ok: true, request: { name: 'severity', severity: 'P1', reason: 'all card payments fail' } });
    expect(read('/status monitoring rolled back --internal')).toEqual({ ok: true, request: { name: 'status', status: 'monitoring', message: 'rolled back', internal: true } });
    expect(read('/ic me')).toEqual({ ok: true, request: { name: 'commander', login: 'carol' } });
    expect(read('/responder remove @bob')).toEqual({ ok: true, request: { name: 'responder', action: 'remove', login: 'bob' } });
    expect(read('/timeline -15m first report')).toEqual({ ok: true, request: { name: 'note', at: '2026-01-14T15:15:00.000Z', text: 'first report' } });
    expect(read('/escalate @acme/payments provider down')).toEqual({ ok: true, request: { name: 'escalate', target: { kind: 'team', org: 'acme', slug: 'payments' }, reason: 'provider down' } });
    expect(read('/escalate need help')).toEqual({ ok: true, request: { name: 'escalate', reason: 'need help' } });
    expect(read('/incident P1 "Login down" service=auth')).toEqual({ ok: true, request: { name: 'incident', severity: 'P1', title: 'Login down', service: 'auth' } });
    expect(read('/followup "Runbook: rollback"')).toEqual({ ok: true, request: { name: 'followup', title: 'Runbook: rollback' } });
  });

  it('says what is wrong, with the synopsis and an example', () => {
    expect(read('/severity P9')).toEqual({ ok: false, message: '`/severity` does not know the severity "P9" (use P1 for the worst … P5 for informational). Usage: `/severity P1..P5 [reason]`, e.g. `/severity P1 all card payments fail`.' });
    expect(read('/status acknowledged')).toMatchObject({ ok: false, message: expect.stringContaining('acknowledged is set by `/ack`') });
    expect(read('/commander')).toMatchObject({ ok: false, message: expect.stringContaining('needs a GitHub user') });
    expect(read('/commander @alice @bob')).toMatchObject({ ok: false });
    expect(read('/responder invite @bob')).toMatchObject({ ok: false, message: expect.stringContaining('`add` or `remove`') });
    expect(read('/note')).toMatchObject({ ok: false, message: expect.stringContaining('needs the text') });
    expect(read('/note 18:00 later')).toMatchObject({ ok: false, message: expect.stringContaining('in the future') });
    expect(read('/escalate @-bad')).toMatchObject({ ok: false });
    expect(read('/incident P2')).toMatchObject({ ok: false, message: expect.stringContaining('needs a title') });
    expect(read(`/note ${'x'.repeat(2001)}`)).toMatchObject({ ok: false, message: expect.stringContaining('keep it under 2000') });
  });

  it('never throws, whatever follows a command word (property)', () => {
    const words = COMMANDS.flatMap((command) => [command.name, ...command.aliases]);
    fc.assert(
      fc.property(fc.constantFrom(...words), fc.string({ maxLength: 80 }).map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, ' ')), (word, rest) => {
        const lines = parseCommands(`/${word} ${rest}`);
        for (const line of lines) if (line.kind === 'command') expect(() => readCommand(line as ParsedCommand, options)).not.toThrow();
      }),
    );
  });
});
