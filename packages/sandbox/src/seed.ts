/**
 * The world the sandbox starts from, and how a fixture becomes records. The seed is itself a
 * fixture, so `POST /_sandbox/reset` with no body and a fresh start go through the same code.
 */
import { fixtureSchema, resolveFixtureTime, type Fixture, type FixtureDeploymentInput, type FixturePullInput, type FixtureRepo } from './fixture.ts';
import { recordIssueEvent, recordLabelEvent } from './issueEvents.ts';
import { readFileSync } from 'node:fs';
import { nodeId, timestamp } from './shapes.ts';
import { labelKey, repoKey, type InstallationRecord, type LabelRecord, type Permission, type RepoRecord, type SandboxState, type SandboxUser } from './store.ts';
import type { SandboxApi } from './types.ts';

export const BOT_LOGIN = 'firewatch[bot]';
export const INSTALLATION_ID = 1;
export const DEFAULT_ORG = 'acme';

/**
 * Merged PRs of acme/shop in the last day (applied by `applyGitFixture` in merge order). Each
 * file's content is the whole file after the PR, so later PRs build on earlier ones: #6 and #8
 * both touch `services/payments/gateway.js`, which makes reverting #6 conflict (a realistic case
 * for `/rollback`).
 */
const SEED_SHOP_PULLS: FixturePullInput[] = [
  {
    title: 'Retry payment authorization with backoff',
    body: 'Transient 5xx from the payments provider fail whole checkouts. Retry authorization twice with exponential backoff.',
    user: 'bob',
    labels: ['enhancement'],
    created_at: '-26h',
    merged_at: '-22h',
    files: [
      {
        path: 'services/payments/client.js',
        content: `const TIMEOUT_MS = Number(process.env.PAYMENTS_TIMEOUT_MS ?? 2000);
const RETRIES = 2;

export async function authorize(amount, currency) {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(process.env.PAYMENTS_URL + '/authorize', {
        method: 'POST',
        body: JSON.stringify({ amount, currency }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return await response.json();
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
`,
      },
    ],
  },
  {
    title: 'Bump pg from 8.11.3 to 8.12.0',
    body: 'Bumps [pg](https://github.com/brianc/node-postgres) from 8.11.3 to 8.12.0.',
    user: 'alice',
    labels: ['dependencies'],
    created_at: '-23h',
    merged_at: '-20h',
    files: [
      {
        path: 'package.json',
        content: `{
  "name": "@acme/shop",
  "version": "3.14.0",
  "private": true,
  "type": "module",
  "scripts": {
    "start": "node services/gateway.js",
    "test": "node --test",
    "migrate": "node migrations/run.js"
  },
  "dependencies": {
    "pg": "^8.12.0",
    "pino": "^9.0.0"
  }
}
`,
      },
    ],
  },
  {
    title: 'Add index on orders (status, created_at)',
    body: 'The order dashboard filters by status and sorts by creation time; this index removes the sequential scan.',
    user: 'carol',
    labels: ['database'],
    created_at: '-19h',
    merged_at: '-17h',
    files: [
      {
        path: 'migrations/003_add_orders_status_index.sql',
        content: `CREATE INDEX CONCURRENTLY orders_status_created_at_idx ON orders (status, created_at);
`,
      },
    ],
  },
  {
    title: 'Return the order id in a response header',
    body: 'Lets the edge log the order id without parsing the body.',
    user: 'bob',
    created_at: '-16h',
    merged_at: '-14h',
    files: [
      {
        path: 'services/checkout/handler.js',
        content: `import { placeOrder } from './orders.js';

export async function handleCheckout(req, res) {
  const order = await placeOrder(req);
  res.writeHead(201, { 'content-type': 'application/json', 'x-order-id': order.id }).end(JSON.stringify(order));
}
`,
      },
    ],
  },
  {
    title: 'Raise payments timeout and connection pool in production',
    body: 'Authorization p99 is close to the 2 s timeout at peak. Raise it to 5 s and double the pool.',
    user: 'alice',
    labels: ['config'],
    created_at: '-10h',
    merged_at: '-9h',
    files: [
      {
        path: 'config/production.json',
        content: `{
  "paymentsUrl": "https://payments.internal.acme.example",
  "paymentsTimeoutMs": 5000,
  "checkoutMaxItems": 50,
  "pool": {
    "max": 40
  }
}
`,
      },
    ],
  },
  {
    title: 'Reject captures in unsupported currencies',
    body: 'The provider settles only USD, EUR and GBP; anything else failed later with an opaque error.',
    user: 'carol',
    created_at: '-8h',
    merged_at: '-6h',
    files: [
      {
        path: 'services/payments/gateway.js',
        content: `const SUPPORTED_CURRENCIES = new Set(['USD', 'EUR', 'GBP']);

export async function capture(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const { authorization, currency } = JSON.parse(raw);
  if (!SUPPORTED_CURRENCIES.has(currency)) return { ok: false, error: 'unsupported currency' };
  return { ok: Boolean(authorization), captured_at: new Date().toISOString() };
}
`,
      },
    ],
  },
  {
    title: 'Reserve inventory before authorizing payment',
    body: 'Rewrites order placement: inventory is reserved first and released when authorization fails. Touches the hot path of every checkout.',
    user: 'bob',
    labels: ['risky'],
    created_at: '-7h',
    merged_at: '-3h',
    files: [
      {
        path: 'services/checkout/orders.js',
        content: `import { authorize } from '../payments/client.js';
import { releaseInventory, reserveInventory } from './inventory.js';

const MAX_ITEMS = 50;

export async function placeOrder(req) {
  const cart = await readCart(req);
  if (cart.items.length > MAX_ITEMS) throw new Error('cart too large');
  const reservation = await reserveInventory(cart.items);
  try {
    const payment = await authorize(cart.total, cart.currency);
    return { id: crypto.randomUUID(), status: 'placed', payment, reservation: reservation.id };
  } catch (error) {
    await releaseInventory(reservation);
    throw error;
  }
}

async function readCart(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw);
}
`,
      },
      {
        path: 'services/checkout/inventory.js',
        content: `const INVENTORY_URL = process.env.INVENTORY_URL ?? 'http://inventory.internal.acme.example';

export async function reserveInventory(items) {
  const response = await fetch(INVENTORY_URL + '/reservations', { method: 'POST', body: JSON.stringify({ items }) });
  if (!response.ok) throw new Error('inventory reservation failed: ' + response.status);
  return response.json();
}

export async function releaseInventory(reservation) {
  await fetch(INVENTORY_URL + '/reservations/' + reservation.id, { method: 'DELETE' });
}
`,
      },
    ],
  },
  {
    title: 'Make payment capture idempotent',
    body: 'Retried captures (see the retrying client) could capture twice. Remember results by idempotency key.',
    user: 'alice',
    labels: ['enhancement'],
    created_at: '-2h',
    merged_at: '-70m',
    files: [
      {
        path: 'services/payments/gateway.js',
        content: `const SUPPORTED_CURRENCIES = new Set(['USD', 'EUR', 'GBP']);
const captured = new Map();

export async function capture(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const { authorization, currency, idempotencyKey } = JSON.parse(raw);
  if (!SUPPORTED_CURRENCIES.has(currency)) return { ok: false, error: 'unsupported currency' };
  if (captured.has(idempotencyKey)) return captured.get(idempotencyKey);
  const result = { ok: Boolean(authorization), captured_at: new Date().toISOString() };
  captured.set(idempotencyKey, result);
  return result;
}
`,
      },
    ],
  },
  {
    title: 'Document the rollback procedure',
    body: 'Adds a short section on rolling back a bad deploy.',
    user: 'carol',
    labels: ['documentation'],
    created_at: '-40m',
    files: [
      {
        path: 'README.md',
        content: `# shop

The acme storefront backend: checkout and payments services behind one API gateway.

- \`services/checkout\` — cart and order placement (owner: team-checkout)
- \`services/payments\` — card authorization and capture (owner: team-payments)
- \`migrations\` — Postgres schema migrations, applied on deploy
- \`config\` — per-environment settings

Deploys go to \`production\` from \`main\` after CI passes.

## Rolling back

Revert the culprit PR (\`/rollback #123\` in the incident issue) and let CI deploy the revert.
`,
      },
    ],
  },
];
/**
 * Deployments of acme/shop in the last day: staging first, production after. Pull numbers are
 * the seed's PR numbers (creation order: #1 retry … #8 idempotent capture, #9 open).
 */
