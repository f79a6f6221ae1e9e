/**
 * An incident with 3,000 notes: the state keeps fitting in the issue body (GitHub refuses bodies
 * over 65,536 characters) by leaving its oldest entries out, the body says so, and the postmortem
 * finds every entry again in firewatch's own comments, read by pages.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config/config.ts';
import { openIncident } from '../../src/domain/incident/openIncident.ts';
import { readIncidentState, type IncidentState, type TimelineEntry } from '../../src/domain/incident/incidentState.ts';
import { stateScope, UNSEALED } from '../../src/domain/incident/stateSeal.ts';
import { MIN_TIMELINE_KEPT } from '../../src/domain/incident/boundState.ts';
import { GITHUB_BODY_LIMIT } from '../../src/domain/text/markdown.ts';
import { renderEventMarker } from '../../src/domain/text/eventMarker.ts';
import { renderIncidentBody } from '../../src/features/incidents/renderIncidentBody.ts';
import { renderPostmortemFile } from '../../src/features/postmortem/postmortem.ts';
import type { PostmortemOctokit } from '../../src/adapters/github/postmortemApi.ts';
import { FIREWATCH } from '../support/identity.ts';

const NOTES = 3_000;
const T0 = new Date('2026-03-02T10:00:00Z');
const repo = { owner: 'acme', repo: 'shop' };
const scope = stateScope(UNSEALED, repo);
const pad = (n: number) => String(n).padStart(4, '0');

function longIncident(): { state: IncidentState; entries: TimelineEntry[] } {
  const opened = openIncident({ source: 'generic', fingerprint: 'f', status: 'firing', title: 'Checkout errors', severity: 'P2', service: 'checkout', labels: {}, annotations: {}, startsAt: T0.toISOString(), links: { other: [] } }, T0);
  const entries: TimelineEntry[] = Array.from({ length: NOTES }, (_, index) => ({
    at: new Date(T0.getTime() + (index + 1) * 60_000).toISOString(),
    type: 'note',
    actor: 'alice',
    text: `note ${pad(index)}: rolled the canary back and forth while watching the error rate on the checkout dashboard`,
  }));
  return { state: { ...opened, timeline: [...opened.timeline, ...entries] }, entries };
}

/** Firewatch's reply to each /note, recording its entry in the marker, as the command replies do. */
function noteReplies(entries: readonly TimelineEntry[]) {
  return entries.map((entry, index) => ({
    id: index + 1,
    html_url: `https://github.test/acme/shop/issues/12#issuecomment-${index + 1}`,
    created_at: entry.at,
    user: { login: 'firewatch[bot]', type: 'Bot' },
    body: `📝 Noted.\n\n${renderEventMarker({ type: 'command-reply', at: entry.at, incident: 'i', entries: [entry] })}`,
  }));
}

function pagedGitHub(body: string, comments: ReturnType<typeof noteReplies>) {
  const calls: string[] = [];
  const notFound = async () => {
    throw Object.assign(new Error('Not Found'), { status: 404 });
  };
  const octokit = {
    rest: {
      repos: { get: notFound, getContent: notFound, createOrUpdateFileContents: notFound },
      git: { getRef: notFound, createRef: notFound, updateRef: notFound },
      pulls: { list: notFound, create: notFound, update: notFound, get: notFound },
      issues: {
        addLabels: notFound,
        get: async () => ({ data: { number: 12, title: '[P2] checkout: Checkout errors', body, html_url: 'https://github.test/acme/shop/issues/12', labels: ['incident'] } }),
        listComments: async (params: { page?: number; per_page?: number }) => {
          calls.push(`comments page ${params.page}`);
          const size = params.per_page ?? 30;
          const page = params.page ?? 1;
          // As GitHub: a `link` header naming the next page while there is one.
          const more = page * size < comments.length;
          return { data: comments.slice((page - 1) * size, page * size), headers: more ? { link: `<https://api.github.test/repositories/1/issues/12/comments?page=${page + 1}>; rel="next"` } : {} };
        },
      },
    },
    graphql: notFound,
  } as unknown as PostmortemOctokit;
  return { octokit, calls };
}

describe('an incident with 3,000 notes', () => {
  const { state, entries } = longIncident();
  const body = renderIncidentBody(state, { timezone: 'UTC', scope });

  it("keeps its body within GitHub's limit, its state block whole, and says what it left out", () => {
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const read = readIncidentState(body, scope).state;
    expect(read?.timeline.length).toBeGreaterThanOrEqual(MIN_TIMELINE_KEPT);
    expect(read?.timeline.at(-1)?.text).toContain(`note ${pad(NOTES - 1)}:`);
    const left = read?.earlierTimeline?.count ?? 0;
    expect(left).toBe(state.timeline.length - (read?.timeline.length ?? 0));
    expect(left).toBeGreaterThan(NOTES / 2);
    expect(body).toContain(`… ${left} earlier entries are not repeated here, to keep this issue within GitHub's 65,536 characters`);
  });

  it('drafts the postmortem with every entry, found again in firewatch\'s comments by pages (ceil(N/100) requests)', async () => {
    const github = pagedGitHub(body, noteReplies(entries));
    const file = await renderPostmortemFile(github.octokit, { incident: { ...repo, number: 12 }, config: DEFAULT_CONFIG, now: new Date('2026-03-05T10:00:00Z'), identity: FIREWATCH });
    expect(github.calls.filter((call) => call.startsWith('comments'))).toHaveLength(Math.ceil(NOTES / 100));
    for (const index of [0, 1, 1_500, NOTES - 1]) expect(file?.text).toContain(`note ${pad(index)}:`);
    expect(file?.view.timeline.filter((row) => row.text.includes('rolled the canary'))).toHaveLength(NOTES);
  });

  it('takes no entry from a comment someone else wrote, however it is marked', async () => {
    const forged = noteReplies(entries).map((comment) => ({ ...comment, user: { login: 'mallory', type: 'User' } }));
    const github = pagedGitHub(body, forged);
    const file = await renderPostmortemFile(github.octokit, { incident: { ...repo, number: 12 }, config: DEFAULT_CONFIG, now: new Date('2026-03-05T10:00:00Z'), identity: FIREWATCH });
    expect(file?.text).not.toContain(`note ${pad(0)}:`);
    expect(file?.text).toContain(`note ${pad(NOTES - 1)}:`);
  });
});
