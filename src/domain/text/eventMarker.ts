import { z } from 'zod';
import { findHiddenJson, renderHiddenJson } from './hiddenJson.ts';
import { timelineEntrySchema } from '../incident/incidentState.ts';

/**
 * The hidden marker on every comment firewatch writes, so the incident timeline can be rebuilt
 * from the comments alone.
 */
const eventMarkerSchema = z.object({
  /** What happened: `command-reply`, `refusal`, `alert-update`, `config-problems`, ... */
  type: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  /** Who caused it (GitHub login), when a person did. */
  actor: z.string().optional(),
  /** Command names, in the order they ran, when the comment answers commands. */
  command: z.string().optional(),
  /** Incident id from the state block, when the issue is an incident. */
  incident: z.string().optional(),
  /** The comment this one answers. */
  replyTo: z.number().int().optional(),
  /** Timeline entries this comment records, so the timeline can be rebuilt from comments alone. */
  entries: z.array(timelineEntrySchema).optional(),
});
export type EventMarker = z.infer<typeof eventMarkerSchema>;

export function renderEventMarker(marker: EventMarker): string {
  return renderHiddenJson('event', marker);
}

/** The first valid event marker in a comment body, or `null`. */
export function parseEventMarker(body: string | null | undefined): EventMarker | null {
  if (!body) return null;
  for (const candidate of findHiddenJson('event', body)) {
    const parsed = eventMarkerSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}
