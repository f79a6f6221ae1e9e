import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scheduleConfigSchema } from '../../../src/domain/schedule/scheduleConfig.ts';
import { runbookInput } from './runbookSchedule.ts';

function problems(input: unknown): [string, string][] {
  const result = scheduleConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

describe('scheduleConfigSchema', () => {
  it('fills defaults for an empty section', () => {
    expect(scheduleConfigSchema.parse({})).toEqual({ timezone: 'UTC', layers: [], overrides: [], holidays: [], newcomers: [], escalation: { steps: [] } });
  });

  it('accepts the runbook schedule and defaults weekly shifts and two-day holiday shifts', () => {
    const parsed = scheduleConfigSchema.parse({
      ...runbookInput,
      holidays: [{ name: 'holiday-a', from: '2026-12-22', to: '2027-01-03', participants: ['no-one'] }],
      overrides: [runbookInput.overrides[0]],
    });
    expect(parsed.layers[0]!.length).toEqual({ weeks: 1 });
    expect(parsed.holidays[0]).toMatchObject({ shiftDays: 2, handoffTime: '11:00' });
  });

  it('explains bad participants, zones, times, dates and lengths with their path', () => {
    expect(
      problems({
        timezone: 'Mars/Olympus',
        layers: [
          { name: 'rot-a', participants: ['@alice', 'no-one'], handoff: { weekday: 'mon', time: '11:00' }, start: '2026-02-30', length: { weeks: 0 } },
          { name: 'rot-b', participants: [], handoff: { time: '25:00' }, start: '2026-01-07', length: { months: 1 } },
        ],
      }),
    ).toEqual([
      ['timezone', 'must be an IANA time zone such as Europe/Berlin or America/New_York'],
      ['layers.0.participants.0', 'must be a GitHub login such as octocat (without @), or "no-one" for a visible gap'],
      ['layers.0.length.weeks', 'Too small: expected number to be >=1'],
      ['layers.0.handoff.weekday', 'Invalid option: expected one of "monday"|"tuesday"|"wednesday"|"thursday"|"friday"|"saturday"|"sunday"'],
      ['layers.0.start', 'must be a real calendar date'],
      ['layers.1.participants', 'a rotation needs at least one participant (use "no-one" for an open slot)'],
      ['layers.1.length', 'must be { weeks: N }, { days: N } or { hours: N }'],
      ['layers.1.handoff.time', 'must be a time written HH:mm (24-hour), e.g. 11:00'],
    ]);
  });

  it('rejects duplicate layer names, overrides of unknown layers and holidays that end before they start', () => {
    expect(
      problems({
        layers: [
          { name: 'rot-a', participants: ['alice'], handoff: { time: '11:00' }, start: '2026-01-05' },
          { name: 'rot-a', participants: ['bob'], handoff: { time: '11:00' }, start: '2026-01-05' },
        ],
        holidays: [{ name: 'rot-a', from: '2027-01-03', to: '2026-12-22', participants: ['carol'] }],
        overrides: [{ who: 'dave', from: '2026-01-06T09:00', to: '2026-01-06T17:00', layer: 'rot-c' }],
      }),
    ).toEqual([
      ['layers.1.name', 'layer name "rot-a" is used twice'],
      ['holidays.0.name', 'layer name "rot-a" is used twice'],
      ['overrides.0', 'layer "rot-c" does not exist (known: rot-a)'],
      ['holidays.0.to', 'must be after from (2027-01-03)'],
    ]);
  });

  it('accepts override times with or without an offset, and rejects anything else', () => {
    const base = { layers: [{ name: 'rot-a', participants: ['alice'], handoff: { time: '11:00' }, start: '2026-01-05' }] };
    expect(problems({ ...base, overrides: [{ who: 'bob', from: '2026-01-06', to: '2026-01-06T17:30:00.000+01:00' }] })).toEqual([]);
    expect(problems({ ...base, overrides: [{ who: 'bob', from: 'tomorrow', to: '2026-13-06T17:00Z' }] })).toEqual([
      ['overrides.0.from', 'must be a date and time such as 2026-01-07T09:00 (layer time zone) or 2026-01-07T14:00:00Z'],
      ['overrides.0.to', 'must be a real date and time'],
    ]);
  });

  it('rejects unknown keys so typos are reported', () => {
    expect(problems({ layer: [] })).toEqual([['', 'Unrecognized key: "layer"']]);
  });

  it('converts to a JSON Schema for editors', () => {
    const schema = z.toJSONSchema(scheduleConfigSchema, { io: 'input', target: 'draft-2020-12' }) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['timezone', 'layers', 'overrides', 'holidays', 'newcomers', 'escalation']);
  });
});
