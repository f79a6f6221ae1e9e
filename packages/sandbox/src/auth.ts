/**
 * Who is calling, and what they may do. Tokens map to seeded users; the embedded GitHub App
 * authenticates with an RS256 JWT and trades it for installation tokens that act as its bot.
 * Checks fail closed: an unknown token is a 401, a repository the caller cannot see is a 404.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { HttpError, permissionRank, type Actor, type SandboxRequest } from './router.ts';
import { repoKey, type Permission, type RepoRecord, type SandboxUser } from './store.ts';
import type { SandboxApi } from './types.ts';

/** Token the Action runtime and simple clients use to act as the app's bot without a JWT. */
export const BOT_TOKEN = 'sandbox-firewatch';
const INSTALLATION_TOKEN_TTL_MS = 60 * 60 * 1000;

export interface IssuedToken {
  token: string;
  /** Real time: clients compare it with their own clock to decide when to refresh. */
  expiresAt: Date;
}

function generateAppKey(): { privateKey: string; publicKey: KeyObject } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A GitHub App JWT as GitHub documents it (iat 60 s in the past, exp at most 10 minutes). */
export function signAppJwt(privateKey: string, appId: number, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000) - 60;
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat, exp: iat + 600, iss: appId }));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** Verifies signature, algorithm, expiry and issuer; JWTs are checked against real time, as clients sign with it. */
function verifyAppJwt(jwt: string, publicKey: KeyObject, appId: number, nowMs = Date.now()): { ok: true } | { ok: false; message: string } {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { ok: false, message: 'A JSON web token could not be decoded' };
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: 'A JSON web token could not be decoded' };
  }
  if (!isRecord(header) || header['alg'] !== 'RS256' || !isRecord(payload)) return { ok: false, message: 'A JSON web token could not be decoded' };
  const signed = verify('RSA-SHA256', Buffer.from(`${headerPart}.${payloadPart}`), publicKey, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return { ok: false, message: 'A JSON web token could not be decoded' };
  const { exp, iat, iss } = payload;
  const now = Math.floor(nowMs / 1000);
  if (typeof exp !== 'number' || exp <= now) return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires" };
  if (typeof iat !== 'number' || iat > now + 60) return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing a time in the past" };
  if (exp - iat > 600 + 60) return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  if (String(iss) !== String(appId)) return { ok: false, message: "'Issuer' claim ('iss') must match the App ID" };
  return { ok: true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Installation tokens live outside `SandboxState` so a reset does not log the app out.
 */
export class AppCredentials {
  readonly privateKey: string;
  private readonly publicKey: KeyObject;
  private readonly installationTokens = new Map<string, { installationId: number; expiresAt: number }>();

  constructor(readonly appId: number) {
    const key = generateAppKey();
    this.privateKey = key.privateKey;
    this.publicKey = key.publicKey;
  }

  issueInstallationToken(installationId: number, nowMs = Date.now()): IssuedToken {
    const token = `ghs_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
    const expiresAt = nowMs + INSTALLATION_TOKEN_TTL_MS;
    this.installationTokens.set(token, { installationId, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** Resolves the `Authorization` header. `undefined` header → anonymous (null actor). */
  authenticate(sandbox: SandboxApi, header: string | undefined, nowMs = Date.now()): Actor | null {
    if (!header) return null;
    const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new HttpError(401, 'Bad credentials');
    const credential = match[1];
    if (credential.split('.').length === 3) {
      const result = verifyAppJwt(credential, this.publicKey, this.appId, nowMs);
      if (!result.ok) throw new HttpError(401, result.message);
      return { kind: 'app' };
    }
    const bot = sandbox.user(sandbox.state.installation.botLogin);
    if (credential === BOT_TOKEN && bot) return { kind: 'installation', user: bot, installationId: sandbox.state.installation.id };
    const issued = this.installationTokens.get(credential);
    if (issued) {
      if (issued.expiresAt <= nowMs) {
        this.installationTokens.delete(credential);
        throw new HttpError(401, 'Bad credentials');
      }
      if (!bot || issued.installationId !== sandbox.state.installation.id) throw new HttpError(401, 'Bad credentials');
      return { kind: 'installation', user: bot, installationId: issued.installationId };
    }
    for (const user of sandbox.state.users.values()) {
      if (user.token && user.token === credential) return { kind: 'user', user };
    }
    throw new HttpError(401, 'Bad credentials');
  }
}

/** The bot's installation covers every repository of its account with write access. */
export function permissionFor(sandbox: SandboxApi, repo: RepoRecord, actor: Actor | null): Permission {
  if (!actor) return repo.private ? 'none' : 'read';
  if (actor.kind === 'app') return 'none';
  if (actor.kind === 'installation') return repo.owner.toLowerCase() === sandbox.state.installation.account.toLowerCase() ? 'write' : repo.private ? 'none' : 'read';
  const explicit = repo.collaborators.get(actor.user.login);
  if (explicit) return explicit;
  return repo.private ? 'none' : 'read';
}

/** The acting user for attribution (`user`, `sender`). Throws for app JWTs, which cannot act on repositories. */
export function actingUser(request: SandboxRequest): SandboxUser {
  const actor = request.actor;
  if (!actor) throw new HttpError(401, 'Requires authentication');
  if (actor.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
  return actor.user;
}

export interface RepoAccess {
  repo: RepoRecord;
  permission: Permission;
}

/**
 * Loads `{owner}/{repo}` and checks the caller holds at least `minimum`. Invisible repositories
 * are 404 (as GitHub hides private repositories); visible but insufficient is 403.
 */
export function requireRepo(sandbox: SandboxApi, request: SandboxRequest, minimum: Permission = 'read'): RepoAccess {
  const repo = sandbox.state.repos.get(repoKey(request.params['owner'] ?? '', request.params['repo'] ?? ''));
  if (!repo) throw new HttpError(404, 'Not Found');
  if (request.actor?.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
  const permission = permissionFor(sandbox, repo, request.actor);
  if (permissionRank[permission] < permissionRank.read) throw new HttpError(404, 'Not Found');
  if (permissionRank[permission] < permissionRank[minimum]) throw forbidden(request, minimum);
  return { repo, permission };
}

export function forbidden(request: SandboxRequest, minimum: Permission): HttpError {
  if (!request.actor) return new HttpError(401, 'Requires authentication');
  if (request.actor.kind !== 'user') return new HttpError(403, 'Resource not accessible by integration');
  return new HttpError(403, `Must have ${minimum} access to repository`);
}

export function atLeast(permission: Permission, minimum: Permission): boolean {
  return permissionRank[permission] >= permissionRank[minimum];
}
