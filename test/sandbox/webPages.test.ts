/**
 * The sandbox's web page shows what GitHub would show, over HTTP as a browser gets it: Markdown
 * as GitHub renders and sanitizes it, the conversation's events, files (Markdown with its front
 * matter as a table), trees, commits, deployments, people, the published GitHub Pages site, and
 * a home page that names the real ports and the first incident's number.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { octokitFor, startSandbox } from './support.ts';

const repo = { owner: 'acme', repo: 'shop' };
let sandbox: Sandbox;

/** What a reader sees: the page without markup, entities decoded, whitespace collapsed. */
function visibleText(page: string): string {
  return page
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

async function page(path: string): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${sandbox.url}${path}`, { redirect: 'manual' });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

function article(text: string, id: string): string {
  const start = text.indexOf(`id="${id}"`);
  expect(start, `#${id} on the page`).toBeGreaterThan(-1);
  return text.slice(start, text.indexOf('</article>', start));
}

beforeAll(async () => {
  sandbox = await startSandbox({ now: new Date('2026-03-01T10:00:00Z') });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('Markdown as GitHub renders it', () => {
  it('renders tables, task lists, <details>, <sub>, strikethrough, emoji and links #123 and @user only when they exist', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const { data: other } = await alice.rest.issues.create({ ...repo, title: 'Earlier outage' });
    const body = [
      '| Field | Value |',
      '| :--- | ---: |',
      '| **Severity** | P2 |',
      '',
      '- [x] Acknowledge',
      '- [ ] Mitigate',
      '',
      '<details><summary>Alert payload</summary>',
      '',
      '`{"a":1}`',
      '',
      '</details>',
      '',
      'H<sub>2</sub>O ~~wrong~~ :rocket: see #' + other.number + ', #99999, @bob and @nobody-here, mail bob@example.com, https://status.acme.example',
    ].join('\n');
    const { data: issue } = await alice.rest.issues.create({ ...repo, title: 'Rendering', body });
    const { text } = await page(`/acme/shop/issues/${issue.number}`);
    const shown = article(text, 'issue-body');
    expect(shown).toContain('<th align="left">Field</th>');
    expect(shown).toContain('<td align="right">P2</td>');
    expect(shown).toContain('<ul class="contains-task-list">');
    expect(shown).toContain('<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled checked /> Acknowledge</li>');
    expect(shown).toContain('<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled /> Mitigate</li>');
    expect(shown).toContain('<details><summary>Alert payload</summary>');
    expect(shown).toContain('H<sub>2</sub>O <s>wrong</s> 🚀');
    expect(shown).toContain(`<a href="/acme/shop/issues/${other.number}" class="issue-link" title="Earlier outage" rel="nofollow noopener noreferrer">#${other.number}</a>`);
    expect(shown).toContain('#99999,');
    expect(shown).toContain('<a href="/bob" class="user-mention" rel="nofollow noopener noreferrer">@bob</a>');
    expect(shown).toContain(' @nobody-here,');
    expect(shown).toContain('<a href="mailto:bob@example.com" rel="nofollow noopener noreferrer">bob@example.com</a>');
    expect(shown).toContain('<a href="https://status.acme.example" rel="nofollow noopener noreferrer">https://status.acme.example</a>');
    // @bob's link leads to bob's page.
    const profile = await page('/bob');
    expect(profile.status).toBe(200);
    expect(visibleText(profile.text)).toMatch(/acme\/shop write/);
  });

  it('sanitizes HTML as GitHub does: no scripts, handlers, styles, forms or javascript: URLs; harmless tags stay', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const body = [
      '<script>document.title="pwned"</script>',
      '<img src="x" onerror="alert(1)" alt="chart">',
      '<a href="javascript:alert(1)" onclick="alert(2)">click</a>',
      '<div style="position:fixed;inset:0">overlay</div>',
      '<iframe src="https://evil.example"></iframe><svg><script>alert(3)</script></svg>',
      '<form action="/acme/shop/issues/1" method="post"><input name="body" value="/resolve"><button>go</button></form>',
      '<kbd>Ctrl</kbd> <mark>marked</mark> <ins>new</ins> <del>old</del>',
    ].join('\n');
    const { data: issue } = await alice.rest.issues.create({ ...repo, title: 'Hostile', body });
    const shown = article((await page(`/acme/shop/issues/${issue.number}`)).text, 'issue-body');
    for (const bad of ['<script', 'pwned', 'onerror', 'onclick', 'javascript:', 'style=', '<iframe', '<svg', '<form', '<button', 'name="body"']) expect(shown, bad).not.toContain(bad);
    expect(shown).toContain('<a href="x" rel="nofollow noopener noreferrer" class="image-link">🖼 chart</a>');
    expect(shown).toContain('<a rel="nofollow noopener noreferrer">click</a>');
    expect(shown).toContain('<div>overlay</div>');
    expect(shown).toContain('<kbd>Ctrl</kbd> <mark>marked</mark> <ins>new</ins> <del>old</del>');
  });
});

