import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importOpsgenie } from '../../../src/domain/schedule/import/importOpsgenie.ts';
import { importPagerDuty } from '../../../src/domain/schedule/import/importPagerDuty.ts';
import { EMPTY_PEOPLE_MAP } from '../../../src/domain/schedule/import/peopleMap.ts';
import { fetchOpsgenie } from '../../../src/features/importSchedules/fetchOpsgenie.ts';
import { fetchPagerDuty } from '../../../src/features/importSchedules/fetchPagerDuty.ts';
import { opsgenieDumpFromFiles, pagerDutyDumpFromFiles } from '../../../src/features/importSchedules/vendorDump.ts';
import { type VendorHttp } from '../../../src/features/importSchedules/vendorHttp.ts';
import { readJson, startVendorApi, type RecordedRequest } from '../../support/vendorApiServer.ts';
import { VendorApiError } from '../../../src/domain/errors/errors.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/import');
const fixture = (path: string) => readJson(join(FIXTURES, path)) as Record<string, unknown>;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function http(): VendorHttp & { lines: string[]; waits: number[] } {
  const lines: string[] = [];
  const waits: number[] = [];
  return { fetch: globalThis.fetch, progress: (line) => lines.push(line), sleep: async (ms) => void waits.push(ms), lines, waits };
}

const show = (request: RecordedRequest) => `${request.path}?${new URLSearchParams(Object.entries(request.query).flatMap(([name, values]) => values.map((value): [string, string] => [name, value]))).toString()}`;

describe('fetchPagerDuty against a local PagerDuty API', () => {
  const since = new Date('2026-10-26T04:00:00Z');
  const until = new Date('2026-11-23T04:00:00Z');
  const window = { since: [since.toISOString()], until: [until.toISOString()] };

  async function start(overrides: { firstEscalationPolicies?: 'rate-limited' } = {}) {
    const users = (fixture('pagerduty-v3-berlin/users-0.json')['users'] as unknown[]) ?? [];
    let escalationCalls = 0;
    const api = await startVendorApi((request) => {
      const v3 = request.path.startsWith('/v3/');
      // Every request carries the REST API key and the version header PagerDuty documents (v3: plain JSON).
      if (request.headers['authorization'] !== 'Token token=pd-read-only') return { status: 401, body: { error: { message: 'Unauthorized', code: 2006 } } };
      if (request.headers['accept'] !== (v3 ? 'application/json' : 'application/vnd.pagerduty+json;version=2')) return { status: 406, body: { error: { message: 'Not Acceptable' } } };
      const q = request.query;
      const page = (key: string, items: unknown[], size: number) => {
        const offset = Number(q['offset']?.[0] ?? '0');
        if (q['limit']?.[0] !== '100') return { status: 400, body: { error: { message: 'limit must be 100 in this test' } } };
        return { body: { [key]: items.slice(offset, offset + size), limit: 100, offset, more: offset + size < items.length, total: null } };
      };
      const windowed = (body: unknown) => (JSON.stringify(q['since']) === JSON.stringify(window.since) && JSON.stringify(q['until']) === JSON.stringify(window.until) ? { body } : { status: 400, body: { error: { message: 'since/until missing' } } });
      switch (request.path) {
        case '/users':
          return page('users', users, 4);
        case '/schedules':
          return page('schedules', [{ id: 'PS3PAYM', name: 'Payments', type: 'schedule' }, { id: 'PSNIGHT', name: 'Checkout Nights', type: 'schedule' }], 100);
        case '/v3/schedules':
          return page('schedules', [{ id: 'PS3PAYM', type: 'schedule_v3_reference', summary: 'Payments' }], 100);
        case '/v3/schedules/PS3PAYM':
          return JSON.stringify(q['include[]']) === '["final_schedule"]' ? windowed(fixture('pagerduty-v3-berlin/v3/PS3PAYM.json')) : undefined;
        case '/v3/schedules/PS3PAYM/overrides':
          return windowed({ ...fixture('pagerduty-v3-berlin/v3/PS3PAYM.overrides-0.json'), limit: 100 });
        case '/v3/schedules/PS3PAYM/custom_shifts':
          return windowed({ ...fixture('pagerduty-v3-berlin/v3/PS3PAYM.custom_shifts-0.json'), limit: 100 });
        case '/schedules/PSNIGHT':
          return windowed(fixture('pagerduty-new-york/schedules/PSNIGHT.json'));
        case '/schedules/PSNIGHT/overrides':
          return windowed(fixture('pagerduty-new-york/schedules/PSNIGHT.overrides.json'));
        case '/escalation_policies':
          escalationCalls += 1;
          if (overrides.firstEscalationPolicies === 'rate-limited' && escalationCalls === 1) return { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } } };
          return page('escalation_policies', [], 100);
        default:
          return undefined;
      }
    });
    closers.push(api.close);
    return api;
  }

  it('pages through users, fetches v3 schedules with their final schedule, skips them in v2, and waits out a 429', async () => {
    const api = await start({ firstEscalationPolicies: 'rate-limited' });
    const io = http();
    const files = await fetchPagerDuty({ key: 'pd-read-only', baseUrl: api.url, since, until }, io);
    const s = encodeURIComponent(since.toISOString());
    const u = encodeURIComponent(until.toISOString());
    expect(api.requests.map(show)).toEqual([
      '/users?limit=100&offset=0',
      '/users?limit=100&offset=4',
      '/schedules?limit=100&offset=0',
      '/v3/schedules?limit=100&offset=0',
      `/v3/schedules/PS3PAYM?since=${s}&until=${u}&include%5B%5D=final_schedule`,
      `/v3/schedules/PS3PAYM/overrides?since=${s}&until=${u}&limit=100&offset=0`,
      `/v3/schedules/PS3PAYM/custom_shifts?since=${s}&until=${u}&limit=100&offset=0`,
      `/schedules/PSNIGHT?since=${s}&until=${u}`,
      `/schedules/PSNIGHT/overrides?since=${s}&until=${u}`,
      '/escalation_policies?limit=100&offset=0',
      '/escalation_policies?limit=100&offset=0',
    ]);
    expect(io.waits).toEqual([2000]);
    expect(io.lines).toContain('PagerDuty rate limit reached; waiting 2 s');
    expect(io.lines).toContain('PagerDuty: schedule "Checkout Nights" (1 of 1)');
    expect([...files.keys()].sort()).toEqual([
      'escalation_policies-0.json',
      'schedules/PSNIGHT.json',
      'schedules/PSNIGHT.overrides.json',
      'users-0.json',
      'users-4.json',
      'v3/PS3PAYM.custom_shifts-0.json',
      'v3/PS3PAYM.json',
      'v3/PS3PAYM.overrides-0.json',
      'window.json',
    ]);
    const dump = pagerDutyDumpFromFiles(files);
    expect(dump.users).toHaveLength(6);
    const result = importPagerDuty(dump, { people: EMPTY_PEOPLE_MAP });
    expect(result.oncall.layers?.map((layer) => layer.name)).toEqual([
      'checkout-nights',
      'checkout-nights-layer-3',
      'payments-rotation-1',
      'payments-rotation-2-member-1',
      'payments-rotation-2-member-2',
      'payments-custom-shifts',
    ]);
  });

  it('stops with the API answer when the key is refused', async () => {
    const api = await start();
    await expect(fetchPagerDuty({ key: 'wrong', baseUrl: api.url, since, until }, http())).rejects.toMatchObject({
      constructor: VendorApiError,
      status: 401,
      message: 'PagerDuty answered 401 to GET /users?limit=100&offset=0: Unauthorized (check the API key)',
    });
    expect(api.requests).toHaveLength(1);
  });
});

