/**
 * The patch text of one merged PR's files (`GET /repos/{owner}/{repo}/pulls/{n}/files`, one page
 * of 100): what its diff adds and removes, for matching against what an alert says. GraphQL has no
 * patches, so this is one REST request per PR; correlation asks for a few PRs only, within its budget.
 */
import { z } from 'zod';
import type { Params, RepoRef } from './types.ts';

export interface RestPullFiles {
  listFiles(params: RepoRef & { pull_number: number; per_page?: number; page?: number } & Params): Promise<{ data: unknown }>;
}

const filesSchema = z.array(z.object({ filename: z.string(), patch: z.string().nullish() }).passthrough());

/** Bound per file: GitHub itself leaves out patches of very large diffs. */
const MAX_PATCH_LENGTH = 20_000;

/** Path → patch of a PR's files (files without a patch, such as binaries, are left out). */
export async function fetchPatches(pulls: RestPullFiles, repo: string, pullNumber: number): Promise<Record<string, string>> {
  const [owner = '', name = ''] = repo.split('/');
  const { data } = await pulls.listFiles({ owner, repo: name, pull_number: pullNumber, per_page: 100 });
  const files = filesSchema.parse(data);
  return Object.fromEntries(files.flatMap((file) => (file.patch ? [[file.filename, file.patch.slice(0, MAX_PATCH_LENGTH)]] : [])));
}
