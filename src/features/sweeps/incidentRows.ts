import { formatDuration, incidentDurations } from '../../domain/incident/durations.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import type { IncidentFacts } from '../../domain/sweep/planIncidentReminders.ts';
import type { RepoRef } from '../../adapters/github/types.ts';

/** `acme/shop#12`: incidents are shown from other repositories (the review lives in post_mortems). */
export function incidentRef(repo: RepoRef, incident: IncidentFacts): string {
  return `${repo.owner}/${repo.repo}#${incident.number}`;
}

export function incidentRow(repo: RepoRef, incident: IncidentFacts) {
  const durations = incidentDurations(incident.state);
  return {
    ref: incidentRef(repo, incident),
    title: escapeInline(incident.state.title || incident.title),
    severity: incident.state.severity,
    status: incident.state.status,
    tta: formatDuration(durations.toAcknowledge),
    ttr: formatDuration(durations.toResolve),
  };
}

export function triggeredWithin(incident: IncidentFacts, from: number, to: number): boolean {
  const at = Date.parse(incident.state.triggeredAt);
  return at >= from && at < to;
}
