import { NO_ONE, type ScheduleConfigInput } from '../scheduleConfig.ts';
import { dayNumberOfDate, instantAt, WEEKDAYS } from '../wallClock.ts';
import { MAX_LOOPS, toSteps, type PlannedStep } from './escalationSteps.ts';
import type { ImportOptions } from './importPagerDuty.ts';
import { layerName, rotate, UnmappedPeople, type ExpectedTimeline, type ImportResult } from './importResult.ts';
import type { OgEscalation, OgRotation, OpsgenieDump } from './opsgenieApi.ts';
import { instantOfText, isZone, localParts, pointInTime, restrictionTime } from './vendorTime.ts';

type LayerInput = NonNullable<ScheduleConfigInput['layers']>[number];
type OverrideInput = NonNullable<ScheduleConfigInput['overrides']>[number];
type RestrictionInput = NonNullable<LayerInput['restrictions']>[number];
type Recipient = { type: string; id?: string | null | undefined; name?: string | null | undefined; username?: string | null | undefined };

const MINUTES_PER_UNIT: Record<string, number> = { days: 1440, hours: 60, minutes: 1, seconds: 1 / 60 };

class Build {
  readonly taken = new Set<string>();
  readonly layers: LayerInput[] = [];
  readonly overrides: OverrideInput[] = [];
  readonly notExpressible: string[] = [];
  readonly notes: string[] = [];
  readonly unmapped = new UnmappedPeople();
  readonly expected: ExpectedTimeline[] = [];
  timezone: string | undefined;
  private readonly usernames: Map<string, { username: string; fullName?: string | null | undefined }>;

  constructor(
    dump: OpsgenieDump,
    readonly people: ImportOptions['people'],
  ) {
    this.usernames = new Map(dump.users.map((user) => [user.id, user]));
  }

  /** A user recipient's login; Opsgenie's username is the person's e-mail address. */
  login(recipient: Recipient, where: string): string | null {
    const user = recipient.id ? this.usernames.get(recipient.id) : undefined;
    const email = recipient.username ?? user?.username ?? (recipient.name?.includes('@') ? recipient.name : undefined);
    const login = email ? this.people.logins.get(email.toLowerCase()) : undefined;
    if (login) return login;
    this.unmapped.add(email ?? `Opsgenie user ${recipient.id ?? recipient.name ?? '?'}`, user?.fullName ?? undefined, where);
    return null;
  }

  zoneFields(zone: string): { timezone?: string } {
    this.timezone ??= zone;
    return zone === this.timezone ? {} : { timezone: zone };
  }
}

function restrictionsOf(rotation: OgRotation): RestrictionInput[] {
  const restriction = rotation.timeRestriction;
  if (!restriction) return [];
  if (restriction.type === 'time-of-day') {
    const { startHour, startMin, endHour, endMin } = restriction.restriction;
    return [{ from: restrictionTime(startHour * 60 + startMin, false), to: restrictionTime(endHour * 60 + endMin, false) }];
  }
  return restriction.restrictions.map((window) => ({
    from: restrictionTime(WEEKDAYS.indexOf(window.startDay) * 1440 + window.startHour * 60 + window.startMin, true),
    to: restrictionTime(WEEKDAYS.indexOf(window.endDay) * 1440 + window.endHour * 60 + window.endMin, true),
  }));
}

/**
 * An Opsgenie rotation as a firewatch layer: its turns start at `startDate` and last `length`
 * hours (elapsed), days or weeks (the same wall-clock time: Opsgenie does not document what its
 * daily and weekly rotations do when clocks change; the self-check shows any difference), its time
 * restrictions become restriction windows and `endDate` becomes `until`.
 */
function convertRotation(build: Build, rotation: OgRotation, zone: string, name: string, where: string): LayerInput | string {
  const start = instantOfText(rotation.startDate);
  if (Number.isNaN(start)) return `its startDate "${rotation.startDate}" is not a date-time`;
  if (localParts(start, zone).subMinute !== 0) return 'it starts at a time that is not a whole minute';
  const count = rotation.length ?? 1;
  // Hourly turns starting at a wall-clock time the fall-back night shows twice are anchored on an
  // earlier, unambiguous turn (a gap until startDate), as firewatch names one instant per wall-clock time.
  let back = 0;
  if (rotation.type === 'hourly') {
    while (back < 3) {
      const candidate = localParts(start - back * count * 3_600_000, zone);
      if (instantAt(dayNumberOfDate(candidate.date), candidate.minutes, zone) === start - back * count * 3_600_000) break;
      back += 1;
    }
  }
  const parts = localParts(start - back * count * 3_600_000, zone);
  const length = rotation.type === 'hourly' ? (count <= 8784 ? { hours: count } : undefined) : rotation.type === 'daily' ? (count <= 366 ? { days: count } : undefined) : count <= 52 ? { weeks: count } : undefined;
  if (!length) return `turns of ${count} ${rotation.type === 'hourly' ? 'hours' : rotation.type === 'daily' ? 'days' : 'weeks'} are longer than firewatch allows`;
  const participants = rotation.participants.map((participant, index) => {
    if (participant.type === 'none') return NO_ONE;
    if (participant.type === 'user') return build.login(participant, where) ?? NO_ONE;
    build.notExpressible.push(`${where} participant ${index + 1}: a${participant.type === 'escalation' ? 'n' : ''} ${participant.type} ("${participant.name ?? participant.id ?? '?'}") takes turns; firewatch rotations take people, so that turn is "${NO_ONE}" (a gap)`);
    return NO_ONE;
  });
  if (participants.length === 0) return 'it has no participants';
  const restrictions = restrictionsOf(rotation);
  const end = rotation.endDate ? instantOfText(rotation.endDate) : undefined;
  return {
    name,
    participants: rotate(participants, -back),
    length,
    handoff: { time: parts.time },
    ...build.zoneFields(zone),
    start: parts.date,
    ...(restrictions.length > 0 ? { restrictions } : {}),
    ...(back > 0 ? { from: pointInTime(start, zone) } : {}),
    ...(end !== undefined && !Number.isNaN(end) ? { until: pointInTime(end, zone) } : {}),
  };
}

