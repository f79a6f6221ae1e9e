import { Octokit } from '@octokit/rest';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/sandbox/index.ts';
import { crossSite } from '../../src/sandbox/web.ts';
import { labelTextColor } from '../../src/sandbox/web/components.ts';
import { escapeHtml, html } from '../../src/sandbox/web/html.ts';
import { renderMarkdown } from '../../src/sandbox/web/markdown.ts';

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

/** The inner HTML of the element with this id (first level of nesting is enough for our boxes). */
function section(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  expect(start, `element #${id} on the page`).toBeGreaterThan(-1);
  const end = page.indexOf('</article>', start);
  return page.slice(start, end === -1 ? undefined : end);
}

const COMMENT_MARKDOWN = [
  '## Impact',
  '',
  'Checkout fails for **12%** of requests, see https://status.acme.example.',
  '',
  '<script>alert("pwned")</script>',
  '',
  '```',
  'if (x) { <!-- shown in code --> }',
  '```',
  '',
  '<!-- firewatch:event {"kind":"note","secret":"hidden-marker-text"} -->',
].join('\n');

describe('sandbox web UI', () => {
  let sandbox: Sandbox;
  let alice: Octokit;
  let issueNumber: number;
  let commentId: number;

  const page = async (path: string, init: RequestInit = {}): Promise<{ status: number; text: string; headers: Headers }> => {
    const response = await fetch(`${sandbox.url}${path}`, { redirect: 'manual', ...init });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  const postForm = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    page(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  const commentsOf = async (number: number) =>
    (await alice.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: number, per_page: 100 })).data;

  beforeAll(async () => {
    sandbox = await Sandbox.start({ port: 0, host: '127.0.0.1', webhookSecret: 'x' });
    alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice', request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
    await alice.rest.issues.createLabel({ owner: 'acme', repo: 'shop', name: 'sev:P1', color: 'b60205', description: 'Critical' });
    const issue = await alice.rest.issues.create({
      owner: 'acme',
      repo: 'shop',
      title: 'Checkout <b>errors</b> & timeouts',
      body: 'Error rate over 5% on `checkout`.\n\n<!-- firewatch:state {"id":"inc-1","service":"checkout"} -->',
      labels: ['incident', 'sev:P1'],
      assignees: ['bob'],
    });
    issueNumber = issue.data.number;
    const comment = await alice.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issueNumber, body: COMMENT_MARKDOWN });
    commentId = comment.data.id;
    const carol = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-carol', request: { retries: 0 } });
    await carol.rest.reactions.createForIssueComment({ owner: 'acme', repo: 'shop', comment_id: commentId, content: 'eyes' });
    await alice.rest.reactions.createForIssueComment({ owner: 'acme', repo: 'shop', comment_id: commentId, content: 'eyes' });
    await alice.rest.reactions.createForIssueComment({ owner: 'acme', repo: 'shop', comment_id: commentId, content: 'rocket' });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('home lists the repositories with open counts and explains how to drive the sandbox', async () => {
    const { status, text, headers } = await page('/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    const seen = visibleText(text);
    const openIssues = (await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'open', per_page: 100 })).data.filter((i) => !i.pull_request).length;
    const openPulls = (await alice.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'open', per_page: 100 })).data.length;
    expect(seen).toContain(`acme/shop acme storefront backend: checkout and payments services ${openIssues} open issue${openIssues === 1 ? '' : 's'} · ${openPulls} open pull request${openPulls === 1 ? '' : 's'}`);
    expect(seen).toContain('acme/post_mortems');
    for (const [login, permission] of [['alice', 'admin'], ['bob', 'write'], ['carol', 'triage'], ['eve', 'read']]) {
      expect(seen).toMatch(new RegExp(`${login} \\S.*? ${permission} sandbox-${login}`));
    }
    expect(seen).toContain(
      `curl -sS -X POST "http://127.0.0.1:\${PORT:-3000}/alerts/generic" \\ -H 'Authorization: Bearer sandbox-alerts' \\ -H 'Content-Type: application/json' \\ -d '{"title":"HighErrorRate","severity":"P2","service":"checkout"}'`,
    );
    expect(seen).toContain(`curl -sS -X POST "${sandbox.apiUrl}/repos/acme/shop/issues/${issueNumber}/comments" \\ -H 'Authorization: Bearer sandbox-bob'`);
    expect(seen).toContain(`-d '{"body":"/help"}'`);
    expect(text).not.toMatch(/<(script|link|img)\b/i);
  });

  it('an issue shows its title, state, label chips, assignees and Markdown, with raw HTML escaped and hidden markers hidden', async () => {
    const { status, text, headers } = await page(`/acme/shop/issues/${issueNumber}`);
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(text).toContain('<h1>Checkout &lt;b&gt;errors&lt;/b&gt; &amp; timeouts');
    expect(text).toContain('<title>Checkout &lt;b&gt;errors&lt;/b&gt; &amp; timeouts');
    expect(text).toContain('<span class="state state-open">Open</span>');
    expect(text).toContain('<span class="label" style="background-color:#b60205;color:#ffffff" title="Critical">sev:P1</span>');
    expect(text).toMatch(/<span class="label" style="background-color:#[0-9a-f]{6};color:#[0-9a-f]{6}">incident<\/span>/);
    const seen = visibleText(text);
    expect(seen).toContain('Assignees bob');
    expect(seen).toContain('alice opened this issue just now · 1 comment');

    const body = section(text, 'issue-body');
    expect(body).toContain('Error rate over 5% on <code>checkout</code>.');
    expect(body).not.toContain('firewatch:state');

    const comment = section(text, `issuecomment-${commentId}`);
    expect(comment).toContain('<h2>Impact</h2>');
    expect(comment).toContain('<strong>12%</strong>');
    expect(comment).toContain('<a href="https://status.acme.example" rel="nofollow noopener noreferrer">https://status.acme.example</a>');
    // GitHub drops a script with its content.
    expect(comment).not.toContain('pwned');
    expect(comment).toContain('<pre><code>if (x) { &lt;!-- shown in code --&gt; }');
    expect(text).not.toContain('<script');
    expect(text).not.toContain('hidden-marker-text');
    expect(text).not.toContain('firewatch:event');
    expect(visibleText(comment)).toContain('eyes 2');
    expect(visibleText(comment)).toContain('rocket 1');
    expect(comment).toContain('title="carol, alice reacted with eyes"');
  });

  it('the comment form offers every seeded user with a token, labelled for screen readers', async () => {
    const { text } = await page(`/acme/shop/issues/${issueNumber}`);
    expect(text).toContain('<label for="comment-user">Comment as</label>');
    expect(text).toContain('<select id="comment-user" name="user" required>');
    expect(text).toMatch(/<label for="comment-body">/);
    expect(text).toMatch(/<textarea id="comment-body" name="body"/);
    const options = [...text.matchAll(/<option value="([^"]+)"( selected)?>/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`);
    expect(options).toEqual(['alice', 'bob*', 'carol', 'eve']);
    expect(text).not.toContain('http-equiv="refresh"');
  });

  it('posting the form as bob comments through the REST API (with its webhook) and redirects to the new comment', async () => {
    const before = sandbox.deliveries().length;
    const response = await postForm(`/acme/shop/issues/${issueNumber}`, { user: 'bob', body: '/help\r\nplease' });
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    const match = /^\/acme\/shop\/issues\/(\d+)#issuecomment-(\d+)$/.exec(location);
    expect(match?.[1]).toBe(String(issueNumber));
    const comments = await commentsOf(issueNumber);
    const created = comments.find((c) => String(c.id) === match?.[2]);
    expect(created?.user?.login).toBe('bob');
    expect(created?.body).toBe('/help\r\nplease');
    const delivery = sandbox.deliveries().slice(before).find((d) => d.event === 'issue_comment');
    expect(delivery?.action).toBe('created');
    expect((delivery?.payload?.sender as { login?: string } | undefined)?.login).toBe('bob');

    const after = await page(location.split('#')[0] ?? '');
    expect(visibleText(section(after.text, `issuecomment-${created?.id}`))).toContain('bob commented just now write /help please');
  });

  it.each<{ name: string; fields: Record<string, string>; message: string }>([
    { name: 'an unknown user', fields: { user: 'mallory', body: 'hi' }, message: 'Choose who to comment as: one of alice, bob, carol, eve.' },
    { name: 'the bot, which has no personal token', fields: { user: 'firewatch[bot]', body: 'hi' }, message: 'Choose who to comment as: one of alice, bob, carol, eve.' },
    { name: 'no user at all', fields: { body: 'hi' }, message: 'Choose who to comment as.' },
    { name: 'a blank body', fields: { user: 'bob', body: '  \r\n ' }, message: 'Write a comment before posting.' },
    { name: 'a body over 65,536 characters', fields: { user: 'bob', body: 'x'.repeat(65_537) }, message: 'Comments are limited to 65,536 characters; this one has 65,537.' },
  ])('the form refuses $name with an error on the page and creates nothing', async ({ fields, message }) => {
    const before = (await commentsOf(issueNumber)).length;
    const response = await postForm(`/acme/shop/issues/${issueNumber}`, fields);
    expect(response.status).toBe(422);
    expect(response.text).toContain('role="alert"');
    expect(visibleText(response.text)).toContain(`Your comment was not posted. ${message}`);
    expect(response.text).toContain('aria-invalid="true"');
    expect((await commentsOf(issueNumber)).length).toBe(before);
  });

  it('a refused post keeps what the visitor typed, escaped', async () => {
    const response = await postForm(`/acme/shop/issues/${issueNumber}`, { user: '<img src=x onerror=alert(1)>', body: '</textarea><script>alert(1)</script>' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(response.text).not.toContain('<script');
    expect(response.text).not.toContain('<img');
  });

  it('a form body over 1 MiB gets 413 and creates nothing', async () => {
    const before = (await commentsOf(issueNumber)).length;
    const response = await postForm(`/acme/shop/issues/${issueNumber}`, { user: 'bob', body: 'y'.repeat(1024 * 1024 + 10) });
    expect(response.status).toBe(413);
    expect(visibleText(response.text)).toContain('The form body is over 1 MiB.');
    expect((await commentsOf(issueNumber)).length).toBe(before);
  });

  it('a post the API refuses (eve on a locked issue) shows the API error and creates nothing', async () => {
    const locked = await alice.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Heated thread' });
    await alice.rest.issues.lock({ owner: 'acme', repo: 'shop', issue_number: locked.data.number, lock_reason: 'too heated' });
    const response = await postForm(`/acme/shop/issues/${locked.data.number}`, { user: 'eve', body: 'me too' });
    expect(response.status).toBe(403);
    const seen = visibleText(response.text);
    expect(seen).toContain('The API refused the comment (HTTP 403): Unable to create comment because issue is locked.');
    expect(seen).toContain('This conversation is locked as too heated');
    expect(response.text).toContain('<option value="eve" selected>');
    expect(await commentsOf(locked.data.number)).toHaveLength(0);
  });

  it('cross-site posts and other encodings are refused', async () => {
    const before = (await commentsOf(issueNumber)).length;
    const crossSite = await postForm(`/acme/shop/issues/${issueNumber}`, { user: 'bob', body: 'csrf' }, { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const json = await page(`/acme/shop/issues/${issueNumber}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"bob","body":"x"}' });
    expect(json.status).toBe(415);
    expect((await commentsOf(issueNumber)).length).toBe(before);
    const sameOrigin = await postForm(`/acme/shop/issues/${issueNumber}`, { user: 'carol', body: 'same origin' }, { origin: sandbox.url });
    expect(sameOrigin.status).toBe(303);
    // What Chromium sends from the sandbox's own page.
    const fromPage = await postForm(`/acme/shop/issues/${issueNumber}`, { user: 'carol', body: 'from the page' }, { origin: sandbox.url, 'sec-fetch-site': 'same-origin' });
    expect(fromPage.status).toBe(303);
  });

  it('pages send their origin with their own form posts (Referrer-Policy same-origin), none to other sites', async () => {
    const response = await fetch(`${sandbox.url}/acme/shop/issues/${issueNumber}`);
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('the issue list shows open issues first with chips, author and age, and filters by state and label', async () => {
    const closed = await alice.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Old <i>outage</i>', labels: ['incident'] });
    await alice.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: closed.data.number, state: 'closed', state_reason: 'completed' });

    const all = await page('/acme/shop/issues');
    expect(all.status).toBe(200);
    const seen = visibleText(all.text);
    expect(seen).toContain(`Open Checkout <b>errors</b> & timeouts incident sev:P1 #${issueNumber} opened just now by alice · assigned to bob`);
    expect(seen).toContain(`Closed Old <i>outage</i> incident #${closed.data.number} by alice was closed just now`);
    expect(seen.indexOf('Checkout <b>errors</b>')).toBeLessThan(seen.indexOf('Old <i>outage</i>'));
    expect(seen).not.toContain('Retry payment authorization'); // PRs are not issues

    const onlyClosed = visibleText((await page('/acme/shop/issues?state=closed')).text);
    expect(onlyClosed).toContain('Old <i>outage</i>');
    expect(onlyClosed).not.toContain('Checkout <b>errors</b>');

    const bySeverity = visibleText((await page('/acme/shop/issues?label=sev%3AP1')).text);
    expect(bySeverity).toContain('Checkout <b>errors</b>');
    expect(bySeverity).not.toContain('Old <i>outage</i>');

    expect((await page('/acme/shop/issues?state=open')).text).toContain('Checkout &lt;b&gt;errors&lt;/b&gt;');
  });

  it('a bad filter is refused with the query echoed escaped', async () => {
    const response = await page('/acme/shop/issues?state=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(response.status).toBe(400);
    expect(response.text).toContain('Unknown state “&lt;script&gt;alert(1)&lt;/script&gt;”: use state=open, closed or all.');
    expect(response.text).not.toContain('<script');
  });

  it('the pull request list shows merged, open and closed PRs with merge time and author', async () => {
    const pulls = (await alice.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'all', per_page: 100 })).data;
    const merged = pulls.find((p) => p.merged_at);
    expect(merged, 'the seed has merged PRs').toBeDefined();
    const { status, text } = await page('/acme/shop/pulls');
    expect(status).toBe(200);
    const seen = visibleText(text);
    expect(seen).toMatch(new RegExp(`Merged ${escapeRegExp(merged?.title ?? '')} .*#${merged?.number} by ${merged?.user?.login} was merged \\d+ (hours?|minutes?) ago`));
    const mergedOnly = visibleText((await page('/acme/shop/pulls?state=merged')).text);
    for (const p of pulls) expect(mergedOnly.includes(`#${p.number} `)).toBe(p.merged_at !== null);
  });

  it('a pull request page shows its commits and changed files from the git data', async () => {
    const pulls = (await alice.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'all', per_page: 100 })).data;
    const pull = pulls.find((p) => p.merged_at);
    const number = pull?.number ?? 0;
    const files = (await alice.rest.pulls.listFiles({ owner: 'acme', repo: 'shop', pull_number: number })).data;
    expect(files.length).toBeGreaterThan(0);
    const { status, text } = await page(`/acme/shop/pull/${number}`);
    expect(status).toBe(200);
    const seen = visibleText(text);
    expect(seen).toContain(`Files changed ${files.length}`);
    for (const file of files) expect(seen).toContain(`${file.filename} ${file.status} +${file.additions} −${file.deletions}`);
    expect(text).toContain('<span class="state state-merged">Merged</span>');
    expect(text).toMatch(/<span class="add">\+/);
  });

  it('commenting on a pull request from its page redirects back to the pull page', async () => {
    const pull = (await alice.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'all' })).data[0];
    const response = await postForm(`/acme/shop/pull/${pull?.number}`, { user: 'alice', body: 'LGTM :shipit:' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^/acme/shop/pull/${pull?.number}#issuecomment-\\d+$`));
    expect((await commentsOf(pull?.number ?? 0)).map((c) => `${c.user?.login}: ${c.body}`)).toContain('alice: LGTM :shipit:');
  });

  it('an issue URL of a pull request redirects to the pull page, keeping the query', async () => {
    const pull = (await alice.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'all' })).data[0];
    const response = await page(`/acme/shop/issues/${pull?.number}?watch=1`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/acme/shop/pull/${pull?.number}?watch=1`);
  });

  it('watch=1 refreshes every 5 seconds and swaps the form for a link back', async () => {
    const normal = await page(`/acme/shop/issues/${issueNumber}`);
    expect(normal.text).toContain(`<a class="watch" href="/acme/shop/issues/${issueNumber}?watch=1">Watch live</a>`);
    const watching = await page(`/acme/shop/issues/${issueNumber}?watch=1`);
    expect(watching.text).toContain('<meta http-equiv="refresh" content="5">');
    expect(watching.text).not.toContain('<form');
    expect(visibleText(watching.text)).toContain('This page refreshes every 5 seconds. Stop watching to comment.');
  });

  it('unknown repositories and issues get a 404 page; unknown paths are left to the server', async () => {
    const repo = await page('/acme/<nope>');
    expect(repo.status).toBe(404);
    expect(visibleText(repo.text)).toContain('There is no repository acme/<nope> in this sandbox.');
    expect(repo.text).not.toContain('<nope>');
    const issue = await page('/acme/shop/issues/99999');
    expect(issue.status).toBe(404);
    expect(visibleText(issue.text)).toContain('acme/shop has no issue or pull request #99999.');
    expect((await page('/acme/shop/issues/abc')).status).toBe(404);
    const unknown = await page('/favicon.ico');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).not.toContain('text/html');
    const head = await page('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const method = await page('/acme/shop/issues', { method: 'DELETE' });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET, HEAD');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('web rendering', () => {
  // html-pipeline's SanitizationFilter allow-list, plus the task list's checkboxes.
  const ALLOWED_TAGS = new Set(
    'h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s strike summary details caption figure figcaption abbr bdo cite dfn mark small span time wbr input'.split(' '),
  );

  it('Markdown from any input renders only GitHub-allowed tags, no comments, styles, handlers or script URLs', () => {
    const pieces = fc.constantFrom(
      '<script>', '</p>', '<!--', '-->', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '![i](http://x/y.png)', '`', '```\n', '\n', '*', 'text', '<a href="x">',
      '&lt;', ' ', '> ', '<details open>', '<summary>', '</details>', '<sub>', '<div style="x:y">', '<a href="JaVaScRiPt:x">', '<svg><a xlink:href="javascript:x">', '<iframe src=x>',
      '<input type=text autofocus onfocus=x>', '- [ ] ', '| a |\n|---|\n', '<form action="javascript:x"><button>', '<textarea></textarea><script>', '<style>', '@bob', '#1',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 30 }), (parts) => {
        const out = renderMarkdown(parts.join(''));
        for (const m of out.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)) expect(ALLOWED_TAGS.has(m[1]?.toLowerCase() ?? ''), m[0]).toBe(true);
        expect(out).not.toContain('<!--');
        // Inside a tag only: the same characters escaped as text (`&lt;a href="javascript:x"&gt;`) are inert.
        expect(out).not.toMatch(/<[^>]*[\s:](href|src|action|cite)="\s*(javascript|vbscript|data):/i);
        expect(out).not.toMatch(/<[^>]*\s(on\w+|style)=/i);
        for (const m of out.matchAll(/<input\b[^>]*>/g)) expect(m[0]).toMatch(/^<input type="checkbox" class="task-list-item-checkbox" disabled( checked)? \/>$/);
      }),
      { numRuns: 300 },
    );
  });

  it('the vectors fixed in sanitize-html after 2.17.5 (textarea/xmp mutation XSS, SVG animation of URLs) come out inert', () => {
    for (const vector of [
      '<textarea></textarea/><img src=x onerror=alert(1)></textarea>',
      '<xmp></xmp/><img src=x onerror=alert(1)></xmp>',
      '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>',
      '<svg><a><animate attributeName="href" values="javascript:alert(1)" /><text x="20" y="20">click</text></a></svg>',
      '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    ]) {
      const out = renderMarkdown(vector);
      expect(out, vector).not.toMatch(/onerror|javascript:|<svg|<animate|<set|<textarea|<xmp/i);
    }
  });

  it('emoji come from shortcodes only: emoticons and the `:/` of a URL stay as typed, as on GitHub', () => {
    expect(renderMarkdown('ship it :tada: :)')).toBe('<p>ship it 🎉 :)</p>\n');
    expect(renderMarkdown('see https://example.com :/ 8)')).toBe('<p>see <a href="https://example.com" rel="nofollow noopener noreferrer">https://example.com</a> :/ 8)</p>\n');
  });

  it('HTML comments disappear from prose, as on GitHub, but stay visible in code', () => {
    expect(renderMarkdown('a <!-- x --> b')).toBe('<p>a  b</p>\n');
    expect(renderMarkdown('before\n<!-- multi\nline -->\nafter')).toBe('<p>before</p>\n\n<p>after</p>\n');
    expect(renderMarkdown('use `<!-- x -->` here')).toBe('<p>use <code>&lt;!-- x --&gt;</code> here</p>\n');
    expect(renderMarkdown('~~~\n<!-- kept -->\n~~~\n<!-- gone -->')).toBe('<pre><code>&lt;!-- kept --&gt;\n</code></pre>\n');
    expect(renderMarkdown('![diagram](http://example.com/d.png)')).toContain('<a href="http://example.com/d.png" rel="nofollow noopener noreferrer" class="image-link">🖼 diagram</a>');
  });

  it('label text keeps WCAG AA contrast (4.5:1) on every background colour', () => {
    const luminance = (hex: string): number => {
      const channel = (i: number): number => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
        const background = n.toString(16).padStart(6, '0');
        const [a, b] = [luminance(background), luminance(labelTextColor(background))];
        expect((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 2000 },
    );
  });

  it('html`` escapes interpolated text and passes nested html through', () => {
    const name = `<b onclick="x">'&'</b>`;
    expect(html`<p title="${name}">${name}${html`<i>ok</i>`}${[1, '<2>']}${false}${null}</p>`.value).toBe(
      `<p title="${escapeHtml(name)}">&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;<i>ok</i>1&lt;2&gt;</p>`,
    );
  });
});

describe('crossSite', () => {
  const host = '127.0.0.1:3001';
  it('trusts the browser\'s Sec-Fetch-Site: only same-origin is the sandbox\'s own page', () => {
    expect(crossSite({ host, 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:3001' })).toBe(false);
    // Under the old no-referrer policy Chromium sent Origin: null from the page itself.
    expect(crossSite({ host, 'sec-fetch-site': 'same-origin', origin: 'null' })).toBe(false);
    // Another port of 127.0.0.1 (the app, any local server) is the same site but not the same origin.
    expect(crossSite({ host, 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:3000' })).toBe(true);
    expect(crossSite({ host, 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' })).toBe(true);
    expect(crossSite({ host, 'sec-fetch-site': 'none' })).toBe(true);
  });

  it('without it, compares Origin with the host; an opaque origin is never ours; no browser headers is not a browser', () => {
    expect(crossSite({ host, origin: 'http://127.0.0.1:3001' })).toBe(false);
    expect(crossSite({ host, origin: 'http://localhost:3001' })).toBe(true);
    expect(crossSite({ host, origin: 'null' })).toBe(true);
    expect(crossSite({ host, origin: 'not a url' })).toBe(true);
    expect(crossSite({ host })).toBe(false);
  });
});
