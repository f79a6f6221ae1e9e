import { DateTime } from 'luxon';
import { formatDuration, incidentStartedAt } from '../incident/durations.ts';
import type { IncidentState, TimelineEntry } from '../incident/incidentState.ts';
import { clipText, describeAlert, isUtcZone, MAX_DESCRIPTION_CHARS } from '../incident/incidentView.ts';
import { escapeInline, escapeMarkdown, markdownToPlain, safeLink } from '../text/markdown.ts';
import type { PostmortemFrontMatter } from './frontMatter.ts';
import { isoDuration } from './isoDuration.ts';
import { isRollbackEntry } from './needsPostmortem.ts';
import { Pseudonyms } from './pseudonyms.ts';
import { trimChars, trimEndChars } from '../text/trimChars.ts';

/** A suspected change as the correlation comment ranked it, with what firewatch could learn about it. */
export interface SuspectInput {
  /** `owner/repo#number` or another key the correlation used. */
  reference: string;
  url?: string;
  title?: string;
  author?: string;
  score: number;
  evidence: string[];
}

export interface PostmortemInput {
  state: IncidentState;
  incident: { repo: string; number: number; url: string; title: string; labels: readonly string[] };
  suspects: readonly SuspectInput[];
  /** Where follow-up issues live, for their links (`https://github.com` or a GHES host). */
  webUrl: string;
  timezone: string;
  redact: boolean;
  reviewWithinDays: number;
  /** Why the incident needs a postmortem (from `needsPostmortem`), for the summary. */
  reasons: readonly string[];
}

interface TimeView {
  iso: string;
  utc: string;
  local: string;
}

interface TimelineRow {
  utc: string;
  local: string;
  type: string;
  actor: string;
  text: string;
  /** Written down after the fact (`/note 14:05 ...`): when it was recorded, else empty. */
  recorded: string;
}

/** The documented view model every postmortem template (ours or an organization's) receives. */
export interface PostmortemView {
  title: string;
  incident: { id: string; reference: string; url: string };
  severity: string;
  service: string;
  timezone: string;
  /** Whether times are shown in the team's zone too: false when that zone is UTC (no `UTC | UTC` columns). */
  showLocal: boolean;
  status: string;
  summary: string;
  /** The first alert's summary and description (Alertmanager annotations and equivalents), escaped; empty without. */
  alertSummary: string;
  alertDescription: string;
  reasons: string[];
  times: { started: TimeView; detected: TimeView; acknowledged: TimeView | null; mitigated: TimeView | null; resolved: TimeView | null };
  /** The impact table's rows: started, detected, acknowledged, mitigated, resolved (`—` for what did not happen). */
  milestones: { label: string; utc: string; local: string }[];
  durations: { toAcknowledge: DurationView | null; toMitigate: DurationView | null; toResolve: DurationView | null };
  alerts: { title: string; status: string; count: number; firstSeen: string }[];
  timeline: TimelineRow[];
  /** The Mermaid timeline's title and events, with Mermaid's special characters written as its entity codes. */
  mermaidTitle: string;
  mermaid: string[];
  roles: string[];
  statusUpdates: { utc: string; status: string; text: string }[];
  suspects: { link: string; title: string; author: string; score: string; evidence: string[] }[];
  rollbacks: { utc: string; text: string }[];
  followups: { link: string; title: string; done: boolean }[];
  links: { label: string; link: string }[];
  reviewDate: string;
  frontMatter: PostmortemFrontMatter;
  /** Logins that were replaced (lower case); empty when redaction is off. Not rendered. */
  redactedLogins: string[];
}

interface DurationView {
  iso: string;
  text: string;
}

function time(iso: string, timezone: string): TimeView {
  const utc = DateTime.fromISO(iso, { zone: 'utc' });
  return {
    iso: utc.toISO({ suppressMilliseconds: true }) ?? iso,
    utc: utc.toFormat("yyyy-LL-dd HH:mm 'UTC'"),
    local: utc.setZone(timezone).setLocale('en-US').toFormat('yyyy-LL-dd HH:mm ZZZZ'),
  };
}

