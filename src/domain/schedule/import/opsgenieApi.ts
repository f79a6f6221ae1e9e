import { z } from 'zod';

/**
 * The parts of Opsgenie REST API v2 responses the importer reads, as Opsgenie's OpenAPI
 * description (opsgenie/opsgenie-oas) documents them: schedules with `expand=rotation`, schedule
 * overrides, the schedule timeline, escalations and users. Unknown fields are ignored.
 */

const recipient = z.object({
  type: z.string(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  username: z.string().nullish(),
});

const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const hour = z.number().int().min(0).max(24);
const minute = z.number().int().min(0).max(59);

const timeRestriction = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('time-of-day'),
    restriction: z.object({ startHour: hour, startMin: minute, endHour: hour, endMin: minute }),
  }),
  z.object({
    type: z.literal('weekday-and-time-of-day'),
    restrictions: z.array(z.object({ startDay: weekday, startHour: hour, startMin: minute, endDay: weekday, endHour: hour, endMin: minute })).min(1),
  }),
]);

const ogRotationSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  startDate: z.string(),
  endDate: z.string().nullish(),
  type: z.enum(['daily', 'weekly', 'hourly']),
  length: z.number().int().min(1).nullish(),
  participants: z.array(recipient),
  timeRestriction: timeRestriction.nullish(),
});

export const ogScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  enabled: z.boolean().nullish(),
  rotations: z.array(ogRotationSchema).nullish(),
});

export const ogOverrideSchema = z.object({
  alias: z.string().nullish(),
  user: recipient,
  startDate: z.string(),
  endDate: z.string(),
  rotations: z.array(z.object({ id: z.string().nullish(), name: z.string().nullish() })).nullish(),
});

export const ogTimelineSchema = z.object({
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  finalTimeline: z.object({
    rotations: z
      .array(
        z.object({
          id: z.string().nullish(),
          name: z.string().nullish(),
          periods: z.array(z.object({ startDate: z.string(), endDate: z.string(), type: z.string().nullish(), recipient: recipient.nullish() })).nullish(),
        }),
      )
      .nullish(),
  }),
});

export const ogEscalationSchema = z.object({
  id: z.string(),
  name: z.string(),
  rules: z.array(
    z.object({
      condition: z.enum(['if-not-acked', 'if-not-closed']).nullish(),
      notifyType: z.enum(['default', 'next', 'previous', 'users', 'admins', 'all']).nullish(),
      delay: z.object({ timeAmount: z.number().int().min(0), timeUnit: z.enum(['days', 'hours', 'minutes', 'seconds', 'miliseconds', 'micros', 'nanos']).nullish() }),
      recipient,
    }),
  ),
  repeat: z.object({ waitInterval: z.number().int().min(0).nullish(), count: z.number().int().min(0).nullish() }).nullish(),
});

export const ogUserSchema = z.object({ id: z.string(), username: z.string(), fullName: z.string().nullish() });

/**
 * Everything `firewatch import opsgenie` reads, `data` of each response as Opsgenie sends it.
 * Exported with its type for tools that write a dump; the importer validates file by file.
 * @public
 */
export const opsgenieDumpSchema = z.object({
  window: z.object({ since: z.string(), until: z.string() }),
  users: z.array(ogUserSchema),
  schedules: z.array(z.object({ schedule: ogScheduleSchema, overrides: z.array(ogOverrideSchema), timeline: ogTimelineSchema.nullish() })),
  escalations: z.array(ogEscalationSchema),
});

export type OpsgenieDump = z.output<typeof opsgenieDumpSchema>;
export type OgRotation = z.output<typeof ogRotationSchema>;
export type OgEscalation = z.output<typeof ogEscalationSchema>;
