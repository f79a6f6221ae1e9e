import { z } from 'zod';
import { localDateSchema, localTimeSchema, timezoneSchema, WEEKDAYS } from '../schedule/wallClock.ts';

/** `work` = a work day that is not a holiday; `non-work` = weekends and holidays; `any` = every day. */
const DAY_KINDS = ['work', 'non-work', 'any'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

const windowEndSchema = z.union([localTimeSchema, z.literal('24:00')], { error: 'must be a time written HH:mm, or 24:00 for midnight at the end of the day' });

const ackSloWindowSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(50).describe('Shown in escalation comments, e.g. "business hours".'),
    days: z.enum(DAY_KINDS).describe('Which days the window applies to: work, non-work (weekends and holidays) or any.'),
    from: localTimeSchema.describe('Start (HH:mm, inclusive) on the team wall clock.'),
    to: windowEndSchema.describe('End (HH:mm, exclusive; 24:00 = end of day) on the team wall clock.'),
    minutes: z.int().min(1).max(1440).describe('Minutes to acknowledge an incident triggered inside this window.'),
  })
  .refine((window) => window.from < window.to, { message: 'from must be before to (windows do not cross midnight: split them in two)', path: ['to'] });

/** The runbook's targets: full support in business hours, partial support in waking hours, none otherwise. */
const DEFAULT_ACK_SLO_WINDOWS = [
  { name: 'business hours', days: 'work', from: '09:00', to: '17:00', minutes: 10 },
  { name: 'waking hours', days: 'work', from: '07:00', to: '19:00', minutes: 30 },
  { name: 'waking hours', days: 'non-work', from: '09:00', to: '17:00', minutes: 30 },
] as const satisfies readonly z.input<typeof ackSloWindowSchema>[];

export const ackSloConfigSchema = z
  .strictObject({
    timezone: timezoneSchema.default('UTC').describe("IANA time zone of the team's wall clock, e.g. America/New_York."),
    workDays: z
      .array(z.enum(WEEKDAYS))
      .default(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'])
      .describe('Work days; the other days are non-work days.'),
    holidays: z.array(localDateSchema).default([]).describe('Dates (YYYY-MM-DD) treated as non-work days.'),
    windows: z
      .array(ackSloWindowSchema)
      .default(() => DEFAULT_ACK_SLO_WINDOWS.map((window) => ({ ...window })))
      .describe('Acknowledgement targets by time of day; where windows overlap the shortest applies; outside every window there is no guarantee.'),
  })
  .describe('Acknowledgement SLO: how soon a triggered incident must be acknowledged, by time of day.');

export type AckSloConfig = z.output<typeof ackSloConfigSchema>;
export type AckSloWindow = z.output<typeof ackSloWindowSchema>;

export const DEFAULT_ACK_SLO_CONFIG: AckSloConfig = ackSloConfigSchema.parse({});
