import type { IncidentState } from '../incident/incidentState.ts';
import { parseIsoDuration, type PostmortemRules } from './postmortemConfig.ts';

export type PostmortemNeed = { needed: true; reasons: string[] } | { needed: false; reasons: [] };

/** Timeline entry types that mean something was rolled back. */
export function isRollbackEntry(entry: { type: string; text: string }): boolean {
  return /rollback|revert|roll-back/i.test(entry.type);
}

/**
 * Whether an incident needs a postmortem under `rules`, with the reasons in words (for the reply
 * and the front matter). Pure: the incident's labels and `now` (for a still-open incident) come in.
 */
export function needsPostmortem(
  rules: PostmortemRules,
  incident: Pick<IncidentState, 'severity' | 'triggeredAt' | 'resolvedAt' | 'timeline'> & { labels: readonly string[] },
  now: Date,
): PostmortemNeed {
  const reasons: string[] = [];
  if (rules.severities.includes(incident.severity)) reasons.push(`severity ${incident.severity}`);
  if (rules.rollback && incident.timeline.some(isRollbackEntry)) reasons.push('a change was rolled back');
  const limit = rules.openLongerThan === null ? null : parseIsoDuration(rules.openLongerThan);
  if (limit !== null) {
    const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now.getTime();
    if (end - Date.parse(incident.triggeredAt) > limit) reasons.push(`open longer than ${rules.openLongerThan}`);
  }
  const wanted = new Set(rules.labels.map((label) => label.toLowerCase()));
  for (const label of incident.labels) if (wanted.has(label.toLowerCase())) reasons.push(`labelled ${label}`);
  return reasons.length ? { needed: true, reasons } : { needed: false, reasons: [] };
}
