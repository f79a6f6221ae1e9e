/**
 * The sandbox's HTTP edge: GHES layout (REST under `/api/v3`, GraphQL at `/api/graphql`),
 * control endpoints under `/_sandbox/` and the web UI everywhere else. Parses and bounds
 * bodies, authenticates, dispatches to the router and answers with GitHub's headers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppCredentials } from './auth.ts';
import { fixtureSchema } from './fixture.ts';
import { HttpError, type Actor, type SandboxResponse } from './router.ts';
import type { SandboxApi } from './types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
const API_PREFIX = '/api/v3';
const GRAPHQL_PATH = '/api/graphql';
const CONTROL_PREFIX = '/_sandbox/';

export type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface ServerContext {
  sandbox: SandboxApi;
  credentials: AppCredentials;
  /** Records a request made by the app (installation token, app JWT, bot token). */
  countAppRequest(key: string, contentCreating: boolean): void;
  web?: WebHandler;
}

type Body = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'too-large' } | { kind: 'malformed' };

async function readBody(req: IncomingMessage): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return { kind: 'too-large' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  }
  if (tooLarge) return { kind: 'too-large' };
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'malformed' };
  }
}

function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase().replace(/(.{4})(.{4})(.{4})(.{4})/, '$1:$2:$3:$4');
}

function send(res: ServerResponse, response: SandboxResponse, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders, ...response.headers };
  if (response.status === 204 || response.status === 304 || response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers).end(text);
}

function errorResponse(error: HttpError): SandboxResponse {
  return { status: error.status, body: error.toBody() };
}

/** Per-credential request counts in the current hour, for plausible `x-ratelimit-*` headers. */
class RateLimits {
  private window = 0;
  private readonly used = new Map<string, number>();

  headers(actor: Actor | null, remoteAddress: string, resource: 'core' | 'search' | 'graphql'): Record<string, string> {
    const hour = Math.floor(Date.now() / 3_600_000);
    if (hour !== this.window) {
      this.window = hour;
      this.used.clear();
    }
    const who = !actor ? `anon:${remoteAddress}` : actor.kind === 'app' ? 'app' : `${actor.kind}:${actor.user.login}`;
    const key = `${resource}:${who}`;
    const used = (this.used.get(key) ?? 0) + 1;
    this.used.set(key, used);
    const limit = resource === 'search' ? 30 : !actor ? 60 : 5000;
    // Nothing is enforced, so never advertise an exhausted budget (throttling clients would wait for the reset).
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(limit - (used % limit)),
      'x-ratelimit-reset': String((hour + 1) * 3600),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': resource,
    };
  }
}

