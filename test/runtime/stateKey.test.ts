import { describe, expect, it } from 'vitest';
import { readIncidentState, renderStateBlock, incidentStateSchema } from '../../src/domain/incident/incidentState.ts';
import { stateScope } from '../../src/domain/incident/stateSeal.ts';
import { stateSealFrom } from '../../src/runtimes/stateKey.ts';

const state = incidentStateSchema.parse({ version: 1, id: 'x', title: 't', source: 'manual', service: 's', severity: 'P3', status: 'triggered', triggeredAt: '2026-01-14T09:00:00.000Z' });
const shop = { owner: 'acme', repo: 'shop' };
const app = { kind: 'app', appId: 1, privateKey: 'pem', webhookSecret: 'hook-secret' } as const;

describe('stateSealFrom', () => {
  it('derives one key from the app webhook secret, so every replica of the app agrees', () => {
    const block = renderStateBlock(state, stateScope(stateSealFrom({}, app), shop));
    expect(readIncidentState(block, stateScope(stateSealFrom({}, app), shop)).trust).toBe('sealed');
    expect(readIncidentState(block, stateScope(stateSealFrom({}, { ...app, webhookSecret: 'other' }), shop)).trust).toBe('forged');
  });

  it('prefers FIREWATCH_STATE_KEY, whose later keys still verify (rotation)', () => {
    const old = renderStateBlock(state, stateScope(stateSealFrom({ FIREWATCH_STATE_KEY: 'old' }, app), shop));
    const rotated = stateSealFrom({ FIREWATCH_STATE_KEY: 'new, old' }, app);
    expect(readIncidentState(old, stateScope(rotated, shop)).trust).toBe('sealed');
    expect(renderStateBlock(state, stateScope(rotated, shop))).toBe(renderStateBlock(state, stateScope(stateSealFrom({ FIREWATCH_STATE_KEY: 'new' }), shop)));
  });

  it('has no key without a secret (the Action without state-key), and refuses unsealed blocks when told to', () => {
    expect(stateSealFrom({}).keyed).toBe(false);
    expect(stateSealFrom({}, { kind: 'token', token: 'ghp_x' }).keyed).toBe(true);
    const strict = stateSealFrom({ FIREWATCH_STATE_UNSEALED: 'reject' }, app);
    expect(readIncidentState(renderStateBlock(state), stateScope(strict, shop)).trust).toBe('forged');
    expect(readIncidentState(renderStateBlock(state), stateScope(stateSealFrom({}, app), shop)).trust).toBe('unsealed');
  });
});
