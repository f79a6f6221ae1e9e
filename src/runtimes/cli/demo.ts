/**
 * `firewatch demo`: a guided tour through a whole incident in the sandbox that `npm start` runs.
 * Every step acts the way a person or a monitoring system would (an alert through the alert route,
 * comments as the seeded users, a merge, the sandbox's clock) and then waits for firewatch's real
 * effect, read back from the sandbox's API, before it says what happened and where to look.
 */
import type { CliIO } from './support.ts';
import type { Values } from './support.ts';
import { SANDBOX_ALERT_TOKEN, SANDBOX_DEFAULT_REPO } from '../env.ts';
import { DemoStepError } from '../../domain/errors/errors.ts';

export interface DemoOptions {
  appUrl: string;
  sandboxUrl: string;
  alertToken: string;
  /** How long each step waits for firewatch (milliseconds). */
  timeoutMs: number;
  /** Between two looks at the sandbox (milliseconds). */
  pollMs?: number;
}

interface Issue {
  number: number;
  title: string;
  state: string;
  html_url: string;
  labels: { name: string }[];
  assignees: { login: string }[];
}

interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

const BOT = 'firewatch[bot]';
const { owner, repo } = SANDBOX_DEFAULT_REPO;
const REPO = `${owner}/${repo}`;

