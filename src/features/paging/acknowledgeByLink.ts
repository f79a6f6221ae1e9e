import type { Identity, IdentitySource } from '../../services/identity.ts';
import { findCommand } from '../../domain/commands/commands.ts';
import type { FirewatchConfig } from '../../domain/config/config.ts';
import { findHiddenJson, renderHiddenJson } from '../../domain/text/hiddenJson.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { stateScope, type StateSeal } from '../../domain/incident/stateSeal.ts';
import { formatTime } from '../../domain/incident/incidentView.ts';
import { checkConfirmValue, confirmValue, readAckToken, verifyAckToken } from '../../domain/paging/ackToken.ts';
import { atLeast, requiredPermission } from '../../domain/commands/permissions.ts';
import { transition } from '../../domain/incident/transition.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssueSnapshot, type IssueWithSnapshot } from '../../adapters/github/getIssueSnapshot.ts';
import { getPermission } from '../../adapters/github/getPermission.ts';
import { listIssueComments, type RestListComments } from '../../adapters/github/listIssueComments.ts';
import { httpStatus, type OctokitWith, type RepoRef, type RestIssues, type RestRepos } from '../../adapters/github/types.ts';
import type { Log } from '../../services/log.ts';
import { writeIncident } from '../incidents/writeIncident.ts';
import type { PagingLock } from './pagingServices.ts';

type AckLinkOctokit = OctokitWith<{ issues: Pick<RestIssues, 'get' | 'update' | 'createComment'> & RestListComments; repos: Pick<RestRepos, 'getCollaboratorPermissionLevel'> }>;

/** What the acknowledge page shows: a confirm form, the outcome, or why nothing changed. */
export type AckLinkAnswer =
  | { status: 200; kind: 'confirm'; login: string; incident: { title: string; severity: string; service: string; url: string; ref: string }; confirm: string }
  | { status: 200; kind: 'acknowledged'; login: string; incident: { title: string; url: string; ref: string }; message: string }
  | { status: 400 | 403 | 404 | 409 | 410; kind: 'refused'; reason: 'malformed' | 'forged' | 'not-found' | 'expired' | 'used' | 'already' | 'closed' | 'permission' | 'cross-site' | 'tampered'; message: string; url?: string };

export interface AckLinkRequest {
  token: string;
  method: 'GET' | 'POST';
  /** The `confirm` field of the posted form. */
  confirm?: string;
  /** `Sec-Fetch-Site`, when the browser sent it. */
  fetchSite?: string;
}

export interface AckLinkDeps {
  key: string;
  /** Who firewatch is: only its own comments record a used link. */
  identity: IdentitySource;
  /** Verifies the incident's state block and seals the acknowledged one (docs/incident-state.md). */
  stateSeal: StateSeal;
  /** The installation client for the token's repository; null when firewatch cannot act there. */
  octokitFor(repo: RepoRef): Promise<AckLinkOctokit | null>;
  loadConfig(octokit: AckLinkOctokit, repo: RepoRef): Promise<{ config: FirewatchConfig }>;
  clock: () => Date;
  lock: PagingLock;
  log: Log;
}

/** The marker type of the comment an acknowledge link writes; its `page` makes the link single-use. */
const ACK_LINK_EVENT = 'ack-link';

function usedAt(comments: readonly { body?: string | null; user?: { login: string; type?: string } | null }[], page: string, login: string, identity: Identity): string | null {
  for (const comment of comments) {
    if (!identity.isOwnActor(comment.user)) continue;
    for (const raw of findHiddenJson('event', comment.body ?? '')) {
      const marker = raw as { type?: unknown; page?: unknown; actor?: unknown; at?: unknown };
      if (marker.type === ACK_LINK_EVENT && marker.page === page && typeof marker.actor === 'string' && marker.actor.toLowerCase() === login.toLowerCase()) return typeof marker.at === 'string' ? marker.at : '';
    }
  }
  return null;
}

/** The issue's state block was not written by firewatch: nothing is acknowledged from it. */
function tampered(ref: string, url: string): AckLinkAnswer {
  return {
    status: 409,
    kind: 'refused',
    reason: 'tampered',
    url,
    message: `The hidden state block of ${ref} was changed outside firewatch (its seal does not match), so firewatch does not act on it; nothing changed. firewatch puts its own last version back when it sees such an edit; if it has not, restore the block from the description's edit history.`,
  };
}

/**
 * The one-tap acknowledge link. Opening it (GET) changes nothing: mail scanners open links. The
 * page's form posts back (POST) with a value only firewatch can compute for this token, and
 * acknowledges the incident as the person the link was made for, exactly as their `/ack` would
 * (same state change, same timeline entry, same assignment, permission checked the same way,
 * failing closed). A forged, reused, expired or stale link changes nothing and says why.
 */
