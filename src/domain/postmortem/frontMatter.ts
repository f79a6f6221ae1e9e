import { z } from 'zod';
import { SEVERITIES } from '../incident/severity.ts';

const isoTime = z.iso.datetime({ offset: true });
const isoDuration = z.string().regex(/^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/, 'must be an ISO 8601 duration such as PT15M');
const isoDate = z.iso.date();

const POSTMORTEM_STATUSES = ['draft', 'reviewed'] as const;

/** The front matter of a postmortem file; firewatch writes it and validates what it reads back. */
export const postmortemFrontMatterSchema = z.object({
  title: z.string().min(1),
  /** `owner/repo#number` of the incident issue. */
  incident: z.string().regex(/^[\w.-]+\/[\w.-]+#\d+$/),
  incident_url: z.url(),
  date: isoDate,
  severity: z.enum(SEVERITIES),
  status: z.enum(POSTMORTEM_STATUSES),
  services: z.array(z.string()),
  started_at: isoTime,
  detected_at: isoTime,
  acknowledged_at: isoTime.nullable(),
  mitigated_at: isoTime.nullable(),
  resolved_at: isoTime.nullable(),
  time_to_acknowledge: isoDuration.nullable(),
  time_to_resolve: isoDuration.nullable(),
  suspected_changes: z.array(z.object({ ref: z.string(), url: z.string().optional(), score: z.number() })),
  rollbacks: z.array(z.object({ at: isoTime, description: z.string() })),
  follow_ups: z.array(z.object({ ref: z.string(), url: z.string(), title: z.string(), done: z.boolean() })),
  review_date: isoDate,
  tags: z.array(z.string()),
});
export type PostmortemFrontMatter = z.infer<typeof postmortemFrontMatterSchema>;
