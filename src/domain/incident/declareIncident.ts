import { incidentStateSchema, STATE_VERSION, type IncidentState } from './incidentState.ts';
import { incidentId } from './openIncident.ts';
import type { Severity } from './severity.ts';

export interface Declaration {
  title: string;
  severity: Severity;
  service: string;
  /** Who declared it. */
  actor: string;
  now: Date;
  /** The issue or pull request it was declared from, when the incident is a new issue. */
  declaredFrom?: { repo: string; number: number };
  /** The comment that declared it. */
  ref?: number;
}

/** The state of an incident a person declared with `/incident` (no alert behind it). */
export function declareIncident(declaration: Declaration): IncidentState {
  const at = declaration.now.toISOString();
  const from = declaration.declaredFrom ? ` from ${declaration.declaredFrom.repo}#${declaration.declaredFrom.number}` : '';
  return incidentStateSchema.parse({
    version: STATE_VERSION,
    id: incidentId({ service: declaration.service, triggeredAt: at, seed: `manual\u0000${declaration.actor}\u0000${declaration.title}\u0000${from}` }),
    title: declaration.title,
    source: 'manual',
    service: declaration.service,
    severity: declaration.severity,
    status: 'triggered',
    triggeredAt: at,
    declaredFrom: declaration.declaredFrom ?? null,
    timeline: [
      {
        at,
        type: 'triggered',
        actor: declaration.actor,
        text: `Declared by ${declaration.actor}${from}: ${declaration.title}`,
        ...(declaration.ref !== undefined ? { ref: declaration.ref } : {}),
      },
    ],
  });
}
