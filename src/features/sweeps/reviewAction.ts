import type { CommentFacts, IncidentFacts } from '../../domain/sweep/planIncidentReminders.ts';
import { parseReminderMarkers, renderReminderMarker } from '../../domain/sweep/reminderMarker.ts';
import { latestReviewSlot } from '../../domain/sweep/reviewSlot.ts';
import type { SweepConfig } from '../../domain/sweep/sweepConfig.ts';
import { INCIDENT_LABEL } from '../../domain/incident/labels.ts';
import type { IncidentRecord } from '../../domain/metrics/incidentMetrics.ts';
import { metricsReport } from '../../domain/metrics/metricsReport.ts';
import { listIssues, type ListIssuesOctokit } from '../../adapters/github/listIssues.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import { incidentRow, triggeredWithin } from './incidentRows.ts';
import { toIncidentFacts } from './readIncidents.ts';
import { planReviewReport } from './reviewReport.ts';
import type { RenderSweep } from './renderSweep.ts';
import { formatInstant, repoName, type SweepAction } from './sweepAction.ts';
import type { SweepMemory } from './sweepMemory.ts';

const REVIEW_LABEL = 'incident-review';
/** A review issue more than this late is not opened any more: the meeting has passed. */
const REVIEW_GRACE_MS = 7 * 86_400_000;

function reviewTitle(date: string): string {
  return `Incident review ${date}`;
}

export interface ReviewContext {
  octokit: ListIssuesOctokit;
  incidentRepo: RepoRef;
  reviewRepo: RepoRef;
  review: SweepConfig['review'];
  zone: string;
  incidents: readonly IncidentFacts[];
  /** Closed incidents in `incidents` are those updated since then; the review reads further back only when its period starts earlier. */
  closedSince: Date;
  commentFacts: (incident: IncidentFacts) => Promise<CommentFacts>;
  now: Date;
  memory: SweepMemory | undefined;
  render: RenderSweep;
}

/**
 * The `Incident review <date>` issue when its slot has come and it is not on GitHub yet (one list
 * request on the review repository, only then), listing incidents since the previous review with
 * the figures of `firewatch report` for that period; the full report with its charts is committed
 * to the review repository first (see planReviewReport).
 */
export async function reviewAction(context: ReviewContext): Promise<SweepAction[]> {
  const { review, now, memory } = context;
  if (!review.enabled) return [];
  const slot = latestReviewSlot(review, context.zone, now);
  if (!slot || now.getTime() - slot.at.getTime() > REVIEW_GRACE_MS) return [];
  const key = `review:${repoName(context.incidentRepo)}:${slot.date}`;
  if (memory?.isSettled(key)) return [];

  const existing = await listIssues(context.octokit, context.reviewRepo, { state: 'all', labels: REVIEW_LABEL, sort: 'created', direction: 'desc', limit: 20 });
  const markers = existing.flatMap((issue) => parseReminderMarkers(issue.body));
  if (markers.some((marker) => marker.reminders.includes(key))) {
    memory?.settle(key);
    return [];
  }
  const previousUntil = markers
    .filter((marker) => marker.reminders.some((reminder) => reminder.startsWith(`review:${repoName(context.incidentRepo)}:`)))
    .flatMap((marker) => (marker.until && Date.parse(marker.until) < slot.at.getTime() ? [Date.parse(marker.until)] : []));
  const since = previousUntil.length ? Math.max(...previousUntil) : slot.previous.getTime();
  let incidents = context.incidents;
  if (since < context.closedSince.getTime()) {
    // The previous review is older than what the sweep read: incidents closed since then count too.
    const known = new Set(incidents.map((incident) => incident.number));
    const older = await listIssues(context.octokit, context.incidentRepo, { state: 'closed', labels: INCIDENT_LABEL, since: new Date(since) });
    incidents = [...incidents, ...older.flatMap((issue) => (known.has(issue.number) ? [] : (toIncidentFacts(issue) ?? [])))];
  }
  const listed = incidents
    .filter((incident) => triggeredWithin(incident, since, slot.at.getTime()))
    .sort((a, b) => Date.parse(a.state.triggeredAt) - Date.parse(b.state.triggeredAt));

  const rows: (ReturnType<typeof incidentRow> & { postmortem: string })[] = [];
  const drafts: string[] = [];
  const records: IncidentRecord[] = [];
  for (const incident of listed) {
    const row = incidentRow(context.incidentRepo, incident);
    const facts = await context.commentFacts(incident);
    records.push({ repo: repoName(context.incidentRepo), number: incident.number, url: incident.url, labels: incident.labels, state: incident.state, hasSuspects: facts.suspects ?? false });
    const postmortem = facts.postmortem;
    const cell = postmortem ? `${postmortem.url ?? 'draft'} (${postmortem.reviewed ? 'reviewed' : 'draft'})` : incident.state.status === 'resolved' ? 'none yet' : '—';
    if (postmortem && !postmortem.reviewed) drafts.push(`${row.ref}: ${postmortem.url ?? 'draft linked in the incident'}`);
    rows.push({ ...row, postmortem: cell });
  }
  const report = metricsReport(records, { from: new Date(since), to: slot.at });
  const attached = await planReviewReport({ octokit: context.octokit, reviewRepo: context.reviewRepo, incidentRepo: context.incidentRepo, date: slot.date, report });
  const marker = renderReminderMarker({ type: 'incident-review', at: now.toISOString(), reminders: [key], since: new Date(since).toISOString(), until: slot.at.toISOString() });
  const bodyWith = (figures: string) =>
    `${context.render('incident-review', {
      date: slot.date,
      since: formatInstant(new Date(since), context.zone),
      until: formatInstant(slot.at, context.zone),
      rows,
      drafts,
      empty: rows.length === 0,
      figures,
    })}\n${marker}\n`;
  return [
    ...(attached.files ? [attached.files] : []),
    {
      kind: 'issue',
      reason: 'review',
      repo: context.reviewRepo,
      title: reviewTitle(slot.date),
      body: bodyWith(attached.digest),
      ...(attached.files ? { fallback: { unless: attached.files.key, body: bodyWith(attached.plain) } } : {}),
      labels: [REVIEW_LABEL],
      settles: [key],
      summary: `${rows.length} incident${rows.length === 1 ? '' : 's'} of ${repoName(context.incidentRepo)} since ${new Date(since).toISOString()}`,
    },
  ];
}
