import { DateTime } from 'luxon';
import { NO_ONE, type ScheduleConfig } from './scheduleConfig.ts';
import { dayNumberOfDate, instantAt, minutesOfTime, wallClockAt, WEEKDAYS, weekdayIndexOfDayNumber } from './wallClock.ts';

/**
 * The engine behind whoIsOnCall, shiftsBetween and scheduleWarnings: the effective segments of
 * each layer (rotation shifts, cut by holiday layers, with overrides applied), in epoch
 * milliseconds.
 *
 * Rules, in order:
 * 1. A rotation's k-th shift starts at the k-th handoff: the anchor day + k × length, at the
 *    handoff wall-clock time in the layer's zone (so 11:00 stays 11:00 across DST). Before the
 *    first handoff the layer is an explicit gap reaching back to UNBOUNDED_PAST.
 * 2. While any holiday layer runs, the regular layers are not on call; the holiday layers are.
 * 3. Overrides replace the covered part of a shift, later overrides over earlier ones; an
 *    override without `layer` targets the first layer on call at each instant.
 */

/** Start of a gap that has no beginning (a layer before its first handoff). */
export const UNBOUNDED_PAST = -8.64e15;

export type ShiftSource = 'rotation' | 'override' | 'holiday';
export type ConfigPath = readonly (string | number)[];

export interface Segment {
  layer: string;
  login: string | null;
  start: number;
  end: number;
  source: ShiftSource;
  /** For overrides: who the rotation had at that time (null when it was a gap). */
  replaces?: string | null;
  /** Where in the schedule config this segment comes from (for warnings). */
  origin: ConfigPath;
}

export interface CompiledLayer {
  name: string;
  kind: 'rotation' | 'holiday';
  path: ConfigPath;
  participants: readonly string[];
  zone: string;
  anchorDay: number;
  periodDays: number;
  handoffMinutes: number;
  /** Holiday layers run only inside [activeFrom, activeTo); rotations are bounded by holidays instead. */
  activeFrom: number;
  activeTo: number;
}

export interface CompiledOverride {
  index: number;
  who: string;
  from: number;
  to: number;
  layer: string | undefined;
}

export interface Interval {
  start: number;
  end: number;
}

export interface CompiledSchedule {
  rotations: CompiledLayer[];
  holidays: CompiledLayer[];
  overrides: CompiledOverride[];
  /** Merged ranges during which the holiday layers replace the rotations. */
  holidayPeriods: Interval[];
}

const compiled = new WeakMap<ScheduleConfig, CompiledSchedule>();

export function compileSchedule(schedule: ScheduleConfig): CompiledSchedule {
  const cached = compiled.get(schedule);
  if (cached) return cached;

  const rotations = schedule.layers.map((layer, index): CompiledLayer => {
    const zone = layer.timezone ?? schedule.timezone;
    let anchorDay = dayNumberOfDate(layer.start);
    if (layer.handoff.weekday) {
      const wanted = WEEKDAYS.indexOf(layer.handoff.weekday);
      anchorDay += (wanted - weekdayIndexOfDayNumber(anchorDay) + 7) % 7;
    }
    return {
      name: layer.name,
      kind: 'rotation',
      path: ['layers', index],
      participants: layer.participants,
      zone,
      anchorDay,
      periodDays: 'weeks' in layer.length ? layer.length.weeks * 7 : layer.length.days,
      handoffMinutes: minutesOfTime(layer.handoff.time),
      activeFrom: Number.NEGATIVE_INFINITY,
      activeTo: Number.POSITIVE_INFINITY,
    };
  });

  const holidays = schedule.holidays.map((holiday, index): CompiledLayer => {
    const zone = holiday.timezone ?? schedule.timezone;
    const handoffMinutes = minutesOfTime(holiday.handoffTime);
    const anchorDay = dayNumberOfDate(holiday.from);
    return {
      name: holiday.name,
      kind: 'holiday',
      path: ['holidays', index],
      participants: holiday.participants,
      zone,
      anchorDay,
      periodDays: holiday.shiftDays,
      handoffMinutes,
      activeFrom: instantAt(anchorDay, handoffMinutes, zone),
      activeTo: instantAt(dayNumberOfDate(holiday.to), handoffMinutes, zone),
    };
  });

  const zoneOfLayer = new Map([...rotations, ...holidays].map((layer) => [layer.name, layer.zone]));
  const overrides = schedule.overrides.map((override, index): CompiledOverride => {
    const zone = (override.layer && zoneOfLayer.get(override.layer)) ?? schedule.timezone;
    return {
      index,
      who: override.who,
      from: DateTime.fromISO(override.from, { zone }).toMillis(),
      to: DateTime.fromISO(override.to, { zone }).toMillis(),
      layer: override.layer,
    };
  });

  const result: CompiledSchedule = {
    rotations,
    holidays,
    overrides,
    holidayPeriods: mergeIntervals(holidays.map((holiday) => ({ start: holiday.activeFrom, end: holiday.activeTo }))),
  };
  compiled.set(schedule, result);
  return result;
}

/** Start of the k-th shift of a layer (k may be any integer; luxon resolves DST gaps). */
export function handoffAt(layer: CompiledLayer, k: number): number {
  return instantAt(layer.anchorDay + k * layer.periodDays, layer.handoffMinutes, layer.zone);
}

