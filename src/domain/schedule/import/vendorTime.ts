import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS } from '../wallClock.ts';

/** A vendor timestamp (ISO-8601 with an offset) as epoch milliseconds, or NaN. */
export function instantOfText(text: string): number {
  return DateTime.fromISO(text, { setZone: true }).toMillis();
}

export function isZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export interface LocalParts {
  date: string;
  time: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  minutes: number;
  /** Seconds and milliseconds past the minute, which firewatch's HH:mm cannot say. */
  subMinute: number;
}

export function localParts(instant: number, zone: string): LocalParts {
  const local = DateTime.fromMillis(instant, { zone });
  return {
    date: local.toFormat('yyyy-LL-dd'),
    time: local.toFormat('HH:mm'),
    weekday: local.weekday - 1,
    minutes: local.hour * 60 + local.minute,
    subMinute: local.second * 1000 + local.millisecond,
  };
}

/** An instant written with the offset it has in `zone`, as firewatch's `from`/`until`/override times take it. */
export function pointInTime(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(instant).toISOString();
}

function clock(minutes: number): string {
  const inDay = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')}`;
}

/** A restriction window's end or start: `HH:mm` every day (weekday undefined) or `weekday HH:mm`, from minutes after Monday 00:00. */
export function restrictionTime(minutes: number, weekly: boolean): string {
  if (!weekly) return clock(minutes);
  const inWeek = ((minutes % 10_080) + 10_080) % 10_080;
  return `${WEEKDAYS[Math.floor(inWeek / 1440)]} ${clock(inWeek)}`;
}

/** Wall-clock minutes from `start` to `end`, both read in `zone` (what a person sees on the clock, not elapsed time). */
export function wallClockMinutes(start: number, end: number, zone: string): number {
  const a = DateTime.fromMillis(start, { zone });
  const b = DateTime.fromMillis(end, { zone });
  const naive = (local: DateTime) => Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return Math.round((naive(b) - naive(a)) / 60_000);
}
