import { z } from 'zod';

/**
 * The parts of PagerDuty REST API v2 responses (and the v3 shift-based schedules) the importer
 * reads, as PagerDuty's OpenAPI description (PagerDuty/api-schema) documents them. Unknown fields
 * are ignored; a missing required one is an error naming its path.
 */

const reference = z.object({ id: z.string(), type: z.string().optional(), summary: z.string().nullish() });

export const pdUserSchema = z.object({ id: z.string(), name: z.string().nullish(), email: z.string().nullish() });

const restrictionSchema = z.object({
  type: z.enum(['daily_restriction', 'weekly_restriction']),
  duration_seconds: z.number().int().min(1),
  start_time_of_day: z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must be HH:mm:ss'),
  start_day_of_week: z.number().int().min(1).max(7).nullish(),
});

const renderedEntry = z.object({ start: z.string(), end: z.string(), user: reference.nullish() });

const pdScheduleLayerSchema = z.object({
  id: z.string().optional(),
  name: z.string().nullish(),
  start: z.string(),
  end: z.string().nullish(),
  rotation_virtual_start: z.string(),
  rotation_turn_length_seconds: z.number().int().min(1),
  users: z.array(z.object({ user: reference })),
  restrictions: z.array(restrictionSchema).nullish(),
});

export const pdScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  time_zone: z.string(),
  schedule_layers: z.array(pdScheduleLayerSchema),
  final_schedule: z.object({ rendered_schedule_entries: z.array(renderedEntry).nullish() }).nullish(),
});

export const pdOverrideSchema = z.object({ id: z.string().optional(), start: z.string(), end: z.string(), user: reference });

export const pdEscalationPolicySchema = z.object({
  id: z.string(),
  name: z.string(),
  num_loops: z.number().int().min(0).nullish(),
  escalation_rules: z.array(
    z.object({
      escalation_delay_in_minutes: z.number().int().min(0),
      targets: z.array(reference),
      escalation_rule_assignment_strategy: z.union([z.string(), z.array(z.object({ type: z.string() })), z.object({ type: z.string() })]).nullish(),
    }),
  ),
});

const member = z.object({ type: z.enum(['user_member', 'empty_member']), user_id: z.string().nullish() });

const pdV3EventSchema = z.object({
  id: z.string().optional(),
  name: z.string().nullish(),
  start_time: z.object({ date_time: z.string(), time_zone: z.string() }),
  end_time: z.object({ date_time: z.string(), time_zone: z.string() }),
  effective_since: z.string(),
  effective_until: z.string().nullish(),
  recurrence: z.array(z.string()),
  assignment_strategy: z.object({
    type: z.enum(['rotating_member_assignment_strategy', 'every_member_assignment_strategy']),
    shifts_per_member: z.number().int().min(1).nullish(),
    members: z.array(member).min(1),
  }),
});

export const pdV3ScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  time_zone: z.string(),
  rotations: z.array(z.object({ id: z.string(), events: z.array(pdV3EventSchema).nullish() })).nullish(),
  final_schedule: z
    .object({
      computed_shift_assignments: z.array(z.object({ start_time: z.string(), end_time: z.string(), member })),
    })
    .nullish(),
});

export const pdV3OverrideSchema = z.object({
  id: z.string().optional(),
  rotation_id: z.string().nullish(),
  custom_shift_id: z.string().nullish(),
  start_time: z.string(),
  end_time: z.string(),
  overridden_member: member,
  overriding_member: member,
});

export const pdV3CustomShiftSchema = z.object({
  id: z.string(),
  start_time: z.string(),
  end_time: z.string(),
  assignments: z.array(z.object({ member })).min(1),
});

/**
 * Everything `firewatch import pagerduty` reads, response bodies as PagerDuty sends them.
 * Exported with its type for tools that write a dump; the importer validates file by file.
 * @public
 */
export const pagerDutyDumpSchema = z.object({
  window: z.object({ since: z.string(), until: z.string() }),
  users: z.array(pdUserSchema),
  schedules: z.array(z.object({ schedule: pdScheduleSchema, overrides: z.array(pdOverrideSchema) })),
  v3Schedules: z.array(
    z.object({ schedule: pdV3ScheduleSchema, overrides: z.array(pdV3OverrideSchema), customShifts: z.array(pdV3CustomShiftSchema) }),
  ),
  escalationPolicies: z.array(pdEscalationPolicySchema),
});

export type PagerDutyDump = z.output<typeof pagerDutyDumpSchema>;
export type PdSchedule = z.output<typeof pdScheduleSchema>;
export type PdScheduleLayer = z.output<typeof pdScheduleLayerSchema>;
export type PdV3Schedule = z.output<typeof pdV3ScheduleSchema>;
export type PdV3Event = z.output<typeof pdV3EventSchema>;
export type PdEscalationPolicy = z.output<typeof pdEscalationPolicySchema>;
