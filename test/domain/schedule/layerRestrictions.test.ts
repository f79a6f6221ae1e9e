import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { scheduleConfigSchema, type ScheduleConfigInput } from '../../../src/domain/schedule/scheduleConfig.ts';
import { scheduleWarnings } from '../../../src/domain/schedule/scheduleWarnings.ts';
import { shiftsBetween } from '../../../src/domain/schedule/shifts.ts';
import { whoIsOnCall } from '../../../src/domain/schedule/whoIsOnCall.ts';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

function schedule(input: ScheduleConfigInput) {
  return scheduleConfigSchema.parse(input);
}

function at(text: string, zone: string): Date {
  return DateTime.fromISO(text, { zone }).toJSDate();
}

function show(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("ccc dd HH:mm ZZZZ");
}

/** Every stretch of one layer between two local times, as a person reads it. */
function table(config: ReturnType<typeof schedule>, from: string, to: string, zone: string): string[] {
  return shiftsBetween(config, at(from, zone), at(to, zone)).map(
    (entry) => `${entry.layer} ${entry.login ?? '(gap)'} ${show(entry.shift.start, zone)} → ${show(entry.shift.end, zone)}`,
  );
}

describe('layers of { hours: N }', () => {
  it('count elapsed hours across the spring-forward night, so the wall-clock handoff moves by the hour lost', () => {
    const config = schedule({
      timezone: BERLIN,
      layers: [{ name: 'half-days', participants: ['alice', 'bob'], length: { hours: 12 }, handoff: { time: '20:00' }, start: '2026-03-27' }],
    });
    expect(table(config, '2026-03-28T12:00', '2026-03-30T00:00', BERLIN)).toEqual([
      'half-days bob Sat 28 08:00 GMT+1 → Sat 28 20:00 GMT+1',
      'half-days alice Sat 28 20:00 GMT+1 → Sun 29 09:00 GMT+2',
      'half-days bob Sun 29 09:00 GMT+2 → Sun 29 21:00 GMT+2',
      'half-days alice Sun 29 21:00 GMT+2 → Mon 30 09:00 GMT+2',
    ]);
  });
});

describe('restrictions', () => {
  it('keep a daily window at its wall-clock times on the day clocks spring forward (New York, 8 March 2026)', () => {
    const config = schedule({
      timezone: NEW_YORK,
      layers: [{ name: 'days', participants: ['alice', 'bob'], length: { days: 1 }, handoff: { time: '00:00' }, start: '2026-03-01', restrictions: [{ from: '08:00', to: '17:00' }] }],
    });
    expect(table(config, '2026-03-07T12:00', '2026-03-09T00:00', NEW_YORK)).toEqual([
      'days alice Sat 07 08:00 EST → Sat 07 17:00 EST',
      'days (gap) Sat 07 17:00 EST → Sun 08 00:00 EST',
      'days (gap) Sun 08 00:00 EST → Sun 08 08:00 EDT',
      'days bob Sun 08 08:00 EDT → Sun 08 17:00 EDT',
      'days (gap) Sun 08 17:00 EDT → Mon 09 00:00 EDT',
    ]);
  });

  it('end a night window crossing midnight at the next wall-clock `to`, 14 hours on the spring-forward night (Berlin)', () => {
    const config = schedule({
      timezone: BERLIN,
      layers: [{ name: 'nights', participants: ['alice'], length: { weeks: 1 }, handoff: { time: '17:00' }, start: '2026-03-23', restrictions: [{ from: '17:00', to: '08:00' }] }],
    });
    const nights = shiftsBetween(config, at('2026-03-28T12:00', BERLIN), at('2026-03-29T12:00', BERLIN)).filter((entry) => entry.login);
    expect(nights.map((entry) => `${show(entry.shift.start, BERLIN)} → ${show(entry.shift.end, BERLIN)}`)).toEqual(['Sat 28 17:00 GMT+1 → Sun 29 08:00 GMT+2']);
    expect((nights[0]?.shift.end.getTime() ?? 0) - (nights[0]?.shift.start.getTime() ?? 0)).toBe(14 * 3_600_000);
  });

  it('run weekly windows from one weekday and time to the next (Friday 17:00 → Monday 08:00 over the fall-back weekend)', () => {
    const config = schedule({
      timezone: BERLIN,
      layers: [{ name: 'weekend', participants: ['carol'], handoff: { time: '09:00' }, start: '2026-10-19', restrictions: [{ from: 'friday 17:00', to: 'monday 08:00' }] }],
    });
    expect(whoIsOnCall(config, at('2026-10-23T16:59', BERLIN)).layers.map((entry) => entry.login)).toEqual([null]);
    const [weekend] = whoIsOnCall(config, at('2026-10-25T12:00', BERLIN)).layers;
    expect(weekend?.login).toBe('carol');
    expect(`${show(weekend!.shift.start, BERLIN)} → ${show(weekend!.shift.end, BERLIN)}`).toBe('Fri 23 17:00 GMT+2 → Mon 26 08:00 GMT+1');
  });

  it('are off duty by design: validate-config warns about no gap outside them', () => {
    const config = schedule({
      timezone: BERLIN,
      layers: [{ name: 'days', participants: ['alice'], handoff: { time: '09:00' }, start: '2026-01-05', restrictions: [{ from: '09:00', to: '17:00' }] }],
    });
    expect(scheduleWarnings(config, { from: at('2026-02-01T00:00', BERLIN), to: at('2026-03-01T00:00', BERLIN) })).toEqual([]);
  });
});

