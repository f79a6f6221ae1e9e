/**
 * The installations behind alerts, sweeps and acknowledgement links: a storm of alerts for one
 * repository asks GitHub which installation covers it once, not once per alert.
 */
import { describe, expect, it } from 'vitest';
import type { Probot, ProbotOctokit } from 'probot';
import { installationOctokitFor } from '../../../src/adapters/octokit/installationOctokit.ts';
import { NotInstalledError } from '../../../src/domain/errors/errors.ts';

/** A Probot whose app answers the installation lookup from `installations` (404 when absent), counting lookups. */
function fakeProbot(installations: Record<string, number>, failFirst = 0) {
  const lookups: string[] = [];
  const tokens: number[] = [];
  let failures = failFirst;
  const appOctokit = {
    async request(route: string, params: { owner: string; repo: string }) {
      expect(route).toBe('GET /repos/{owner}/{repo}/installation');
      const repo = `${params.owner}/${params.repo}`;
      lookups.push(repo);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failures > 0) {
        failures--;
        throw Object.assign(new Error('Bad Gateway'), { status: 502 });
      }
      // GitHub's owner and repository names are case-insensitive.
      const id = installations[repo.toLowerCase()];
      if (id === undefined) throw Object.assign(new Error('Not Found'), { status: 404 });
      return { data: { id } };
    },
  };
  const probot: Pick<Probot, 'auth'> = {
    auth: (async (id?: number) => {
      if (id === undefined) return appOctokit;
      tokens.push(id);
      return { installationId: id };
    }) as unknown as Probot['auth'],
  };
  return { probot, lookups, tokens };
}

describe('installationOctokitFor', () => {
  it('looks each repository up once however many alerts ask at the same time', async () => {
    const { probot, lookups, tokens } = fakeProbot({ 'acme/shop': 11, 'acme/web': 12 });
    const octokitFor = installationOctokitFor(probot, 'app');
    const repos = Array.from({ length: 60 }, (_, i) => (i % 2 ? { owner: 'acme', repo: 'shop' } : { owner: 'Acme', repo: 'Web' }));
    const octokits = (await Promise.all(repos.map((repo) => octokitFor(repo)))) as unknown as { installationId: number }[];
    expect(lookups.sort()).toEqual(['Acme/Web', 'acme/shop']);
    expect(octokits.map((octokit) => octokit.installationId)).toEqual(repos.map((repo) => (repo.repo === 'shop' ? 11 : 12)));
    expect(tokens).toHaveLength(60);
    await octokitFor({ owner: 'acme', repo: 'shop' });
    expect(lookups).toHaveLength(2);
  });

  it('asks again after a failed lookup, and after installations change', async () => {
    const { probot, lookups } = fakeProbot({ 'acme/shop': 11 }, 1);
    const octokitFor = installationOctokitFor(probot, 'app');
    await expect(octokitFor({ owner: 'acme', repo: 'shop' })).rejects.toThrow('Bad Gateway');
    expect(((await octokitFor({ owner: 'acme', repo: 'shop' })) as unknown as { installationId: number }).installationId).toBe(11);
    expect(lookups).toEqual(['acme/shop', 'acme/shop']);
    octokitFor.forget();
    await octokitFor({ owner: 'acme', repo: 'shop' });
    expect(lookups).toHaveLength(3);
  });

  it('says which repository the app is not installed on', async () => {
    const { probot } = fakeProbot({});
    const octokitFor = installationOctokitFor(probot, 'app');
    const failure = octokitFor({ owner: 'acme', repo: 'elsewhere' });
    await expect(failure).rejects.toBeInstanceOf(NotInstalledError);
    await expect(failure).rejects.toThrow('acme/elsewhere');
  });

  it('uses the token itself in token mode, with no lookup', async () => {
    const { probot, lookups } = fakeProbot({});
    const octokit = (await installationOctokitFor(probot, 'token')({ owner: 'acme', repo: 'shop' })) as ProbotOctokit;
    expect(octokit).toHaveProperty('request');
    expect(lookups).toEqual([]);
  });
});
