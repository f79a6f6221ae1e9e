import { describe, expect, it } from 'vitest';
import { planFieldWrite, planWrite } from '../../src/domain/plan/planWrite.ts';

describe('planWrite', () => {
  const same = (a: string, b: string) => a === b;
  it('creates when GitHub has nothing', () => {
    expect(planWrite<string, string>(undefined, 'body', same)).toEqual({ action: 'create', value: 'body' });
  });
  it('updates with the desired value when it differs', () => {
    expect(planWrite('old', 'new', same)).toEqual({ action: 'update', changes: 'new' });
  });
  it('writes nothing when it is the same', () => {
    expect(planWrite('body', 'body', same)).toEqual({ action: 'none' });
  });
  it('compares with the caller’s comparator (as it would be sent)', () => {
    const asSent = (current: string, desired: string) => current === desired.slice(0, 4);
    expect(planWrite('abcd', 'abcdef', asSent)).toEqual({ action: 'none' });
    expect(planWrite('abcx', 'abcdef', asSent)).toEqual({ action: 'update', changes: 'abcdef' });
  });
  it('applying the plan then planning again writes nothing', () => {
    let onGitHub: string | undefined;
    for (const expected of ['create', 'none'] as const) {
      const plan = planWrite(onGitHub, 'desired', same);
      expect(plan.action).toBe(expected);
      if (plan.action === 'create') onGitHub = plan.value;
    }
  });
});

describe('planFieldWrite', () => {
  it('updates with the fields that are set', () => {
    expect(planFieldWrite({ title: 'T', body: undefined })).toEqual({ action: 'update', changes: { title: 'T', body: undefined } });
  });
  it('writes nothing when no field changes', () => {
    expect(planFieldWrite({})).toEqual({ action: 'none' });
    expect(planFieldWrite({ body: undefined })).toEqual({ action: 'none' });
  });
});