export async function acknowledgeByLink(request: AckLinkRequest, deps: AckLinkDeps): Promise<AckLinkAnswer> {
  const read = readAckToken(request.token);
  if (!read.ok) return { status: 400, kind: 'refused', reason: 'malformed', message: read.message };
  const { grant } = read;
  const forged = { status: 403 as const, kind: 'refused' as const, reason: 'forged' as const, message: 'This acknowledge link was not made by this firewatch (its signature does not match); nothing changed.' };
  const octokit = await deps.octokitFor(grant.repo);
  if (!octokit) return forged;
  let issue: IssueWithSnapshot;
  try {
    issue = await getIssueSnapshot(octokit, grant.repo, grant.issue);
  } catch (error) {
    if (httpStatus(error) === 404 || httpStatus(error) === 410) return forged;
    throw error;
  }
  const scope = stateScope(deps.stateSeal, grant.repo);
  const ref = `${grant.repo.owner}/${grant.repo.repo}#${grant.issue}`;
  const url = issue.html_url;
  const stored = readIncidentState(issue.body, scope);
  // Only firewatch's own state is acted on: a block written or edited by someone else names no incident to acknowledge.
  if (stored.trust === 'forged') return tampered(ref, url);
  const { state } = stored;
  // Checked against the incident the issue holds now: a token is bound to that incident id.
  if (!state || !verifyAckToken(request.token, deps.key, state.id)) return forged;
  const now = deps.clock();
  if (now.getTime() > grant.expiresAt * 1000) {
    return { status: 410, kind: 'refused', reason: 'expired', url, message: `This acknowledge link expired at ${new Date(grant.expiresAt * 1000).toISOString()}; nothing changed. Acknowledge with /ack on ${ref}.` };
  }
  if (request.method === 'POST') {
    if (request.fetchSite === 'cross-site') return { status: 403, kind: 'refused', reason: 'cross-site', url, message: 'This acknowledgement was sent from another site; nothing changed. Open the link from the page and confirm there.' };
    if (!checkConfirmValue(request.token, deps.key, request.confirm)) return { status: 403, kind: 'refused', reason: 'forged', url, message: 'This confirmation did not come from firewatch’s acknowledge page; nothing changed. Open the link and press Acknowledge.' };
  }

  return deps.lock(`paging:${ref}`.toLowerCase(), async () => {
    // Fresh inside the lock: a page run or another tap may have acknowledged it meanwhile.
    const current = request.method === 'POST' ? await getIssueSnapshot(octokit, grant.repo, grant.issue) : issue;
    const fresh = request.method === 'POST' ? readIncidentState(current.body, scope) : stored;
    if (fresh.trust === 'forged') return tampered(ref, url);
    const incident = fresh.state ?? state;
    const { config } = await deps.loadConfig(octokit, grant.repo);
    const zone = config.timezone;
    const used = usedAt(await listIssueComments(octokit, grant.repo, grant.issue), grant.page, grant.login, await deps.identity.resolve());
    if (used !== null) return { status: 409, kind: 'refused', reason: 'used', url, message: `This link was already used${used ? ` at ${formatTime(used, zone)}` : ''}; each acknowledge link works once. Nothing changed.` };
    if (incident.status === 'resolved' || incident.status === 'canceled') return { status: 409, kind: 'refused', reason: 'closed', url, message: `${ref} is ${incident.status}${incident.resolvedAt ? ` since ${formatTime(incident.resolvedAt, zone)}` : ''}; nothing to acknowledge.` };
    if (incident.acknowledgedAt || incident.status !== 'triggered') {
      return { status: 409, kind: 'refused', reason: 'already', url, message: `Already acknowledged${incident.acknowledgedBy ? ` by @${incident.acknowledgedBy}` : ''}${incident.acknowledgedAt ? ` at ${formatTime(incident.acknowledgedAt, zone)}` : ''}; nothing changed.` };
    }
    const ack = findCommand('ack');
    const need = ack ? requiredPermission(ack, config.commands.permissions) : 'triage';
    const permission = await getPermission(octokit, grant.repo, grant.login);
    if (!atLeast(permission, need)) {
      return { status: 403, kind: 'refused', reason: 'permission', url, message: `@${grant.login} needs ${need} access to ${grant.repo.owner}/${grant.repo.repo} to acknowledge and has ${permission}; nothing changed.` };
    }
    if (request.method === 'GET') {
      return { status: 200, kind: 'confirm', login: grant.login, incident: { title: incident.title, severity: incident.severity, service: incident.service, url, ref }, confirm: confirmValue(request.token, deps.key) };
    }
    const result = transition(incident, { name: 'ack' }, { actor: grant.login, now, via: 'command', timezone: zone });
    if (!result.ok) return { status: 409, kind: 'refused', reason: 'already', url, message: `${result.message.replace(/`/g, '')}` };
    await writeIncident(octokit, grant.repo, current, { state: result.state, assign: result.assign }, { timezone: zone, scope });
    const marker = renderHiddenJson('event', { type: ACK_LINK_EVENT, at: now.toISOString(), actor: grant.login, incident: incident.id, page: grant.page, entries: result.entries });
    await createComment(octokit, grant.repo, grant.issue, `${result.message} _(with the acknowledge link of their page)_`, marker);
    deps.log.info({ incident: incident.id, issue: grant.issue, actor: grant.login, page: grant.page }, `acknowledged by ${grant.login} with the page link`);
    return { status: 200, kind: 'acknowledged', login: grant.login, incident: { title: incident.title, url, ref }, message: `Acknowledged by @${grant.login}. Paging has stopped.` };
  });
}
