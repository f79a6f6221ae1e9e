/**
 * Records → GitHub's JSON. The same shapes serve REST responses and webhook payloads, so they
 * carry exactly the fields both descriptions allow (the webhook schemas forbid extra keys);
 * REST-only fields are added by the `rest*` variants.
 */
import type { SandboxApi } from './types.ts';
import type { CommentRecord, IssueRecord, LabelRecord, OrgRecord, ReactionContent, ReactionRecord, RepoRecord, SandboxUser } from './store.ts';

type Json = Record<string, unknown>;
type Urls = Pick<SandboxApi, 'url' | 'apiUrl'>;

/** GitHub's timestamps have second precision: `2026-01-02T03:04:05Z`. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64url');
}

export function fullName(repo: RepoRecord): string {
  return `${repo.owner}/${repo.name}`;
}

export function userJson(sandbox: Urls, user: SandboxUser): Json {
  const api = `${sandbox.apiUrl}/users/${encodeURIComponent(user.login)}`;
  const html = user.type === 'Bot' ? `${sandbox.url}/apps/${user.login.replace(/\[bot\]$/, '')}` : `${sandbox.url}/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User', user.id),
    avatar_url: `${sandbox.url}/avatars/u/${user.id}`,
    gravatar_id: '',
    url: api,
    html_url: html,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    site_admin: false,
  };
}

/** A user the records mention but the world no longer has (deleted fixture user): GitHub's ghost. */
function ghostUser(): SandboxUser {
  return { id: 10137, login: 'ghost', type: 'User' };
}

export function userByLogin(sandbox: SandboxApi, login: string): Json {
  return userJson(sandbox, sandbox.user(login) ?? ghostUser());
}

