import { NO_ONE, type ScheduleConfigInput } from '../scheduleConfig.ts';
import { dayNumberOfDate, dateOfDayNumber, instantAt, WEEKDAYS } from '../wallClock.ts';
import { MAX_LOOPS, toSteps, type PlannedStep } from './escalationSteps.ts';
import { layerName, rotate, UnmappedPeople, type ExpectedTimeline, type ImportResult, type RenderedEntry } from './importResult.ts';
import { selfCheck } from './selfCheck.ts';
import type { PagerDutyDump, PdEscalationPolicy, PdSchedule, PdScheduleLayer, PdV3Event, PdV3Schedule } from './pagerDutyApi.ts';
import type { PeopleMap } from './peopleMap.ts';
import { instantOfText, isZone, localParts, pointInTime, restrictionTime, wallClockMinutes } from './vendorTime.ts';

type LayerInput = NonNullable<ScheduleConfigInput['layers']>[number];
type OverrideInput = NonNullable<ScheduleConfigInput['overrides']>[number];
type RestrictionInput = NonNullable<LayerInput['restrictions']>[number];

export interface ImportOptions {
  people: PeopleMap;
  /** Only these schedules (ids or names, any case); default every schedule in the dump. */
  schedules?: readonly string[];
  /** The escalation policy to import (id or name); default the one that pages the imported schedules. */
  policy?: string;
}

const WEEK_SECONDS = 604_800;
const DAY_SECONDS = 86_400;

/** Collects what one import builds, so each vendor object is converted by a small function. */
class Build {
  readonly taken = new Set<string>();
  readonly layers: LayerInput[] = [];
  readonly overrides: OverrideInput[] = [];
  readonly notExpressible: string[] = [];
  readonly notes: string[] = [];
  readonly unmapped = new UnmappedPeople();
  readonly expected: ExpectedTimeline[] = [];
  timezone: string | undefined;
  private readonly users: Map<string, PagerDutyDump['users'][number]>;

  constructor(
    readonly dump: PagerDutyDump,
    readonly people: PeopleMap,
  ) {
    this.users = new Map(dump.users.map((user) => [user.id, user]));
  }

  /** The GitHub login of a PagerDuty user, or null (listed as unmapped) when the mapping file does not name them. */
  login(userId: string, summary: string | null | undefined, where: string): string | null {
    const user = this.users.get(userId);
    const email = user?.email ?? undefined;
    const login = email ? this.people.logins.get(email.toLowerCase()) : undefined;
    if (login) return login;
    this.unmapped.add(email ?? `PagerDuty user ${userId}`, user?.name ?? summary ?? undefined, where);
    return null;
  }

  /** Sets the section's time zone from the first schedule; a layer in another zone says its own. */
  zoneFields(zone: string): { timezone?: string } {
    this.timezone ??= zone;
    return zone === this.timezone ? {} : { timezone: zone };
  }
}

type Length = NonNullable<LayerInput['length']>;

function lengthOf(seconds: number): Length | string {
  if (seconds % WEEK_SECONDS === 0 && seconds / WEEK_SECONDS <= 52) return { weeks: seconds / WEEK_SECONDS };
  if (seconds % DAY_SECONDS === 0 && seconds / DAY_SECONDS <= 366) return { days: seconds / DAY_SECONDS };
  if (seconds % 3600 === 0 && seconds / 3600 <= 8784) return { hours: seconds / 3600 };
  return `turns of ${seconds} seconds are not whole hours`;
}

function restrictionsOf(layer: PdScheduleLayer): RestrictionInput[] | string {
  const out: RestrictionInput[] = [];
  for (const restriction of layer.restrictions ?? []) {
    const [hours, minutes, seconds = '00'] = restriction.start_time_of_day.split(':') as [string, string, string?];
    if (seconds !== '00' || restriction.duration_seconds % 60 !== 0) return `a restriction starts or lasts to the second (${restriction.start_time_of_day}, ${restriction.duration_seconds} s); firewatch windows are whole minutes`;
    const startMinutes = Number(hours) * 60 + Number(minutes);
    const duration = restriction.duration_seconds / 60;
    if (restriction.type === 'daily_restriction') {
      if (duration > 1440) return `a daily restriction lasts ${restriction.duration_seconds} s, more than a day`;
      out.push({ from: restrictionTime(startMinutes, false), to: restrictionTime(startMinutes + duration, false) });
    } else {
      if (!restriction.start_day_of_week) return 'a weekly restriction has no start_day_of_week';
      if (duration > 10_080) return `a weekly restriction lasts ${restriction.duration_seconds} s, more than a week`;
      const start = (restriction.start_day_of_week - 1) * 1440 + startMinutes;
      out.push({ from: restrictionTime(start, true), to: restrictionTime(start + duration, true) });
    }
  }
  return out;
}