function minutesOf(delay: { timeAmount: number; timeUnit?: string | null | undefined }): number {
  return Math.ceil(delay.timeAmount * (MINUTES_PER_UNIT[delay.timeUnit ?? 'minutes'] ?? 0));
}

function importEscalation(build: Build, escalation: OgEscalation, imported: Map<string, string[]>): ScheduleConfigInput['escalation'] {
  const label = `escalation "${escalation.name}"`;
  const planned: PlannedStep[] = [];
  const longest = Math.max(0, ...escalation.rules.map((rule) => minutesOf(rule.delay)));
  const count = Math.min(escalation.repeat?.count ?? 0, MAX_LOOPS);
  const cycle = longest + (escalation.repeat?.waitInterval ?? 0);
  for (let loop = 0; loop <= count; loop += 1) {
    escalation.rules.forEach((rule, index) => {
      const where = `${label} rule ${index + 1}`;
      const after = loop * cycle + minutesOf(rule.delay);
      const report = (text: string) => build.notExpressible.push(`${where}: ${text}`);
      if (rule.condition === 'if-not-closed') report('escalates while the alert is not closed; firewatch escalates while the incident is not acknowledged');
      const { recipient } = rule;
      const name = recipient.name ?? recipient.username ?? recipient.id ?? '?';
      const notify = rule.notifyType ?? 'default';
      if (recipient.type === 'user') {
        const login = build.login(recipient, where);
        if (login) planned.push({ afterMinutes: after, mention: [`@${login}`] });
        else report('notifies an unmapped user; left out of the step');
        return;
      }
      const team = build.people.teams.get((recipient.id ?? '').toLowerCase()) ?? build.people.teams.get(name.toLowerCase());
      if (team && ['default', 'all', 'users'].includes(notify)) {
        planned.push({ afterMinutes: after, mention: [team] });
        return;
      }
      const layers = recipient.type === 'schedule' && recipient.id ? imported.get(recipient.id) : undefined;
      if (layers && notify === 'default' && after === 0) {
        if (loop === 0) build.notes.push(`${where}: notifies whoever is on call in schedule "${name}" right away; firewatch assigns whoever is on call in ${layers.join(', ')} when the incident opens`);
        return;
      }
      if (recipient.type === 'schedule') report(`notifies the ${notify === 'default' ? 'current' : notify} on-call of schedule "${name}" after ${after} minutes; firewatch steps mention fixed people or teams (map "${name}: '@org/team'" in the --people file to page a team instead)`);
      else report(`notifies ${notify === 'default' ? '' : `the ${notify} of `}${recipient.type} "${name}"; map "${name}: '@org/team'" in the --people file to mention a GitHub team instead`);
    });
  }
  if ((escalation.repeat?.count ?? 0) > MAX_LOOPS) build.notExpressible.push(`${label}: repeats ${escalation.repeat?.count} times; imported ${MAX_LOOPS} repeats`);
  if (count > 0) build.notes.push(`${label}: its ${count} repeat${count === 1 ? '' : 's'} (every ${cycle} minutes) are written out as further steps`);
  return { steps: toSteps(planned) };
}

function matches(wanted: readonly string[] | undefined, id: string, name: string): boolean {
  return !wanted || wanted.some((text) => text.toLowerCase() === id.toLowerCase() || text.toLowerCase() === name.toLowerCase());
}

/**
 * The `oncall` section for an Opsgenie account: every rotation of every schedule becomes a layer
 * (Opsgenie's rotations are on call together, as firewatch's layers are), overrides become
 * overrides of the rotations they name (all of the schedule's when they name none), and the
 * escalation that notifies those schedules becomes the escalation steps.
 */
