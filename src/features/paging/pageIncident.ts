import { ownComments } from '../../services/identity.ts';
import type { FirewatchConfig } from '../../domain/config/config.ts';
import { findHiddenJson } from '../../domain/text/hiddenJson.ts';
import { readIncidentState, type IncidentState, type TimelineEntry } from '../../domain/incident/incidentState.ts';
import { signAckToken } from '../../domain/paging/ackToken.ts';
import { methodOf, NO_CONTACTS, personOf, type Contacts } from '../../domain/paging/contacts.ts';
import { claimOf, claimText, deliveryEntries, outcomeText } from '../../domain/paging/pageComment.ts';
import { quietMention } from '../../domain/text/markdown.ts';
import { stateScope } from '../../domain/incident/stateSeal.ts';
import { pageMessage } from '../../domain/paging/pageMessage.ts';
import { readPageRecord, realMentions, renderPageMarker, type Delivery, type PageMarker } from '../../domain/paging/pageRecord.ts';
import { CHANNEL_NAMES } from '../../domain/paging/pagingConfig.ts';
import { planPages, type PagePlan, type PlannedMethod, type PlannedPage } from '../../domain/paging/planPages.ts';
import { formatInstant } from '../sweeps/sweepAction.ts';
import { CHANNEL_ENV } from '../../adapters/channels/index.ts';
import { assignableUsers } from '../../adapters/github/assignableUsers.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssueSnapshot } from '../../adapters/github/getIssueSnapshot.ts';
import { listIssueComments, type ListedComment, type RestListComments } from '../../adapters/github/listIssueComments.ts';
import type { OctokitWith, Params, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import type { Log } from '../../services/log.ts';
import { ackUrl, type PagingServices } from './pagingServices.ts';

export type PagingOctokit = OctokitWith<{
  issues: Pick<RestIssues, 'get' | 'createComment' | 'checkUserCanBeAssigned'> &
    RestListComments & {
      updateComment(params: RepoRef & { comment_id: number; body: string } & Params): Promise<unknown>;
      deleteComment(params: RepoRef & { comment_id: number } & Params): Promise<unknown>;
      addAssignees(params: RepoRef & { issue_number: number; assignees: string[] } & Params): Promise<unknown>;
    };
}>;

export function hasPagingApis(octokit: unknown): octokit is PagingOctokit {
  const issues = (octokit as { rest?: { issues?: Record<string, unknown> } } | null)?.rest?.issues;
  return ['get', 'createComment', 'checkUserCanBeAssigned', 'listComments', 'updateComment', 'deleteComment', 'addAssignees'].every((method) => typeof issues?.[method] === 'function');
}

export interface PageIncidentResult {
  outcome: 'idle' | 'nothing-due' | 'paged' | 'taken';
  why?: string;
  deliveries: Delivery[];
  next: Date | null;
}

/** Escalation steps brought in so far, from our markers (paging runs, the sweep, `/escalate`) and the timeline. */
function stepsBroughtIn(state: IncidentState, ours: readonly ListedComment[]): Map<number, Date | null> {
  const steps = new Map<number, Date | null>();
  const note = (index: number, at: Date | null) => {
    const known = steps.get(index);
    if (known === undefined || (known === null && at) || (known && at && at < known)) steps.set(index, at);
  };
  for (const comment of ours) {
    for (const raw of findHiddenJson('event', comment.body ?? '')) {
      const marker = raw as { at?: unknown; reminders?: unknown };
      if (!Array.isArray(marker.reminders)) continue;
      const at = typeof marker.at === 'string' && Number.isFinite(Date.parse(marker.at)) ? new Date(marker.at) : null;
      for (const key of marker.reminders) {
        const match = typeof key === 'string' ? /^escalation-(\d+)$/.exec(key) : null;
        if (match) note(Number(match[1]), at);
      }
    }
  }
  for (const entry of state.timeline) if (entry.type === 'escalated' && entry.step !== undefined) note(entry.step, new Date(entry.at));
  return steps;
}

interface SendContext {
  services: PagingServices;
  contacts: Contacts;
  state: IncidentState;
  repo: RepoRef;
  issue: { number: number; url: string };
  config: FirewatchConfig;
  log: Log;
}

/** One page: its methods together, and for each that fails the next way the person gave, in their order. */
async function sendPage(page: PlannedPage, context: SendContext): Promise<Delivery[]> {
  const { services, state, repo, issue, config } = context;
  const now = services.clock();
  let link: string | null = null;
  if (services.ackLinks) {
    const expiresAt = Math.floor(now.getTime() / 1000) + config.paging.ackLinkMinutes * 60;
    link = ackUrl(services.ackLinks, signAckToken({ repo, issue: issue.number, incident: state.id, login: page.login, page: page.id, expiresAt }, services.ackLinks.key));
  }
  const message = pageMessage(state, { url: issue.url, ref: `${repo.owner}/${repo.repo}#${issue.number}` }, page, now, link);
  const person = personOf(context.contacts, page.login);
  const spare = [...page.fallbacks];
  const attempt = async (method: PlannedMethod, fallbackFor?: PlannedMethod['channel']): Promise<Delivery> => {
    const adapter = services.channels[method.channel];
    const entry = person?.channels[method.index];
    const base = { page: page.id, channel: method.channel, ...(fallbackFor ? { fallbackFor } : {}) };
    if (!adapter || !entry) return { ...base, ok: false, attempts: 0, error: `${CHANNEL_NAMES[method.channel]} is not set up on this firewatch (${CHANNEL_ENV[method.channel]})` };
    const result = await adapter.send(message, methodOf(entry).address);
    context.log.info({ incident: state.id, page: page.id, channel: method.channel, ok: result.ok, attempts: result.attempts, ...(result.ok ? {} : { error: result.error }) }, `page ${page.id} via ${method.channel}: ${result.ok ? 'delivered' : `failed (${result.error})`}`);
    return result.ok ? { ...base, ok: true, attempts: result.attempts } : { ...base, ok: false, attempts: result.attempts, error: result.error };
  };
  const deliveries: Delivery[] = [];
  for (const method of page.methods) {
    let delivery = await attempt(method);
    deliveries.push(delivery);
    // Fallbacks are taken one at a time, so two failing channels never wake someone twice over the same spare.
    while (!delivery.ok && spare.length) {
      const next = spare.shift() as PlannedMethod;
      delivery = await attempt(next, method.channel);
      deliveries.push(delivery);
    }
  }
  return deliveries;
}

/**
 * Pages what is due on one incident now, exactly once: under the incident's lock, it reads the
 * record of earlier pages from firewatch's comments, plans, then claims by posting the run's
 * comment (the GitHub page, with the one real mention) before anything else is sent. A second
 * look at the comments settles a race with another replica or rerun: a page claimed in an earlier
 * comment is theirs, and ours is withdrawn. Then it assigns, sends, and edits the comment with
 * every delivery, failure, retry and fallback. A process that dies after claiming sends nothing
 * more for that page: it is never sent twice, and the next re-page comes on time.
 */
export async function pageIncident(options: { octokit: PagingOctokit; repo: RepoRef; issueNumber: number; config: FirewatchConfig; services: PagingServices; log: Log }): Promise<PageIncidentResult> {
  const { octokit, repo, issueNumber, config, services } = options;
  const key = `paging:${repo.owner}/${repo.repo}#${issueNumber}`.toLowerCase();
  return services.lock(key, async () => {
    const issue = await getIssueSnapshot(octokit, repo, issueNumber);
    // Only firewatch's own state pages anyone: a block someone else wrote or edited (its seal does not match) names nobody.
    const { state, trust } = readIncidentState(issue.body, stateScope(services.stateSeal, repo));
    if (!state) {
      if (trust === 'forged') options.log.warn({ repo: `${repo.owner}/${repo.repo}`, issue: issueNumber }, 'paging: the incident state block was not written by firewatch (its seal does not match); paging nobody');
      return { outcome: 'idle', why: trust === 'forged' ? 'state block not written by firewatch' : 'not an incident', deliveries: [], next: null };
    }
    const quick = config.paging.policies[state.severity];
    if (!quick || issue.state !== 'open' || state.status !== 'triggered' || state.acknowledgedAt) {
      return { outcome: 'idle', why: !quick ? `no paging policy for ${state.severity}` : `incident is ${state.status}`, deliveries: [], next: null };
    }
    const ours = ownComments(await listIssueComments(octokit, repo, issueNumber), await services.identity.resolve());
    const contacts = services.contacts() ?? NO_CONTACTS;
    const mentioned = new Set<string>();
    for (const comment of ours) for (const login of realMentions(comment.body ?? '')) mentioned.add(login);
    const now = services.clock();
    const plan = planPages({
      state,
      open: issue.state === 'open',
      assignees: issue.assignees,
      paging: config.paging,
      oncall: config.oncall,
      contacts,
      record: readPageRecord(ours),
      steps: stepsBroughtIn(state, ours),
      mentioned,
      now,
    });
    if (plan.kind === 'idle') return { outcome: 'idle', why: plan.message, deliveries: [], next: null };
    if (plan.pages.length === 0 && plan.holds.length === 0 && !plan.escalation) return { outcome: 'nothing-due', deliveries: [], next: plan.next };
    return claimAndSend(options, { state, issue: { number: issueNumber, url: issue.html_url }, plan, contacts, now });
  });
}

async function claimAndSend(
  options: { octokit: PagingOctokit; repo: RepoRef; config: FirewatchConfig; services: PagingServices; log: Log },
  run: { state: IncidentState; issue: { number: number; url: string }; plan: Extract<PagePlan, { kind: 'page' }>; contacts: Contacts; now: Date },
): Promise<PageIncidentResult> {
  const { octokit, repo, config, services, log } = options;
  const { state, issue, plan, now } = run;
  const zoneTime = (at: Date) => formatInstant(at, config.timezone);
  const entries: TimelineEntry[] = [];
  if (plan.escalation) {
    const names = [...plan.escalation.users, ...plan.escalation.teams].map((name) => `@${name}`).join(', ');
    entries.push({ at: now.toISOString(), type: 'escalated', actor: 'firewatch', text: `Escalated to ${names} (step ${plan.escalation.index + 1}): not acknowledged ${plan.escalation.afterMinutes} minutes after the last page`, step: plan.escalation.index });
  }
  for (const hold of plan.holds) entries.push({ at: now.toISOString(), type: 'page-held', actor: 'firewatch', text: `page to @${hold.login} held until ${hold.until.toISOString()} (quiet hours)` });
  const claims = plan.pages.map(claimOf);
  const marker: PageMarker = {
    type: 'page',
    at: now.toISOString(),
    incident: state.id,
    pages: claims,
    holds: plan.holds.map((hold) => ({ id: hold.id, login: hold.login, until: hold.until.toISOString() })),
    ...(plan.escalation ? { reminders: [`escalation-${plan.escalation.index}`] } : {}),
    ...(entries.length ? { entries } : {}),
  };
  const claimBody = claimText(plan, zoneTime);
  const comment = await createComment(octokit, repo, issue.number, claimBody, renderPageMarker(marker));

  // Did another run claim the same pages first? The earliest comment wins.
  const after = readPageRecord(ownComments(await listIssueComments(octokit, repo, issue.number), await services.identity.resolve()));
  const mine = plan.pages.filter((page) => after.pages.get(page.id)?.commentId === comment.id);
  if (mine.length < plan.pages.length) {
    const taken = plan.pages.filter((page) => !mine.includes(page)).map((page) => page.id);
    log.warn({ incident: state.id, issue: issue.number, pages: taken }, 'another paging run claimed these pages first; not sending them');
    if (mine.length === 0 && plan.holds.length === 0 && !plan.escalation) {
      await octokit.rest.issues.deleteComment({ ...repo, comment_id: comment.id });
      return { outcome: 'taken', deliveries: [], next: plan.next };
    }
  }

  const deliveries: Delivery[] = [];
  const toAssign = mine.filter((page) => page.assign).map((page) => page.login);
  let assigned = new Set<string>();
  if (toAssign.length) {
    try {
      const { assignable } = await assignableUsers(octokit, repo, toAssign);
      if (assignable.length) await octokit.rest.issues.addAssignees({ ...repo, issue_number: issue.number, assignees: assignable });
      assigned = new Set(assignable.map((login) => login.toLowerCase()));
    } catch (error) {
      log.warn({ err: error, incident: state.id, issue: issue.number }, 'could not assign the paged people');
    }
  }
  for (const page of mine) {
    const note = page.assign && !assigned.has(page.login.toLowerCase()) ? 'comment posted; not assignable in this repository' : undefined;
    deliveries.push({ page: page.id, channel: 'github', ok: true, attempts: 1, ...(note ? { error: note } : {}) });
  }
  const context = { services, contacts: run.contacts, state, repo, issue, config, log };
  const sent = await Promise.all(mine.map((page) => sendPage(page, context).catch((error: unknown): Delivery[] => [{ page: page.id, channel: page.methods[0]?.channel ?? 'github', ok: false, attempts: 0, error: error instanceof Error ? error.message : String(error) }])));
  deliveries.push(...sent.flat());

  const external = deliveries.filter((delivery) => delivery.channel !== 'github');
  const doneAt = services.clock();
  const outcomeEntries = deliveryEntries(mine.map(claimOf), external, doneAt);
  const githubOnly = mine.filter((page) => page.methods.length === 0).map((page) => ({ at: doneAt.toISOString(), type: 'paged', actor: 'firewatch', text: `paged @${page.login} on GitHub only${page.noContacts ? ' (no contacts)' : ''}` }));
  const withdrawn = plan.pages.filter((page) => !mine.includes(page));
  const body = outcomeText(
    withdrawn.length ? `${claimBody}\n\n_${withdrawn.map((page) => quietMention(page.login)).join(', ')}: already paged by another firewatch run; not sent again._` : claimBody,
    [...outcomeEntries, ...githubOnly],
  );
  const finalMarker: PageMarker = { ...marker, pages: mine.map(claimOf), deliveries, entries: [...entries, ...outcomeEntries, ...githubOnly] };
  await octokit.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: `${body}\n\n${renderPageMarker(finalMarker)}\n` });
  return { outcome: 'paged', deliveries, next: plan.next };
}