/**
 * One PagerDuty schedule layer as a firewatch layer. PagerDuty counts turns from
 * `rotation_virtual_start` and the layer is on call from `start`; firewatch's first handoff is its
 * anchor, so when `start` comes before the virtual start the anchor moves back whole turns (and
 * the user order with it). Whole days and weeks keep the handoff's wall-clock time across
 * daylight-saving changes; other lengths count elapsed hours (PagerDuty does not document which
 * it does; the self-check shows any difference).
 */
function convertLayer(build: Build, layer: PdScheduleLayer, zone: string, where: string, name: string, over: string | undefined): LayerInput | string {
  const length = lengthOf(layer.rotation_turn_length_seconds);
  if (typeof length === 'string') return length;
  const restrictions = restrictionsOf(layer);
  if (typeof restrictions === 'string') return restrictions;
  const virtualStart = instantOfText(layer.rotation_virtual_start);
  const start = instantOfText(layer.start);
  const end = layer.end ? instantOfText(layer.end) : undefined;
  if (Number.isNaN(virtualStart) || Number.isNaN(start) || (end !== undefined && Number.isNaN(end))) return 'its start, end or rotation_virtual_start is not a date-time';
  const parts = localParts(virtualStart, zone);
  if (parts.subMinute !== 0) return `its turns start at ${layer.rotation_virtual_start}, which is not a whole minute`;
  if (layer.users.length === 0) return 'it has no users';
  const turnMs = layer.rotation_turn_length_seconds * 1000;
  let back = start < virtualStart ? Math.ceil((virtualStart - start) / turnMs) : 0;
  if ('hours' in length) {
    // A wall-clock time that happens twice (the night clocks go back) names only one instant in
    // firewatch; anchor on an earlier turn whose wall-clock time is unambiguous.
    for (let tries = 0; tries < 3; tries += 1) {
      const candidate = localParts(virtualStart - back * turnMs, zone);
      if (instantAt(dayNumberOfDate(candidate.date), candidate.minutes, zone) === virtualStart - back * turnMs) break;
      back += 1;
    }
  }
  const participants = layer.users.map(({ user }) => build.login(user.id, user.summary, where) ?? NO_ONE);
  const anchor = 'hours' in length ? localParts(virtualStart - back * turnMs, zone) : { ...parts, date: dateOfDayNumber(dayNumberOfDate(parts.date) - back * (layer.rotation_turn_length_seconds / DAY_SECONDS)) };
  return {
    name,
    participants: rotate(participants, -back),
    length,
    handoff: { time: anchor.time },
    ...build.zoneFields(zone),
    start: anchor.date,
    ...(restrictions.length > 0 ? { restrictions } : {}),
    ...(start > virtualStart - back * turnMs ? { from: pointInTime(start, zone) } : {}),
    ...(end !== undefined ? { until: pointInTime(end, zone) } : {}),
    ...(over ? { over } : {}),
  };
}

function renderedEntries(build: Build, entries: readonly { start: string; end: string; user?: { id: string; summary?: string | null | undefined } | null | undefined }[], where: string): RenderedEntry[] {
  return entries.map((entry) => ({
    start: instantOfText(entry.start),
    end: instantOfText(entry.end),
    login: entry.user ? build.login(entry.user.id, entry.user.summary, where) : null,
  }));
}

type Overrides = PagerDutyDump['schedules'][number]['overrides'];

