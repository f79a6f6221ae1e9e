import type { Identity } from '../../services/identity.ts';
import type { ConfigResult } from '../../domain/config/config.ts';
import { decideStateEdit } from '../../domain/incident/decideStateEdit.ts';
import { parseEventMarker, renderEventMarker } from '../../domain/text/eventMarker.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import { stateScope, type StateSeal } from '../../domain/incident/stateSeal.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssueSnapshot } from '../../adapters/github/getIssueSnapshot.ts';
import { listIssueComments, type RestListComments } from '../../adapters/github/listIssueComments.ts';
import type { OctokitWith, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import type { Render } from '../../adapters/templates/templates.ts';
import type { Log } from '../../services/log.ts';
import { writeIncident } from './writeIncident.ts';

export type GuardOctokit = OctokitWith<{ issues: Pick<RestIssues, 'get' | 'update' | 'createComment'> & RestListComments }>;

/** The facts of an `issues.edited` delivery whose body changed. */
export interface BodyEditEvent {
  repo: RepoRef;
  issue: { number: number; body: string | null };
  /** The body before the edit (`changes.body.from`). */
  before: string;
  sender: { login: string; type: string };
  at: Date;
}

export interface GuardOptions<O extends GuardOctokit> {
  octokit: O;
  event: BodyEditEvent;
  loadConfig: (octokit: O, repo: RepoRef) => Promise<ConfigResult>;
  stateSeal: StateSeal;
  log: Log;
  render?: Render;
  /** Who firewatch is: its own edits are trusted, and only its own notice counts as "told". */
  identity: Identity;
}

const NOTICE_TYPE = 'state-restored';

/**
 * Someone other than firewatch changed an incident's hidden state block (status, roles, a
 * timeline entry in another person's name): the last trusted state is written back, labels with
 * it, and the issue is told once (later tampering is restored without another comment). Human
 * text around the block is kept. GitHub calls: `issues.get`, `issues.update`, and on the first
 * time `issues.listComments` and `issues.createComment`.
 */
export async function guardStateBlock<O extends GuardOctokit>(options: GuardOptions<O>): Promise<{ outcome: 'none' | 'restored' | 'unrestorable'; why?: string }> {
  const { octokit, event, log } = options;
  const scope = stateScope(options.stateSeal, event.repo);
  const decision = decideStateEdit(event.before, event.issue.body, { scope, senderIsBot: options.identity.isOwnActor(event.sender) });
  if (decision.action === 'none') return { outcome: 'none', why: decision.why };

  const config = (await options.loadConfig(octokit, event.repo)).config;
  let restored: string;
  if (decision.action === 'restore') {
    // The issue as it is now (text people added since is kept); only its state goes back.
    const issue = await getIssueSnapshot(octokit, event.repo, event.issue.number);
    await writeIncident(octokit, event.repo, issue, { state: decision.state }, { timezone: config.timezone, scope, ...(options.render ? { render: options.render } : {}) });
    const commander = decision.state.roles.commander ? `, commander ${escapeInline(`@${decision.state.roles.commander}`)}` : '';
    restored = ` firewatch put back its own last version (**${decision.state.severity}**, **${decision.state.status}**${commander}).`;
    log.warn({ incident: decision.state.id, sender: event.sender.login, found: decision.found }, 'incident state block changed outside firewatch; restored');
  } else {
    restored = ' firewatch has no earlier version of its own to put back, so it does not act on this incident until one is restored from the edit history.';
    log.warn({ sender: event.sender.login, found: decision.found }, 'incident state block changed outside firewatch; nothing trusted to restore');
  }

  const comments = await listIssueComments(octokit, event.repo, event.issue.number);
  const told = comments.some((comment) => options.identity.isOwnActor(comment.user) && parseEventMarker(comment.body)?.type === NOTICE_TYPE);
  if (!told) {
    const text = `⚠️ ${escapeInline(`@${event.sender.login}`)} changed the hidden state block at the end of this issue's description. Only firewatch writes it (it holds the status, roles and timeline), so the change was not taken.${restored} Change the incident with commands instead; \`/help\` lists them.`;
    await createComment(octokit, event.repo, event.issue.number, text, renderEventMarker({ type: NOTICE_TYPE, at: event.at.toISOString(), actor: event.sender.login, ...(decision.action === 'restore' ? { incident: decision.state.id } : {}) }));
  }
  return { outcome: decision.action === 'restore' ? 'restored' : 'unrestorable' };
}
