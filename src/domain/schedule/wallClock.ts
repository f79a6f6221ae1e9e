import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * Wall-clock helpers shared by on-call schedules and SLO windows. Schedules are written the way
 * people say them ("Monday 11:00 in New York"), so every conversion goes through the zone's
 * calendar, never through fixed 24-hour offsets.
 *
 * Local times that do not exist (spring-forward gap) move forward by the length of the gap, and
 * ambiguous ones (fall-back) resolve to the later instant (standard time): that is luxon's
 * behaviour, relied on and pinned down by tests.
 */

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MS_PER_DAY = 86_400_000;

export const timezoneSchema = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin or America/New_York');

export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date written YYYY-MM-DD', abort: true })
  .refine((date) => DateTime.fromISO(date, { zone: 'UTC' }).isValid, 'must be a real calendar date');

export const localTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:mm (24-hour), e.g. 11:00');

/** Days since 1970-01-01 of a calendar date, independent of any zone. */
export type DayNumber = number;

export function dayNumberOfDate(date: string): DayNumber {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function dateOfDayNumber(dayNumber: DayNumber): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday, matching WEEKDAYS. */
export function weekdayIndexOfDayNumber(dayNumber: DayNumber): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber + 3) % 7) + 7) % 7;
}

export function minutesOfTime(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** The instant at which the wall clock in `zone` shows `minutes` after midnight on the given day. */
export function instantAt(dayNumber: DayNumber, minutes: number, zone: string): number {
  const date = new Date(dayNumber * MS_PER_DAY);
  return DateTime.fromObject(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone },
  ).toMillis();
}

export interface WallClock {
  dayNumber: DayNumber;
  /** Minutes after local midnight, as the clock on the wall shows them. */
  minutes: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}

export function wallClockAt(instant: number, zone: string): WallClock {
  const local = DateTime.fromMillis(instant, { zone });
  const dayNumber = Date.UTC(local.year, local.month - 1, local.day) / MS_PER_DAY;
  return { dayNumber, minutes: local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000, weekday: local.weekday - 1 };
}
