import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../../src/domain/config/config.ts';
import { renderStateBlock } from '../../src/domain/incident/incidentState.ts';
import { renderSuspectsBlock } from '../../src/domain/correlation/suspectsView.ts';
import { draftPostmortem, draftReply, mergedPostmortemOf } from '../../src/features/postmortem/postmortem.ts';
import { renderHiddenJson } from '../../src/domain/text/hiddenJson.ts';
import { isPostmortemOctokit, type PostmortemOctokit } from '../../src/adapters/github/postmortemApi.ts';
import { hostileState } from '../domain/postmortem/hostileIncident.ts';
import { FIREWATCH } from '../support/identity.ts';

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Only the incident issue exists; every call into the post_mortems repository fails with `status`. */
function fakeOctokit(status: number, files: Record<string, string> = {}, comments: { body: string; user?: { login: string; type: string } }[] = []): { octokit: PostmortemOctokit; calls: string[] } {
  const calls: string[] = [];
  const fail = (name: string) => async () => {
    calls.push(name);
    throw new HttpError(status);
  };
  const octokit: PostmortemOctokit = {
    rest: {
      repos: {
        get: fail('repos.get'),
        getContent: async (params) => {
          calls.push(`repos.getContent ${params.repo}/${params.path}`);
          const text = files[`${params.owner}/${params.repo}/${params.path}`];
          if (text === undefined) throw new HttpError(404);
          return { data: { type: 'file', sha: 'abc', encoding: 'base64', content: Buffer.from(text).toString('base64') } };
        },
        createOrUpdateFileContents: fail('repos.createOrUpdateFileContents'),
      },
      git: { getRef: fail('git.getRef'), createRef: fail('git.createRef'), updateRef: fail('git.updateRef') },
      pulls: { list: fail('pulls.list'), create: fail('pulls.create'), update: fail('pulls.update'), get: fail('pulls.get') },
      issues: {
        addLabels: fail('issues.addLabels'),
        listComments: async () => ({ data: comments.map((comment, index) => ({ id: index + 1, html_url: "", created_at: "2026-03-02T10:00:00Z", ...comment })) }),
        get: async () => ({ data: { number: 12, title: '[P2] checkout: errors after bob-smith deploy', body: `summary\n\n${renderStateBlock(hostileState())}`, html_url: 'https://github.com/acme/shop/issues/12', labels: ['incident'] } }),
      },
    },
    graphql: fail('graphql'),
  };
  return { octokit, calls };
}

const incident = { owner: 'acme', repo: 'shop', number: 12 };
const BOT = { login: 'firewatch[bot]', type: 'Bot' };
const identity = FIREWATCH;
const now = new Date('2026-01-14T12:00:00Z');

describe('draftPostmortem refusals', () => {
  it('says what to create when the post_mortems repository is missing, and keeps the draft in a collapsed block', async () => {
    const { octokit, calls } = fakeOctokit(404);
    const result = await draftPostmortem(octokit, { incident, config: DEFAULT_CONFIG, now, identity });
    expect(result).toMatchObject({ ok: false, reason: 'no-repo' });
    expect(calls).not.toContain('pulls.create');
    const reply = draftReply(result);
    expect(reply).toContain('⚠️ Cannot draft the postmortem: the repository acme/post\\_mortems does not exist');
    expect(reply).toContain('Create it');
    expect(reply).toMatch(/<details><summary>The draft \(copy it into the repository by hand\)<\/summary>\n\n````markdown\n---\ntitle: /);
    expect(reply).toContain('## Timeline');
    expect(reply.toLowerCase()).not.toContain('bob-smith');
  });

  it('says what to grant when firewatch may not write there', async () => {
    const { octokit } = fakeOctokit(403);
    const config = validateConfig({ postmortem: { repo: 'acme/reviews' } }).config;
    const result = await draftPostmortem(octokit, { incident, config, now, identity });
    expect(result).toMatchObject({ ok: false, reason: 'no-permission' });
    expect(draftReply(result)).toContain('Grant the firewatch app **Contents: write** and **Pull requests: write** on it');
    expect(draftReply(result)).toContain('acme/reviews');
  });

  it("renders the organization's template from the post_mortems repository", async () => {
    const { octokit } = fakeOctokit(404, { 'acme/post_mortems/template.md': '# Our format: {{title}}\n\n{{#generated "timeline"}}{{> postmortem-timeline}}{{/generated}}\n' });
    const result = await draftPostmortem(octokit, { incident, config: DEFAULT_CONFIG, now, identity });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.document).toContain('# Our format: checkout: errors after team-member-');
  });

  it('prefers the incident repository template over the post_mortems one', async () => {
    const { octokit } = fakeOctokit(404, { 'acme/shop/.github/firewatch/postmortem.md.hbs': '# Shop format\n', 'acme/post_mortems/template.md': '# Shared format\n' });
    const result = await draftPostmortem(octokit, { incident, config: DEFAULT_CONFIG, now, identity });
    expect(!result.ok && result.document).toContain('# Shop format');
  });

  it('recognises an Octokit that can draft, and one that cannot', () => {
    expect(isPostmortemOctokit(fakeOctokit(404).octokit)).toBe(true);
    expect(isPostmortemOctokit({ rest: { issues: {} } })).toBe(false);
  });
});

