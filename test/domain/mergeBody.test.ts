import { describe, expect, it } from 'vitest';
import { findSections, mergeBody, mergeTasks, section } from '../../src/domain/incident/mergeBody.ts';

const state = (n: number) => `<!-- firewatch:state {"n":${n}} -->`;
const render = (alerts: string, steps = '- [ ] ack', n = 1) =>
  [section('summary', '## Summary'), section('alerts', alerts), section('first-steps', steps, { once: true }), state(n)].join('\n\n') + '\n';

describe('mergeBody', () => {
  it('uses the rendered body when there is none yet', () => {
    expect(mergeBody(null, render('a1'))).toBe(render('a1'));
  });

  it('replaces generated sections, keeps human text between them, and ends with the new state', () => {
    const first = render('a1');
    const edited = first.replace('<!-- firewatch:begin alerts -->', 'Customer impact: checkout fails for EU users.\n\n<!-- firewatch:begin alerts -->') + '\nNotes from bob at the end.\n';
    const merged = mergeBody(edited, render('a1 a2', '- [ ] ack', 2));
    expect(merged).toContain('Customer impact: checkout fails for EU users.');
    expect(merged).toContain('a1 a2');
    expect(merged).not.toMatch(/alerts -->\na1\n/);
    expect(merged).toContain('Notes from bob at the end.');
    expect(merged.trimEnd().endsWith(state(2))).toBe(true);
    expect(merged).not.toContain(state(1));
  });

  it('leaves `once` sections to humans after the first render', () => {
    const ticked = render('a1').replace('- [ ] ack', '- [x] ack');
    const merged = mergeBody(ticked, render('a2', '- [ ] ack (new wording)'));
    expect(merged).toContain('- [x] ack');
    expect(merged).not.toContain('new wording');
  });

  it('inserts sections new to the template after their predecessor', () => {
    const old = [section('summary', 'S'), 'human', section('alerts', 'A'), state(1)].join('\n\n');
    const fresh = [section('summary', 'S2'), section('suspects', 'PR #1'), section('alerts', 'A2'), state(2)].join('\n\n');
    const merged = mergeBody(old, fresh);
    expect(findSections(merged).map((s) => s.name)).toEqual(['summary', 'suspects', 'alerts']);
    expect(merged).toContain('human');
  });

  it('keeps an ordinary issue body below the generated sections', () => {
    const merged = mergeBody('Checkout is slow for me since 10:00.', render('a1'));
    expect(merged.indexOf('## Summary')).toBeLessThan(merged.indexOf('Checkout is slow'));
    expect(merged.trimEnd().endsWith(state(1))).toBe(true);
  });

  it('is stable: merging the same render twice changes nothing', () => {
    const once = mergeBody(null, render('a1'));
    expect(mergeBody(once, render('a1'))).toBe(once);
  });

  it('regenerates a `tasks` checklist: firewatch ticks boxes, and boxes and lines humans ticked or added stay', () => {
    const fresh = (ack: boolean, sev: boolean) => section('first-steps', `### First steps\n\n- [${ack ? 'x' : ' '}] **Acknowledge**: comment /ack.\n- [${sev ? 'x' : ' '}] **Assess severity**: how bad is it?`, { tasks: true });
    const byHuman = fresh(false, false).replace('- [ ] **Assess severity**', '- [x] **Assess severity**').replace('how bad is it?', 'how bad is it?\n- [ ] call the payment provider');
    const merged = mergeTasks(byHuman, fresh(true, false));
    expect(merged).toContain('- [x] **Acknowledge**: comment /ack.');
    expect(merged).toContain('- [x] **Assess severity**: how bad is it?');
    expect(merged).toContain('- [ ] call the payment provider');
    expect(merged.endsWith('<!-- firewatch:end first-steps -->')).toBe(true);
    // Idempotent: merging again changes nothing.
    expect(mergeTasks(merged, fresh(true, false))).toBe(merged);
  });

  it('turns an old `once` first-steps section into a ticking `tasks` one, keeping what humans ticked', () => {
    const old = [section('first-steps', '### First steps\n\n- [x] **Acknowledge**: old wording\n- [ ] **Communicate**: old', { once: true }), state(1)].join('\n\n');
    const rendered = [section('first-steps', '### First steps\n\n- [ ] **Acknowledge**: new wording\n- [x] **Communicate**: new', { tasks: true }), state(2)].join('\n\n');
    const merged = mergeBody(old, rendered);
    expect(merged).toContain('<!-- firewatch:begin first-steps tasks -->');
    expect(merged).toContain('- [x] **Acknowledge**: new wording');
    expect(merged).toContain('- [x] **Communicate**: new');
  });
});
