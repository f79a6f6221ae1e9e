import { findCommand } from '../commands/commands.ts';
import { incidentStartedAt } from './durations.ts';
import { CLOSED_STATUSES } from './incidentStatus.ts';
import type { IncidentState, TimelineEntry } from './incidentState.ts';
import { escapeInline, escapeMarkdown, inlineCode, safeLink } from '../text/markdown.ts';
import { responseView, type ResponseView } from './responseView.ts';
import { formatTime } from '../time/formatTime.ts';

export { formatTime, isUtcZone } from '../time/formatTime.ts';
import { searchTokensLine } from '../alerts/fingerprintToken.ts';

/** Rows in the body's alerts table; the rest are summarised in one line. */
export const MAX_ALERT_ROWS = 25;

/** Characters of an alert's description shown in the body and the postmortem; longer ones are cut with `…`. */
export const MAX_DESCRIPTION_CHARS = 2_000;

interface AlertRow {
  name: string;
  status: string;
  labels: string;
  value: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  links: string;
}

/**
 * What `templates/incident.md.hbs` renders. Every string is already safe Markdown (user text
 * escaped, mentions neutralized), so templates insert them as they are.
 */
export interface IncidentView extends ResponseView {
  heading: string;
  summary: string | null;
  /** The first alert's description, escaped, line breaks kept; `null` without one. */
  description: string | null;
  severity: string;
  status: string;
  service: string;
  startedAt: string;
  incidentId: string;
  alerts: AlertRow[];
  /** Alerts without a row: tracked beyond the rows shown, and those of a group too large to track. */
  moreAlerts: number;
  moreAlertsSingle: boolean;
  /** How many of those fire. */
  moreFiring: number;
  /** Set when the incident was closed while alerts still fired: says so under the table. */
  stillFiring: string | null;
  firstSteps: FirstStep[];
  timeline: { at: string; text: string }[];
  /** Visible search tokens (`firewatch fingerprint: fwfp…`), so GitHub search finds the incident. */
  searchTokens: string;
}

/** One box of the body's "First steps" checklist. */
export interface FirstStep {
  done: boolean;
  text: string;
}

/**
 * Timeline entries that mean someone looked at the suspected changes: `/deploys` (which records
 * `suspects-reviewed`), `/rollback` and `/redeploy`. Reactions on the suspects comment cannot
 * count: GitHub sends no webhook for reactions, so firewatch would never learn of them.
 */
export const SUSPECTS_LOOKED_AT = ['suspects-reviewed', 'rollback', 'redeploy'] as const;

/**
 * The runbooks' first steps, naming a command only when that command exists, each ticked once it
 * happened: acknowledged (`/ack` or any status change), severity assessed (`/severity`, or the
 * `sev:` label changed by hand), a status update posted (`/status`), the suspected changes looked at
 * ({@link SUSPECTS_LOOKED_AT}). Without a state, nothing is ticked.
 */