export function createRequestHandler(context: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  const rateLimits = new RateLimits();
  return (req, res) => {
    handle(context, rateLimits, req, res).catch((error: unknown) => {
      process.stderr.write(`sandbox: ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) send(res, { status: 500, body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' } });
      else res.destroy();
    });
  };
}

async function handle(context: ServerContext, rateLimits: RateLimits, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = url.pathname;
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(context, req, res, path.slice(CONTROL_PREFIX.length - 1));
  let routerPath: string | undefined;
  if (path === GRAPHQL_PATH) routerPath = '/graphql';
  else if (path.startsWith(`${API_PREFIX}/`)) routerPath = path.slice(API_PREFIX.length);
  if (routerPath === undefined) {
    if (!path.startsWith('/api/') && context.web && (await context.web(req, res))) return;
    send(res, { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } });
    return;
  }
  await handleApi(context, rateLimits, req, res, routerPath, url.searchParams);
}

async function handleApi(context: ServerContext, rateLimits: RateLimits, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const { sandbox } = context;
  const method = (req.method ?? 'GET').toUpperCase();
  const base: Record<string, string> = {
    'x-github-request-id': requestId(),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'access-control-allow-origin': '*',
  };
  const body = await readBody(req);
  if (body.kind === 'too-large') {
    send(res, { status: 413, body: { message: 'Payload Too Large', documentation_url: 'https://docs.github.com/rest', status: '413' } }, base);
    return;
  }
  let actor: Actor | null;
  try {
    const authorization = req.headers.authorization;
    actor = context.credentials.authenticate(sandbox, authorization);
  } catch (error) {
    if (error instanceof HttpError) return send(res, errorResponse(error), base);
    throw error;
  }
  const resource = path === '/graphql' ? 'graphql' : path.startsWith('/search/') ? 'search' : 'core';
  Object.assign(base, rateLimits.headers(actor, req.socket.remoteAddress ?? '', resource));
  if (body.kind === 'malformed') {
    send(res, { status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' } }, base);
    return;
  }
  const matched = sandbox.router.match(method, path);
  // GitHub answers an unsupported method on a known path with 404, like an unknown path.
  if (!matched || !('route' in matched)) {
    send(res, { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } }, base);
    return;
  }
  const { route, params } = matched;
  if (actor && actor.kind !== 'user') context.countAppRequest(`${route.method} ${route.template}`, route.options.contentCreating === true);
  const auth = route.options.auth ?? 'required';
  if (auth === 'required' && !actor) {
    send(res, errorResponse(new HttpError(401, 'Requires authentication')), base);
    return;
  }
  let response: SandboxResponse;
  try {
    response = await route.handler({
      method,
      route: route.template,
      params,
      query,
      body: body.kind === 'json' ? body.value : undefined,
      headers: req.headers,
      actor: auth === 'none' ? null : actor,
    });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    response = errorResponse(error);
  }
  send(res, response, base);
}

const clockBody = z.object({ now: z.iso.datetime({ offset: true }) });

async function handleControl(context: ServerContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const { sandbox } = context;
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  const headers = { 'cache-control': 'no-store' };
  if (body.kind === 'too-large') return send(res, { status: 413, body: { error: 'body over 1 MiB' } }, headers);
  if (body.kind === 'malformed') return send(res, { status: 400, body: { error: 'Problems parsing JSON', hint: 'send a JSON object' } }, headers);
  const json = body.kind === 'json' ? body.value : undefined;
  const key = `${method} ${path}`;
  switch (key) {
    case 'POST /reset': {
      const parsed = fixtureSchema.safeParse(json ?? {});
      if (!parsed.success) {
        const errors = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
        return send(res, { status: 422, body: { error: 'Invalid fixture', hint: 'see the fixture format in src/sandbox/fixture.ts', errors } }, headers);
      }
      try {
        sandbox.reset(parsed.data);
      } catch (error) {
        // reset() restores the previous world before rethrowing, so nothing changed.
        return send(res, { status: 422, body: { error: 'Fixture could not be applied', hint: error instanceof Error ? error.message : String(error) } }, headers);
      }
      return send(res, { status: 200, body: { ok: true, now: sandbox.now().toISOString() } }, headers);
    }
    case 'GET /stats':
      return send(res, { status: 200, body: sandbox.stats() }, headers);
    case 'DELETE /stats':
      sandbox.resetStats();
      return send(res, { status: 204 }, headers);
    case 'GET /clock':
      return send(res, { status: 200, body: { now: sandbox.now().toISOString() } }, headers);
    case 'POST /clock': {
      const parsed = clockBody.safeParse(json);
      if (!parsed.success) {
        return send(res, { status: 422, body: { error: 'Invalid clock', hint: 'send {"now": "<ISO-8601 time>"}', errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } }, headers);
      }
      try {
        await sandbox.setNow(new Date(parsed.data.now));
      } catch (error) {
        // The clock did move; what failed is the app's reaction to it (its sweep), which the caller needs to see.
        const message = error instanceof Error ? error.message : String(error);
        return send(res, { status: 500, body: { error: 'the clock moved, but the clock-change hook failed', hint: message, now: sandbox.now().toISOString() } }, headers);
      }
      return send(res, { status: 200, body: { now: sandbox.now().toISOString() } }, headers);
    }
    case 'GET /deliveries':
      return send(res, { status: 200, body: sandbox.deliveries() }, headers);
    default:
      return send(res, { status: 404, body: { error: 'Not Found', hint: 'control endpoints: POST /_sandbox/reset, GET|DELETE /_sandbox/stats, GET|POST /_sandbox/clock, GET /_sandbox/deliveries' } }, headers);
  }
}
