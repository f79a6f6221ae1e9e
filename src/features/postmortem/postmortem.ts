import { ownComments, type Identity } from '../../services/identity.ts';
import { listIssueComments } from '../../adapters/github/listIssueComments.ts';
import { withEarlierTimeline } from '../../domain/incident/rebuildTimeline.ts';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { FirewatchConfig } from '../../domain/config/config.ts';
import { parseSuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { findHiddenJson, renderHiddenJson } from '../../domain/text/hiddenJson.ts';
import { readIncidentState, type IncidentState, type TimelineEntry } from '../../domain/incident/incidentState.ts';
import { escapeInline, safeLink } from '../../domain/text/markdown.ts';
import { needsPostmortem } from '../../domain/postmortem/needsPostmortem.ts';
import { formatDuration } from '../../domain/incident/durations.ts';
import { generatedFingerprint, readFrontMatter, withStatus } from '../../domain/postmortem/postmortemDocument.ts';
import { mergeIndex, indexRow } from '../../domain/postmortem/postmortemIndex.ts';
import { postmortemPath, postmortemView, type PostmortemView, type SuspectInput } from '../../domain/postmortem/postmortemView.ts';
import { isPostmortemOctokit, readRepoFile, writeRepoFile, type PostmortemOctokit, type PullData } from '../../adapters/github/postmortemApi.ts';
import { httpStatus, labelNames, type RepoRef } from '../../adapters/github/types.ts';
import type { CommandContext, CommandResult, Executor } from '../commands/commandContext.ts';
import type { Log } from '../../services/log.ts';
import { postmortemRenderer } from './renderPostmortem.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';
import { planWrite } from '../../domain/plan/planWrite.ts';

const POSTMORTEM_LABEL = 'postmortem';
/** An organization's template, in the incident repository. */
const INCIDENT_REPO_TEMPLATE = '.github/firewatch/postmortem.md.hbs';
/** An organization's template, in the post_mortems repository. */
const POSTMORTEM_REPO_TEMPLATE = 'template.md';
const SUSPECTS_SHOWN = 5;

export interface IncidentRef extends RepoRef {
  number: number;
}

/** Everything a postmortem is made of, read from GitHub. */
interface PostmortemSource {
  state: IncidentState;
  issue: { title: string; html_url: string; labels: string[] };
  suspects: SuspectInput[];
}

/** The incident issue, its state, and the suspects of its "Suspected changes" comment (with each PR's title and author). */
async function readPostmortemSource(octokit: PostmortemOctokit, incident: IncidentRef, identity: Identity, state?: IncidentState, stateSeal: StateSeal = UNSEALED): Promise<PostmortemSource | null> {
  const { data: issue } = await octokit.rest.issues.get({ owner: incident.owner, repo: incident.repo, issue_number: incident.number });
  const read = state ?? readIncidentState(issue.body, stateScope(stateSeal, incident)).state;
  if (!read) return null;
  // Every page of comments (an incident may have thousands): the latest suspects block, and the
  // timeline entries the state left out, from firewatch's own comments.
  const comments = await listIssueComments(octokit, incident, incident.number);
  // Only firewatch's own comments: a block a person pasted (or edited into theirs) is not correlation's verdict.
  const own = ownComments(comments, identity);
  const current = withEarlierTimeline(read, own);
  const block = own.map((comment) => parseSuspectsBlock(comment.body)).filter((found) => found !== null).at(-1);
  const suspects: SuspectInput[] = [];
  for (const suspect of block?.verdict === 'suspects' ? block.suspects.slice(0, SUSPECTS_SHOWN) : []) {
    const match = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(suspect.key);
    // The score has a column of its own; the evidence is why.
    const evidence = (suspect.evidence ?? []).map((e) => (e.against ? `against: ${e.reason}` : e.reason));
    if (!match) {
      suspects.push({ reference: suspect.key, score: suspect.score, evidence });
      continue;
    }
    try {
      const { data: pull } = await octokit.rest.pulls.get({ owner: match[1] ?? '', repo: match[2] ?? '', pull_number: Number(match[3]) });
      if (pull.merged_at) evidence.push(`merged ${DateTime.fromISO(pull.merged_at, { zone: 'utc' }).toFormat("yyyy-LL-dd HH:mm 'UTC'")}`);
      suspects.push({ reference: suspect.key, url: pull.html_url, title: pull.title, ...(pull.user ? { author: pull.user.login } : {}), score: suspect.score, evidence });
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
      suspects.push({ reference: suspect.key, score: suspect.score, evidence });
    }
  }
  return { state: current, issue: { title: issue.title, html_url: issue.html_url, labels: labelNames(issue.labels) }, suspects };
}

export function postmortemRepo(config: FirewatchConfig, incident: RepoRef): RepoRef {
  const [owner = incident.owner, repo = 'post_mortems'] = (config.postmortem.repo ?? `${incident.owner}/post_mortems`).split('/');
  return { owner, repo };
}

export function postmortemBranch(incident: IncidentRef): string {
  return `postmortem/${incident.repo}-${incident.number}`;
}

function viewOf(source: PostmortemSource, incident: IncidentRef, config: FirewatchConfig, now: Date): PostmortemView {
  const need = needsPostmortem(config.postmortem.rules, { ...source.state, labels: source.issue.labels }, now);
  return postmortemView({
    state: source.state,
    incident: { repo: `${incident.owner}/${incident.repo}`, number: incident.number, url: source.issue.html_url, title: source.issue.title, labels: source.issue.labels },
    suspects: source.suspects,
    webUrl: new URL(source.issue.html_url).origin,
    timezone: config.timezone,
    redact: config.postmortem.redact,
    reviewWithinDays: config.postmortem.reviewWithinDays,
    reasons: need.reasons,
  });
}

/** The organization's template if it has one: the incident repository's first, then the post_mortems repository's. */
async function organizationTemplate(octokit: PostmortemOctokit, incident: IncidentRef, target: RepoRef): Promise<string | undefined> {
  const own = await readRepoFile(octokit, incident, INCIDENT_REPO_TEMPLATE).catch(() => null);
  if (own) return own.text;
  const shared = await readRepoFile(octokit, target, POSTMORTEM_REPO_TEMPLATE).catch(() => null);
  return shared?.text;
}

/** The file as it would be written now (for previews and for the collapsed copy when writing is impossible). */
export async function renderPostmortemFile(
  octokit: PostmortemOctokit,
  options: { incident: IncidentRef; config: FirewatchConfig; now: Date; state?: IncidentState; existing?: string | null; stateSeal?: StateSeal; identity: Identity },
): Promise<{ text: string; view: PostmortemView; path: string } | null> {
  const source = await readPostmortemSource(octokit, options.incident, options.identity, options.state, options.stateSeal);
  if (!source) return null;
  const view = viewOf(source, options.incident, options.config, options.now);
  const target = postmortemRepo(options.config, options.incident);
  const template = await organizationTemplate(octokit, options.incident, target);
  const text = postmortemRenderer(template !== undefined ? { template } : {})(view, options.existing ?? null);
  return { text, view, path: postmortemPath(options.config.postmortem.path, view, options.incident) };
}

interface PullMarker {
  incident: string;
  path: string;
}

function pullMarker(pull: PullData): PullMarker | null {
  const found = findHiddenJson('postmortem', pull.body ?? '')[0] as Partial<PullMarker> | undefined;
  return found && typeof found.path === 'string' && typeof found.incident === 'string' ? { incident: found.incident, path: found.path } : null;
}

function pullBody(view: PostmortemView, path: string): string {
  return [
    `Blameless postmortem of ${view.incident.url} (${view.severity}), drafted by firewatch from the incident's timeline.`,
    '',
    `- File: \`${path}\``,
    `- Incident: ${safeLink(view.incident.reference, view.incident.url)}`,
    '',
    'Fill in the why (trigger, root cause, what went well and wrong); re-running `/postmortem` on the incident refreshes only the generated sections. It stays a draft until the incident review; `/postmortem reviewed` on the incident then marks it ready for review.',
    '',
    renderHiddenJson('postmortem', { incident: view.incident.id, path }),
    '',
  ].join('\n');
}

export type DraftResult =
  | { ok: true; action: 'created' | 'updated' | 'unchanged' | 'followup' | 'merged-unchanged'; pull: { number: number; html_url: string }; path: string; repo: RepoRef }
  | { ok: false; reason: 'not-incident' | 'no-repo' | 'no-permission' | 'closed-unmerged'; message: string; document?: string };

function refusal(reason: 'no-repo' | 'no-permission', target: RepoRef, document: string | undefined): DraftResult {
  const name = `${target.owner}/${target.repo}`;
  const message =
    reason === 'no-repo'
      ? `the repository ${escapeInline(name)} does not exist or firewatch cannot see it. Create it (an empty repository with a README is enough) and install firewatch on it, or set \`postmortem.repo\` in \`.github/firewatch.yml\`.`
      : `firewatch may not write to ${escapeInline(name)}. Grant the firewatch app **Contents: write** and **Pull requests: write** on it (or install it there), then run \`/postmortem\` again.`;
  return { ok: false, reason, message, ...(document !== undefined ? { document } : {}) };
}

/**
 * Drafts or refreshes the postmortem of an incident as a draft pull request into the post_mortems
 * repository: the file alone on branch `postmortem/<repo>-<number>`, one PR per incident. No draft
 * touches a file another draft also changes (README.md's index is written after a merge, see
 * {@link indexMergedPostmortem}), so any number of drafts can be open and merged in any order. An open PR is refreshed in place (generated sections only); after a merge, a refresh
 * opens a follow-up PR only when generated data changed. A missing repository or permission is a
 * tagged refusal carrying the rendered file, so the caller can show it.
 */
export async function draftPostmortem(
  octokit: PostmortemOctokit,
  options: { incident: IncidentRef; config: FirewatchConfig; now: Date; state?: IncidentState; stateSeal?: StateSeal; identity: Identity },
): Promise<DraftResult> {
  const { incident, config, now } = options;
  const target = postmortemRepo(config, incident);
  const source = await readPostmortemSource(octokit, incident, options.identity, options.state, options.stateSeal);
  if (!source) return { ok: false, reason: 'not-incident', message: `#${incident.number} is not an incident issue.` };
  const view = viewOf(source, incident, config, now);
  const render = postmortemRenderer(await organizationTemplate(octokit, incident, target).then((template) => (template !== undefined ? { template } : {})));
  const computedPath = postmortemPath(config.postmortem.path, view, incident);

  let defaultBranch: string;
  try {
    defaultBranch = (await octokit.rest.repos.get({ ...target })).data.default_branch;
  } catch (error) {
    if (httpStatus(error) === 404) return refusal('no-repo', target, render(view, null));
    if (httpStatus(error) === 403) return refusal('no-permission', target, render(view, null));
    throw error;
  }
  const branch = postmortemBranch(incident);
  const { data: pulls } = await octokit.rest.pulls.list({ ...target, head: `${target.owner}:${branch}`, state: 'all', per_page: 100 });
  const ours = pulls.filter((pull) => pullMarker(pull)?.incident === view.incident.id || pullMarker(pull) === null);
  const open = ours.find((pull) => pull.state === 'open');
  const merged = ours.find((pull) => pull.merged_at);
  const path = pullMarker(open ?? merged ?? ({ body: '' } as PullData))?.path ?? computedPath;
  const message = `Postmortem of ${view.incident.reference}: ${view.frontMatter.title}`;

  try {
    if (open) {
      const previous = await readRepoFile(octokit, target, path, branch);
      const text = render(view, previous?.text ?? null);
      const wrote = await writeRepoFile(octokit, target, { path, text, branch, message: `Refresh ${message}`, previous });
      const body = pullBody(view, path);
      if (planWrite(open.body ?? '', body, (shown, desired) => shown === desired).action === 'update') await octokit.rest.pulls.update({ ...target, pull_number: open.number, body });
      return { ok: true, action: wrote ? 'updated' : 'unchanged', pull: open, path, repo: target };
    }
    const closed = ours.find((pull) => !pull.merged_at);
    if (!merged && closed) {
      return { ok: false, reason: 'closed-unmerged', message: `the postmortem pull request ${safeLink(`#${closed.number}`, closed.html_url)} was closed without merging. Reopen it and run \`/postmortem\` again to refresh it.` };
    }
    const onBase = await readRepoFile(octokit, target, path, defaultBranch);
    const text = render(view, onBase?.text ?? null);
    if (merged && onBase && generatedFingerprint(text) === generatedFingerprint(onBase.text)) {
      return { ok: true, action: 'merged-unchanged', pull: merged, path, repo: target };
    }
    const head = (await octokit.rest.git.getRef({ ...target, ref: `heads/${defaultBranch}` })).data.object.sha;
    try {
      await octokit.rest.git.createRef({ ...target, ref: `refs/heads/${branch}`, sha: head });
    } catch (error) {
      // A branch left from an earlier run (or merged PR): start it again from the default branch.
      if (httpStatus(error) !== 422) throw error;
      await octokit.rest.git.updateRef({ ...target, ref: `heads/${branch}`, sha: head, force: true });
    }
    await writeRepoFile(octokit, target, { path, text, branch, message: merged ? `Refresh ${message}` : `Draft ${message}`, previous: onBase });
    const title = `Postmortem: ${view.frontMatter.title}${merged ? ' (refresh)' : ''}`;
    const { data: pull } = await octokit.rest.pulls.create({ ...target, title, head: branch, base: defaultBranch, body: pullBody(view, path), draft: true });
    await octokit.rest.issues.addLabels({ ...target, issue_number: pull.number, labels: [POSTMORTEM_LABEL] });
    return { ok: true, action: merged ? 'followup' : 'created', pull, path, repo: target };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 404) return refusal('no-permission', target, render(view, null));
    throw error;
  }
}

const POSTMORTEM_INDEX = 'README.md';

export type IndexResult = 'indexed' | 'unchanged' | 'not-a-postmortem';

/**
 * The post_mortems repository's index (README.md), kept on its default branch by a step that is not
 * a draft: once a postmortem pull request is merged, the row of its file (date, title, severity,
 * duration, status, from the merged front matter) goes into the README's index table, in one
 * commit on the default branch. Drafts never edit README.md, so two open drafts cannot conflict;
 * two merges racing are serialized by the file's sha (the loser reads again and retries once).
 */
export async function indexMergedPostmortem(octokit: PostmortemOctokit, options: { repo: RepoRef; path: string }): Promise<IndexResult> {
  const { repo, path } = options;
  const defaultBranch = (await octokit.rest.repos.get({ ...repo })).data.default_branch;
  const file = await readRepoFile(octokit, repo, path, defaultBranch);
  const front = file ? readFrontMatter(file.text) : null;
  if (!front?.ok) return 'not-a-postmortem';
  const data = front.data;
  const duration = data.resolved_at ? formatDuration(Date.parse(data.resolved_at) - Date.parse(data.detected_at)) : 'ongoing';
  const row = indexRow({ date: data.date, title: data.title, severity: data.severity, duration, status: data.status, path });
  for (let attempt = 0; ; attempt++) {
    const previous = await readRepoFile(octokit, repo, POSTMORTEM_INDEX, defaultBranch);
    const readme = mergeIndex(previous?.text ?? '# Postmortems\n', row);
    try {
      const wrote = await writeRepoFile(octokit, repo, { path: POSTMORTEM_INDEX, text: readme, branch: defaultBranch, message: `Index the postmortem ${path}`, previous });
      return wrote ? 'indexed' : 'unchanged';
    } catch (error) {
      // Another merge wrote README.md since it was read: read it again, once.
      if (attempt > 0 || ![409, 422].includes(httpStatus(error) ?? 0)) throw error;
    }
  }
}

/** A merged pull request firewatch opened for a postmortem: its repository and file; `null` for any other. */
export function mergedPostmortemOf(payload: unknown, identity: Identity): { repo: RepoRef; path: string; number: number } | null {
  const parsed = mergedPull.safeParse(payload);
  if (!parsed.success || !parsed.data.pull_request.merged || !identity.isOwnActor(parsed.data.pull_request.user)) return null;
  const marker = pullMarker({ body: parsed.data.pull_request.body ?? '' } as PullData);
  if (!marker) return null;
  const [owner = '', name = ''] = parsed.data.repository.full_name.split('/');
  return { repo: { owner, repo: name }, path: marker.path, number: parsed.data.pull_request.number };
}

const mergedPull = z.object({
  repository: z.object({ full_name: z.string() }),
  pull_request: z.object({ number: z.number().int(), body: z.string().nullish(), merged: z.boolean().nullish(), user: z.object({ login: z.string(), type: z.string() }) }),
});

type ReviewedResult = { ok: true; pull: { number: number; html_url: string } } | { ok: false; message: string };

const READY_FOR_REVIEW = `mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { number isDraft } } }`;

/** `/postmortem reviewed`: front matter `status: reviewed` on the PR's branch, and the PR ready for review. */
async function markPostmortemReviewed(octokit: PostmortemOctokit, options: { incident: IncidentRef; config: FirewatchConfig; now: Date }): Promise<ReviewedResult> {
  const target = postmortemRepo(options.config, options.incident);
  const branch = postmortemBranch(options.incident);
  let pulls: PullData[];
  try {
    pulls = (await octokit.rest.pulls.list({ ...target, head: `${target.owner}:${branch}`, state: 'open', per_page: 100 })).data;
  } catch (error) {
    if (httpStatus(error) === 404) return { ok: false, message: `the repository ${escapeInline(`${target.owner}/${target.repo}`)} does not exist or firewatch cannot see it.` };
    throw error;
  }
  const open = pulls[0];
  if (!open) return { ok: false, message: `there is no open postmortem pull request for #${options.incident.number} in ${escapeInline(`${target.owner}/${target.repo}`)}. Draft one with \`/postmortem\` first.` };
  const path = pullMarker(open)?.path;
  if (!path) return { ok: false, message: `${safeLink(`#${open.number}`, open.html_url)} has no firewatch marker, so firewatch does not know its file.` };
  const previous = await readRepoFile(octokit, target, path, branch);
  if (!previous) return { ok: false, message: `\`${path}\` is missing on branch \`${branch}\`; run \`/postmortem\` to draft it again.` };
  const text = withStatus(previous.text, 'reviewed');
  await writeRepoFile(octokit, target, { path, text, branch, message: `Mark the postmortem of ${options.incident.owner}/${options.incident.repo}#${options.incident.number} reviewed`, previous });
  if (open.draft !== false) await octokit.graphql(READY_FOR_REVIEW, { id: open.node_id });
  return { ok: true, pull: open };
}

/** The collapsed copy of a draft that could not be written, so nothing is lost. */
function collapsed(document: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...document.matchAll(/`{3,}/g)].map((match) => match[0].length + 1)));
  return `<details><summary>The draft (copy it into the repository by hand)</summary>\n\n${fence}markdown\n${document}${fence}\n\n</details>`;
}

/** The reply on the incident for a draft attempt; a refusal carries the rendered file, collapsed. */
export function draftReply(result: DraftResult): string {
  if (!result.ok) return `⚠️ Cannot draft the postmortem: ${result.message}${result.document ? `\n\n${collapsed(result.document)}` : ''}`;
  const link = safeLink(`${result.repo.owner}/${result.repo.repo}#${result.pull.number}`, result.pull.html_url);
  switch (result.action) {
    case 'created':
      return `📝 Postmortem drafted: ${link} (draft, \`${result.path}\`). Add the why before the incident review; \`/postmortem reviewed\` after it.`;
    case 'updated':
      return `📝 Postmortem refreshed: ${link}; generated sections updated, your text kept.`;
    case 'unchanged':
      return `📝 Postmortem ${link} is up to date.`;
    case 'followup':
      return `📝 The postmortem was merged and the incident data changed since: follow-up ${link} updates it.`;
    case 'merged-unchanged':
      return `📝 The postmortem ${link} is merged and still matches the incident; nothing to refresh.`;
  }
}

/** `[acme/post_mortems#3](https://…/pull/3)`: the PR as a real link in the incident's timeline. */
function pullLink(result: Extract<DraftResult, { ok: true }>): string {
  return safeLink(`${result.repo.owner}/${result.repo.repo}#${result.pull.number}`, result.pull.html_url);
}

/** Records a postmortem event in the incident's timeline (written with the rest of the comment's changes). */
function record(context: CommandContext, type: string, text: string, markdown = false): void {
  const { session } = context;
  if (!session.state) return;
  const entry: TimelineEntry = { at: context.now.toISOString(), type, actor: context.event.author.login, text, ref: context.event.comment.id, ...(markdown ? { markdown: true as const } : {}) };
  session.state = { ...session.state, timeline: [...session.state.timeline, entry] };
  session.entries.push(entry);
  session.dirty = true;
}

const NO_API = '⚠️ Cannot draft the postmortem: this runtime has no access to the contents, git and pull request APIs firewatch needs.';

async function draftFromCommand(context: CommandContext): Promise<CommandResult> {
  const { octokit, event, config, now, session } = context;
  if (!isPostmortemOctokit(octokit)) return { ok: false, reply: NO_API };
  const result = await draftPostmortem(octokit, { incident: { ...event.repo, number: event.issue.number }, config, now, stateSeal: context.scope.seal, identity: context.identity, ...(session.state ? { state: session.state } : {}) });
  if (result.ok && (result.action === 'created' || result.action === 'followup')) record(context, 'postmortem', `Postmortem draft: ${pullLink(result)}`, true);
  return { ok: result.ok, reply: draftReply(result) };
}

/**
 * `/postmortem` drafts or refreshes; `/postmortem skip <reason>` records that none is needed;
 * `/postmortem reviewed` marks it reviewed and ready for review.
 */
export const postmortemCommand: Executor = async (context) => {
  const { request } = context;
  if (request.name !== 'postmortem') throw new Error(`postmortemCommand cannot run /${request.name}`);
  if (request.action === 'skip') {
    record(context, 'postmortem-skipped', `No postmortem: ${request.reason}`);
    return { ok: true, reply: `📝 No postmortem for this incident: ${escapeInline(request.reason)}` };
  }
  if (request.action === 'reviewed') {
    if (!isPostmortemOctokit(context.octokit)) return { ok: false, reply: NO_API };
    const result = await markPostmortemReviewed(context.octokit, { incident: { ...context.event.repo, number: context.event.issue.number }, config: context.config, now: context.now });
    if (!result.ok) return { ok: false, reply: `⚠️ Cannot mark the postmortem reviewed: ${result.message}` };
    record(context, 'postmortem-reviewed', `Postmortem reviewed: ${safeLink(`#${result.pull.number}`, result.pull.html_url)}`, true);
    return { ok: true, reply: `✅ Postmortem ${safeLink(`#${result.pull.number}`, result.pull.html_url)} marked reviewed and ready for review.` };
  }
  return draftFromCommand(context);
};

/** What auto-drafting did on a resolution: the reply paragraph, and the timeline entry when a PR was opened. */
export interface AutoDraft {
  reply: string;
  /** Markdown for a `postmortem` timeline entry (a link to the PR), when one was drafted. */
  recorded?: string;
}

/**
 * Drafts the postmortem of an incident that was just resolved, when it needs one (config rules),
 * auto-drafting is on and nobody ran `/postmortem skip`; `null` when nothing was to be done. A
 * failure to draft is reported in the reply, never thrown: the resolution stands either way.
 * Shared by `/resolve` and by closing the issue by hand in GitHub.
 */
export async function autoDraftPostmortem(
  octokit: unknown,
  options: { incident: IncidentRef; config: FirewatchConfig; state: IncidentState; labels: readonly string[]; now: Date; log: Log; identity: Identity },
): Promise<AutoDraft | null> {
  const { config, state, now, incident } = options;
  if (!config.postmortem.autoDraft || state.status !== 'resolved') return null;
  if (!needsPostmortem(config.postmortem.rules, { ...state, labels: options.labels }, now).needed) return null;
  if (state.timeline.some((entry) => entry.type === 'postmortem-skipped')) return null;
  if (!isPostmortemOctokit(octokit)) return { reply: NO_API };
  try {
    const result = await draftPostmortem(octokit, { incident, config, now, state, identity: options.identity });
    const recorded = result.ok && (result.action === 'created' || result.action === 'followup') ? `Postmortem draft: ${pullLink(result)}` : undefined;
    return { reply: draftReply(result), ...(recorded ? { recorded } : {}) };
  } catch (error) {
    options.log.warn({ err: error, incident: state.id }, 'drafting the postmortem on resolution failed');
    return { reply: `⚠️ The postmortem could not be drafted (${escapeInline(error instanceof Error ? error.message : String(error))}); run \`/postmortem\` to try again.` };
  }
}

/** The `/resolve` hook: {@link autoDraftPostmortem}, its outcome appended to the resolve reply. */
export async function onIncidentResolved(context: CommandContext, resolved: CommandResult): Promise<CommandResult> {
  const { session, config, event, now } = context;
  if (!resolved.ok || !session.state) return resolved;
  const drafted = await autoDraftPostmortem(context.octokit, { incident: { ...event.repo, number: event.issue.number }, config, state: session.state, labels: event.issue.labels, now, log: context.log, identity: context.identity });
  if (!drafted) return resolved;
  if (drafted.recorded) record(context, 'postmortem', drafted.recorded, true);
  return { ok: true, reply: `${resolved.reply}\n\n${drafted.reply}` };
}