function duration(from: string, to: string | null): DurationView | null {
  if (!to) return null;
  const ms = Math.max(0, Date.parse(to) - Date.parse(from));
  return { iso: isoDuration(ms), text: formatDuration(ms) };
}

/** Entries by when they happened (back-dated notes at their own time); ties keep the recorded order. */
function orderTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

/**
 * Text for a Mermaid timeline: one line, at most 60 characters, and each character Mermaid gives a
 * meaning (`:` separates events, `#…;` is an entity code, `;` ends a statement, `%%` starts a
 * comment, brackets and quotes delimit) written as its entity code (`#35;` for `#`), which Mermaid
 * shows as the character itself: "Rollback of #7" stays "Rollback of #7".
 */
function mermaidText(text: string): string {
  const flat = clipText(text.replace(/\s+/g, ' ').trim(), 60);
  return flat.replace(/[#:;%`<>{}[\]"&]/g, (char) => `#${char.charCodeAt(0)};`);
}

function slugify(text: string): string {
  const dashed = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z\d]+/g, '-');
  return trimEndChars(trimChars(dashed, '-').slice(0, 60), '-') || 'incident';
}

/** The incident's title without the `[P2] service:` prefix firewatch puts on issues. */
export function bareTitle(title: string): string {
  return title.replace(/^\[P[1-5]\]\s*/, '').trim();
}

