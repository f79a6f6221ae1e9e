import type { TimelineEntry } from '../../domain/incident/incidentState.ts';
import type { IncidentSession } from '../commands/commandContext.ts';

/**
 * Adds an entry to the incident the commands of a comment are changing: the runner writes the
 * body once at the end and records the entry in its reply's hidden marker.
 */
export function recordTimeline(session: IncidentSession, entry: TimelineEntry): void {
  if (!session.state) return;
  session.state = { ...session.state, timeline: [...session.state.timeline, entry] };
  session.entries.push(entry);
  session.dirty = true;
}
