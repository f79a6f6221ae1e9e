import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { scheduleConfigSchema, type ScheduleConfigInput } from '../../../src/domain/schedule/scheduleConfig.ts';
import { whoIsOnCall } from '../../../src/domain/schedule/whoIsOnCall.ts';
import { runbookSchedule } from './runbookSchedule.ts';

const ET = 'America/New_York';

function local(text: string, zone = ET): Date {
  const parsed = DateTime.fromISO(text, { zone });
  if (!parsed.isValid) throw new Error(`bad test time ${text}`);
  return parsed.toJSDate();
}

function show(date: Date, zone = ET): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("ccc yyyy-LL-dd'T'HH:mm ZZZZ");
}

/** The answer as a person reads it: layer, who (or gap), why, and the stretch in Eastern time. */
function onCall(at: string, schedule = runbookSchedule, zone = ET): string[] {
  return whoIsOnCall(schedule, local(at, zone)).layers.map(
    (entry) =>
      `${entry.layer}: ${entry.login ?? '(gap)'} [${entry.source}${entry.replaces !== undefined ? ` for ${entry.replaces ?? 'gap'}` : ''}] ` +
      `${show(entry.shift.start, zone)} → ${show(entry.shift.end, zone)}`,
  );
}

describe('whoIsOnCall on the runbook schedule', () => {
  it('staggers rot-a (Monday 11:00 ET) and rot-b (Wednesday 11:00 ET)', () => {
    expect(onCall('2026-11-05T12:00')).toEqual([
      'rot-a: alice [rotation] Mon 2026-11-02T11:00 EST → Mon 2026-11-09T11:00 EST',
      'rot-b: dave [rotation] Wed 2026-11-04T11:00 EST → Wed 2026-11-11T11:00 EST',
    ]);
    expect(onCall('2026-11-16T10:59')).toEqual([
      'rot-a: bob [rotation] Tue 2026-11-10T17:00 EST → Mon 2026-11-16T11:00 EST',
      'rot-b: erin [rotation] Wed 2026-11-11T11:00 EST → Wed 2026-11-18T11:00 EST',
    ]);
    expect(onCall('2026-11-16T11:00')[0]).toBe('rot-a: carol [rotation] Mon 2026-11-16T11:00 EST → Mon 2026-11-23T11:00 EST');
    expect(onCall('2026-11-18T11:00')[1]).toBe('rot-b: frank [rotation] Wed 2026-11-18T11:00 EST → Wed 2026-11-25T11:00 EST');
  });

  it('lets a partial override win only within its hours, splitting the shift in three', () => {
    expect(onCall('2026-11-10T08:59')[0]).toBe('rot-a: bob [rotation] Mon 2026-11-09T11:00 EST → Tue 2026-11-10T09:00 EST');
    expect(onCall('2026-11-10T09:00')[0]).toBe('rot-a: grace [override for bob] Tue 2026-11-10T09:00 EST → Tue 2026-11-10T17:00 EST');
    expect(onCall('2026-11-10T16:59')[0]).toBe('rot-a: grace [override for bob] Tue 2026-11-10T09:00 EST → Tue 2026-11-10T17:00 EST');
    expect(onCall('2026-11-10T17:00')[0]).toBe('rot-a: bob [rotation] Tue 2026-11-10T17:00 EST → Mon 2026-11-16T11:00 EST');
    // The override belongs to rot-a: rot-b is untouched.
    expect(onCall('2026-11-10T12:00')[1]).toBe('rot-b: dave [rotation] Wed 2026-11-04T11:00 EST → Wed 2026-11-11T11:00 EST');
  });

  it('shows the no-one placeholder as an explicit gap for its whole week', () => {
    expect(onCall('2026-11-25T12:00')).toEqual([
      'rot-a: (gap) [rotation] Mon 2026-11-23T11:00 EST → Mon 2026-11-30T11:00 EST',
      'rot-b: dave [rotation] Wed 2026-11-25T11:00 EST → Wed 2026-12-02T11:00 EST',
    ]);
    expect(onCall('2026-11-30T11:00')[0]).toBe('rot-a: alice [rotation] Mon 2026-11-30T11:00 EST → Mon 2026-12-07T11:00 EST');
  });

  it('replaces both rotations with the holiday layers from Dec 22 11:00 to Jan 3 11:00', () => {
    expect(onCall('2026-12-22T10:59')).toEqual([
      'rot-a: (gap) [rotation] Mon 2026-12-21T11:00 EST → Tue 2026-12-22T11:00 EST',
      'rot-b: dave [rotation] Wed 2026-12-16T11:00 EST → Tue 2026-12-22T11:00 EST',
    ]);
    expect(onCall('2026-12-22T11:00')).toEqual([
      'holiday-a: carol [holiday] Tue 2026-12-22T11:00 EST → Thu 2026-12-24T11:00 EST',
      'holiday-b: frank [holiday] Tue 2026-12-22T11:00 EST → Thu 2026-12-24T11:00 EST',
    ]);
    expect(onCall('2026-12-25T08:00')).toEqual([
      'holiday-a: bob [override for gap] Thu 2026-12-24T11:00 EST → Sat 2026-12-26T11:00 EST',
      'holiday-b: dave [holiday] Thu 2026-12-24T11:00 EST → Sat 2026-12-26T11:00 EST',
    ]);
    expect(onCall('2026-12-31T23:59')).toEqual([
      'holiday-a: (gap) [holiday] Wed 2026-12-30T11:00 EST → Fri 2027-01-01T11:00 EST',
      'holiday-b: dave [holiday] Wed 2026-12-30T11:00 EST → Fri 2027-01-01T11:00 EST',
    ]);
    expect(onCall('2027-01-03T10:59')).toEqual([
      'holiday-a: alice [holiday] Fri 2027-01-01T11:00 EST → Sun 2027-01-03T11:00 EST',
      'holiday-b: erin [holiday] Fri 2027-01-01T11:00 EST → Sun 2027-01-03T11:00 EST',
    ]);
  });

  it('resumes the rotations where they would have been, mid-shift, after the holidays', () => {
    expect(onCall('2027-01-03T11:00')).toEqual([
      'rot-a: alice [rotation] Sun 2027-01-03T11:00 EST → Mon 2027-01-04T11:00 EST',
      'rot-b: frank [rotation] Sun 2027-01-03T11:00 EST → Wed 2027-01-06T11:00 EST',
    ]);
    expect(onCall('2027-01-04T11:00')[0]).toBe('rot-a: bob [rotation] Mon 2027-01-04T11:00 EST → Mon 2027-01-11T11:00 EST');
  });

  it('answers the same instant the same way whatever zone the question is asked in', () => {
    const at = local('2026-11-10T09:30');
    const inBerlin = whoIsOnCall(runbookSchedule, DateTime.fromJSDate(at).setZone('Europe/Berlin').toJSDate());
    expect(inBerlin).toEqual(whoIsOnCall(runbookSchedule, at));
    expect(inBerlin.layers.map((entry) => entry.login)).toEqual(['grace', 'dave']);
  });

  it('reports a layer before its first handoff as a gap that ends at that handoff', () => {
    const [rotA] = whoIsOnCall(runbookSchedule, local('2026-11-02T10:59')).layers;
    expect(rotA).toMatchObject({ layer: 'rot-a', login: null, source: 'rotation' });
    expect(show(rotA!.shift.end)).toBe('Mon 2026-11-02T11:00 EST');
  });

  it('rejects an invalid instant instead of answering for it', () => {
    expect(() => whoIsOnCall(runbookSchedule, new Date('not a date'))).toThrow(/at is not a valid date/);
  });
});

