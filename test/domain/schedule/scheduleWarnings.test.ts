import { describe, expect, it } from 'vitest';
import { scheduleConfigSchema, type ScheduleConfigInput } from '../../../src/domain/schedule/scheduleConfig.ts';
import { scheduleWarnings } from '../../../src/domain/schedule/scheduleWarnings.ts';
import { runbookInput, runbookSchedule } from './runbookSchedule.ts';

const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2027-01-15T00:00:00Z') };

function warningsFor(input: ScheduleConfigInput, checked = window) {
  return scheduleWarnings(scheduleConfigSchema.parse(input), checked);
}

describe('scheduleWarnings', () => {
  it('reports every gap in the runbook schedule, once per slot, and nothing about covered slots', () => {
    expect(scheduleWarnings(runbookSchedule, window)).toEqual([
      { path: 'layers[0].start', message: 'rot-a has nobody on call before its first handoff, until Mon 2026-11-02 11:00 EST' },
      {
        path: 'layers[0].participants[3]',
        message:
          'rot-a has nobody on call ("no-one") from Mon 2026-11-23 11:00 EST to Mon 2026-11-30 11:00 EST (2 times in the checked period); replace the placeholder or override the shift',
      },
      { path: 'layers[1].start', message: 'rot-b has nobody on call before its first handoff, until Wed 2026-11-04 11:00 EST' },
      // The Dec 24 open slot was taken by bob's override; only the Dec 30 one is left.
      {
        path: 'holidays[0].participants[1]',
        message: 'holiday-a has an open holiday slot ("no-one") from Wed 2026-12-30 11:00 EST to Fri 2027-01-01 11:00 EST; a volunteer can take it with an override',
      },
    ]);
  });

  it('is quiet for a balanced, fully staffed schedule', () => {
    expect(
      warningsFor({
        timezone: 'America/New_York',
        layers: [
          { name: 'rot-a', participants: ['alice', 'bob', 'carol'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-01-05' },
          { name: 'rot-b', participants: ['dave', 'erin'], handoff: { weekday: 'wednesday', time: '11:00' }, start: '2026-01-07' },
        ],
        newcomers: ['carol', 'zoe'],
      }),
    ).toEqual([]);
  });

  it('warns when two newcomers are on call together, pointing at the later slot', () => {
    const warnings = warningsFor({ ...runbookInput, holidays: [], overrides: [runbookInput.overrides[0]!], newcomers: ['Carol', 'frank'] });
    const pairing = warnings.filter((warning) => warning.message.startsWith('newcomers'));
    expect(pairing).toEqual([
      {
        path: 'layers[1].participants[2]',
        message:
          'newcomers carol (rot-a) and frank (rot-b) are on call together from Wed 2026-11-18 11:00 EST to Mon 2026-11-23 11:00 EST (2 times in the checked period); ' +
          'pair each new engineer with an experienced one: move one earlier in the rotation or trade a shift',
      },
    ]);
  });

  it('does not count a newcomer whose shift was taken over by an override', () => {
    const warnings = warningsFor(
      {
        ...runbookInput,
        holidays: [],
        newcomers: ['carol', 'frank'],
        overrides: [{ who: 'alice', from: '2026-11-18T11:00', to: '2026-11-25T11:00', layer: 'rot-b' }],
      },
      { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
    );
    expect(warnings.filter((warning) => warning.message.startsWith('newcomers'))).toEqual([]);
  });

  it('warns about unbalanced rotations but tolerates a difference of one', () => {
    const layers = (a: string[], b: string[]) => ({
      layers: [
        { name: 'rot-a', participants: a, handoff: { weekday: 'monday' as const, time: '11:00' }, start: '2026-01-05' },
        { name: 'rot-b', participants: b, handoff: { weekday: 'wednesday' as const, time: '11:00' }, start: '2026-01-07' },
      ],
    });
    const early = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-02T00:00:00Z') };
    expect(warningsFor(layers(['alice', 'bob', 'carol', 'dave'], ['erin', 'frank', 'grace']), early)).toEqual([]);
    expect(warningsFor(layers(['alice', 'bob', 'carol', 'dave', 'erin'], ['frank', 'grace', 'no-one']), early)).toEqual([
      {
        path: 'layers[1].participants',
        message: "rot-b has 2 engineers but rot-a has 5, so rot-b's engineers are on call 2.5 times as often; balance the rotations (the runbook puts balance before time-zone coverage)",
      },
    ]);
  });

  it('warns about overrides that end before they start, miss every shift, or name no layer', () => {
    const warnings = warningsFor({
      ...runbookInput,
      overrides: [
        { who: 'zed', from: '2026-11-20T10:00', to: '2026-11-20T09:00', layer: 'rot-a' },
        { who: 'zed', from: '2026-12-26T00:00', to: '2026-12-27T00:00', layer: 'rot-b' },
        { who: 'zed', from: '2026-12-21T12:00', to: '2026-12-23T12:00', layer: 'rot-b' },
        { who: 'zed', from: '2026-12-10T00:00', to: '2026-12-11T00:00', layer: 'holiday-b' },
        { who: 'zed', from: '2026-11-12T00:00', to: '2026-11-13T00:00' },
      ],
    }).filter((warning) => warning.path.startsWith('overrides'));
    expect(warnings).toEqual([
      { path: 'overrides[0].to', message: 'ends at or before it starts (Fri 2026-11-20 10:00 EST → Fri 2026-11-20 09:00 EST), so it covers no time' },
      {
        path: 'overrides[1]',
        message: 'from Sat 2026-12-26 00:00 EST to Sun 2026-12-27 00:00 EST is outside every shift of rot-b, so it changes nothing (rot-b is off while the holiday layers run)',
      },
      { path: 'overrides[2]', message: 'from Mon 2026-12-21 12:00 EST to Wed 2026-12-23 12:00 EST is partly outside the shifts of rot-b; only the part inside a shift applies' },
      {
        path: 'overrides[3]',
        message:
          'from Thu 2026-12-10 00:00 EST to Fri 2026-12-11 00:00 EST is outside every shift of holiday-b, so it changes nothing (holiday-b runs from Tue 2026-12-22 11:00 EST to Sun 2027-01-03 11:00 EST)',
      },
      { path: 'overrides[4]', message: 'names no layer, so it applies to whichever layer is on call first at the time; add "layer:" to say which shift it covers' },
    ]);
  });

  it('reports an override to no-one as a gap at the override', () => {
    const warnings = warningsFor({ ...runbookInput, overrides: [{ who: 'no-one', from: '2026-11-12T09:00', to: '2026-11-12T17:00', layer: 'rot-b' }] });
    expect(warnings).toContainEqual({ path: 'overrides[0]', message: 'rot-b has nobody on call (override to "no-one") from Thu 2026-11-12 09:00 EST to Thu 2026-11-12 17:00 EST' });
  });
});
