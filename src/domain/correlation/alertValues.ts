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

type ValueKind = 'number' | 'code' | 'path' | 'quoted';

export interface AlertValue {
  /** As the alert wrote it. */
  text: string;
  kind: ValueKind;
}

export const VALUE_WEIGHTS = { first: 1.2, quoted: 1.8, max: 2.4 } as const;

/** At most this many values are read from one alert: the rest would be noise of a long log excerpt. */
const MAX_VALUES = 24;

/** Three-digit numbers that are HTTP statuses, and four-digit ones that are years, say nothing specific. */
function telling(number: string): boolean {
  const n = Number(number);
  if (/^\d{3}$/.test(number) && n >= 100 && n <= 599) return false;
  if (/^(?:19|20)\d{2}$/.test(number)) return false;
  return !/^0+$/.test(number);
}

/** Hyphenated English (`read-only`, `e-mail`) is not a code: a code has an underscore, a digit or a capital. */
function codeLike(token: string): boolean {
  if (token.includes('_')) return /[A-Za-z]{2}/.test(token);
  if (/\d/.test(token) && /[A-Za-z]{2}/.test(token)) return true;
  // `CH-ZH`, `pt-BR`, `en-GB`: a capital on one side of the hyphen.
  if (/^[A-Za-z]{2,3}-[A-Z]{2,3}$/.test(token) || /^[A-Z]{2,}-[A-Za-z]{2,}$/.test(token)) return true;
  // `transcode-hd`, `ledger-close`: a kebab-case name, long enough not to be an English compound.
  return /^[a-z]+(?:-[a-z]+)+$/.test(token) && token.length >= 10;
}

const QUOTED = /["“']([^"”'\n]{6,60})["”']/g;
/** An identifier an error quotes: `'vat_rate'`, `` `display_name` ``, `"sku"`. */
const QUOTED_NAME = /["'`‘“]([A-Za-z_][\w.-]{2,40})["'`’”]/g;
const PATH = /(?:^|[\s"'(=`])(\/[A-Za-z][\w.*{}:-]*(?:\/[\w.*{}:-]+)+\/?|\/[A-Za-z][\w-]{3,}(?:\/\*)?)(?=$|[\s"'),;`?]|\.(?:\s|$))/g;
const NUMBER = /(?<![\w.:/-])(\d{3,}(?:\.\d+)?)(?![\w%:]|\.\d)/g;
const CIDR = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2})(?![\w.])/g;
const CODE = /(?<![\w./-])([A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+)(?![\w/-]|\.[A-Za-z])/g;

function stripUrls(text: string): string {
  return text.replace(/\b(?:https?|s3|gs):\/\/\S+/g, ' ');
}

/** The literal values of the alert's text, each once, in the order said; `service`'s own name is no value. */
export function alertValues(text: string, service = ''): AlertValue[] {
  const found = new Map<string, AlertValue>();
  const add = (value: string, kind: ValueKind): void => {
    const key = value.toLowerCase();
    const own = service.toLowerCase();
    if (own !== '' && own.includes(key)) return;
    const known = found.get(key);
    if (known?.kind === 'quoted' || (!known && found.size >= MAX_VALUES)) return;
    found.set(key, { text: value, kind });
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
  for (const m of plain.matchAll(NUMBER)) if (telling(m[1] ?? '')) add(m[1] ?? '', 'number');
  return [...found.values()];
}

export interface ValueOccurrence {
  value: AlertValue;
  /** `its title`, `its description`, `a changed line in src/config.yml`, `a changed path`. */
  where: string;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const patterns = new WeakMap<AlertValue, RegExp>();

/** The value as a whole token: `5000` not in `15000`, `/health/ready` not in `/health/readyz`. Built once per value. */
function pattern(value: AlertValue): RegExp {
  let re = patterns.get(value);
  if (!re) {
    re = new RegExp(`(?<![\\w])${escaped(value.text)}(?![\\w])`, value.kind === 'number' ? '' : 'i');
    patterns.set(value, re);
  }
  return re;
}

/** Where the change carries the value, strongest place first: title, changed lines, paths, description. */
export function valueOccurrence(candidate: ChangeCandidate, value: AlertValue): ValueOccurrence | undefined {
  const re = pattern(value);
  if (re.test(candidate.title)) return { value, where: 'its title' };
  const document = changeDocument(candidate);
  for (const [path, lines] of document.changedTextByPath) if (lines.some((line) => re.test(line))) return { value, where: `a changed line in ${path}` };
  if (value.kind !== 'number' && candidate.paths.some((path) => re.test(path))) return { value, where: 'a changed path' };
  if (candidate.body && re.test(candidate.body.slice(0, 4000))) return { value, where: 'its description' };
  return undefined;
}
