import { describe, expect, it } from 'vitest';
import { addReaction } from '../../src/adapters/github/addReaction.ts';
import { assignableUsers } from '../../src/adapters/github/assignableUsers.ts';
import { createComment } from '../../src/adapters/github/createComment.ts';
import { createLabelCache, ensureLabels } from '../../src/adapters/github/ensureLabels.ts';
import { getPermission } from '../../src/adapters/github/getPermission.ts';
import { CONTRACT_LABELS } from '../../src/domain/incident/labels.ts';

const repo = { owner: 'acme', repo: 'shop' };
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

describe('getPermission', () => {
  it('uses the real role name', async () => {
    const octokit = { rest: { repos: { getCollaboratorPermissionLevel: async () => ({ data: { permission: 'read', role_name: 'triage' } }) } } };
    expect(await getPermission(octokit, repo, 'carol')).toBe('triage');
  });

  it('fails closed on any error', async () => {
    for (const status of [404, 403, 500]) {
      const octokit = { rest: { repos: { getCollaboratorPermissionLevel: async () => { throw httpError(status); } } } };
      expect(await getPermission(octokit, repo, 'mallory')).toBe('none');
    }
  });
});

describe('addReaction', () => {
  it('reacts to the comment', async () => {
    const calls: unknown[] = [];
    await addReaction({ rest: { reactions: { createForIssueComment: async (p) => { calls.push(p); return {}; } } } }, repo, 7, 'eyes');
    expect(calls).toEqual([{ owner: 'acme', repo: 'shop', comment_id: 7, content: 'eyes' }]);
  });
});

describe('createComment', () => {
  it('keeps the marker last even when the text is cut', async () => {
    let body = '';
    const octokit = { rest: { issues: { createComment: async (p: { body: string }) => { body = p.body; return { data: { id: 1, html_url: 'u' } }; } } } };
    await createComment(octokit, repo, 3, 'x'.repeat(70_000), '<!-- firewatch:event {} -->');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.trimEnd().endsWith('<!-- firewatch:event {} -->')).toBe(true);
  });
});

describe('ensureLabels', () => {
  it('creates only the missing contract labels, once per repository', async () => {
    const created: string[] = [];
    let lists = 0;
    const octokit = {
      rest: {
        issues: {
          listLabelsForRepo: async () => { lists++; return { data: [{ name: 'bug' }, { name: 'Incident' }, { name: 'sev:P1' }] }; },
          updateLabel: async () => ({}), createLabel: async (p: { name: string }) => { created.push(p.name); return {}; },
        },
      },
    };
    const cache = createLabelCache();
    await ensureLabels(octokit, repo, { cache });
    expect(created).toEqual(CONTRACT_LABELS.map((l) => l.name).filter((n) => n !== 'incident' && n !== 'sev:P1'));
    await ensureLabels(octokit, repo, { cache });
    expect(lists).toBe(1);
    expect(created).toHaveLength(11);
  });

  it('colors a label created concurrently (422: gray by an incident issue, or by another replica) and fails on other errors', async () => {
    const updated: string[] = [];
    const octokit = (status: number) => ({ rest: { issues: { listLabelsForRepo: async () => ({ data: [] }), updateLabel: async (p: { name: string }) => { updated.push(p.name); return {}; }, createLabel: async () => { throw httpError(status); } } } });
    await expect(ensureLabels(octokit(422), repo, { cache: createLabelCache() })).resolves.toEqual([]);
    expect(updated).toEqual(CONTRACT_LABELS.map((l) => l.name));
    await expect(ensureLabels(octokit(500), repo, { cache: createLabelCache() })).rejects.toThrow('HTTP 500');
  });
});

describe('assignableUsers', () => {
  it('splits assignable and rejected logins', async () => {
    const octokit = { rest: { issues: { checkUserCanBeAssigned: async (p: { assignee: string }) => { if (p.assignee === 'ghost') throw httpError(404); return {}; } } } };
    expect(await assignableUsers(octokit, repo, ['alice', 'ghost', 'alice'])).toEqual({ assignable: ['alice'], rejected: ['ghost'] });
  });
});
