/**
 * Request bodies are untrusted: parse them with zod and turn problems into GitHub's 422 shape
 * (`Validation Failed` with one `{resource, field, code}` per problem).
 */
import type { z } from 'zod';
import { HttpError } from './router.ts';

function isPresent(body: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = body;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node !== undefined;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown, resource: string): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || undefined;
    const missing = issue.path.length > 0 && !isPresent(body, issue.path);
    return {
      resource,
      ...(field ? { field } : {}),
      code: missing ? 'missing_field' : issue.code === 'custom' ? 'custom' : 'invalid',
      message: issue.message,
    };
  });
  throw new HttpError(422, 'Validation Failed', errors);
}
