import { findHiddenBlocks } from '../text/hiddenJson.ts';
import { readIncidentState, type IncidentState, type StateTrust } from './incidentState.ts';
import type { StateScope } from './stateSeal.ts';

export type StateEditDecision =
  | { action: 'none'; why: 'not an incident' | 'state untouched' | 'written by firewatch' }
  | { action: 'restore'; state: IncidentState; found: StateTrust }
  | { action: 'unrestorable'; found: StateTrust };

/** The raw JSON of the last state block, or `undefined`: what an edit is compared by. */
function lastBlock(body: string | null | undefined): string | undefined {
  return body ? findHiddenBlocks('state', body).at(-1)?.json : undefined;
}

/**
 * What to do about an edit of an incident's body (`issues.edited`, `before` from `changes.body.from`).
 * The state block is firewatch's: people may edit the text around it, not it. With a key, a
 * changed block that is not sealed (edited, seal stripped, removed, garbage) is put back to the
 * last trusted one; without a key, any change by someone other than a bot is. Pure.
 */
export function decideStateEdit(before: string | null | undefined, after: string | null | undefined, context: { scope: StateScope; senderIsBot: boolean }): StateEditDecision {
  const old = lastBlock(before);
  const current = lastBlock(after);
  if (old === undefined && current === undefined) return { action: 'none', why: 'not an incident' };
  if (old === current) return { action: 'none', why: 'state untouched' };
  const now = readIncidentState(after, context.scope);
  const ours = context.scope.seal.keyed ? now.trust === 'sealed' : context.senderIsBot;
  if (ours) return { action: 'none', why: 'written by firewatch' };
  const previous = readIncidentState(before, context.scope);
  if (!previous.state) return { action: 'unrestorable', found: now.trust };
  return { action: 'restore', state: previous.state, found: now.trust };
}
