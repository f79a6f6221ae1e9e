import type { IncidentState } from './incidentState.ts';

/** GitHub's issue title limit. */
const TITLE_LIMIT = 256;

/** `[P2] checkout: HighErrorRate` */
export function incidentTitle(state: Pick<IncidentState, 'severity' | 'service' | 'title'>): string {
  const title = `[${state.severity}] ${state.service}: ${state.title.replace(/\s+/g, ' ').trim()}`;
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}…`;
}