describe('the conversation', () => {
  it('shows events between the comments, worded as on GitHub, with who did what', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: issue } = await alice.rest.issues.create({ ...repo, title: 'Checkout 500s', labels: ['incident', 'bug'] });
    await bob.rest.issues.createComment({ ...repo, issue_number: issue.number, body: '/ack' });
    await bob.rest.issues.addAssignees({ ...repo, issue_number: issue.number, assignees: ['bob'] });
    await alice.rest.issues.addAssignees({ ...repo, issue_number: issue.number, assignees: ['carol'] });
    await bob.rest.issues.setLabels({ ...repo, issue_number: issue.number, labels: ['incident', 'enhancement'] });
    await alice.rest.issues.update({ ...repo, issue_number: issue.number, title: 'Checkout 500s for cards' });
    await bob.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
    await alice.rest.issues.update({ ...repo, issue_number: issue.number, state: 'open' });
    await alice.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'not_planned' });
    const { data: later } = await bob.rest.issues.create({ ...repo, title: 'Postmortem follow-up', body: `From #${issue.number}` });

    const seen = visibleText((await page(`/acme/shop/issues/${issue.number}`)).text);
    const order = [
      'alice added incident bug labels',
      'bob commented just now write /ack',
      'bob self-assigned this',
      'alice assigned carol',
      'bob added enhancement and removed bug labels',
      'alice changed the title Checkout 500s Checkout 500s for cards',
      'bob closed this as completed',
      'alice reopened this',
      'alice closed this as not planned',
      `bob mentioned this issue in Postmortem follow-up #${later.number}`,
    ];
    let at = -1;
    for (const line of order) {
      const next = seen.indexOf(line, at + 1);
      expect(next, `"${line}" after the previous event in:\n${seen}`).toBeGreaterThan(at);
      at = next;
    }
  });
});