/** `GET /users/{username}`: the public profile (exactly the fields `public-user` allows). */
export function publicUserJson(sandbox: SandboxApi, user: SandboxUser): Json {
  const created = timestamp(new Date(Date.UTC(2020, 0, 1)));
  return {
    ...userJson(sandbox, user),
    name: user.name ?? null,
    company: null,
    blog: '',
    location: null,
    email: user.email ?? null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: [...sandbox.state.repos.values()].filter((r) => r.owner === user.login && !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created,
  };
}

/** `GET /user`: the authenticated user's private profile. */
export function privateUserJson(sandbox: SandboxApi, user: SandboxUser): Json {
  return {
    ...publicUserJson(sandbox, user),
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
    plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

export function organizationJson(sandbox: Urls, org: OrgRecord): Json {
  const api = `${sandbox.apiUrl}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: org.node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${sandbox.url}/avatars/u/${org.id}`,
    description: null,
  };
}

function ownerJson(sandbox: SandboxApi, repo: RepoRecord): Json {
  const org = sandbox.state.orgs.get(repo.owner);
  if (org) return userJson(sandbox, { id: org.id, login: org.login, type: 'Organization' });
  return userByLogin(sandbox, repo.owner);
}

/** The repository as webhooks carry it (also valid as REST's `repository`). */
export function repositoryJson(sandbox: SandboxApi, repo: RepoRecord): Json {
  const name = fullName(repo);
  const api = `${sandbox.apiUrl}/repos/${name}`;
  const html = `${sandbox.url}/${name}`;
  const host = new URL(sandbox.url).host;
  const openIssues = [...repo.issues.values()].filter((i) => i.state === 'open').length;
  return {
    id: repo.id,
    node_id: repo.node_id,
    name: repo.name,
    full_name: name,
    private: repo.private,
    owner: ownerJson(sandbox, repo),
    html_url: html,
    description: repo.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repo.created_at,
    updated_at: repo.updated_at,
    pushed_at: repo.updated_at,
    git_url: `git://${host}/${name}.git`,
    ssh_url: `git@${host}:${name}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'TypeScript',
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? 'private' : 'public',
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.default_branch,
    custom_properties: {},
  };
}

/** `GET /repos/{owner}/{repo}`: the full repository, with the caller's permissions. */
export function fullRepositoryJson(sandbox: SandboxApi, repo: RepoRecord, permission: string): Json {
  const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(permission);
  const org = sandbox.state.orgs.get(repo.owner);
  return {
    ...repositoryJson(sandbox, repo),
    permissions: { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 },
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    network_count: 0,
    subscribers_count: 0,
    ...(org ? { organization: userJson(sandbox, { id: org.id, login: org.login, type: 'Organization' }) } : {}),
  };
}

export function labelJson(sandbox: SandboxApi, repo: RepoRecord, label: LabelRecord): Json {
  return {
    id: label.id,
    node_id: label.node_id,
    url: `${sandbox.apiUrl}/repos/${fullName(repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

const reactionContents: ReactionContent[] = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'eyes', 'rocket'];

function reactionRollup(url: string, reactions: ReactionRecord[]): Json {
  const rollup: Json = { url, total_count: reactions.length };
  for (const content of reactionContents) rollup[content] = reactions.filter((r) => r.content === content).length;
  return rollup;
}

export function reactionsOf(repo: RepoRecord, subject: ReactionRecord['subject']): ReactionRecord[] {
  return [...repo.reactions.values()].filter((r) =>
    subject.kind === 'issue'
      ? r.subject.kind === 'issue' && r.subject.number === subject.number
      : r.subject.kind === 'comment' && r.subject.id === subject.id,
  );
}

/** How GitHub labels an author relative to the repository (owners, org members, collaborators). */
export function authorAssociation(sandbox: SandboxApi, repo: RepoRecord, login: string): string {
  if (login === repo.owner) return 'OWNER';
  const user = sandbox.user(login);
  if (user?.type === 'Bot') return 'NONE';
  const permission = repo.collaborators.get(login);
  if (sandbox.state.orgs.has(repo.owner) && permission) return 'MEMBER';
  if (permission) return 'COLLABORATOR';
  return 'NONE';
}

export function appJson(sandbox: SandboxApi): Json {
  const owner = [...sandbox.state.orgs.values()][0];
  const created = timestamp(new Date(Date.UTC(2024, 0, 1)));
  return {
    id: sandbox.appId,
    slug: 'firewatch',
    node_id: nodeId('Integration', sandbox.appId),
    owner: owner ? userJson(sandbox, { id: owner.id, login: owner.login, type: 'Organization' }) : userJson(sandbox, ghostUser()),
    name: 'firewatch',
    description: 'GitHub-native incident response',
    external_url: sandbox.url,
    html_url: `${sandbox.url}/apps/firewatch`,
    created_at: created,
    updated_at: created,
    permissions: appPermissions,
    events: appEvents,
  };
}

export const appPermissions = {
  contents: 'write',
  deployments: 'read',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
} as const;

const appEvents = ['issue_comment', 'issues', 'label', 'pull_request', 'deployment_status', 'repository_dispatch'];

/** The GitHub App itself (`GET /app`). */
export function integrationJson(sandbox: SandboxApi): Json {
  return { ...appJson(sandbox), client_id: 'Iv1.sandbox0000000000', installations_count: 1 };
}

export function isBotLogin(sandbox: SandboxApi, login: string): boolean {
  return login === sandbox.state.installation.botLogin;
}

export function issueJson(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord): Json {
  const name = fullName(repo);
  const api = `${sandbox.apiUrl}/repos/${name}/issues/${issue.number}`;
  const html = `${sandbox.url}/${name}/${issue.isPullRequest ? 'pull' : 'issues'}/${issue.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
  const assignees = issue.assignees.map((login) => userByLogin(sandbox, login));
  const pull = issue.isPullRequest ? repo.pulls.get(issue.number) : undefined;
  const json: Json = {
    url: api,
    repository_url: `${sandbox.apiUrl}/repos/${name}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    id: issue.id,
    node_id: issue.node_id,
    number: issue.number,
    title: issue.title,
    user: userByLogin(sandbox, issue.user),
    labels: issue.labels.flatMap((n) => {
      const label = repo.labels.get(n.toLowerCase());
      return label ? [labelJson(sandbox, repo, label)] : [];
    }),
    state: issue.state,
    locked: issue.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    author_association: authorAssociation(sandbox, repo, issue.user),
    active_lock_reason: issue.active_lock_reason,
    body: issue.body,
    reactions: reactionRollup(`${api}/reactions`, reactionsOf(repo, { kind: 'issue', number: issue.number })),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: isBotLogin(sandbox, issue.user) ? appJson(sandbox) : null,
    state_reason: issue.state_reason,
  };
  if (issue.isPullRequest) {
    const pullApi = `${sandbox.apiUrl}/repos/${name}/pulls/${issue.number}`;
    json['draft'] = pull?.draft ?? false;
    json['pull_request'] = {
      url: pullApi,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: pull?.merged_at ?? null,
    };
  }
  return json;
}

/** REST's issue adds who closed it (webhook payloads do not carry `closed_by`). */
export function restIssueJson(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord): Json {
  return { ...issueJson(sandbox, repo, issue), closed_by: issue.closed_by ? userByLogin(sandbox, issue.closed_by) : null };
}

export function commentJson(sandbox: SandboxApi, repo: RepoRecord, comment: CommentRecord): Json {
  const name = fullName(repo);
  const api = `${sandbox.apiUrl}/repos/${name}/issues/comments/${comment.id}`;
  const issue = repo.issues.get(comment.issueNumber);
  const kind = issue?.isPullRequest ? 'pull' : 'issues';
  return {
    url: api,
    html_url: `${sandbox.url}/${name}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${sandbox.apiUrl}/repos/${name}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: comment.node_id,
    user: userByLogin(sandbox, comment.user),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: authorAssociation(sandbox, repo, comment.user),
    body: comment.body,
    reactions: reactionRollup(`${api}/reactions`, reactionsOf(repo, { kind: 'comment', id: comment.id })),
    performed_via_github_app: isBotLogin(sandbox, comment.user) ? appJson(sandbox) : null,
  };
}

export function reactionJson(sandbox: SandboxApi, reaction: ReactionRecord): Json {
  return {
    id: reaction.id,
    node_id: reaction.node_id,
    user: userByLogin(sandbox, reaction.user),
    content: reaction.content,
    created_at: reaction.created_at,
  };
}

export function installationJson(sandbox: SandboxApi): Json {
  const installation = sandbox.state.installation;
  const org = sandbox.state.orgs.get(installation.account);
  const created = timestamp(new Date(Date.UTC(2024, 0, 1)));
  // `GET /app/installations` describes the account as simple-user *and* enterprise (allOf), so it carries both sets of fields.
  const account = {
    ...(org ? userJson(sandbox, { id: org.id, login: org.login, type: 'Organization' }) : userByLogin(sandbox, installation.account)),
    name: installation.account,
    slug: installation.account.toLowerCase(),
    created_at: created,
    updated_at: created,
  };
  return {
    id: installation.id,
    account,
    repository_selection: 'all',
    access_tokens_url: `${sandbox.apiUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${sandbox.apiUrl}/installation/repositories`,
    html_url: `${sandbox.url}/organizations/${installation.account}/settings/installations/${installation.id}`,
    app_id: sandbox.appId,
    app_slug: 'firewatch',
    client_id: 'Iv1.sandbox0000000000',
    target_id: org?.id ?? sandbox.user(installation.account)?.id ?? 0,
    target_type: org ? 'Organization' : 'User',
    permissions: appPermissions,
    events: appEvents,
    created_at: created,
    updated_at: created,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The `installation` key of webhook payloads. */
export function installationLiteJson(sandbox: SandboxApi): Json {
  const id = sandbox.state.installation.id;
  return { id, node_id: nodeId('Installation', id) };
}
