import { formatDuration, incidentDurations } from './durations.ts';
import type { IncidentState } from './incidentState.ts';
import { formatTime } from '../time/formatTime.ts';
import { escapeInline, quietMention } from '../text/markdown.ts';

/** The response part of the incident body and of `/summary`: roles, durations, updates, follow-ups. */
export interface ResponseView {
  commander: string;
  comms: string;
  responders: string;
  acknowledgedBy: string;
  /** The latest status update, or `null` when nobody posted one. */
  latestUpdate: string | null;
  timeToAcknowledge: string;
  timeToMitigate: string;
  timeToResolve: string;
  followups: { done: boolean; text: string }[];
  declaredFrom: string | null;
}

const NOBODY = '—';

/** `@login` as inline code: readable and copyable, notifies nobody (the body is rewritten often). */
function person(login: string | null): string {
  return login ? quietMention(login) : NOBODY;
}

export function responseView(state: IncidentState, timezone: string): ResponseView {
  const durations = incidentDurations(state);
  const latest = state.statusUpdates[state.statusUpdates.length - 1];
  return {
    commander: person(state.roles.commander),
    comms: person(state.roles.comms),
    responders: state.roles.responders.length ? state.roles.responders.map(person).join(', ') : NOBODY,
    acknowledgedBy: person(state.acknowledgedBy),
    latestUpdate: latest
      ? `**${latest.status}**: ${escapeInline(latest.text)} (${formatTime(latest.at, timezone)}${latest.actor ? `, ${person(latest.actor)}` : ''})${latest.internal ? ' _internal_' : ''}`
      : null,
    timeToAcknowledge: formatDuration(durations.toAcknowledge),
    timeToMitigate: formatDuration(durations.toMitigate),
    timeToResolve: formatDuration(durations.toResolve),
    // `owner/repo#12` is linked by GitHub and shows the issue's state next to it.
    followups: state.followups.map((f) => ({ done: f.done, text: `${escapeInline(f.repo)}#${f.number} ${escapeInline(f.title)}` })),
    declaredFrom: state.declaredFrom ? `${escapeInline(state.declaredFrom.repo)}#${state.declaredFrom.number}` : null,
  };
}
