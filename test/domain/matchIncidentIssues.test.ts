import { describe, expect, it } from 'vitest';
import { checkIndexHit, incidentTokensIn, indexIncidentIssues, matchIncidentIssue, type CandidateIssue } from '../../src/domain/incident/matchIncidentIssues.ts';

const repo = { owner: 'acme', repo: 'shop' };
const FP = 'fwfp0123456789abcdef01234567';
const GROUP = 'fwgkfedcba9876543210fedcba98';
const OTHER = 'fwfpaaaaaaaaaaaaaaaaaaaaaaaa';

function issue(number: number, tokens: string[], overrides: Partial<CandidateIssue> = {}): CandidateIssue {
  return {
    number,
    html_url: `https://github.com/acme/shop/issues/${number}`,
    state: 'open',
    body: `## 🔥 Checkout\n\n<sub>firewatch fingerprint: ${tokens.join(' ')}</sub>\n<!-- firewatch:state {"fingerprintTokens":${JSON.stringify(tokens)}} -->\n`,
    labels: [{ name: 'incident' }, { name: 'sev:P2' }],
    ...overrides,
  };
}

describe('incidentTokensIn', () => {
  it('reads whole tokens only, once each', () => {
    expect(incidentTokensIn(issue(1, [FP, GROUP]).body)).toEqual([FP, GROUP]);
    expect(incidentTokensIn(`${FP}0 x${FP} ${FP.slice(0, 20)}`)).toEqual([]);
    expect(incidentTokensIn(null)).toEqual([]);
  });
});

describe('indexIncidentIssues', () => {
  it('gives each token its oldest open incident, else its most recent closed one', () => {
    const byToken = indexIncidentIssues(
      [issue(7, [FP], { state: 'closed' }), issue(9, [FP]), issue(4, [FP]), issue(3, [OTHER], { state: 'closed' }), issue(8, [OTHER], { state: 'closed' })],
      repo,
    );
    expect(byToken.get(FP)?.number).toBe(4);
    expect(byToken.get(OTHER)?.number).toBe(8);
  });

  it('skips pull requests, issues without the incident label and issues of another repository', () => {
    const byToken = indexIncidentIssues(
      [
        issue(1, [FP], { pull_request: { url: 'x' } }),
        issue(2, [FP], { labels: ['bug'] }),
        issue(3, [FP], { html_url: 'https://github.com/acme/other/issues/3' }),
        issue(4, [FP], { labels: ['Incident'] }),
      ],
      repo,
    );
    expect(byToken.get(FP)?.number).toBe(4);
  });
});

describe('matchIncidentIssue', () => {
  it('prefers the first token held by an open incident, else the first token held at all', () => {
    const listed = [issue(1, [GROUP], { state: 'closed' }), issue(2, [FP])];
    expect(matchIncidentIssue(listed, [GROUP, FP], repo)?.number).toBe(2);
    expect(matchIncidentIssue([issue(1, [GROUP], { state: 'closed' }), issue(2, [FP], { state: 'closed' })], [GROUP, FP], repo)?.number).toBe(1);
    expect(matchIncidentIssue(listed, [OTHER], repo)).toBeUndefined();
  });
});

describe('checkIndexHit', () => {
  const expected = { repo, number: 5, token: FP };
  it('accepts an incident issue of the repository that carries the token', () => {
    expect(checkIndexHit(issue(5, [FP]), expected)).toEqual({ ok: true });
    expect(checkIndexHit(issue(5, [FP], { state: 'closed' }), expected)).toEqual({ ok: true });
  });

  it('refuses a stale entry and says why', () => {
    expect(checkIndexHit(undefined, expected)).toMatchObject({ ok: false, reason: 'missing' });
    expect(checkIndexHit(issue(5, [FP], { pull_request: {} }), expected)).toMatchObject({ ok: false, reason: 'pull_request' });
    expect(checkIndexHit(issue(5, [FP], { labels: [{ name: 'sev:P2' }] }), expected)).toMatchObject({ ok: false, reason: 'not_an_incident', message: '#5 no longer has the incident label' });
    expect(checkIndexHit(issue(5, [OTHER]), expected)).toMatchObject({ ok: false, reason: 'other_token' });
    // GitHub answers for a transferred issue with the issue in its new repository.
    expect(checkIndexHit(issue(12, [FP], { html_url: 'https://github.com/acme/payments/issues/12' }), expected)).toMatchObject({ ok: false, reason: 'moved' });
  });
});
