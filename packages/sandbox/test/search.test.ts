import fc from 'fast-check';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { inRange, parseDateRange, tokenize } from '../src/routes/search.ts';
import { expectMatchesOpenApi } from './support/openapi.ts';
import { octokitFor, startSandbox, statusOf } from './support.ts';

let sandbox: Sandbox;
let bob: Octokit;

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.reset({
    now: '2026-05-10T12:00:00Z',
    users: [
      { login: 'bob', permission: 'write', token: 'sandbox-bob' },
      { login: 'eve', permission: 'read', token: 'sandbox-eve' },
    ],
    repos: [
      {
        owner: 'acme',
        name: 'shop',
        private: false,
        default_branch: 'main',
        files: {},
        pulls: [],
        deployments: [],
        labels: [{ name: 'sev:P1', color: 'b60205' }],
        issues: [
          { title: 'Checkout down', body: 'fingerprint: "abc123" service checkout', user: 'bob', labels: ['incident', 'sev:P1'], state: 'open', created_at: '2026-05-09T08:00:00Z', comments: [] },
          { title: 'Payments slow', body: 'fingerprint: "def456"', user: 'eve', labels: ['incident'], state: 'closed', created_at: '2026-05-01T08:00:00Z', comments: [{ user: 'bob', body: 'rolled back checkout', created_at: '2026-05-01T09:00:00Z' }] },
          { title: 'Docs typo', body: 'nothing urgent', user: 'eve', labels: ['documentation'], state: 'open', created_at: '2026-04-20T08:00:00Z', comments: [] },
        ],
      },
      { owner: 'acme', name: 'post_mortems', private: true, default_branch: 'main', files: {}, pulls: [], deployments: [], labels: [], issues: [{ title: 'Checkout down postmortem', body: '', user: 'bob', labels: ['incident'], state: 'open', comments: [] }], collaborators: { eve: 'read' } },
    ],
  });
  bob = octokitFor(sandbox, 'sandbox-bob');
});
afterAll(() => sandbox.close());

async function titles(q: string, octokit: Octokit = bob, extra: Record<string, unknown> = {}): Promise<string[]> {
  const response = await octokit.request('GET /search/issues', { q, ...extra });
  expectMatchesOpenApi('GET', '/search/issues', 200, response.data);
  expect(response.data.total_count).toBe(response.data.items.length);
  return response.data.items.map((i) => i.title).sort();
}

describe('GET /search/issues', () => {
  it.each([
    ['repo:acme/shop is:issue label:incident', ['Checkout down', 'Payments slow']],
    ['repo:acme/shop is:issue is:open label:incident', ['Checkout down']],
    ['repo:acme/shop is:closed', ['Payments slow']],
    ['repo:acme/shop label:"sev:P1"', ['Checkout down']],
    ['repo:acme/shop label:incident -label:"sev:P1"', ['Payments slow']],
    ['repo:acme/shop in:body abc123', ['Checkout down']],
    ['repo:acme/shop in:body "service checkout"', ['Checkout down']],
    ['repo:acme/shop in:title checkout', ['Checkout down']],
    ['repo:acme/shop checkout', ['Checkout down', 'Payments slow']],
    ['repo:acme/shop in:comments "rolled back"', ['Payments slow']],
    ['repo:acme/shop created:>=2026-05-01', ['Checkout down', 'Payments slow']],
    ['repo:acme/shop created:>2026-05-01', ['Checkout down']],
    ['repo:acme/shop created:<2026-05-01', ['Docs typo']],
    ['repo:acme/shop created:<=2026-05-01', ['Docs typo', 'Payments slow']],
    ['repo:acme/shop created:2026-04-01..2026-05-01', ['Docs typo', 'Payments slow']],
    ['repo:acme/shop created:2026-05-02..*', ['Checkout down']],
    ['repo:acme/shop created:>2026-05-09T07:59:59Z', ['Checkout down']],
    ['repo:acme/shop updated:>=2026-05-09', ['Checkout down']],
    ['repo:acme/shop author:eve', ['Docs typo', 'Payments slow']],
    ['repo:acme/shop is:pr', []],
  ])('%s', async (q, expected) => {
    expect(await titles(q)).toEqual(expected);
  });

  it('searches only repositories the caller can read', async () => {
    expect(await titles('checkout in:title', bob)).toEqual(['Checkout down', 'Checkout down postmortem']);
    expect(await titles('checkout in:title', octokitFor(sandbox, undefined))).toEqual(['Checkout down']);
  });

  it('sorts by created and paginates with a link header', async () => {
    const first = await bob.request('GET /search/issues', { q: 'repo:acme/shop', sort: 'created', order: 'asc', per_page: 2 });
    expect(first.data.total_count).toBe(3);
    expect(first.data.items.map((i) => i.title)).toEqual(['Docs typo', 'Payments slow']);
    expect(first.headers.link).toContain('rel="next"');
    const second = await bob.request('GET /search/issues', { q: 'repo:acme/shop', sort: 'created', order: 'asc', per_page: 2, page: 2 });
    expect(second.data.items.map((i) => i.title)).toEqual(['Checkout down']);
  });

  it('answers a missing query or a bad qualifier value with 422', async () => {
    expect(await statusOf(bob.request('GET /search/issues', { q: '' }))).toBe(422);
    expect(await statusOf(bob.request('GET /search/issues', { q: 'created:>soon' }))).toBe(422);
    expect(await statusOf(bob.request('GET /search/issues', { q: 'is:sideways' }))).toBe(422);
  });
});

describe('search query parsing', () => {
  it('keeps quoted values whole', () => {
    expect(tokenize('label:"sev:P1" in:body "two words" -label:x')).toEqual([
      { negated: false, key: 'label', value: 'sev:P1' },
      { negated: false, key: 'in', value: 'body' },
      { negated: false, value: 'two words' },
      { negated: true, key: 'label', value: 'x' },
    ]);
  });

  it('treats a bare day as the whole day and ranges as inclusive', () => {
    const day = parseDateRange('2026-05-01');
    expect(inRange('2026-05-01T00:00:00Z', day)).toBe(true);
    expect(inRange('2026-05-01T23:59:59Z', day)).toBe(true);
    expect(inRange('2026-05-02T00:00:00Z', day)).toBe(false);
    expect(inRange('2026-05-01T10:00:00Z', parseDateRange('>2026-05-01T10:00:00Z'))).toBe(false);
    expect(inRange('2026-05-01T10:00:00Z', parseDateRange('>=2026-05-01T10:00:00Z'))).toBe(true);
  });

  it('never throws on arbitrary query text and never loses a qualifier', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const tokens = tokenize(text);
        for (const token of tokens) expect(typeof token.value).toBe('string');
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9:-]{1,12}$/), (label) => {
        expect(tokenize(`repo:acme/shop label:"${label}"`)).toContainEqual({ negated: false, key: 'label', value: label });
      }),
    );
  });
});
