import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../../src/domain/config/config.ts';
import { importOpsgenie } from '../../../../src/domain/schedule/import/importOpsgenie.ts';
import { importPagerDuty } from '../../../../src/domain/schedule/import/importPagerDuty.ts';
import type { ImportResult } from '../../../../src/domain/schedule/import/importResult.ts';
import { parsePeopleMap, type PeopleMap } from '../../../../src/domain/schedule/import/peopleMap.ts';
import { renderOncallYaml } from '../../../../src/domain/schedule/import/renderOncallYaml.ts';
import { scheduleConfigSchema } from '../../../../src/domain/schedule/scheduleConfig.ts';
import { whoIsOnCall } from '../../../../src/domain/schedule/whoIsOnCall.ts';
import { formatImportReport, selfCheck } from '../../../../src/domain/schedule/import/selfCheck.ts';
import { opsgenieDumpFromFiles, pagerDutyDumpFromFiles, readDumpFiles } from '../../../../src/features/importSchedules/vendorDump.ts';

/*
 * The fixtures under test/fixtures/import are API responses in the vendors' documented shapes.
 * Their rendered schedules (PagerDuty's final_schedule, Opsgenie's finalTimeline) were worked
 * out by hand from the vendors' documented semantics, with handoffs and restriction windows kept
 * on the wall clock and turns given in hours counted as elapsed time, across the March and
 * October/November clock changes of Europe/Berlin and America/New_York.
 */
const FIXTURES = join(import.meta.dirname, '../../../fixtures/import');

