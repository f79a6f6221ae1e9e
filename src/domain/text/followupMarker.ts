import { z } from 'zod';
import { findHiddenJson, renderHiddenJson } from './hiddenJson.ts';

/** Hidden in a follow-up issue's body: which incident tracks it, so closing it ticks the box there. */
const followupMarkerSchema = z.object({
  incident: z.string().min(1),
  /** The incident issue, `owner/name` and number. */
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  issue: z.number().int().positive(),
});
export type FollowupMarker = z.infer<typeof followupMarkerSchema>;

export function renderFollowupMarker(marker: FollowupMarker): string {
  return renderHiddenJson('followup', marker);
}

export function parseFollowupMarker(body: string | null | undefined): FollowupMarker | null {
  if (!body) return null;
  for (const candidate of findHiddenJson('followup', body)) {
    const parsed = followupMarkerSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}
