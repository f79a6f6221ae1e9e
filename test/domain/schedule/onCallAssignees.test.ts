import { describe, expect, it } from 'vitest';
import { assigneeCandidates, MAX_ASSIGNEES, onCallTimelineEntry } from '../../../src/domain/schedule/onCallAssignees.ts';
import type { OnCallEntry } from '../../../src/domain/schedule/onCallEntry.ts';

const shift = { start: new Date('2026-03-02T11:00:00Z'), end: new Date('2026-03-09T11:00:00Z') };
const entry = (layer: string, login: string | null, source: OnCallEntry['source'] = 'rotation'): OnCallEntry => ({ layer, login, shift, source, ...(source === 'override' ? { replaces: 'alice' } : {}) });
const at = new Date('2026-03-02T15:00:00Z');

describe('assigneeCandidates', () => {
  it('puts every layer’s on-call person first, skips gaps and drops duplicates whatever their case', () => {
    expect(assigneeCandidates([entry('rot-a', 'Bob'), entry('rot-b', null), entry('rot-c', 'carol')], ['bob', 'alice', 'Carol'])).toEqual(['Bob', 'carol', 'alice']);
  });

  it('is the configured assignees alone without a schedule', () => {
    expect(assigneeCandidates([], ['alice'])).toEqual(['alice']);
  });
});

describe('onCallTimelineEntry', () => {
  it('names each layer’s person, the gap, overrides and who could not be assigned, without mentions', () => {
    const result = onCallTimelineEntry([entry('rot-a', 'bob', 'override'), entry('rot-b', null), entry('rot-c', 'dave', 'holiday'), entry('rot-d', 'zed')], { assigned: ['bob'], rejected: ['dave'] }, at);
    expect(result).toEqual({
      at: at.toISOString(),
      type: 'oncall',
      text: `On call when triggered: bob (rot-a, override); nobody (rot-b: gap); dave (rot-c, holiday, not assignable in this repository); zed (rot-d, not assigned: GitHub allows ${MAX_ASSIGNEES} assignees)`,
    });
    expect(result?.text).not.toContain('@');
  });

  it('is null without on-call layers', () => {
    expect(onCallTimelineEntry([], { assigned: [], rejected: [] }, at)).toBeNull();
  });
});
