import { repoKey, type SandboxApi } from '@firewatch/sandbox';

export interface BannerInput {
  /** The app server, when it runs (not for `firewatch sandbox` alone). */
  appUrl?: string;
  alertToken?: string;
  sandbox: Pick<SandboxApi, 'url' | 'apiUrl' | 'state'>;
  /** The repository alerts go to and commands are tried in. */
  repo: { owner: string; repo: string };
}

/** What a newcomer needs after `npm start`: where things are, who they can be, what to paste. */
export function renderBanner(input: BannerInput): string {
  const { sandbox, repo } = input;
  const record = sandbox.state.repos.get(repoKey(repo.owner, repo.repo));
  const users = [...sandbox.state.users.values()].filter((user) => user.type === 'User' && user.token);
  const rows = users.map((user) => [user.login, record?.collaborators.get(user.login) ?? 'none', user.token ?? '']);
  const lines: string[] = [''];

  if (input.appUrl) lines.push(`  firewatch app      ${input.appUrl}`);
  lines.push(`  sandbox web UI     ${sandbox.url}/`, `  sandbox REST API   ${sandbox.apiUrl}`, '');
  lines.push(`  Seeded users (permission on ${repo.owner}/${repo.repo}):`, ...table(['user', 'role', 'token'], rows).map((line) => `    ${line}`), '');

  if (input.appUrl) {
    lines.push('  Take the guided tour, a whole incident played in this sandbox (in another terminal):', `    ${tourCommand(input.appUrl, sandbox.url)}`, '');
    // The first alert gets the next issue number; in a fresh sandbox that is the one to comment on.
    const nextNumber = record?.nextNumber ?? 1;
    const alertBody = JSON.stringify({ title: 'HighErrorRate', severity: 'P2', service: 'checkout' });
    const commentBody = JSON.stringify({ body: '/help' });
    lines.push(
      '  Fire a test alert:',
      `    curl -sS -X POST ${input.appUrl}/alerts/generic -H 'Authorization: Bearer ${input.alertToken ?? '<FIREWATCH_ALERT_TOKEN>'}' -H 'Content-Type: application/json' -d '${alertBody}'`,
      '',
      `  Then comment /help as bob on the incident it opened (#${nextNumber}):`,
      `    curl -sS -X POST ${sandbox.apiUrl}/repos/${repo.owner}/${repo.repo}/issues/${nextNumber}/comments -H 'Authorization: token sandbox-bob' -H 'Content-Type: application/json' -d '${commentBody}'`,
      '',
      `  Watch it happen at ${sandbox.url}/${repo.owner}/${repo.repo}/issues/${nextNumber}`,
      '',
    );
  } else {
    lines.push(
      '  Try it:',
      `    curl -sS ${sandbox.apiUrl}/repos/${repo.owner}/${repo.repo}/issues -H 'Authorization: token sandbox-alice'`,
      '',
    );
  }
  return lines.join('\n');
}

/** `npx firewatch demo`, with the addresses when they are not the ones it assumes. */
function tourCommand(appUrl: string, sandboxUrl: string): string {
  const flags = [appUrl === 'http://127.0.0.1:3000' ? '' : ` --app-url ${appUrl}`, sandboxUrl === 'http://127.0.0.1:3001' ? '' : ` --sandbox-url ${sandboxUrl}`].join('');
  return `npx firewatch demo${flags}`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...rows.map(format)];
}
