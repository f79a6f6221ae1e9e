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
import { renderErrorPage } from './web/errorPage.ts';
import { renderHomePage } from './web/homePage.ts';
import type { SafeHtml } from './web/html.ts';
import { renderIssuePage } from './web/issuePage.ts';
import { parseListQuery, renderListPage } from './web/listPages.ts';
import { actingUsers, issuePath } from './web/webSandbox.ts';

export type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

type Page =
  | { kind: 'home' }
  | { kind: 'owner'; owner: string }
  | { kind: 'list'; owner: string; repo: string; list: 'issues' | 'pulls' }
  | { kind: 'issue'; owner: string; repo: string; number: string; as: 'issues' | 'pull' };

function matchPage(segments: readonly string[]): Page | undefined {
  const [owner, repo, section, number, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (owner === undefined) return { kind: 'home' };
  if (repo === undefined) return { kind: 'owner', owner };
  if (section === undefined) return { kind: 'list', owner, repo, list: 'issues' };
  if (number === undefined) return section === 'issues' || section === 'pulls' ? { kind: 'list', owner, repo, list: section } : undefined;
  return section === 'issues' || section === 'pull' ? { kind: 'issue', owner, repo, number, as: section } : undefined;
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
    const page = matchPage(segments);
    if (!page) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    const allowed = page.kind === 'issue' ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD'];
    if (!allowed.includes(method)) {
      req.resume();
      return sendPage(req, res, 405, renderErrorPage(405, 'Method not allowed', `${method} is not supported here; use ${allowed.join(', ')}.`), { allow: allowed.join(', ') });
    }

    if (page.kind === 'home') return sendPage(req, res, 200, renderHomePage(sandbox));
    if (page.kind === 'owner') {
      const known = [...sandbox.state.repos.values()].some((r) => r.owner.toLowerCase() === page.owner.toLowerCase());
      // Unknown single segments (`/favicon.ico`) are not pages: the server answers its own 404.
      return known ? sendPage(req, res, 200, renderHomePage(sandbox, page.owner)) : false;
    }
    const repo = sandbox.state.repos.get(repoKey(page.owner, page.repo));
    if (!repo) return notFound(req, res, `There is no repository ${page.owner}/${page.repo} in this sandbox.`);
    if (page.kind === 'issue') return handleIssue(req, res, url, page, repo);

    const query = parseListQuery(page.list, url.searchParams);
    if (!query.ok) return sendPage(req, res, 400, renderErrorPage(400, 'Bad filter', query.message));
    return sendPage(req, res, 200, renderListPage(sandbox, repo, { kind: page.list, state: query.state, ...(query.label ? { label: query.label } : {}), watch: url.searchParams.get('watch') === '1' }));
  };
}
