/** GitHub's GraphQL error `type`s of a failed call (Octokit's `GraphqlResponseError` carries them). */
export function errorTypes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null || !('errors' in error) || !Array.isArray(error.errors)) return [];
  return error.errors.map((e: unknown) => (typeof e === 'object' && e !== null && 'type' in e && typeof e.type === 'string' ? e.type : ''));
}

/** A GraphQL error that still carries the data of the fields that resolved (Octokit's `GraphqlResponseError`). */
export function partialData(error: unknown): Record<string, unknown> | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data?: unknown }).data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
}