/**
 * The schedule's layers from the one underneath to the one that wins. PagerDuty's GET has listed
 * them winner first (its own support scripts reverse them before a PUT), and PagerDuty has said it
 * would change that; so with more than one layer and a rendered final schedule, the order that
 * reproduces the final schedule more closely is taken, winner first when both do equally well.
 */
function layersUnderneathFirst(build: Build, schedule: PdSchedule, overrides: Overrides, window: { start: number; end: number }): PdScheduleLayer[] {
  const winnerFirst = [...schedule.schedule_layers].reverse();
  if (schedule.schedule_layers.length < 2 || !schedule.final_schedule?.rendered_schedule_entries) return winnerFirst;
  const disagreement = (ordered: PdScheduleLayer[]) => {
    const trial = new Build(build.dump, build.people);
    convertSchedule(trial, schedule, ordered, overrides, window);
    const result: ImportResult = { vendor: 'PagerDuty', oncall: { timezone: trial.timezone ?? 'UTC', layers: trial.layers, overrides: trial.overrides }, notExpressible: [], notes: [], unmapped: [], expected: trial.expected, window };
    return selfCheck(result).differences.reduce((sum, difference) => sum + difference.end - difference.start, 0);
  };
  const listed = [...schedule.schedule_layers];
  if (disagreement(listed) < disagreement(winnerFirst)) {
    build.notes.push(`schedule "${schedule.name}": its layers reproduce PagerDuty's final schedule only with the last listed layer winning, so they were imported in that order`);
    return listed;
  }
  return winnerFirst;
}

function importSchedule(build: Build, schedule: PdSchedule, overrides: Overrides, window: { start: number; end: number }): string | undefined {
  if (!isZone(schedule.time_zone)) {
    build.notExpressible.push(`schedule "${schedule.name}": its time zone "${schedule.time_zone}" is not an IANA zone name (ask the API with time_zone=Area/City); schedule left out`);
    return undefined;
  }
  return convertSchedule(build, schedule, layersUnderneathFirst(build, schedule, overrides, window), overrides, window);
}

function convertSchedule(build: Build, schedule: PdSchedule, ordered: readonly PdScheduleLayer[], overrides: Overrides, window: { start: number }): string | undefined {
  const label = `schedule "${schedule.name}"`;
  const zone = schedule.time_zone;
  const position = layerName(schedule.name, build.taken);
  let base: string | undefined;
  ordered.forEach((layer, index) => {
    const where = `${label} ${layer.name ?? `Layer ${index + 1}`}`;
    if (layer.end && instantOfText(layer.end) <= window.start) {
      build.notes.push(`${where} ended ${layer.end}, before the import window: left out`);
      return;
    }
    const name = base === undefined ? position : layerName(`${position}-layer-${index + 1}`, build.taken);
    const converted = convertLayer(build, layer, zone, where, name, base);
    if (typeof converted === 'string') {
      build.notExpressible.push(`${where}: ${converted}; layer left out, so the self-check shows where it was on call`);
      if (name !== position) build.taken.delete(name);
      return;
    }
    build.layers.push(converted);
    base ??= name;
  });
  if (base === undefined) {
    build.notExpressible.push(`${label}: no layer of it could be imported, so its overrides were left out too`);
    return undefined;
  }
  for (const override of overrides) {
    const who = build.login(override.user.id, override.user.summary, `${label} override ${override.start}`) ?? NO_ONE;
    build.overrides.push({ who, from: pointInTime(instantOfText(override.start), zone), to: pointInTime(instantOfText(override.end), zone), layer: base });
  }
  const final = schedule.final_schedule?.rendered_schedule_entries;
  if (final) build.expected.push({ label, layers: [base], entries: renderedEntries(build, final, `${label} final schedule`) });
  else build.notes.push(`${label}: the dump has no final_schedule (GET /schedules/{id} with since and until), so it was not compared`);
  return base;
}

const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

interface Rule {
  freq: string;
  interval: number;
  byday: number[];
}

