import { DateTime } from 'luxon';
import { z } from 'zod';
import { localDateSchema, localTimeSchema, timezoneSchema, WEEKDAYS } from './wallClock.ts';

/** Placeholder participant: keeps a slot in the rotation and leaves a visible gap (runbook: off-boarding). */
export const NO_ONE = 'no-one';

const loginPattern = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;

export const loginSchema = z.string().regex(loginPattern, 'must be a GitHub login such as octocat (without @)');

// `no-one` is itself shaped like a login, so one pattern covers both.
const participantSchema = z.string().regex(loginPattern, `must be a GitHub login such as octocat (without @), or "${NO_ONE}" for a visible gap`);

const nameSchema = z
  .string()
  .regex(/^[A-Za-z\d][\w.-]{0,49}$/, 'must be a short name of letters, digits, ".", "_" or "-", e.g. rot-a');

const lengthSchema = z.union(
  [
    z.strictObject({ weeks: z.int().min(1).max(52).describe('Shift length in weeks.') }),
    z.strictObject({ days: z.int().min(1).max(366).describe('Shift length in days.') }),
    z.strictObject({ hours: z.int().min(1).max(8784).describe('Shift length in hours of elapsed time (a clock change makes the wall-clock handoff move).') }),
  ],
  { error: 'must be { weeks: N }, { days: N } or { hours: N }' },
);

const dailyTimePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const weeklyTimePattern = new RegExp(`^(?:${WEEKDAYS.join('|')}) (?:[01]\\d|2[0-3]):[0-5]\\d$`);

const restrictionTimeSchema = z
  .string()
  .refine((text) => dailyTimePattern.test(text) || weeklyTimePattern.test(text), 'must be a time HH:mm (every day) or a weekday and time such as "friday 17:00"');

const restrictionSchema = z
  .strictObject({
    from: restrictionTimeSchema.describe('Start of the window on the wall clock of the layer: HH:mm every day, or "weekday HH:mm" every week.'),
    to: restrictionTimeSchema.describe('End of the window, written like `from`: the next time the clock shows it (`to` equal to `from` means a whole day or week).'),
  })
  .refine((window) => dailyTimePattern.test(window.from) === dailyTimePattern.test(window.to), {
    message: 'from and to must both be HH:mm (daily) or both "weekday HH:mm" (weekly)',
    path: ['to'],
  })
  .describe('A window of the day or week during which the layer is on call.');

/**
 * An instant written by a person: `2026-01-07T09:00:00-05:00` or `…Z` is absolute; without an
 * offset (`2026-01-07T09:00`, or a bare date meaning midnight) it is read on the wall clock of
 * the layer the override targets.
 */
const pointInTimeSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/,
    { message: 'must be a date and time such as 2026-01-07T09:00 (layer time zone) or 2026-01-07T14:00:00Z', abort: true },
  )
  .refine((text) => DateTime.fromISO(text, { zone: 'UTC' }).isValid, 'must be a real date and time');

const layerSchema = z
  .strictObject({
    name: nameSchema.describe('Layer (rotation) name, e.g. rot-a. Unique in the schedule.'),
    participants: z
      .array(participantSchema)
      .min(1, 'a rotation needs at least one participant (use "no-one" for an open slot)')
      .describe(`GitHub logins in rotation order; "${NO_ONE}" keeps a slot open and shows a gap.`),
    length: lengthSchema.default({ weeks: 1 }).describe('How long each shift lasts: { weeks: N } or { days: N }.'),
    handoff: z
      .strictObject({
        weekday: z.enum(WEEKDAYS).optional().describe('Weekday of the handoff. Default: the weekday of `start`.'),
        time: localTimeSchema.describe('Wall-clock time of the handoff (HH:mm) in the layer time zone.'),
      })
      .describe('When one shift hands off to the next.'),
    timezone: timezoneSchema.optional().describe('IANA time zone of the handoff time. Default: the schedule time zone.'),
    start: localDateSchema.describe(
      'Date (YYYY-MM-DD) the rotation starts; the first shift begins at the first handoff on or after it. Before that the layer is a gap.',
    ),
    restrictions: z
      .array(restrictionSchema)
      .default([])
      .describe('Windows of the day or week during which the layer is on call (PagerDuty restrictions, Opsgenie time restrictions); outside them it is a gap. The rotation still hands off on its own clock. Default: always.'),
    from: pointInTimeSchema.optional().describe('The layer is a gap before this time (a rotation that takes over mid-shift). Default: from its first handoff.'),
    until: pointInTimeSchema.optional().describe('The layer is a gap from this time on (a rotation that was ended). Default: never ends.'),
    over: nameSchema
      .optional()
      .describe('Name of another layer this one sits on (like PagerDuty layers): wherever this layer is on call it replaces that layer, which is what is shown; elsewhere that layer shows through. Later layers win.'),
  })
  .describe('A rotation whose participants take turns.');

const overrideSchema = z
  .strictObject({
    who: participantSchema.describe(`Who takes over (a login, or "${NO_ONE}" to leave the time uncovered).`),
    from: pointInTimeSchema.describe('Start of the override (inclusive).'),
    to: pointInTimeSchema.describe('End of the override (exclusive).'),
    layer: nameSchema
      .optional()
      .describe('Layer to override. Default: the first layer on call at that time (the first holiday layer while one runs).'),
  })
  .describe('A shift trade or partial override; later overrides win over earlier ones.');

