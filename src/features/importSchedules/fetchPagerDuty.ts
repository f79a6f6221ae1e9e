/**
 * Fetches what `firewatch import pagerduty` reads, with a read-only REST API key: users,
 * schedules (v2 layers rendered for the window, and the shift-based v3 schedules with their
 * computed final schedule), overrides and escalation policies. The result is the same set of
 * files the migration guide's curl commands write, so `--save` and `--from` meet.
 */
import type { DumpFiles } from './vendorDump.ts';
import { getJson, type VendorHttp } from './vendorHttp.ts';
import { VendorApiError } from '../../domain/errors/errors.ts';

const PAGERDUTY_API = 'https://api.pagerduty.com';
const V2_ACCEPT = 'application/vnd.pagerduty+json;version=2';
const PAGE = 100;
const V3_PAGE = 100;
/** A runaway `more: true` stops here rather than looping for ever. */
const MAX_PAGES = 500;

export interface PagerDutyFetch {
  key: string;
  baseUrl?: string;
  since: Date;
  until: Date;
  /** Only these schedules (ids or names); default all. */
  schedules?: readonly string[];
}

interface Listed {
  id: string;
  name: string;
}

export async function fetchPagerDuty(options: PagerDutyFetch, http: VendorHttp): Promise<DumpFiles> {
  const base = options.baseUrl ?? PAGERDUTY_API;
  const auth = { Authorization: `Token token=${options.key}` };
  const since = options.since.toISOString();
  const until = options.until.toISOString();
  const files: DumpFiles = new Map();
  const get = (path: string, query: Record<string, string | string[]>, v3 = false) => {
    const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
    for (const [name, value] of Object.entries(query)) for (const item of [value].flat()) url.searchParams.append(name, item);
    return getJson('PagerDuty', url, { ...auth, Accept: v3 ? 'application/json' : V2_ACCEPT }, http);
  };

  /** Offset/limit pages until `more` is false: each page kept as `<file>-<offset>.json`, its `key` items returned. */
  const paged = async (path: string, key: string, file: string | undefined, query: Record<string, string | string[]> = {}, v3 = false, limit = PAGE): Promise<unknown[]> => {
    const items: unknown[] = [];
    for (let page = 0, offset = 0; page < MAX_PAGES; page += 1) {
      const body = (await get(path, { ...query, limit: String(limit), offset: String(offset) }, v3)) as Record<string, unknown>;
      const found = Array.isArray(body[key]) ? (body[key] as unknown[]) : [];
      if (file) files.set(`${file}-${offset}.json`, body);
      items.push(...found);
      if (body['more'] !== true || found.length === 0) return items;
      offset += found.length;
    }
    throw new VendorApiError(`PagerDuty kept answering more: true for GET ${path} after ${MAX_PAGES} pages`);
  };

  http.progress('PagerDuty: listing users');
  const users = await paged('/users', 'users', 'users');
  http.progress(`PagerDuty: ${users.length} users; listing schedules`);
  const v2 = (await paged('/schedules', 'schedules', undefined)) as Listed[];
  let v3: Listed[] = [];
  try {
    v3 = (await paged('/v3/schedules', 'schedules', undefined, {}, true, V3_PAGE)) as Listed[];
  } catch (error) {
    // Accounts without shift-based schedules may not serve the v3 API at all.
    if (!(error instanceof VendorApiError && (error.status === 404 || error.status === 403))) throw error;
    http.progress(`PagerDuty: no shift-based (v3) schedules (${error.message})`);
  }
  const wanted = (schedule: Listed) => !options.schedules || options.schedules.some((text) => [schedule.id, schedule.name ?? ''].some((value) => value.toLowerCase() === text.toLowerCase()));
  // The v3 list references schedules by id only, so it is fetched first and the v2 fetch skips those.
  const v3Schedules: Listed[] = [];
  for (const [index, reference] of v3.entries()) {
    const body = (await get(`/v3/schedules/${encodeURIComponent(reference.id)}`, { since, until, 'include[]': 'final_schedule' }, true)) as { schedule?: Listed };
    const schedule = { id: reference.id, name: body.schedule?.name ?? reference.id };
    if (!wanted(schedule)) continue;
    http.progress(`PagerDuty: shift-based schedule "${schedule.name}" (${index + 1} of ${v3.length})`);
    files.set(`v3/${reference.id}.json`, body);
    v3Schedules.push(schedule);
  }
  for (const schedule of v3Schedules) {
    const id = encodeURIComponent(schedule.id);
    await paged(`/v3/schedules/${id}/overrides`, 'overrides', `v3/${schedule.id}.overrides`, { since, until }, true, V3_PAGE);
    await paged(`/v3/schedules/${id}/custom_shifts`, 'custom_shifts', `v3/${schedule.id}.custom_shifts`, { since, until }, true, V3_PAGE);
  }
  const v3Ids = new Set(v3.map((schedule) => schedule.id));
  const layered = v2.filter((schedule) => !v3Ids.has(schedule.id) && wanted(schedule));
  for (const [index, schedule] of layered.entries()) {
    http.progress(`PagerDuty: schedule "${schedule.name}" (${index + 1} of ${layered.length})`);
    const id = encodeURIComponent(schedule.id);
    files.set(`schedules/${schedule.id}.json`, await get(`/schedules/${id}`, { since, until }));
    files.set(`schedules/${schedule.id}.overrides.json`, await get(`/schedules/${id}/overrides`, { since, until }));
  }
  http.progress('PagerDuty: listing escalation policies');
  await paged('/escalation_policies', 'escalation_policies', 'escalation_policies');
  files.set('window.json', { since, until });
  return files;
}