function parseRecurrence(recurrence: readonly string[]): Rule | string {
  const rules = recurrence.filter((line) => line.startsWith('RRULE:'));
  if (rules.length !== 1) return `its recurrence has ${rules.length} RRULEs`;
  if (recurrence.some((line) => /^(EXDATE|RDATE)/.test(line))) return 'its recurrence has EXDATE or RDATE exceptions';
  const fields = new Map((rules[0] as string).slice('RRULE:'.length).split(';').map((pair) => pair.split('=') as [string, string]));
  const unsupported = [...fields.keys()].filter((key) => !['FREQ', 'INTERVAL', 'BYDAY', 'WKST'].includes(key));
  if (unsupported.length > 0) return `its RRULE uses ${unsupported.join(', ')}`;
  const byday = (fields.get('BYDAY') ?? '').split(',').filter(Boolean).map((code) => BYDAY.indexOf(code));
  if (byday.some((day) => day < 0)) return `its RRULE has BYDAY=${fields.get('BYDAY')}`;
  return { freq: fields.get('FREQ') ?? '', interval: Number(fields.get('INTERVAL') ?? '1'), byday: [...new Set(byday)].sort((a, b) => a - b) };
}

interface EventPlan {
  length: Length;
  restrictions: RestrictionInput[];
  handoff: string;
  date: string;
  zone: string;
}

/**
 * A v3 event's recurring window as a layer's rotation and restrictions. Each occurrence starts at
 * `start_time` repeated by the RRULE in the event's zone and lasts as long on the wall clock as
 * start to end does; a rotating member keeps `shifts_per_member` occurrences, so with a BYDAY of k
 * days and a multiple of k (PagerDuty's editor requires it) each member keeps whole weeks.
 */
function planEvent(event: PdV3Event): EventPlan | string {
  const zone = event.start_time.time_zone;
  if (!isZone(zone)) return `its time zone "${zone}" is not an IANA zone name`;
  const rule = parseRecurrence(event.recurrence);
  if (typeof rule === 'string') return rule;
  const start = instantOfText(event.start_time.date_time);
  const end = instantOfText(event.end_time.date_time);
  const parts = localParts(start, zone);
  if (parts.subMinute !== 0) return 'it starts at a time that is not a whole minute';
  const duration = wallClockMinutes(start, end, zone);
  if (!(duration > 0)) return 'it ends before it starts';
  const days = rule.byday.length > 0 ? rule.byday : [];
  if (!['DAILY', 'WEEKLY'].includes(rule.freq)) return `its RRULE repeats ${rule.freq.toLowerCase() || 'never'}`;
  const weeklyDays = rule.freq === 'WEEKLY' || days.length > 0 ? (days.length > 0 ? days : [parts.weekday]) : [];
  if (weeklyDays.length > 0 && !weeklyDays.includes(parts.weekday)) return `it starts on a ${WEEKDAYS[parts.weekday]}, which its BYDAY leaves out`;
  if (weeklyDays.length > 1 && rule.interval !== 1) return 'it repeats on several weekdays every few weeks';
  const shiftsPerMember = event.assignment_strategy.shifts_per_member ?? 1;
  const rotating = event.assignment_strategy.type === 'rotating_member_assignment_strategy';
  if (weeklyDays.length <= 1) {
    const periodDays = rule.freq === 'DAILY' ? rule.interval : 7 * rule.interval;
    if (duration > periodDays * 1440) return 'its occurrences overlap';
    const turnDays = rotating ? shiftsPerMember * periodDays : periodDays;
    const length = turnDays % 7 === 0 && turnDays / 7 <= 52 ? { weeks: turnDays / 7 } : turnDays <= 366 ? { days: turnDays } : undefined;
    if (!length) return `each member keeps ${turnDays} days`;
    let restrictions: RestrictionInput[] = [];
    if (duration < periodDays * 1440) {
      if (periodDays === 1) restrictions = [{ from: parts.time, to: restrictionTime(parts.minutes + duration, false) }];
      else if (periodDays === 7) restrictions = [{ from: restrictionTime(parts.weekday * 1440 + parts.minutes, true), to: restrictionTime(parts.weekday * 1440 + parts.minutes + duration, true) }];
      else return `it is on call ${duration} minutes every ${periodDays} days`;
    }
    return { length, restrictions, handoff: parts.time, date: parts.date, zone };
  }
  const gaps = weeklyDays.map((day, index) => ((weeklyDays[(index + 1) % weeklyDays.length] as number) - day + 7) % 7 || 7);
  if (duration > Math.min(...gaps) * 1440) return 'its occurrences overlap';
  if (rotating && shiftsPerMember % weeklyDays.length !== 0) return `each member keeps ${shiftsPerMember} of ${weeklyDays.length} weekly occurrences, so members change on a different weekday each week`;
  const weeks = rotating ? shiftsPerMember / weeklyDays.length : 1;
  if (weeks > 52) return `each member keeps ${weeks} weeks`;
  const restrictions = weeklyDays.map((day) => ({ from: restrictionTime(day * 1440 + parts.minutes, true), to: restrictionTime(day * 1440 + parts.minutes + duration, true) }));
  return { length: { weeks }, restrictions, handoff: parts.time, date: parts.date, zone };
}

