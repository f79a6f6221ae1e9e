/**
 * `GET /search/issues` with the qualifiers firewatch relies on: repo:, is:/type:/state:,
 * label: (and -label:), in:title/body/comments, author:, assignee:, created:/updated:/closed:
 * with comparisons and ranges, no:label/no:assignee, plus free words and quoted phrases.
 * Only repositories the caller can read are searched.
 */
import { permissionFor } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, permissionRank, type Router } from '../router.ts';
import { issueJson } from '../shapes.ts';
import type { CommentRecord, IssueRecord, RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';

export interface Token {
  negated: boolean;
  key?: string;
  value: string;
}

/** Splits a query into qualifiers and terms, honouring double quotes (`label:"sev:P1"`, `"exact phrase"`). */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  // Sticky after optional spaces: each token is tried once where it starts (no retry at every character).
  const pattern = /\s*(-)?(?:([A-Za-z_-]+):)?(?:"([^"]*)"|(\S+))/gy;
  for (const m of query.matchAll(pattern)) {
    const [, minus, key, quoted, bare] = m;
    const value = quoted ?? bare ?? '';
    if (!key && !quoted && (bare === 'AND' || bare === 'OR')) continue;
    tokens.push({ negated: minus === '-', ...(key ? { key: key.toLowerCase() } : {}), value });
  }
  return tokens;
}

interface Bound {
  at: number;
  inclusive: boolean;
}
export interface DateRange {
  from?: Bound;
  to?: Bound;
}

const DAY_MS = 86_400_000;

function parseInstant(text: string, edge: 'start' | 'end'): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new HttpError(422, 'Validation Failed', [{ resource: 'Search', field: 'q', code: 'invalid', message: `"${text}" is not a date` }]);
  return dateOnly && edge === 'end' ? ms + DAY_MS : ms;
}

