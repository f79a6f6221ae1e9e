/**
 * The sandbox's small web UI: server-rendered pages for watching firewatch work (repositories,
 * issues, pull requests, conversations) and a form to comment as any seeded user. The form goes
 * through the sandbox's own REST API over HTTP, so a comment posted here meets the same auth,
 * permission checks and webhooks as one posted with curl or Octokit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { IssueRecord, RepoRecord } from './store.ts';
import { repoKey } from './store.ts';
import type { SandboxApi } from './types.ts';
import { readFormBody, validateCommentForm, type CommentFormValues, type FormError } from './web/commentForm.ts';
import { locate, renderBlobPage, renderCommitPage, renderCommitsPage, renderEmptyRepoPage, renderTreePage, type CodePage } from './web/codePages.ts';
import { renderDeploymentsPage } from './web/deploymentsPage.ts';
import { renderErrorPage } from './web/errorPage.ts';
import { renderHomePage } from './web/homePage.ts';
import type { SafeHtml } from './web/html.ts';
import { renderInboxPage } from './web/inboxPage.ts';
import { renderIssuePage } from './web/issuePage.ts';
import { parseListQuery, renderListPage } from './web/listPages.ts';
import { PAGES_HEADERS, PAGES_HOST_SUFFIX, pagesFile, rawFile, type StaticFile } from './web/pagesSite.ts';
import { renderUserPage } from './web/userPage.ts';
import { actingUsers, issuePath } from './web/webSandbox.ts';

export type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

type RepoPage =
  | { kind: 'code' }
  | { kind: 'list'; list: 'issues' | 'pulls' }
  | { kind: 'issue'; number: string; as: 'issues' | 'pull' }
  | { kind: 'git'; view: 'tree' | 'blob' | 'raw' | 'commits'; rest: string[] }
  | { kind: 'commit'; sha: string }
  | { kind: 'deployments' };

type Page =
  | { kind: 'home' }
  | { kind: 'inbox' }
  | { kind: 'owner'; owner: string }
  | { kind: 'pages'; owner: string; repo: string; path: string }
  | ({ owner: string; repo: string } & RepoPage);

const GIT_VIEWS = new Set(['tree', 'blob', 'raw', 'commits']);

function matchRepoPage(section: string | undefined, rest: readonly string[]): RepoPage | undefined {
  if (section === undefined) return { kind: 'code' };
  if (GIT_VIEWS.has(section)) return rest.length > 0 ? { kind: 'git', view: section as 'tree' | 'blob' | 'raw' | 'commits', rest: [...rest] } : undefined;
  const [first, ...more] = rest;
  if (section === 'commit') return first !== undefined && more.length === 0 ? { kind: 'commit', sha: first } : undefined;
  if (section === 'deployments') return first === undefined ? { kind: 'deployments' } : undefined;
  if (section === 'issues' || section === 'pulls') return first === undefined ? { kind: 'list', list: section } : section === 'issues' && more.length === 0 ? { kind: 'issue', number: first, as: 'issues' } : undefined;
  if (section === 'pull') return first !== undefined && more.length === 0 ? { kind: 'issue', number: first, as: 'pull' } : undefined;
  return undefined;
}

function matchPage(segments: readonly string[], trailingSlash: boolean): Page | undefined {
  const [owner, repo, section, ...rest] = segments;
  if (owner === undefined) return { kind: 'home' };
  if (owner === 'notifications' && repo === undefined) return { kind: 'inbox' };
  if (owner.toLowerCase().endsWith(PAGES_HOST_SUFFIX)) {
    const login = owner.slice(0, -PAGES_HOST_SUFFIX.length);
    // `/{owner}.github.io/` alone is the user or organization site: the repository named so.
    if (repo === undefined) return { kind: 'pages', owner: login, repo: owner, path: '' };
    return { kind: 'pages', owner: login, repo, path: [section, ...rest].filter((s) => s !== undefined).join('/') + (trailingSlash && section !== undefined ? '/' : '') };
  }
  if (repo === undefined) return { kind: 'owner', owner };
  const page = matchRepoPage(section, rest);
  return page ? { owner, repo, ...page } : undefined;
}

/** Decoded path segments; undefined for a malformed percent-encoding. */
function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

// Pages carry user text; even if escaping ever failed, no script could run.
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  // Not `no-referrer`: under it a browser sends `Origin: null` with the page's own form posts, which
  // cannot be told from a post by a sandboxed frame elsewhere. Nothing is sent to other origins.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

function sendPage(req: IncomingMessage, res: ServerResponse, status: number, page: SafeHtml, headers: Record<string, string> = {}): true {
  const text = page.value;
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(req.method === 'HEAD' ? undefined : text);
  return true;
}

