/**
 * The contents API: read a file or directory at a ref, and create, update or delete a file with a
 * commit on the branch (optimistic concurrency through the blob `sha`, 409 on a stale one), which
 * pushes the branch like any other commit.
 */
import { z } from 'zod';
import { actingUser, requireRepo } from '../auth.ts';
import { HttpError, type Router } from '../router.ts';
import { fullName, timestamp } from '../shapes.ts';
import type { RepoRecord, SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { commitChanges, moveRef, type FileChange } from '../git/branches.ts';
import { branchHead } from '../git/refs.ts';
import { gitCommitJson } from '../git/commit-json.ts';
import { readBlob, readPath, resolveRef, type PathEntry } from '../git/objects.ts';
import { trimSlashes } from '../trimSlashes.ts';

type Json = Record<string, unknown>;

const person = z.object({ name: z.string().min(1), email: z.string().min(1), date: z.string().optional() });
const putSchema = z.object({
  message: z.string().min(1),
  content: z.string().refine((c) => /^[A-Za-z0-9+/=\s]*$/.test(c), 'content is not valid Base64'),
  sha: z.string().optional(),
  branch: z.string().min(1).optional(),
  committer: person.optional(),
  author: person.optional(),
});
const deleteSchema = z.object({
  message: z.string().min(1),
  sha: z.string().min(1),
  branch: z.string().min(1).optional(),
  committer: person.optional(),
  author: person.optional(),
});

function cleanPath(raw: string | undefined): string {
  return trimSlashes(raw ?? '');
}

function base64Lines(content: Buffer): string {
  return `${(content.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;
}

function kindOf(entry: PathEntry): 'file' | 'dir' | 'submodule' | 'symlink' {
  if (entry.type === 'tree') return 'dir';
  if (entry.type === 'commit') return 'submodule';
  return entry.mode === '120000' ? 'symlink' : 'file';
}

function entryJson(sandbox: SandboxApi, repo: RepoRecord, ref: string, path: string, entry: PathEntry): Json {
  const name = fullName(repo);
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  const kind = kindOf(entry);
  const url = `${sandbox.apiUrl}/repos/${name}/contents/${encodedPath}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = kind === 'submodule' ? null : `${sandbox.apiUrl}/repos/${name}/git/${kind === 'dir' ? 'trees' : 'blobs'}/${entry.sha}`;
  const htmlUrl = kind === 'submodule' ? null : `${sandbox.url}/${name}/${kind === 'dir' ? 'tree' : 'blob'}/${ref}/${encodedPath}`;
  return {
    type: kind,
    size: entry.type === 'blob' ? (readBlob(repo.git, entry.sha)?.length ?? 0) : 0,
    name: path.split('/').pop() ?? path,
    path,
    sha: entry.sha,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: kind === 'file' || kind === 'symlink' ? `${sandbox.url}/${name}/raw/${ref}/${encodedPath}` : null,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

function signature(given: z.infer<typeof person> | undefined, now: string): { name: string; email: string; date: string } | undefined {
  if (!given) return undefined;
  return { name: given.name, email: given.email, date: given.date ?? now };
}

function fileCommitJson(sandbox: SandboxApi, repo: RepoRecord, branch: string, path: string, commitSha: string): Json {
  const commit = repo.git.commits.get(commitSha);
  if (!commit) throw new Error(`commit ${commitSha} vanished`);
  const entry = readPath(repo.git, commit.tree, path);
  return { content: entry ? entryJson(sandbox, repo, branch, path, entry) : null, commit: gitCommitJson(sandbox, repo, commit) };
}

function writeFile(sandbox: SandboxApi, repo: RepoRecord, sender: SandboxUser, branch: string, change: FileChange, input: { message: string; author?: z.infer<typeof person>; committer?: z.infer<typeof person> }): string {
  const head = branchHead(repo, branch);
  if (!head) throw new HttpError(404, `Branch ${branch} not found`);
  const now = timestamp(sandbox.now());
  const author = signature(input.author, now);
  const committer = signature(input.committer, now);
  const commit = commitChanges(repo.git, {
    parent: head,
    changes: [change],
    message: input.message,
    author: author ? { ...sender, name: author.name, email: author.email } : sender,
    date: author?.date ?? now,
    ...(committer ? { committer } : {}),
  });
  moveRef(sandbox, repo, `heads/${branch}`, commit.sha, sender);
  return commit.sha;
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/contents/{path}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const ref = request.query.get('ref') ?? repo.default_branch;
      const commitSha = resolveRef(repo.git, ref);
      if (!commitSha) throw new HttpError(404, `No commit found for the ref ${ref}`);
      const path = cleanPath(request.params['path']);
      const tree = repo.git.commits.get(commitSha)?.tree ?? '';
      const entry = readPath(repo.git, tree, path);
      if (!entry) throw new HttpError(404, 'Not Found');
      if (entry.type === 'tree') {
        const children = repo.git.trees.get(entry.sha)?.entries ?? [];
        return { status: 200, body: children.map((child) => entryJson(sandbox, repo, ref, path ? `${path}/${child.path}` : child.path, { type: child.type, mode: child.mode, sha: child.sha })) };
      }
      const json = entryJson(sandbox, repo, ref, path, entry);
      if (json['type'] === 'submodule') return { status: 200, body: { ...json, submodule_git_url: '' } };
      const content = readBlob(repo.git, entry.sha) ?? Buffer.alloc(0);
      if (json['type'] === 'symlink') return { status: 200, body: { ...json, target: content.toString('utf8') } };
      // `Accept: application/vnd.github.raw` (Probot's context.config() asks so) gets the file itself.
      const accept = String(request.headers['accept'] ?? '');
      if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
        return { status: 200, body: content.toString('utf8'), headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
      }
      return { status: 200, body: { ...json, content: base64Lines(content), encoding: 'base64' } };
    },
    { auth: 'optional' },
  );

  router.add(
    'PUT',
    '/repos/{owner}/{repo}/contents/{path}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const input = parseBody(putSchema, request.body, 'Content');
      const path = cleanPath(request.params['path']);
      const branch = input.branch ?? repo.default_branch;
      const head = branchHead(repo, branch);
      if (!head) throw new HttpError(404, `Branch ${branch} not found`);
      const existing = readPath(repo.git, repo.git.commits.get(head)?.tree ?? '', path);
      if (existing?.type === 'tree') throw new HttpError(422, `${path} is a directory`);
      if (existing && input.sha === undefined) throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
      if (existing && input.sha !== existing.sha) throw new HttpError(409, `${path} does not match ${input.sha ?? ''}`);
      const sha = writeFile(sandbox, repo, sender, branch, { path, content: Buffer.from(input.content, 'base64') }, input);
      return { status: existing ? 200 : 201, body: fileCommitJson(sandbox, repo, branch, path, sha) };
    },
    { contentCreating: true },
  );

  router.add(
    'DELETE',
    '/repos/{owner}/{repo}/contents/{path}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const input = parseBody(deleteSchema, request.body, 'Content');
      const path = cleanPath(request.params['path']);
      const branch = input.branch ?? repo.default_branch;
      const head = branchHead(repo, branch);
      if (!head) throw new HttpError(404, `Branch ${branch} not found`);
      const existing = readPath(repo.git, repo.git.commits.get(head)?.tree ?? '', path);
      if (!existing || existing.type === 'tree') throw new HttpError(404, 'Not Found');
      if (input.sha !== existing.sha) throw new HttpError(409, `${path} does not match ${input.sha}`);
      const sha = writeFile(sandbox, repo, sender, branch, { path, deleted: true }, input);
      return { status: 200, body: fileCommitJson(sandbox, repo, branch, path, sha) };
    },
    { contentCreating: true },
  );
}
