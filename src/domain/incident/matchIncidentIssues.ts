import type { RepoRef } from '../repo/repoRef.ts';
import { INCIDENT_LABEL } from './labels.ts';

/** The fields of a listed (or fetched) issue that tell whether it holds an incident, and whose. */
export interface CandidateIssue {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
  labels: (string | { name?: string })[];
  pull_request?: unknown;
}

/** Alert tokens (`fwfp…` fingerprints, `fwgk…` groups) as whole words of an issue body. */
const TOKEN = /\bfw(?:fp|gk)[0-9a-f]{24}\b/g;

/** The alert tokens an issue body carries (its `firewatch fingerprint:` footer and state block). */
export function incidentTokensIn(body: string | null | undefined): string[] {
  return [...new Set(body?.match(TOKEN) ?? [])];
}

function hasIncidentLabel(issue: CandidateIssue): boolean {
  return issue.labels.some((label) => (typeof label === 'string' ? label : label.name)?.toLowerCase() === INCIDENT_LABEL);
}

/** GitHub follows a transferred issue to its new repository: its page address says where it lives. */
function livesIn(issue: CandidateIssue, repo: RepoRef): boolean {
  return issue.html_url.toLowerCase().endsWith(`/${repo.owner}/${repo.repo}/issues/${issue.number}`.toLowerCase());
}

export type IndexHitCheck = { ok: true } | { ok: false; reason: 'missing' | 'pull_request' | 'not_an_incident' | 'other_token' | 'moved'; message: string };

/**
 * Whether the issue the incident index remembers for `token` still holds that incident: it exists,
 * is an issue (not a pull request) of `repo`, still has the incident label and its body still
 * carries the token. Anything else is a stale entry, to be found again from a listing.
 */
export function checkIndexHit(issue: CandidateIssue | undefined, expected: { repo: RepoRef; number: number; token: string }): IndexHitCheck {
  const at = `#${expected.number}`;
  if (!issue) return { ok: false, reason: 'missing', message: `${at} no longer exists` };
  if (issue.pull_request) return { ok: false, reason: 'pull_request', message: `${at} is a pull request` };
  if (!livesIn(issue, expected.repo)) return { ok: false, reason: 'moved', message: `${at} was moved to another repository (${issue.html_url})` };
  if (!hasIncidentLabel(issue)) return { ok: false, reason: 'not_an_incident', message: `${at} no longer has the ${INCIDENT_LABEL} label` };
  if (!incidentTokensIn(issue.body).includes(expected.token)) return { ok: false, reason: 'other_token', message: `${at} no longer carries ${expected.token}` };
  return { ok: true };
}

/** Listed issues that hold incidents of `repo`: issues (not pull requests) with the incident label. */
function incidentIssues<T extends CandidateIssue>(issues: readonly T[], repo: RepoRef): T[] {
  return issues.filter((issue) => !issue.pull_request && hasIncidentLabel(issue) && livesIn(issue, repo));
}

/**
 * Which listed issue holds the incident of each token: the oldest open one (the first filed wins
 * when two were), else the most recent closed one (to reopen, or to link from a new incident).
 * Issue numbers grow with creation, so they order the issues without timestamps.
 */
export function indexIncidentIssues<T extends CandidateIssue>(issues: readonly T[], repo: RepoRef): Map<string, T> {
  const byToken = new Map<string, T>();
  for (const issue of incidentIssues(issues, repo)) {
    for (const token of incidentTokensIn(issue.body)) {
      const held = byToken.get(token);
      if (!held || better(issue, held)) byToken.set(token, issue);
    }
  }
  return byToken;
}

function better(candidate: CandidateIssue, held: CandidateIssue): boolean {
  const open = candidate.state === 'open';
  if (open !== (held.state === 'open')) return open;
  return open ? candidate.number < held.number : candidate.number > held.number;
}

/**
 * The incident an alert batch belongs to, among listed issues, for its tokens in order (the group's
 * first, then each fingerprint): the first token held by an open incident wins, else the first
 * token's closed incident. A group's incident carries every fingerprint of it, so either finds it.
 */
export function matchIncidentIssue<T extends CandidateIssue>(issues: readonly T[] | Map<string, T>, tokens: readonly string[], repo: RepoRef): T | undefined {
  const byToken = issues instanceof Map ? issues : indexIncidentIssues(issues, repo);
  let closed: T | undefined;
  for (const token of tokens) {
    const issue = byToken.get(token);
    if (!issue) continue;
    if (issue.state === 'open') return issue;
    closed ??= issue;
  }
  return closed;
}
