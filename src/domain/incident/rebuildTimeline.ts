import { parseEventMarker } from '../text/eventMarker.ts';
import type { TimelineEntry } from './incidentState.ts';

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
