import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { scheduleConfigSchema, type ScheduleConfigInput } from '../../../src/domain/schedule/scheduleConfig.ts';
import { shiftsBetween } from '../../../src/domain/schedule/shifts.ts';
import { WEEKDAYS } from '../../../src/domain/schedule/wallClock.ts';
import { whoIsOnCall } from '../../../src/domain/schedule/whoIsOnCall.ts';
import { safeTime, zone } from './scheduleArbitraries.ts';

type LayerInput = NonNullable<ScheduleConfigInput['layers']>[number];

const DAY = 86_400_000;
const SPAN_START = Date.UTC(2026, 0, 1);

/** Restriction windows on times clear of the clock changes (they all happen between 00:00 and 04:00). */
const restriction = fc.oneof(
  fc.record({ from: safeTime, to: safeTime }),
  fc.record({ fromDay: fc.constantFrom(...WEEKDAYS), from: safeTime, toDay: fc.constantFrom(...WEEKDAYS), to: safeTime }).map(({ fromDay, from, toDay, to }) => ({ from: `${fromDay} ${from}`, to: `${toDay} ${to}` })),
);

const layer = (name: string, people: readonly string[]) =>
  fc.record(
    {
      name: fc.constant(name),
      participants: fc.array(fc.constantFrom(...people), { minLength: 1, maxLength: 3 }),
      length: fc.oneof(fc.record({ days: fc.integer({ min: 1, max: 9 }) }), fc.record({ weeks: fc.integer({ min: 1, max: 2 }) }), fc.record({ hours: fc.integer({ min: 1, max: 40 }) })),
      handoff: fc.record({ time: safeTime }),
      timezone: zone,
      start: fc.integer({ min: 0, max: 300 }).map((day) => new Date(SPAN_START + day * DAY).toISOString().slice(0, 10)),
      restrictions: fc.array(restriction, { maxLength: 2 }),
      until: fc.option(fc.integer({ min: 30, max: 700 }).map((day) => new Date(SPAN_START + day * DAY).toISOString().slice(0, 10)), { nil: undefined }),
    },
    { requiredKeys: ['name', 'participants', 'length', 'handoff', 'start', 'restrictions'] },
  );

/** A base layer and up to two layers over it (people only, so where they are on call they always name someone). */
const stack = fc.tuple(layer('base', ['alice', 'bob', 'no-one']), fc.array(layer('upper', ['carol', 'dave']), { maxLength: 2 })).map(([base, uppers]) => ({
  base: base as LayerInput,
  uppers: uppers.map((upper, index) => ({ ...upper, name: `upper-${index}` }) as LayerInput),
}));

const instant = fc.integer({ min: SPAN_START, max: SPAN_START + 720 * DAY });

function config(layers: LayerInput[]) {
  return scheduleConfigSchema.parse({ timezone: 'UTC', layers });
}

function loginAt(schedule: ReturnType<typeof config>, at: number, name: string): string | null {
  const entry = whoIsOnCall(schedule, new Date(at)).layers.find((candidate) => candidate.layer === name);
  if (!entry) throw new Error(`no entry for ${name}`);
  expect(entry.shift.start.getTime()).toBeLessThanOrEqual(at);
  expect(entry.shift.end.getTime()).toBeGreaterThan(at);
  return entry.login;
}

/** Read on the wall clock: is `at` inside one of the layer's windows? (An oracle apart from the engine.) */
function insideWindows(input: LayerInput, at: number): boolean {
  const restrictions = input.restrictions ?? [];
  if (restrictions.length === 0) return true;
  const local = DateTime.fromMillis(at, { zone: input.timezone as string });
  const week = (local.weekday - 1) * 1440 + local.hour * 60 + local.minute;
  const minutes = (text: string) => {
    const [first, second] = text.split(' ') as [string, string | undefined];
    const [hours, mins] = (second ?? first).split(':').map(Number) as [number, number];
    return { day: second === undefined ? -1 : WEEKDAYS.indexOf(first as (typeof WEEKDAYS)[number]), clock: hours * 60 + mins };
  };
  return restrictions.some((window) => {
    const from = minutes(window.from);
    const to = minutes(window.to);
    if (from.day < 0) {
      const now = week % 1440;
      return to.clock > from.clock ? now >= from.clock && now < to.clock : now >= from.clock || now < to.clock;
    }
    const start = from.day * 1440 + from.clock;
    const end = to.day * 1440 + to.clock;
    return end > start ? week >= start && week < end : week >= start || week < end;
  });
}

describe('layer restrictions, hours, until and stacking (random layers in several zones)', () => {
  it('someone is on call only inside the restriction windows, and the layer answers at every instant', () => {
    fc.assert(
      fc.property(layer('rot', ['alice', 'bob']), fc.array(instant, { minLength: 10, maxLength: 10 }), (input, instants) => {
        const schedule = config([input as LayerInput]);
        for (const at of instants) {
          const login = loginAt(schedule, at, 'rot');
          if (login !== null) expect({ at: new Date(at).toISOString(), inside: insideWindows(input as LayerInput, at) }).toEqual({ at: new Date(at).toISOString(), inside: true });
        }
      }),
      { numRuns: 80, seed: 20_261_025 },
    );
  });

  it('a layer over another shows the upper layer wherever it is on call alone, and the layer underneath elsewhere', () => {
    fc.assert(
      fc.property(stack, fc.array(instant, { minLength: 8, maxLength: 8 }), ({ base, uppers }, instants) => {
        const stacked = config([base, ...uppers.map((upper) => ({ ...upper, over: 'base' }))]);
        const alone = config([base, ...uppers]);
        for (const at of instants) {
          const upperLogins = uppers.map((upper) => loginAt(alone, at, upper.name as string)).filter((login): login is string => login !== null);
          const expected = upperLogins.length > 0 ? upperLogins[upperLogins.length - 1] : loginAt(alone, at, 'base');
          expect({ at: new Date(at).toISOString(), login: loginAt(stacked, at, 'base') }).toEqual({ at: new Date(at).toISOString(), login: expected });
        }
        expect(whoIsOnCall(stacked, new Date(instants[0] as number)).layers.map((entry) => entry.layer)).toEqual(['base']);
      }),
      { numRuns: 50, seed: 20_260_308 },
    );
  });

  it("shifts tile the stacked layer's time with no overlap and no hole, and agree with whoIsOnCall", () => {
    fc.assert(
      fc.property(stack, instant, fc.integer({ min: 1, max: 20 }), ({ base, uppers }, from, days) => {
        const schedule = config([base, ...uppers.map((upper) => ({ ...upper, over: 'base' }))]);
        const to = from + days * DAY;
        const entries = shiftsBetween(schedule, new Date(from), new Date(to));
        expect(entries[0]?.shift.start.getTime()).toBeLessThanOrEqual(from);
        expect(entries[entries.length - 1]?.shift.end.getTime()).toBeGreaterThanOrEqual(to);
        entries.slice(1).forEach((entry, index) => expect(entry.shift.start.getTime()).toBe(entries[index]?.shift.end.getTime()));
        for (const entry of entries) {
          const middle = Math.max(from, entry.shift.start.getTime()) + 1;
          if (middle < Math.min(to, entry.shift.end.getTime())) expect(loginAt(schedule, middle, 'base')).toBe(entry.login);
        }
      }),
      { numRuns: 80, seed: 20_261_101 },
    );
  });
});