/** Files (Pages, raw) go out as they are, under `headers` (a CSP sandbox): never wrapped in a page. */
function sendStatic(req: IncomingMessage, res: ServerResponse, file: StaticFile, headers: Record<string, string>): true {
  if (file.kind === 'redirect') return redirect(res, 302, file.location);
  if (file.kind === 'missing') {
    const body = file.notFoundPage ?? Buffer.from(`${file.message}\n`);
    res.writeHead(404, { ...headers, 'content-type': file.notFoundPage ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  res.writeHead(200, { ...headers, 'content-type': file.contentType, 'content-length': String(file.content.length) });
  res.end(req.method === 'HEAD' ? undefined : file.content);
  return true;
}

function redirect(res: ServerResponse, status: 302 | 303, location: string): true {
  res.writeHead(status, { ...SECURITY_HEADERS, location, 'content-length': '0' }).end();
  return true;
}

/**
 * Form posts from anywhere but the sandbox's own pages are refused: a page elsewhere must not
 * comment as bob through a visitor's browser. A browser says where a post comes from with
 * `Sec-Fetch-Site` (which no page can set; only `same-origin` is ours: another port of 127.0.0.1 is
 * `same-site`) or, where it does not send that, `Origin` (`null` is an opaque origin, never ours).
 * Requests with neither do not come from a browser (curl, scripts), so no visitor can be abused.
 */
export function crossSite(headers: IncomingMessage['headers']): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin';
  const origin = headers.origin;
  if (origin === undefined) return false;
  try {
    return origin === 'null' || new URL(origin).host !== headers.host;
  } catch {
    return true;
  }
}

const createdComment = z.object({ id: z.number().int() });
const apiError = z.object({ message: z.string(), errors: z.array(z.object({ message: z.string().optional(), field: z.string().optional(), code: z.string().optional() })).optional() });

type PostResult = { ok: true; commentId: number } | { ok: false; status: number; message: string };

async function postComment(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord, token: string, body: string): Promise<PostResult> {
  const url = `${sandbox.apiUrl}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/issues/${issue.number}/comments`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/vnd.github+json', 'user-agent': 'firewatch-sandbox-web' },
      body: JSON.stringify({ body }),
    });
  } catch (error) {
    return { ok: false, status: 502, message: `The sandbox API at ${sandbox.apiUrl} could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (response.status === 201) {
    const parsed = createdComment.safeParse(json);
    if (parsed.success) return { ok: true, commentId: parsed.data.id };
    return { ok: false, status: 502, message: 'The sandbox API created the comment but answered without its id.' };
  }
  const parsed = apiError.safeParse(json);
  const details = parsed.success ? [parsed.data.message, ...(parsed.data.errors ?? []).map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(' '))].filter(Boolean).join(': ') : 'no details';
  // API refusals (401/403/404/410/422) are the visitor's to fix; anything else is ours.
  const status = response.status >= 400 && response.status < 500 ? response.status : 502;
  return { ok: false, status, message: `The API refused the comment (HTTP ${response.status}): ${details}.` };
}

export function registerWeb(sandbox: SandboxApi): WebHandler {
  const notFound = (req: IncomingMessage, res: ServerResponse, message: string): true => sendPage(req, res, 404, renderErrorPage(404, 'Not found', message));
  const sendCodePage = (req: IncomingMessage, res: ServerResponse, page: CodePage): true => {
    if (page.ok === 'redirect') return redirect(res, 302, page.location);
    if (!page.ok) return notFound(req, res, page.message);
    return sendPage(req, res, 200, page.page);
  };

  async function handleIssue(req: IncomingMessage, res: ServerResponse, url: URL, page: Extract<Page, { kind: 'issue' }>, repo: RepoRecord): Promise<boolean> {
    const issue = /^[1-9]\d{0,9}$/.test(page.number) ? repo.issues.get(Number(page.number)) : undefined;
    if (!issue) return notFound(req, res, `${repo.owner}/${repo.name} has no issue or pull request #${page.number}.`);
    const path = issuePath(repo, issue);
    const watch = url.searchParams.get('watch') === '1';
    if (req.method !== 'POST') {
      if ((page.as === 'pull') !== issue.isPullRequest) return redirect(res, 302, `${path}${url.search}`);
      return sendPage(req, res, 200, renderIssuePage(sandbox, repo, issue, { watch }));
    }

    const refuse = (status: number, values: CommentFormValues, errors: FormError[]): true =>
      sendPage(req, res, status, renderIssuePage(sandbox, repo, issue, { form: { values, errors } }));
    if (crossSite(req.headers)) {
      req.resume();
      return sendPage(req, res, 403, renderErrorPage(403, 'Cross-site post refused', 'Comments can only be posted from the sandbox\u2019s own pages.'));
    }
    const form = await readFormBody(req);
    if (form.kind === 'too-large') return sendPage(req, res, 413, renderErrorPage(413, 'Comment too large', 'The form body is over 1 MiB. Comments are limited to 65,536 characters.'), { connection: 'close' });
    if (form.kind === 'unsupported') {
      return sendPage(req, res, 415, renderErrorPage(415, 'Unsupported form encoding', `Expected application/x-www-form-urlencoded, got ${form.contentType || 'no content type'}.`));
    }
    const result = validateCommentForm(form.fields, actingUsers(sandbox.state));
    if (!result.ok) return refuse(422, result.values, result.errors);
    const values = { user: result.user.login, body: result.body };
    if (!result.user.token) return refuse(422, values, [{ field: 'user', message: `${result.user.login} has no token to act with.` }]);
    const posted = await postComment(sandbox, repo, issue, result.user.token, result.body);
    if (!posted.ok) return refuse(posted.status, values, [{ field: 'form', message: posted.message }]);
    return redirect(res, 303, `${path}#issuecomment-${posted.commentId}`);
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const segments = pathSegments(url.pathname);
    if (!segments) return sendPage(req, res, 400, renderErrorPage(400, 'Bad request', 'The address is not valid percent-encoding.'));
    const page = matchPage(segments, url.pathname.endsWith('/'));
    if (!page) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    const allowed = page.kind === 'issue' ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD'];
    if (!allowed.includes(method)) {
      req.resume();
      return sendPage(req, res, 405, renderErrorPage(405, 'Method not allowed', `${method} is not supported here; use ${allowed.join(', ')}.`), { allow: allowed.join(', ') });
    }

    if (page.kind === 'home') return sendPage(req, res, 200, renderHomePage(sandbox));
    if (page.kind === 'inbox') return sendPage(req, res, 200, renderInboxPage(sandbox));
    if (page.kind === 'owner') {
      const known = [...sandbox.state.repos.values()].some((r) => r.owner.toLowerCase() === page.owner.toLowerCase());
      if (known) return sendPage(req, res, 200, renderHomePage(sandbox, page.owner));
      const user = [...sandbox.state.users.values()].find((u) => u.login.toLowerCase() === page.owner.toLowerCase());
      // Unknown single segments (`/favicon.ico`) are not pages: the server answers its own 404.
      return user ? sendPage(req, res, 200, renderUserPage(sandbox, user)) : false;
    }
    const repo = sandbox.state.repos.get(repoKey(page.owner, page.repo));
    if (page.kind === 'pages') {
      const sitePath = `/${encodeURIComponent(page.owner)}${PAGES_HOST_SUFFIX}/${page.repo === `${page.owner}${PAGES_HOST_SUFFIX}` ? '' : `${encodeURIComponent(page.repo)}/`}`;
      if (!repo || repo.private) return sendStatic(req, res, { kind: 'missing', message: `There is no GitHub Pages site here: ${page.owner}/${page.repo} is not a public repository in this sandbox.` }, PAGES_HEADERS);
      if (page.path === '' && !url.pathname.endsWith('/')) return redirect(res, 302, sitePath);
      return sendStatic(req, res, pagesFile(repo, page.path, sitePath), PAGES_HEADERS);
    }
    if (!repo) return notFound(req, res, `There is no repository ${page.owner}/${page.repo} in this sandbox.`);
    switch (page.kind) {
      case 'issue':
        return handleIssue(req, res, url, page, repo);
      case 'list': {
        const query = parseListQuery(page.list, url.searchParams);
        if (!query.ok) return sendPage(req, res, 400, renderErrorPage(400, 'Bad filter', query.message));
        return sendPage(req, res, 200, renderListPage(sandbox, repo, { kind: page.list, state: query.state, ...(query.label ? { label: query.label } : {}), watch: url.searchParams.get('watch') === '1' }));
      }
      case 'deployments':
        return sendPage(req, res, 200, renderDeploymentsPage(sandbox, repo));
      case 'commit':
        return sendCodePage(req, res, renderCommitPage(sandbox, repo, page.sha));
      case 'code': {
        const location = locate(repo, [repo.default_branch]);
        if (!location) return sendPage(req, res, 200, renderEmptyRepoPage(repo));
        return sendCodePage(req, res, renderTreePage(sandbox, repo, location));
      }
      case 'git': {
        const location = locate(repo, page.rest);
        if (!location) return notFound(req, res, `${repo.owner}/${repo.name} has no branch, tag or commit ${page.rest.join('/')}.`);
        if (page.view === 'raw') return sendStatic(req, res, rawFile(repo, location.sha, location.path), PAGES_HEADERS);
        if (page.view === 'commits') return sendPage(req, res, 200, renderCommitsPage(sandbox, repo, location));
        if (page.view === 'tree') return sendCodePage(req, res, renderTreePage(sandbox, repo, location));
        return sendCodePage(req, res, renderBlobPage(sandbox, repo, location, url.searchParams.get('plain') === '1'));
      }
    }
  };
}
