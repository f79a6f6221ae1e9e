/**
 * Every table firewatch renders (help, summary, incident body, suspects, postmortem, review,
 * handoff, config problems, /oncall, the metrics report, the postmortem index) is valid GitHub
 * Markdown for any input, hostile included: rendered with a GFM parser, each row has exactly its
 * header's cells, for GitHub's parser and markdown-it alike (issue 14, item 2).
 */
import fc from 'fast-check';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/domain/commands/commands.ts';
import { rankSuspects } from '../../src/domain/correlation/rankSuspects.ts';
import { suspectsView } from '../../src/domain/correlation/suspectsView.ts';
import { incidentView } from '../../src/domain/incident/incidentView.ts';
import { incidentStateSchema, type IncidentState } from '../../src/domain/incident/incidentState.ts';
import { safeLink } from '../../src/domain/text/markdown.ts';
import { metricsReport, reportMarkdown } from '../../src/domain/metrics/metricsReport.ts';
import { indexRow, mergeIndex } from '../../src/domain/postmortem/postmortemIndex.ts';
import { postmortemView } from '../../src/domain/postmortem/postmortemView.ts';
import { validateConfig } from '../../src/domain/config/config.ts';
import { oncallReply } from '../../src/features/commands/oncall.ts';
import { helpView } from '../../src/features/commands/help.ts';
import { renderIncidentBody } from '../../src/features/incidents/renderIncidentBody.ts';
import { postmortemRenderer } from '../../src/features/postmortem/renderPostmortem.ts';
import { configProblemsView } from '../../src/features/alerts/reportInvalidConfig.ts';
import { handoffView } from '../../src/features/sweeps/handoffActions.ts';
import { incidentRow } from '../../src/features/sweeps/incidentRows.ts';
import { loadSweepTemplates } from '../../src/features/sweeps/renderSweep.ts';
import { loadTemplates } from '../../src/adapters/templates/templates.ts';
import { facts, pull, deployed } from '../domain/correlation/support.ts';
import { hostileInput } from '../domain/postmortem/hostileIncident.ts';
import { checkTables, cmarkCells, markdownItCells } from '../support/gfmTables.ts';
import { stateScope, UNSEALED } from '../../src/domain/incident/stateSeal.ts';

const scope = stateScope(UNSEALED, { owner: 'acme', repo: 'shop' });

const render = loadTemplates();
const renderSweep = loadSweepTemplates();
const renderPostmortem = postmortemRenderer();
const repo = { owner: 'acme', repo: 'shop' };

