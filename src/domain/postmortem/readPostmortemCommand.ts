import type { ParsedCommand } from '../commands/parseCommands.ts';
import { splitWord } from '../text/splitWord.ts';

/** `/postmortem` (draft or refresh), `/postmortem skip <reason>`, `/postmortem reviewed`. */
export type PostmortemRequest = { name: 'postmortem'; action: 'draft' } | { name: 'postmortem'; action: 'skip'; reason: string } | { name: 'postmortem'; action: 'reviewed' };

const MAX_REASON_LENGTH = 2_000;

/** Reads the arguments of `/postmortem`. Pure. */
export function readPostmortemCommand(line: ParsedCommand): { ok: true; request: PostmortemRequest } | { ok: false; message: string } {
  const split = splitWord(line.rest);
  const word = split.word.toLowerCase();
  const rest = split.rest;
  if (word === '') return { ok: true, request: { name: 'postmortem', action: 'draft' } };
  if (word === 'reviewed') return { ok: true, request: { name: 'postmortem', action: 'reviewed' } };
  if (word === 'skip') {
    if (!rest) return { ok: false, message: '`/postmortem skip` needs a reason, e.g. `/postmortem skip duplicate of #12`.' };
    if (rest.length > MAX_REASON_LENGTH) return { ok: false, message: `\`/postmortem skip\`: the reason is ${rest.length} characters long; keep it under ${MAX_REASON_LENGTH}.` };
    return { ok: true, request: { name: 'postmortem', action: 'skip', reason: rest } };
  }
  return { ok: false, message: '`/postmortem` takes no argument, `skip <reason>` or `reviewed`. Usage: `/postmortem [skip <reason> | reviewed]`, e.g. `/postmortem`.' };
}
