/**
 * The `correlation` section of `.github/firewatch.yml`: how far around the first alert changes
 * count, which branches besides the default one ship, and how a suspect is undone. Which
 * repositories and paths belong to a service lives with the service (`routing.services[].repos`
 * and `.paths`), so a service is described in one place.
 */
import { z } from 'zod';
import { parseDuration } from '../alerts/intakeConfig.ts';

const duration = (max: string) =>
  z
    .string()
    .refine((text) => parseDuration(text) !== undefined, 'must be a duration such as 10m, 6h or 1d')
    .refine((text) => (parseDuration(text) ?? 0) <= (parseDuration(max) ?? Infinity), `must be at most ${max}`);

const ROLLBACK_METHODS = ['revert-pr', 'deployment', 'workflow'] as const;
export type RollbackMethod = (typeof ROLLBACK_METHODS)[number];

/** Input values may use `{{ref}}`, `{{environment}}`, `{{incident}}` and `{{issue}}`. */
const workflowInput = z.string().max(1000);

const workflow = z
  .strictObject({
    repo: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/deploy')
      .optional()
      .describe("Repository of the workflow. Default: the service's main repository."),
    id: z
      .union([z.string().regex(/^[\w.-]+\.ya?ml$/, 'must be a workflow file name such as deploy.yml'), z.number().int().positive()])
      .describe('Workflow file name (deploy.yml) or numeric id.'),
    ref: z.string().min(1).max(255).default('main').describe('Branch or tag the workflow definition is taken from.'),
    inputs: z
      .record(z.string().regex(/^[A-Za-z_][\w-]*$/, 'must be an input name'), workflowInput)
      .refine((inputs) => Object.keys(inputs).length <= 25, 'GitHub accepts at most 25 inputs')
      .default({ environment: '{{environment}}', ref: '{{ref}}' })
      .describe('Inputs of the dispatch; values may use {{ref}}, {{environment}}, {{incident}} and {{issue}}.'),
  })
  .describe('The workflow `/redeploy` dispatches when rollback.method is workflow.');

export const correlationConfigSchema = z
  .strictObject({
    window: z
      .strictObject({
        before: duration('7d').default('24h').describe('How long before the first alert changes count.'),
        after: duration('2h').default('10m').describe('How long after the first alert changes still count (clock skew, alert delay).'),
      })
      .prefault({}),
    releaseBranches: z
      .array(z.string().trim().min(1).max(255))
      .max(20)
      .default([])
      .describe('Branches besides the default one whose merged PRs ship (release/* matches by prefix).'),
    rollback: z
      .strictObject({
        method: z.enum(ROLLBACK_METHODS).default('revert-pr').describe('What the suggested rollback command does: open a revert PR, create a deployment of an earlier ref, or dispatch a workflow.'),
        autoMerge: z.boolean().default(false).describe('Enable auto-merge on revert PRs, so they merge as soon as checks pass.'),
        workflow: workflow.optional(),
      })
      .prefault({})
      .refine((rollback) => rollback.method !== 'workflow' || rollback.workflow !== undefined, { message: 'rollback.method workflow needs rollback.workflow (id, ref, inputs)', path: ['workflow'] }),
  })
  .describe('Deploy correlation (suspected changes) and rollback.');

export type CorrelationConfig = z.output<typeof correlationConfigSchema>;

/** `release/*` matches `release/2.3`; other names match exactly. */
export function isReleaseBranch(branch: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? branch.startsWith(pattern.slice(0, -1)) : branch === pattern));
}

/** Window lengths in milliseconds, for `rankSuspects`. */
export function windowMs(config: CorrelationConfig): { windowBeforeMs: number; windowAfterMs: number } {
  return { windowBeforeMs: parseDuration(config.window.before) ?? 24 * 3_600_000, windowAfterMs: parseDuration(config.window.after) ?? 10 * 60_000 };
}
