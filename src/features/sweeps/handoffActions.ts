import { escapeInline } from '../../domain/text/markdown.ts';
import type { ScheduleConfig } from '../../domain/schedule/scheduleConfig.ts';
import { handoffsBetween, type Handoff } from '../../domain/sweep/handoffsBetween.ts';
import type { IncidentFacts } from '../../domain/sweep/planIncidentReminders.ts';
import { renderReminderMarker, settledReminders } from '../../domain/sweep/reminderMarker.ts';
import type { SweepConfig } from '../../domain/sweep/sweepConfig.ts';
import { listIssueComments, type ListCommentsOctokit } from '../../adapters/github/listIssueComments.ts';
import { listIssues, type ListIssuesOctokit } from '../../adapters/github/listIssues.ts';
import type { OctokitWith, RepoRef } from '../../adapters/github/types.ts';
import { formatDuration } from '../../domain/incident/durations.ts';
import { incidentRef, incidentRow, triggeredWithin } from './incidentRows.ts';
import type { RenderSweep } from './renderSweep.ts';
import { formatInstant, type CommentTarget, type SweepAction } from './sweepAction.ts';
import type { SweepMemory } from './sweepMemory.ts';

const HANDOFF_LABEL = 'handoff';
const HANDOFF_BOARD_TITLE = 'On-call handoffs';
/** A handoff note more than this late is not posted any more: the shift has moved on. */
const HANDOFF_GRACE_MS = 6 * 3_600_000;
/** Shifts that began before the rotation (unbounded) are summarised over at most this long. */
const LONGEST_SUMMARY_MS = 14 * 86_400_000;
const NOISY_ALERTS = 5;

export interface HandoffContext {
  octokit: OctokitWith<{ issues: ListIssuesOctokit['rest']['issues'] & ListCommentsOctokit['rest']['issues'] }>;
  repo: RepoRef;
  oncall: ScheduleConfig;
  handoff: SweepConfig['handoff'];
  zone: string;
  incidents: readonly IncidentFacts[];
  now: Date;
  memory: SweepMemory | undefined;
  render: RenderSweep;
}

function who(login: string | null | undefined): string {
  return login ? `@${login}` : 'nobody (gap)';
}

export function handoffView(context: Pick<HandoffContext, 'repo' | 'zone' | 'incidents' | 'handoff'>, handoff: Handoff) {
  const { repo, zone, incidents } = context;
  const end = handoff.at.getTime();
  const start = Math.max(handoff.outgoing?.shift.start.getTime() ?? end - LONGEST_SUMMARY_MS, end - LONGEST_SUMMARY_MS);
  const ofShift = incidents.filter((incident) => triggeredWithin(incident, start, end));
  const open = incidents.filter((incident) => incident.open);
  const relevant = [...new Map([...open, ...ofShift].map((incident) => [incident.number, incident])).values()];
  const followups = relevant.flatMap((incident) =>
    incident.state.followups.filter((followup) => !followup.done).map((followup) => `${followup.repo}#${followup.number} ${escapeInline(followup.title)} (from ${incidentRef(repo, incident)})`),
  );
  const noise = new Map<string, number>();
  for (const incident of relevant) {
    for (const alert of incident.state.alerts) {
      if (Date.parse(alert.lastSeen) < start || Date.parse(alert.firstSeen) >= end) continue;
      noise.set(alert.title, (noise.get(alert.title) ?? 0) + alert.count);
    }
  }
  const noisy = [...noise.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, NOISY_ALERTS)
    .map(([title, count]) => ({ title: escapeInline(title), count }));
  return {
    layer: escapeInline(handoff.layer),
    at: formatInstant(handoff.at, zone),
    outgoing: who(handoff.outgoing?.login),
    incoming: who(handoff.incoming.login),
    shift: handoff.outgoing ? `${formatInstant(new Date(start), zone)} – ${formatInstant(handoff.at, zone)}` : '',
    open: open.map((incident) => `${incidentRef(repo, incident)} [${incident.state.severity}] ${escapeInline(incident.state.title || incident.title)}: ${incident.state.status}, open for ${formatDuration(end - Date.parse(incident.state.triggeredAt))}`),
    shiftIncidents: ofShift.map((incident) => incidentRow(repo, incident)),
    followups,
    noisy,
    endChecklist: context.handoff.endChecklist.map(escapeInline),
    startChecklist: context.handoff.startChecklist.map(escapeInline),
  };
}

/**
 * A handoff note for every change of who is on call within the grace period that GitHub does not
 * show yet. Costs nothing when no handoff happened recently; otherwise one list request (issue
 * mode) or two (comment mode: the board, then its recent comments).
 */
export async function handoffActions(context: HandoffContext): Promise<SweepAction[]> {
  const { handoff: settings, now, memory } = context;
  if (!settings.enabled || (context.oncall.layers.length === 0 && context.oncall.holidays.length === 0)) return [];
  const due = handoffsBetween(context.oncall, new Date(now.getTime() - HANDOFF_GRACE_MS), now).filter((handoff) => !memory?.isSettled(handoff.key));
  if (due.length === 0) return [];

  const existing = await listIssues(context.octokit, context.repo, { state: 'all', labels: HANDOFF_LABEL, sort: 'created', direction: 'desc', limit: 30 });
  let settled = settledReminders(existing.map((issue) => issue.body));
  let target: CommentTarget | null = null;
  if (settings.mode === 'comment') {
    const board = settings.issue ?? existing.find((issue) => issue.state === 'open' && issue.title === HANDOFF_BOARD_TITLE)?.number;
    if (board !== undefined) {
      const comments = await listIssueComments(context.octokit, context.repo, board, new Date(now.getTime() - HANDOFF_GRACE_MS - 86_400_000));
      settled = new Set([...settled, ...settledReminders(comments.map((comment) => comment.body))]);
      target = { number: board };
    } else {
      target = {
        create: {
          title: HANDOFF_BOARD_TITLE,
          body: 'Shift handoff notes from firewatch, one comment per handoff. Pin this issue so on-call engineers find it.',
          labels: [HANDOFF_LABEL],
        },
      };
    }
  }
  const actions: SweepAction[] = [];
  for (const handoff of due) {
    if (settled.has(handoff.key)) {
      memory?.settle(handoff.key);
      continue;
    }
    const view = handoffView(context, handoff);
    const body = context.render('shift-handoff', view);
    const marker = renderReminderMarker({ type: 'handoff', at: now.toISOString(), reminders: [handoff.key] });
    const summary = `${handoff.layer}: ${view.outgoing} → ${view.incoming} at ${handoff.at.toISOString()}`;
    if (target) actions.push({ kind: 'comment', reason: 'handoff', repo: context.repo, target, body, marker, summary, settles: [handoff.key] });
    else actions.push({ kind: 'issue', reason: 'handoff', repo: context.repo, title: `Shift handoff: ${handoff.layer} ${formatInstant(handoff.at, context.zone)}`, body: `${body}\n${marker}\n`, labels: [HANDOFF_LABEL], summary, settles: [handoff.key] });
  }
  return actions;
}
