import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { scheduleConfigSchema, type ScheduleConfig } from '../../../src/domain/schedule/scheduleConfig.ts';
import { shiftsBetween } from '../../../src/domain/schedule/shifts.ts';
import { WEEKDAYS } from '../../../src/domain/schedule/wallClock.ts';
import { whoIsOnCall } from '../../../src/domain/schedule/whoIsOnCall.ts';
import { expectedLayers, holidayRanges, instant, safeTime, scheduleArbitrary, ZONES } from './scheduleArbitraries.ts';

const DAY = 86_400_000;
const RUNS = { numRuns: 150 };

function brief(schedule: ScheduleConfig, at: number) {
  return whoIsOnCall(schedule, new Date(at)).layers.map(({ layer, login, source }) => ({ layer, login, source }));
}

function mergeRanges(ranges: { start: number; end: number }[]) {
  const merged: { start: number; end: number }[] = [];
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

describe('schedule properties (random schedules, instants 2025–2028, zones ' + ZONES.join(', ') + ')', () => {
  it('every instant has exactly one entry per layer on call, a login or an explicit gap, whose shift contains it', () => {
    fc.assert(
      fc.property(scheduleArbitrary({ holidays: true, overrides: true }), instant, (schedule, at) => {
        const { layers } = whoIsOnCall(schedule, new Date(at));
        expect(layers.map((entry) => entry.layer)).toEqual(expectedLayers(schedule, at));
        for (const entry of layers) {
          expect(entry.login === null || typeof entry.login === 'string').toBe(true);
          expect(entry.login).not.toBe('no-one');
          expect(entry.shift.start.getTime()).toBeLessThanOrEqual(at);
          expect(entry.shift.end.getTime()).toBeGreaterThan(at);
        }
      }),
      RUNS,
    );
  });

  it('shifts tile each layer’s on-call time with no overlap and no hole, and agree with whoIsOnCall', () => {
    fc.assert(
      fc.property(scheduleArbitrary({ holidays: true, overrides: true }), instant, fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (schedule, from, days, probe) => {
        const to = from + days * DAY;
        const entries = shiftsBetween(schedule, new Date(from), new Date(to));
        const ranges = holidayRanges(schedule);
        const holidayPeriods = mergeRanges(ranges).filter((period) => period.end > from && period.start < to);
        const layerNames = [...schedule.layers.map((entry) => entry.name), ...schedule.holidays.map((entry) => entry.name)];
        for (const name of layerNames) {
          const own = entries.filter((entry) => entry.layer === name).map((entry) => ({ start: entry.shift.start.getTime(), end: entry.shift.end.getTime() }));
          const range = ranges.find((candidate) => candidate.name === name);
          // Regular layers are on call everywhere except holiday periods; holiday layers inside their range only.
          const pieces = range ? own : [...own, ...holidayPeriods];
          const lower = range ? Math.max(from, range.start) : from;
          const upper = range ? Math.min(to, range.end) : to;
          if (lower >= upper) {
            expect(own).toEqual([]);
            continue;
          }
          const sorted = pieces.sort((a, b) => a.start - b.start);
          expect(sorted[0]!.start).toBeLessThanOrEqual(lower);
          expect(sorted[sorted.length - 1]!.end).toBeGreaterThanOrEqual(upper);
          for (let index = 1; index < sorted.length; index++) expect(sorted[index]!.start).toBe(sorted[index - 1]!.end);
          for (const piece of own) expect(piece.end).toBeGreaterThan(piece.start);
          if (range) for (const piece of own) expect(piece.start >= range.start && piece.end <= range.end).toBe(true);
        }
        const at = Math.min(to - 1, from + Math.floor(probe * (to - from)));
        const containing = entries.filter((entry) => entry.shift.start.getTime() <= at && at < entry.shift.end.getTime());
        const rank = (entry: { layer: string }) => layerNames.indexOf(entry.layer);
        expect(whoIsOnCall(schedule, new Date(at)).layers).toEqual(containing.sort((a, b) => rank(a) - rank(b)));
      }),
      { numRuns: 100 },
    );
  });

  it('an override wins within its range only, on its layer only', () => {
    fc.assert(
      fc.property(
        scheduleArbitrary({ holidays: true }),
        instant,
        fc.integer({ min: 1, max: 240 }),
        fc.constantFrom('zoe', 'no-one'),
        fc.nat(),
        fc.integer({ min: -48, max: 288 }),
        (base, from, hours, who, pick, probeHours) => {
          const target = base.layers[pick % base.layers.length]!.name;
          const to = from + hours * 3_600_000;
          const withOverride = scheduleConfigSchema.parse({ ...base, overrides: [{ who, from: new Date(from).toISOString(), to: new Date(to).toISOString(), layer: target }] });
          const at = from + probeHours * 3_600_000 + 1_234;
          const before = brief(base, at);
          const after = brief(withOverride, at);
          const onCall = before.some((entry) => entry.layer === target);
          if (at >= from && at < to && onCall) {
            expect(after).toEqual(before.map((entry) => (entry.layer === target ? { layer: target, login: who === 'no-one' ? null : who, source: 'override' } : entry)));
            const overridden = whoIsOnCall(withOverride, new Date(at)).layers.find((entry) => entry.layer === target)!;
            expect(overridden.replaces).toBe(before.find((entry) => entry.layer === target)!.login);
          } else {
            expect(after).toEqual(before);
          }
        },
      ),
      RUNS,
    );
  });

  it('the holiday layers replace the regular layers inside their range and not outside', () => {
    fc.assert(
      fc.property(scheduleArbitrary({ holidays: true }), instant, fc.integer({ min: -72, max: 72 }), fc.boolean(), (schedule, randomAt, nearHours, nearBoundary) => {
        fc.pre(schedule.holidays.length > 0);
        const ranges = holidayRanges(schedule);
        // Half the probes land within three days of a holiday boundary, where mistakes would show.
        const boundary = nearBoundary ? ranges[0]!.start : ranges[0]!.end;
        const at = nearHours % 2 === 0 ? randomAt : boundary + nearHours * 3_600_000 + (nearHours > 0 ? 0 : -1);
        const withoutHolidays = scheduleConfigSchema.parse({ ...schedule, holidays: [] });
        const inside = ranges.some((range) => range.start <= at && at < range.end);
        const answer = whoIsOnCall(schedule, new Date(at)).layers;
        if (inside) {
          expect(answer.every((entry) => entry.source === 'holiday')).toBe(true);
          expect(answer.map((entry) => entry.layer)).toEqual(ranges.filter((range) => range.start <= at && at < range.end).map((range) => range.name));
        } else {
          expect(brief(schedule, at)).toEqual(brief(withoutHolidays, at));
        }
      }),
      RUNS,
    );
  });

  it('weekly rotations hand off at the configured local weekday and time in every zone, across DST', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...WEEKDAYS),
        safeTime,
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: Date.UTC(2025, 6, 1), max: Date.UTC(2028, 0, 1) }),
        (zone, weekday, time, weeks, from) => {
          const schedule = scheduleConfigSchema.parse({
            timezone: zone,
            layers: [{ name: 'weekly', participants: ['alice', 'bob', 'carol'], length: { weeks }, handoff: { weekday, time }, start: '2025-01-01' }],
          });
          const entries = shiftsBetween(schedule, new Date(from), new Date(from + 240 * DAY));
          expect(entries.length).toBeGreaterThan(10);
          let previousDay: DateTime | undefined;
          for (const entry of entries) {
            const start = DateTime.fromJSDate(entry.shift.start, { zone });
            expect(start.toFormat('cccc HH:mm').toLowerCase()).toBe(`${weekday} ${time}`);
            if (previousDay) expect(start.startOf('day').diff(previousDay, 'days').days).toBe(7 * weeks);
            previousDay = start.startOf('day');
            const hours = (entry.shift.end.getTime() - entry.shift.start.getTime()) / 3_600_000;
            expect([weeks * 168 - 1, weeks * 168, weeks * 168 + 1]).toContain(hours);
          }
          // Participants take turns in order.
          const logins = entries.map((entry) => entry.login);
          for (let index = 3; index < logins.length; index++) expect(logins[index]).toBe(logins[index - 3]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([
    ['America/New_York', '2026-03-08', 'sunday', '2026-03-08T11:00:00-04:00'],
    ['America/New_York', '2026-11-01', 'sunday', '2026-11-01T11:00:00-05:00'],
    ['America/New_York', '2026-03-08', 'monday', '2026-03-09T11:00:00-04:00'],
    ['America/New_York', '2026-11-01', 'monday', '2026-11-02T11:00:00-05:00'],
    ['Europe/Berlin', '2026-03-29', 'sunday', '2026-03-29T11:00:00+02:00'],
    ['Europe/Berlin', '2026-10-25', 'sunday', '2026-10-25T11:00:00+01:00'],
    ['Europe/Berlin', '2026-03-29', 'monday', '2026-03-30T11:00:00+02:00'],
    ['Europe/Berlin', '2026-10-25', 'monday', '2026-10-26T11:00:00+01:00'],
  ] as const)('in %s the DST change of %s leaves the %s 11:00 handoff at %s', (zone, change, weekday, expected) => {
    const schedule = scheduleConfigSchema.parse({
      timezone: zone,
      layers: [{ name: 'weekly', participants: ['alice', 'bob'], handoff: { weekday, time: '11:00' }, start: '2026-01-01' }],
    });
    const changeDay = DateTime.fromISO(change, { zone });
    const handoffs = shiftsBetween(schedule, changeDay.minus({ days: 8 }).toJSDate(), changeDay.plus({ days: 8 }).toJSDate()).map((entry) => entry.shift.start);
    const firstAfterChange = handoffs.find((start) => start.getTime() >= changeDay.toMillis())!;
    expect(firstAfterChange.getTime()).toBe(DateTime.fromISO(expected).toMillis());
    // The shift before it spans the change and is an hour shorter or longer than a week.
    const before = shiftsBetween(schedule, new Date(firstAfterChange.getTime() - 1), firstAfterChange)[0]!;
    expect(Math.abs(before.shift.end.getTime() - before.shift.start.getTime() - 7 * DAY)).toBe(3_600_000);
  });
});
