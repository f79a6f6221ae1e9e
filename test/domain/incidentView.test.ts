import { describe, expect, it } from 'vitest';
import { incidentView, timelineText } from '../../src/domain/incident/incidentView.ts';
import { hostileState } from './postmortem/hostileIncident.ts';

describe('timeline entries in the incident body', () => {
  it('escapes user text, so a note cannot inject links, mentions or table cells', () => {
    expect(timelineText({ text: 'see [this](https://evil.example) @carol | x_y' })).toBe('see \\[this\\](https://evil.example) `@carol` \\| x\\_y');
  });

  it("shows firewatch's own links as real Markdown links, the URL untouched", () => {
    const text = timelineText({ text: 'Postmortem draft: [acme/post\\_mortems#3](https://github.com/acme/post_mortems/pull/3)', markdown: true });
    expect(text).toBe('Postmortem draft: [acme/post\\_mortems#3](https://github.com/acme/post_mortems/pull/3)');
  });

  it('keeps a Markdown entry on one line, as firewatch wrote it', () => {
    expect(timelineText({ text: 'Rollback [#9](https://x.example/9)\nmerged by `bob`', markdown: true })).toBe('Rollback [#9](https://x.example/9) merged by `bob`');
  });

  it('renders each entry of the state through the same rule', () => {
    const state = hostileState();
    state.timeline = [
      { at: '2026-01-14T09:40:00.000Z', type: 'postmortem', actor: 'alice', text: 'Postmortem draft: [acme/post\\_mortems#3](https://github.com/acme/post_mortems/pull/3)', markdown: true },
      { at: '2026-01-14T09:41:00.000Z', type: 'note', actor: 'alice', text: 'plain_note' },
    ];
    const rows = incidentView(state, { timezone: 'UTC' }).timeline.map((row) => row.text);
    expect(rows).toEqual(['Postmortem draft: [acme/post\\_mortems#3](https://github.com/acme/post_mortems/pull/3) (alice)', 'plain\\_note (alice)']);
  });
});
