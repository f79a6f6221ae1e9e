/** A GitHub account as payloads and REST answers carry it (`user`, `sender`, `creator`, ...). */
export interface Actor {
  login: string;
  type?: string | null | undefined;
}

/**
 * Who firewatch itself is on GitHub: its GitHub App's bot (`firewatch[bot]`), or the user or bot
 * its token acts as. Only what this account wrote is firewatch's state (event markers, reminders,
 * suspects, revert pull requests, postmortem pull requests), and only its own changes are skipped as
 * echoes of its writes; another app's bot is a stranger like anyone else, reconciled under its
 * permissions. Decided here and nowhere else.
 */
export interface Identity {
  /** The login, e.g. `firewatch[bot]`. */
  readonly login: string;
  isOwnActor(user: Actor | null | undefined): boolean;
}

/** How a process learns its identity: once, on first use (a failed look-up is asked again next time). */
export interface IdentitySource {
  resolve(): Promise<Identity>;
}

/**
 * The identity of `login`, and of `also` (the CLI acts as a person's token, yet the app's bot wrote
 * most of the incident's comments).
 */
export function identityOf(login: string, also: readonly string[] = []): Identity {
  const own = new Set([login, ...also].map((name) => name.toLowerCase()));
  return {
    login,
    isOwnActor: (user) => user !== null && user !== undefined && typeof user.login === 'string' && own.has(user.login.toLowerCase()),
  };
}

export function fixedIdentity(login: string): IdentitySource {
  const identity = identityOf(login);
  return { resolve: async () => identity };
}

/** Looks the login up with `lookUp` the first time it is needed; concurrent callers share one look-up. */
export function lazyIdentity(lookUp: () => Promise<string>): IdentitySource {
  let pending: Promise<Identity> | undefined;
  return {
    resolve() {
      pending ??= lookUp().then(identityOf, (error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
  };
}

/** The comments firewatch itself wrote: the only ones whose hidden markers are its state. */
export function ownComments<C extends { user?: Actor | null }>(comments: readonly C[], identity: Identity): C[] {
  return comments.filter((comment) => identity.isOwnActor(comment.user));
}

/**
 * Who a token acts as, for runtimes that hold only a token (the CLI, the Action): its login, plus
 * `also` (the app's bot, whose comments the incident also carries). When the token cannot tell
 * (a workflow's `GITHUB_TOKEN` may answer neither look-up), `fallback` is who it writes as.
 */
export async function tokenIdentity(octokit: LookUpOctokit, options: { also?: readonly string[]; fallback?: string } = {}): Promise<Identity> {
  let login: string;
  try {
    login = await tokenLogin(octokit);
  } catch (error) {
    if (options.fallback === undefined) throw error;
    login = options.fallback;
  }
  return identityOf(login, options.also ?? []);
}

/** The part of an Octokit the look-ups use. */
interface LookUpOctokit {
  request(route: string, parameters?: Record<string, unknown>): Promise<{ data: unknown }>;
  graphql?: (query: string) => Promise<unknown>;
}

/** A GitHub App is its bot: `<slug>[bot]` (`GET /app`, with the app's JWT). */
export async function appBotLogin(appOctokit: LookUpOctokit): Promise<string> {
  const { data } = await appOctokit.request('GET /app');
  const slug = typeof data === 'object' && data !== null && 'slug' in data && typeof data.slug === 'string' ? data.slug : undefined;
  if (!slug) throw new Error('GET /app answered without the app slug: cannot tell which bot firewatch is');
  return `${slug}[bot]`;
}

/**
 * A token acts as a user (`GET /user`) or, for installation tokens such as the Actions
 * `GITHUB_TOKEN` that `GET /user` refuses, as a bot GraphQL calls the `viewer`.
 */
export async function tokenLogin(octokit: LookUpOctokit): Promise<string> {
  try {
    const { data } = await octokit.request('GET /user');
    if (typeof data === 'object' && data !== null && 'login' in data && typeof data.login === 'string') return data.login;
  } catch (error) {
    if (!octokit.graphql) throw error;
  }
  if (!octokit.graphql) throw new Error('GET /user answered without a login: cannot tell who firewatch acts as');
  const answer = (await octokit.graphql('query { viewer { login } }')) as { viewer?: { login?: unknown } };
  const login = answer.viewer?.login;
  if (typeof login !== 'string' || login === '') throw new Error('GraphQL viewer has no login: cannot tell who firewatch acts as');
  return login;
}
