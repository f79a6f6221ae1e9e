import { UNBOUNDED_PAST } from '../schedule/layerTimeline.ts';
import type { OnCallEntry } from '../schedule/onCallEntry.ts';
import type { ScheduleConfig } from '../schedule/scheduleConfig.ts';
import { shiftsBetween } from '../schedule/shifts.ts';

export interface Handoff {
  /** `handoff:<layer>:<instant>`: the reminder key that makes it happen once. */
  key: string;
  layer: string;
  at: Date;
  /** The shift that ends (its login is null for a gap; null when the layer only starts here). */
  outgoing: OnCallEntry | null;
  incoming: OnCallEntry;
}

/**
 * Every change of who is on call in a layer within (from, to]: rotation handoffs, overrides
 * starting or ending, and holiday layers taking over. A change from nobody to nobody is not a
 * handoff.
 */
export function handoffsBetween(schedule: ScheduleConfig, from: Date, to: Date): Handoff[] {
  const entries = shiftsBetween(schedule, from, new Date(to.getTime() + 1));
  const previousByLayer = new Map<string, OnCallEntry>();
  const handoffs: Handoff[] = [];
  for (const entry of entries) {
    const previous = previousByLayer.get(entry.layer) ?? null;
    previousByLayer.set(entry.layer, entry);
    const start = entry.shift.start.getTime();
    if (start <= from.getTime() || start > to.getTime() || start <= UNBOUNDED_PAST) continue;
    const outgoing = previous && previous.shift.end.getTime() === start ? previous : null;
    if ((outgoing?.login ?? null) === entry.login) continue;
    handoffs.push({ key: `handoff:${entry.layer}:${entry.shift.start.toISOString()}`, layer: entry.layer, at: entry.shift.start, outgoing, incoming: entry });
  }
  return handoffs;
}