/** `>=2024-01-01`, `<2024-01-01T10:00:00Z`, `2024-01-01..2024-01-31`, `2024-01-01..*`, or a bare day. */
export function parseDateRange(text: string): DateRange {
  const dots = text.lastIndexOf('..');
  if (dots > 0 && dots + 2 < text.length) {
    const a = text.slice(0, dots);
    const b = text.slice(dots + 2);
    return {
      ...(a !== '*' ? { from: { at: parseInstant(a, 'start'), inclusive: true } } : {}),
      // A bare day as upper bound covers the whole day.
      ...(b !== '*' ? { to: /^\d{4}-\d{2}-\d{2}$/.test(b) ? { at: parseInstant(b, 'end'), inclusive: false } : { at: parseInstant(b, 'start'), inclusive: true } } : {}),
    };
  }
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(text);
  if (cmp) {
    const [, op, value = ''] = cmp;
    if (op === '>') return { from: { at: parseInstant(value, 'end'), inclusive: /^\d{4}-\d{2}-\d{2}$/.test(value) } };
    if (op === '>=') return { from: { at: parseInstant(value, 'start'), inclusive: true } };
    if (op === '<') return { to: { at: parseInstant(value, 'start'), inclusive: false } };
    return { to: /^\d{4}-\d{2}-\d{2}$/.test(value) ? { at: parseInstant(value, 'end'), inclusive: false } : { at: parseInstant(value, 'start'), inclusive: true } };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { from: { at: parseInstant(text, 'start'), inclusive: true }, to: { at: parseInstant(text, 'end'), inclusive: false } };
  return { from: { at: parseInstant(text, 'start'), inclusive: true }, to: { at: parseInstant(text, 'start'), inclusive: true } };
}

export function inRange(iso: string | null, range: DateRange): boolean {
  if (!iso) return false;
  const t = Date.parse(iso);
  if (range.from && (range.from.inclusive ? t < range.from.at : t <= range.from.at)) return false;
  if (range.to && (range.to.inclusive ? t > range.to.at : t >= range.to.at)) return false;
  return true;
}

interface Candidate {
  repo: RepoRecord;
  issue: IssueRecord;
  comments: CommentRecord[];
}

type Predicate = (c: Candidate) => boolean;

function compile(tokens: Token[]): { predicates: Predicate[]; repos: string[] } {
  const predicates: Predicate[] = [];
  const repos: string[] = [];
  const terms: string[] = [];
  const scopes = new Set<string>();
  const add = (negated: boolean, p: Predicate): void => {
    predicates.push(negated ? (c) => !p(c) : p);
  };
  for (const token of tokens) {
    const value = token.value.toLowerCase();
    switch (token.key) {
      case undefined:
        if (value) terms.push(value);
        break;
      case 'repo':
        repos.push(value);
        break;
      case 'is':
      case 'type':
      case 'state':
        if (value === 'issue') add(token.negated, (c) => !c.issue.isPullRequest);
        else if (value === 'pr' || value === 'pull-request') add(token.negated, (c) => c.issue.isPullRequest);
        else if (value === 'open' || value === 'closed') add(token.negated, (c) => c.issue.state === value);
        else if (value === 'locked') add(token.negated, (c) => c.issue.locked);
        else if (value === 'unlocked') add(token.negated, (c) => !c.issue.locked);
        else if (value === 'merged') add(token.negated, (c) => c.repo.pulls.get(c.issue.number)?.merged === true);
        else if (value === 'unmerged') add(token.negated, (c) => c.issue.isPullRequest && c.repo.pulls.get(c.issue.number)?.merged !== true);
        else throw invalidQualifier(token);
        break;
      case 'label':
        add(token.negated, (c) => c.issue.labels.some((l) => value.split(',').includes(l.toLowerCase())));
        break;
      case 'no':
        if (value === 'label') add(token.negated, (c) => c.issue.labels.length === 0);
        else if (value === 'assignee') add(token.negated, (c) => c.issue.assignees.length === 0);
        else throw invalidQualifier(token);
        break;
      case 'in':
        for (const scope of value.split(',')) {
          if (!['title', 'body', 'comments'].includes(scope)) throw invalidQualifier(token);
          scopes.add(scope);
        }
        break;
      case 'author':
        add(token.negated, (c) => c.issue.user.toLowerCase() === value);
        break;
      case 'assignee':
        add(token.negated, (c) => c.issue.assignees.some((a) => a.toLowerCase() === value));
        break;
      case 'commenter':
        add(token.negated, (c) => c.comments.some((m) => m.user.toLowerCase() === value));
        break;
      case 'involves':
        add(token.negated, (c) => c.issue.user.toLowerCase() === value || c.issue.assignees.some((a) => a.toLowerCase() === value) || c.comments.some((m) => m.user.toLowerCase() === value));
        break;
      case 'created':
      case 'updated':
      case 'closed': {
        const range = parseDateRange(token.value);
        const field = token.key === 'created' ? 'created_at' : token.key === 'updated' ? 'updated_at' : 'closed_at';
        add(token.negated, (c) => inRange(c.issue[field], range));
        break;
      }
      case 'user':
      case 'org':
        add(token.negated, (c) => c.repo.owner.toLowerCase() === value);
        break;
      default:
        // GitHub treats an unknown `key:value` as free text.
        terms.push(`${token.key}:${value}`);
    }
  }
  if (terms.length) {
    const searchIn = scopes.size ? scopes : new Set(['title', 'body', 'comments']);
    predicates.push((c) => {
      const haystack = [
        searchIn.has('title') ? c.issue.title : '',
        searchIn.has('body') ? (c.issue.body ?? '') : '',
        searchIn.has('comments') ? c.comments.map((m) => m.body).join('\n') : '',
      ]
        .join('\n')
        .toLowerCase();
      return terms.every((term) => haystack.includes(term));
    });
  }
  return { predicates, repos };
}

function invalidQualifier(token: Token): HttpError {
  return new HttpError(422, 'Validation Failed', [{ resource: 'Search', field: 'q', code: 'invalid', message: `The value "${token.value}" is not valid for the "${token.key}" qualifier.` }]);
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/search/issues',
    (request) => {
      const q = request.query.get('q');
      if (!q || !q.trim()) throw new HttpError(422, 'Validation Failed', [{ resource: 'Search', field: 'q', code: 'missing' }]);
      if (request.actor?.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
      const { predicates, repos } = compile(tokenize(q));
      const candidates: Candidate[] = [];
      for (const repo of sandbox.state.repos.values()) {
        if (repos.length && !repos.includes(`${repo.owner}/${repo.name}`.toLowerCase())) continue;
        if (permissionRank[permissionFor(sandbox, repo, request.actor)] < permissionRank.read) continue;
        const comments = new Map<number, CommentRecord[]>();
        for (const c of repo.comments.values()) comments.set(c.issueNumber, [...(comments.get(c.issueNumber) ?? []), c]);
        for (const issue of repo.issues.values()) candidates.push({ repo, issue, comments: comments.get(issue.number) ?? [] });
      }
      const matches = candidates.filter((c) => predicates.every((p) => p(c)));
      const sort = request.query.get('sort');
      const sign = request.query.get('order') === 'asc' ? 1 : -1;
      const key = (c: Candidate): string | number =>
        sort === 'updated' ? c.issue.updated_at : sort === 'comments' ? c.comments.length : c.issue.created_at;
      matches.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return ka < kb ? -sign : ka > kb ? sign : sign * (a.issue.id - b.issue.id);
      });
      const page = paginated(sandbox.apiUrl, request, matches, (c) => ({ ...issueJson(sandbox, c.repo, c.issue), score: 1 }));
      return { ...page, body: { total_count: matches.length, incomplete_results: false, items: page.body, search_type: 'lexical' } };
    },
    { auth: 'optional' },
  );
}
