import { RE2JS } from 're2js';
import { z } from 'zod';
import { SEVERITIES } from '../incident/severity.ts';

const UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `30m`, `1h`, `2d`, or a combination like `1h30m` → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+[smhd])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhd])/gy)) total += Number(amount) * UNITS_MS[unit as keyof typeof UNITS_MS];
  return total;
}

const duration = (max: string) =>
  z
    .string()
    .refine((text) => parseDuration(text) !== undefined, 'must be a duration such as 90s, 30m, 1h or 1h30m')
    .refine((text) => (parseDuration(text) ?? 0) <= (parseDuration(max) ?? Infinity), `must be at most ${max}`);

const labelName = z.string().regex(/^[A-Za-z_][\w.-]*$/, 'must be a label name such as service, team or env');

const compiled = new Map<string, RE2JS | null>();

/**
 * A label matcher's pattern, anchored like Prometheus' `=~`, compiled with RE2 (linear time
 * whatever the label: alert labels come from senders, and a backtracking engine would let one
 * stall the server on a pattern such as `(a+)+`); `undefined` when it is not valid RE2.
 */
export function labelPattern(pattern: string): RE2JS | undefined {
  let found = compiled.get(pattern);
  if (found === undefined) {
    try {
      found = RE2JS.compile(`^(?:${pattern})$`);
    } catch {
      found = null;
    }
    // Patterns come from configuration: few, and worth compiling once.
    if (compiled.size < 1_000) compiled.set(pattern, found);
  }
  return found ?? undefined;
}

/**
 * One label matcher: an exact value, or `{ regex: ... }` matched against the whole value (as in
 * Prometheus). `service`, `source` and `alertname` can be matched even when the alert has no such
 * label: they fall back to the alert's service, source and title.
 */
const matcherValue = z.union([
  z.string(),
  z.strictObject({
    regex: z.string().refine((pattern) => labelPattern(pattern) !== undefined, 'must be a valid RE2 regular expression (the syntax Prometheus and Alertmanager use; no look-around or back-references)'),
  }),
]);
const labelMatchersSchema = z.record(labelName, matcherValue).describe('Label matchers; all must match.');
export type LabelMatchers = z.output<typeof labelMatchersSchema>;

const level = z.string().trim().toLowerCase().min(1);
const severityMapSchema = z.record(level, z.enum(SEVERITIES)).describe("A source's level (critical, error, warning, info, ...) → P1..P5.");

/** `true`/`false`, or the severities that resolve on their own (e.g. `[P4, P5]`). */
const autoResolve = z.union([z.boolean(), z.array(z.enum(SEVERITIES))]);

const labelTemplate = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((template) => /^(?:[^{}]|\{\{\s*(?:labels\.[A-Za-z_][\w.-]*|service|source|severity)\s*\}\})+$/.test(template), {
    message: 'may only use {{labels.NAME}}, {{service}}, {{source}} or {{severity}}, e.g. team:{{labels.team}}',
  });

const service = z.strictObject({
  name: z.string().trim().min(1).max(128).describe('The service name shown on the incident.'),
  match: labelMatchersSchema.default({}),
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/checkout')
    .optional()
    .describe("Incident repository for this service's alerts. Default: incidents.repo."),
  severity: severityMapSchema.default({}).describe('Overrides of routing.severity for this service.'),
  labels: z.array(labelTemplate).max(10).default([]).describe('Label templates added to this service’s incidents.'),
  autoResolve: autoResolve.optional().describe('Overrides alerts.autoResolve for this service.'),
  repos: z
    .array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/checkout'))
    .max(20)
    .optional()
    .describe('Repositories whose changes can break this service, main one first: deploy correlation ranks their merged PRs and deployments, /rollback accepts their PRs. Default: the incident repository.'),
  paths: z
    .array(z.string().trim().min(1).max(300))
    .max(100)
    .optional()
    .describe('Path globs of this service in those repositories (services/checkout/**); owner/name:glob limits one to a repository. A repository no glob applies to belongs wholly to the service.'),
});
export type ServiceRoute = z.output<typeof service>;

export const routingConfigSchema = z
  .strictObject({
    services: z.array(service).max(200).default([]).describe('First service whose matchers all match takes the alert.'),
    severity: severityMapSchema.default({}),
    labels: z.array(labelTemplate).max(10).default([]).describe('Label templates added to every incident, e.g. team:{{labels.team}}.'),
    ignore: z
      .array(z.strictObject({ match: labelMatchersSchema, reason: z.string().max(200).optional() }))
      .max(100)
      .default([])
      .describe('Alerts matching any of these are dropped (counted in /metrics and logged), never filed.'),
  })
  .describe('Which service, repository, severity and labels an alert gets.');
export type RoutingConfig = z.output<typeof routingConfigSchema>;

export const alertsConfigSchema = z
  .strictObject({
    noticeInterval: duration('7d').default('30m').describe('At most one "still firing / new alert joined" comment per incident per interval.'),
    reopenWindow: duration('30d').default('1h').describe('An alert firing again this soon after its incident resolved reopens it; later, it opens a new one.'),
    autoResolve: autoResolve
      .default(false)
      .describe('Resolve (close) the incident when all of its alerts have resolved. Default: leave it open for people. An alert annotation firewatch_auto_resolve: "false" opts out.'),
  })
  .describe('How alert notifications update incidents.');
export type AlertsConfig = z.output<typeof alertsConfigSchema>;
