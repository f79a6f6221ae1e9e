/**
 * How a sweep's cost grows with the number of open incidents, against the sandbox (which pages
 * listings as GitHub does, with `link` headers): a quiet sweep over N open incidents reads them in
 * ceil(N/100) pages plus one request for the recently closed ones, and nothing else.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, seedFixture } from '@firewatch/sandbox';
import { incidentStateSchema, renderStateBlock } from '../../src/domain/incident/incidentState.ts';
import { validateConfig } from '../../src/domain/config/config.ts';
import { sweep } from '../../src/features/sweeps/sweep.ts';
import { FIREWATCH } from '../support/identity.ts';

const NOW = new Date('2026-03-02T10:05:00Z');
const OPEN = 1_000;
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
let sandbox: Sandbox;
let bot: Octokit;

function acknowledged(index: number) {
  const state = incidentStateSchema.parse({
    version: 1,
    id: `20260302-api-${index}`,
    title: `Errors on shard ${index}`,
    source: 'generic',
    service: 'api',
    severity: 'P3',
    status: 'acknowledged',
    triggeredAt: '2026-03-02T10:00:00Z',
    acknowledgedAt: '2026-03-02T10:02:00Z',
  });
  return { title: `[P3] api: Errors on shard ${index}`, body: `summary\n\n${renderStateBlock(state)}`, user: 'alice', labels: ['incident', 'sev:P3', 'status:acknowledged'], created_at: '2026-03-02T10:00:00Z' };
}

beforeAll(async () => {
  const fixture = seedFixture();
  const repos = (fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, issues: Array.from({ length: OPEN }, (_, index) => acknowledged(index)) } : repo));
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'cost', now: NOW, fixture: { ...fixture, repos } });
  bot = new Octokit({ baseUrl: sandbox.apiUrl, auth: sandbox.issueInstallationToken().token, request: { fetch: sandbox.fetch }, log: quietLog });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe(`a sweep over ${OPEN} open incidents`, () => {
  it('reads them in ceil(N/100) pages, plus one request for the recently closed ones, and writes nothing when nothing is due', async () => {
    const { config } = validateConfig({ sweeps: { review: { enabled: false }, handoff: { enabled: false } } });
    sandbox.resetStats();
    const result = await sweep({ octokit: bot, repo: { owner: 'acme', repo: 'shop' }, config, clock: () => NOW, identity: FIREWATCH });
    expect(result.incidents.filter((incident) => incident.open)).toHaveLength(OPEN);
    expect(result.plan).toEqual([]);
    const stats = sandbox.stats();
    expect(stats.total).toBe(Math.ceil(OPEN / 100) + 1);
    expect(stats.contentCreating).toBe(0);
  });
});