const holidayLayerSchema = z
  .strictObject({
    name: nameSchema.describe('Holiday layer name, e.g. holiday-a.'),
    from: localDateSchema.describe('First day (YYYY-MM-DD); the holiday layer starts at `handoffTime` that day.'),
    to: localDateSchema.describe('Day the regular rotations resume (YYYY-MM-DD), at `handoffTime`.'),
    shiftDays: z.int().min(1).max(31).default(2).describe('Length of each holiday shift in days.'),
    handoffTime: localTimeSchema.default('11:00').describe('Wall-clock time (HH:mm) of the holiday handoffs.'),
    timezone: timezoneSchema.optional().describe('IANA time zone. Default: the schedule time zone.'),
    participants: z
      .array(participantSchema)
      .min(1, `a holiday layer needs at least one slot (use "${NO_ONE}" for an open one)`)
      .describe(`Volunteers in order; "${NO_ONE}" for an open slot (volunteers take it with an override).`),
  })
  .describe('Holiday rotation: while any holiday layer runs, holiday layers replace the regular layers.');

const mentionSchema = z
  .string()
  .regex(/^@[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}(?:\/[\w.-]+)?$/, 'must be @user or @org/team');

const escalationStepSchema = z.strictObject({
  afterMinutes: z.int().min(0).describe('Minutes after the incident was triggered when this step is due.'),
  mention: z.array(mentionSchema).min(1, 'a step must mention someone').describe('@user or @org/team mentions to bring in.'),
});

export const escalationPolicySchema = z
  .strictObject({
    steps: z.array(escalationStepSchema).default([]).describe('Escalation steps, in order of `afterMinutes`.'),
  })
  .superRefine((policy, context) => {
    policy.steps.forEach((step, index) => {
      const previous = policy.steps[index - 1];
      if (previous && step.afterMinutes < previous.afterMinutes) {
        context.addIssue({
          code: 'custom',
          path: ['steps', index, 'afterMinutes'],
          message: `must be at least ${previous.afterMinutes} (steps are listed in the order they fire)`,
        });
      }
    });
  })
  .describe('Who is brought in when an incident is not handled: by the ack-SLO sweep, or by /escalate.');

export const scheduleConfigSchema = z
  .strictObject({
    timezone: timezoneSchema.default('UTC').describe('Default IANA time zone of layers, holiday layers and override times without an offset.'),
    layers: z.array(layerSchema).default([]).describe('Rotations on call together, e.g. rot-a and rot-b.'),
    overrides: z.array(overrideSchema).default([]).describe('Shift trades and partial overrides.'),
    holidays: z.array(holidayLayerSchema).default([]).describe('Holiday layers that replace the regular layers while they run.'),
    newcomers: z.array(loginSchema).default([]).describe('Engineers new to on-call; validation warns when two are on call together.'),
    escalation: escalationPolicySchema.prefault({}),
  })
  .superRefine((schedule, context) => {
    const seen = new Set<string>();
    const names = [...schedule.layers.map((layer, index) => ({ name: layer.name, path: ['layers', index] })), ...schedule.holidays.map((layer, index) => ({ name: layer.name, path: ['holidays', index] }))];
    for (const { name, path } of names) {
      if (seen.has(name)) context.addIssue({ code: 'custom', path: [...path, 'name'], message: `layer name "${name}" is used twice` });
      seen.add(name);
    }
    const stacked = new Set(schedule.layers.flatMap((layer) => (layer.over === undefined ? [] : [layer.name])));
    schedule.layers.forEach((layer, index) => {
      if (layer.over === undefined) return;
      const base = schedule.layers.find((candidate) => candidate.name === layer.over);
      const message =
        layer.over === layer.name
          ? 'a layer cannot sit on itself'
          : !base
            ? `layer "${layer.over}" does not exist among the rotations (known: ${schedule.layers.filter((candidate) => candidate.over === undefined).map((candidate) => candidate.name).join(', ') || 'none'})`
            : base.over !== undefined
              ? `layer "${layer.over}" sits on "${base.over}" itself; name "${base.over}" instead`
              : undefined;
      if (message) context.addIssue({ code: 'custom', path: ['layers', index, 'over'], message });
    });
    schedule.overrides.forEach((override, index) => {
      if (override.layer !== undefined && stacked.has(override.layer)) {
        const base = schedule.layers.find((layer) => layer.name === override.layer)?.over ?? '';
        context.addIssue({ code: 'custom', path: ['overrides', index], message: `layer "${override.layer}" sits on "${base}", which is the layer shown; override "${base}" instead` });
        return;
      }
      if (override.layer !== undefined && !seen.has(override.layer)) {
        // The whole override is the problem: dropping only `layer` would silently retarget it.
        context.addIssue({ code: 'custom', path: ['overrides', index], message: `layer "${override.layer}" does not exist (known: ${[...seen].join(', ') || 'none'})` });
      }
    });
    schedule.holidays.forEach((holiday, index) => {
      if (holiday.to <= holiday.from) context.addIssue({ code: 'custom', path: ['holidays', index, 'to'], message: `must be after from (${holiday.from})` });
    });
  })
  .describe('On-call schedule: rotations, overrides, holiday layers and the escalation policy.');

export type ScheduleConfig = z.output<typeof scheduleConfigSchema>;
export type ScheduleConfigInput = z.input<typeof scheduleConfigSchema>;
export type Restriction = z.output<typeof restrictionSchema>;
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;
export type EscalationStep = z.output<typeof escalationStepSchema>;