export function firstSteps(state?: IncidentState): FirstStep[] {
  const ack = findCommand('ack');
  const severity = findCommand('severity');
  const status = findCommand('status');
  const deploys = findCommand('deploys');
  const happened = (...types: readonly string[]) => state?.timeline.some((entry) => types.includes(entry.type)) ?? false;
  return [
    {
      done: Boolean(state?.acknowledgedAt),
      text: ack
        ? `**Acknowledge**: comment \`/${ack.name}\` so everyone knows someone is on it.`
        : '**Acknowledge**: assign yourself and say in a comment that you are looking into it, so everyone knows someone is on it.',
    },
    {
      done: happened('severity'),
      text: `**Assess severity**: how many users or partners are affected? Can you reproduce it? Is it new? ${
        severity ? `Correct it with \`/${severity.name} P1..P5\`.` : 'Correct the `sev:` label if it is wrong.'
      }`,
    },
    {
      // A status update while it mattered: the summary given with /resolve does not count.
      done: happened('status') || (state?.statusUpdates.some((update) => update.status !== 'resolved') ?? false),
      text: `**Communicate**: keep this issue updated with what you learn, even "looked at the logs, nothing odd yet".${
        status ? ` Use \`/${status.name}\` for status updates.` : ''
      } If users are affected, update the status page.`,
    },
    {
      done: happened(...SUSPECTS_LOOKED_AT),
      text: `**Check recent changes**: merges and deploys shortly before the start time are the usual suspects; rolling back is often the fastest fix.${
        deploys ? ` \`/${deploys.name}\` ranks them.` : ''
      }`,
    },
  ];
}

function alertRow(alert: IncidentState['alerts'][number], timezone: string, closed: boolean): AlertRow {
  const links = [
    alert.links.generator ? safeLink('source', alert.links.generator) : '',
    alert.links.runbook ? safeLink('runbook', alert.links.runbook) : '',
    alert.links.dashboard ? safeLink('dashboard', alert.links.dashboard) : '',
    alert.links.silence ? safeLink('silence', alert.links.silence) : '',
  ].filter(Boolean);
  return {
    name: escapeInline(alert.title),
    // A closed incident whose alert never reported resolved: the source's last word was "firing".
    status: alert.status === 'resolved' ? '✅ resolved' : closed ? '🔴 still firing' : '🔴 firing',
    labels: Object.entries(alert.labels)
      .map(([name, value]) => inlineCode(`${name}=${value}`))
      .join(' '),
    value: alert.value ? escapeInline(alert.value) : '',
    firstSeen: formatTime(alert.firstSeen, timezone),
    lastSeen: formatTime(alert.lastSeen, timezone),
    count: alert.count,
    links: links.join(' · '),
  };
}

/** The row standing for the entries the state left out (see `IncidentState.earlierTimeline`). */
function earlierEntriesText(count: number): string {
  return `… ${count === 1 ? '1 earlier entry is' : `${count} earlier entries are`} not repeated here, to keep this issue within GitHub's 65,536 characters: each is in the firewatch comment that recorded it, and the postmortem draft has them all.`;
}

/**
 * A timeline entry's text for one line: firewatch's own Markdown as is (its user parts were escaped
 * when it was written), anything else escaped. Table cells go through `{{cell}}` in the templates.
 */
export function timelineText(entry: Pick<TimelineEntry, 'text' | 'markdown'>): string {
  return entry.markdown ? entry.text.replace(/\s+/g, ' ').replace(/!\[/g, '!\\[').trim() : escapeInline(entry.text);
}

/** Text cut to `max` characters with `…`, never splitting a surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** An alert's description as Markdown: escaped, cut to {@link MAX_DESCRIPTION_CHARS}, line breaks kept, blank-line runs folded. */
export function describeAlert(description: string | undefined): string | null {
  // Line by line rather than one pattern: a regular expression anchored at line ends backtracks on long runs of spaces.
  const text = description
    ?.replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text ? escapeMarkdown(clipText(text, MAX_DESCRIPTION_CHARS)) : null;
}

export interface IncidentViewOptions {
  timezone: string;
  /** Rows of the alerts table (default {@link MAX_ALERT_ROWS}); fewer when the body must shrink to fit GitHub's limit. */
  alertRows?: number;
}

export function incidentView(state: IncidentState, options: IncidentViewOptions): IncidentView {
  const { timezone } = options;
  const rows = options.alertRows ?? MAX_ALERT_ROWS;
  const closed = CLOSED_STATUSES.includes(state.status);
  // Firing first, then most recently seen: that is what a responder looks for.
  const alerts = [...state.alerts].sort((a, b) => Number(a.status === 'resolved') - Number(b.status === 'resolved') || b.lastSeen.localeCompare(a.lastSeen));
  const trackedFiring = state.alerts.filter((alert) => alert.status === 'firing').length;
  const firing = trackedFiring + (state.untrackedAlerts?.firing ?? 0);
  const shown = Math.min(rows, alerts.length);
  // Rows go to firing alerts first, so the firing ones left out are those beyond the rows.
  const moreFiring = Math.max(0, trackedFiring - shown) + (state.untrackedAlerts?.firing ?? 0);
  const moreAlerts = alerts.length - shown + (state.untrackedAlerts?.firing ?? 0) + (state.untrackedAlerts?.resolved ?? 0);
  return {
    ...responseView(state, timezone),
    heading: escapeInline(state.title),
    summary: state.summary ? escapeMarkdown(clipText(state.summary.trim(), MAX_DESCRIPTION_CHARS)) : null,
    description: describeAlert(state.description),
    severity: state.severity,
    status: state.status,
    service: escapeInline(state.service),
    startedAt: formatTime(incidentStartedAt(state), timezone),
    incidentId: state.id,
    searchTokens: searchTokensLine(state.fingerprintTokens),
    alerts: alerts.slice(0, rows).map((alert) => alertRow(alert, timezone, closed)),
    moreAlerts,
    moreAlertsSingle: moreAlerts === 1,
    moreFiring,
    stillFiring:
      closed && firing > 0
        ? `⚠️ The incident was ${state.status} while ${firing === 1 ? '1 alert was still firing; its row changes when the source reports it resolved.' : `${firing} alerts were still firing; their rows change when the source reports them resolved.`}`
        : null,
    firstSteps: firstSteps(state),
    timeline: [
      ...(state.earlierTimeline ? [{ at: `until ${formatTime(state.earlierTimeline.until, timezone)}`, text: earlierEntriesText(state.earlierTimeline.count) }] : []),
      ...[...state.timeline]
        .sort((a, b) => a.at.localeCompare(b.at))
        .map((entry) => ({ at: formatTime(entry.at, timezone), text: `${timelineText(entry)}${entry.actor ? ` (${escapeInline(entry.actor)})` : ''}` })),
    ],
  };
}
