/**
 * The sandbox's HTTP edge: GHES layout (REST under `/api/v3`, GraphQL at `/api/graphql`),
 * control endpoints under `/_sandbox/` and the web UI everywhere else. Parses and bounds
 * bodies, authenticates, dispatches to the router and answers with GitHub's headers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppCredentials } from './auth.ts';
import { clockChangeSchema } from './clock.ts';
import { fixtureSchema } from './fixture.ts';
import { limitsInputSchema, presetOf, resolveLimits } from './limitSettings.ts';
import { callerOf, refusalResponse } from './rateLimits.ts';
import type { RateLimitResource, RequestPrice } from './requestPrice.ts';
import { HttpError, type Actor, type Route, type SandboxResponse } from './router.ts';
import type { SandboxApi } from './types.ts';

const MAX_BODY_BYTES = 1024 * 1024;
const API_PREFIX = '/api/v3';
const GRAPHQL_PATH = '/api/graphql';
const CONTROL_PREFIX = '/_sandbox/';

type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface ServerContext {
  sandbox: SandboxApi;
  credentials: AppCredentials;
  /** Records a request made by the app (installation token, app JWT, bot token). */
  countAppRequest(request: AppRequest): void;
  web?: WebHandler;
}

/** One request by the app, as `/_sandbox/stats` counts it. */
export interface AppRequest {
  /** `POST /repos/{owner}/{repo}/issues` */
  route: string;
  contentCreating: boolean;
  status: number;
  /** Refused by a rate limit. */
  limited: boolean;
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
  return parseBody(Buffer.concat(chunks).toString('utf8'));
}

function parseBody(text: string): Body {
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { kind: 'too-large' };
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'malformed' };
  }
}

const REQUEST_ID_PREFIX = randomBytes(4).toString('hex').toUpperCase().replace(/(.{4})(.{4})/, '$1:$2');
let requestCount = 0;

/** `X-GitHub-Request-Id`-shaped and unique per process; a counter, as random bytes per request add up over thousands. */
function requestId(): string {
  requestCount += 1;
  return `${REQUEST_ID_PREFIX}:${requestCount.toString(16).toUpperCase().padStart(8, '0').replace(/(.{4})(.{4})$/, '$1:$2')}`;
}

/** A response as it goes on the wire: status, headers, and the body text (none for 204/304). */
interface WireResponse {
  status: number;
  headers: Record<string, string>;
  text: string | undefined;
}

function toWire(response: SandboxResponse, extraHeaders: Record<string, string> = {}): WireResponse {
  const headers: Record<string, string> = { ...extraHeaders, ...response.headers };
  if (response.status === 204 || response.status === 304 || response.body === undefined) return { status: response.status, headers, text: undefined };
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  return { status: response.status, headers, text };
}

function send(res: ServerResponse, response: SandboxResponse, extraHeaders: Record<string, string> = {}): void {
  const wire = toWire(response, extraHeaders);
  if (wire.text === undefined) res.writeHead(wire.status, wire.headers).end();
  else res.writeHead(wire.status, wire.headers).end(wire.text);
}

function errorResponse(error: HttpError): SandboxResponse {
  return { status: error.status, body: error.toBody() };
}

