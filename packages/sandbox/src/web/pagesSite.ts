/**
 * GitHub Pages for the sandbox: `/{owner}.github.io/{repo}/{path}` serves the files of the
 * repository's `gh-pages` branch as Pages would (a folder's `index.html`, `404.html` for what is
 * missing, content types from the extension), and `/{owner}/{repo}/raw/{ref}/{path}` a file's
 * bytes. On github.com Pages have an origin of their own; here they share the sandbox's, so they
 * are served with a CSP `sandbox`: scripts do not run and the page cannot act for the visitor.
 */
import { extname } from 'node:path';
import { isBinary } from '../git/diff.ts';
import { readBlob, readPath, resolveRef } from '../git/objects.ts';
import type { RepoRecord } from '../store.ts';

const PAGES_BRANCH = 'gh-pages';
export const PAGES_HOST_SUFFIX = '.github.io';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/vnd.microsoft.icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Pages keep their own styles and images but run nothing and cannot post as the visitor. */
export const PAGES_HEADERS: Record<string, string> = {
  'content-security-policy': "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'self' data:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

export type StaticFile = { kind: 'file'; path: string; content: Buffer; contentType: string } | { kind: 'redirect'; location: string } | { kind: 'missing'; message: string; notFoundPage?: Buffer };

function fileAt(repo: RepoRecord, sha: string, path: string): { type: 'blob' | 'tree'; content?: Buffer } | undefined {
  const tree = repo.git.commits.get(sha)?.tree;
  const entry = tree ? readPath(repo.git, tree, path) : undefined;
  if (!entry || entry.type === 'commit') return undefined;
  return entry.type === 'blob' ? { type: 'blob', content: readBlob(repo.git, entry.sha) ?? Buffer.alloc(0) } : { type: 'tree' };
}

/** What Pages answer for `path` (decoded, without the site prefix; `''` is the site's root). */
export function pagesFile(repo: RepoRecord, path: string, sitePath: string): StaticFile {
  const sha = resolveRef(repo.git, `heads/${PAGES_BRANCH}`);
  if (!sha) return { kind: 'missing', message: `${repo.owner}/${repo.name} has no ${PAGES_BRANCH} branch, so nothing is published at ${sitePath}.` };
  const clean = path.replace(/^\/+/, '');
  const found = fileAt(repo, sha, clean);
  if (found?.type === 'tree') {
    if (clean !== '' && !path.endsWith('/')) return { kind: 'redirect', location: `${sitePath}${clean}/` };
    const index = fileAt(repo, sha, [clean.replace(/\/$/, ''), 'index.html'].filter(Boolean).join('/'));
    if (index?.content) return { kind: 'file', path: `${clean}index.html`, content: index.content, contentType: contentTypeOf('index.html') };
  } else if (found?.content) {
    return { kind: 'file', path: clean, content: found.content, contentType: contentTypeOf(clean) };
  }
  const notFound = fileAt(repo, sha, '404.html')?.content;
  return { kind: 'missing', message: `There is no ${clean || 'index.html'} on ${repo.owner}/${repo.name}'s ${PAGES_BRANCH} branch.`, ...(notFound ? { notFoundPage: notFound } : {}) };
}

/** A file's bytes at a commit, as `raw.githubusercontent.com` serves them: text as plain text, never as a page. */
export function rawFile(repo: RepoRecord, sha: string, path: string): StaticFile {
  const found = fileAt(repo, sha, path);
  if (!found?.content) return { kind: 'missing', message: `${repo.owner}/${repo.name} has no file ${path} there.` };
  return { kind: 'file', path, content: found.content, contentType: isBinary(found.content) ? 'application/octet-stream' : 'text/plain; charset=utf-8' };
}
