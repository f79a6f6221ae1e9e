import { DateTime } from 'luxon';
import { findCommand } from './commands.ts';
import type { IncidentState, TimelineEntry } from './incidentState.ts';
import { escapeInline, escapeMarkdown, inlineCode, neutralizeMentions, safeLink } from './markdown.ts';
import { responseView, type ResponseView } from './responseView.ts';
import { searchTokensLine } from './fingerprintToken.ts';

/** Rows in the body's alerts table; the rest are summarised in one line. */
export const MAX_ALERT_ROWS = 25;

export interface AlertRow {
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
  severity: string;
  status: string;
  service: string;
  startedAt: string;
  incidentId: string;
  alerts: AlertRow[];
  moreAlerts: number;
  firstSteps: string[];
  timeline: { at: string; text: string }[];
  /** Visible search tokens (`firewatch fingerprint: fwfp…`), so GitHub search finds the incident. */
  searchTokens: string;
}

/** `2025-01-14 09:03 UTC`, plus the team's local time when the team is not on UTC. */
export function formatTime(iso: string, timezone: string): string {
  const utc = DateTime.fromISO(iso, { zone: 'utc' });
  if (!utc.isValid) return escapeInline(iso);
  const base = utc.toFormat("yyyy-LL-dd HH:mm 'UTC'");
  if (timezone === 'UTC') return base;
  const local = utc.setZone(timezone).setLocale('en-US');
  if (!local.isValid) return base;
  const sameDay = local.toISODate() === utc.toISODate();
  return `${base} (${local.toFormat(sameDay ? 'HH:mm ZZZZ' : 'LLL d HH:mm ZZZZ')})`;
}

/** The runbooks' first steps, naming a command only when that command exists. */
export function firstSteps(): string[] {
  const ack = findCommand('ack');
  const severity = findCommand('severity');
  const status = findCommand('status');
  return [
    ack
      ? `**Acknowledge**: comment \`/${ack.name}\` so everyone knows someone is on it.`
      : '**Acknowledge**: assign yourself and say in a comment that you are looking into it, so everyone knows someone is on it.',
    `**Assess severity**: how many users or partners are affected? Can you reproduce it? Is it new? ${
      severity ? `Correct it with \`/${severity.name} P1..P5\`.` : 'Correct the `sev:` label if it is wrong.'
    }`,
    `**Communicate**: keep this issue updated with what you learn, even "looked at the logs, nothing odd yet".${
      status ? ` Use \`/${status.name}\` for status updates.` : ''
    } If users are affected, update the status page.`,
    '**Check recent changes**: merges and deploys shortly before the start time are the usual suspects; rolling back is often the fastest fix.',
  ];
}

function alertRow(alert: IncidentState['alerts'][number], timezone: string): AlertRow {
  const links = [
    alert.links.generator ? safeLink('source', alert.links.generator) : '',
    alert.links.runbook ? safeLink('runbook', alert.links.runbook) : '',
    alert.links.dashboard ? safeLink('dashboard', alert.links.dashboard) : '',
    alert.links.silence ? safeLink('silence', alert.links.silence) : '',
  ].filter(Boolean);
  return {
    name: escapeInline(alert.title),
    status: alert.status === 'firing' ? '🔴 firing' : '✅ resolved',
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

/**
 * A timeline entry's text for a table cell: firewatch's own Markdown as is (one line, no mentions,
 * and never an image: firewatch writes links, so `![` there is not its own), anything else escaped.
 */
export function timelineText(entry: Pick<TimelineEntry, 'text' | 'markdown'>): string {
  return entry.markdown ? neutralizeMentions(entry.text.replace(/\s+/g, ' ').replace(/(?<!\\)\|/g, '\\|').replace(/!\[/g, '!\\[').trim()) : escapeInline(entry.text);
}

export function incidentView(state: IncidentState, options: { timezone: string }): IncidentView {
  const { timezone } = options;
  // Most recently seen first: that is what a responder looks for.
  const alerts = [...state.alerts].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  return {
    ...responseView(state, timezone),
    heading: escapeInline(state.title),
    summary: state.summary ? escapeMarkdown(state.summary.trim()) : null,
    severity: state.severity,
    status: state.status,
    service: escapeInline(state.service),
    startedAt: formatTime(state.triggeredAt, timezone),
    incidentId: state.id,
    searchTokens: searchTokensLine(state.fingerprintTokens),
    alerts: alerts.slice(0, MAX_ALERT_ROWS).map((alert) => alertRow(alert, timezone)),
    moreAlerts: Math.max(0, alerts.length - MAX_ALERT_ROWS),
    firstSteps: firstSteps(),
    timeline: [...state.timeline]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((entry) => ({ at: formatTime(entry.at, timezone), text: `${timelineText(entry)}${entry.actor ? ` (${escapeInline(entry.actor)})` : ''}` })),
  };
}
