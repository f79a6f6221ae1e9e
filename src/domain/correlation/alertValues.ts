/**
 * Literal values an alert quotes — a number (`5000`, `2147483647`), a code or key (`CH-ZH`,
 * `REDIS_CLUSTER_NODES`, `paypal_vault_v2`, `pt-BR`), a URL path (`/health/ready`, `/images/*`),
 * a network (`10.4.32.0/20`), a quoted message (`"currency code not supported"`) — and the changes that carry the very same
 * value in their title, description or changed lines. An engineer who reads "max.poll.records 5000"
 * in the alert and "poll 5000 records at a time" in a PR stops looking: the word-level match
 * (`alertMatch.ts`) drops numbers and splits codes into words, so it cannot see this.
 *
 * Weighed like the word match, as a log likelihood ratio: a culprit carries a value its alert
 * quotes perhaps a third of the time, an innocent change almost never (a value is one thing, not
 * a topic): +1.2 for the first value only this change carries (+1.8 for a name or message the
 * error quotes, `KeyError: 'vat_rate'`: the change that writes that name wrote what failed),
 * divided among the changes that carry it; each further one counts half; at most +2.4. Values
 * that only name the alerting service (`mobile-bff`) are not read: every change of it says them. The evidence quotes the value and where
 * the change says it.
 *
 * Pure: text in, values and evidence out.
 */
import type { ChangeCandidate } from './candidate.ts';
import { changeDocument } from './changeText.ts';
import { escapeRegExp } from '../text/escapeRegExp.ts';
import { classifyPath } from './classifyPath.ts';

type ValueKind = 'number' | 'quantity' | 'code' | 'path' | 'quoted';

export interface AlertValue {
  /** As the alert wrote it. */
  text: string;
  kind: ValueKind;
  /**
   * A quantity's size in one unit (`500ms`, `0.5 s` → `time:500`; `512Mi`, `512 MiB` → `bytes:512M`),
   * a number's digits without separators (`5,000` → `5000`): the same value written another way
   * is the same value.
   */
  canonical?: string;
}

export const VALUE_WEIGHTS = { first: 1.2, quoted: 1.8, max: 2.4, setting: 1.5 } as const;

/** At most this many values are read from one alert: the rest would be noise of a long log excerpt. */
const MAX_VALUES = 24;

/** The HTTP statuses alerts quote; other three-digit numbers (`256` MB, `384` rows) are values. */
const COMMON_STATUSES: ReadonlySet<string> = new Set(['200', '201', '202', '204', '301', '302', '304', '400', '401', '403', '404', '405', '408', '409', '410', '413', '415', '422', '429', '499', '500', '501', '502', '503', '504']);

/**
 * Three-digit numbers that are HTTP statuses, and four-digit ones that are years, say nothing
 * specific, unless the alert gives one as a gauge at its cap (`clients 400 of 400`: a limit).
 */
function telling(number: string, full: ReadonlySet<string> = new Set()): boolean {
  if (COMMON_STATUSES.has(number)) return full.has(number);
  if (/^(?:19|20)\d{2}$/.test(number)) return false;
  return !/^0+$/.test(number);
}

/** Capitalised words that name no binding or setting: levels, methods, protocols, states. */
const SHOUTED: ReadonlySet<string> = new Set(['ERROR', 'ERRORS', 'FATAL', 'DEBUG', 'TRACE', 'WARNING', 'NOTICE', 'ALERT', 'CRITICAL', 'PANIC', 'FIRING', 'RESOLVED', 'PATCH', 'DELETE', 'OPTIONS', 'HTTPS', 'UNKNOWN', 'FAILED', 'FAILURE', 'TIMEOUT', 'DENIED', 'INVALID', 'FALSE', 'CLOSED', 'ACTIVE', 'PENDING', 'RUNNING', 'STOPPED', 'INSERT', 'UPDATE', 'SELECT', 'WHERE', 'VALUES', 'COMMIT', 'ROLLBACK', 'BEGIN', 'TABLE', 'INDEX', 'UNIQUE', 'PRIMARY', 'FOREIGN', 'CONSTRAINT', 'NOTNULL', 'UTF16', 'ASCII', 'BASE64', 'SIGTERM', 'SIGKILL', 'OOMKILLED', 'CRASHLOOPBACKOFF', 'NOTREADY']);

