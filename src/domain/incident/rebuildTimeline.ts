import { parseEventMarker } from '../text/eventMarker.ts';
import type { IncidentState, TimelineEntry } from './incidentState.ts';

/**
 * The incident's timeline from its comments alone: every comment firewatch wrote carries the
 * entries it recorded in its event marker. Sorted by time; comments without markers (people's,
 * other bots') are skipped. Pure; used to rebuild a state block that was lost or edited away.
 */
export function rebuildTimeline(comments: readonly { body?: string | null }[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const comment of comments) {
    const marker = parseEventMarker(comment.body);
    if (marker?.entries) entries.push(...marker.entries);
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * The state with the timeline entries it left out (`earlierTimeline`) found again in firewatch's
 * own comments (`comments` must be only those: anyone else's marker is not a record). Entries the
 * state still has are not added twice. Unchanged when nothing was left out.
 */
export function withEarlierTimeline(state: IncidentState, ownComments: readonly { body?: string | null }[]): IncidentState {
  const earlier = state.earlierTimeline;
  if (!earlier) return state;
  const key = (entry: TimelineEntry) => `${entry.at}\u0000${entry.type}\u0000${entry.text}`;
  const present = new Set(state.timeline.map(key));
  const found = rebuildTimeline(ownComments).filter((entry) => entry.at <= earlier.until && !present.has(key(entry)) && (present.add(key(entry)), true));
  return { ...state, timeline: [...found, ...state.timeline].sort((a, b) => a.at.localeCompare(b.at)) };
}
