/**
 * The JSON accepted by `POST /_sandbox/reset`: the whole world the sandbox starts from.
 * Omitted parts fall back to the seed (see `seed.ts`). Times are ISO-8601; relative times
 * (`"-3h"`, `"-45m"`, `"-1d"`) are taken relative to the sandbox clock, so a fixture stays
 * "recent" whenever it is loaded.
 */
import { z } from 'zod';

const permission = z.enum(['read', 'triage', 'write', 'maintain', 'admin']);
export const fixtureTime = z
  .string()
  .regex(/^(-\d+[smhd]|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2}))$/, 'an ISO-8601 time or a relative time like -3h');

const fixtureUser = z.object({
  login: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/),
  /** Permission on every repository of the fixture unless a repo says otherwise. */
  permission: permission.default('read'),
  token: z.string().min(1).optional(),
  name: z.string().optional(),
});

const fixtureFileChange = z.object({
  path: z.string().min(1),
  /** New content; omit with `deleted: true` to remove the file. */
  content: z.string().optional(),
  deleted: z.boolean().optional(),
});

const fixturePull = z.object({
  number: z.number().int().positive().optional(),
  title: z.string().min(1),
  body: z.string().default(''),
  user: z.string(),
  labels: z.array(z.string()).default([]),
  base: z.string().optional(),
  head: z.string().optional(),
  /** Merged at this time; omit for an open PR. */
  merged_at: fixtureTime.optional(),
  created_at: fixtureTime.optional(),
  /** The change the PR makes, applied on top of the base branch when merged. */
  files: z.array(fixtureFileChange).default([]),
});

const fixtureDeployment = z.object({
  environment: z.string().default('production'),
  /** Deploys the merge commit of this PR number, or this ref/SHA. */
  pull: z.number().int().positive().optional(),
  ref: z.string().optional(),
  creator: z.string().optional(),
  created_at: fixtureTime,
  statuses: z
    .array(
      z.object({
        state: z.enum(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']),
        created_at: fixtureTime,
        /** What the deploy tool said (`Rollout failed: 4 of 12 pods updated`); default `Deployment <state>`. */
        description: z.string().max(140).optional(),
      }),
    )
    .default([]),
});

const fixtureIssue = z.object({
  title: z.string().min(1),
  body: z.string().default(''),
  user: z.string(),
  labels: z.array(z.string()).default([]),
  state: z.enum(['open', 'closed']).default('open'),
  created_at: fixtureTime.optional(),
  comments: z.array(z.object({ user: z.string(), body: z.string(), created_at: fixtureTime.optional() })).default([]),
});

const fixtureRepo = z.object({
  owner: z.string().default('acme'),
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  description: z.string().optional(),
  private: z.boolean().default(false),
  default_branch: z.string().default('main'),
  /** Per-repo permissions, overriding the users' defaults: login → permission. */
  collaborators: z.record(z.string(), permission).optional(),
  /** Files of the initial commit on the default branch: path → content. */
  files: z.record(z.string(), z.string()).default({}),
  labels: z.array(z.object({ name: z.string(), color: z.string().default('ededed'), description: z.string().optional() })).default([]),
  pulls: z.array(fixturePull).default([]),
  deployments: z.array(fixtureDeployment).default([]),
  issues: z.array(fixtureIssue).default([]),
});

export const fixtureSchema = z.object({
  /** Sandbox clock at reset. */
  now: z.string().datetime({ offset: true }).optional(),
  /** Replaces the seeded users when given (the app's bot user always exists). */
  users: z.array(fixtureUser).optional(),
  /** Replaces the seeded repositories when given. */
  repos: z.array(fixtureRepo).optional(),
});

export type Fixture = z.infer<typeof fixtureSchema>;
/** What callers may pass (defaults not yet applied); `reset()` parses it into a `Fixture`. */
export type FixtureInput = z.input<typeof fixtureSchema>;
export type FixtureRepo = z.infer<typeof fixtureRepo>;
export type FixturePull = z.infer<typeof fixturePull>;
export type FixtureDeployment = z.infer<typeof fixtureDeployment>;
export type FixtureIssue = z.infer<typeof fixtureIssue>;
export type FixturePullInput = z.input<typeof fixturePull>;
export type FixtureDeploymentInput = z.input<typeof fixtureDeployment>;

const relativeUnits = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Resolves a fixture time (`"-3h"` or ISO-8601) against the sandbox clock. */
export function resolveFixtureTime(value: string, now: Date): Date {
  const relative = /^-(\d+)([smhd])$/.exec(value);
  if (relative) {
    const unit = relative[2] as keyof typeof relativeUnits;
    return new Date(now.getTime() - Number(relative[1]) * relativeUnits[unit]);
  }
  return new Date(value);
}
