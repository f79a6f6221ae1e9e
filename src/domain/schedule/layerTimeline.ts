import { DateTime } from 'luxon';
import { NO_ONE, type Restriction, type ScheduleConfig } from './scheduleConfig.ts';
import { dayNumberOfDate, instantAt, minutesOfTime, wallClockAt, WEEKDAYS, weekdayIndexOfDayNumber, type Weekday } from './wallClock.ts';

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
 * 3. A layer with restrictions, `from` or `until` is on call only inside them; the rest of its
 *    shifts are gaps (the rotation keeps handing off on its own clock). Restriction windows are
 *    wall-clock times in the layer's zone, like handoffs.
 * 4. A layer `over` another replaces it wherever it is on call itself (later layers win), the way
 *    PagerDuty stacks layers; only the layer underneath is reported.
 * 5. Overrides replace the covered part of a shift, later overrides over earlier ones; an
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
  /** A gap where the layer is not on call at all (before its first handoff, outside its restrictions), which a layer underneath shows through. */
  uncovered?: boolean;
}

/** A restriction window: every day (weekday -1) or every week, from one wall-clock time to the next `to`. */
interface CompiledRestriction {
  fromWeekday: number;
  fromMinutes: number;
  toWeekday: number;
  toMinutes: number;
}

export interface CompiledLayer {
  name: string;
  kind: 'rotation' | 'holiday';
  path: ConfigPath;
  participants: readonly string[];
  zone: string;
  anchorDay: number;
  periodDays: number;
  /** Set for `{ hours: N }` layers: shifts are this many milliseconds of elapsed time from the first handoff. */
  periodMs?: number;
  handoffMinutes: number;
  restrictions: CompiledRestriction[];
  /** `from` / `until`: outside [coverFrom, coverUntil) the layer is an uncovered gap. */
  coverFrom: number;
  coverUntil: number;
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
  /** The rotations that are reported (those not `over` another layer), in config order. */
  rotations: CompiledLayer[];
  /** Layers stacked `over` each rotation, by the rotation's name, lowest first. */
  stacked: Map<string, CompiledLayer[]>;
  holidays: CompiledLayer[];
  overrides: CompiledOverride[];
  /** Merged ranges during which the holiday layers replace the rotations. */
  holidayPeriods: Interval[];
}

const compiled = new WeakMap<ScheduleConfig, CompiledSchedule>();

export function compileSchedule(schedule: ScheduleConfig): CompiledSchedule {
  const cached = compiled.get(schedule);
  if (cached) return cached;

  const allRotations = schedule.layers.map((layer, index): CompiledLayer & { over: string | undefined } => {
    const zone = layer.timezone ?? schedule.timezone;
    let anchorDay = dayNumberOfDate(layer.start);
    if (layer.handoff.weekday) {
      const wanted = WEEKDAYS.indexOf(layer.handoff.weekday);
      anchorDay += (wanted - weekdayIndexOfDayNumber(anchorDay) + 7) % 7;
    }
    const { length } = layer;
    return {
      name: layer.name,
      kind: 'rotation',
      path: ['layers', index],
      participants: layer.participants,
      zone,
      anchorDay,
      periodDays: 'weeks' in length ? length.weeks * 7 : 'days' in length ? length.days : 0,
      ...('hours' in length ? { periodMs: length.hours * 3_600_000 } : {}),
      handoffMinutes: minutesOfTime(layer.handoff.time),
      restrictions: (layer.restrictions ?? []).map(compileRestriction),
      coverFrom: layer.from === undefined ? Number.NEGATIVE_INFINITY : DateTime.fromISO(layer.from, { zone }).toMillis(),
      coverUntil: layer.until === undefined ? Number.POSITIVE_INFINITY : DateTime.fromISO(layer.until, { zone }).toMillis(),
      activeFrom: Number.NEGATIVE_INFINITY,
      activeTo: Number.POSITIVE_INFINITY,
      over: layer.over,
    };
  });
  const rotations = allRotations.filter((layer) => layer.over === undefined);
  const stacked = new Map<string, CompiledLayer[]>();
  for (const layer of allRotations) {
    if (layer.over !== undefined) stacked.set(layer.over, [...(stacked.get(layer.over) ?? []), layer]);
  }

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
      restrictions: [],
      coverFrom: Number.NEGATIVE_INFINITY,
      coverUntil: Number.POSITIVE_INFINITY,
      activeFrom: instantAt(anchorDay, handoffMinutes, zone),
      activeTo: instantAt(dayNumberOfDate(holiday.to), handoffMinutes, zone),
    };
  });

  const zoneOfLayer = new Map([...allRotations, ...holidays].map((layer) => [layer.name, layer.zone]));
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
    stacked,
    holidays,
    overrides,
    holidayPeriods: mergeIntervals(holidays.map((holiday) => ({ start: holiday.activeFrom, end: holiday.activeTo }))),
  };
  compiled.set(schedule, result);
  return result;
}

