import type { TimelineEntry } from '../incident/incidentState.ts';
import type { OnCallEntry } from './onCallEntry.ts';

/** GitHub refuses more assignees than this on one issue. */
export const MAX_ASSIGNEES = 10;

/**
 * Who a new incident should be assigned to, best first: the people on call (every layer, in config
 * order, gaps skipped), then `incidents.assignees`. Duplicates are dropped whatever their case;
 * the caller removes those GitHub would not accept before cutting to `MAX_ASSIGNEES`.
 */
export function assigneeCandidates(onCall: readonly OnCallEntry[], configured: readonly string[]): string[] {
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const login of [...onCall.flatMap((entry) => (entry.login ? [entry.login] : [])), ...configured]) {
    if (seen.has(login.toLowerCase())) continue;
    seen.add(login.toLowerCase());
    candidates.push(login);
  }
  return candidates;
}

/**
 * The timeline entry that shows, in the incident body, who was on call when it opened: one part
 * per layer, gaps and people GitHub would not assign said plainly. Logins are plain text (the
 * body escapes them), so the assignment is the only notification. Null without on-call layers.
 */
export function onCallTimelineEntry(onCall: readonly OnCallEntry[], assignees: { assigned: readonly string[]; rejected: readonly string[] }, at: Date): TimelineEntry | null {
  if (onCall.length === 0) return null;
  const lower = (logins: readonly string[]) => new Set(logins.map((login) => login.toLowerCase()));
  const assigned = lower(assignees.assigned);
  const rejected = lower(assignees.rejected);
  const parts = onCall.map((entry) => {
    if (!entry.login) return `nobody (${entry.layer}: gap)`;
    const login = entry.login.toLowerCase();
    const missing = assigned.has(login) ? [] : [rejected.has(login) ? 'not assignable in this repository' : `not assigned: GitHub allows ${MAX_ASSIGNEES} assignees`];
    const notes = [entry.layer, ...(entry.source === 'override' ? ['override'] : entry.source === 'holiday' ? ['holiday'] : []), ...missing];
    return `${entry.login} (${notes.join(', ')})`;
  });
  return { at: at.toISOString(), type: 'oncall', text: `On call when triggered: ${parts.join('; ')}` };
}
