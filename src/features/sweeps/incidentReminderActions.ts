import { escapeInline } from '../../domain/text/markdown.ts';
import type { EscalationDecision } from '../../domain/schedule/escalation.ts';
import { ackSloWindowAt } from '../../domain/slo/ackDeadline.ts';
import type { AckSloConfig } from '../../domain/slo/ackSloConfig.ts';
import { SLO_BREACHED_LABEL, type IncidentFacts, type IncidentReminder } from '../../domain/sweep/planIncidentReminders.ts';
import { renderReminderMarker } from '../../domain/sweep/reminderMarker.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import type { RenderSweep } from './renderSweep.ts';
import { formatInstant, mention, type SweepAction } from './sweepAction.ts';
import { formatDuration } from '../../domain/incident/durations.ts';

function nextStepText(decision: EscalationDecision, triggeredAt: Date, now: Date): string | null {
  if (decision.kind === 'exhausted') return null;
  const inMinutes = Math.max(0, Math.ceil(decision.step.afterMinutes - (now.getTime() - triggeredAt.getTime()) / 60_000));
  return `${mention(decision.step.mention)} ${inMinutes === 0 ? 'now' : `in ${inMinutes} minutes`} if still unacknowledged`;
}

/** The comments and labels that carry out an incident's reminders. */
export function incidentReminderActions(
  repo: RepoRef,
  incident: IncidentFacts,
  reminder: IncidentReminder,
  context: { now: Date; zone: string; ack: AckSloConfig; render: RenderSweep },
): SweepAction[] {
  const { now, zone, render } = context;
  const { state } = incident;
  const triggeredAt = new Date(state.triggeredAt);
  const minutesSince = Math.round((now.getTime() - triggeredAt.getTime()) / 60_000);
  // Summaries are plain text for logs and the CLI, never posted.
  const ref = `#${incident.number} ${incident.title}`;
  const marker = (type: string, keys: string[], entry?: { type: string; text: string }) =>
    renderReminderMarker({ type, at: now.toISOString(), incident: state.id, reminders: keys, ...(entry ? { entries: [{ at: now.toISOString(), type: entry.type, actor: 'firewatch', text: entry.text }] } : {}) });

  switch (reminder.kind) {
    case 'ack-slo': {
      const actions: SweepAction[] = [];
      if (reminder.comment) {
        const window = ackSloWindowAt(context.ack, triggeredAt);
        const minutes = window?.minutes ?? Math.round((reminder.deadline.getTime() - triggeredAt.getTime()) / 60_000);
        const due = reminder.escalation.kind === 'due' ? reminder.escalation : null;
        const body = render('sweep-ack-slo', {
          minutes,
          window: escapeInline(window?.name ?? 'ack SLO'),
          deadline: formatInstant(reminder.deadline, zone),
          onCall: mention(reminder.onCall),
          dueStep: due ? mention(due.step.mention) : '',
          nextStep: due ? '' : (nextStepText(reminder.escalation, triggeredAt, now) ?? ''),
        });
        actions.push({
          kind: 'comment',
          reason: 'ack-slo',
          repo,
          target: { number: incident.number },
          body,
          marker: marker('slo-breached', reminder.keys, { type: 'slo-breached', text: `Ack SLO breached: not acknowledged within ${minutes} minutes${due ? `; escalated to ${due.step.mention.join(', ')}` : ''}` }),
          summary: `ack SLO breached ${formatDuration(now.getTime() - reminder.deadline.getTime())} ago (${ref}); mention ${reminder.onCall.length ? mention(reminder.onCall) : 'nobody on call'}`,
        });
      }
      if (reminder.addLabel) actions.push({ kind: 'label', reason: 'ack-slo', repo, issueNumber: incident.number, labels: [SLO_BREACHED_LABEL], summary: `mark ${ref} as breaching its ack SLO` });
      return actions;
    }
    case 'escalation': {
      const body = render('sweep-escalation', { minutes: minutesSince, step: mention(reminder.step.mention), onCall: mention(reminder.onCall), nextStep: nextStepText(reminder.next, triggeredAt, now) ?? '' });
      return [
        {
          kind: 'comment',
          reason: 'escalation',
          repo,
          target: { number: incident.number },
          body,
          marker: marker('escalated', reminder.keys, { type: 'escalated', text: `Escalated to ${reminder.step.mention.join(', ')} (step ${reminder.index + 1})` }),
          summary: `escalation step ${reminder.index + 1}: ${mention(reminder.step.mention)} (${ref})`,
        },
      ];
    }
    case 'stale': {
      const who = reminder.mention.length ? mention(reminder.mention) : 'Incident commander';
      const body = render('sweep-stale', { who, severity: state.severity, since: formatInstant(reminder.lastUpdate, zone), thresholdMinutes: reminder.thresholdMinutes });
      return [{ kind: 'comment', reason: 'stale', repo, target: { number: incident.number }, body, marker: marker('stale-nudge', reminder.keys), summary: `no update since ${reminder.lastUpdate.toISOString()} (${ref}); nudge ${who}` }];
    }
    case 'postmortem': {
      const who = reminder.mention.length ? mention(reminder.mention) : 'Incident commander';
      const body = render('sweep-postmortem', { who, severity: state.severity, resolved: formatInstant(reminder.resolvedAt, zone), days: formatDuration(now.getTime() - reminder.resolvedAt.getTime()) });
      return [{ kind: 'comment', reason: 'postmortem', repo, target: { number: incident.number }, body, marker: marker('postmortem-reminder', reminder.keys), summary: `no postmortem draft (${ref}); remind ${who}` }];
    }
  }
}