type Member = { type: 'user_member' | 'empty_member'; user_id?: string | null | undefined };

function importV3Schedule(build: Build, item: PagerDutyDump['v3Schedules'][number], window: { start: number; end: number }): string[] {
  const { schedule } = item;
  const label = `shift-based schedule "${schedule.name}"`;
  if (!isZone(schedule.time_zone)) {
    build.notExpressible.push(`${label}: its time zone "${schedule.time_zone}" is not an IANA zone name; schedule left out`);
    return [];
  }
  const slug = layerName(schedule.name, build.taken);
  build.taken.delete(slug);
  const positions: string[] = [];
  const member = (value: Member, where: string) => (value.type === 'user_member' && value.user_id ? build.login(value.user_id, undefined, where) : null);
  const targets = new Map<string, { rotating?: string; byLogin: Map<string | null, string> }>();
  const rotations = schedule.rotations ?? [];
  rotations.forEach((rotation, rotationIndex) => {
    const rotationName = rotations.length === 1 ? slug : `${slug}-rotation-${rotationIndex + 1}`;
    const target = { byLogin: new Map<string | null, string>() } as { rotating?: string; byLogin: Map<string | null, string> };
    targets.set(rotation.id, target);
    for (const [eventIndex, event] of (rotation.events ?? []).entries()) {
      const where = `${label} rotation ${rotationIndex + 1} event "${event.name ?? eventIndex + 1}"`;
      const plan = planEvent(event);
      if (typeof plan === 'string') {
        build.notExpressible.push(`${where}: ${plan}; event left out, so the self-check shows where it was on call`);
        continue;
      }
      const effectiveSince = instantOfText(event.effective_since);
      const effectiveUntil = event.effective_until ? instantOfText(event.effective_until) : undefined;
      const bounds = {
        ...(effectiveSince > instantOfText(event.start_time.date_time) ? { from: pointInTime(effectiveSince, plan.zone) } : {}),
        ...(effectiveUntil !== undefined ? { until: pointInTime(effectiveUntil, plan.zone) } : {}),
      };
      const common = { length: plan.length, handoff: { time: plan.handoff }, ...build.zoneFields(plan.zone), start: plan.date, ...(plan.restrictions.length > 0 ? { restrictions: plan.restrictions } : {}), ...bounds };
      const logins = event.assignment_strategy.members.map((value) => member(value, where));
      if (event.assignment_strategy.type === 'rotating_member_assignment_strategy') {
        // Events of one rotation never overlap, so stacking them over the first is their union.
        const name = layerName(target.rotating === undefined ? rotationName : `${rotationName}-event-${eventIndex + 1}`, build.taken);
        build.layers.push({ name, participants: logins.map((login) => login ?? NO_ONE), ...common, ...(target.rotating ? { over: target.rotating } : {}) });
        if (target.rotating === undefined) {
          target.rotating = name;
          positions.push(name);
        }
      } else {
        logins.forEach((login, index) => {
          const name = layerName(`${rotationName}-${login ?? `member-${index + 1}`}`, build.taken);
          build.layers.push({ name, participants: [login ?? NO_ONE], ...common });
          target.byLogin.set(login, name);
          positions.push(name);
        });
      }
    }
  });
  const customShifts = item.customShifts.filter((shift) => instantOfText(shift.end_time) > window.start && instantOfText(shift.start_time) < window.end);
  const customOverrides = item.overrides.filter((override) => override.custom_shift_id);
  let custom: string | undefined;
  if (customShifts.length > 0 || customOverrides.length > 0) {
    custom = layerName(`${slug}-custom-shifts`, build.taken);
    build.layers.push({ name: custom, participants: [NO_ONE], length: { weeks: 52 }, handoff: { time: '00:00' }, ...build.zoneFields(schedule.time_zone), start: localParts(window.start - 86_400_000, schedule.time_zone).date });
    positions.push(custom);
    build.notes.push(`${label}: its custom shifts are overrides of layer ${custom}, which is a gap the rest of the time`);
    for (const shift of customShifts) {
      const assignment = shift.assignments[0];
      const who = assignment ? member(assignment.member, `${label} custom shift ${shift.start_time}`) : null;
      build.overrides.push({ who: who ?? NO_ONE, from: pointInTime(instantOfText(shift.start_time), schedule.time_zone), to: pointInTime(instantOfText(shift.end_time), schedule.time_zone), layer: custom });
    }
  }
  for (const override of item.overrides) {
    const where = `${label} override ${override.start_time}`;
    const target = override.rotation_id ? targets.get(override.rotation_id) : undefined;
    const layer = override.custom_shift_id ? custom : target ? (target.rotating ?? target.byLogin.get(member(override.overridden_member, where))) : undefined;
    if (!layer) {
      build.notExpressible.push(`${where}: it overrides a rotation or member that was not imported; left out`);
      continue;
    }
    const who = member(override.overriding_member, where);
    build.overrides.push({ who: who ?? NO_ONE, from: pointInTime(instantOfText(override.start_time), schedule.time_zone), to: pointInTime(instantOfText(override.end_time), schedule.time_zone), layer });
  }
  const final = schedule.final_schedule?.computed_shift_assignments;
  if (final && positions.length > 0) {
    build.expected.push({
      label,
      layers: positions,
      entries: final.map((assignment) => ({ start: instantOfText(assignment.start_time), end: instantOfText(assignment.end_time), login: member(assignment.member, `${label} final schedule`) })),
    });
  } else if (!final) build.notes.push(`${label}: the dump has no final_schedule (include[]=final_schedule with since and until), so it was not compared`);
  return positions;
}

