/**
 * The link from a rollback back to its incident: hidden in the revert PR's body, and in the
 * payload of a `/redeploy` deployment. Webhooks about the revert (merged, closed) or the
 * deployment (succeeded, failed) carry it, so the outcome lands in the right incident's timeline
 * without any lookup table of our own.
 */
import { z } from 'zod';
import { findHiddenJson, renderHiddenJson } from '../text/hiddenJson.ts';

const rollbackLinkSchema = z.object({
  /** `owner/name` of the incident issue. */
  incidentRepo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  issue: z.number().int().positive(),
  incident: z.string().optional(),
  /** `owner/name#n` of the reverted PR, or the ref redeployed. */
  reverts: z.string().optional(),
  ref: z.string().optional(),
  by: z.string().optional(),
});
export type RollbackLink = z.infer<typeof rollbackLinkSchema>;

const KIND = 'rollback';

export function renderRollbackLink(link: RollbackLink): string {
  return renderHiddenJson(KIND, link);
}

export function parseRollbackLink(body: string | null | undefined): RollbackLink | null {
  if (!body) return null;
  for (const found of findHiddenJson(KIND, body)) {
    const parsed = rollbackLinkSchema.safeParse(found);
    if (parsed.success) return parsed.data;
  }
  return null;
}

/** The link inside a deployment's payload (`{ "firewatch": {...} }`), or `null`. */
export function rollbackLinkFromPayload(payload: unknown): RollbackLink | null {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || !('firewatch' in value)) return null;
  const parsed = rollbackLinkSchema.safeParse(value.firewatch);
  return parsed.success ? parsed.data : null;
}
