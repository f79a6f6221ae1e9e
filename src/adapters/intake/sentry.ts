import { z } from 'zod';
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { IntakeProblem, NormalizeContext, NormalizeResult } from './normalizer.ts';
import { problemsFromZod } from './normalizer.ts';
import { rateAlert } from './severityLevels.ts';
import { clip, MAX_LABELS, sourceTimeSchema, UNKNOWN_SERVICE, webLink } from './sourceFields.ts';

const id = z.union([z.string().trim().min(1).max(64), z.number().int().nonnegative()], { error: 'must be an id' }).transform(String);
const optionalText = (max: number) => z.string().max(max).nullish();
const url = z.string().max(8192).nullish();
const metadata = z
  .object({ type: optionalText(1024), value: optionalText(4096), filename: optionalText(1024) })
  .nullish();

/** `data.event` of an issue alert (`Sentry-Hook-Resource: event_alert`). */
const sentryEventSchema = z.object({
  event_id: optionalText(64),
  issue_id: id,
  issue_url: url,
  title: z.string().trim().min(1).max(1024),
  culprit: optionalText(1024),
  level: optionalText(32),
  datetime: sourceTimeSchema.nullish(),
  project: z.union([z.number(), z.string().max(256)]).nullish(),
  platform: optionalText(64),
  environment: optionalText(256),
  release: optionalText(256),
  url,
  web_url: url,
  metadata,
  tags: z.array(z.tuple([z.string().max(256), z.string().max(4096).nullable()])).max(1024).nullish(),
});

/** Issue alert: an alert rule with this integration as its action fired. */
const sentryEventAlertSchema = z.object({
  action: z.literal('triggered', { error: 'an issue alert webhook has action "triggered"' }),
  data: z.object({
    event: sentryEventSchema,
    triggered_rule: optionalText(1024),
    issue_alert: z.object({ title: optionalText(1024) }).nullish(),
  }),
});

const SENTRY_ISSUE_ACTIONS = ['created', 'unresolved', 'resolved', 'archived', 'ignored', 'assigned'] as const;

/** Issue webhook (`Sentry-Hook-Resource: issue`): an issue was created or changed state. */
const sentryIssueSchema = z.object({
  action: z.enum(SENTRY_ISSUE_ACTIONS, { error: `must be one of ${SENTRY_ISSUE_ACTIONS.join(', ')}` }),
  data: z.object({
    issue: z.object({
      id,
      title: z.string().trim().min(1).max(1024),
      shortId: optionalText(256),
      culprit: optionalText(1024),
      level: optionalText(32),
      status: optionalText(64),
      platform: optionalText(64),
      firstSeen: sourceTimeSchema.nullish(),
      count: z.union([z.string().max(32), z.number()]).nullish(),
      userCount: z.number().nullish(),
      project: z.object({ id: id.nullish(), slug: optionalText(256), name: optionalText(256) }).nullish(),
      web_url: url,
      permalink: url,
      metadata,
    }),
  }),
});

/**
 * Sentry integration-platform webhooks, told apart by their data (the `Sentry-Hook-Resource`
 * header says the same):
 * - `event_alert` (issue alert rule fired) → a firing alert
 * - `issue` created/unresolved → firing; resolved/archived/ignored → resolved; assigned → no alert
 *
 * Both use the Sentry issue id as fingerprint, so an `issue.resolved` resolves what an issue alert
 * opened. Severity from `level` (fatal P1 … debug P5); service is the project slug.
 */
export function normalizeSentry(payload: unknown, context: NormalizeContext): NormalizeResult {
  const data = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as { data?: unknown }).data : undefined;
  const kind = typeof data === 'object' && data !== null && !Array.isArray(data) ? sentryResource(data) : undefined;
  if (kind === 'event_alert') {
    const parsed = sentryEventAlertSchema.safeParse(payload);
    return parsed.success ? { ok: true, alerts: [fromEventAlert(parsed.data, context)] } : { ok: false, problems: problemsFromZod(parsed.error) };
  }
  if (kind === 'issue') {
    const parsed = sentryIssueSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
    if (parsed.data.action === 'assigned') {
      return { ok: true, alerts: [], notes: [`Sentry issue ${parsed.data.data.issue.id} was assigned: an assignment is not an alert, nothing to file`] };
    }
    return { ok: true, alerts: [fromIssue(parsed.data, context)] };
  }
  return { ok: false, problems: [unsupported(kind)] };
}

function sentryResource(data: object): 'event_alert' | 'issue' | 'metric_alert' | undefined {
  if ('event' in data) return 'event_alert';
  if ('issue' in data) return 'issue';
  if ('metric_alert' in data) return 'metric_alert';
  return undefined;
}

function unsupported(kind: 'metric_alert' | undefined): IntakeProblem {
  if (kind === 'metric_alert') {
    return { path: 'data.metric_alert', message: 'Sentry metric alert webhooks are not supported yet: add firewatch as the action of an issue alert rule' };
  }
  return {
    path: 'data',
    message: 'expected a Sentry issue alert (data.event, Sentry-Hook-Resource: event_alert) or issue webhook (data.issue, Sentry-Hook-Resource: issue)',
  };
}

