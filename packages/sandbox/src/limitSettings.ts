/**
 * Which of GitHub's rate limits the sandbox enforces, as `POST /_sandbox/limits` sets them: a
 * preset (`github`, `off`) and/or explicit numbers, each a positive integer or `null` (no limit).
 * The `github` numbers are the ones GitHub documents for github.com ("Rate limits for the REST
 * API", "Rate limits and query limits for the GraphQL API", "REST API endpoints for search").
 */
import { z } from 'zod';

export interface LimitSettings {
  /** Primary limit per token identity (installation, user, app) per hour; REST (`core`) and GraphQL (`graphql`, in points) are separate budgets of this size. */
  primaryPerHour: number | null;
  /** Primary limit per IP address per hour for requests without a token. */
  unauthenticatedPerHour: number | null;
  /** The `search` resource per token identity per minute. */
  searchPerMinute: number | null;
  unauthenticatedSearchPerMinute: number | null;
  /** Secondary limits on content-generating requests per token identity. */
  contentCreatingPerMinute: number | null;
  contentCreatingPerHour: number | null;
  /** Secondary limit per token identity and REST endpoint (route): GET/HEAD/OPTIONS cost 1 point, other methods 5. */
  endpointPointsPerMinute: number | null;
  /** Secondary limit per token identity on the GraphQL endpoint: queries cost 1 point, mutations 5. */
  graphqlPointsPerMinute: number | null;
  /** Secondary limit on concurrent requests per token identity, REST and GraphQL together. */
  concurrentRequests: number | null;
}

export const GITHUB_LIMITS: Readonly<LimitSettings> = Object.freeze({
  primaryPerHour: 5000,
  unauthenticatedPerHour: 60,
  searchPerMinute: 30,
  unauthenticatedSearchPerMinute: 10,
  contentCreatingPerMinute: 80,
  contentCreatingPerHour: 500,
  endpointPointsPerMinute: 900,
  graphqlPointsPerMinute: 2000,
  concurrentRequests: 100,
});

export const NO_LIMITS: Readonly<LimitSettings> = Object.freeze({
  primaryPerHour: null,
  unauthenticatedPerHour: null,
  searchPerMinute: null,
  unauthenticatedSearchPerMinute: null,
  contentCreatingPerMinute: null,
  contentCreatingPerHour: null,
  endpointPointsPerMinute: null,
  graphqlPointsPerMinute: null,
  concurrentRequests: null,
});

export type LimitPreset = 'github' | 'off';

const limit = (minimum: number) => z.number().int().min(minimum).max(1_000_000_000).nullable().optional();

/** The body of `POST /_sandbox/limits` (and `SandboxOptions.limits`): numbers override the preset, which defaults to `off`. */
export const limitsInputSchema = z
  .strictObject({
    preset: z.enum(['github', 'off']).optional(),
    primaryPerHour: limit(1),
    unauthenticatedPerHour: limit(1),
    searchPerMinute: limit(1),
    unauthenticatedSearchPerMinute: limit(1),
    contentCreatingPerMinute: limit(1),
    contentCreatingPerHour: limit(1),
    // A write costs 5 points: a smaller budget could never admit one.
    endpointPointsPerMinute: limit(5),
    graphqlPointsPerMinute: limit(5),
    concurrentRequests: limit(1),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'send a preset ("github" or "off") or at least one limit' });

export type LimitsInput = z.input<typeof limitsInputSchema>;

export function resolveLimits(input: LimitsInput): LimitSettings {
  const base = input.preset === 'github' ? GITHUB_LIMITS : NO_LIMITS;
  const settings: LimitSettings = { ...base };
  for (const key of Object.keys(NO_LIMITS) as (keyof LimitSettings)[]) {
    const value = input[key];
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

/** `github` or `off` when the settings are exactly a preset, `custom` otherwise. */
export function presetOf(settings: LimitSettings): LimitPreset | 'custom' {
  const keys = Object.keys(NO_LIMITS) as (keyof LimitSettings)[];
  if (keys.every((key) => settings[key] === GITHUB_LIMITS[key])) return 'github';
  if (keys.every((key) => settings[key] === null)) return 'off';
  return 'custom';
}
