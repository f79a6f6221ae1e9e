import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { GITHUB_BODY_LIMIT } from '../../src/domain/text/markdown.ts';
import { openIncident } from '../../src/domain/incident/openIncident.ts';
import { recordAlert } from '../../src/domain/alerts/recordAlert.ts';
import { renderIncidentBody } from '../../src/features/incidents/renderIncidentBody.ts';
import { loadTemplates, precompileTemplates, renderTemplate, TEMPLATE_NAMES, templatesDir } from '../../src/adapters/templates/templates.ts';
import { stateScope, UNSEALED } from '../../src/domain/incident/stateSeal.ts';
import { TemplatesNotFoundError } from '../../src/domain/errors/errors.ts';

const scope = stateScope(UNSEALED, { owner: 'acme', repo: 'shop' });

const repoTemplates = fileURLToPath(new URL('../../templates/', import.meta.url));
const alert: NormalizedAlert = {
  source: 'grafana', fingerprint: 'f', status: 'firing', title: 'DiskFull', severity: 'P3', service: 'db',
  labels: {}, annotations: {}, startsAt: '2026-01-14T09:00:00Z', links: { other: [] },
};

describe('templates', () => {
  it('are found in the repository from src/ and tests', () => {
    expect(templatesDir({})).toBe(repoTemplates);
  });

  it('can be pointed elsewhere with FIREWATCH_TEMPLATES_DIR (an org\'s own wording)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-templates-'));
    cpSync(repoTemplates, dir, { recursive: true });
    writeFileSync(join(dir, 'help.md.hbs'), 'Custom help for {{permission}}');
    expect(templatesDir({ FIREWATCH_TEMPLATES_DIR: dir })).toBe(dir);
    expect(loadTemplates(dir)('help', { permission: 'read' })).toBe('Custom help for read\n');
  });

  it('compile at start-up and then render exactly what they render when compiled on first use', () => {
    const state = recordAlert(openIncident({ ...alert, labels: { env: 'prod' }, summary: 'disk at 97%' }, new Date('2026-01-14T09:01:00Z')), alert, new Date('2026-01-14T09:05:00Z'));
    const lazily = renderIncidentBody(state, { timezone: 'Europe/Berlin', render: loadTemplates(), scope });
    expect(precompileTemplates()).toEqual([]);
    expect(renderIncidentBody(state, { timezone: 'Europe/Berlin', scope })).toBe(lazily);
    expect(renderTemplate('help', { permission: 'read' })).toBe(loadTemplates()('help', { permission: 'read' }));
    expect(lazily).toContain('DiskFull');
  });

  it('report a template that does not render at start-up, by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-broken-'));
    cpSync(repoTemplates, dir, { recursive: true });
    writeFileSync(join(dir, 'suspects.md.hbs'), '{{#if named}}unclosed');
    expect(loadTemplates(dir).compileAll(TEMPLATE_NAMES).map((failure) => failure.name)).toEqual(['suspects']);
  });

  it('say where they looked when they are missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'fw-empty-'));
    mkdirSync(join(empty, 'partials'));
    expect(() => templatesDir({ FIREWATCH_TEMPLATES_DIR: empty })).toThrow(TemplatesNotFoundError);
    expect(() => templatesDir({ FIREWATCH_TEMPLATES_DIR: empty })).toThrow(/FIREWATCH_TEMPLATES_DIR/);
  });
});

describe('renderIncidentBody', () => {
  it('keeps the body under GitHub\'s limit with the state block last, however many alerts join', () => {
    let state = openIncident(alert, new Date('2026-01-14T09:00:00Z'));
    for (let i = 0; i < 80; i++) {
      state = recordAlert(state, { ...alert, fingerprint: `f${i}`, title: `DiskFull ${'x'.repeat(200)} ${i}`, labels: { instance: 'y'.repeat(300) } }, new Date(Date.UTC(2026, 0, 14, 9, i)));
    }
    const body = renderIncidentBody(state, { timezone: 'UTC', scope });
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(parseStateBlock(body)?.alerts).toHaveLength(50);
    expect(body).toMatch(/… and 25 more alerts not shown \(25 firing\)\./);
    expect(body).toMatch(/<!-- firewatch:state \{.*\} -->\n$/s);
  });

  it('re-renders to the same text when nothing changed (idempotent)', () => {
    const state = openIncident(alert, new Date('2026-01-14T09:00:00Z'));
    const first = renderIncidentBody(state, { timezone: 'UTC', scope });
    expect(renderIncidentBody(state, { timezone: 'UTC', existingBody: first, scope })).toBe(first);
  });
});
