/**
 * Fetches what `firewatch import opsgenie` reads, with a read-only API key (an API integration's
 * key, or a read-only API key from the API key management page): users, schedules with their
 * rotations, overrides, each schedule's timeline for the window, and escalations. The files are
 * those the migration guide's curl commands write.
 */
import type { DumpFiles } from './vendorDump.ts';
import { getJson, type VendorHttp } from './vendorHttp.ts';
import { VendorApiError } from '../../domain/errors/errors.ts';

export const OPSGENIE_API = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;
const PAGE = 100;
const MAX_PAGES = 500;

export interface OpsgenieFetch {
  key: string;
  baseUrl?: string;
  since: Date;
  /** Weeks of timeline to render (the self-check compares four). */
  weeks: number;
  schedules?: readonly string[];
}

export async function fetchOpsgenie(options: OpsgenieFetch, http: VendorHttp): Promise<DumpFiles> {
  const base = options.baseUrl ?? OPSGENIE_API.us;
  const headers = { Authorization: `GenieKey ${options.key}`, Accept: 'application/json' };
  const files: DumpFiles = new Map();
  const get = (path: string, query: Record<string, string> = {}) => {
    const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return getJson('Opsgenie', url, headers, http) as Promise<{ data?: unknown; paging?: { next?: string } }>;
  };

  http.progress('Opsgenie: listing users');
  let users = 0;
  for (let page = 0, offset = 0; ; page += 1) {
    if (page >= MAX_PAGES) throw new VendorApiError(`Opsgenie kept offering a next page of users after ${MAX_PAGES} pages`);
    const body = await get('/v2/users', { limit: String(PAGE), offset: String(offset) });
    const found = Array.isArray(body.data) ? body.data : [];
    files.set(`users-${offset}.json`, body);
    users += found.length;
    if (!body.paging?.next || found.length === 0) break;
    offset += found.length;
  }
  http.progress(`Opsgenie: ${users} users; listing schedules`);
  const listed = await get('/v2/schedules', { expand: 'rotation' });
  files.set('schedules.json', listed);
  const schedules = (Array.isArray(listed.data) ? listed.data : []) as { id: string; name: string }[];
  const wanted = schedules.filter((schedule) => !options.schedules || options.schedules.some((text) => [schedule.id, schedule.name].some((value) => value.toLowerCase() === text.toLowerCase())));
  for (const [index, schedule] of wanted.entries()) {
    http.progress(`Opsgenie: schedule "${schedule.name}" (${index + 1} of ${wanted.length})`);
    const id = encodeURIComponent(schedule.id);
    files.set(`schedules/${schedule.id}.overrides.json`, await get(`/v2/schedules/${id}/overrides`, { scheduleIdentifierType: 'id' }));
    files.set(
      `schedules/${schedule.id}.timeline.json`,
      await get(`/v2/schedules/${id}/timeline`, { identifierType: 'id', date: options.since.toISOString(), interval: String(options.weeks), intervalUnit: 'weeks' }),
    );
  }
  http.progress('Opsgenie: listing escalations');
  files.set('escalations.json', await get('/v2/escalations'));
  files.set('window.json', { since: options.since.toISOString(), until: new Date(options.since.getTime() + options.weeks * 7 * 86_400_000).toISOString() });
  return files;
}