function fromEventAlert(payload: z.output<typeof sentryEventAlertSchema>, context: NormalizeContext): NormalizedAlert {
  const { event, triggered_rule: rule } = payload.data;
  const tags = tagLabels(event.tags ?? []);
  const project = projectSlugFromApiUrl(event.url) ?? (event.project !== null && event.project !== undefined ? String(event.project) : undefined);
  const level = event.level ?? tags['level'];
  const alert: NormalizedAlert = {
    source: 'sentry',
    fingerprint: event.issue_id,
    status: 'firing',
    title: clip(event.title, 256),
    ...rateAlert(level ?? undefined),
    service: clip(tags['service'] || project || UNKNOWN_SERVICE, 128),
    labels: withProject(tags, project),
    annotations: facts({
      rule,
      culprit: event.culprit,
      filename: sourceFile(event.metadata),
      level,
      platform: event.platform,
      environment: event.environment ?? tags['environment'],
      release: event.release ?? tags['release'],
      issue_id: event.issue_id,
      event_id: event.event_id,
    }),
    startsAt: event.datetime ?? context.receivedAt.toISOString(),
    links: { other: [] },
  };
  if (rule) alert.summary = clip(`Sentry alert rule "${rule}" fired`, 4096);
  const description = describe(event.culprit, event.metadata);
  if (description) alert.description = description;
  const eventPage = webLink(event.web_url);
  const issuePage = issuePageFromEventPage(eventPage);
  if (issuePage) alert.links.generator = issuePage;
  if (eventPage) alert.links.other.push({ title: 'Sentry event', url: eventPage });
  return alert;
}

function fromIssue(payload: z.output<typeof sentryIssueSchema>, context: NormalizeContext): NormalizedAlert {
  const { action } = payload;
  const { issue } = payload.data;
  const project = issue.project?.slug ?? issue.project?.name ?? undefined;
  const status = action === 'created' || action === 'unresolved' ? 'firing' : 'resolved';
  const receivedAt = context.receivedAt.toISOString();
  const labels: Record<string, string> = {};
  if (issue.level) labels['level'] = issue.level;
  if (issue.platform) labels['platform'] = issue.platform;
  const alert: NormalizedAlert = {
    source: 'sentry',
    fingerprint: issue.id,
    status,
    title: clip(issue.title, 256),
    ...rateAlert(issue.level ?? undefined),
    service: clip(project || UNKNOWN_SERVICE, 128),
    labels: withProject(labels, project),
    annotations: facts({ action, culprit: issue.culprit, filename: sourceFile(issue.metadata), level: issue.level, platform: issue.platform, short_id: issue.shortId, issue_id: issue.id, status: issue.status }),
    startsAt: issue.firstSeen ?? receivedAt,
    links: { other: [] },
  };
  if (status === 'resolved') alert.endsAt = receivedAt;
  alert.summary = `Sentry issue ${issue.shortId ?? issue.id} ${action === 'ignored' ? 'archived' : action}`;
  const description = describe(issue.culprit, issue.metadata);
  if (description) alert.description = description;
  if (issue.count !== null && issue.count !== undefined) {
    const users = typeof issue.userCount === 'number' ? `, ${plural(issue.userCount, 'user')}` : '';
    alert.value = `${plural(Number(issue.count), 'event', String(issue.count))}${users}`;
  }
  const page = webLink(issue.web_url) ?? webLink(issue.permalink);
  if (page) alert.links.generator = page;
  return alert;
}

/** `.../api/0/projects/{org}/{project}/events/{id}/` → `{project}`. */
export function projectSlugFromApiUrl(apiUrl: string | null | undefined): string | undefined {
  const match = /\/api\/0\/projects\/[^/]+\/([^/]+)\//.exec(apiUrl ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** `.../issues/{id}/events/{event}/` → `.../issues/{id}/`: the issue page, where responders start. */
function issuePageFromEventPage(eventPage: string | undefined): string | undefined {
  if (!eventPage) return undefined;
  const match = /^(.*\/issues\/[^/]+\/)events\/[^/]+\/?$/.exec(eventPage);
  return match?.[1] ?? eventPage;
}

function tagLabels(tags: [string, string | null][]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of tags) {
    if (!key || value === null || Object.hasOwn(labels, key) || key === '__proto__') continue;
    if (Object.keys(labels).length >= MAX_LABELS) break;
    labels[key] = value;
  }
  return labels;
}

function withProject(labels: Record<string, string>, project: string | undefined): Record<string, string> {
  return project && !Object.hasOwn(labels, 'project') ? { ...labels, project } : labels;
}

function describe(culprit: string | null | undefined, meta: { type?: string | null | undefined; value?: string | null | undefined } | null | undefined): string | undefined {
  const lines: string[] = [];
  if (meta?.type || meta?.value) lines.push([meta.type, meta.value].filter(Boolean).join(': '));
  if (culprit) lines.push(`Culprit: ${culprit}`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * The file the error was raised in (`metadata.filename`, the top in-app frame's file, source-mapped),
 * which the culprit often leaves out (`Array.map(<anonymous>)`); correlation matches it against the
 * changed files. Sentry's placeholders (`<anonymous>`) name no file.
 */
function sourceFile(meta: { filename?: string | null | undefined } | null | undefined): string | undefined {
  const filename = meta?.filename?.trim();
  return filename && !/^<[^>]*>$/.test(filename) ? filename : undefined;
}

function facts(values: Record<string, string | null | undefined>): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value) annotations[key] = value;
  return annotations;
}

function plural(count: number, noun: string, shown = String(count)): string {
  return `${shown} ${noun}${count === 1 ? '' : 's'}`;
}