function importPolicy(build: Build, policy: PdEscalationPolicy, imported: Map<string, string[]>): ScheduleConfigInput['escalation'] {
  const label = `escalation policy "${policy.name}"`;
  const planned: PlannedStep[] = [];
  const cycle = policy.escalation_rules.reduce((sum, rule) => sum + rule.escalation_delay_in_minutes, 0);
  const loops = Math.min(policy.num_loops ?? 0, MAX_LOOPS);
  for (let loop = 0; loop <= loops; loop += 1) {
    let after = loop * cycle;
    policy.escalation_rules.forEach((rule, index) => {
      const where = `${label} rule ${index + 1}`;
      const mention: string[] = [];
      for (const target of rule.targets) {
        if (target.type === 'user_reference' || target.type === 'user') {
          const login = build.login(target.id, target.summary, where);
          if (login) mention.push(`@${login}`);
          else if (loop === 0) build.notExpressible.push(`${where}: pages an unmapped user; left out of the step`);
          continue;
        }
        const name = target.summary ?? target.id;
        const team = build.people.teams.get(target.id.toLowerCase()) ?? build.people.teams.get(name.toLowerCase());
        if (team) {
          mention.push(team);
          continue;
        }
        const layers = imported.get(target.id);
        if (layers && after === 0) build.notes.push(`${where}: pages ${target.type === 'schedule_reference' ? 'schedule' : target.type} "${name}" right away; firewatch assigns whoever is on call in ${layers.join(', ')} when the incident opens`);
        else build.notExpressible.push(`${where}: pages whoever is on call in "${name}" after ${after} minutes; firewatch steps mention fixed people or teams (map "${name}: '@org/team'" in the --people file to page a team instead)`);
      }
      const strategy = rule.escalation_rule_assignment_strategy;
      const strategyType = typeof strategy === 'string' ? strategy : Array.isArray(strategy) ? strategy[0]?.type : strategy?.type;
      if (loop === 0 && strategyType === 'round_robin') build.notExpressible.push(`${where}: assigns round robin; firewatch mentions every target of the step`);
      planned.push({ afterMinutes: after, mention });
      after += rule.escalation_delay_in_minutes;
    });
  }
  if ((policy.num_loops ?? 0) > MAX_LOOPS) build.notExpressible.push(`${label}: repeats ${policy.num_loops} times; imported ${MAX_LOOPS} repeats`);
  if (loops > 0) build.notes.push(`${label}: its ${loops} repeat${loops === 1 ? '' : 's'} are written out as further steps`);
  return { steps: toSteps(planned) };
}