describe('files, commits, deployments and Pages', () => {
  async function writeFile(path: string, content: string, branch = 'main'): Promise<string> {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    let sha: string | undefined;
    try {
      const { data } = await alice.rest.repos.getContent({ ...repo, path, ref: branch });
      if (!Array.isArray(data) && 'sha' in data) sha = data.sha;
    } catch {
      sha = undefined;
    }
    const { data } = await alice.rest.repos.createOrUpdateFileContents({ ...repo, path, branch, message: `Write ${path}`, content: Buffer.from(content).toString('base64'), ...(sha ? { sha } : {}) });
    return data.commit.sha ?? '';
  }

  it('a Markdown file is rendered with its front matter as a table; ?plain=1 and other files show the source', async () => {
    await writeFile('docs/postmortem.md', '---\ntitle: Checkout outage\nseverity: P1\nowners: [alice, bob]\n---\n# What happened\n\n- [x] Roll back\n\n<script>x()</script>\n');
    const { status, text } = await page('/acme/shop/blob/main/docs/postmortem.md');
    expect(status).toBe(200);
    expect(text).toContain('<table><thead><tr><th>title</th><th>severity</th><th>owners</th></tr></thead><tbody><tr><td>Checkout outage</td><td>P1</td><td><table><tbody><tr><td>alice</td><td>bob</td></tr></tbody></table></td></tr></tbody></table><h1>What happened</h1>');
    expect(text).toContain('<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled checked /> Roll back</li>');
    expect(text).not.toContain('<script');
    const plain = await page('/acme/shop/blob/main/docs/postmortem.md?plain=1');
    expect(visibleText(plain.text)).toContain('1 --- 2 title: Checkout outage');
    const source = await page('/acme/shop/blob/main/services/checkout/handler.js');
    expect(source.status).toBe(200);
    expect(source.text).toMatch(/<tr id="L1"><td class="line-number"><a href="#L1">1<\/a><\/td><td><code>/);
  });

  it('raw files are plain text under a CSP sandbox; trees list folders first and render the README', async () => {
    const raw = await fetch(`${sandbox.url}/acme/shop/raw/main/docs/postmortem.md`);
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(raw.headers.get('content-security-policy')).toMatch(/^sandbox /);
    expect(await raw.text()).toContain('# What happened');
    const root = await page('/acme/shop');
    expect(root.status).toBe(200);
    const listed = [...root.text.matchAll(/<li><span aria-hidden="true">(📁|📄)<\/span> <a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]} ${m[3]}`);
    expect(listed.indexOf('📄 README.md')).toBeGreaterThan(listed.indexOf('📁 services'));
    expect(root.text).toContain('id="readme-heading">README.md</h2>');
    expect((await page('/acme/shop/tree/main/docs')).text).toContain('href="/acme/shop/blob/main/docs/postmortem.md"');
    expect((await page('/acme/shop/blob/main/nope.txt')).status).toBe(404);
    expect((await page('/acme/shop/tree/no-such-branch')).status).toBe(404);
  });

  it('a commit page shows its message, author, parent and diff', async () => {
    const sha = await writeFile('docs/postmortem.md', '# What happened\n\nThe card gateway timed out.\n');
    const { status, text } = await page(`/acme/shop/commit/${sha}`);
    expect(status).toBe(200);
    const seen = visibleText(text);
    expect(seen).toContain('Write docs/postmortem.md');
    expect(seen).toMatch(/alice committed just now/);
    expect(seen).toContain('1 changed file +1 −8 docs/postmortem.md modified +1 −8');
    expect(text).toContain('<span class="add">+The card gateway timed out.</span>');
    expect((await page(`/acme/shop/commit/${sha.slice(0, 7)}`)).headers.get('location')).toBe(`/acme/shop/commit/${sha}`);
  });

  it('deployments list each environment with what is live and every status', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const { data: deployments } = await alice.rest.repos.listDeployments({ ...repo, environment: 'production', per_page: 1 });
    const live = deployments[0];
    const { text, status } = await page('/acme/shop/deployments');
    expect(status).toBe(200);
    const seen = visibleText(text);
    expect(seen).toContain(`production · live: ${live?.sha.slice(0, 7)}`);
    expect(seen).toMatch(/success production · \S+ at [0-9a-f]{7}/);
    expect(seen).toContain('2 statuses');
  });

  it('the gh-pages branch is served as GitHub Pages at /{owner}.github.io/{repo}/, with content types and a sandbox CSP', async () => {
    const missing = await fetch(`${sandbox.url}/acme.github.io/shop/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('acme/shop has no gh-pages branch');

    const alice = octokitFor(sandbox, 'sandbox-alice');
    const { data: main } = await alice.rest.git.getRef({ ...repo, ref: 'heads/main' });
    await alice.rest.git.createRef({ ...repo, ref: 'refs/heads/gh-pages', sha: main.object.sha });
    await writeFile('index.html', '<!doctype html><title>Acme status</title><h1>All systems operational</h1><script>document.title="ran"</script>', 'gh-pages');
    await writeFile('feed.atom', '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'gh-pages');
    await writeFile('history/index.html', '<h1>History</h1>', 'gh-pages');

    const index = await fetch(`${sandbox.url}/acme.github.io/shop/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toMatch(/^sandbox allow-popups/);
    expect(await index.text()).toContain('All systems operational');
    const feed = await fetch(`${sandbox.url}/acme.github.io/shop/feed.atom`);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect((await fetch(`${sandbox.url}/acme.github.io/shop`, { redirect: 'manual' })).headers.get('location')).toBe('/acme.github.io/shop/');
    expect((await fetch(`${sandbox.url}/acme.github.io/shop/history`, { redirect: 'manual' })).headers.get('location')).toBe('/acme.github.io/shop/history/');
    expect(await (await fetch(`${sandbox.url}/acme.github.io/shop/history/`)).text()).toContain('<h1>History</h1>');
    expect((await fetch(`${sandbox.url}/acme.github.io/shop/nope.html`)).status).toBe(404);
  });
});

describe('the home page', () => {
  let app: Server;
  beforeAll(async () => {
    app = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    sandbox.setWebhookTarget(undefined);
    await new Promise((resolve) => app.close(resolve));
  });

  it("names the app's real port and the number the first alert's incident will get", async () => {
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    sandbox.setWebhookTarget(`${appUrl}/api/github/webhooks`);
    const alice = octokitFor(sandbox, 'sandbox-alice');
    // Close every open issue: the next alert opens the first incident.
    for (const issue of await alice.paginate(alice.rest.issues.listForRepo, { ...repo, state: 'open', per_page: 100 })) {
      if (!issue.pull_request) await alice.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed' });
    }
    const { data: probe } = await alice.rest.issues.create({ ...repo, title: 'probe' });
    await alice.rest.issues.update({ ...repo, issue_number: probe.number, state: 'closed' });
    const next = probe.number + 1;

    const seen = visibleText((await page('/')).text);
    expect(seen).toContain(`curl -sS -X POST "${appUrl}/alerts/generic"`);
    expect(seen).toContain(`firewatch listens at ${appUrl}`);
    expect(seen).toContain(`within seconds: issue #${next}.`);
    expect(seen).toContain(`curl -sS -X POST "${sandbox.apiUrl}/repos/acme/shop/issues/${next}/comments"`);
    expect(seen).toContain(`The alert above becomes issue #${next}`);
  });
});