function people(): PeopleMap {
  const parsed = parsePeopleMap(readFileSync(join(FIXTURES, 'people.yml'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.map;
}

function pagerDuty(folder: string, options: { schedules?: string[]; policy?: string } = {}): ImportResult {
  return importPagerDuty(pagerDutyDumpFromFiles(readDumpFiles(join(FIXTURES, folder))), { people: people(), ...options });
}

function opsgenie(folder: string): ImportResult {
  return importOpsgenie(opsgenieDumpFromFiles(readDumpFiles(join(FIXTURES, folder))), { people: people() });
}

function report(result: ImportResult, zone: string): string {
  return formatImportReport(result, selfCheck(result), zone);
}

/** The YAML a person would commit, read back the way firewatch reads `.github/firewatch.yml`. */
function committed(result: ImportResult) {
  const parsed = parseConfigText(renderOncallYaml(result, new Date('2026-03-01T00:00:00Z')));
  expect(parsed.problems).toEqual([]);
  return parsed.config.oncall;
}

describe('firewatch import pagerduty: a layered schedule in Europe/Berlin across the spring-forward weekend', () => {
  const result = pagerDuty('pagerduty-berlin');

  it('writes the bottom layer as the reported layer, the weekend layer over it, and the override on it', () => {
    expect(result.oncall).toEqual({
      timezone: 'Europe/Berlin',
      layers: [
        { name: 'platform-primary', participants: ['alice', 'bob', 'carol'], length: { weeks: 1 }, handoff: { time: '09:00' }, start: '2026-03-02' },
        {
          name: 'platform-primary-layer-3',
          participants: ['dave', 'erin'],
          length: { weeks: 1 },
          handoff: { time: '18:00' },
          start: '2026-03-06',
          restrictions: [{ from: 'friday 18:00', to: 'monday 09:00' }],
          over: 'platform-primary',
        },
      ],
      overrides: [{ who: 'frank', from: '2026-03-29T01:00:00+01:00', to: '2026-03-29T04:00:00+02:00', layer: 'platform-primary' }],
      escalation: {
        steps: [
          { afterMinutes: 15, mention: ['@ivan'] },
          { afterMinutes: 45, mention: ['@acme/platform-leads'] },
          { afterMinutes: 70, mention: ['@ivan'] },
          { afterMinutes: 100, mention: ['@acme/platform-leads'] },
        ],
      },
    });
    expect(committed(result).layers).toHaveLength(2);
  });

  it("matches PagerDuty's final schedule for four weeks, and says what it left out and who is unmapped", () => {
    expect(report(result, 'Europe/Berlin')).toBe(
      [
        "Self-check against PagerDuty's rendered schedule, Mon 2026-03-16 00:00 GMT+1 → Mon 2026-04-13 00:00 GMT+2: no differences",
        '  schedule "Platform Primary" (layer platform-primary): same',
        '',
        'Not expressible in firewatch (2):',
        '  - escalation policy "Platform" rule 2: pages an unmapped user; left out of the step',
        '  - escalation policy "Platform" rule 1: pages whoever is on call in "Platform Primary" after 55 minutes; firewatch steps mention fixed people or teams (map "Platform Primary: \'@org/team\'" in the --people file to page a team instead)',
        '',
        'Notes:',
        '  - schedule "Platform Primary" Old weekly ended 2026-03-02T09:00:00+01:00, before the import window: left out',
        '  - escalation policy "Platform" rule 1: pages schedule "Platform Primary" right away; firewatch assigns whoever is on call in platform-primary when the incident opens',
        '  - escalation policy "Platform": its 1 repeat are written out as further steps',
        '',
        'Unmapped people (1): "no-one" (a gap) in rotations and overrides, left out of escalation steps; add "e-mail: github-login" lines to the --people file:',
        '  - heidi@example.com (Heidi Hart): escalation policy "Platform" rule 2',
        '',
      ].join('\n'),
    );
  });

  it('finds which layer wins from the final schedule when the API lists the layers the other way round', () => {
    const dump = pagerDutyDumpFromFiles(readDumpFiles(join(FIXTURES, 'pagerduty-berlin')));
    const [item] = dump.schedules;
    const flipped = { ...dump, schedules: [{ ...item!, schedule: { ...item!.schedule, schedule_layers: [...item!.schedule.schedule_layers].reverse() } }] };
    const again = importPagerDuty(flipped, { people: people() });
    expect(again.oncall.layers).toEqual(result.oncall.layers);
    expect(selfCheck(again).differences).toEqual([]);
    expect(again.notes).toContain(`schedule "Platform Primary": its layers reproduce PagerDuty's final schedule only with the last listed layer winning, so they were imported in that order`);
  });

  it('reports every stretch where the vendor and firewatch disagree, with who each has', () => {
    const tampered: ImportResult = {
      ...result,
      expected: result.expected.map((expected) => ({
        ...expected,
        // As if PagerDuty ended the weekend window at 10:00 summer time (63 elapsed hours) instead of 09:00.
        entries: expected.entries.map((entry) =>
          entry.start === Date.parse('2026-03-29T02:00:00Z') ? { ...entry, end: Date.parse('2026-03-30T08:00:00Z') } : entry.start === Date.parse('2026-03-30T07:00:00Z') ? { ...entry, start: Date.parse('2026-03-30T08:00:00Z') } : entry,
        ),
      })),
    };
    const check = selfCheck(tampered);
    expect(check.differences).toEqual([
      { label: 'schedule "Platform Primary"', start: Date.parse('2026-03-30T07:00:00Z'), end: Date.parse('2026-03-30T08:00:00Z'), vendor: ['erin'], firewatch: ['bob'] },
    ]);
    expect(formatImportReport(tampered, check, 'Europe/Berlin')).toContain('    Mon 2026-03-30 09:00 GMT+2 → Mon 2026-03-30 10:00 GMT+2: PagerDuty has erin, firewatch has bob\n');
  });
});

describe('firewatch import pagerduty: New York across the fall-back night', () => {
  const result = pagerDuty('pagerduty-new-york');

  it('counts 12-hour turns in elapsed hours and keeps a Saturday-night window on the wall clock', () => {
    expect(result.oncall.layers).toEqual([
      { name: 'checkout-nights', participants: ['alice', 'bob'], length: { weeks: 2 }, handoff: { time: '08:00' }, start: '2026-10-19', restrictions: [{ from: 'saturday 22:00', to: 'sunday 06:00' }] },
      { name: 'checkout-nights-layer-3', participants: ['dave', 'erin'], length: { hours: 12 }, handoff: { time: '20:00' }, start: '2026-10-31', until: '2026-11-01T20:00:00-05:00', over: 'checkout-nights' },
    ]);
    committed(result);
  });

  it('shows the layer it could not express as the one difference, and why', () => {
    expect(report(result, 'America/New_York')).toBe(
      [
        "Self-check against PagerDuty's rendered schedule, Mon 2026-10-26 00:00 EDT → Mon 2026-11-23 00:00 EST: 1 difference",
        '  schedule "Checkout Nights" (layer checkout-nights): 1 difference',
        '    Tue 2026-11-10 12:00 EST → Tue 2026-11-10 15:00 EST: PagerDuty has carol, firewatch has nobody',
        '',
        'Not expressible in firewatch (1):',
        '  - schedule "Checkout Nights" Game day: turns of 5400 seconds are not whole hours; layer left out, so the self-check shows where it was on call',
        '',
      ].join('\n'),
    );
  });
});

describe('firewatch import pagerduty: a shift-based (v3) schedule in Europe/Berlin across the fall-back weekend', () => {
  const result = pagerDuty('pagerduty-v3-berlin');

  it('writes one layer per rotation (every-member rotations one per member) and custom shifts as overrides', () => {
    expect(result.oncall.layers).toEqual([
      {
        name: 'payments-rotation-1',
        participants: ['alice', 'bob'],
        length: { weeks: 1 },
        handoff: { time: '09:00' },
        start: '2026-10-19',
        restrictions: [
          { from: 'monday 09:00', to: 'monday 17:00' },
          { from: 'wednesday 09:00', to: 'wednesday 17:00' },
        ],
      },
      { name: 'payments-rotation-2-carol', participants: ['carol'], length: { weeks: 1 }, handoff: { time: '18:00' }, start: '2026-10-23', restrictions: [{ from: 'friday 18:00', to: 'monday 09:00' }] },
      { name: 'payments-rotation-2-dave', participants: ['dave'], length: { weeks: 1 }, handoff: { time: '18:00' }, start: '2026-10-23', restrictions: [{ from: 'friday 18:00', to: 'monday 09:00' }] },
      { name: 'payments-custom-shifts', participants: ['no-one'], length: { weeks: 52 }, handoff: { time: '00:00' }, start: '2026-10-18' },
    ]);
    expect(result.oncall.overrides).toEqual([
      { who: 'frank', from: '2026-10-28T18:00:00+01:00', to: '2026-10-28T22:00:00+01:00', layer: 'payments-custom-shifts' },
      { who: 'erin', from: '2026-11-04T09:00:00+01:00', to: '2026-11-04T17:00:00+01:00', layer: 'payments-rotation-1' },
    ]);
    committed(result);
  });

  it("matches PagerDuty's computed shift assignments, people on call together included", () => {
    const check = selfCheck(result);
    expect(check.differences).toEqual([]);
    expect(check.checked).toEqual([{ label: 'shift-based schedule "Payments"', layers: ['payments-rotation-1', 'payments-rotation-2-carol', 'payments-rotation-2-dave', 'payments-custom-shifts'], differences: 0 }]);
  });
});

describe('firewatch import opsgenie: America/New_York across the spring-forward weekend', () => {
  const result = opsgenie('opsgenie-new-york');

  it('writes each rotation as a layer on call with the others: weekly, hourly, weekday and time-of-day restrictions, end dates', () => {
    expect(result.oncall).toEqual({
      timezone: 'America/New_York',
      layers: [
        { name: 'sre-primary', participants: ['alice', 'bob', 'no-one'], length: { weeks: 1 }, handoff: { time: '10:00' }, start: '2026-02-23' },
        { name: 'sre-nights', participants: ['carol', 'dave'], length: { hours: 12 }, handoff: { time: '19:00' }, start: '2026-03-07', until: '2026-03-09T07:00:00-04:00' },
        { name: 'sre-business-hours', participants: ['erin', 'frank', 'no-one'], length: { weeks: 1 }, handoff: { time: '09:00' }, start: '2026-03-02', restrictions: [{ from: 'monday 09:00', to: 'friday 17:00' }] },
        { name: 'sre-evening', participants: ['no-one'], length: { days: 1 }, handoff: { time: '00:00' }, start: '2026-03-07', restrictions: [{ from: '22:00', to: '06:00' }], until: '2026-03-10T00:00:00-04:00' },
      ],
      overrides: [{ who: 'alice', from: '2026-03-10T12:00:00-04:00', to: '2026-03-11T12:00:00-04:00', layer: 'sre-primary' }],
      escalation: {
        steps: [
          { afterMinutes: 5, mention: ['@ivan'] },
          { afterMinutes: 120, mention: ['@acme/platform'] },
          { afterMinutes: 135, mention: ['@ivan'] },
          { afterMinutes: 250, mention: ['@acme/platform'] },
        ],
      },
    });
    committed(result);
  });

  it("matches Opsgenie's final timeline rotation by rotation, and lists the team turn, the next-on-call rule and grace", () => {
    const text = report(result, 'America/New_York');
    expect(text.split('\n').slice(0, 5)).toEqual([
      "Self-check against Opsgenie's rendered schedule, Mon 2026-03-02 00:00 EST → Mon 2026-03-30 00:00 EDT: no differences",
      '  rotation "Primary" of schedule "SRE" (layer sre-primary): same',
      '  rotation "Nights" of schedule "SRE" (layer sre-nights): same',
      '  rotation "Business hours" of schedule "SRE" (layer sre-business-hours): same',
      '  rotation "Evening" of schedule "SRE" (layer sre-evening): same',
    ]);
    expect(result.notExpressible).toEqual([
      'schedule "SRE" rotation "Business hours" participant 3: a team ("Platform") takes turns; firewatch rotations take people, so that turn is "no-one" (a gap)',
      'escalation "SRE escalation" rule 3: notifies the next on-call of schedule "SRE" after 60 minutes; firewatch steps mention fixed people or teams (map "SRE: \'@org/team\'" in the --people file to page a team instead)',
      'escalation "SRE escalation" rule 4: escalates while the alert is not closed; firewatch escalates while the incident is not acknowledged',
      'escalation "SRE escalation" rule 1: notifies the current on-call of schedule "SRE" after 130 minutes; firewatch steps mention fixed people or teams (map "SRE: \'@org/team\'" in the --people file to page a team instead)',
      'escalation "SRE escalation" rule 3: notifies the next on-call of schedule "SRE" after 190 minutes; firewatch steps mention fixed people or teams (map "SRE: \'@org/team\'" in the --people file to page a team instead)',
    ]);
    expect(result.unmapped).toEqual([{ email: 'grace@example.com', name: 'Grace Gale', where: ['schedule "SRE" rotation "Evening"', 'schedule "SRE" timeline'] }]);
  });
});

describe('a PagerDuty layer whose turns start at a time the clock shows twice', () => {
  it('anchors on an earlier turn so the first 01:30 of the fall-back night stays the first', () => {
    const dump = pagerDutyDumpFromFiles(readDumpFiles(join(FIXTURES, 'pagerduty-new-york')));
    const start = '2026-11-01T01:30:00-04:00';
    const layer = { start, rotation_virtual_start: start, rotation_turn_length_seconds: 6 * 3600, users: [{ user: { id: 'PALICE1' } }, { user: { id: 'PBOB002' } }], restrictions: [] };
    const [item] = dump.schedules;
    const result = importPagerDuty({ ...dump, schedules: [{ ...item!, schedule: { ...item!.schedule, schedule_layers: [layer], final_schedule: null } }] }, { people: people() });
    const schedule = scheduleConfigSchema.parse(result.oncall);
    const who = (iso: string) => whoIsOnCall(schedule, new Date(iso)).layers.map((entry) => `${entry.login ?? '(gap)'} ${entry.shift.start.toISOString()}`);
    expect(who('2026-11-01T05:29:00Z')).toEqual(['(gap) 2026-10-31T23:30:00.000Z']);
    expect(who('2026-11-01T05:30:00Z')).toEqual(['alice 2026-11-01T05:30:00.000Z']);
    expect(who('2026-11-01T11:30:00Z')).toEqual(['bob 2026-11-01T11:30:00.000Z']);
  });
});

describe('an Opsgenie hourly rotation starting at a time the clock shows twice', () => {
  it('keeps its first turn at the first 01:30 of the fall-back night', () => {
    const dump = opsgenieDumpFromFiles(readDumpFiles(join(FIXTURES, 'opsgenie-new-york')));
    const [item] = dump.schedules;
    const rotation = { id: 'rot-fallback', name: 'Fallback', startDate: '2026-11-01T05:30:00Z', type: 'hourly' as const, length: 6, participants: [{ type: 'user', username: 'alice@example.com' }, { type: 'user', username: 'bob@example.com' }] };
    const result = importOpsgenie({ ...dump, schedules: [{ ...item!, schedule: { ...item!.schedule, rotations: [rotation] }, overrides: [], timeline: null }], escalations: [] }, { people: people() });
    const schedule = scheduleConfigSchema.parse(result.oncall);
    const who = (iso: string) => whoIsOnCall(schedule, new Date(iso)).layers.map((entry) => entry.login ?? '(gap)');
    expect([who('2026-11-01T05:29:00Z'), who('2026-11-01T05:30:00Z'), who('2026-11-01T11:29:00Z'), who('2026-11-01T11:30:00Z')]).toEqual([['(gap)'], ['alice'], ['alice'], ['bob']]);
  });
});

describe('vendor names', () => {
  it('cannot smuggle terminal escapes into the report or lines into the YAML comments', () => {
    const dump = pagerDutyDumpFromFiles(readDumpFiles(join(FIXTURES, 'pagerduty-new-york')));
    const [item] = dump.schedules;
    const named = { ...dump, schedules: [{ ...item!, schedule: { ...item!.schedule, name: 'Nights\u001b[2J\noncall: {}' } }] };
    const result = importPagerDuty(named, { people: people() });
    const text = report(result, 'America/New_York');
    expect(text).toContain('  schedule "Nights?[2J?oncall: {}" (layer nights-2j-oncall): 1 difference\n');
    expect(text.includes('\u001b')).toBe(false);
    expect(committed(result).layers.map((layer) => layer.name)).toEqual(['nights-2j-oncall', 'nights-2j-oncall-layer-3']);
  });
});

describe('the people file', () => {
  it('maps e-mails (any case) to logins and vendor names to teams, and refuses what is neither', () => {
    const parsed = parsePeopleMap('Alice@Example.com: alice\nSecondary: "@acme/sre"\nbob@example.com: "@bob"\ncarol: carol\ndave@example.com: 42\n');
    expect(parsed).toEqual({
      ok: false,
      problems: [
        'bob@example.com: "@bob" must be @org/team (a person is written as a login without @)',
        'carol: people are keyed by e-mail address; a vendor schedule or team maps to @org/team',
        'dave@example.com: must be a GitHub login (or @org/team), not number',
      ],
    });
    const good = parsePeopleMap('Alice@Example.com: alice\nSecondary: "@acme/sre"\n');
    expect(good.ok && [...good.map.logins]).toEqual([['alice@example.com', 'alice']]);
    expect(good.ok && [...good.map.teams]).toEqual([['secondary', '@acme/sre']]);
  });
});
