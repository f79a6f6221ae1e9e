import { dateOfDayNumber, dayNumberOfDate, instantAt, minutesOfTime, wallClockAt, weekdayIndexOfDayNumber, WEEKDAYS } from '../schedule/wallClock.ts';
import type { SweepConfig } from './sweepConfig.ts';

export interface ReviewSlot {
  /** The meeting's local date (YYYY-MM-DD), used in the title `Incident review <date>`. */
  date: string;
  at: Date;
  /** The slot before this one: incidents since then are listed when no earlier review issue says otherwise. */
  previous: Date;
}

/**
 * The latest incident review due at or before `now` (every `everyWeeks` weeks on `weekday` at
 * `time` in the zone, counted from the first such weekday on or after `start`), or null before
 * the first one.
 */
export function latestReviewSlot(review: SweepConfig['review'], fallbackZone: string, now: Date): ReviewSlot | null {
  const zone = review.timezone ?? fallbackZone;
  const startDay = dayNumberOfDate(review.start);
  const firstDay = startDay + ((WEEKDAYS.indexOf(review.weekday) - weekdayIndexOfDayNumber(startDay) + 7) % 7);
  const period = review.everyWeeks * 7;
  const minutes = minutesOfTime(review.time);
  const today = wallClockAt(now.getTime(), zone).dayNumber;
  let k = Math.floor((today - firstDay) / period);
  if (k >= 0 && instantAt(firstDay + k * period, minutes, zone) > now.getTime()) k -= 1;
  if (k < 0) return null;
  const day = firstDay + k * period;
  return { date: dateOfDayNumber(day), at: new Date(instantAt(day, minutes, zone)), previous: new Date(instantAt(day - period, minutes, zone)) };
}