describe('layers over another layer', () => {
  const config = schedule({
    timezone: NEW_YORK,
    layers: [
      { name: 'primary', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '09:00' }, start: '2026-10-26' },
      { name: 'primary-weekend', over: 'primary', participants: ['carol', 'dave'], handoff: { weekday: 'friday', time: '18:00' }, start: '2026-10-30', restrictions: [{ from: 'friday 18:00', to: 'monday 09:00' }] },
    ],
    overrides: [{ who: 'erin', from: '2026-11-01T10:00', to: '2026-11-01T12:00', layer: 'primary' }],
  });

  it('replace it where they are on call, show it through elsewhere, and are reported under its name', () => {
    expect(table(config, '2026-10-30T12:00', '2026-11-03T00:00', NEW_YORK)).toEqual([
      'primary alice Mon 26 09:00 EDT → Fri 30 18:00 EDT',
      'primary carol Fri 30 18:00 EDT → Sun 01 10:00 EST',
      'primary erin Sun 01 10:00 EST → Sun 01 12:00 EST',
      'primary carol Sun 01 12:00 EST → Mon 02 09:00 EST',
      'primary bob Mon 02 09:00 EST → Mon 09 09:00 EST',
    ]);
  });

  it('cannot be overridden by name, sit on a missing layer or on a stacked one', () => {
    const result = scheduleConfigSchema.safeParse({
      layers: [
        { name: 'a', participants: ['alice'], handoff: { time: '09:00' }, start: '2026-01-05' },
        { name: 'b', over: 'a', participants: ['bob'], handoff: { time: '09:00' }, start: '2026-01-05' },
        { name: 'c', over: 'b', participants: ['bob'], handoff: { time: '09:00' }, start: '2026-01-05' },
        { name: 'd', over: 'nope', participants: ['bob'], handoff: { time: '09:00' }, start: '2026-01-05' },
      ],
      overrides: [{ who: 'carol', from: '2026-01-06T09:00', to: '2026-01-06T10:00', layer: 'b' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['layers.2.over', 'layer "b" sits on "a" itself; name "a" instead'],
      ['layers.3.over', 'layer "nope" does not exist among the rotations (known: a)'],
      ['overrides.0', 'layer "b" sits on "a", which is the layer shown; override "a" instead'],
    ]);
  });
});

describe('from and until', () => {
  it('make the layer a gap before `from` and from `until` on, mid-shift', () => {
    const config = schedule({
      timezone: BERLIN,
      layers: [{ name: 'rot', participants: ['alice', 'bob'], length: { days: 1 }, handoff: { time: '09:00' }, start: '2026-03-01', from: '2026-03-28T12:00', until: '2026-03-30T12:00' }],
    });
    expect(table(config, '2026-03-28T00:00', '2026-03-31T00:00', BERLIN)).toEqual([
      'rot (gap) Fri 27 09:00 GMT+1 → Sat 28 09:00 GMT+1',
      'rot (gap) Sat 28 09:00 GMT+1 → Sat 28 12:00 GMT+1',
      'rot bob Sat 28 12:00 GMT+1 → Sun 29 09:00 GMT+2',
      'rot alice Sun 29 09:00 GMT+2 → Mon 30 09:00 GMT+2',
      'rot bob Mon 30 09:00 GMT+2 → Mon 30 12:00 GMT+2',
      'rot (gap) Mon 30 12:00 GMT+2 → Tue 31 09:00 GMT+2',
    ]);
  });
});