/** A filter keeping the first of each login (case-insensitive), leaving out empty ones. */
function firstOfEach(seen: Set<string>): (login: string) => boolean {
  return (login) => {
    const key = login.toLowerCase();
    if (!login || seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

/**
 * Everything a postmortem template shows, from the incident state alone (pure). People are
 * replaced by pseudonyms in order of first appearance: the incident title, the timeline in time
 * order (actor, then people named in the text), then roles, acknowledger and status-update
 * authors, suspected-change authors, then anyone `@mentioned` elsewhere (summary, status updates,
 * alerts, follow-ups, suspects). Every string that reaches the view goes through the same
 * replacement, including URLs and titles.
 */
export function postmortemView(input: PostmortemInput): PostmortemView {
  const { state, incident, timezone } = input;
  const people = new Pseudonyms(input.redact);
  // The postmortem's own bookkeeping (drafted, skipped, reviewed) is not part of the incident's story.
  const timeline = orderTimeline(state.timeline.filter((entry) => !entry.type.startsWith('postmortem')));
  const known = [
    ...timeline.map((entry) => entry.actor ?? ''),
    state.roles.commander ?? '',
    state.roles.comms ?? '',
    ...state.roles.responders,
    state.acknowledgedBy ?? '',
    ...state.statusUpdates.map((update) => update.actor ?? ''),
    ...input.suspects.map((suspect) => suspect.author ?? ''),
  ].filter(firstOfEach(new Set<string>()));
  people.scan(incident.title, known);
  for (const entry of timeline) {
    if (entry.actor) people.person(entry.actor);
    people.scan(entry.text, known);
  }
  for (const login of known) people.person(login);
  // Everything else that can name someone, so a login first written later is replaced everywhere.
  const rest = [
    state.summary ?? '',
    state.description ?? '',
    ...state.statusUpdates.map((update) => update.text),
    ...state.alerts.flatMap((alert) => [alert.title, ...Object.values(alert.links)]),
    ...state.followups.map((followup) => followup.title),
    ...input.suspects.flatMap((suspect) => [suspect.title ?? '', suspect.url ?? '', ...suspect.evidence]),
  ];
  for (const value of rest) people.scan(value ?? '', known);
  const text = (value: string) => people.text(value);
  const inline = (value: string) => escapeInline(text(value));
  // Entries firewatch wrote as Markdown (links to its own PRs) keep their links; the rest is user text.
  const entryInline = (entry: TimelineEntry) => (entry.markdown ? text(entry.text).replace(/\s+/g, ' ').trim() : inline(entry.text));
  const entryPlain = (entry: TimelineEntry) => text(entry.markdown ? markdownToPlain(entry.text) : entry.text);

  const title = text(bareTitle(incident.title));
  const reference = `${incident.repo}#${incident.number}`;
  // The same start as the incident issue's "Started at" (back-dated notes included).
  const startedAt = incidentStartedAt(state);
  const showLocal = !isUtcZone(timezone);
  const times = {
    started: time(startedAt, timezone),
    detected: time(state.triggeredAt, timezone),
    acknowledged: state.acknowledgedAt ? time(state.acknowledgedAt, timezone) : null,
    mitigated: state.mitigatedAt ? time(state.mitigatedAt, timezone) : null,
    resolved: state.resolvedAt ? time(state.resolvedAt, timezone) : null,
  };
  const impactRows = (
    [
      ['Started', times.started],
      ['Detected', times.detected],
      ['Acknowledged', times.acknowledged],
      ['Mitigated', times.mitigated],
      ['Resolved', times.resolved],
    ] as const
  ).map(([label, at]) => ({ label, utc: at?.utc ?? '—', local: at?.local ?? '—' }));
  const durations = {
    toAcknowledge: duration(state.triggeredAt, state.acknowledgedAt),
    toMitigate: duration(state.triggeredAt, state.mitigatedAt),
    toResolve: duration(state.triggeredAt, state.resolvedAt),
  };

  const rows: TimelineRow[] = timeline.map((entry) => {
    const at = time(entry.at, timezone);
    return {
      utc: at.utc,
      local: at.local,
      type: escapeInline(entry.type),
      actor: entry.actor ? escapeInline(people.person(entry.actor)) : '',
      text: entryInline(entry),
      recorded: entry.recordedAt && entry.recordedAt !== entry.at ? time(entry.recordedAt, timezone).utc : '',
    };
  });
  const milestones: [string, string | null][] = [
    ['Detected', state.triggeredAt],
    ['Acknowledged', state.acknowledgedAt],
    ['Mitigated', state.mitigatedAt],
    ['Resolved', state.resolvedAt],
  ];
  const mermaidEvents = [
    ...milestones.filter((m): m is [string, string] => m[1] !== null).map(([label, at]) => ({ at, label })),
    ...timeline.filter((entry) => ['note', 'severity', 'escalated', 'rollback', 'revert'].includes(entry.type) || isRollbackEntry(entry)).map((entry) => ({ at: entry.at, label: entryPlain(entry) })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const mermaid = mermaidEvents.map((event) => `${DateTime.fromISO(event.at, { zone: 'utc' }).toFormat('HH#58;mm')} : ${mermaidText(event.label) || 'event'}`);

  const roles: string[] = [];
  if (state.roles.commander) roles.push(`incident commander (${escapeInline(people.person(state.roles.commander))})`);
  if (state.roles.comms) roles.push(`communications officer (${escapeInline(people.person(state.roles.comms))})`);
  for (const responder of state.roles.responders) roles.push(`responder (${escapeInline(people.person(responder))})`);

  const rollbacks = timeline.filter(isRollbackEntry).map((entry) => ({ at: entry.at, utc: time(entry.at, timezone).utc, text: entryInline(entry), plain: entryPlain(entry) }));
  const webUrl = trimEndChars(input.webUrl, '/');
  const followups = state.followups.map((followup) => ({
    key: `${followup.repo}#${followup.number}`,
    url: `${webUrl}/${followup.repo}/issues/${followup.number}`,
    title: text(followup.title),
    done: followup.done,
  }));
  const suspects = input.suspects.map((suspect) => ({
    reference: suspect.reference,
    url: suspect.url ? text(suspect.url) : undefined,
    title: suspect.title ? text(suspect.title) : '',
    author: suspect.author ? people.person(suspect.author) : '',
    score: suspect.score,
    evidence: suspect.evidence.map(text),
  }));

  const links: { label: string; link: string }[] = [{ label: 'Incident', link: safeLink(reference, incident.url) }];
  const seen = new Set<string>();
  for (const alert of state.alerts) {
    for (const [kind, url] of Object.entries(alert.links)) {
      if (!url || seen.has(url)) continue;
      seen.add(url);
      links.push({ label: `${kind} (${inline(alert.title)})`, link: safeLink(text(url), text(url)) });
    }
  }

  const resolvedOrNow = state.resolvedAt ?? state.triggeredAt;
  const reviewDate = DateTime.fromISO(resolvedOrNow, { zone: 'utc' }).plus({ days: input.reviewWithinDays }).toISODate() ?? '';
  const services = [...new Set([state.service, ...state.alerts.map((alert) => alert.labels['service'] ?? '').filter(Boolean)])];
  const tags = [...new Set(['incident', `sev-${state.severity.toLowerCase()}`, ...services, ...incident.labels.filter((label) => !/^(incident|sev:|status:)/.test(label))])];

  const frontMatter: PostmortemFrontMatter = {
    title,
    incident: reference,
    incident_url: incident.url,
    date: times.started.iso.slice(0, 10),
    severity: state.severity,
    status: 'draft',
    services,
    started_at: times.started.iso,
    detected_at: times.detected.iso,
    acknowledged_at: times.acknowledged?.iso ?? null,
    mitigated_at: times.mitigated?.iso ?? null,
    resolved_at: times.resolved?.iso ?? null,
    time_to_acknowledge: durations.toAcknowledge?.iso ?? null,
    time_to_resolve: durations.toResolve?.iso ?? null,
    suspected_changes: suspects.map((suspect) => ({ ref: suspect.reference, ...(suspect.url ? { url: suspect.url } : {}), score: suspect.score })),
    rollbacks: rollbacks.map((rollback) => ({ at: time(rollback.at, 'UTC').iso, description: rollback.plain })),
    follow_ups: followups.map((followup) => ({ ref: followup.key, url: followup.url, title: followup.title, done: followup.done })),
    review_date: reviewDate,
    tags,
  };

  return {
    title: escapeInline(title),
    incident: { id: state.id, reference, url: incident.url },
    severity: state.severity,
    service: escapeInline(state.service),
    timezone,
    showLocal,
    status: 'draft',
    summary: state.summary ? escapeMarkdown(text(clipText(state.summary, MAX_DESCRIPTION_CHARS))) : '',
    alertSummary: state.summary ? escapeInline(text(clipText(state.summary, MAX_DESCRIPTION_CHARS))) : '',
    alertDescription: describeAlert(state.description === undefined ? undefined : text(state.description)) ?? '',
    reasons: input.reasons.map(escapeInline),
    times,
    milestones: impactRows,
    durations,
    alerts: state.alerts.map((alert) => ({ title: inline(alert.title), status: alert.status, count: alert.count, firstSeen: time(alert.firstSeen, timezone).utc })),
    timeline: rows,
    mermaidTitle: mermaidText(`${reference} (UTC)`),
    mermaid,
    roles,
    statusUpdates: state.statusUpdates.filter((update) => !update.internal).map((update) => ({ utc: time(update.at, timezone).utc, status: update.status, text: inline(update.text) })),
    suspects: suspects.map((suspect) => ({
      link: suspect.url ? safeLink(suspect.reference, suspect.url) : escapeInline(suspect.reference),
      title: escapeInline(suspect.title),
      author: escapeInline(suspect.author),
      score: suspect.score.toFixed(2),
      evidence: suspect.evidence.map(escapeInline),
    })),
    rollbacks: rollbacks.map(({ utc, text: description }) => ({ utc, text: description })),
    followups: followups.map((followup) => ({ link: safeLink(followup.key, followup.url), title: escapeInline(followup.title), done: followup.done })),
    links,
    reviewDate,
    frontMatter,
    redactedLogins: people.logins(),
  };
}

/** The file's path from the configured template: `{{year}}`, `{{month}}`, `{{date}}`, `{{slug}}`, `{{repo}}`, `{{number}}`. */
export function postmortemPath(template: string, view: Pick<PostmortemView, 'frontMatter'>, incident: { repo: string; number: number }): string {
  const date = view.frontMatter.date;
  const values: Record<string, string> = {
    year: date.slice(0, 4),
    month: date.slice(5, 7),
    date,
    slug: slugify(view.frontMatter.title),
    repo: slugify(incident.repo.split('/')[1] ?? incident.repo),
    number: String(incident.number),
  };
  return template
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (match, key: string) => values[key] ?? match)
    .replace(/\.\.+/g, '.')
    .replace(/^\/+/, '');
}
