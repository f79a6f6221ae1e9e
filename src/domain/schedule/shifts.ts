import { compileSchedule, layerTimeline } from './layerTimeline.ts';
import { instantOf, toOnCallEntry, type OnCallEntry } from './onCallEntry.ts';
import type { ScheduleConfig } from './scheduleConfig.ts';

/**
 * Every stretch of on-call time overlapping [from, to), for tables, iCalendar, handoff sweeps and
 * warnings. Entries are whole (a shift that began before `from` keeps its real start), gaps
 * included (login null), ordered by start time and then by layer order in the config. Per layer
 * they tile its on-call time: each entry ends where the next begins.
 */
export function shiftsBetween(schedule: ScheduleConfig, from: Date, to: Date): OnCallEntry[] {
  const start = instantOf(from, 'from');
  const end = instantOf(to, 'to');
  if (start >= end) return [];
  const compiled = compileSchedule(schedule);
  const order = [...compiled.rotations, ...compiled.holidays];
  return order
    .flatMap((layer, rank) => layerTimeline(compiled, layer, start, end).map((segment) => ({ segment, rank })))
    .sort((a, b) => a.segment.start - b.segment.start || a.rank - b.rank)
    .map(({ segment }) => toOnCallEntry(segment));
}