function matches(wanted: readonly string[] | undefined, id: string, name: string): boolean {
  return !wanted || wanted.some((text) => text.toLowerCase() === id.toLowerCase() || text.toLowerCase() === name.toLowerCase());
}

/**
 * The `oncall` section for a PagerDuty account: each schedule becomes one reported layer (its
 * upper layers stacked `over` it, as PagerDuty's final schedule is one person at a time), each
 * shift-based schedule one layer per rotation (they are on call together), overrides become
 * overrides, and the escalation policy that pages those schedules becomes the escalation steps.
 * Pure: the caller fetched or read the dump and the mapping file.
 */
export function importPagerDuty(dump: PagerDutyDump, options: ImportOptions): ImportResult {
  const build = new Build(dump, options.people);
  const window = { start: instantOfText(dump.window.since), end: instantOfText(dump.window.until) };
  const imported = new Map<string, string[]>();
  const v3Ids = new Set(dump.v3Schedules.map((item) => item.schedule.id));
  for (const item of dump.schedules) {
    if (v3Ids.has(item.schedule.id) || !matches(options.schedules, item.schedule.id, item.schedule.name)) continue;
    const base = importSchedule(build, item.schedule, item.overrides, window);
    if (base) imported.set(item.schedule.id, [base]);
  }
  for (const item of dump.v3Schedules) {
    if (!matches(options.schedules, item.schedule.id, item.schedule.name)) continue;
    const positions = importV3Schedule(build, item, window);
    if (positions.length > 0) imported.set(item.schedule.id, positions);
  }
  for (const wanted of options.schedules ?? []) {
    const all = [...dump.schedules.map((item) => item.schedule), ...dump.v3Schedules.map((item) => item.schedule)] as (PdSchedule | PdV3Schedule)[];
    if (!all.some((schedule) => matches([wanted], schedule.id, schedule.name))) build.notes.push(`--schedule ${wanted}: no such schedule in the dump`);
  }

  let escalation: ScheduleConfigInput['escalation'];
  const policies = options.policy
    ? dump.escalationPolicies.filter((policy) => matches([options.policy as string], policy.id, policy.name))
    : dump.escalationPolicies.filter((policy) => policy.escalation_rules.some((rule) => rule.targets.some((target) => imported.has(target.id))));
  const [policy, ...others] = policies;
  if (options.policy && !policy) build.notes.push(`--policy ${options.policy}: no such escalation policy in the dump`);
  if (policy) {
    escalation = importPolicy(build, policy, imported);
    if (others.length > 0) build.notes.push(`a repository has one escalation policy: imported "${policy.name}"; left out ${others.map((other) => `"${other.name}"`).join(', ')} (choose with --policy)`);
  } else if (!options.policy && dump.escalationPolicies.length > 0) {
    build.notes.push('no escalation policy pages the imported schedules; choose one with --policy');
  }

  const oncall: ScheduleConfigInput = {
    timezone: build.timezone ?? 'UTC',
    layers: build.layers,
    ...(build.overrides.length > 0 ? { overrides: build.overrides } : {}),
    ...(escalation && (escalation.steps?.length ?? 0) > 0 ? { escalation } : {}),
  };
  return { vendor: 'PagerDuty', oncall, notExpressible: [...new Set(build.notExpressible)], notes: [...new Set(build.notes)], unmapped: build.unmapped.list(), expected: build.expected, window };
}
