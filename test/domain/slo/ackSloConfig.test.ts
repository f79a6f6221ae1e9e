import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ackSloConfigSchema, DEFAULT_ACK_SLO_CONFIG } from '../../../src/domain/slo/ackSloConfig.ts';

describe('ackSloConfigSchema', () => {
  it('defaults to the runbook: 10 minutes in business hours, 30 in waking hours, Monday to Friday', () => {
    expect(DEFAULT_ACK_SLO_CONFIG).toEqual({
      timezone: 'UTC',
      workDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      holidays: [],
      windows: [
        { name: 'business hours', days: 'work', from: '09:00', to: '17:00', minutes: 10 },
        { name: 'waking hours', days: 'work', from: '07:00', to: '19:00', minutes: 30 },
        { name: 'waking hours', days: 'non-work', from: '09:00', to: '17:00', minutes: 30 },
      ],
    });
  });

  it('gives each parse its own default windows', () => {
    const first = ackSloConfigSchema.parse({});
    first.windows[0]!.minutes = 1;
    expect(ackSloConfigSchema.parse({}).windows[0]!.minutes).toBe(10);
  });

  it('explains bad windows, days and zones with their path', () => {
    const result = ackSloConfigSchema.safeParse({
      timezone: 'Eastern',
      workDays: ['mon'],
      holidays: ['2026-02-30', 'Dec 25'],
      windows: [
        { name: 'late', days: 'work', from: '22:00', to: '02:00', minutes: 30 },
        { name: 'all day', days: 'any', from: '00:00', to: '24:00', minutes: 0 },
      ],
    });
    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['timezone', 'must be an IANA time zone such as Europe/Berlin or America/New_York'],
      ['workDays.0', 'Invalid option: expected one of "monday"|"tuesday"|"wednesday"|"thursday"|"friday"|"saturday"|"sunday"'],
      ['holidays.0', 'must be a real calendar date'],
      ['holidays.1', 'must be a date written YYYY-MM-DD'],
      ['windows.0.to', 'from must be before to (windows do not cross midnight: split them in two)'],
      ['windows.1.minutes', 'Too small: expected number to be >=1'],
    ]);
  });

  it('converts to a JSON Schema for editors', () => {
    const schema = z.toJSONSchema(ackSloConfigSchema, { io: 'input', target: 'draft-2020-12' }) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['timezone', 'workDays', 'holidays', 'windows']);
  });
});
