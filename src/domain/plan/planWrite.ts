/**
 * The one "desired state vs what GitHub shows → minimal write" decision (issue 15), after
 * probot/settings' diffable: given what is there now (or nothing) and what should be, write
 * nothing, create, or update with only what changes. Pure; a re-run against its own result
 * plans `none`, so idempotence is one thing to test.
 */
export type WritePlan<Desired, Changes = Desired> =
  | { action: 'create'; value: Desired }
  | { action: 'update'; changes: Changes }
  | { action: 'none' };

/**
 * `current` undefined → create; `same(current, desired)` → none; otherwise update with
 * `desired`. The comparator is the caller's: compare as it would be sent (after truncation,
 * ignoring volatile markers, ...).
 */
export function planWrite<Current, Desired>(current: Current | undefined, desired: Desired, same: (current: Current, desired: Desired) => boolean): WritePlan<Desired> {
  if (current === undefined) return { action: 'create', value: desired };
  return same(current, desired) ? { action: 'none' } : { action: 'update', changes: desired };
}

/**
 * Field by field: the fields of `changes` that are set are the update; none set → none. For
 * writers that already build only the differing fields (an issue's title, body, state, labels).
 */
export function planFieldWrite<Changes extends object>(changes: Changes): WritePlan<never, Changes> {
  return Object.values(changes).some((value) => value !== undefined) ? { action: 'update', changes } : { action: 'none' };
}