function schedule(input: ScheduleConfigInput) {
  return scheduleConfigSchema.parse(input);
}

describe('whoIsOnCall across DST', () => {
  it('keeps New York handoffs at 11:00 local when the clocks spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    const weekly = schedule({
      timezone: ET,
      layers: [
        { name: 'sunday', participants: ['alice', 'bob'], handoff: { weekday: 'sunday', time: '11:00' }, start: '2026-01-04' },
        { name: 'monday', participants: ['carol', 'dave'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-01-05' },
      ],
    });
    const spring = whoIsOnCall(weekly, local('2026-03-08T11:00')).layers;
    expect(spring[0]!.shift.start.toISOString()).toBe('2026-03-08T15:00:00.000Z');
    expect(spring[0]!.shift.end.toISOString()).toBe('2026-03-15T15:00:00.000Z');
    expect(spring[1]!.shift.start.toISOString()).toBe('2026-03-02T16:00:00.000Z');
    // The week that contains the change is an hour short.
    expect(spring[1]!.shift.end.getTime() - spring[1]!.shift.start.getTime()).toBe(167 * 3_600_000);
    expect(whoIsOnCall(weekly, new Date('2026-03-08T14:59:59.999Z')).layers[0]!.shift.end.toISOString()).toBe('2026-03-08T15:00:00.000Z');

    const fall = whoIsOnCall(weekly, local('2026-11-01T11:00')).layers;
    expect(fall[0]!.shift.start.toISOString()).toBe('2026-11-01T16:00:00.000Z');
    expect(fall[1]!.shift.end.toISOString()).toBe('2026-11-02T16:00:00.000Z');
    expect(fall[1]!.shift.end.getTime() - fall[1]!.shift.start.getTime()).toBe(169 * 3_600_000);
  });

  it('keeps Berlin handoffs at 09:00 local on 2026-03-29 and 2026-10-25', () => {
    const berlin = schedule({
      layers: [{ name: 'eu', participants: ['anna', 'ben'], handoff: { weekday: 'sunday', time: '09:00' }, start: '2026-03-01', timezone: 'Europe/Berlin' }],
    });
    expect(whoIsOnCall(berlin, new Date('2026-03-29T07:00:00Z')).layers[0]!.shift.start.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(whoIsOnCall(berlin, new Date('2026-03-29T06:59:00Z')).layers[0]!.shift.start.toISOString()).toBe('2026-03-22T08:00:00.000Z');
    expect(whoIsOnCall(berlin, new Date('2026-10-25T08:00:00Z')).layers[0]!.shift.start.toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(whoIsOnCall(berlin, new Date('2026-10-25T07:59:00Z')).layers[0]!.shift.start.toISOString()).toBe('2026-10-18T07:00:00.000Z');
  });

  it('moves a handoff that falls in the spring-forward gap forward by the gap, as luxon does', () => {
    const nightly = schedule({ timezone: ET, layers: [{ name: 'night', participants: ['alice', 'bob'], length: { days: 1 }, handoff: { time: '02:30' }, start: '2026-03-01' }] });
    const [entry] = whoIsOnCall(nightly, new Date('2026-03-08T12:00:00Z')).layers;
    // 02:30 does not exist on 2026-03-08 in New York: the handoff happens at 03:30 EDT.
    expect(entry!.shift.start.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(show(entry!.shift.start)).toBe('Sun 2026-03-08T03:30 EDT');
    expect(entry!.shift.end.toISOString()).toBe('2026-03-09T06:30:00.000Z');
  });

  it('puts a handoff at an ambiguous fall-back time at its later occurrence (standard time), as luxon does', () => {
    const nightly = schedule({ timezone: ET, layers: [{ name: 'night', participants: ['alice', 'bob'], length: { days: 1 }, handoff: { time: '01:30' }, start: '2026-10-01' }] });
    const before = whoIsOnCall(nightly, new Date('2026-11-01T05:45:00Z')).layers[0]!; // 01:45 EDT, first pass
    expect(before.shift.end.toISOString()).toBe('2026-11-01T06:30:00.000Z'); // 01:30 EST, second pass
    expect(before.shift.end.getTime() - before.shift.start.getTime()).toBe(25 * 3_600_000);
  });
});

describe('overrides', () => {
  const twoLayers = schedule({
    timezone: ET,
    layers: [
      { name: 'rot-a', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-01-05' },
      { name: 'rot-b', participants: ['carol', 'dave'], handoff: { weekday: 'wednesday', time: '11:00' }, start: '2026-01-07' },
    ],
    overrides: [
      { who: 'erin', from: '2026-01-12T00:00', to: '2026-01-14T00:00' },
      { who: 'frank', from: '2026-01-13T09:00', to: '2026-01-13T12:00', layer: 'rot-a' },
      { who: 'no-one', from: '2026-01-15T10:00:00Z', to: '2026-01-15T20:00:00Z', layer: 'rot-b' },
    ],
  });

  it('applies an override without a layer to the first layer, split at the handoff it spans', () => {
    expect(whoIsOnCall(twoLayers, local('2026-01-12T10:00')).layers.map((entry) => [entry.login, entry.replaces])).toEqual([
      ['erin', 'alice'],
      ['carol', undefined],
    ]);
    const afterHandoff = whoIsOnCall(twoLayers, local('2026-01-12T12:00')).layers[0]!;
    expect(afterHandoff).toMatchObject({ login: 'erin', source: 'override', replaces: 'bob' });
    expect(show(afterHandoff.shift.start)).toBe('Mon 2026-01-12T11:00 EST');
    expect(show(afterHandoff.shift.end)).toBe('Tue 2026-01-13T09:00 EST');
  });

  it('lets a later override win over an earlier one, and still credits the rotation person as replaced', () => {
    const entry = whoIsOnCall(twoLayers, local('2026-01-13T10:00')).layers[0]!;
    expect(entry).toMatchObject({ login: 'frank', source: 'override', replaces: 'bob' });
    expect(whoIsOnCall(twoLayers, local('2026-01-13T12:00')).layers[0]).toMatchObject({ login: 'erin', replaces: 'bob' });
    expect(whoIsOnCall(twoLayers, local('2026-01-14T00:00')).layers[0]).toMatchObject({ login: 'bob', source: 'rotation' });
  });

  it('reads override times with an offset as absolute instants, and an override to no-one as a gap', () => {
    expect(whoIsOnCall(twoLayers, new Date('2026-01-15T09:59:59Z')).layers[1]).toMatchObject({ login: 'dave', source: 'rotation' });
    expect(whoIsOnCall(twoLayers, new Date('2026-01-15T10:00:00Z')).layers[1]).toMatchObject({ login: null, source: 'override', replaces: 'dave' });
    expect(whoIsOnCall(twoLayers, new Date('2026-01-15T20:00:00Z')).layers[1]).toMatchObject({ login: 'dave', source: 'rotation' });
  });
});
