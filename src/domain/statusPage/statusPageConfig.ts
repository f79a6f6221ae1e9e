import { z } from 'zod';
import { SEVERITIES } from '../incident/severity.ts';

export const statusPageConfigSchema = z
  .strictObject({
    publish: z.boolean().default(false).describe('Publish the status page to `branch` of `repo` on every public change of an incident and after each sweep (only when what it shows changed).'),
    repo: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/status')
      .optional()
      .describe('Repository the page is published to (GitHub Pages serves its `branch`). Default: the incident repository.'),
    branch: z.string().regex(/^[\w./-]+$/, 'must be a branch name such as gh-pages').default('gh-pages').describe('Branch the page is committed to.'),
    title: z.string().trim().min(1).max(100).optional().describe('Page title. Default: "<owner> status".'),
    url: z.url({ protocol: /^https?$/ }).optional().describe('Where the page is served, for absolute links in the Atom feed.'),
    services: z.array(z.string().min(1)).default([]).describe('Services always listed, even without incidents.'),
    outageSeverities: z.array(z.enum(SEVERITIES)).default(['P1', 'P2']).describe('Severities shown as a major outage; lower ones show as degraded performance.'),
  })
  .describe('Public status page (static HTML, Atom feed, JSON) built from incident issues.');

export type StatusPageConfig = z.output<typeof statusPageConfigSchema>;
