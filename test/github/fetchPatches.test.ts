import { describe, expect, it } from 'vitest';
import { fetchPatches } from '../../src/adapters/github/fetchPatches.ts';

describe('fetchPatches', () => {
  it('asks for one page of the PR’s files and keeps the patch of each text file', async () => {
    const asked: unknown[] = [];
    const pulls = {
      listFiles: async (params: unknown) => {
        asked.push(params);
        return { data: [{ filename: 'app/ledger.py', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b' }, { filename: 'logo.png', status: 'added' }] };
      },
    };
    expect(await fetchPatches(pulls, 'acme/shop', 7)).toEqual({ 'app/ledger.py': '@@ -1 +1 @@\n-a\n+b' });
    expect(asked).toEqual([{ owner: 'acme', repo: 'shop', pull_number: 7, per_page: 100 }]);
  });

  it('refuses an answer that is not a list of files', async () => {
    await expect(fetchPatches({ listFiles: async () => ({ data: { message: 'Not Found' } }) }, 'acme/shop', 7)).rejects.toThrow();
  });
});
