/**
 * A tiny router for the sandbox's REST API. Route templates use GitHub's OpenAPI path syntax
 * (`/repos/{owner}/{repo}/issues/{issue_number}`) so the same string is the key in
 * `/_sandbox/stats` and the key to look up the operation in `@octokit/openapi`.
 */
import type { RequestPrice } from './requestPrice.ts';
import type { Permission, SandboxUser } from './store.ts';

export interface SandboxRequest {
  method: string;
  /** The OpenAPI template the request matched, e.g. `/repos/{owner}/{repo}/issues`. */
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** Who is calling: a seeded user, the app (JWT), or an installation/bot token. */
  actor: Actor | null;
  /** The client's address: anonymous callers' rate limits are per IP. */
  remoteAddress: string;
}

export type Actor =
  | { kind: 'user'; user: SandboxUser }
  | { kind: 'app' } // authenticated with the app's JWT: only /app/* routes
  | { kind: 'installation'; user: SandboxUser; installationId: number };

export interface SandboxResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export interface RouteOptions {
  /** `none`: no auth needed; `optional`: anonymous allowed (public reads); `required` (default). */
  auth?: 'none' | 'optional' | 'required';
  /** Counted separately in stats, and against the content creation limits, as GitHub's secondary rate limit counts content creation. */
  contentCreating?: boolean;
  /**
   * Prices a request from its body (GraphQL documents). Without it: 1 request against the primary
   * limit, 1 secondary point for GET/HEAD/OPTIONS and 5 for other methods, content-creating as flagged.
   */
  price?: (body: unknown) => Omit<RequestPrice, 'resource' | 'endpoint'>;
  /** Not counted against the primary limit (`GET /rate_limit`), though the secondary limits apply. */
  freeOfPrimary?: boolean;
}

export interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  options: RouteOptions;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: { resource?: string; field?: string; code: string; message?: string }[],
  ) {
    super(message);
  }

  /** GitHub's error body shape. */
  toBody(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: 'https://docs.github.com/rest',
      status: String(this.status),
    };
  }
}

export const permissionRank: Record<Permission, number> = {
  none: 0,
  read: 1,
  triage: 2,
  write: 3,
  maintain: 4,
  admin: 5,
};

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler, options: RouteOptions = {}): void {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      // `{path}` in the contents API and `{ref}` in git refs may contain slashes.
      return name === 'path' || name === 'ref' || name === 'basehead' ? '(.+)' : '([^/]+)';
    });
    this.routes.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), names, handler, options });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed: string[] = [];
    let best: { route: Route; m: RegExpExecArray } | undefined;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== method.toUpperCase()) {
        allowed.push(route.method);
        continue;
      }
      // The most literal template wins (`/issues/comments` over `/issues/{issue_number}`), whatever the registration order.
      if (!best || route.names.length < best.route.names.length) best = { route, m };
    }
    if (best) {
      const { route, m } = best;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route, params };
    }
    return allowed.length ? { allowed } : null;
  }

  list(): { method: string; template: string; options: RouteOptions }[] {
    return this.routes.map(({ method, template, options }) => ({ method, template, options }));
  }
}