/** Hyphenated English (`read-only`, `e-mail`) is not a code: a code has an underscore, a digit or a capital. */
function codeLike(token: string): boolean {
  if (token.includes('_')) return /[A-Za-z]{2}/.test(token);
  if (/\d/.test(token) && /[A-Za-z]{2}/.test(token)) return true;
  // `CH-ZH`, `pt-BR`, `en-GB`: a capital on one side of the hyphen.
  if (/^[A-Za-z]{2,3}-[A-Z]{2,3}$/.test(token) || /^[A-Z]{2,}-[A-Za-z]{2,}$/.test(token)) return true;
  // `SESSIONS`, `STRIPE_KEY`'s kin: a name in capitals, unless it is a word logs and protocols shout.
  if (/^[A-Z][A-Z0-9]{4,}$/.test(token)) return !SHOUTED.has(token);
  // `X-Tenant-Id`, `Retry-After`: a header's name.
  if (/^(?:X-)?[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+$/.test(token)) return true;
  // `transcode-hd`, `ledger-close`: a kebab-case name, long enough not to be an English compound.
  return /^[a-z]+(?:-[a-z]+)+$/.test(token) && token.length >= 10;
}

const QUOTED = /["“']([^"”'\n]{6,60})["”']/g;
/** An identifier an error quotes: `'vat_rate'`, `` `display_name` ``, `"sku"`. */
const QUOTED_NAME = /["'`‘“]([A-Za-z_][\w.-]{2,40})["'`’”]/g;
const PATH = /(?:^|[\s"'(=`])(\/[A-Za-z][\w.*{}:-]*(?:\/[\w.*{}:-]+)+\/?|\/[A-Za-z][\w-]{3,}(?:\/\*)?)(?=$|[\s"'),;`?]|\.(?:\s|$))/g;
const NUMBER = /(?<![\w.:/,-])(\d{1,3}(?:,\d{3})+|\d{3,})(?:\.\d+)?(?![\w%:]|,\d|\.\d)/g;
/**
 * A duration or a size with its unit (`500ms`, `30s`, `2.5 s`, `512Mi`, `1 GiB`, `64MB`), the way
 * timeouts and limits are written; minutes and hours are left out, since alerts say them of their
 * own windows (`in the last 5 min`). Also `timeout_ms: 500`, where the key names the unit.
 */
const QUANTITY = /(?<![\w.])(\d+(?:\.\d+)?) ?(ms|msecs?|milliseconds?|s|secs?|seconds?|[KMGT]i?B?|kB)(?![\w])/g;
const KEYED_QUANTITY = /\b[A-Za-z_]*?(ms|millis|milliseconds|seconds|secs)\b["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)(?![\w.])/gi;

/** Words before a duration that make it the alert's own window of observation. */
const WINDOW_BEFORE = /\b(?:within|for|over|during|in|last|past|lasting)\s+(?:the\s+)?$/i;

/** `500ms` → `time:500`, `0.5 s` → `time:500`, `512Mi` → `bytes:512M`; undefined for what is no quantity. */
function quantityKey(amount: string, unit: string): string | undefined {
  const n = Number(amount);
  if (!Number.isFinite(n) || n === 0) return undefined;
  if (/^(?:ms|msecs?|milliseconds?|millis)$/i.test(unit)) return `time:${n}`;
  if (/^(?:s|secs?|seconds?)$/i.test(unit)) return `time:${Math.round(n * 1000)}`;
  // `512M`, `512Mi`, `512MB`, `512MiB`: one size, whichever convention wrote it.
  const prefix = /^([kKMGT])i?B?$/.exec(unit)?.[1];
  return prefix ? `bytes:${n}${prefix.toUpperCase()}` : undefined;
}

/** The quantities a text says, by their keys. */
function quantitiesIn(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of text.matchAll(QUANTITY)) {
    const key = quantityKey(m[1] ?? '', m[2] ?? '');
    if (key) keys.add(key);
  }
  for (const m of text.matchAll(KEYED_QUANTITY)) {
    const key = quantityKey(m[2] ?? '', m[1] ?? '');
    if (key) keys.add(key);
  }
  return keys;
}
/** `400 of 400`, `20/20`: a gauge at its cap, so the number is a configured limit. */
const FULL_GAUGE = /(?<![\w.,])(\d{1,3}(?:,\d{3})*|\d+)\s*(?:of|\/)\s*\1(?![\w]|[.,]\d)/g;
const CIDR = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2})(?![\w.])/g;
const CODE = /(?<![\w./-])([A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+)(?![\w/-]|\.[A-Za-z])/g;
/** A dotted settings key (`max.poll.interval.ms`, `spring.datasource.hikari.maximum-pool-size`): three parts or more, lower case. */
const DOTTED_KEY = /(?<![\w./-])([a-z][a-z0-9]*(?:\.[a-z][a-z0-9-]*){2,})(?![\w/-]|\.[A-Za-z0-9])/g;
/** A camelCase key of three words or more (`maxReplicaCount`, `http1MaxPendingRequests`): settings and fields are named so. */
const CAMEL_KEY = /(?<![\w./-])([a-z][a-z0-9]*(?:[A-Z][a-z0-9]+){2,})(?![\w/-]|\.[A-Za-z])/g;
/** Dotted names that are hosts or files, not keys. */
const DOTTED_NOT_KEY = /\.(?:com|org|net|io|dev|app|cloud|co|internal|local|example|svc|cluster|amazonaws|py|rb|go|java|kt|ts|js|json|ya?ml|toml|conf|ini|xml|txt|log|md|html)$|^(?:e\.g|i\.e)\./;
/** A name in capitals alone (`SESSIONS`): a binding, a variable, a constant. */
const SHOUT = /(?<![\w./-])([A-Z][A-Z0-9]{4,})(?![\w/-]|\.[A-Za-z])/g;

export function stripUrls(text: string): string {
  return text.replace(/\b(?:https?|s3|gs):\/\/\S+/g, ' ');
}

/** The literal values of the alert's text, each once, in the order said; `service`'s own name is no value. */
export function alertValues(text: string, service = ''): AlertValue[] {
  const found = new Map<string, AlertValue>();
  const add = (value: string, kind: ValueKind, canonical?: string): void => {
    const key = canonical ?? value.toLowerCase();
    const own = service.toLowerCase();
    if (own !== '' && own.includes(key)) return;
    const known = found.get(key);
    if (known?.kind === 'quoted' || (!known && found.size >= MAX_VALUES)) return;
    found.set(key, { text: value, kind, ...(canonical ? { canonical } : {}) });
  };
  const plain = stripUrls(text);
  for (const m of plain.matchAll(QUOTED)) {
    const quoted = (m[1] ?? '').trim();
    // A message of several words, or the one identifier an error quotes (`KeyError: 'vat_rate'`).
    if (quoted.split(/\s+/).length >= 3 || /^[A-Za-z_][\w.-]*$/.test(quoted)) add(quoted, 'quoted');
  }
  for (const m of plain.matchAll(QUOTED_NAME)) add(m[1] ?? '', 'quoted');
  for (const m of plain.matchAll(PATH)) {
    const path = (m[1] ?? '').replace(/\/$/, '');
    // A source file is read by `alertText.ts` (`fileReferences`); a path with an extension is one.
    if (!/\.[a-z]{1,5}$/i.test(path)) add(path, 'path');
  }
  for (const m of plain.matchAll(CIDR)) add(m[1] ?? '', 'code');
  for (const m of plain.matchAll(CODE)) if (codeLike(m[1] ?? '')) add(m[1] ?? '', 'code');
  for (const m of plain.matchAll(SHOUT)) if (codeLike(m[1] ?? '')) add(m[1] ?? '', 'code');
  for (const m of plain.matchAll(DOTTED_KEY)) if (!DOTTED_NOT_KEY.test(m[1] ?? '')) add(m[1] ?? '', 'code');
  for (const m of plain.matchAll(CAMEL_KEY)) add(m[1] ?? '', 'code');
  /** Where quantities start: their numbers are read with their units, not again alone. */
  const quantityAt = new Set<number>();
  for (const m of plain.matchAll(QUANTITY)) {
    const canonical = quantityKey(m[1] ?? '', m[2] ?? '');
    // A byte size without its `B` (`64M`) is as often a count (`64M rows`): only with the B or the i.
    if (!canonical || /^[KMGT]$/.test(m[2] ?? '')) continue;
    quantityAt.add(m.index);
    // `within 60 s of 18:00`, `for 30 s`: how long the alert watched, not a setting anything changed.
    if (WINDOW_BEFORE.test(plain.slice(Math.max(0, m.index - 16), m.index))) continue;
    add(m[0], 'quantity', canonical);
  }
  const full = new Set([...plain.matchAll(FULL_GAUGE)].map((m) => (m[1] ?? '').replace(/,/g, '')));
  for (const m of plain.matchAll(NUMBER)) {
    const digits = (m[1] ?? '').replace(/,/g, '');
    if (telling(digits, full) && !quantityAt.has(m.index)) add(m[1] ?? '', 'number', digits);
  }
  return [...found.values()];
}

export interface ValueOccurrence {
  value: AlertValue;
  /** `its title`, `its description`, `a changed line in src/config.yml`, `a changed path`. */
  where: string;
  /** Below 1 where the change only stands next to it (the key above a changed value). */
  factor?: number;
}

/** A value on the unchanged line above a change counts this much of one on the changed line. */
const CONTEXT_FACTOR = 0.75;

const patterns = new WeakMap<AlertValue, RegExp>();

/** `5000` → `5[,_]?000`: the number with or without a thousands separator. */
function separable(digits: string): string {
  const [whole = '', fraction] = digits.split('.');
  let body = '';
  for (let i = 0; i < whole.length; i++) body += (i > 0 && (whole.length - i) % 3 === 0 ? '[,_]?' : '') + whole[i];
  return fraction === undefined ? body : `${body}\\.${fraction}`;
}

/**
 * The value as a whole token: `5000` not in `15000`, `/health/ready` not in `/health/readyz`; a
 * number with or without thousands separators (`5,000`, `5_000`). Built once per value.
 */
function pattern(value: AlertValue): RegExp {
  let re = patterns.get(value);
  if (!re) {
    const digits = value.kind === 'number' ? (value.canonical ?? value.text) : undefined;
    const body = digits ? separable(digits) : escapeRegExp(value.text);
    re = new RegExp(`(?<![\\w])${body}(?![\\w])`, value.kind === 'number' ? '' : 'i');
    patterns.set(value, re);
  }
  return re;
}

/** Whether a text says the value: a quantity in any of its spellings, anything else as a token. */
function says(value: AlertValue, text: string): boolean {
  if (value.kind === 'quantity') return value.canonical !== undefined && quantitiesIn(text).has(value.canonical);
  return pattern(value).test(text);
}

/** Where the change carries the value, strongest place first: title, changed lines, paths, description. */
export function valueOccurrence(candidate: ChangeCandidate, value: AlertValue): ValueOccurrence | undefined {
  if (says(value, candidate.title)) return { value, where: 'its title' };
  const document = changeDocument(candidate);
  for (const [path, lines] of document.changedTextByPath) if (lines.some((line) => says(value, line))) return { value, where: `a changed line in ${path}` };
  if (value.kind !== 'number' && value.kind !== 'quantity' && candidate.paths.some((path) => says(value, path))) return { value, where: 'a changed path' };
  if (candidate.body && says(value, candidate.body.slice(0, 4000))) return { value, where: 'its description' };
  for (const [path, lines] of document.contextTextByPath) {
    // In code the line above is just the code before; in a config or infrastructure file it is the key whose value changed.
    const kind = classifyPath(path);
    if ((kind === 'config' || kind === 'infrastructure') && lines.some((line) => says(value, line))) return { value, where: `the line above a change in ${path}`, factor: CONTEXT_FACTOR };
  }
  return undefined;
}

/**
 * A line the change adds that writes a key the alert names together with the value it quotes
 * (`max_client_conn = 400` against "no more connections allowed (max_client_conn) … 400 of 400"):
 * this change set the very setting at the very value. The key comes first, as settings are written.
 */
export function settingWritten(candidate: ChangeCandidate, values: readonly AlertValue[]): { line: string; path: string } | undefined {
  const keys = values.filter((v) => v.kind === 'code' || v.kind === 'quoted');
  const amounts = values.filter((v) => v.kind === 'number' || v.kind === 'quantity');
  if (keys.length === 0 || amounts.length === 0) return undefined;
  for (const [path, lines] of changeDocument(candidate).addedTextByPath) {
    for (const line of lines) {
      const key = keys.find((k) => says(k, line));
      if (!key) continue;
      const at = line.toLowerCase().indexOf(key.text.toLowerCase());
      if (at >= 0 && amounts.some((a) => says(a, line.slice(at + key.text.length)))) return { line: line.trim().slice(0, 80), path };
    }
  }
  return undefined;
}
