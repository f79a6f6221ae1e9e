/**
 * The git data API: refs, commits, trees and blobs, content-addressed like git itself. Moving a
 * branch through refs emits `create`/`push`/`delete` as a `git push` would.
 */
import { z } from 'zod';
import { actingUser, requireRepo } from '../auth.ts';
import { HttpError, type Router } from '../router.ts';
import { fullName, timestamp } from '../shapes.ts';
import type { GitData, RepoRecord, TreeEntry } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { moveRef, signatureOf } from '../git/branches.ts';
import { gitCommitJson } from '../git/commit-json.ts';
import { nodeId } from '../git/node-id.ts';
import { buildTree, flattenTree, isAncestor, objectType, readBlob, resolveRef, writeBlob, writeCommit, type FileMap } from '../git/objects.ts';
import { trimSlashes } from '../trimSlashes.ts';

type Json = Record<string, unknown>;

const sha = z.string().regex(/^[0-9a-f]{40}$/i, 'must be a 40-character SHA').transform((s) => s.toLowerCase());
const person = z.object({ name: z.string().min(1), email: z.string().min(1), date: z.string().datetime({ offset: true }).optional() });

const createRefSchema = z.object({ ref: z.string().min(1), sha, key: z.string().optional() });
const updateRefSchema = z.object({ sha, force: z.boolean().optional() });
const createCommitSchema = z.object({
  message: z.string(),
  tree: sha,
  parents: z.array(sha).default([]),
  author: person.optional(),
  committer: person.optional(),
  signature: z.string().optional(),
});
const treeItem = z.object({
  path: z.string().min(1),
  mode: z.enum(['100644', '100755', '040000', '160000', '120000']),
  type: z.enum(['blob', 'tree', 'commit']),
  sha: sha.nullish(),
  content: z.string().optional(),
});
const createTreeSchema = z.object({ tree: z.array(treeItem), base_tree: sha.optional() });
const createBlobSchema = z.object({ content: z.string(), encoding: z.enum(['utf-8', 'utf8', 'base64']).default('utf-8') });

function refJson(sandbox: SandboxApi, repo: RepoRecord, ref: string, target: string): Json {
  const api = `${sandbox.apiUrl}/repos/${fullName(repo)}/git`;
  const type = objectType(repo.git, target) ?? 'commit';
  return { ref: `refs/${ref}`, node_id: nodeId('REF', `${fullName(repo)}:${ref}`), url: `${api}/refs/${ref}`, object: { type, sha: target, url: `${api}/${type}s/${target}` } };
}

function treeJson(sandbox: SandboxApi, repo: RepoRecord, treeSha: string, recursive: boolean): Json {
  const api = `${sandbox.apiUrl}/repos/${fullName(repo)}/git`;
  const entries: Json[] = [];
  const walk = (sha: string, prefix: string): void => {
    for (const entry of repo.git.trees.get(sha)?.entries ?? []) {
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      const size = entry.type === 'blob' ? readBlob(repo.git, entry.sha)?.length : undefined;
      entries.push({
        path,
        mode: entry.mode,
        type: entry.type,
        sha: entry.sha,
        ...(size !== undefined ? { size } : {}),
        ...(entry.type !== 'commit' ? { url: `${api}/${entry.type}s/${entry.sha}` } : {}),
      });
      if (recursive && entry.type === 'tree') walk(entry.sha, path);
    }
  };
  walk(treeSha, '');
  return { sha: treeSha, url: `${api}/trees/${treeSha}`, tree: entries, truncated: false };
}

