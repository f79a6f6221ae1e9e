/**
 * The conversation's events between the comments, worded as GitHub words them: "bob added
 * status:acknowledged and removed status:triggered labels", "alice closed this as completed",
 * "firewatch[bot] mentioned this issue in #7", each with who did it and when.
 */
import type { IssueEventRecord, IssueRecord, RepoRecord } from '../store.ts';
import { labelChip, timeAgo } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { commitPath, issuePath, userPath, type WebSandbox } from './webSandbox.ts';

/** Label changes by one person within a minute read as one line, as on GitHub. */
const LABEL_GROUP_MS = 60_000;

export type TimelineRow = { kind: 'labels'; actor: string; at: string; id: number; added: string[]; removed: string[] } | { kind: 'event'; event: IssueEventRecord };

export function groupEvents(events: readonly IssueEventRecord[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const event of events) {
    if (event.event === 'labeled' || event.event === 'unlabeled') {
      const last = rows.at(-1);
      const name = event.label?.name ?? '';
      if (last?.kind === 'labels' && last.actor === event.actor && Date.parse(event.created_at) - Date.parse(last.at) <= LABEL_GROUP_MS) {
        // Added then removed (or the reverse) within the group cancels out.
        const [same, other] = event.event === 'labeled' ? [last.added, last.removed] : [last.removed, last.added];
        if (other.includes(name)) other.splice(other.indexOf(name), 1);
        else if (!same.includes(name)) same.push(name);
        continue;
      }
      rows.push({ kind: 'labels', actor: event.actor, at: event.created_at, id: event.id, added: event.event === 'labeled' ? [name] : [], removed: event.event === 'unlabeled' ? [name] : [] });
      continue;
    }
    rows.push({ kind: 'event', event });
  }
  return rows.filter((row) => row.kind !== 'labels' || row.added.length + row.removed.length > 0);
}

function person(login: string): SafeHtml {
  return html`<a class="author" href="${userPath(login)}">${login}</a>`;
}

function chips(repo: RepoRecord, names: readonly string[]): SafeHtml {
  return html`${names.map((name) => labelChip(repo, name))}`;
}

function describe(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord, event: IssueEventRecord): SafeHtml | undefined {
  const noun = issue.isPullRequest ? 'pull request' : 'issue';
  const subject = event.subject ?? 'ghost';
  switch (event.event) {
    case 'assigned':
      return subject === event.actor ? html`self-assigned this` : html`assigned ${person(subject)}`;
    case 'unassigned':
      return subject === event.actor ? html`removed their assignment` : html`unassigned ${person(subject)}`;
    case 'closed': {
      const pull = repo.pulls.get(issue.number);
      // A merged pull request shows the merge, not a second "closed".
      if (pull?.merged && event.commit_id === pull.merge_commit_sha) return undefined;
      if (issue.isPullRequest) return html`closed this`;
      return event.state_reason === 'not_planned' ? html`closed this as not planned` : html`closed this as completed`;
    }
    case 'reopened':
      return html`reopened this`;
    case 'merged': {
      const base = repo.pulls.get(issue.number)?.base.ref;
      return html`merged commit ${event.commit_id ? html`<a href="${commitPath(repo, event.commit_id)}"><code>${event.commit_id.slice(0, 7)}</code></a>` : ''}${base && html` into <code>${base}</code>`}`;
    }
    case 'renamed':
      return html`changed the title <del>${event.rename?.from ?? ''}</del> <ins>${event.rename?.to ?? ''}</ins>`;
    case 'locked':
      return html`locked${event.lock_reason && html` as ${event.lock_reason}`} and limited conversation to collaborators`;
    case 'unlocked':
      return html`unlocked this conversation`;
    case 'referenced': {
      const commit = event.commit_id ? repo.git.commits.get(event.commit_id) : undefined;
      return html`added a commit that referenced this ${noun}${commit && html` <a href="${commitPath(repo, commit.sha)}"><code>${commit.sha.slice(0, 7)}</code></a> ${commit.message.split('\n')[0] ?? ''}`}`;
    }
    case 'cross-referenced': {
      const sourceRepo = event.source ? sandbox.state.repos.get(event.source.repo) : undefined;
      const source = sourceRepo?.issues.get(event.source?.number ?? 0);
      if (!sourceRepo || !source) return html`mentioned this ${noun}`;
      const label = sourceRepo === repo ? `#${source.number}` : `${sourceRepo.owner}/${sourceRepo.name}#${source.number}`;
      return html`mentioned this ${noun} in <a href="${issuePath(sourceRepo, source)}">${source.title} ${label}</a>`;
    }
    case 'ready_for_review':
      return html`marked this pull request as ready for review`;
    case 'convert_to_draft':
      return html`marked this pull request as draft`;
    case 'review_requested':
      return html`requested a review from ${person(subject)}`;
    case 'review_request_removed':
      return html`removed the request for review from ${person(subject)}`;
    default:
      return undefined;
  }
}

const ICONS: Partial<Record<IssueEventRecord['event'] | 'labels', string>> = {
  labels: '🏷',
  assigned: '👤',
  unassigned: '👤',
  closed: '✔',
  reopened: '↺',
  merged: '⑂',
  renamed: '✎',
  locked: '🔒',
  unlocked: '🔓',
  referenced: '↗',
  'cross-referenced': '↗',
};

export function timelineRow(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord, row: TimelineRow): SafeHtml {
  const now = sandbox.now();
  if (row.kind === 'labels') {
    const count = row.added.length + row.removed.length;
    return html`<div class="timeline-event" id="event-${row.id}" data-event="labeled"><span class="timeline-icon" aria-hidden="true">${ICONS.labels}</span>
<span>${person(row.actor)} ${row.added.length > 0 && html`added ${chips(repo, row.added)}`}${row.added.length > 0 && row.removed.length > 0 && ' and '}${row.removed.length > 0 && html`removed ${chips(repo, row.removed)}`} label${count === 1 ? '' : 's'} ${timeAgo(row.at, now)}</span></div>`;
  }
  const { event } = row;
  const text = describe(sandbox, repo, issue, event);
  if (!text) return html``;
  return html`<div class="timeline-event" id="event-${event.id}" data-event="${event.event}"><span class="timeline-icon event-${event.event}" aria-hidden="true">${ICONS[event.event] ?? '•'}</span>
<span>${person(event.actor)} ${text} ${timeAgo(event.created_at, now)}</span></div>`;
}