/** Index of the shift containing `instant`, or -1 before the first handoff. */
export function shiftIndexAt(layer: CompiledLayer, instant: number): number {
  if (instant < handoffAt(layer, 0)) return -1;
  const { dayNumber } = wallClockAt(instant, layer.zone);
  let k = Math.floor((dayNumber - layer.anchorDay) / layer.periodDays);
  while (k > 0 && handoffAt(layer, k) > instant) k -= 1;
  while (handoffAt(layer, k + 1) <= instant) k += 1;
  return k;
}

/** The times a layer can be on call at all: rotations outside holiday periods, holiday layers inside their range. */
export function activeIntervals(schedule: CompiledSchedule, layer: CompiledLayer): Interval[] {
  if (layer.kind === 'holiday') return [{ start: layer.activeFrom, end: layer.activeTo }];
  return subtractIntervals([{ start: UNBOUNDED_PAST, end: Number.POSITIVE_INFINITY }], schedule.holidayPeriods);
}

/** Where an override without `layer` lands on this layer: the instants at which it is the first layer on call. */
function firstOnCallIntervals(schedule: CompiledSchedule, layer: CompiledLayer): Interval[] {
  if (layer.kind === 'rotation') return schedule.rotations[0] === layer ? activeIntervals(schedule, layer) : [];
  const earlier = schedule.holidays.slice(0, schedule.holidays.indexOf(layer)).map((holiday) => ({ start: holiday.activeFrom, end: holiday.activeTo }));
  return subtractIntervals(activeIntervals(schedule, layer), mergeIntervals(earlier));
}

/** The part of each override's range that applies to `layer`. */
export function overrideIntervals(schedule: CompiledSchedule, layer: CompiledLayer, override: CompiledOverride): Interval[] {
  if (override.from >= override.to) return [];
  if (override.layer !== undefined && override.layer !== layer.name) return [];
  const target = override.layer === undefined ? firstOnCallIntervals(schedule, layer) : activeIntervals(schedule, layer);
  return intersectIntervals(target, [{ start: override.from, end: override.to }]);
}

function baseSegments(layer: CompiledLayer, from: number, to: number): Segment[] {
  const segments: Segment[] = [];
  const count = layer.participants.length;
  const slot = (k: number): Segment => {
    const index = ((k % count) + count) % count;
    const participant = layer.participants[index] ?? NO_ONE;
    return {
      layer: layer.name,
      login: participant === NO_ONE ? null : participant,
      start: Math.max(handoffAt(layer, k), layer.activeFrom),
      end: Math.min(handoffAt(layer, k + 1), layer.activeTo),
      source: layer.kind === 'holiday' ? 'holiday' : 'rotation',
      origin: [...layer.path, 'participants', index],
    };
  };
  const lower = Math.max(from, layer.activeFrom);
  const upper = Math.min(to, layer.activeTo);
  if (lower >= upper) return segments;
  let k = shiftIndexAt(layer, lower);
  if (k < 0) {
    segments.push({ layer: layer.name, login: null, start: UNBOUNDED_PAST, end: handoffAt(layer, 0), source: 'rotation', origin: [...layer.path, 'start'] });
    k = 0;
  }
  for (; handoffAt(layer, k) < upper; k += 1) segments.push(slot(k));
  return segments;
}

function replaceWith(segments: Segment[], interval: Interval, override: CompiledOverride): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    if (segment.end <= interval.start || segment.start >= interval.end) {
      out.push(segment);
      continue;
    }
    if (segment.start < interval.start) out.push({ ...segment, end: interval.start });
    out.push({
      layer: segment.layer,
      login: override.who === NO_ONE ? null : override.who,
      start: Math.max(segment.start, interval.start),
      end: Math.min(segment.end, interval.end),
      source: 'override',
      replaces: segment.source === 'override' ? (segment.replaces ?? null) : segment.login,
      origin: ['overrides', override.index],
    });
    if (segment.end > interval.end) out.push({ ...segment, start: interval.end });
  }
  return out;
}

/**
 * Effective segments of one layer overlapping [from, to), whole (not clipped to the window), in
 * time order. Together they cover exactly the layer's active time inside the window.
 */
export function layerTimeline(schedule: CompiledSchedule, layer: CompiledLayer, from: number, to: number): Segment[] {
  const active = activeIntervals(schedule, layer);
  let segments = baseSegments(layer, from, to).flatMap((segment) =>
    intersectIntervals(active, [segment]).map((piece) => ({ ...segment, start: piece.start, end: piece.end })),
  );
  for (const override of schedule.overrides) {
    for (const interval of overrideIntervals(schedule, layer, override)) segments = replaceWith(segments, interval, override);
  }
  return segments.filter((segment) => segment.end > from && segment.start < to);
}

/** The layers on call at an instant: the holiday layers running then, or else every rotation. */
export function layersOnCallAt(schedule: CompiledSchedule, instant: number): CompiledLayer[] {
  const inHoliday = schedule.holidayPeriods.some((period) => period.start <= instant && instant < period.end);
  return inHoliday ? schedule.holidays.filter((holiday) => holiday.activeFrom <= instant && instant < holiday.activeTo) : schedule.rotations;
}

export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => interval.start < interval.end).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (start < end) out.push({ start, end });
    }
  }
  return out.sort((p, q) => p.start - q.start);
}

export function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  let pieces = from.map((interval) => ({ ...interval }));
  for (const cut of remove) {
    pieces = pieces.flatMap((piece) => {
      if (cut.end <= piece.start || cut.start >= piece.end) return [piece];
      const left = { start: piece.start, end: cut.start };
      const right = { start: cut.end, end: piece.end };
      return [left, right].filter((part) => part.start < part.end);
    });
  }
  return pieces;
}