export function importOpsgenie(dump: OpsgenieDump, options: ImportOptions): ImportResult {
  const build = new Build(dump, options.people);
  const window = { start: instantOfText(dump.window.since), end: instantOfText(dump.window.until) };
  const imported = new Map<string, string[]>();
  for (const { schedule, overrides, timeline } of dump.schedules) {
    if (!matches(options.schedules, schedule.id, schedule.name)) continue;
    const label = `schedule "${schedule.name}"`;
    if (schedule.enabled === false) {
      build.notes.push(`${label} is disabled in Opsgenie: left out`);
      continue;
    }
    if (!isZone(schedule.timezone)) {
      build.notExpressible.push(`${label}: its time zone "${schedule.timezone}" is not an IANA zone name; schedule left out`);
      continue;
    }
    const slug = layerName(schedule.name, build.taken);
    build.taken.delete(slug);
    const byRotation = new Map<string, string>();
    for (const [index, rotation] of (schedule.rotations ?? []).entries()) {
      const where = `${label} rotation "${rotation.name ?? index + 1}"`;
      if (rotation.endDate && instantOfText(rotation.endDate) <= window.start) {
        build.notes.push(`${where} ended ${rotation.endDate}, before the import window: left out`);
        continue;
      }
      const name = layerName(`${slug}-${rotation.name ?? `rotation-${index + 1}`}`, build.taken);
      const converted = convertRotation(build, rotation, schedule.timezone, name, where);
      if (typeof converted === 'string') {
        build.taken.delete(name);
        build.notExpressible.push(`${where}: ${converted}; rotation left out, so the self-check shows where it was on call`);
        continue;
      }
      build.layers.push(converted);
      byRotation.set(rotation.id, name);
    }
    if (byRotation.size === 0) continue;
    imported.set(schedule.id, [...byRotation.values()]);
    for (const override of overrides) {
      const where = `${label} override ${override.alias ?? override.startDate}`;
      const who = override.user.type === 'user' ? (build.login(override.user, where) ?? NO_ONE) : NO_ONE;
      if (override.user.type !== 'user') build.notExpressible.push(`${where}: hands the shift to a${override.user.type === 'escalation' ? 'n' : ''} ${override.user.type}; imported as "${NO_ONE}"`);
      const named = (override.rotations ?? []).map((rotation) => (rotation.id ? byRotation.get(rotation.id) : undefined));
      const layers = named.length === 0 ? [...byRotation.values()] : named.filter((layer): layer is string => layer !== undefined);
      const from = pointInTime(instantOfText(override.startDate), schedule.timezone);
      const to = pointInTime(instantOfText(override.endDate), schedule.timezone);
      for (const layer of layers) build.overrides.push({ who, from, to, layer });
    }
    if (!timeline) {
      build.notes.push(`${label}: the dump has no timeline (GET /v2/schedules/{id}/timeline), so it was not compared`);
      continue;
    }
    for (const rotation of timeline.finalTimeline.rotations ?? []) {
      const layer = rotation.id ? byRotation.get(rotation.id) : undefined;
      if (!layer) continue;
      build.expected.push({
        label: `rotation "${rotation.name ?? rotation.id}" of ${label}`,
        layers: [layer],
        entries: (rotation.periods ?? []).map((period) => ({
          start: instantOfText(period.startDate),
          end: instantOfText(period.endDate),
          login: period.recipient?.type === 'user' ? build.login(period.recipient, `${label} timeline`) : null,
        })),
      });
    }
  }

  let escalation: ScheduleConfigInput['escalation'];
  const candidates = options.policy
    ? dump.escalations.filter((candidate) => matches([options.policy as string], candidate.id, candidate.name))
    : dump.escalations.filter((candidate) => candidate.rules.some((rule) => rule.recipient.type === 'schedule' && rule.recipient.id && imported.has(rule.recipient.id)));
  const [chosen, ...others] = candidates;
  if (options.policy && !chosen) build.notes.push(`--policy ${options.policy}: no such escalation in the dump`);
  if (chosen) {
    escalation = importEscalation(build, chosen, imported);
    if (others.length > 0) build.notes.push(`a repository has one escalation policy: imported "${chosen.name}"; left out ${others.map((other) => `"${other.name}"`).join(', ')} (choose with --policy)`);
  } else if (!options.policy && dump.escalations.length > 0) {
    build.notes.push('no escalation notifies the imported schedules; choose one with --policy');
  }

  const oncall: ScheduleConfigInput = {
    timezone: build.timezone ?? 'UTC',
    layers: build.layers,
    ...(build.overrides.length > 0 ? { overrides: build.overrides } : {}),
    ...(escalation && (escalation.steps?.length ?? 0) > 0 ? { escalation } : {}),
  };
  return { vendor: 'Opsgenie', oncall, notExpressible: [...new Set(build.notExpressible)], notes: [...new Set(build.notes)], unmapped: build.unmapped.list(), expected: build.expected, window };
}