/** Text made to break tables: pipes (escaped, doubly escaped, in code), backticks, backslashes, line breaks, HTML, mentions, links. */
const hostile = fc.oneof(
  fc.constantFrom(
    'a | b',
    '| x | y |\n|---|---|',
    '`code | with pipe`',
    'ends with backslash \\',
    '\\| already escaped',
    '\\\\| doubly',
    'two\nlines',
    '<td>cell</td>',
    '@acme/everyone',
    '[x](https://evil.example/|)',
    '``` fence',
    '',
    ' ',
  ),
  fc.stringMatching(/^[a-z |`\\\n<>@[\]()*_-]{0,24}$/),
);
const hostileUrl = fc.constantFrom('https://ok.example/)![pwn](https://evil.example/i.png)', 'https://x.example/a|b', 'https://x.example/`q`', 'javascript:alert(1)', 'https://x.example/\\|');

function hostileState(text: (n: number) => string, url: string): IncidentState {
  return incidentStateSchema.parse({
    version: 1,
    id: '20260114-checkout-3f9a',
    title: text(0),
    summary: text(1),
    description: text(2),
    source: 'alertmanager',
    service: text(3) || 'checkout',
    severity: 'P2',
    status: 'resolved',
    triggeredAt: '2026-01-14T09:00:00.000Z',
    acknowledgedAt: '2026-01-14T09:05:00.000Z',
    mitigatedAt: '2026-01-14T09:30:00.000Z',
    resolvedAt: '2026-01-14T10:00:00.000Z',
    acknowledgedBy: 'alice',
    alerts: [
      {
        fingerprint: 'f1',
        title: text(4),
        status: 'firing',
        labels: { [text(5) || 'pod']: text(6), env: 'prod|eu' },
        value: text(7),
        firstSeen: '2026-01-14T08:59:00.000Z',
        lastSeen: '2026-01-14T09:10:00.000Z',
        count: 3,
        links: { generator: url, runbook: url, dashboard: 'https://grafana.example/d/x', silence: url },
      },
    ],
    roles: { commander: 'alice', comms: text(8) || 'carol', responders: ['bob', text(9) || 'dave'] },
    timeline: [
      { at: '2026-01-14T09:05:00.000Z', type: 'note', actor: text(10) || 'carol', text: text(11) },
      { at: '2026-01-14T09:06:00.000Z', type: 'rollback-merged', actor: 'bob', text: `Rollback ${safeLink(text(12) || '#7', url)} merged`, markdown: true },
      { at: '2026-01-14T08:50:00.000Z', type: 'note', actor: 'carol', text: text(13), recordedAt: '2026-01-14T09:20:00.000Z' },
    ],
    statusUpdates: [{ at: '2026-01-14T09:07:00.000Z', actor: 'alice', status: 'identified', text: text(14) }],
    followups: [{ repo: 'acme/shop', number: 31, title: text(15), done: false }],
  });
}

const texts = fc.array(hostile, { minLength: 16, maxLength: 16 });

function expectValidTables(markdown: string, atLeast: number): void {
  const { tables, problems } = checkTables(markdown);
  expect(problems).toEqual([]);
  expect(tables.length).toBeGreaterThanOrEqual(atLeast);
}

describe('the table check itself', () => {
  it('counts cells as GitHub and markdown-it split rows, so it sees a broken row that both render as a table', () => {
    expect(cmarkCells('| a | b |')).toHaveLength(2);
    expect(cmarkCells('| a \\| b |')).toHaveLength(1);
    expect(cmarkCells('| a \\\\| b |')).toHaveLength(2);
    expect(markdownItCells('| a \\\\| b |')).toHaveLength(1);
    expect(checkTables('| A | B |\n| --- | --- |\n| `x | y` | z |\n').problems).toHaveLength(2);
    expect(checkTables('| A | B |\n| --- | --- |\n| x | y |\n').problems).toEqual([]);
  });
});

describe('every table firewatch renders is valid GFM for hostile input', () => {
  it('the incident body and /summary', () => {
    fc.assert(
      fc.property(texts, hostileUrl, (values, url) => {
        const state = hostileState((n) => values[n] ?? '', url);
        expectValidTables(renderIncidentBody(state, { timezone: 'Europe/Berlin', scope }), 5);
        expectValidTables(render('summary', incidentView(state, { timezone: 'UTC' })), 2);
      }),
      { numRuns: 60 },
    );
  });

  it('/help for every access level, in and outside incidents, generated from the command table with real code spans', () => {
    for (const permission of ['read', 'triage', 'write', 'admin'] as const) {
      for (const isIncident of [true, false]) {
        const help = render('help', helpView(permission, {}, isIncident));
        expectValidTables(help, 1);
        // Backticks of the command table are code, not the literal \` the reply used to show.
        expect(help).not.toContain('\\`');
      }
    }
    const rows = checkTables(render('help', helpView('admin', {}, true))).tables[0]?.rows ?? [];
    expect(rows.map((row) => row[0])).toEqual(COMMANDS.map((command) => expect.stringContaining(`/${command.name}`)));
    expect(rows.find((row) => row[0]?.startsWith('`/status'))?.[0]).toBe('`/status investigating|identified|monitoring|resolved [message] [--internal]`');
    expect(rows.find((row) => row[0]?.startsWith('`/escalate'))?.[1]).toBe('Bring in help: mention and assign them, label `escalated`.');
  });

  it('the postmortem draft, its suspects table and the index row', () => {
    fc.assert(
      fc.property(texts, hostileUrl, fc.constantFrom('UTC', 'Europe/Berlin'), (values, url, timezone) => {
        const state = hostileState((n) => values[n] ?? '', url);
        const input = hostileInput({
          state,
          timezone,
          suspects: [{ reference: 'acme/shop#7', url, title: values[0] ?? '', author: values[1] || 'bob', score: 0.8, evidence: [values[2] ?? '', values[3] ?? ''] }],
        });
        const view = postmortemView(input);
        // The YAML front matter is data GitHub shows as a table of its own; the Markdown is the rest.
        expectValidTables(matter(renderPostmortem(view, null)).content, 3);
        const readme = mergeIndex('# Postmortems\n', indexRow({ date: '2026-01-14', title: values[4] ?? '', severity: 'P2', duration: '1h 00m', status: 'draft', path: `postmortems/${values[5] ?? ''}.md` }));
        expectValidTables(readme, 1);
      }),
      { numRuns: 40 },
    );
  });

  it('the suspects comment (no table, and none injected by a pull request title)', () => {
    fc.assert(
      fc.property(texts, (values) => {
        const culprit = pull(7, { title: values[0] ?? '', author: 'bob', deployments: [deployed(12)] });
        const text = render('suspects', suspectsView(facts(), rankSuspects(facts(), [culprit]), { timezone: 'UTC', now: new Date('2025-06-12T12:05:00Z') }));
        expectValidTables(text, 0);
        expect(checkTables(text).tables).toHaveLength(0);
      }),
      { numRuns: 30 },
    );
  });

  it('the incident review and the shift handoff', () => {
    fc.assert(
      fc.property(texts, hostileUrl, (values, url) => {
        const state = hostileState((n) => values[n] ?? '', url);
        const incident = { number: 12, title: values[0] ?? '', url: 'https://github.com/acme/shop/issues/12', open: true, labels: ['incident'], state, updatedAt: state.triggeredAt };
        const row = { ...incidentRow(repo, incident as never), postmortem: `${url} (draft)` };
        const review = renderSweep('incident-review', { date: '2026-01-16', since: 'then', until: 'now', rows: [row], drafts: [], empty: false, figures: '' });
        expectValidTables(review, 1);
        const handoff = { key: 'h', layer: values[1] || 'primary', at: new Date('2026-01-14T10:00:00Z'), outgoing: { login: 'alice', shift: { start: new Date('2026-01-13T10:00:00Z'), end: new Date('2026-01-14T10:00:00Z') } }, incoming: { login: 'bob' } };
        const view = handoffView({ repo, zone: 'UTC', incidents: [incident as never], handoff: { endChecklist: [values[2] ?? ''], startChecklist: [values[3] ?? ''] } as never }, handoff as never);
        expectValidTables(renderSweep('shift-handoff', view), 1);
      }),
      { numRuns: 40 },
    );
  });

  it('config problems, /oncall and the metrics report', () => {
    fc.assert(
      fc.property(texts, (values) => {
        const problems = render('config-problems', configProblemsView([{ path: values[0] ?? '', message: values[1] ?? '' }]));
        expectValidTables(problems, 1);
        const state = incidentStateSchema.parse({ version: 1, id: 'x', title: values[2] ?? '', source: 'generic', service: values[3] ?? '', severity: 'P2', status: 'resolved', triggeredAt: '2026-01-14T09:00:00.000Z', resolvedAt: '2026-01-14T10:00:00.000Z' });
        const report = metricsReport([{ repo: 'acme/shop', number: 1, url: 'https://github.com/acme/shop/issues/1|x', labels: ['incident'], hasSuspects: false, state }], { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') });
        expectValidTables(reportMarkdown(report, []), 4);
      }),
      { numRuns: 30 },
    );
    const { config } = validateConfig({ oncall: { layers: [{ name: 'primary', participants: ['alice'], handoff: { weekday: 'monday', time: '09:00' }, start: '2026-01-05' }] } });
    expectValidTables(oncallReply(config.oncall, new Date('2026-01-14T10:00:00Z'), 'UTC'), 1);
  });
});