const SEED_SHOP_DEPLOYMENTS: FixtureDeploymentInput[] = [
  { environment: 'staging', pull: 1, creator: 'bob', created_at: '-1310m', statuses: [{ state: 'in_progress', created_at: '-1310m' }, { state: 'success', created_at: '-1305m' }] },
  { environment: 'production', pull: 2, creator: 'alice', created_at: '-19h', statuses: [{ state: 'in_progress', created_at: '-19h' }, { state: 'success', created_at: '-1135m' }] },
  { environment: 'production', pull: 3, creator: 'carol', created_at: '-16h', statuses: [{ state: 'in_progress', created_at: '-16h' }, { state: 'success', created_at: '-955m' }] },
  { environment: 'staging', pull: 5, creator: 'alice', created_at: '-520m', statuses: [{ state: 'in_progress', created_at: '-520m' }, { state: 'success', created_at: '-515m' }] },
  { environment: 'production', pull: 5, creator: 'alice', created_at: '-8h', statuses: [{ state: 'in_progress', created_at: '-8h' }, { state: 'success', created_at: '-475m' }] },
  { environment: 'staging', pull: 7, creator: 'bob', created_at: '-170m', statuses: [{ state: 'in_progress', created_at: '-170m' }, { state: 'success', created_at: '-165m' }] },
  { environment: 'production', pull: 7, creator: 'bob', created_at: '-150m', statuses: [{ state: 'in_progress', created_at: '-150m' }, { state: 'success', created_at: '-145m' }] },
  { environment: 'staging', pull: 8, creator: 'alice', created_at: '-50m', statuses: [{ state: 'in_progress', created_at: '-50m' }, { state: 'success', created_at: '-45m' }] },
];