export function createRequestHandler(context: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(context, req, res).catch((error: unknown) => {
      process.stderr.write(`sandbox: ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) send(res, { status: 500, body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' } });
      else res.destroy();
    });
  };
}

async function handle(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  await handleApi(context, req, res, routerPath, url.searchParams);
}

async function handleApi(context: ServerContext, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const remoteAddress = req.socket.remoteAddress ?? '';
  const identity = identify(context, req.headers);
  // In flight from the moment the request arrives, body upload included, until it is answered.
  const release = 'actor' in identity ? context.sandbox.rateLimits.enter(callerOf(identity.actor, remoteAddress, context.sandbox.appId)) : undefined;
  try {
    const body = await readBody(req);
    const call = { method: (req.method ?? 'GET').toUpperCase(), path, query, headers: req.headers, body, remoteAddress, identity };
    const { response, headers } = await answerApi(context, call);
    send(res, response, headers);
  } finally {
    release?.();
  }
}

/** Who sent a request, from its `Authorization` header: an actor (null: anonymous), or the 401 to answer. */
type Identity = { actor: Actor | null } | { error: HttpError };

function identify(context: ServerContext, headers: Record<string, string | string[] | undefined>): Identity {
  const authorization = headers['authorization'];
  try {
    return { actor: context.credentials.authenticate(context.sandbox, Array.isArray(authorization) ? authorization[0] : authorization) };
  } catch (error) {
    if (error instanceof HttpError) return { error };
    throw error;
  }
}

/** One REST or GraphQL request, whether it came over a socket or from `createApiFetch`. */
interface ApiCall {
  method: string;
  /** The path below `/api/v3` (`/graphql` for GraphQL). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Body;
  remoteAddress: string;
  identity: Identity;
}

const CHEAP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the request costs against the rate limits: GitHub's points per method, unless the route prices its body (GraphQL). */
function priceOf(route: Route | undefined, method: string, body: Body, resource: RateLimitResource): RequestPrice {
  const priced = route?.options.price?.(body.kind === 'json' ? body.value : undefined) ?? { primary: 1, points: CHEAP_METHODS.has(method) ? 1 : 5, contentCreating: route?.options.contentCreating === true };
  return { ...priced, primary: route?.options.freeOfPrimary ? 0 : priced.primary, resource, endpoint: route ? `${route.method} ${route.template}` : undefined };
}

async function answerApi(context: ServerContext, call: ApiCall): Promise<{ response: SandboxResponse; headers: Record<string, string> }> {
  const { sandbox } = context;
  const { method, path, body, identity } = call;
  const requestIdValue = requestId();
  const base: Record<string, string> = {
    'x-github-request-id': requestIdValue,
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'access-control-allow-origin': '*',
  };
  const reply = (response: SandboxResponse) => ({ response, headers: base });
  if (body.kind === 'too-large') return reply({ status: 413, body: { message: 'Payload Too Large', documentation_url: 'https://docs.github.com/rest', status: '413' } });
  if ('error' in identity) return reply(errorResponse(identity.error));
  const { actor } = identity;
  const resource = path === '/graphql' ? 'graphql' : path.startsWith('/search/') ? 'search' : 'core';
  const matched = sandbox.router.match(method, path);
  const found = matched && 'route' in matched ? matched : undefined;
  const caller = callerOf(actor, call.remoteAddress, sandbox.appId);
  const price = priceOf(found?.route, method, body, resource);
  // Unknown paths count against the primary limit too, as on GitHub: every request is checked.
  const admission = sandbox.rateLimits.admit(caller, price);
  Object.assign(base, admission.headers);
  const answer = (response: SandboxResponse) => {
    if (price.endpoint && actor && actor.kind !== 'user') context.countAppRequest({ route: price.endpoint, contentCreating: price.contentCreating, status: response.status, limited: !admission.ok });
    return reply(response);
  };
  if (!admission.ok) return answer(refusalResponse(caller, resource, admission.refusedBy, requestIdValue));
  if (body.kind === 'malformed') return answer({ status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' } });
  // GitHub answers an unsupported method on a known path with 404, like an unknown path.
  if (!found) return reply({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } });
  const { route, params } = found;
  const auth = route.options.auth ?? 'required';
  if (auth === 'required' && !actor) return answer(errorResponse(new HttpError(401, 'Requires authentication')));
  try {
    return answer(
      await route.handler({
        method,
        route: route.template,
        params,
        query: call.query,
        body: body.kind === 'json' ? body.value : undefined,
        headers: call.headers,
        actor: auth === 'none' ? null : actor,
        remoteAddress: call.remoteAddress,
      }),
    );
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return answer(errorResponse(error));
  }
}

/**
 * The REST API and GraphQL as a `fetch` function, without a socket: the same authentication,
 * routes, request counting (`stats()`) and JSON as over HTTP. For clients in the sandbox's own
 * process that make thousands of requests (Octokit's `request: { fetch }`), where a loopback
 * round trip costs more than the request itself. Paths outside `/api/` answer 404.
 */
export function createApiFetch(context: ServerContext): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = await readFetchRequest(input, init);
    const url = new URL(request.url);
    let path: string | undefined;
    if (url.pathname === GRAPHQL_PATH) path = '/graphql';
    else if (url.pathname.startsWith(`${API_PREFIX}/`)) path = url.pathname.slice(API_PREFIX.length);
    let wire: WireResponse;
    if (path === undefined) wire = toWire({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } });
    else {
      const remoteAddress = '127.0.0.1';
      const identity = identify(context, request.headers);
      const release = 'actor' in identity ? context.sandbox.rateLimits.enter(callerOf(identity.actor, remoteAddress, context.sandbox.appId)) : undefined;
      const call = { method: request.method, path, query: url.searchParams, headers: request.headers, body: parseBody(request.text), remoteAddress, identity };
      try {
        const { response, headers: extra } = await answerApi(context, call);
        wire = toWire(response, extra);
      } catch (error) {
        process.stderr.write(`sandbox: ${call.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        wire = toWire({ status: 500, body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' } });
      } finally {
        release?.();
      }
    }
    const response = new Response(wire.text ?? null, { status: wire.status, headers: wire.headers });
    // A fetched response knows its URL; Octokit reports it with errors.
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  };
}

/**
 * Method, URL, lower-cased headers and body text of a `fetch` call. What Octokit passes (a URL
 * string, plain headers, a string body) is read directly; anything else goes through `Request`.
 */
async function readFetchRequest(input: string | URL | Request, init: RequestInit | undefined): Promise<{ method: string; url: string; headers: Record<string, string>; text: string }> {
  const headers = init?.headers;
  const body = init?.body;
  if (typeof input === 'string' && (body === undefined || body === null || typeof body === 'string') && (headers === undefined || (!(headers instanceof Headers) && !Array.isArray(headers)))) {
    const lower: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = String(value);
    return { method: (init?.method ?? 'GET').toUpperCase(), url: input, headers: lower, text: body ?? '' };
  }
  const request = new Request(input, init);
  const lower: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    lower[name] = value;
  });
  return { method: request.method.toUpperCase(), url: request.url, headers: lower, text: await request.text() };
}

/** `GET /_sandbox/limits`: the preset (or `custom`), every limit in force (null: none), and what each caller has spent. */
function limitsBody(sandbox: SandboxApi): Record<string, unknown> {
  const settings = sandbox.rateLimits.inForce;
  return { preset: presetOf(settings), ...settings, usage: sandbox.rateLimits.usage() };
}

function clockJson(sandbox: SandboxApi): { now: string; running: boolean } {
  const { now, running } = sandbox.readClock();
  return { now: now.toISOString(), running };
}

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
        return send(res, { status: 422, body: { error: 'Invalid fixture', hint: 'see the fixture format in the README of @firewatch/sandbox (packages/sandbox/README.md, "Fixtures")', errors } }, headers);
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
      return send(res, { status: 200, body: clockJson(sandbox) }, headers);
    case 'POST /clock': {
      const parsed = clockChangeSchema.safeParse(json);
      if (!parsed.success) {
        return send(
          res,
          {
            status: 422,
            body: {
              error: 'Invalid clock',
              hint: 'send {"now": "<ISO-8601 time>"} (it then stands still; add "running": true to let it run), {"advance": "PT30M"} (or milliseconds), or {"running": true|false}',
              errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
            },
          },
          headers,
        );
      }
      try {
        await sandbox.changeClock(parsed.data);
      } catch (error) {
        // The clock did move; what failed is the app's reaction to it (its sweep), which the caller needs to see.
        const message = error instanceof Error ? error.message : String(error);
        return send(res, { status: 500, body: { error: 'the clock moved, but the clock-change hook failed', hint: message, ...clockJson(sandbox) } }, headers);
      }
      return send(res, { status: 200, body: clockJson(sandbox) }, headers);
    }
    case 'GET /deliveries':
      return send(res, { status: 200, body: sandbox.deliveries() }, headers);
    case 'POST /notifications': {
      // The inbox a demo configuration's webhook target points at; the web UI shows it at /notifications.
      if (json === undefined) return send(res, { status: 400, body: { error: 'empty notification', hint: 'POST the JSON body a notification target sends' } }, headers);
      const signature = req.headers['x-firewatch-signature'];
      const userAgent = req.headers['user-agent'];
      sandbox.receiveNotification({
        at: sandbox.now().toISOString(),
        body: json,
        ...(typeof signature === 'string' ? { signature } : {}),
        ...(userAgent ? { userAgent } : {}),
      });
      return send(res, { status: 202, body: { ok: true } }, headers);
    }
    case 'GET /notifications':
      return send(res, { status: 200, body: sandbox.notifications() }, headers);
    case 'GET /limits':
      return send(res, { status: 200, body: limitsBody(sandbox) }, headers);
    case 'POST /limits': {
      const parsed = limitsInputSchema.safeParse(json);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
        return send(res, { status: 422, body: { error: 'Invalid limits', hint: 'send {"preset": "github"}, {"preset": "off"} or limits such as {"contentCreatingPerMinute": 80} (positive integers, null for none)', errors } }, headers);
      }
      sandbox.rateLimits.configure(resolveLimits(parsed.data));
      return send(res, { status: 200, body: limitsBody(sandbox) }, headers);
    }
    case 'DELETE /limits/usage':
      sandbox.rateLimits.resetUsage();
      return send(res, { status: 204 }, headers);
    default:
      return send(res, { status: 404, body: { error: 'Not Found', hint: 'control endpoints: POST /_sandbox/reset, GET|DELETE /_sandbox/stats, GET|POST /_sandbox/clock, GET /_sandbox/deliveries, GET|POST /_sandbox/notifications, GET|POST /_sandbox/limits, DELETE /_sandbox/limits/usage' } }, headers);
  }
}
