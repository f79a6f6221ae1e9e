import { describe, expect, it } from 'vitest';
import { decideStateEdit } from '../../src/domain/incident/decideStateEdit.ts';
import { findHiddenBlocks, renderHiddenJson } from '../../src/domain/text/hiddenJson.ts';
import { incidentStateSchema, readIncidentState, renderStateBlock, type IncidentState } from '../../src/domain/incident/incidentState.ts';
import { createStateSeal, stateScope, UNSEALED } from '../../src/domain/incident/stateSeal.ts';

const state: IncidentState = incidentStateSchema.parse({
  version: 1,
  id: '20260114-checkout-3f9a',
  title: 'Checkout errors',
  source: 'manual',
  service: 'checkout',
  severity: 'P2',
  status: 'investigating',
  triggeredAt: '2026-01-14T09:00:00.000Z',
  roles: { commander: 'alice' },
  timeline: [{ at: '2026-01-14T09:05:00.000Z', type: 'rollback-merged', actor: 'bob', text: 'Rollback [#7](https://github.example/acme/shop/pull/7) merged', markdown: true }],
});
const shop = { owner: 'acme', repo: 'shop' };
const scope = stateScope(createStateSeal(['k1']), shop);

/** The block's JSON changed by `change`, seal field and all kept as they were (what a person editing it does). */
function edited(body: string, change: (raw: Record<string, unknown>) => Record<string, unknown>): string {
  const block = findHiddenBlocks('state', body).at(-1);
  if (!block) throw new Error('no block');
  return body.slice(0, block.start) + renderHiddenJson('state', change(JSON.parse(block.json) as Record<string, unknown>)) + body.slice(block.end);
}

describe('sealed incident state', () => {
  const body = `Summary\n\n${renderStateBlock(state, scope)}\n`;

  it('reads back what firewatch wrote, as sealed', () => {
    expect(readIncidentState(body, scope)).toEqual({ state, trust: 'sealed' });
  });

  it('is forged once anything in it changes, the seal kept', () => {
    for (const change of [
      (raw: Record<string, unknown>) => ({ ...raw, status: 'resolved' }),
      (raw: Record<string, unknown>) => ({ ...raw, roles: { commander: 'eve', comms: null, responders: [] } }),
      (raw: Record<string, unknown>) => ({ ...raw, timeline: [...(raw['timeline'] as unknown[]), { at: '2026-01-14T09:06:00.000Z', type: 'note', actor: 'alice', text: 'x' }] }),
      (raw: Record<string, unknown>) => ({ ...raw, seal: 'v1.AAAA' }),
    ]) {
      expect(readIncidentState(edited(body, change), scope)).toEqual({ state: null, trust: 'forged' });
    }
  });

  it('does not verify in another repository or with another key, but does with a previous key still listed', () => {
    expect(readIncidentState(body, stateScope(createStateSeal(['k1']), { owner: 'acme', repo: 'payments' })).trust).toBe('forged');
    expect(readIncidentState(body, stateScope(createStateSeal(['k2']), shop)).trust).toBe('forged');
    expect(readIncidentState(body, stateScope(createStateSeal(['k2', 'k1']), shop)).trust).toBe('sealed');
    // Owner and name compare case-insensitively, as on GitHub.
    expect(readIncidentState(body, stateScope(createStateSeal(['k1']), { owner: 'ACME', repo: 'Shop' })).trust).toBe('sealed');
  });

  it('reads an unsealed block (an earlier version wrote it) without its Markdown, unless unsealed blocks are refused', () => {
    const legacy = `Summary\n\n${renderStateBlock(state)}\n`;
    const read = readIncidentState(legacy, scope);
    expect(read.trust).toBe('unsealed');
    expect(read.state?.timeline[0]?.markdown).toBeUndefined();
    expect(read.state?.status).toBe('investigating');
    expect(readIncidentState(legacy, stateScope(createStateSeal(['k1'], { acceptUnsealed: false }), shop))).toEqual({ state: null, trust: 'forged' });
  });

  it('without a key, reads every block as before (nothing can be checked)', () => {
    const read = readIncidentState(edited(body, (raw) => ({ ...raw, status: 'resolved' })), stateScope(UNSEALED, shop));
    expect(read).toMatchObject({ trust: 'unsealed', state: { status: 'resolved' } });
    expect(renderStateBlock(state, stateScope(UNSEALED, shop))).toBe(renderStateBlock(state));
  });

  it('keeps the seal inside the hidden comment, which user text cannot close', () => {
    const hostile = { ...state, title: 'evil --> <img src=x> @everyone' };
    const block = renderStateBlock(hostile, scope);
    expect(block.slice(4, -3)).not.toMatch(/[<>@]/);
    expect(readIncidentState(block, scope)).toEqual({ state: hostile, trust: 'sealed' });
  });
});

describe('decideStateEdit', () => {
  const sealed = `Summary\n\n${renderStateBlock(state, scope)}\n`;
  const bySomeone = { scope, senderIsBot: false };

  it('leaves edits of the text around the block alone', () => {
    expect(decideStateEdit(sealed, sealed.replace('Summary', 'Summary, edited by bob'), bySomeone)).toEqual({ action: 'none', why: 'state untouched' });
    expect(decideStateEdit('plain issue', 'plain issue, edited', bySomeone)).toEqual({ action: 'none', why: 'not an incident' });
  });

  it("takes firewatch's own sealed writes", () => {
    const next = `Summary\n\n${renderStateBlock({ ...state, status: 'monitoring' }, scope)}\n`;
    expect(decideStateEdit(sealed, next, { scope, senderIsBot: true })).toEqual({ action: 'none', why: 'written by firewatch' });
  });

  it('puts the last trusted state back after an edit, a stripped seal, or a removed block', () => {
    const forged = edited(sealed, (raw) => ({ ...raw, status: 'resolved' }));
    expect(decideStateEdit(sealed, forged, bySomeone)).toEqual({ action: 'restore', state, found: 'forged' });
    const stripped = edited(sealed, ({ seal: _seal, ...raw }) => ({ ...raw, status: 'resolved' }));
    expect(decideStateEdit(sealed, stripped, bySomeone)).toMatchObject({ action: 'restore', state, found: 'unsealed' });
    expect(decideStateEdit(sealed, 'Summary only', bySomeone)).toMatchObject({ action: 'restore', state, found: 'none' });
    // Another bot's edit is not firewatch's either: only the seal says who wrote it.
    expect(decideStateEdit(sealed, forged, { scope, senderIsBot: true })).toMatchObject({ action: 'restore' });
  });

  it('without a key, puts back any change by a person', () => {
    const keyless = { scope: stateScope(UNSEALED, shop), senderIsBot: false };
    const before = renderStateBlock(state);
    const after = renderStateBlock({ ...state, status: 'resolved' });
    expect(decideStateEdit(before, after, keyless)).toEqual({ action: 'restore', state, found: 'unsealed' });
    expect(decideStateEdit(before, after, { ...keyless, senderIsBot: true })).toEqual({ action: 'none', why: 'written by firewatch' });
  });

  it('has nothing to put back when the block before was not trusted either', () => {
    const forged = edited(sealed, (raw) => ({ ...raw, status: 'resolved' }));
    expect(decideStateEdit(forged, edited(forged, (raw) => ({ ...raw, status: 'monitoring' })), bySomeone)).toEqual({ action: 'unrestorable', found: 'forged' });
  });
});
