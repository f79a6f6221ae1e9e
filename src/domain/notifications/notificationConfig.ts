import { z } from 'zod';
import { SEVERITIES } from '../incident/severity.ts';

const NOTIFICATION_KINDS = ['opened', 'severity', 'status-update', 'resolved', 'slo-breached'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as SLACK_INCIDENTS_URL');

const target = z
  .strictObject({
    name: z.string().trim().min(1).max(60).optional().describe('Shown in logs, metrics and the timeline when a delivery fails. Default: the type and index.'),
    type: z.enum(['slack', 'webhook']).describe('`slack`: a Slack incoming webhook; `webhook`: JSON POSTed to any URL, HMAC-signed.'),
    url: z.url({ protocol: /^https?$/ }).optional().describe('Where to send. Prefer `urlEnv`: a webhook URL in a repository is a secret in plain sight.'),
    urlEnv: envName.optional().describe('Environment variable holding the URL (takes precedence over `url`).'),
    secretEnv: envName.optional().describe('Environment variable holding the HMAC-SHA256 key for `X-Firewatch-Signature: sha256=<hex>` (webhook only).'),
    services: z.array(z.string().min(1)).default([]).describe('Only incidents of these services; empty means all.'),
    minSeverity: z.enum(SEVERITIES).default('P5').describe('Only incidents at least this severe (P1 is the most severe).'),
    events: z.array(z.enum(NOTIFICATION_KINDS)).default([...NOTIFICATION_KINDS]).describe('Which incident events to send.'),
  })
  .refine((value) => value.url !== undefined || value.urlEnv !== undefined, { message: 'needs `url` or `urlEnv`' });

export const notificationConfigSchema = z
  .strictObject({
    targets: z.array(target).max(20).default([]).describe('Where incident events go.'),
    retries: z.number().int().min(0).max(10).default(3).describe('Retries after a failed delivery (network error, 429 or 5xx), with exponential backoff.'),
    timeoutSeconds: z.number().min(1).max(30).default(5).describe('Time allowed for one delivery attempt.'),
  })
  .describe('Outgoing notifications (Slack, signed webhooks) on incident events. Deliveries never hold up the incident.');

export type NotificationConfig = z.output<typeof notificationConfigSchema>;
export type NotificationTarget = NotificationConfig['targets'][number];
