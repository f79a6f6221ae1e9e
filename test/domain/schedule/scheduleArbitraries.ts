import fc from 'fast-check';
import { DateTime } from 'luxon';
import { scheduleConfigSchema, type ScheduleConfig, type ScheduleConfigInput } from '../../../src/domain/schedule/scheduleConfig.ts';
import { WEEKDAYS } from '../../../src/domain/schedule/wallClock.ts';

export const ZONES = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'] as const;

const SPAN_START = Date.UTC(2025, 0, 1);
const SPAN_END = Date.UTC(2029, 0, 1);
const DAY = 86_400_000;

const participant = fc.constantFrom('alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'no-one');
export const zone = fc.constantFrom(...ZONES);
export const instant = fc.integer({ min: SPAN_START, max: SPAN_END });

const pad = (value: number): string => String(value).padStart(2, '0');
const date = (min: number, max: number) => fc.integer({ min: min / DAY, max: max / DAY }).map((day) => new Date(day * DAY).toISOString().slice(0, 10));
/** Handoff times clear of every DST transition hour in ZONES (they all change between 01:00 and 04:00). */
export const safeTime = fc.tuple(fc.integer({ min: 4, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([hour, minute]) => `${pad(hour)}:${pad(minute)}`);
const anyTime = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30, 59)).map(([hour, minute]) => `${pad(hour)}:${pad(minute)}`);

const layer = (name: string, time = anyTime) =>
  fc.record(
    {
      name: fc.constant(name),
      participants: fc.array(participant, { minLength: 1, maxLength: 5 }),
      length: fc.oneof(fc.record({ weeks: fc.integer({ min: 1, max: 2 }) }), fc.record({ days: fc.integer({ min: 1, max: 10 }) })),
      handoff: fc.record({ weekday: fc.constantFrom(...WEEKDAYS), time }, { requiredKeys: ['time'] }),
      timezone: zone,
      start: date(SPAN_START - 60 * DAY, SPAN_START + 400 * DAY),
    },
    { requiredKeys: ['name', 'participants', 'length', 'handoff', 'start'] },
  );

const holiday = (name: string) =>
  fc.record({
    name: fc.constant(name),
    year: fc.integer({ min: 2025, max: 2027 }),
    fromDay: fc.integer({ min: 20, max: 23 }),
    toDay: fc.integer({ min: 2, max: 4 }),
    shiftDays: fc.integer({ min: 1, max: 3 }),
    handoffTime: anyTime,
    participants: fc.array(participant, { minLength: 1, maxLength: 4 }),
  }).map(({ year, fromDay, toDay, ...rest }) => ({ ...rest, from: `${year}-12-${fromDay}`, to: `${year + 1}-01-${pad(toDay)}` }));

const override = (layers: readonly string[]) =>
  fc
    .record({
      who: participant,
      from: instant,
      hours: fc.integer({ min: 1, max: 24 * 10 }),
      layer: fc.option(fc.constantFrom(...layers), { nil: undefined }),
    })
    .map(({ who, from, hours, layer: target }) => ({
      who,
      from: new Date(from).toISOString(),
      to: new Date(from + hours * 3_600_000).toISOString(),
      ...(target ? { layer: target } : {}),
    }));

export interface Options {
  holidays?: boolean;
  overrides?: boolean;
  time?: fc.Arbitrary<string>;
}

/** Random schedules: 1–3 rotations in random zones, optionally holiday layers and overrides. */
export function scheduleArbitrary(options: Options = {}): fc.Arbitrary<ScheduleConfig> {
  return fc
    .record({
      timezone: zone,
      layers: fc.integer({ min: 1, max: 3 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => layer(`rot-${index}`, options.time)))),
      holidays: options.holidays ? fc.oneof(fc.constant([]), fc.tuple(holiday('holiday-a')), fc.tuple(holiday('holiday-a'), holiday('holiday-b'))) : fc.constant([]),
    })
    .chain((base) => {
      const names = [...base.layers.map((entry) => entry.name), ...base.holidays.map((entry) => entry.name)];
      const overrides = options.overrides ? fc.array(override(names), { maxLength: 4 }) : fc.constant([]);
      return overrides.map((list) => scheduleConfigSchema.parse({ ...base, holidays: [...base.holidays], overrides: [...list] } satisfies ScheduleConfigInput));
    });
}

/** Holiday ranges computed independently of the implementation, straight from the config. */
export function holidayRanges(schedule: ScheduleConfig): { name: string; start: number; end: number }[] {
  return schedule.holidays.map((entry) => {
    const zoneName = entry.timezone ?? schedule.timezone;
    return {
      name: entry.name,
      start: DateTime.fromISO(`${entry.from}T${entry.handoffTime}`, { zone: zoneName }).toMillis(),
      end: DateTime.fromISO(`${entry.to}T${entry.handoffTime}`, { zone: zoneName }).toMillis(),
    };
  });
}

/** Names of the layers that must answer at `at`: running holiday layers, else every rotation. */
export function expectedLayers(schedule: ScheduleConfig, at: number): string[] {
  const running = holidayRanges(schedule).filter((range) => range.start <= at && at < range.end);
  return running.length > 0 ? running.map((range) => range.name) : schedule.layers.map((entry) => entry.name);
}