function compileRestriction(restriction: Restriction): CompiledRestriction {
  const read = (text: string) => {
    const [first, second] = text.split(' ') as [string, string | undefined];
    return second === undefined ? { weekday: -1, minutes: minutesOfTime(first) } : { weekday: WEEKDAYS.indexOf(first as Weekday), minutes: minutesOfTime(second) };
  };
  const from = read(restriction.from);
  const to = read(restriction.to);
  return { fromWeekday: from.weekday, fromMinutes: from.minutes, toWeekday: to.weekday, toMinutes: to.minutes };
}

/** Start of the k-th shift of a layer (k may be any integer; luxon resolves DST gaps). */
function handoffAt(layer: CompiledLayer, k: number): number {
  if (layer.periodMs !== undefined) return instantAt(layer.anchorDay, layer.handoffMinutes, layer.zone) + k * layer.periodMs;
  return instantAt(layer.anchorDay + k * layer.periodDays, layer.handoffMinutes, layer.zone);
}

/** Index of the shift containing `instant`, or -1 before the first handoff. */
function shiftIndexAt(layer: CompiledLayer, instant: number): number {
  const first = handoffAt(layer, 0);
  if (instant < first) return -1;
  if (layer.periodMs !== undefined) return Math.floor((instant - first) / layer.periodMs);
  const { dayNumber } = wallClockAt(instant, layer.zone);
  let k = Math.floor((dayNumber - layer.anchorDay) / layer.periodDays);
  while (k > 0 && handoffAt(layer, k) > instant) k -= 1;
  while (handoffAt(layer, k + 1) <= instant) k += 1;
  return k;
}

/** The times a layer can be on call at all: rotations outside holiday periods, holiday layers inside their range. */
function activeIntervals(schedule: CompiledSchedule, layer: CompiledLayer): Interval[] {
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
    segments.push({ layer: layer.name, login: null, start: UNBOUNDED_PAST, end: handoffAt(layer, 0), source: 'rotation', origin: [...layer.path, 'start'], uncovered: true });
    k = 0;
  }
  for (; handoffAt(layer, k) < upper; k += 1) segments.push(slot(k));
  return segments;
}

const DAY_MS = 86_400_000;
/** Restriction windows repeat at least weekly, so a window or a gap between windows never spans more than this. */
const WINDOW_REACH = 8 * DAY_MS;

/** Windows by layer, restriction and day: whoIsOnCall asks about the same days again and again. */
const windowCache = new WeakMap<CompiledRestriction, Map<number, Interval>>();

/** The window of one restriction that opens on `day` (days of the week it does not open on are skipped by the caller). */
function windowOn(layer: CompiledLayer, restriction: CompiledRestriction, day: number): Interval {
  let cache = windowCache.get(restriction);
  if (!cache) windowCache.set(restriction, (cache = new Map()));
  const cached = cache.get(day);
  if (cached) return cached;
  let span = restriction.toMinutes <= restriction.fromMinutes ? 1 : 0;
  if (restriction.fromWeekday >= 0) {
    span = (restriction.toWeekday - restriction.fromWeekday + 7) % 7;
    if (span === 0 && restriction.toMinutes <= restriction.fromMinutes) span = 7;
  }
  const window = { start: instantAt(day, restriction.fromMinutes, layer.zone), end: instantAt(day + span, restriction.toMinutes, layer.zone) };
  cache.set(day, window);
  return window;
}

/** The windows of a layer's restrictions that overlap [lo, hi), merged. */
function restrictionWindows(layer: CompiledLayer, lo: number, hi: number): Interval[] {
  const windows: Interval[] = [];
  // A window lasts at most a week, so one overlapping `lo` opened at most eight calendar days before it.
  const first = wallClockAt(lo, layer.zone).dayNumber - 8;
  const last = wallClockAt(hi, layer.zone).dayNumber + 1;
  for (const restriction of layer.restrictions) {
    for (let day = first; day <= last; day += 1) {
      if (restriction.fromWeekday >= 0 && weekdayIndexOfDayNumber(day) !== restriction.fromWeekday) continue;
      const window = windowOn(layer, restriction, day);
      if (window.end > lo && window.start < hi) windows.push({ ...window });
    }
  }
  return mergeIntervals(windows);
}

/** When the layer can be on call at all around [from, to): inside its restriction windows and [from, until). */
function coverage(layer: CompiledLayer, from: number, to: number): Interval[] {
  const bounds = { start: layer.coverFrom, end: layer.coverUntil };
  if (layer.restrictions.length === 0) return bounds.start < bounds.end ? [bounds] : [];
  const lo = from - WINDOW_REACH;
  const hi = to + WINDOW_REACH;
  // A window running into the edge of the computed range goes on beyond it (restrictions covering the whole week).
  const windows = restrictionWindows(layer, lo, hi).map((window) => ({
    start: window.start <= lo ? Number.NEGATIVE_INFINITY : window.start,
    end: window.end >= hi ? Number.POSITIVE_INFINITY : window.end,
  }));
  return intersectIntervals(windows, [bounds]);
}