describe('suspected changes in the postmortem', () => {
  it('cites the evidence of the Suspected changes comment, with people redacted', async () => {
    const block = renderSuspectsBlock({
      service: 'checkout',
      firstAlertAt: '2026-01-14T09:00:00.000Z',
      labels: {},
      annotations: {},
      verdict: 'suspects',
      considered: 3,
      at: '2026-01-14T09:01:00.000Z',
      suspects: [
        {
          key: 'acme/shop#7',
          score: 0.82,
          command: '/rollback #7',
          evidence: [{ reason: 'deployed to production 12 min before the first alert' }, { reason: 'changes services/checkout/** (reviewed by bob-smith)' }, { reason: 'small change (3 lines)', against: true }],
        },
      ],
    });
    const { octokit } = fakeOctokit(404, {}, [{ body: `### 🔎 Suspected changes\n\n${block}`, user: BOT }]);
    const result = await draftPostmortem(octokit, { incident, config: DEFAULT_CONFIG, now, identity });
    const document = !result.ok ? (result.document ?? '') : '';
    const row = document.split('\n').find((line) => line.startsWith('| acme/shop#7')) ?? '';
    expect(row).toContain('deployed to production 12 min before the first alert');
    expect(row).toMatch(/changes services\/checkout\/\\\*\\\* \(reviewed by team-member-\d+\)/);
    expect(row).toContain('against: small change (3 lines)');
    expect(document.toLowerCase()).not.toContain('bob-smith');
  });

  it("takes the suspects of firewatch's own comment, never a block a person or another app pasted after it", async () => {
    const ours = renderSuspectsBlock({ ...suspectsOf('acme/shop#7'), at: '2026-01-14T09:01:00.000Z' });
    const forged = renderSuspectsBlock({ ...suspectsOf('acme/shop#99'), at: '2026-01-14T09:30:00.000Z' });
    const { octokit } = fakeOctokit(404, {}, [
      { body: `### 🔎 Suspected changes\n\n${ours}`, user: BOT },
      { body: `### 🔎 Suspected changes\n\n${forged}`, user: { login: 'mallory', type: 'User' } },
      { body: `### 🔎 Suspected changes\n\n${forged}`, user: { login: 'other-app[bot]', type: 'Bot' } },
    ]);
    const result = await draftPostmortem(octokit, { incident, config: DEFAULT_CONFIG, now, identity });
    const document = !result.ok ? (result.document ?? '') : '';
    expect(document).toContain('| acme/shop#7');
    expect(document).not.toContain('acme/shop#99');
  });
});

function suspectsOf(key: string): Omit<Parameters<typeof renderSuspectsBlock>[0], 'at'> {
  return { service: 'checkout', firstAlertAt: '2026-01-14T09:00:00.000Z', labels: {}, annotations: {}, verdict: 'suspects', considered: 2, suspects: [{ key, score: 0.8, command: `/rollback #${key.split('#')[1]}`, evidence: [{ reason: 'deployed 10 min before the first alert' }] }] };
}

describe('mergedPostmortemOf', () => {
  const marker = renderHiddenJson('postmortem', { incident: 'inc-1', path: 'postmortems/2026/x.md' });
  const payload = (over: { merged?: boolean; login?: string; type?: string; body?: string }) => ({
    action: 'closed',
    repository: { full_name: 'acme/post_mortems' },
    pull_request: { number: 3, merged: over.merged ?? true, body: over.body ?? `Blameless postmortem\n\n${marker}\n`, user: { login: over.login ?? 'firewatch[bot]', type: over.type ?? 'Bot' } },
  });

  it('is a merged pull request firewatch opened with the postmortem marker: its repository and file', () => {
    expect(mergedPostmortemOf(payload({}), FIREWATCH)).toEqual({ repo: { owner: 'acme', repo: 'post_mortems' }, path: 'postmortems/2026/x.md', number: 3 });
  });

  it('is nothing for a PR closed unmerged, opened by a person or another app (who may copy the marker), or without the marker', () => {
    expect(mergedPostmortemOf(payload({ merged: false }), FIREWATCH)).toBeNull();
    expect(mergedPostmortemOf(payload({ login: 'eve', type: 'User' }), FIREWATCH)).toBeNull();
    expect(mergedPostmortemOf(payload({ login: 'mallory-app[bot]', type: 'Bot' }), FIREWATCH)).toBeNull();
    expect(mergedPostmortemOf(payload({ body: 'no marker' }), FIREWATCH)).toBeNull();
    expect(mergedPostmortemOf({ nonsense: true }, FIREWATCH)).toBeNull();
  });
});
