import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { validateConfig } from '../../src/domain/config/config.ts';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { memoryCoordination } from '../../src/services/coordination.ts';
import { ingestAlert } from '../../src/features/alerts/ingestAlert.ts';
import { fakeGitHub, quietLog } from './fakeGitHub.ts';
import { FIREWATCH } from '../support/identity.ts';

const repo = { owner: 'acme', repo: 'shop' };
const alert: NormalizedAlert = {
  source: 'generic',
  fingerprint: 'checkout-errors',
  status: 'firing',
  title: 'HighErrorRate',
  severity: 'P2',
  service: 'checkout',
  labels: {},
  annotations: {},
  startsAt: '2026-03-02T14:58:00Z',
  links: { other: [] },
};

const oncall = {
  layers: [
    { name: 'rot-a', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-02-23' },
    { name: 'rot-b', participants: ['ghost', 'no-one'], handoff: { weekday: 'wednesday', time: '11:00' }, start: '2026-02-25' },
    { name: 'rot-c', participants: ['carol'], handoff: { weekday: 'wednesday', time: '11:00' }, start: '2026-02-25' },
  ],
};

async function open(configInput: unknown, assignable: string[], at = '2026-03-02T15:00:00Z') {
  const github = fakeGitHub({ assignable });
  const { config, problems } = validateConfig(configInput);
  expect(problems).toEqual([]);
  const result = await ingestAlert({ octokit: github.octokit, alerts: [alert], repo, config, clock: () => new Date(at), log: quietLog, identity: FIREWATCH, coordination: memoryCoordination() });
  const create = github.calls.find((call) => call.method === 'issues.create')?.params ?? {};
  return { result, create, body: String(create['body']), checks: github.calls.filter((call) => call.method === 'issues.checkUserCanBeAssigned').map((call) => call.params['assignee']) };
}

describe('ingestAlert assigns new incidents to the people on call', () => {
  it('assigns every layer’s on-call person plus incidents.assignees, skipping gaps and people GitHub would not assign', async () => {
    // Mon 2026-03-02 15:00 UTC: rot-a has bob (since Monday 11:00), rot-b ghost (until Wednesday), rot-c carol.
    const { result, create, body, checks } = await open({ oncall, incidents: { assignees: ['alice', 'bob'] } }, ['alice', 'bob', 'carol']);
    expect(result.outcome).toBe('created');
    expect(checks).toEqual(['bob', 'ghost', 'carol', 'alice']);
    expect(create['assignees']).toEqual(['bob', 'carol', 'alice']);
    expect(body).toContain('On call when triggered: bob (rot-a); ghost (rot-b, not assignable in this repository); carol (rot-c)');
    expect(body).not.toMatch(/@(bob|carol|ghost)\b/);
    expect(parseStateBlock(body)?.timeline.map((entry) => entry.type)).toEqual(['triggered', 'oncall']);
  });

  it('shows a gap in a layer as nobody and assigns the rest', async () => {
    // Wed 2026-03-04 12:00 UTC: rot-b moved on to its "no-one" slot.
    const { create, body } = await open({ oncall }, ['alice', 'bob', 'carol'], '2026-03-04T12:00:00Z');
    expect(create['assignees']).toEqual(['bob', 'carol']);
    expect(body).toContain('On call when triggered: bob (rot-a); nobody (rot-b: gap); carol (rot-c)');
  });

  it('assigns at most 10 people, on-call people first', async () => {
    const people = Array.from({ length: 10 }, (_, index) => `user${index + 1}`);
    const { create } = await open({ oncall, incidents: { assignees: people } }, ['bob', 'carol', ...people]);
    expect(create['assignees']).toEqual(['bob', 'carol', ...people.slice(0, 8)]);
  });

  it('without a schedule assigns only incidents.assignees and adds no on-call entry', async () => {
    const { create, body } = await open({ incidents: { assignees: ['alice'] } }, ['alice']);
    expect(create['assignees']).toEqual(['alice']);
    expect(body).not.toContain('On call when triggered');
  });
});
