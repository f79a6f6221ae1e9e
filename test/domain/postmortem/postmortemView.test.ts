import { describe, expect, it } from 'vitest';
import { needsPostmortem } from '../../../src/domain/postmortem/needsPostmortem.ts';
import { DEFAULT_POSTMORTEM_CONFIG } from '../../../src/domain/postmortem/postmortemConfig.ts';
import { isoDuration } from '../../../src/domain/postmortem/isoDuration.ts';
import { Pseudonyms } from '../../../src/domain/postmortem/pseudonyms.ts';
import { postmortemPath, postmortemView } from '../../../src/domain/postmortem/postmortemView.ts';
import { hostileInput, hostileState, PARTICIPANTS } from './hostileIncident.ts';

const rules = DEFAULT_POSTMORTEM_CONFIG.rules;

describe('needsPostmortem', () => {
  const base = { severity: 'P4' as const, triggeredAt: '2026-01-14T09:00:00Z', resolvedAt: '2026-01-14T09:30:00Z', timeline: [], labels: [] };
  const now = new Date('2026-01-14T12:00:00Z');

  it('needs one for P1–P3 by default, not for a short P4', () => {
    expect(needsPostmortem(rules, { ...base, severity: 'P3' }, now)).toEqual({ needed: true, reasons: ['severity P3'] });
    expect(needsPostmortem(rules, base, now)).toEqual({ needed: false, reasons: [] });
  });

  it('needs one for a rollback, a long incident or a data-loss label', () => {
    expect(needsPostmortem(rules, { ...base, timeline: [{ at: base.triggeredAt, type: 'rollback', text: 'Rolled back #7' }] }, now).reasons).toEqual(['a change was rolled back']);
    expect(needsPostmortem(rules, { ...base, resolvedAt: '2026-01-14T13:30:01Z' }, now).reasons).toEqual(['open longer than PT4H']);
    expect(needsPostmortem(rules, { ...base, resolvedAt: null }, new Date('2026-01-14T14:00:00Z')).reasons).toEqual(['open longer than PT4H']);
    expect(needsPostmortem(rules, { ...base, labels: ['Data-Loss'] }, now).reasons).toEqual(['labelled Data-Loss']);
  });

  it('follows configured rules', () => {
    const custom = { severities: ['P1' as const], rollback: false, openLongerThan: null, labels: [] };
    expect(needsPostmortem(custom, { ...base, severity: 'P2', timeline: [{ at: base.triggeredAt, type: 'rollback', text: 'x' }], resolvedAt: '2026-01-15T09:00:00Z' }, now).needed).toBe(false);
  });
});

describe('isoDuration', () => {
  it('writes ISO 8601 durations', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(270_000)).toBe('PT4M30S');
    expect(isoDuration(3_900_000)).toBe('PT1H5M');
    expect(isoDuration(93_600_000)).toBe('P1DT2H');
  });
});

describe('Pseudonyms', () => {
  it('numbers people by first appearance, case-insensitively, and leaves bots and teams alone', () => {
    const people = new Pseudonyms();
    people.scan('@Zed saw it, then yann and @acme/payments', ['yann']);
    expect(people.text('zed and Yann with @ZED, firewatch[bot] and @acme/payments')).toBe('team-member-1 and team-member-2 with team-member-1, firewatch[bot] and @acme/payments');
    expect(people.person('firewatch[bot]')).toBe('firewatch[bot]');
  });

  it('does not touch words that merely contain a login', () => {
    const people = new Pseudonyms();
    people.person('bob');
    expect(people.text('bobcat bob-smith bob. /bob/ x-bob')).toBe('bobcat bob-smith team-member-1. /team-member-1/ x-bob');
  });

  it('passes everything through when redaction is off', () => {
    const people = new Pseudonyms(false);
    expect(people.person('alice')).toBe('alice');
    expect(people.text('@alice')).toBe('@alice');
  });
});