function refName(raw: string | undefined): string {
  return (raw ?? '').replace(/^refs\//, '');
}

/** Applies `POST /git/trees` items (nested paths, `sha: null` deletes) onto a base tree. */
function applyTreeItems(git: GitData, base: string | undefined, items: z.infer<typeof treeItem>[]): string {
  const files: FileMap = base ? flattenTree(git, base) : new Map();
  for (const item of items) {
    const path = trimSlashes(item.path);
    if (item.sha === null) {
      for (const key of [...files.keys()]) if (key === path || key.startsWith(`${path}/`)) files.delete(key);
      continue;
    }
    if (item.type === 'tree') {
      if (!item.sha || !git.trees.has(item.sha)) throw new HttpError(422, 'Invalid tree info', [{ resource: 'Tree', field: 'sha', code: 'invalid' }]);
      for (const key of [...files.keys()]) if (key === path || key.startsWith(`${path}/`)) files.delete(key);
      for (const [sub, entry] of flattenTree(git, item.sha)) files.set(`${path}/${sub}`, entry);
      continue;
    }
    let blob: string;
    if (item.content !== undefined) blob = writeBlob(git, item.content);
    else if (item.sha && (item.type === 'commit' || git.blobs.has(item.sha))) blob = item.sha;
    else throw new HttpError(422, `tree.sha ${item.sha ?? ''} is not a valid blob`);
    files.set(path, { mode: item.mode as TreeEntry['mode'], sha: blob });
  }
  return buildTree(git, files);
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/git/ref/{ref}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const ref = refName(request.params['ref']);
      const target = repo.git.refs.get(ref);
      if (!target) throw new HttpError(404, 'Not Found');
      return { status: 200, body: refJson(sandbox, repo, ref, target) };
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const prefix = refName(request.params['ref']);
      const refs = [...repo.git.refs].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
      return { status: 200, body: refs.map(([name, target]) => refJson(sandbox, repo, name, target)) };
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/git/refs',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const input = parseBody(createRefSchema, request.body, 'Reference');
      if (!/^refs\/[^/]+\/.+/.test(input.ref)) throw new HttpError(422, "Reference name must start with 'refs' and have at least two slashes.");
      const ref = refName(input.ref);
      if (repo.git.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
      if (!repo.git.commits.has(input.sha)) throw new HttpError(422, 'Object does not exist');
      moveRef(sandbox, repo, ref, input.sha, sender);
      return { status: 201, body: refJson(sandbox, repo, ref, input.sha), headers: { location: `${sandbox.apiUrl}/repos/${fullName(repo)}/git/refs/${ref}` } };
    },
    { contentCreating: true },
  );

  router.add('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', (request) => {
    const { repo } = requireRepo(sandbox, request, 'write');
    const sender = actingUser(request);
    const ref = refName(request.params['ref']);
    const input = parseBody(updateRefSchema, request.body, 'Reference');
    const current = repo.git.refs.get(ref);
    if (!current) throw new HttpError(422, 'Reference does not exist');
    if (!repo.git.commits.has(input.sha)) throw new HttpError(422, 'Object does not exist');
    if (!input.force && !isAncestor(repo.git, current, input.sha)) throw new HttpError(422, 'Update is not a fast forward');
    moveRef(sandbox, repo, ref, input.sha, sender);
    return { status: 200, body: refJson(sandbox, repo, ref, input.sha) };
  });

  router.add('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', (request) => {
    const { repo } = requireRepo(sandbox, request, 'write');
    const sender = actingUser(request);
    const ref = refName(request.params['ref']);
    if (!repo.git.refs.has(ref)) throw new HttpError(422, 'Reference does not exist');
    if (ref === `heads/${repo.default_branch}`) throw new HttpError(422, 'Cannot delete the default branch');
    moveRef(sandbox, repo, ref, null, sender);
    return { status: 204 };
  });

  router.add(
    'GET',
    '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const commit = repo.git.commits.get((request.params['commit_sha'] ?? '').toLowerCase());
      if (!commit) throw new HttpError(404, 'Not Found');
      return { status: 200, body: gitCommitJson(sandbox, repo, commit) };
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/git/commits',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const input = parseBody(createCommitSchema, request.body, 'Commit');
      if (!repo.git.trees.has(input.tree)) throw new HttpError(422, 'Tree SHA does not exist');
      for (const parent of input.parents) if (!repo.git.commits.has(parent)) throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
      const now = timestamp(sandbox.now());
      const author = input.author ? { name: input.author.name, email: input.author.email, date: input.author.date ?? now } : signatureOf(sender, now);
      const committer = input.committer ? { name: input.committer.name, email: input.committer.email, date: input.committer.date ?? author.date } : { ...author };
      const commit = writeCommit(repo.git, { tree: input.tree, parents: input.parents, message: input.message, author, committer, authorLogin: sender.login });
      return { status: 201, body: gitCommitJson(sandbox, repo, commit), headers: { location: `${sandbox.apiUrl}/repos/${fullName(repo)}/git/commits/${commit.sha}` } };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const param = request.params['tree_sha'] ?? '';
      const tree = repo.git.trees.has(param.toLowerCase()) ? param.toLowerCase() : repo.git.commits.get(resolveRef(repo.git, param) ?? '')?.tree;
      if (!tree) throw new HttpError(404, 'Not Found');
      const recursive = request.query.has('recursive') && !['0', 'false'].includes(request.query.get('recursive') ?? '');
      return { status: 200, body: treeJson(sandbox, repo, tree, recursive) };
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/git/trees',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      actingUser(request);
      const input = parseBody(createTreeSchema, request.body, 'Tree');
      if (input.base_tree && !repo.git.trees.has(input.base_tree)) throw new HttpError(422, 'base_tree is not a valid tree oid');
      const tree = applyTreeItems(repo.git, input.base_tree, input.tree);
      return { status: 201, body: treeJson(sandbox, repo, tree, false), headers: { location: `${sandbox.apiUrl}/repos/${fullName(repo)}/git/trees/${tree}` } };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const blobSha = (request.params['file_sha'] ?? '').toLowerCase();
      const content = readBlob(repo.git, blobSha);
      if (!content) throw new HttpError(404, 'Not Found');
      return {
        status: 200,
        body: {
          sha: blobSha,
          node_id: nodeId('B', blobSha),
          size: content.length,
          url: `${sandbox.apiUrl}/repos/${fullName(repo)}/git/blobs/${blobSha}`,
          // GitHub wraps base64 at 60 characters, as `base64` the tool does.
          content: `${(content.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`,
          encoding: 'base64',
        },
      };
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/git/blobs',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      actingUser(request);
      const input = parseBody(createBlobSchema, request.body, 'Blob');
      const content = input.encoding === 'base64' ? Buffer.from(input.content, 'base64') : Buffer.from(input.content, 'utf8');
      const blob = writeBlob(repo.git, content);
      const url = `${sandbox.apiUrl}/repos/${fullName(repo)}/git/blobs/${blob}`;
      return { status: 201, body: { url, sha: blob }, headers: { location: url } };
    },
    { contentCreating: true },
  );
}
