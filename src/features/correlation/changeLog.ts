/**
 * Where change events live: one "firewatch: change events" issue per incident repository (found
 * by its label), one comment per event with the event in a hidden block. GitHub is the source of
 * truth, so they survive restarts and are shared by replicas; people can read (and search) them;
 * deploy correlation reads the events of its window with one request (`since`), and only
 * firewatch's own comments count. Recording costs one content-creating request per event (two
 * for the first event of a repository).
 */
import type { Identity } from '../../services/identity.ts';
import { CHANGE_LOG_LABEL, CHANGE_LOG_TITLE, parseChangeBlock, renderChangeComment, type ChangeEvent, type ChangeEventRecord } from '../../domain/correlation/changeEvents.ts';
import { renderEventMarker } from '../../domain/text/eventMarker.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { createIssue } from '../../adapters/github/createIssue.ts';
import type { CommentData, RestIssueComments } from '../../adapters/github/findMarkedComment.ts';
import type { ListedIssue, RestListIssues } from '../../adapters/github/listIssues.ts';
import { httpStatus, type OctokitWith, type RepoRef, type RestIssues } from '../../adapters/github/types.ts';

/** How long "this repository has no change log" is believed before asking GitHub again. */
const NO_LOG_TTL_MS = 10 * 60_000;
/** Comments read per correlation at most (300 change events in one window is plenty). */
const MAX_PAGES = 3;
const LOG_MARKER = '<!-- firewatch:change-log -->';

/** Change-log issue numbers by repository, so neither recording nor correlation looks them up every time. */
export interface ChangeLogCache {
  get(repo: RepoRef, nowMs: number): number | null | undefined;
  set(repo: RepoRef, issue: number | null, nowMs: number): void;
}

export function createChangeLogCache(): ChangeLogCache {
  const entries = new Map<string, { issue: number | null; until: number }>();
  const key = (repo: RepoRef) => `${repo.owner}/${repo.repo}`.toLowerCase();
  return {
    get(repo, nowMs) {
      const entry = entries.get(key(repo));
      return entry && entry.until > nowMs ? entry.issue : undefined;
    },
    set(repo, issue, nowMs) {
      entries.set(key(repo), { issue, until: issue === null ? nowMs + NO_LOG_TTL_MS : Number.POSITIVE_INFINITY });
    },
  };
}

type AuthoredIssue = ListedIssue & { user?: { login: string; type?: string } | null };

type ChangeLogOctokit = OctokitWith<{ issues: RestListIssues & Pick<RestIssueComments, 'listComments'> & Pick<RestIssues, 'create' | 'createComment'> }>;

/** The change-log issue of `repo`: the oldest issue with the label that firewatch opened. One request, unless cached. */
async function findChangeLog(octokit: OctokitWith<{ issues: RestListIssues }>, repo: RepoRef, cache: ChangeLogCache | undefined, nowMs: number, identity: Identity): Promise<number | undefined> {
  const cached = cache?.get(repo, nowMs);
  if (cached !== undefined) return cached ?? undefined;
  const { data } = await octokit.rest.issues.listForRepo({ owner: repo.owner, repo: repo.repo, labels: CHANGE_LOG_LABEL, state: 'all', sort: 'created', direction: 'asc', per_page: 20 });
  const found = (data as AuthoredIssue[]).find((issue) => !issue.pull_request && identity.isOwnActor(issue.user) && issue.body?.includes(LOG_MARKER));
  cache?.set(repo, found?.number ?? null, nowMs);
  return found?.number;
}

export interface RecordChangeOptions {
  octokit: ChangeLogOctokit;
  repo: RepoRef;
  event: ChangeEvent;
  timezone: string;
  now: Date;
  cache?: ChangeLogCache;
  /** Who firewatch is: only its own change-log issue is written to. */
  identity: Identity;
}

/** Writes one change event to the change log of `repo`, opening the log on first use. Callers serialize per repository. */
export async function recordChangeEvent(options: RecordChangeOptions): Promise<{ issue: number; url: string }> {
  const { octokit, repo, event, now } = options;
  let issue = await findChangeLog(octokit, repo, options.cache, now.getTime(), options.identity);
  if (issue === undefined) {
    const created = await createIssue(octokit, repo, {
      title: CHANGE_LOG_TITLE,
      body: [
        '🔄 Change events reported to firewatch (PagerDuty Events API `/v2/change/enqueue`): builds, deploys, config pushes, flag flips.',
        '',
        "Each comment of firewatch's is one event; deploy correlation ranks the events of an incident's window next to merged PRs and deployments. Comments by people here are ignored.",
        '',
        LOG_MARKER,
      ].join('\n'),
      labels: [CHANGE_LOG_LABEL],
    });
    issue = created.number;
    options.cache?.set(repo, issue, now.getTime());
  }
  const text = renderChangeComment(event, options.timezone);
  try {
    const comment = await createComment(octokit, repo, issue, text, renderEventMarker({ type: 'change-event', at: now.toISOString() }));
    return { issue, url: comment.html_url };
  } catch (error) {
    // The log was deleted or moved since it was cached: the next event looks again.
    if (httpStatus(error) === 404 || httpStatus(error) === 410) options.cache?.set(repo, null, 0);
    throw error;
  }
}

export interface ReadChangesResult {
  records: ChangeEventRecord[];
  requests: number;
}

/** Change events recorded in `repo` since `from` (firewatch's comments only), in at most `maxRequests` requests (finding the log included). */
export async function readChangeEvents(
  octokit: OctokitWith<{ issues: RestListIssues & Pick<RestIssueComments, 'listComments'> }>,
  repo: RepoRef,
  from: Date,
  cache: ChangeLogCache | undefined,
  nowMs: number,
  identity: Identity,
  maxRequests = 1 + MAX_PAGES,
): Promise<ReadChangesResult> {
  const cached = cache?.get(repo, nowMs);
  let requests = cached === undefined ? 1 : 0;
  if (requests >= maxRequests) return { records: [], requests: 0 };
  const issue = await findChangeLog(octokit, repo, cache, nowMs, identity);
  if (issue === undefined) return { records: [], requests };
  const records: ChangeEventRecord[] = [];
  for (let page = 1; page <= MAX_PAGES && requests < maxRequests; page++) {
    requests++;
    let data: CommentData[];
    try {
      ({ data } = await octokit.rest.issues.listComments({ owner: repo.owner, repo: repo.repo, issue_number: issue, since: from.toISOString(), per_page: 100, page }));
    } catch (error) {
      if (httpStatus(error) !== 404 && httpStatus(error) !== 410) throw error;
      cache?.set(repo, null, nowMs);
      return { records, requests };
    }
    for (const comment of data) {
      if (!identity.isOwnActor(comment.user)) continue;
      const event = parseChangeBlock(comment.body);
      if (event) records.push({ ...event, id: comment.id, url: comment.html_url, repo: `${repo.owner}/${repo.repo}` });
    }
    if (data.length < 100) break;
  }
  return { records, requests };
}
