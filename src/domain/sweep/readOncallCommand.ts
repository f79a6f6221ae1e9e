import type { ParsedCommand } from '../commands/parseCommands.ts';

/** `/oncall [time]`: who is on call now, or at the time given (read in the configured zone). */
export type OncallRequest = { name: 'oncall'; at?: string };

/** Reads the arguments of `/oncall`; the time itself is checked against the config's zone when run. Pure. */
export function readOncallCommand(line: ParsedCommand): { ok: true; request: OncallRequest } | { ok: false; message: string } {
  const at = line.rest.trim();
  if (at.length > 40) return { ok: false, message: '`/oncall` takes at most a time, e.g. `/oncall`, `/oncall 2026-03-02 14:00` or `/oncall 2026-03-02T14:00Z`.' };
  return { ok: true, request: { name: 'oncall', ...(at ? { at } : {}) } };
}
