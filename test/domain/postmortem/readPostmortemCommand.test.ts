import { describe, expect, it } from 'vitest';
import { parseCommands } from '../../../src/domain/commands/parseCommands.ts';
import { readPostmortemCommand } from '../../../src/domain/postmortem/readPostmortemCommand.ts';

function read(text: string) {
  const [line] = parseCommands(text);
  if (line?.kind !== 'command') throw new Error(`${text} is not a command`);
  return readPostmortemCommand(line);
}

describe('/postmortem arguments', () => {
  it('drafts without arguments, also through the alias', () => {
    expect(read('/postmortem')).toEqual({ ok: true, request: { name: 'postmortem', action: 'draft' } });
    expect(read('/pm')).toEqual({ ok: true, request: { name: 'postmortem', action: 'draft' } });
  });

  it('skips with a reason and refuses a skip without one', () => {
    expect(read('/postmortem skip duplicate of #12')).toEqual({ ok: true, request: { name: 'postmortem', action: 'skip', reason: 'duplicate of #12' } });
    expect(read('/postmortem SKIP')).toMatchObject({ ok: false, message: expect.stringContaining('needs a reason') });
  });

  it('marks reviewed and refuses anything else with the usage', () => {
    expect(read('/postmortem reviewed')).toEqual({ ok: true, request: { name: 'postmortem', action: 'reviewed' } });
    expect(read('/postmortem publish')).toMatchObject({ ok: false, message: expect.stringContaining('Usage: `/postmortem [skip <reason> | reviewed]`') });
  });
});