describe('fetchOpsgenie against a local Opsgenie API', () => {
  const since = new Date('2026-03-02T05:00:00Z');
  const SCHEDULE = 'd875alp4-0000-4000-8000-00000000sre1';

  it('sends the GenieKey, follows paging.next for users and asks each timeline for four weeks from the start', async () => {
    const users = fixture('opsgenie-new-york/users-0.json')['data'] as unknown[];
    const api = await startVendorApi((request) => {
      if (request.headers['authorization'] !== 'GenieKey og-read-only') return { status: 401, body: { message: 'Could not authenticate', took: 0, requestId: 'r-1' } };
      const q = request.query;
      switch (request.path) {
        case '/v2/users': {
          const offset = Number(q['offset']?.[0]);
          const next = offset === 0 ? { next: `${api.url}/v2/users?limit=100&offset=5` } : {};
          return { body: { data: users.slice(offset, offset === 0 ? 5 : undefined), paging: { first: `${api.url}/v2/users?limit=100&offset=0`, ...next }, took: 0.01, requestId: 'r-2' } };
        }
        case '/v2/schedules':
          return JSON.stringify(q['expand']) === '["rotation"]' ? { body: fixture('opsgenie-new-york/schedules.json') } : undefined;
        case `/v2/schedules/${SCHEDULE}/overrides`:
          return { body: fixture(`opsgenie-new-york/schedules/${SCHEDULE}.overrides.json`) };
        case `/v2/schedules/${SCHEDULE}/timeline`:
          return q['date']?.[0] === since.toISOString() && q['interval']?.[0] === '4' && q['intervalUnit']?.[0] === 'weeks' && q['identifierType']?.[0] === 'id'
            ? { body: fixture(`opsgenie-new-york/schedules/${SCHEDULE}.timeline.json`) }
            : undefined;
        case '/v2/escalations':
          return { body: fixture('opsgenie-new-york/escalations.json') };
        default:
          return undefined;
      }
    });
    closers.push(api.close);
    const io = http();
    const files = await fetchOpsgenie({ key: 'og-read-only', baseUrl: api.url, since, weeks: 4 }, io);
    expect(api.requests.map((request) => request.path)).toEqual(['/v2/users', '/v2/users', '/v2/schedules', `/v2/schedules/${SCHEDULE}/overrides`, `/v2/schedules/${SCHEDULE}/timeline`, '/v2/escalations']);
    expect(io.lines).toEqual(['Opsgenie: listing users', 'Opsgenie: 8 users; listing schedules', 'Opsgenie: schedule "SRE" (1 of 1)', 'Opsgenie: listing escalations']);
    const result = importOpsgenie(opsgenieDumpFromFiles(files), { people: EMPTY_PEOPLE_MAP });
    expect(result.window).toEqual({ start: since.getTime(), end: since.getTime() + 28 * 86_400_000 });
    expect(result.unmapped.map((person) => person.email)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com', 'frank@example.com', 'grace@example.com', 'ivan@example.com']);

    await expect(fetchOpsgenie({ key: 'wrong', baseUrl: api.url, since, weeks: 4 }, http())).rejects.toMatchObject({
      constructor: VendorApiError,
      status: 401,
      message: 'Opsgenie answered 401 to GET /v2/users?limit=100&offset=0: Could not authenticate (check the API key)',
    });
  });
});
