/**
 * Which repositories and paths belong to an incident's service, from the service catalogue
 * (`routing.services[]` with `repos` and `paths`). A service the catalogue does not describe is
 * taken to live wholly in the incident's own repository, which is how a single-repo team starts.
 */
import type { RoutingConfig } from '../alerts/intakeConfig.ts';
import type { ServiceScope } from './incidentFacts.ts';

export function serviceScope(routing: Pick<RoutingConfig, 'services'>, service: string, incidentRepo: string): ServiceScope {
  const wanted = service.trim().toLowerCase();
  const entry = routing.services.find((candidate) => candidate.name.trim().toLowerCase() === wanted && candidate.repos?.length);
  const described = entry ?? routing.services.find((candidate) => candidate.name.trim().toLowerCase() === wanted);
  const repos = entry?.repos?.length ? [...new Set(entry.repos)] : [incidentRepo];
  return { name: service, repos, paths: [...(described?.paths ?? [])] };
}

/** Whether `repo` (`owner/name`) is one of the service's repositories, case-insensitively as GitHub compares. */
export function belongsToService(scope: { repos: readonly string[] }, repo: string): boolean {
  return scope.repos.some((candidate) => candidate.toLowerCase() === repo.toLowerCase());
}
