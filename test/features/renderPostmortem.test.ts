import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { postmortemFrontMatterSchema } from '../../src/domain/postmortem/frontMatter.ts';
import { generatedFingerprint, readFrontMatter, withStatus } from '../../src/domain/postmortem/postmortemDocument.ts';
import { postmortemView } from '../../src/domain/postmortem/postmortemView.ts';
import { postmortemRenderer } from '../../src/features/postmortem/renderPostmortem.ts';
import { hostileInput, PARTICIPANTS } from '../domain/postmortem/hostileIncident.ts';

const SECTIONS = ['Summary', 'Impact', 'Timeline', 'Detection', 'Response', 'Recovery', 'Trigger and root cause', 'Suspected changes', 'What went well', 'What went wrong', 'Where we got lucky', 'Action items', 'Supporting links'];

function headings(markdown: string): string[] {
  return [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1] ?? '');
}

describe('the rendered postmortem file', () => {
  const render = postmortemRenderer();
  const view = postmortemView(hostileInput());
  const file = render(view, null);
  const parsed = matter(file);

  it('has valid front matter with the incident facts', () => {
    const data = postmortemFrontMatterSchema.parse(parsed.data);
    expect(data).toMatchObject({
      title: 'checkout: checkout errors after team-member-1 deploy',
      incident: 'acme/shop#12',
      incident_url: 'https://github.com/acme/shop/issues/12',
      date: '2026-01-14',
      severity: 'P2',
      status: 'draft',
      services: ['checkout'],
      acknowledged_at: '2026-01-14T09:07:30Z',
      time_to_acknowledge: 'PT4M30S',
      time_to_resolve: 'PT1H12M',
      review_date: '2026-01-28',
    });
    expect(data.follow_ups).toHaveLength(1);
    expect(data.rollbacks).toHaveLength(1);
    expect(readFrontMatter(file).ok).toBe(true);
  });

  it('has every section, in order, with the timeline in UTC and the team zone plus a Mermaid timeline', () => {
    expect(headings(parsed.content)).toEqual(SECTIONS);
    expect(parsed.content).toContain('| UTC | Europe/Berlin | Event | Who |');
    expect(parsed.content).toContain('| 2026-01-14 08:55 UTC | 2026-01-14 09:55 GMT+1 | first customer report from team-member-3 via support; ping team-member-1 _(recorded 2026-01-14 09:30 UTC)_ | team-member-2 |');
    // Mermaid's own characters as its entity codes, which it shows as the characters: `#35;` is `#`, `#58;` is `:`.
    expect(parsed.content).toMatch(/```mermaid\ntimeline\n {4}title acme\/shop#35;12 \(UTC\)\n {4}08#58;55 : first customer report/);
    expect(parsed.content).toContain('- incident commander (team-member-4)');
    expect(parsed.content).toContain('- [ ] [acme/shop#31](https://github.com/acme/shop/issues/31) Alert on payment timeouts (ask team-member-4)');
    expect(parsed.content).toContain('| [acme/shop#7](https://github.com/acme/shop/pull/7) | Raise payment timeout (reviewed by team-member-5) | team-member-1 | 0.82 |');
  });

  it('contains no participant login anywhere, and no live mention', () => {
    const lower = file.toLowerCase();
    for (const login of PARTICIPANTS) expect(lower).not.toContain(login);
    expect(file).not.toMatch(/(^|[^\w])@[A-Za-z\d]/);
  });

  it('keeps human text and human front matter on refresh, replacing only generated sections', () => {
    const edited = file
      .replace('_What happened, in two or three sentences a reader outside the team understands._', 'The payment client timed out after a config change.')
      .replace('## What went well\n\n_…_', '## What went well\n\nRollback took 2 minutes.')
      .replace('status: draft', 'status: reviewed')
      .replace(/(<!-- firewatch:generated:suspects:start -->)[\s\S]*?(<!-- firewatch:generated:suspects:end -->)/, '$1\nstale\n$2');
    const later = postmortemView(hostileInput({ state: { ...hostileInput().state, followups: [{ repo: 'acme/shop', number: 31, title: 'Alert on payment timeouts', done: true }] } }));
    const refreshed = render(later, `${edited}\nA closing remark.\n`);
    const again = matter(refreshed);
    expect(again.data['status']).toBe('reviewed');
    expect(again.content).toContain('The payment client timed out after a config change.');
    expect(again.content).toContain('Rollback took 2 minutes.');
    expect(again.content).toContain('A closing remark.');
    expect(again.content).not.toContain('stale');
    expect(again.content).toContain('- [x] [acme/shop#31]');
    expect(render(later, refreshed)).toBe(refreshed);
  });

  it('tells generated changes from human ones', () => {
    const human = file.replace('## What went well\n\n_…_', '## What went well\n\nA lot.');
    expect(generatedFingerprint(human)).toBe(generatedFingerprint(file));
    expect(generatedFingerprint(withStatus(file, 'reviewed'))).toBe(generatedFingerprint(file));
    const changed = render(postmortemView(hostileInput({ state: { ...hostileInput().state, severity: 'P1' } })), file);
    expect(generatedFingerprint(changed)).not.toBe(generatedFingerprint(file));
  });

  it('renders an organization template with the same view model and markers', () => {
    const custom = postmortemRenderer({ template: '# {{title}}\n\nOwner: {{#each roles}}{{this}} {{/each}}\n\n{{#generated "timeline"}}{{> postmortem-timeline}}{{/generated}}\n' });
    const text = custom(view, null);
    expect(matter(text).data['severity']).toBe('P2');
    expect(text).toContain('Owner: incident commander (team-member-4)');
    expect(text).toContain('<!-- firewatch:generated:timeline:start -->');
  });
});
