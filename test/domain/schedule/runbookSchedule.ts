import { scheduleConfigSchema, type ScheduleConfigInput } from '../../../src/domain/schedule/scheduleConfig.ts';

/**
 * The runbook's practice as config: two staggered weekly rotations handing off Monday and
 * Wednesday 11:00 Eastern, a `no-one` placeholder left by someone who moved on, a partial
 * override (grace covers bob's Tuesday working hours), and Holiday-a/Holiday-b volunteer
 * rotations of two days from Dec 22 to Jan 3, one slot taken by a volunteer override.
 */
export const runbookInput = {
  timezone: 'America/New_York',
  layers: [
    { name: 'rot-a', participants: ['alice', 'bob', 'carol', 'no-one'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-11-02' },
    { name: 'rot-b', participants: ['dave', 'erin', 'frank'], handoff: { weekday: 'wednesday', time: '11:00' }, start: '2026-11-04' },
  ],
  overrides: [
    { who: 'grace', from: '2026-11-10T09:00', to: '2026-11-10T17:00', layer: 'rot-a' },
    { who: 'bob', from: '2026-12-24T11:00', to: '2026-12-26T11:00', layer: 'holiday-a' },
  ],
  holidays: [
    { name: 'holiday-a', from: '2026-12-22', to: '2027-01-03', shiftDays: 2, handoffTime: '11:00', participants: ['carol', 'no-one', 'alice'] },
    { name: 'holiday-b', from: '2026-12-22', to: '2027-01-03', shiftDays: 2, handoffTime: '11:00', participants: ['frank', 'dave', 'erin'] },
  ],
  newcomers: ['frank'],
} satisfies ScheduleConfigInput;

export const runbookSchedule = scheduleConfigSchema.parse(runbookInput);