export async function demoCli({ values }: { values: Values }, io: CliIO): Promise<number> {
  const port = (name: string, fallback: number) => Number(io.env[name] ?? fallback);
  const timeout = typeof values['timeout'] === 'string' ? Number(values['timeout']) : 30;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    io.stderr.write(`error: --timeout wants a number of seconds, such as 30 (got "${String(values['timeout'])}")\n`);
    return 2;
  }
  const options: DemoOptions = {
    appUrl: stripSlash(typeof values['app-url'] === 'string' ? values['app-url'] : `http://127.0.0.1:${port('PORT', 3000)}`),
    sandboxUrl: stripSlash(typeof values['sandbox-url'] === 'string' ? values['sandbox-url'] : `http://127.0.0.1:${port('SANDBOX_PORT', 3001)}`),
    alertToken: io.env['FIREWATCH_ALERT_TOKEN'] ?? SANDBOX_ALERT_TOKEN,
    timeoutMs: timeout * 1000,
  };
  try {
    await runDemo(options, (line) => io.stdout.write(`${line}\n`));
    return 0;
  } catch (error) {
    if (error instanceof DemoStepError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function stripSlash(url: string): string {
  let trimmed = url;
  while (trimmed.endsWith('/')) trimmed = trimmed.slice(0, -1);
  return trimmed;
}

/** The tour itself; `say` prints one line. Throws `DemoStepError` when firewatch does not react in time. */
export async function runDemo(options: DemoOptions, say: (line: string) => void): Promise<void> {
  const started = Date.now();
  const sandbox = new SandboxClient(options);
  const web = (path: string) => `${options.sandboxUrl}${path}`;
  const issueLink = (number: number) => web(`/${REPO}/issues/${number}`);
  let stepNumber = 0;
  const step = (title: string) => say(`\n${++stepNumber}. ${title}`);
  const done = (line: string) => say(`   ✓ ${line}`);
  const look = (url: string) => say(`   → ${url}`);

  await sandbox.reachable();
  say(`firewatch demo: a whole incident in ${REPO}, played against the sandbox at ${options.sandboxUrl} (firewatch at ${options.appUrl}).`);
  say('The sandbox goes back to its seed world first: what you did in it before is gone.');
  await sandbox.control('POST', '/_sandbox/reset');
  const config = await sandbox.file(REPO, '.github/firewatch.yml');
  done(`seed world: ${REPO} with merged PRs, deployments and its .github/firewatch.yml (${config.split('\n').length} lines)`);
  look(web(`/${REPO}/blob/main/.github/firewatch.yml`));

  step('Monitoring fires an alert: POST /alerts/generic');
  const alert = { title: 'Checkout error rate above 5%', severity: 'P2', service: 'checkout', fingerprint: 'demo-checkout-errors', description: '5xx on POST /checkout since the last deploy' };
  await sandbox.alert(alert);
  const incident = await sandbox.waitFor('the incident issue for the alert', async () => (await sandbox.openIncidents()).find((issue) => issue.title.includes(alert.title)));
  done(`incident #${incident.number} opened: "${incident.title}" [${labelNames(incident)}]`);
  if (incident.assignees.length > 0) done(`assigned to who is on call now: ${incident.assignees.map((a) => `@${a.login}`).join(', ')}`);
  look(issueLink(incident.number));

  step('firewatch ranks the recent changes that could have caused it');
  const suspects = await sandbox.waitFor('the "Suspected changes" comment', async () => (await sandbox.comments(incident.number)).find((c) => c.user.login === BOT && c.body.includes('Suspected changes')));
  const top = /\*\*1\. \[#(\d+) ([^\]]+)\]\([^)]*\)\*\* · (\d+%)/.exec(suspects.body);
  if (!top) throw new DemoStepError(`the "Suspected changes" comment on #${incident.number} names no change; the tour rolls back the top suspect`);
  const suspect = Number(top[1]);
  done(`top suspect: #${suspect} "${top[2]}" (${top[3]})`);
  look(`${issueLink(incident.number)}#issuecomment-${suspects.id}`);

  const command = async (as: string, body: string, check: (issue: Issue) => boolean, what: string) => {
    const posted = await sandbox.comment(as, incident.number, body);
    const reply = await sandbox.waitFor(`firewatch's reply to "${body}"`, async () => (await sandbox.comments(incident.number)).find((c) => c.user.login === BOT && c.body.includes(`"replyTo":${posted.id}`)));
    const issue = await sandbox.waitFor(what, async () => {
      const current = await sandbox.issue(incident.number);
      return check(current) ? current : undefined;
    });
    done(`${as}: ${body}`);
    done(`firewatch: ${firstLine(reply.body)}`);
    return { reply, issue };
  };

  step('bob acknowledges: he is on it');
  const acked = await command('bob', '/ack', (issue) => hasLabel(issue, 'status:acknowledged'), 'the status:acknowledged label');
  done(`labels now [${labelNames(acked.issue)}]`);

  step('bob raises the severity');
  await command('bob', '/severity P1 every card checkout fails', (issue) => hasLabel(issue, 'sev:P1'), 'the sev:P1 label');

  step('bob names alice incident commander');
  await command('bob', '/commander @alice', (issue) => issue.assignees.some((a) => a.login === 'alice'), 'alice among the assignees');

  step('alice notes something that happened 20 minutes ago');
  await command('alice', '/note -20m first customer reports in support', () => true, 'the note');

  step('alice publishes a status: the public status page follows');
  await command('alice', '/status identified Checkout errors after the inventory change; rolling it back', (issue) => hasLabel(issue, 'status:identified'), 'the status:identified label');
  await sandbox.waitFor('the status page to show checkout degraded', async () => ((await sandbox.statusLevel('checkout')) ?? 'operational') !== 'operational' || undefined);
  done(`status page: checkout is ${(await sandbox.statusLevel('checkout')) ?? 'listed'}`);
  look(web(`/${owner}.github.io/${repo}/`));

  step(`alice rolls back the top suspect, #${suspect}`);
  const rollback = await command('alice', `/rollback #${suspect}`, () => true, 'the revert PR');
  const revert = /\[#(\d+) /.exec(rollback.reply.body);
  if (!revert) throw new DemoStepError(`firewatch did not open a revert PR of #${suspect}: ${firstLine(rollback.reply.body)}`);
  const revertNumber = Number(revert[1]);
  look(web(`/${REPO}/pull/${revertNumber}`));
  await sandbox.merge('alice', revertNumber);
  const merged = await sandbox.waitFor('the rollback merge in the timeline', async () => (await sandbox.comments(incident.number)).find((c) => c.user.login === BOT && c.body.includes('"type":"rollback-merged"')));
  done(`alice merged #${revertNumber}; firewatch: ${firstLine(merged.body)}`);

  step('The alert clears, and alice resolves the incident');
  await sandbox.alert({ ...alert, status: 'resolved' });
  const resolved = await command('alice', `/resolve Reverted #${suspect}; checkout error rate back to normal`, (issue) => issue.state === 'closed' && hasLabel(issue, 'status:resolved'), 'the issue closed as resolved');
  done(`issue #${incident.number} is ${resolved.issue.state}, [${labelNames(resolved.issue)}]`);

  step('firewatch drafts the blameless postmortem as a pull request');
  const postmortemRepo = 'acme/post_mortems';
  const draft = await sandbox.waitFor('the postmortem PR in acme/post_mortems', async () => (await sandbox.pulls(postmortemRepo)).find((pull) => pull.labels.some((l) => l.name === 'postmortem') && pull.body?.includes(`#${incident.number}`)));
  const files = await sandbox.get<{ filename: string }[]>(`/repos/${postmortemRepo}/pulls/${draft.number}/files`, 'alice');
  done(`${postmortemRepo}#${draft.number} "${draft.title}" adds ${files.map((f) => f.filename).join(', ')}`);
  look(web(`/${postmortemRepo}/pull/${draft.number}`));
  if (files[0]) look(web(`/${postmortemRepo}/blob/${draft.head.ref}/${files[0].filename}`));

  step('The status page shows it is over, and the notifications went out');
  await sandbox.waitFor('the status page to show checkout operational again', async () => ((await sandbox.statusLevel('checkout')) === 'operational' ? true : undefined));
  done('status page: checkout is operational again');
  look(web(`/${owner}.github.io/${repo}/`));
  const inbox = await sandbox.waitFor('the "resolved" notification in the sandbox inbox', async () => {
    const received = await sandbox.control<{ body: { event?: string } }[]>('GET', '/_sandbox/notifications');
    return received.some((n) => n.body.event === 'resolved') ? received : undefined;
  });
  done(`notifications received by the sandbox inbox: ${inbox.map((n) => n.body.event ?? 'message').join(', ')}`);
  look(web('/notifications'));

  step('Nobody acknowledges a second alert: on-call and escalation');
  const second = { title: 'Payment capture latency high', severity: 'P2', service: 'payments', fingerprint: 'demo-payments-latency' };
  await sandbox.alert(second);
  const page = await sandbox.waitFor('the second incident', async () => (await sandbox.openIncidents()).find((issue) => issue.title.includes(second.title)));
  done(`incident #${page.number} opened, assigned to ${page.assignees.map((a) => `@${a.login}`).join(', ') || 'nobody (no one on call)'}`);
  const oncall = await sandbox.comment('carol', page.number, '/oncall');
  const roster = await sandbox.waitFor('the /oncall reply', async () => (await sandbox.comments(page.number)).find((c) => c.user.login === BOT && c.body.includes(`"replyTo":${oncall.id}`)));
  done(`carol: /oncall → ${roster.body.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| layer')).map((line) => line.split('|').map((cell) => cell.trim()).filter(Boolean).join(' ')).join('; ')}`);
  say('   … 11 minutes pass on the sandbox clock (POST /_sandbox/clock {"advance":"PT11M"}); the sweep runs');
  await sandbox.control('POST', '/_sandbox/clock', { advance: 'PT11M' });
  const breach = await sandbox.waitFor('the ack-SLO escalation', async () => (await sandbox.comments(page.number)).find((c) => c.user.login === BOT && c.body.includes('Ack SLO breached')));
  const escalated = await sandbox.waitFor('the slo:breached label', async () => {
    const current = await sandbox.issue(page.number);
    return hasLabel(current, 'slo:breached') ? current : undefined;
  });
  done(`firewatch: ${firstLine(breach.body)}`);
  const escalation = breach.body.split('\n').find((line) => line.startsWith('Escalating'));
  if (escalation) done(escalation);
  done(`labels now [${labelNames(escalated)}]`);
  look(issueLink(page.number));

  const seconds = Math.round((Date.now() - started) / 1000);
  say(`\nTour complete in ${seconds} s: incidents #${incident.number} (resolved, postmortem ${postmortemRepo}#${draft.number}) and #${page.number} (escalated, still open: try /ack as carol).`);
  say(`Everything above is in the sandbox: ${web('/')}`);
}

function hasLabel(issue: Issue, name: string): boolean {
  return issue.labels.some((label) => label.name === name);
}

function labelNames(issue: Issue): string {
  return issue.labels.map((label) => label.name).join(', ');
}

/** A comment's first line without Markdown emphasis or its hidden marker. */
function firstLine(body: string): string {
  const line = body.split('\n').find((text) => text.trim() !== '' && !text.startsWith('<!--')) ?? '';
  return line
    // Links keep their text: `[#11 \[rollback\] Revert …](url)` → `#11 [rollback] Revert …`.
    .replace(/\]\([^\s)]*\)/g, '')
    .replace(/(?<!\\)\[/g, '')
    .replace(/\*\*/g, '')
    .replace(/`/g, '')
    .replace(/\\([[\]_*])/g, '$1')
    .trim();
}

/** The sandbox's REST API and control endpoints, as the seeded users. */
class SandboxClient {
  constructor(private readonly options: DemoOptions) {}

  async reachable(): Promise<void> {
    await this.fetch(`${this.options.sandboxUrl}/_sandbox/clock`, {}, `the sandbox at ${this.options.sandboxUrl}`);
    await this.fetch(`${this.options.appUrl}/healthz`, {}, `firewatch at ${this.options.appUrl}`);
  }

  async waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() >= deadline) {
        throw new DemoStepError(`waited ${this.options.timeoutMs / 1000} s for ${what}, and it did not come. Is this firewatch running against this sandbox (npm start)? Its log says what it did; --timeout gives it longer.`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 200));
    }
  }

  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.json<T>(`${this.options.sandboxUrl}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, `the sandbox's ${method} ${path}`);
  }

  get<T>(path: string, as: string): Promise<T> {
    return this.json<T>(`${this.options.sandboxUrl}/api/v3${path}`, { headers: { authorization: `token sandbox-${as}` } }, `GET ${path}`);
  }

  async alert(alert: Record<string, string>): Promise<void> {
    await this.json(`${this.options.appUrl}/alerts/generic`, { method: 'POST', headers: { authorization: `Bearer ${this.options.alertToken}` }, body: JSON.stringify(alert) }, `firewatch's alert route (POST /alerts/generic)`);
  }

  comment(as: string, number: number, body: string): Promise<Comment> {
    return this.json<Comment>(`${this.options.sandboxUrl}/api/v3/repos/${REPO}/issues/${number}/comments`, { method: 'POST', headers: { authorization: `token sandbox-${as}` }, body: JSON.stringify({ body }) }, `commenting on #${number} as ${as}`);
  }

  async merge(as: string, number: number): Promise<void> {
    await this.json(`${this.options.sandboxUrl}/api/v3/repos/${REPO}/pulls/${number}/merge`, { method: 'PUT', headers: { authorization: `token sandbox-${as}` }, body: '{}' }, `merging #${number} as ${as}`);
  }

  issue(number: number): Promise<Issue> {
    return this.get<Issue>(`/repos/${REPO}/issues/${number}`, 'alice');
  }

  openIncidents(): Promise<Issue[]> {
    return this.get<Issue[]>(`/repos/${REPO}/issues?labels=incident&state=open&per_page=100`, 'alice');
  }

  comments(number: number): Promise<Comment[]> {
    return this.get<Comment[]>(`/repos/${REPO}/issues/${number}/comments?per_page=100`, 'alice');
  }

  pulls(fullName: string): Promise<(Issue & { body: string | null; head: { ref: string } })[]> {
    return this.get(`/repos/${fullName}/pulls?state=all&per_page=100`, 'alice');
  }

  async file(fullName: string, path: string): Promise<string> {
    const content = await this.get<{ content: string }>(`/repos/${fullName}/contents/${path}`, 'alice');
    return Buffer.from(content.content, 'base64').toString('utf8');
  }

  /** The service's level on the published status page (`gh-pages`' status.json), or undefined before it is published. */
  async statusLevel(service: string): Promise<string | undefined> {
    const response = await this.fetch(`${this.options.sandboxUrl}/${owner}.github.io/${repo}/status.json`, {}, 'the status page');
    if (!response.ok) return undefined;
    const page = (await response.json()) as { services?: { name: string; level: string }[] };
    return page.services?.find((entry) => entry.name === service)?.level;
  }

  private async json<T>(url: string, init: RequestInit, what: string): Promise<T> {
    const response = await this.fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } }, what);
    const text = await response.text();
    if (!response.ok) throw new DemoStepError(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  private async fetch(url: string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch {
      throw new DemoStepError(`cannot reach ${what}: start it with \`npm start\` in another terminal (or pass --app-url / --sandbox-url)`);
    }
  }
}
