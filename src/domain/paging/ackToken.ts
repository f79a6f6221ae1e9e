import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one-tap acknowledge link's token: who may acknowledge which incident with it, which page it
 * came with, until when, signed with a key only the server holds. Compact, because it travels in
 * SMS: `base64url("v1:owner/repo:issue:login:page:expiry")` `.` 128 bits of HMAC-SHA256. The
 * incident id is signed but not carried: a token for issue 12 is worthless once issue 12 holds
 * another incident (a reused number, a moved issue).
 */
export interface AckGrant {
  repo: { owner: string; repo: string };
  issue: number;
  /** The incident id from the state block. */
  incident: string;
  login: string;
  /** The page it was sent with (also what makes the link single-use). */
  page: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type AckTokenCheck =
  | { ok: true; grant: Omit<AckGrant, 'incident'> }
  | { ok: false; reason: 'malformed'; message: string };

const VERSION = 'v1';
const SIGNATURE_BYTES = 16;

function signature(key: string, payload: string, incident: string): Buffer {
  return createHmac('sha256', key).update(`firewatch-ack\n${payload}\n${incident}`).digest().subarray(0, SIGNATURE_BYTES);
}

export function signAckToken(grant: AckGrant, key: string): string {
  const payload = Buffer.from([VERSION, `${grant.repo.owner}/${grant.repo.repo}`, grant.issue, grant.login, grant.page, grant.expiresAt].join(':')).toString('base64url');
  return `${payload}.${signature(key, payload, grant.incident).toString('base64url')}`;
}

/** What a token claims, before anything is trusted: the caller still has to `verifyAckToken` it against the incident. */
export function readAckToken(token: string): AckTokenCheck {
  const malformed = { ok: false as const, reason: 'malformed' as const, message: 'This is not a firewatch acknowledge link (it may have been cut short: open the whole link from the page).' };
  const match = /^([A-Za-z0-9_-]{8,300})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1]) return malformed;
  const fields = Buffer.from(match[1], 'base64url').toString('utf8').split(':');
  if (fields.length !== 6 || fields[0] !== VERSION) return malformed;
  const [, repo = '', issue = '', login = '', page = '', expires = ''] = fields;
  const [owner, name] = repo.split('/');
  if (!owner || !name || !/^[\w.-]+$/.test(owner) || !/^[\w.-]+$/.test(name) || !/^[1-9]\d{0,9}$/.test(issue) || !/^[A-Za-z\d-]{1,39}$/.test(login) || !/^[\w-]{1,40}$/.test(page) || !/^\d{1,12}$/.test(expires)) return malformed;
  return { ok: true, grant: { repo: { owner, repo: name }, issue: Number(issue), login, page, expiresAt: Number(expires) } };
}

/** Whether `token` was signed with `key` for `incident` (constant time). */
export function verifyAckToken(token: string, key: string, incident: string): boolean {
  const [payload = '', given = ''] = token.split('.');
  const expected = signature(key, payload, incident);
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The value the confirm form posts back: ties the POST to a page firewatch rendered for this token. */
export function confirmValue(token: string, key: string): string {
  return createHmac('sha256', key).update(`firewatch-ack-confirm\n${token}`).digest('base64url').slice(0, 32);
}

export function checkConfirmValue(token: string, key: string, value: string | undefined): boolean {
  if (!value) return false;
  const expected = Buffer.from(confirmValue(token, key));
  const actual = Buffer.from(value);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
