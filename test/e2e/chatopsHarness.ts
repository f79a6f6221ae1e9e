/**
 * Drives firewatch's ChatOps as people would: the sandbox GitHub and the app in-process, users
 * commenting with their tokens, and helpers that read back what a user would see (labels, body,
 * comments, reactions) once every webhook has been handled.
 */
import { Octokit } from '@octokit/rest';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { writeRepoConfig } from '../support/repoConfig.ts';

export const USERS = { alice: 'admin', bob: 'write', carol: 'triage', eve: 'read' } as const;
export type User = keyof typeof USERS;
export const BOT = 'firewatch[bot]';
const repo = { owner: 'acme', repo: 'shop' };

export async function startChatops(now = new Date('2026-01-14T09:00:00.000Z')) {
  const running: Sandboxed = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'fatal', now });
  const { sandbox } = running;
  const clients = new Map<string, Octokit>();
  const as = (user: User): Octokit => {
    let client = clients.get(user);
    if (!client) clients.set(user, (client = new Octokit({ baseUrl: sandbox.apiUrl, auth: `sandbox-${user}` })));
    return client;
  };

  async function settle(): Promise<void> {
    await sandbox.idle();
  }

  async function comments(number: number) {
    const { data } = await as('alice').rest.issues.listComments({ ...repo, issue_number: number, per_page: 100 });
    return data;
  }

  /** `user` comments `body`; returns what they see afterwards: our replies to it and our reactions on it. */
  async function say(user: User, number: number, body: string) {
    const { data: comment } = await as(user).rest.issues.createComment({ ...repo, issue_number: number, body });
    await settle();
    const all = await comments(number);
    const replies = all.filter((c) => c.user?.login === BOT && parseEventMarker(c.body)?.replyTo === comment.id);
    const { data: reactions } = await as('alice').rest.reactions.listForIssueComment({ ...repo, comment_id: comment.id });
    return {
      comment,
      replies: replies.map((c) => c.body ?? ''),
      reply: replies[0]?.body ?? '',
      reactions: reactions.filter((r) => r.user?.login === BOT).map((r) => r.content),
    };
  }

  /** The issue as a user sees it. */
  async function view(number: number) {
    const { data } = await as('alice').rest.issues.get({ ...repo, issue_number: number });
    return {
      title: data.title,
      state: data.state,
      stateReason: data.state_reason ?? null,
      labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).sort(),
      assignees: (data.assignees ?? []).map((a) => a.login).sort(),
      body: data.body ?? '',
      incident: parseStateBlock(data.body),
    };
  }

  async function openIssue(title: string, body = 'Reported by support.'): Promise<number> {
    const { data } = await as('alice').rest.issues.create({ ...repo, title, body });
    await settle();
    return data.number;
  }

  /** A fresh incident declared by alice with `/incident`. */
  async function incident(title = 'Checkout fails', severity = 'P3'): Promise<number> {
    const number = await openIssue(title);
    const { reactions } = await say('alice', number, `/incident ${severity} ${title} service=checkout`);
    if (!reactions.includes('rocket')) throw new Error(`could not declare the incident: ${JSON.stringify(await comments(number))}`);
    return number;
  }

  /**
   * Fires a generic alert at the app over HTTP, as a monitoring tool would, and waits for its
   * incident issue. Extra fields (e.g. `started_at`) go into the alert body.
   */
  async function alert(title: string, fields: Record<string, string> = {}): Promise<number> {
    const response = await fetch(`${running.server.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title, severity: 'P3', service: 'checkout', ...fields }),
    });
    if (response.status >= 300) throw new Error(`alert refused with ${response.status}: ${await response.text()}`);
    for (let attempt = 0; attempt < 100; attempt++) {
      await settle();
      const { data } = await as('alice').rest.issues.listForRepo({ ...repo, labels: 'incident', state: 'all', per_page: 100 });
      const issue = data.find((i) => i.title.includes(title));
      if (issue) return issue.number;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no incident issue for ${title}`);
  }

  async function setClock(iso: string): Promise<void> {
    await sandbox.setNow(new Date(iso));
  }

  async function writeConfig(yaml: string): Promise<void> {
    await writeRepoConfig(as('alice'), repo, yaml, 'firewatch config');
    await settle();
  }

  return { running, sandbox, repo, as, settle, say, view, comments, openIssue, incident, alert, setClock, writeConfig, close: () => running.close() };
}

export type Chatops = Awaited<ReturnType<typeof startChatops>>;
