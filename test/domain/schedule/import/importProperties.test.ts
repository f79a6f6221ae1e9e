import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { importPagerDuty } from '../../../../src/domain/schedule/import/importPagerDuty.ts';
import type { PagerDutyDump } from '../../../../src/domain/schedule/import/pagerDutyApi.ts';
import type { PeopleMap } from '../../../../src/domain/schedule/import/peopleMap.ts';
import { scheduleConfigSchema } from '../../../../src/domain/schedule/scheduleConfig.ts';
import { whoIsOnCall } from '../../../../src/domain/schedule/whoIsOnCall.ts';

/*
 * An independent reading of PagerDuty's documented layer semantics, written here without
 * firewatch's schedule code: the turn containing an instant is found by stepping the virtual start
 * forward on the wall clock (whole days) or in elapsed time (hours), and a daily restriction is
 * checked by reading the instant's local time. Imported layers must agree at every sampled instant.
 */
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'UTC'] as const;
const USERS = ['alice', 'bob', 'carol', 'dave'];
const people: PeopleMap = { logins: new Map(USERS.map((login) => [`${login}@example.com`, login])), teams: new Map() };

interface Layer {
  zone: string;
  virtualStart: DateTime;
  turn: { days: number } | { hours: number };
  users: string[];
  restriction?: { startMinutes: number; durationMinutes: number };
}

function turnAt(layer: Layer, instant: number): number {
  const start = (n: number) => ('days' in layer.turn ? layer.virtualStart.plus({ days: n * layer.turn.days }) : layer.virtualStart.plus({ milliseconds: n * layer.turn.hours * 3_600_000 })).toMillis();
  const turnMs = ('days' in layer.turn ? layer.turn.days * 24 : layer.turn.hours) * 3_600_000;
  // A first guess from elapsed time, then step to the turn whose start is the last one not after the instant.
  let k = Math.max(0, Math.floor((instant - layer.virtualStart.toMillis()) / turnMs));
  while (k > 0 && start(k) > instant) k -= 1;
  while (start(k + 1) <= instant) k += 1;
  return k;
}

function inRestriction(layer: Layer, instant: number): boolean {
  if (!layer.restriction) return true;
  const local = DateTime.fromMillis(instant, { zone: layer.zone });
  const { startMinutes, durationMinutes } = layer.restriction;
  // The window that began today or yesterday at the start time, ending at the wall-clock time start + duration.
  for (const daysBack of [0, 1]) {
    const day = local.minus({ days: daysBack }).startOf('day');
    const from = day.set({ hour: Math.floor(startMinutes / 60), minute: startMinutes % 60 });
    const endMinutes = startMinutes + durationMinutes;
    const to = day.plus({ days: Math.floor(endMinutes / 1440) }).set({ hour: Math.floor((endMinutes % 1440) / 60), minute: endMinutes % 60 });
    if (from.toMillis() <= instant && instant < to.toMillis()) return true;
  }
  return false;
}

function expectedAt(layer: Layer, instant: number): string | null {
  if (instant < layer.virtualStart.toMillis() || !inRestriction(layer, instant)) return null;
  return layer.users[turnAt(layer, instant) % layer.users.length] ?? null;
}

const pad = (value: number) => String(value).padStart(2, '0');

const layerArbitrary = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    // Spring and autumn of 2026, where the clock changes are.
    day: fc.integer({ min: 0, max: 40 }),
    season: fc.constantFrom('2026-03-01', '2026-09-28'),
    hour: fc.integer({ min: 0, max: 23 }),
    turn: fc.oneof(fc.record({ days: fc.integer({ min: 1, max: 14 }) }), fc.record({ hours: fc.integer({ min: 1, max: 36 }) })),
    users: fc.shuffledSubarray(USERS, { minLength: 1 }),
    restriction: fc.option(fc.record({ hour: fc.integer({ min: 4, max: 23 }), hours: fc.integer({ min: 1, max: 23 }) }), { nil: undefined }),
  })
  .map(({ zone, day, season, hour, turn, users, restriction }) => ({
    hour,
    layer: {
      zone,
      virtualStart: DateTime.fromISO(season, { zone }).plus({ days: day }).set({ hour }),
      turn,
      users,
      ...(restriction ? { restriction: { startMinutes: restriction.hour * 60, durationMinutes: restriction.hours * 60 } } : {}),
    } as Layer,
  }))
  // A virtual start inside a spring-forward gap is not a time PagerDuty would show.
  .filter(({ hour, layer }) => layer.virtualStart.hour === hour)
  .map(({ layer }) => layer);

function dumpOf(layer: Layer): PagerDutyDump {
  const iso = layer.virtualStart.toISO({ suppressMilliseconds: true }) as string;
  const seconds = 'days' in layer.turn ? layer.turn.days * 86_400 : layer.turn.hours * 3600;
  return {
    window: { since: '2026-01-01T00:00:00Z', until: '2027-01-01T00:00:00Z' },
    users: USERS.map((login) => ({ id: `P${login.toUpperCase()}`, name: login, email: `${login}@example.com` })),
    schedules: [
      {
        schedule: {
          id: 'PSCHED1',
          name: 'Primary',
          time_zone: layer.zone,
          schedule_layers: [
            {
              start: iso,
              rotation_virtual_start: iso,
              rotation_turn_length_seconds: seconds,
              users: layer.users.map((login) => ({ user: { id: `P${login.toUpperCase()}`, type: 'user_reference' } })),
              restrictions: layer.restriction
                ? [{ type: 'daily_restriction', start_time_of_day: `${pad(layer.restriction.startMinutes / 60)}:00:00`, duration_seconds: layer.restriction.durationMinutes * 60 }]
                : [],
            },
          ],
        },
        overrides: [],
      },
    ],
    v3Schedules: [],
    escalationPolicies: [],
  };
}

describe('importing a PagerDuty layer', () => {
  it('puts the same person on call as PagerDuty semantics say, at every instant sampled across clock changes', () => {
    fc.assert(
      fc.property(layerArbitrary, fc.array(fc.integer({ min: 0, max: 60 * 24 * 60 }), { minLength: 15, maxLength: 15 }), (layer, offsets) => {
        const result = importPagerDuty(dumpOf(layer), { people });
        expect(result.notExpressible).toEqual([]);
        const schedule = scheduleConfigSchema.parse(result.oncall);
        for (const minutes of offsets) {
          const instant = layer.virtualStart.toMillis() - 3 * 86_400_000 + minutes * 60_000;
          const [entry] = whoIsOnCall(schedule, new Date(instant)).layers;
          expect({ at: new Date(instant).toISOString(), login: entry?.login ?? null }).toEqual({ at: new Date(instant).toISOString(), login: expectedAt(layer, instant) });
        }
      }),
      { numRuns: 60, seed: 20_260_329 },
    );
  });
});
