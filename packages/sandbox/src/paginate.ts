/**
 * GitHub's page-based pagination: `per_page` (default 30, at most 100) and `page`, with a
 * `link` header carrying `next`/`last`/`first`/`prev` so Octokit's paginate() walks the pages.
 */
import type { SandboxRequest, SandboxResponse } from './router.ts';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function positiveInt(value: string | null, fallback: number): number {
  const n = value === null ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function pageParams(request: SandboxRequest): { perPage: number; page: number } {
  return {
    perPage: Math.min(positiveInt(request.query.get('per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE),
    page: positiveInt(request.query.get('page'), 1),
  };
}

/** The request's own API URL (template filled with its params), for `link` headers. */
function requestUrl(apiUrl: string, request: SandboxRequest): string {
  return apiUrl + request.route.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(request.params[name] ?? ''));
}

function linkHeader(apiUrl: string, request: SandboxRequest, page: number, lastPage: number): string | undefined {
  const base = requestUrl(apiUrl, request);
  const link = (p: number, rel: string): string => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(p));
    return `<${base}?${query.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(page - 1, 'prev'));
  if (page < lastPage) parts.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) parts.push(link(1, 'first'));
  return parts.length ? parts.join(', ') : undefined;
}

/** One page of `items` as a 200 response with the `link` header. */
export function paginated<T>(apiUrl: string, request: SandboxRequest, items: T[], toJson: (item: T) => unknown = (item) => item): SandboxResponse {
  const { perPage, page } = pageParams(request);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage).map(toJson);
  const link = linkHeader(apiUrl, request, page, lastPage);
  return { status: 200, body, ...(link ? { headers: { link } } : {}) };
}
