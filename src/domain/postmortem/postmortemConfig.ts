import { z } from 'zod';
import { SEVERITIES } from '../incident/severity.ts';

/** `PT4H`, `P1DT2H30M`: the ISO 8601 durations the config accepts for "open longer than". */
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds of an ISO 8601 duration (days, hours, minutes, seconds), or `null` if it is not one. */
export function parseIsoDuration(text: string): number | null {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/post_mortems');

/** When an incident needs a postmortem; any one rule is enough (in the spirit of Google's SRE criteria). */
export const postmortemRulesSchema = z
  .strictObject({
    severities: z.array(z.enum(SEVERITIES)).default(['P1', 'P2', 'P3']).describe('Severities that always need a postmortem.'),
    rollback: z.boolean().default(true).describe('Any rollback or revert during the incident needs one.'),
    openLongerThan: z
      .string()
      .refine((text) => parseIsoDuration(text) !== null, 'must be an ISO 8601 duration such as PT4H or P1D')
      .nullable()
      .default('PT4H')
      .describe('Incidents open (trigger to resolution) longer than this need one; null turns the rule off.'),
    labels: z.array(z.string().min(1)).default(['data-loss']).describe('Labels on the incident issue that make one necessary.'),
  })
  .describe('Which incidents need a postmortem.');
export type PostmortemRules = z.output<typeof postmortemRulesSchema>;

export const postmortemConfigSchema = z
  .strictObject({
    repo: repoName.optional().describe('Repository (owner/name) the drafts go to. Default: <owner>/post_mortems.'),
    path: z
      .string()
      .min(1)
      .default('postmortems/{{year}}/{{date}}-{{slug}}.md')
      .describe('Path of the file in that repository; {{year}}, {{month}}, {{date}}, {{slug}}, {{repo}} and {{number}} are filled in.'),
    redact: z.boolean().default(true).describe('Replace every person with a stable pseudonym (team-member-1, ...). false keeps logins.'),
    autoDraft: z.boolean().default(true).describe('Draft one on /resolve when the rules say the incident needs one.'),
    reviewWithinDays: z.number().int().min(1).max(90).default(14).describe('Days after resolution the review meeting should take place (front matter review_date).'),
    rules: postmortemRulesSchema.prefault({}),
  })
  .describe('Blameless postmortems drafted as pull requests.');
export type PostmortemConfig = z.output<typeof postmortemConfigSchema>;

export const DEFAULT_POSTMORTEM_CONFIG: PostmortemConfig = postmortemConfigSchema.parse({});
