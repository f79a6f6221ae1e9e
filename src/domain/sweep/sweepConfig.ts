import { z } from 'zod';
import { ackSloConfigSchema } from '../slo/ackSloConfig.ts';
import { localDateSchema, localTimeSchema, timezoneSchema, WEEKDAYS } from '../schedule/wallClock.ts';
import { SEVERITIES } from '../incident/severity.ts';

/** From the runbook's "Shift Start" checklist, minus the links only that team could open. */
const DEFAULT_SHIFT_START_CHECKLIST = [
  'Log into the production monitoring system',
  'Check that jobs are processing',
  'Open the support ticketing queue',
  'Join the production chat channel',
  'Make sure your phone is on and not silent',
  'Contact the current on-call engineer and relieve them before the end of their shift',
] as const;

/** From the runbook's "Shift End" checklist. */
const DEFAULT_SHIFT_END_CHECKLIST = [
  'Close resolved issues, or pass them on to the next engineer',
  'If you do not hear from the next on-call engineer by shift end, stay on call, call them, then your supervisor',
  'Update the next engineer on ongoing or recent issues',
] as const;

const repoSchema = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/post_mortems');
const checklistSchema = z.array(z.string().trim().min(1).max(300)).max(30);

export const sloConfigSchema = z
  .strictObject({
    ack: ackSloConfigSchema.prefault({}),
  })
  .describe('Service-level objectives checked by the scheduled sweep.');

export const sweepConfigSchema = z
  .strictObject({
    intervalMinutes: z.int().min(1).max(1440).default(1).describe('Minutes between sweeps in the server (the Action runs one per `schedule` event).'),
    staleMinutes: z
      .partialRecord(z.enum(SEVERITIES), z.int().min(1).max(10_080))
      .default({ P1: 30, P2: 60 })
      .describe('Open incidents of these severities with no timeline update for this many minutes get a nudge for a status update.'),
    postmortem: z
      .strictObject({
        afterDays: z.number().min(0).max(60).default(2).describe('Days after resolution before a missing postmortem draft is reminded.'),
      })
      .prefault({})
      .describe('Postmortem reminders, for the incidents that `postmortem.rules` say need a postmortem.'),
    review: z
      .strictObject({
        enabled: z.boolean().default(true),
        everyWeeks: z.int().min(1).max(12).default(2).describe('Weeks between incident reviews.'),
        weekday: z.enum(WEEKDAYS).default('thursday').describe('Weekday of the review meeting.'),
        time: localTimeSchema.default('15:00').describe('Time (HH:mm) of the review meeting.'),
        timezone: timezoneSchema.optional().describe('IANA time zone of the meeting. Default: the top-level timezone.'),
        start: localDateSchema.default('2026-01-01').describe('Reviews happen every `everyWeeks` weeks counted from the first `weekday` on or after this date.'),
        repo: repoSchema.optional().describe('Where `Incident review <date>` issues are opened. Default: <owner>/post_mortems.'),
      })
      .prefault({})
      .describe('Recurring incident review issue.'),
    handoff: z
      .strictObject({
        enabled: z.boolean().default(true),
        mode: z.enum(['issue', 'comment']).default('issue').describe('A new issue per handoff, or a comment on one handoff issue (pin it).'),
        issue: z.int().positive().optional().describe('With mode comment: the handoff issue number. Default: the open issue labelled `handoff`, created when missing.'),
        startChecklist: checklistSchema.default(() => [...DEFAULT_SHIFT_START_CHECKLIST]).describe('Checklist for the incoming engineer.'),
        endChecklist: checklistSchema.default(() => [...DEFAULT_SHIFT_END_CHECKLIST]).describe('Checklist for the outgoing engineer.'),
      })
      .prefault({})
      .describe('Shift handoff notes at every handoff of the on-call schedule.'),
  })
  .describe('Scheduled sweeps: ack SLO, stale incidents, postmortem reminders, incident reviews, shift handoffs.');

export type SweepConfig = z.output<typeof sweepConfigSchema>;
