/**
 * GraphQL names an app's bot by its slug (`firewatch`, `dependabot`) as the author, creator or
 * merger of something; REST, payloads and `Identity` say `firewatch[bot]`. Queries ask for the
 * `__typename`, and this gives the REST login, so one account is one login everywhere.
 */
export function restLogin(actor: { __typename?: string | undefined; login: string }): string {
  return actor.__typename === 'Bot' && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login;
}
