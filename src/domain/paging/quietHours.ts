import { DateTime } from 'luxon';
import type { Severity } from '../incident/severity.ts';
import type { Person } from './contacts.ts';

/**
 * Until when a page of `severity` to `person` waits because of their quiet hours, or `null` when
 * it goes out now. A P1 is never held back.
 */
export function quietUntil(person: Person | undefined, severity: Severity, now: Date): Date | null {
  const quiet = person?.quietHours;
  if (!quiet || severity === 'P1' || !quiet.severities.includes(severity)) return null;
  const local = DateTime.fromJSDate(now, { zone: person.timezone });
  const minutes = local.hour * 60 + local.minute;
  const [fromHour, fromMinute] = quiet.from.split(':').map(Number) as [number, number];
  const [toHour, toMinute] = quiet.to.split(':').map(Number) as [number, number];
  const from = fromHour * 60 + fromMinute;
  const to = toHour * 60 + toMinute;
  const inside = from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
  if (!inside) return null;
  // The end is the next time the wall clock shows `to` (tomorrow when the window crosses midnight and it is before midnight).
  let end = local.set({ hour: toHour, minute: toMinute, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}