const SEED_USERS = [
  { login: 'alice', name: 'Alice Admin', permission: 'admin', token: 'sandbox-alice' },
  { login: 'bob', name: 'Bob Builder', permission: 'write', token: 'sandbox-bob' },
  { login: 'carol', name: 'Carol Triage', permission: 'triage', token: 'sandbox-carol' },
  { login: 'eve', name: 'Eve Reader', permission: 'read', token: 'sandbox-eve' },
] as const;

/**
 * acme/shop's `.github/firewatch.yml`: services mapped to paths, an on-call rotation with an
 * escalation policy, ack-SLO windows, the status page, notifications to the sandbox's inbox and
 * postmortem rules. The README's example configuration is this file (a test keeps them equal).
 */
export const DEMO_CONFIG_TEXT = readFileSync(new URL('./demo/firewatch.yml', import.meta.url), 'utf8');

const SHOP_FILES: Record<string, string> = {
  '.github/firewatch.yml': DEMO_CONFIG_TEXT,
  'README.md': `# shop

The acme storefront backend: checkout and payments services behind one API gateway.

- \`services/checkout\` — cart and order placement (owner: team-checkout)
- \`services/payments\` — card authorization and capture (owner: team-payments)
- \`migrations\` — Postgres schema migrations, applied on deploy
- \`config\` — per-environment settings

Deploys go to \`production\` from \`main\` after CI passes.
`,
  'package.json': `${JSON.stringify(
    {
      name: '@acme/shop',
      version: '3.14.0',
      private: true,
      type: 'module',
      scripts: { start: 'node services/gateway.js', test: 'node --test', migrate: 'node migrations/run.js' },
      dependencies: { pg: '^8.11.3', pino: '^9.0.0' },
    },
    null,
    2,
  )}\n`,
  'services/gateway.js': `import { createServer } from 'node:http';
import { handleCheckout } from './checkout/handler.js';
import { handlePayment } from './payments/handler.js';

createServer((req, res) => {
  if (req.url?.startsWith('/checkout')) return handleCheckout(req, res);
  if (req.url?.startsWith('/payments')) return handlePayment(req, res);
  res.writeHead(404).end();
}).listen(Number(process.env.PORT ?? 8080));
`,
  'services/checkout/handler.js': `import { placeOrder } from './orders.js';

export async function handleCheckout(req, res) {
  const order = await placeOrder(req);
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(order));
}
`,
  'services/checkout/orders.js': `import { authorize } from '../payments/client.js';

const MAX_ITEMS = 50;

export async function placeOrder(req) {
  const cart = await readCart(req);
  if (cart.items.length > MAX_ITEMS) throw new Error('cart too large');
  const payment = await authorize(cart.total, cart.currency);
  return { id: crypto.randomUUID(), status: 'placed', payment };
}

async function readCart(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw);
}
`,
  'services/payments/handler.js': `import { capture } from './gateway.js';

export async function handlePayment(req, res) {
  const result = await capture(req);
  res.writeHead(result.ok ? 200 : 402, { 'content-type': 'application/json' }).end(JSON.stringify(result));
}
`,
  'services/payments/client.js': `const TIMEOUT_MS = Number(process.env.PAYMENTS_TIMEOUT_MS ?? 2000);

export async function authorize(amount, currency) {
  const response = await fetch(process.env.PAYMENTS_URL + '/authorize', {
    method: 'POST',
    body: JSON.stringify({ amount, currency }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return response.json();
}
`,
  'services/payments/gateway.js': `export async function capture(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const { authorization } = JSON.parse(raw);
  return { ok: Boolean(authorization), captured_at: new Date().toISOString() };
}
`,
  'migrations/001_create_orders.sql': `CREATE TABLE orders (
  id uuid PRIMARY KEY,
  status text NOT NULL,
  total_cents integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
  'migrations/002_add_payment_reference.sql': `ALTER TABLE orders ADD COLUMN payment_reference text;
CREATE INDEX orders_payment_reference_idx ON orders (payment_reference);
`,
  'config/production.json': `${JSON.stringify({ paymentsUrl: 'https://payments.internal.acme.example', paymentsTimeoutMs: 2000, checkoutMaxItems: 50, pool: { max: 20 } }, null, 2)}\n`,
  'config/staging.json': `${JSON.stringify({ paymentsUrl: 'https://payments.staging.acme.example', paymentsTimeoutMs: 5000, checkoutMaxItems: 50, pool: { max: 5 } }, null, 2)}\n`,
  'CODEOWNERS': `services/checkout/ @acme/team-checkout
services/payments/ @acme/team-payments
migrations/ @acme/dba
`,
};

const POST_MORTEM_FILES: Record<string, string> = {
  'README.md': `# post_mortems

Blameless postmortems for acme incidents, one Markdown file per incident, drafted by firewatch as
pull requests and completed by the incident team.
`,
};

/** The seed as a fixture; `fixtureSchema.parse` fills the defaults. */
export function seedFixture(): Fixture {
  return fixtureSchema.parse({
    users: SEED_USERS.map((u) => ({ ...u })),
    repos: [
      {
        owner: DEFAULT_ORG,
        name: 'shop',
        description: 'acme storefront backend: checkout and payments services',
        files: SHOP_FILES,
        pulls: SEED_SHOP_PULLS,
        deployments: SEED_SHOP_DEPLOYMENTS,
      },
      {
        owner: DEFAULT_ORG,
        name: 'post_mortems',
        description: 'Blameless postmortems of acme incidents',
        files: POST_MORTEM_FILES,
      },
    ],
  });
}

/** Labels every new GitHub repository starts with. */
const GITHUB_DEFAULT_LABELS: { name: string; color: string; description: string }[] = [
  { name: 'bug', color: 'd73a4a', description: "Something isn't working" },
  { name: 'documentation', color: '0075ca', description: 'Improvements or additions to documentation' },
  { name: 'duplicate', color: 'cfd3d7', description: 'This issue or pull request already exists' },
  { name: 'enhancement', color: 'a2eeef', description: 'New feature or request' },
  { name: 'good first issue', color: '7057ff', description: 'Good for newcomers' },
  { name: 'help wanted', color: '008672', description: 'Extra attention is needed' },
  { name: 'invalid', color: 'e4e669', description: "This doesn't seem right" },
  { name: 'question', color: 'd876e3', description: 'Further information is requested' },
  { name: 'wontfix', color: 'ffffff', description: 'This will not be worked on' },
];

/** Bot accounts of GitHub itself, present on every github.com. */
const GITHUB_PLATFORM_BOTS = ['dependabot[bot]', 'github-actions[bot]'];

/**
 * Users, orgs, empty repositories and the installation. Content (labels, issues, git data) is
 * added afterwards with the sandbox in place, since it needs ids and the clock.
 */
export function createState(fixture: Fixture, now: Date, seed: Fixture = seedFixture()): SandboxState {
  let nextId = 1;
  const id = (): number => nextId++;
  const users = new Map<string, SandboxUser>();
  const fixtureUsers = fixture.users ?? seed.users ?? [];
  for (const u of fixtureUsers) {
    users.set(u.login, { id: id(), login: u.login, type: 'User', ...(u.token ? { token: u.token } : {}), ...(u.name ? { name: u.name } : {}), email: `${u.login}@acme.example` });
  }
  users.set(BOT_LOGIN, { id: id(), login: BOT_LOGIN, type: 'Bot' });
  const fixtureRepos = fixture.repos ?? seed.repos ?? [];
  const orgs = new Map<string, { id: number; node_id: string; login: string }>();
  for (const r of fixtureRepos) {
    if (!users.has(r.owner) && !orgs.has(r.owner)) {
      const orgId = id();
      orgs.set(r.owner, { id: orgId, node_id: nodeId('Organization', orgId), login: r.owner });
    }
  }
  const created = timestamp(new Date(now.getTime() - 90 * 86_400_000));
  const repos = new Map<string, RepoRecord>();
  for (const r of fixtureRepos) {
    const repoId = id();
    const collaborators = new Map<string, Permission>();
    for (const u of fixtureUsers) collaborators.set(u.login, u.permission);
    for (const [login, permission] of Object.entries(r.collaborators ?? {})) collaborators.set(login, permission);
    if (users.has(r.owner)) collaborators.set(r.owner, 'admin');
    repos.set(repoKey(r.owner, r.name), {
      id: repoId,
      node_id: nodeId('Repository', repoId),
      owner: r.owner,
      name: r.name,
      description: r.description ?? null,
      private: r.private,
      default_branch: r.default_branch,
      created_at: created,
      updated_at: created,
      collaborators,
      labels: new Map(),
      issues: new Map(),
      comments: new Map(),
      reactions: new Map(),
      events: new Map(),
      pulls: new Map(),
      deployments: new Map(),
      git: { blobs: new Map(), trees: new Map(), commits: new Map(), refs: new Map() },
      nextNumber: 1,
    });
  }
  // Accounts every github.com has, whatever the fixture says: Dependabot's and Actions' bots author PRs and comments.
  for (const login of GITHUB_PLATFORM_BOTS) if (!users.has(login)) users.set(login, { id: id(), login, type: 'Bot' });
  const account = fixtureRepos.some((r) => r.owner === DEFAULT_ORG) ? DEFAULT_ORG : (fixtureRepos[0]?.owner ?? DEFAULT_ORG);
  const installation: InstallationRecord = { id: INSTALLATION_ID, botLogin: BOT_LOGIN, account, tokens: new Set() };
  return { users, orgs, repos, installation, nextId };
}

export function createLabel(sandbox: SandboxApi, repo: RepoRecord, input: { name: string; color?: string; description?: string | null }, isDefault = false): LabelRecord {
  const id = sandbox.nextId();
  const label: LabelRecord = { id, node_id: nodeId('Label', id), name: input.name, color: (input.color ?? 'ededed').replace(/^#/, '').toLowerCase(), description: input.description ?? null, default: isDefault };
  repo.labels.set(labelKey(label.name), label);
  return label;
}

/** GitHub's default labels plus the fixture's (applied before PRs, which may carry labels). */
export function applyFixtureLabels(sandbox: SandboxApi, repo: RepoRecord, fixture: FixtureRepo): void {
  for (const label of GITHUB_DEFAULT_LABELS) createLabel(sandbox, repo, label, true);
  for (const label of fixture.labels) {
    const existing = repo.labels.get(labelKey(label.name));
    if (existing) Object.assign(existing, { color: label.color.replace(/^#/, '').toLowerCase(), description: label.description ?? existing.description });
    else createLabel(sandbox, repo, label);
  }
}

/** Issues and their comments (applied after PRs, so merged PRs keep the low numbers, as they came first). */
export function applyFixtureIssues(sandbox: SandboxApi, repo: RepoRecord, fixture: FixtureRepo): void {
  const now = sandbox.now();
  for (const issue of fixture.issues) {
    const createdAt = timestamp(issue.created_at ? resolveFixtureTime(issue.created_at, now) : now);
    const labels = issue.labels.map((name) => (repo.labels.get(labelKey(name)) ?? createLabel(sandbox, repo, { name })).name);
    const id = sandbox.nextId();
    const number = repo.nextNumber++;
    let updatedAt = createdAt;
    for (const comment of issue.comments) {
      const commentId = sandbox.nextId();
      const at = timestamp(comment.created_at ? resolveFixtureTime(comment.created_at, now) : new Date(Date.parse(createdAt)));
      if (at > updatedAt) updatedAt = at;
      repo.comments.set(commentId, { id: commentId, node_id: nodeId('IssueComment', commentId), issueNumber: number, user: comment.user, body: comment.body, created_at: at, updated_at: at });
    }
    repo.issues.set(number, {
      id,
      node_id: nodeId('Issue', id),
      number,
      title: issue.title,
      body: issue.body,
      user: issue.user,
      state: issue.state,
      state_reason: issue.state === 'closed' ? 'completed' : null,
      labels,
      assignees: [],
      locked: false,
      active_lock_reason: null,
      created_at: createdAt,
      updated_at: updatedAt,
      closed_at: issue.state === 'closed' ? updatedAt : null,
      closed_by: issue.state === 'closed' ? issue.user : null,
      isPullRequest: false,
    });
    for (const name of labels) recordLabelEvent(sandbox, repo, { number }, 'labeled', name, issue.user, createdAt);
    if (issue.state === 'closed') recordIssueEvent(sandbox, repo, { number }, 'closed', issue.user, { state_reason: 'completed', at: updatedAt });
  }
}
