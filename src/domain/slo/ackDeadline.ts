import { dateOfDayNumber, minutesOfTime, wallClockAt, WEEKDAYS } from '../schedule/wallClock.ts';
import type { AckSloConfig, AckSloWindow, DayKind } from './ackSloConfig.ts';

function instantOf(date: Date, name: string): number {
  const instant = date.getTime();
  if (Number.isNaN(instant)) throw new RangeError(`${name} is not a valid date`);
  return instant;
}

/** Whether the team's local day at `at` is a work day (a configured work day that is not a holiday). */
export function dayKindAt(config: AckSloConfig, at: Date): Exclude<DayKind, 'any'> {
  const clock = wallClockAt(instantOf(at, 'at'), config.timezone);
  const weekday = WEEKDAYS[clock.weekday];
  const isWorkDay = weekday !== undefined && config.workDays.includes(weekday) && !config.holidays.includes(dateOfDayNumber(clock.dayNumber));
  return isWorkDay ? 'work' : 'non-work';
}

/**
 * The SLO window containing `at` on the team's wall clock, or null when there is no guarantee.
 * Windows are half-open ([09:00, 17:00) ends just before 17:00); where several contain `at`, the
 * one with the fewest minutes wins (business hours sit inside waking hours).
 */
export function ackSloWindowAt(config: AckSloConfig, at: Date): AckSloWindow | null {
  const { minutes } = wallClockAt(instantOf(at, 'at'), config.timezone);
  const kind = dayKindAt(config, at);
  const containing = config.windows.filter(
    (window) => (window.days === 'any' || window.days === kind) && minutesOfTime(window.from) <= minutes && minutes < minutesOfTime(window.to),
  );
  return containing.reduce<AckSloWindow | null>((best, window) => (best === null || window.minutes < best.minutes ? window : best), null);
}

/**
 * When an incident triggered at `triggeredAt` must be acknowledged by, or null for no guarantee.
 *
 * The window containing the trigger instant decides, once: an incident triggered at 16:55 on a
 * work day gets the business-hours 10 minutes and is due at 17:05, although business hours end
 * at 17:00; one triggered at 06:59 has no guarantee even though waking hours begin a minute
 * later. The minutes are elapsed time, so a deadline that crosses a DST change is still exactly
 * that many minutes after the trigger.
 */
export function ackDeadline(config: AckSloConfig, triggeredAt: Date): Date | null {
  const window = ackSloWindowAt(config, triggeredAt);
  return window ? new Date(instantOf(triggeredAt, 'triggeredAt') + window.minutes * 60_000) : null;
}

export interface AckSloStatus {
  /** True when the acknowledgement came (or, unacknowledged, `now` is) strictly after the deadline. */
  breached: boolean;
  deadline: Date | null;
}

/**
 * Whether the ack SLO is breached. Acknowledging exactly at the deadline meets it. An incident
 * without a guarantee is never breached; an acknowledged one is judged by its acknowledgement
 * time, whatever `now` is.
 */
export function isAckSloBreached(config: AckSloConfig, triggeredAt: Date, acknowledgedAt: Date | null, now: Date): AckSloStatus {
  const deadline = ackDeadline(config, triggeredAt);
  if (!deadline) return { breached: false, deadline: null };
  const settledAt = instantOf(acknowledgedAt ?? now, acknowledgedAt ? 'acknowledgedAt' : 'now');
  return { breached: settledAt > deadline.getTime(), deadline };
}