describe('postmortemView', () => {
  it('orders the timeline by when things happened, back-dated notes included, and says when they were recorded', () => {
    const view = postmortemView(hostileInput());
    expect(view.timeline.map((row) => row.utc)).toEqual([
      '2026-01-14 08:55 UTC',
      '2026-01-14 09:07 UTC',
      '2026-01-14 09:08 UTC',
      '2026-01-14 09:10 UTC',
      '2026-01-14 09:35 UTC',
      '2026-01-14 10:15 UTC',
      '2026-01-14 10:16 UTC',
    ]);
    expect(view.timeline[0]?.recorded).toBe('2026-01-14 09:30 UTC');
    expect(view.timeline[1]?.recorded).toBe('');
    expect(view.timeline[0]?.local).toBe('2026-01-14 09:55 GMT+1');
  });

  it('measures from the trigger, as ISO 8601 durations, and starts the incident at its earliest sign', () => {
    const view = postmortemView(hostileInput());
    // 4 min 30 s rounds to the nearest minute, as every duration firewatch shows.
    expect(view.durations.toAcknowledge).toEqual({ iso: 'PT4M30S', text: '5m' });
    expect(view.durations.toMitigate?.iso).toBe('PT37M');
    expect(view.durations.toResolve).toEqual({ iso: 'PT1H12M', text: '1h 12m' });
    expect(view.frontMatter.started_at).toBe('2026-01-14T08:55:00Z');
    expect(view.frontMatter.detected_at).toBe('2026-01-14T09:03:00Z');
    expect(view.frontMatter.time_to_acknowledge).toBe('PT4M30S');
    expect(view.frontMatter.time_to_resolve).toBe('PT1H12M');
    expect(view.frontMatter.date).toBe('2026-01-14');
    expect(view.frontMatter.review_date).toBe('2026-01-28');
  });

  it('replaces people by pseudonyms in order of first appearance and keeps their roles', () => {
    const view = postmortemView(hostileInput());
    // Title first (bob-smith), then the 08:55 note's author and mentions (carol, mallory, bob-smith), then alice.
    expect(view.title).toBe('checkout: checkout errors after team-member-1 deploy');
    expect(view.timeline[0]).toMatchObject({ actor: 'team-member-2', text: 'first customer report from team-member-3 via support; ping team-member-1' });
    expect(view.roles).toEqual(['incident commander (team-member-4)', 'communications officer (team-member-2)', 'responder (team-member-1)']);
    expect(view.suspects[0]).toMatchObject({ author: 'team-member-1', title: 'Raise payment timeout (reviewed by team-member-5)' });
    expect(view.timeline.at(-1)?.actor).toBe('firewatch\\[bot\\]');
  });

  it('leaves no participant login anywhere in the view, including URLs, titles and front matter', () => {
    const view = postmortemView(hostileInput());
    const everything = JSON.stringify({ ...view, redactedLogins: [] }).toLowerCase();
    for (const login of PARTICIPANTS) expect(everything).not.toContain(login);
    expect(view.frontMatter.rollbacks[0]?.description).toBe('Rolled back acme/shop#7 (by team-member-1) https://github.com/team-member-1/shop/pull/7');
    expect(view.links.map((link) => link.link)).toContain('[https://grafana.example/d/team-member-5/errors?user=team-member-5](https://grafana.example/d/team-member-5/errors?user=team-member-5)');
  });

  it('keeps logins with redact: false, but never as live mentions', () => {
    const view = postmortemView(hostileInput({ redact: false }));
    expect(view.roles[0]).toBe('incident commander (alice)');
    // As inline code: GitHub does not link it, and it copies without invisible characters.
    expect(view.timeline[0]?.text).toContain('`@mallory`');
    expect(JSON.stringify(view)).not.toContain('\u200b');
    expect(view.redactedLogins).toEqual([]);
  });

  it('lists rollbacks, follow-ups and suspected changes with links', () => {
    const view = postmortemView(hostileInput());
    expect(view.rollbacks).toHaveLength(1);
    expect(view.followups).toEqual([{ link: '[acme/shop#31](https://github.com/acme/shop/issues/31)', title: 'Alert on payment timeouts (ask team-member-4)', done: false }]);
    expect(view.frontMatter.suspected_changes).toEqual([{ ref: 'acme/shop#7', url: 'https://github.com/acme/shop/pull/7', score: 0.82 }]);
    expect(view.frontMatter.tags).toEqual(['incident', 'sev-p2', 'checkout', 'data-loss']);
  });

  it('builds the path from the configured template with a slug of the redacted title', () => {
    const view = postmortemView(hostileInput());
    expect(postmortemPath('postmortems/{{year}}/{{date}}-{{slug}}.md', view, { repo: 'acme/shop', number: 12 })).toBe('postmortems/2026/2026-01-14-checkout-checkout-errors-after-team-member-1-deploy.md');
    expect(postmortemPath('{{repo}}/{{number}}/../x.md', view, { repo: 'acme/shop', number: 12 })).toBe('shop/12/./x.md');
  });

  it('does not depend on the state object identity (pure)', () => {
    const input = hostileInput();
    const before = JSON.stringify(input);
    postmortemView(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(hostileState().timeline[0]?.type).toBe('acknowledged');
  });
});

describe('timeline entries firewatch wrote as Markdown', () => {
  it('keep their links in the timeline table and read as plain text in the front matter, people redacted', () => {
    const input = hostileInput();
    input.state.timeline.push({ at: '2026-01-14T09:36:00.000Z', type: 'rollback-merged', actor: 'bob-smith', text: 'Rollback [#21](https://github.com/acme/shop/pull/21) (reverting acme/shop#7) merged by `bob-smith`', markdown: true });
    const view = postmortemView(input);
    const row = view.timeline.find((r) => r.text.includes('#21'));
    expect(row?.text).toMatch(/^Rollback \[#21\]\(https:\/\/github\.com\/acme\/shop\/pull\/21\) \(reverting acme\/shop#7\) merged by `team-member-\d+`$/);
    expect(view.frontMatter.rollbacks.map((r) => r.description)).toContainEqual(expect.stringMatching(/^Rollback #21 \(reverting acme\/shop#7\) merged by team-member-\d+$/));
    expect(JSON.stringify([view.timeline, view.frontMatter, view.mermaid]).toLowerCase()).not.toContain('bob-smith');
  });
});
