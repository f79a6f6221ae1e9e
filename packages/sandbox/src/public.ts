/**
 * The package's public API (`import { Sandbox } from '@firewatch/sandbox'`): everything a test of a
 * GitHub App needs, and nothing of how the sandbox is built inside. See the README.
 */
export { Sandbox } from './index.ts';
export type { SandboxApi, SandboxOptions, SandboxStats, WebhookDelivery } from './types.ts';

// The world: a fixture in, records out (`sandbox.state`, `sandbox.repo()`, `sandbox.user()`).
export {
  fixtureSchema,
  fixtureTime,
  resolveFixtureTime,
  type Fixture,
  type FixtureDeployment,
  type FixtureDeploymentInput,
  type FixtureInput,
  type FixtureIssue,
  type FixturePull,
  type FixturePullInput,
  type FixtureRepo,
} from './fixture.ts';
export { FixtureError } from './git/apply-fixture.ts';
export { BOT_LOGIN, DEFAULT_ORG, DEMO_CONFIG_TEXT, INSTALLATION_ID, seedFixture } from './seed.ts';
export { BOT_TOKEN } from './auth.ts';
export { repoKey } from './store.ts';
export type {
  CommentRecord,
  DeploymentRecord,
  IssueRecord,
  LabelRecord,
  OrgRecord,
  Permission,
  PullRecord,
  ReactionContent,
  RepoRecord,
  SandboxState,
  SandboxUser,
} from './store.ts';

// Time and limits, as `POST /_sandbox/clock` and `POST /_sandbox/limits` take them.
export type { ClockChange, ClockReading } from './clock.ts';
export { GITHUB_LIMITS, NO_LIMITS, type LimitPreset, type LimitSettings, type LimitsInput } from './limitSettings.ts';
export type { BudgetStatus, RateLimitStatus } from './rateLimits.ts';
export type { RateLimitResource } from './requestPrice.ts';

// Webhook signatures (`X-Hub-Signature-256`) and patches, computed as GitHub computes them.
export { signPayload } from './webhooks.ts';
export { diffLines, splitLines, unifiedDiff, type EditOp, type TextDiff } from './git/diff.ts';
