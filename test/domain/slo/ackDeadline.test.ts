import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ackDeadline, ackSloWindowAt, dayKindAt, isAckSloBreached } from '../../../src/domain/slo/ackDeadline.ts';
import { ackSloConfigSchema } from '../../../src/domain/slo/ackSloConfig.ts';

const newYork = ackSloConfigSchema.parse({ timezone: 'America/New_York', holidays: ['2026-11-26', '2026-12-25'] });

function et(text: string): Date {
  return DateTime.fromISO(text, { zone: 'America/New_York' }).toJSDate();
}

/** The deadline as the team reads it on its wall clock, or "none". */
function deadlineAt(text: string, config = newYork): string {
  const deadline = ackDeadline(config, et(text));
  return deadline ? DateTime.fromJSDate(deadline, { zone: config.timezone }).toFormat("yyyy-LL-dd'T'HH:mm:ss ZZZZ") : 'none';
}

describe('ackDeadline with the runbook windows', () => {
  it.each([
    ['business hours on a work day: 10 minutes', '2026-11-10T10:00', '2026-11-10T10:10:00 EST'],
    ['waking hours on a work day evening: 30 minutes', '2026-11-10T18:00', '2026-11-10T18:30:00 EST'],
    ['waking hours on a work day morning: 30 minutes', '2026-11-10T07:00', '2026-11-10T07:30:00 EST'],
    ['waking hours on a Saturday: 30 minutes', '2026-11-14T10:00', '2026-11-14T10:30:00 EST'],
    ['a work-day night: no guarantee', '2026-11-10T23:00', 'none'],
    ['a Saturday evening: no guarantee', '2026-11-14T20:00', 'none'],
    ['a Sunday morning before 9: no guarantee', '2026-11-15T08:00', 'none'],
  ])('%s', (_, triggered, expected) => {
    expect(deadlineAt(triggered)).toBe(expected);
  });

  it.each([
    ['06:59:59', 'none'],
    ['07:00:00', '2026-11-10T07:30:00 EST'],
    ['08:59:59', '2026-11-10T09:29:59 EST'],
    ['09:00:00', '2026-11-10T09:10:00 EST'],
    // The window containing the trigger decides, even when the deadline falls outside it.
    ['16:55:00', '2026-11-10T17:05:00 EST'],
    ['16:59:59', '2026-11-10T17:09:59 EST'],
    ['17:00:00', '2026-11-10T17:30:00 EST'],
    ['18:59:59', '2026-11-10T19:29:59 EST'],
    ['19:00:00', 'none'],
  ])('treats windows as half-open: a Tuesday trigger at %s is due %s', (time, expected) => {
    expect(deadlineAt(`2026-11-10T${time}`)).toBe(expected);
  });

  it('treats holidays like non-work days (Thanksgiving, a Thursday)', () => {
    expect(dayKindAt(newYork, et('2026-11-26T12:00'))).toBe('non-work');
    expect(deadlineAt('2026-11-26T10:00')).toBe('2026-11-26T10:30:00 EST');
    expect(deadlineAt('2026-11-26T08:00')).toBe('none');
    expect(deadlineAt('2026-11-26T18:00')).toBe('none');
    expect(deadlineAt('2026-11-27T08:00')).toBe('2026-11-27T08:30:00 EST');
    expect(ackSloWindowAt(newYork, et('2026-11-26T10:00'))).toMatchObject({ name: 'waking hours', days: 'non-work', minutes: 30 });
  });

  it('reads the wall clock after the spring-forward change (Sunday 2026-03-08 in New York)', () => {
    // 13:30Z is 08:30 EST the day before the change, but 09:30 EDT on the day of it.
    expect(ackDeadline(newYork, new Date('2026-03-07T13:30:00Z'))).toBeNull();
    expect(ackDeadline(newYork, new Date('2026-03-08T13:30:00Z'))).toEqual(new Date('2026-03-08T14:00:00Z'));
    expect(ackDeadline(newYork, new Date('2026-03-09T14:00:00Z'))).toEqual(new Date('2026-03-09T14:10:00Z'));
  });

  it('counts minutes as elapsed time across a fall-back change', () => {
    const allDay = ackSloConfigSchema.parse({ timezone: 'America/New_York', windows: [{ name: 'always', days: 'any', from: '00:00', to: '24:00', minutes: 60 }] });
    // 01:30 EDT on 2026-11-01: the deadline is one real hour later, which the wall clock shows as 01:30 EST.
    const deadline = ackDeadline(allDay, new Date('2026-11-01T05:30:00Z'))!;
    expect(deadline).toEqual(new Date('2026-11-01T06:30:00Z'));
    expect(DateTime.fromJSDate(deadline, { zone: 'America/New_York' }).toFormat('HH:mm ZZZZ')).toBe('01:30 EST');
    expect(ackDeadline(allDay, new Date('2026-11-01T23:59:59Z'))).toEqual(new Date('2026-11-02T00:59:59Z'));
  });

  it('applies the windows in the team’s zone: one instant, four answers', () => {
    const at = new Date('2026-11-10T15:00:00Z');
    const minutesIn = (timezone: string) => {
      const config = ackSloConfigSchema.parse({ timezone });
      const deadline = ackDeadline(config, at);
      return deadline ? (deadline.getTime() - at.getTime()) / 60_000 : null;
    };
    expect(minutesIn('America/New_York')).toBe(10); // Tuesday 10:00
    expect(minutesIn('Europe/Berlin')).toBe(10); // Tuesday 16:00
    expect(minutesIn('UTC')).toBe(10); // Tuesday 15:00
    expect(minutesIn('Asia/Kolkata')).toBe(null); // Tuesday 20:30
    expect(minutesIn('Australia/Sydney')).toBe(null); // Wednesday 02:00
    expect(ackDeadline(ackSloConfigSchema.parse({ timezone: 'Asia/Kolkata' }), new Date('2026-11-10T13:00:00Z'))).toEqual(new Date('2026-11-10T13:30:00Z')); // 18:30 IST
  });

  it('follows configured work days: a Sunday–Thursday team works on Sunday and rests on Friday', () => {
    const config = ackSloConfigSchema.parse({ timezone: 'Asia/Jerusalem', workDays: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday'] });
    const local = (text: string) => DateTime.fromISO(text, { zone: 'Asia/Jerusalem' }).toJSDate();
    expect(ackSloWindowAt(config, local('2026-11-15T10:00'))?.minutes).toBe(10);
    expect(ackSloWindowAt(config, local('2026-11-13T10:00'))?.minutes).toBe(30);
    expect(ackSloWindowAt(config, local('2026-11-13T18:00'))).toBeNull();
  });

  it('uses the shortest of overlapping windows', () => {
    const config = ackSloConfigSchema.parse({
      windows: [
        { name: 'office', days: 'any', from: '08:00', to: '20:00', minutes: 45 },
        { name: 'peak', days: 'work', from: '12:00', to: '14:00', minutes: 5 },
      ],
    });
    expect(ackSloWindowAt(config, new Date('2026-11-10T12:30:00Z'))?.name).toBe('peak');
    expect(ackSloWindowAt(config, new Date('2026-11-14T12:30:00Z'))?.name).toBe('office');
  });

  it('rejects an invalid trigger time', () => {
    expect(() => ackDeadline(newYork, new Date(Number.NaN))).toThrow(/not a valid date/);
  });
});

describe('isAckSloBreached', () => {
  const triggered = et('2026-11-10T10:00');

  it('is met when acknowledged exactly at the deadline and breached a moment after', () => {
    expect(isAckSloBreached(newYork, triggered, null, et('2026-11-10T10:10'))).toEqual({ breached: false, deadline: et('2026-11-10T10:10') });
    expect(isAckSloBreached(newYork, triggered, null, new Date(et('2026-11-10T10:10').getTime() + 1)).breached).toBe(true);
  });

  it('judges an acknowledged incident by its acknowledgement, whatever the time now', () => {
    expect(isAckSloBreached(newYork, triggered, et('2026-11-10T10:09'), et('2026-11-11T10:00')).breached).toBe(false);
    expect(isAckSloBreached(newYork, triggered, et('2026-11-10T10:11'), et('2026-11-10T10:11')).breached).toBe(true);
  });

  it('never breaches when there is no guarantee', () => {
    expect(isAckSloBreached(newYork, et('2026-11-10T23:00'), null, et('2026-11-11T09:00'))).toEqual({ breached: false, deadline: null });
  });
});

describe('ackDeadline property', () => {
  it('matches the runbook table read off the local wall clock, for random instants and zones', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2029, 0, 1) }), (timezone, instant) => {
        const config = ackSloConfigSchema.parse({ timezone, holidays: ['2026-12-25', '2027-01-01'] });
        const local = DateTime.fromMillis(instant, { zone: timezone });
        const hour = local.hour + local.minute / 60 + local.second / 3600;
        const workDay = local.weekday <= 5 && !['2026-12-25', '2027-01-01'].includes(local.toISODate()!);
        const expected = workDay ? (hour >= 9 && hour < 17 ? 10 : hour >= 7 && hour < 19 ? 30 : null) : hour >= 9 && hour < 17 ? 30 : null;
        const deadline = ackDeadline(config, new Date(instant));
        expect(deadline === null ? null : (deadline.getTime() - instant) / 60_000).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
