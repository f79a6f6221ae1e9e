import { z } from 'zod';
import { SEVERITIES } from '../incident/severity.ts';

/** Where a page can go besides GitHub (which every page uses: a mention once, and the assignment). */
export const PAGE_CHANNELS = ['ntfy', 'email', 'sms', 'voice', 'pushover', 'slack'] as const;
export type PageChannel = (typeof PAGE_CHANNELS)[number];

export const CHANNEL_NAMES: Record<PageChannel | 'github', string> = {
  github: 'GitHub',
  ntfy: 'ntfy',
  email: 'e-mail',
  sms: 'SMS',
  voice: 'voice call',
  pushover: 'Pushover',
  slack: 'Slack',
};

const pagingPolicySchema = z
  .strictObject({
    channels: z
      .array(z.enum(PAGE_CHANNELS))
      .min(1, 'name at least one channel (ntfy, email, sms, voice, pushover, slack)')
      .describe('Channels every page of this severity goes out on, for each person who has them in their contacts (in their order). A channel that fails falls back to the next one the person listed.'),
    repeatMinutes: z.int().min(1).max(1440).optional().describe('Page again every this many minutes until someone acknowledges. Default: page once.'),
    maxPages: z.int().min(1).max(100).default(10).describe('Pages per person and incident at most (the first one included).'),
    escalateAfterMinutes: z
      .int()
      .min(1)
      .max(1440)
      .optional()
      .describe('Bring in the next step of `oncall.escalation` when nobody acknowledged this many minutes after the last step (or the people on call) was first paged. Default: escalation follows the ack-SLO sweep and `/escalate` only.'),
  })
  .describe('How incidents of one severity page people.');

export const pagingConfigSchema = z
  .strictObject({
    policies: z
      .partialRecord(z.enum(SEVERITIES), pagingPolicySchema)
      .default({})
      .describe('Paging policy per severity (P1…P5). Severities without one page nobody (GitHub assignment and mentions still happen as usual).'),
    ackLinkMinutes: z.int().min(5).max(10_080).default(720).describe('How long the one-tap acknowledge link in a page stays valid.'),
  })
  .describe('Paging: who is woken, how, and how often, until someone acknowledges. Contacts (phone numbers, e-mail addresses) are never in this file: see docs/paging.md.');

export type PagingConfig = z.output<typeof pagingConfigSchema>;
export type PagingPolicy = z.output<typeof pagingPolicySchema>;
