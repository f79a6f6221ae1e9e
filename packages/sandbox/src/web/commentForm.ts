/**
 * The issue page's "Comment as" form at the edge: a bounded urlencoded body, validated with zod
 * into a seeded user (with a token) and a non-empty body within GitHub's length limit.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { SandboxUser } from '../store.ts';

const MAX_FORM_BYTES = 1024 * 1024;
/** GitHub's limit for an issue comment body. */
export const MAX_COMMENT_CHARS = 65_536;

export type FormBody = { kind: 'ok'; fields: URLSearchParams } | { kind: 'too-large' } | { kind: 'unsupported'; contentType: string };

export async function readFormBody(req: IncomingMessage): Promise<FormBody> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (Number(req.headers['content-length'] ?? 0) > MAX_FORM_BYTES) {
    req.resume();
    return { kind: 'too-large' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining so the client sees our answer instead of a reset connection.
    if (size <= MAX_FORM_BYTES) chunks.push(chunk);
  }
  if (size > MAX_FORM_BYTES) return { kind: 'too-large' };
  if (contentType !== 'application/x-www-form-urlencoded') return { kind: 'unsupported', contentType };
  return { kind: 'ok', fields: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
}

export interface CommentFormValues {
  user: string;
  body: string;
}

export interface FormError {
  field: 'user' | 'body' | 'form';
  message: string;
}

export type CommentFormResult = { ok: true; user: SandboxUser; body: string } | { ok: false; values: CommentFormValues; errors: FormError[] };

export function validateCommentForm(fields: URLSearchParams, users: readonly SandboxUser[]): CommentFormResult {
  const logins = users.map((u) => u.login);
  const schema = z.object({
    user: z
      .string({ error: 'Choose who to comment as.' })
      .refine((login) => logins.includes(login), { error: `Choose who to comment as: one of ${logins.join(', ')}.` }),
    body: z
      .string({ error: 'Write a comment before posting.' })
      .refine((body) => body.trim() !== '', { error: 'Write a comment before posting.' })
      .refine((body) => body.length <= MAX_COMMENT_CHARS, {
        error: (issue) => `Comments are limited to ${MAX_COMMENT_CHARS.toLocaleString('en-US')} characters; this one has ${String(issue.input).length.toLocaleString('en-US')}.`,
      }),
  });
  const raw = { user: fields.get('user') ?? undefined, body: fields.get('body') ?? undefined };
  const parsed = schema.safeParse(raw);
  if (parsed.success) {
    const user = users.find((u) => u.login === parsed.data.user);
    if (user) return { ok: true, user, body: parsed.data.body };
  }
  const errors: FormError[] = (parsed.error?.issues ?? []).map((issue) => ({
    field: issue.path[0] === 'user' ? 'user' : issue.path[0] === 'body' ? 'body' : 'form',
    message: issue.message,
  }));
  if (errors.length === 0) errors.push({ field: 'user', message: 'Choose who to comment as.' });
  return { ok: false, values: { user: raw.user ?? '', body: raw.body ?? '' }, errors };
}
