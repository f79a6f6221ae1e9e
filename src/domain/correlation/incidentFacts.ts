/**
 * The incident as correlation sees it, gathered from its alerts and the service's config.
 */
import type { NormalizedAlert } from '../alerts/alert.ts';
import type { AlertStatement, IncidentFacts } from './candidate.ts';
import { NoAlertsError } from '../errors/errors.ts';

/** Where alerts commonly say which environment they come from, most specific first. */
const ENVIRONMENT_LABELS = ['environment', 'env', 'deployment_environment', 'deployment.environment', 'stage'];

export interface ServiceScope {
  name: string;
  /** `owner/name`, main repository first. */
  repos: string[];
  /** Path globs, optionally `owner/name:glob` (see `IncidentFacts.servicePaths`). */
  paths: string[];
}

/** Bounds on what is kept of the alerts' words: enough for a stack trace, not a log dump. */
const MAX_STATEMENTS = 24;
export const MAX_STATEMENT_LENGTH = 2000;

/** The alerts' names, summaries, descriptions and values, each once, earliest alert first. */
export function alertStatements(alerts: readonly Pick<NormalizedAlert, 'title' | 'summary' | 'description' | 'value'>[]): AlertStatement[] {
  const statements: AlertStatement[] = [];
  const seen = new Set<string>();
  for (const alert of alerts) {
    const said: [AlertStatement['source'], string | undefined][] = [
      ['name', alert.title],
      ['summary', alert.summary],
      ['description', alert.description],
      ['value', alert.value],
    ];
    for (const [source, text] of said) {
      const trimmed = text?.trim().slice(0, MAX_STATEMENT_LENGTH);
      if (!trimmed || seen.has(`${source}:${trimmed}`)) continue;
      seen.add(`${source}:${trimmed}`);
      statements.push({ source, text: trimmed });
    }
  }
  return statements.slice(0, MAX_STATEMENTS);
}

export function incidentFacts(alerts: readonly NormalizedAlert[], service: ServiceScope): IncidentFacts {
  if (alerts.length === 0) throw new NoAlertsError();
  // Earliest first, so the first alert's labels win when alerts disagree.
  const ordered = [...alerts].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const alert of ordered) {
    for (const [key, value] of Object.entries(alert.labels)) labels[key] ??= value;
    for (const [key, value] of Object.entries(alert.annotations)) annotations[key] ??= value;
  }
  const first = ordered[0] as NormalizedAlert;
  const environment = ENVIRONMENT_LABELS.map((key) => labels[key]).find((value) => value !== undefined && value.trim() !== '');
  return {
    service: service.name,
    firstAlertAt: new Date(Date.parse(first.startsAt)).toISOString(),
    ...(environment ? { environment: environment.trim() } : {}),
    labels,
    annotations,
    statements: alertStatements(ordered),
    servicePaths: [...service.paths],
    serviceRepos: [...service.repos],
  };
}
