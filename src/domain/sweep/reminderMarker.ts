import { z } from 'zod';
import { findHiddenJson, renderHiddenJson } from '../text/hiddenJson.ts';
import type { EventMarker } from '../text/eventMarker.ts';

/**
 * The event marker of a sweep's comment or issue, extended with the conditions it settled
 * (`ack-slo`, `escalation-1`, `stale:<instant>`, `postmortem`, `review:<date>`,
 * `handoff:<layer>:<instant>`). Reading these back is what makes each reminder happen once per
 * condition across restarts, replicas and one-shot runs: GitHub holds the memory.
 */
export type ReminderMarker = EventMarker & { reminders: string[]; since?: string; until?: string };

const reminderFieldsSchema = z.object({
  type: z.string(),
  reminders: z.array(z.string().min(1)).min(1),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});
export type ReminderFields = z.infer<typeof reminderFieldsSchema>;

export function renderReminderMarker(marker: ReminderMarker): string {
  return renderHiddenJson('event', marker);
}

/** The reminder markers in a text (a comment or issue body), ignoring other event markers. */
export function parseReminderMarkers(text: string | null | undefined): ReminderFields[] {
  if (!text) return [];
  return findHiddenJson('event', text).flatMap((candidate) => {
    const parsed = reminderFieldsSchema.safeParse(candidate);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Every reminder key settled by the given texts. */
export function settledReminders(texts: Iterable<string | null | undefined>): Set<string> {
  const keys = new Set<string>();
  for (const text of texts) for (const marker of parseReminderMarkers(text)) for (const key of marker.reminders) keys.add(key);
  return keys;
}
