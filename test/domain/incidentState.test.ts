import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventMarker, renderEventMarker } from '../../src/domain/text/eventMarker.ts';
import { incidentStateSchema, parseStateBlock, renderStateBlock, type IncidentState } from '../../src/domain/incident/incidentState.ts';

const state: IncidentState = incidentStateSchema.parse({
  version: 1,
  id: '20260114-checkout-3f9a',
  title: 'HighErrorRate',
  source: 'alertmanager',
  service: 'checkout',
  severity: 'P2',
  status: 'triggered',
  fingerprints: ['abc'],
  fingerprintTokens: ['fwfp0123'],
  triggeredAt: '2026-01-14T09:03:00.000Z',
});

describe('the hidden state block', () => {
  it('round-trips through an issue body, with defaults for what was not given', () => {
    const body = `Some text\n\n${renderStateBlock(state)}\n`;
    expect(parseStateBlock(body)).toEqual(state);
    expect(state.roles).toEqual({ commander: null, comms: null, responders: [] });
    expect(state.acknowledgedAt).toBeNull();
  });

  it('is an HTML comment that user text cannot close early', () => {
    const hostile = { ...state, title: 'evil --> <script>alert(1)</script> & <!-- more', summary: '-->' };
    const block = renderStateBlock(hostile);
    expect(block.startsWith('<!-- firewatch:state {')).toBe(true);
    expect(block.endsWith('} -->')).toBe(true);
    // Only the final `-->` closes it; no `<` or `>` inside.
    expect(block.slice(4, -3)).not.toMatch(/[<>]/);
    expect(parseStateBlock(block)).toEqual(hostile);
  });

  it('reads the last block when a body carries several', () => {
    const older = renderStateBlock({ ...state, status: 'triggered' });
    const newer = renderStateBlock({ ...state, status: 'acknowledged' });
    expect(parseStateBlock(`${older}\ntext\n${newer}`)?.status).toBe('acknowledged');
  });

  it('returns null for bodies without a valid block', () => {
    expect(parseStateBlock(null)).toBeNull();
    expect(parseStateBlock('')).toBeNull();
    expect(parseStateBlock('<!-- firewatch:state {not json} -->')).toBeNull();
    expect(parseStateBlock('<!-- firewatch:state {"version":1} -->')).toBeNull();
    expect(parseStateBlock('<!-- firewatch:state {"version":99,"id":"x"} -->')).toBeNull();
  });

  it('never throws on arbitrary text, and any text round-trips inside the state', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      expect(() => parseStateBlock(text)).not.toThrow();
      const withText = { ...state, title: text };
      expect(parseStateBlock(`${text}\n${renderStateBlock(withText)}`)).toEqual(withText);
    }));
  });
});

describe('event markers', () => {
  it('round-trip and survive hostile text', () => {
    const marker = { type: 'command-reply', at: '2026-01-14T09:05:00.000Z', actor: 'bob', command: 'help', incident: 'x --> <b>', replyTo: 42 };
    const text = `Reply\n\n${renderEventMarker(marker)}\n`;
    expect(renderEventMarker(marker)).not.toMatch(/<b>/);
    expect(parseEventMarker(text)).toEqual(marker);
  });

  it('ignore invalid markers', () => {
    expect(parseEventMarker('<!-- firewatch:event {"type":"x"} -->')).toBeNull();
    expect(parseEventMarker('no marker')).toBeNull();
  });
});
