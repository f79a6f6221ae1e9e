/**
 * Issue events and the timeline: `GET /repos/{owner}/{repo}/issues/{n}/events` (labels,
 * assignees, state, title, lock, merges, references), `/timeline` (those plus comments and
 * cross-references), and the repository's events, newest first, with their issues.
 */
import { requireRepo } from '../auth.ts';
import { eventsOf, issueEventJson, repoIssueEventJson, timelineItemJson, timelineOf } from '../issueEvents.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router } from '../router.ts';
import type { SandboxApi } from '../types.ts';
import { findIssue } from './issues.ts';

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{issue_number}/events',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const issue = findIssue(repo, request);
      // Cross-references are timeline-only on GitHub.
      const events = eventsOf(repo, issue.number).filter((e) => e.event !== 'cross-referenced');
      return paginated(sandbox.apiUrl, request, events, (e) => issueEventJson(sandbox, repo, e));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{issue_number}/timeline',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const issue = findIssue(repo, request);
      return paginated(sandbox.apiUrl, request, timelineOf(repo, issue.number), (item) => timelineItemJson(sandbox, repo, item));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/events',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const events = [...repo.events.values()].filter((e) => e.event !== 'cross-referenced').sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
      return paginated(sandbox.apiUrl, request, events, (e) => repoIssueEventJson(sandbox, repo, e));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/events/{event_id}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const event = repo.events.get(Number(request.params['event_id']));
      if (!event || event.event === 'cross-referenced') throw new HttpError(404, 'Not Found');
      return { status: 200, body: repoIssueEventJson(sandbox, repo, event) };
    },
    { auth: 'optional' },
  );
}