/** A layer's rotation shifts with the time outside its coverage turned into uncovered gaps. */
function coveredSegments(layer: CompiledLayer, from: number, to: number): Segment[] {
  const segments = baseSegments(layer, from, to);
  if (layer.restrictions.length === 0 && layer.coverFrom === Number.NEGATIVE_INFINITY && layer.coverUntil === Number.POSITIVE_INFINITY) return segments;
  const covered = coverage(layer, from, to);
  return segments.flatMap((segment) => {
    const inside = intersectIntervals(covered, [segment]);
    const outside = subtractIntervals([segment], inside);
    const gaps = outside.map((piece): Segment => {
      const reason = piece.end <= layer.coverFrom ? 'from' : piece.start >= layer.coverUntil ? 'until' : 'restrictions';
      return { layer: segment.layer, login: null, start: piece.start, end: piece.end, source: segment.source, origin: [...layer.path, reason], uncovered: true };
    });
    return [...inside.map((piece) => ({ ...segment, start: piece.start, end: piece.end })), ...gaps].sort((a, b) => a.start - b.start);
  });
}

/** Replaces [interval) of the timeline with what `make` builds from each segment underneath. */
function splice(segments: Segment[], interval: Interval, make: (under: Segment, start: number, end: number) => Segment): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    if (segment.end <= interval.start || segment.start >= interval.end) {
      out.push(segment);
      continue;
    }
    if (segment.start < interval.start) out.push({ ...segment, end: interval.start });
    out.push(make(segment, Math.max(segment.start, interval.start), Math.min(segment.end, interval.end)));
    if (segment.end > interval.end) out.push({ ...segment, start: interval.end });
  }
  return out;
}

function replaceWith(segments: Segment[], interval: Interval, override: CompiledOverride): Segment[] {
  return splice(segments, interval, (segment, start, end) => ({
    layer: segment.layer,
    login: override.who === NO_ONE ? null : override.who,
    start,
    end,
    source: 'override',
    replaces: segment.source === 'override' ? (segment.replaces ?? null) : segment.login,
    origin: ['overrides', override.index],
  }));
}

/** One layer's covered segments cut to the times it can be on call (holidays), without overrides. */
function activeSegments(schedule: CompiledSchedule, layer: CompiledLayer, from: number, to: number): Segment[] {
  const active = activeIntervals(schedule, layer);
  return coveredSegments(layer, from, to).flatMap((segment) =>
    intersectIntervals(active, [segment]).map((piece) => ({ ...segment, start: piece.start, end: piece.end })),
  );
}

/**
 * Effective segments of one layer overlapping [from, to), whole (not clipped to the window), in
 * time order. Together they cover exactly the layer's active time inside the window.
 */
export function layerTimeline(schedule: CompiledSchedule, layer: CompiledLayer, from: number, to: number): Segment[] {
  let segments = activeSegments(schedule, layer, from, to);
  const uppers = schedule.stacked.get(layer.name) ?? [];
  for (const upper of uppers) {
    for (const piece of activeSegments(schedule, upper, from, to)) {
      if (piece.uncovered) continue;
      segments = splice(segments, piece, (_, start, end) => ({ ...piece, layer: layer.name, start, end }));
    }
  }
  // A shift of an upper layer laid over several pieces underneath is still one shift.
  if (uppers.length > 0) segments = mergeAdjacent(segments);
  for (const override of schedule.overrides) {
    for (const interval of overrideIntervals(schedule, layer, override)) segments = replaceWith(segments, interval, override);
  }
  return segments.filter((segment) => segment.end > from && segment.start < to);
}

function sameStretch(a: Segment, b: Segment): boolean {
  return a.end === b.start && a.login === b.login && a.source === b.source && Boolean(a.uncovered) === Boolean(b.uncovered) && a.origin.join('.') === b.origin.join('.');
}

function mergeAdjacent(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    const last = out[out.length - 1];
    if (last && sameStretch(last, segment)) out[out.length - 1] = { ...last, end: segment.end };
    else out.push(segment);
  }
  return out;
}

/** The layers on call at an instant: the holiday layers running then, or else every rotation. */
export function layersOnCallAt(schedule: CompiledSchedule, instant: number): CompiledLayer[] {
  const inHoliday = schedule.holidayPeriods.some((period) => period.start <= instant && instant < period.end);
  return inHoliday ? schedule.holidays.filter((holiday) => holiday.activeFrom <= instant && instant < holiday.activeTo) : schedule.rotations;
}

function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => interval.start < interval.end).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
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

function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
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
