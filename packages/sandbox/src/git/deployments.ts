/**
 * Deployments and their statuses with GitHub's semantics: a deployment pins a SHA resolved from a
 * ref; a `success` status marks earlier successful deployments to the same environment
 * `inactive` (unless `auto_inactive: false`), which is how "what is live now" is answered.
 */
import { fullName, nodeId, timestamp, userByLogin } from '../shapes.ts';
import type { DeploymentRecord, DeploymentStatusRecord, RepoRecord, SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';

type Json = Record<string, unknown>;

export interface NewDeployment {
  sha: string;
  ref: string;
  task?: string;
  payload?: Record<string, unknown>;
  environment?: string;
  description?: string | null;
  createdAt?: string;
}

export function createDeployment(sandbox: SandboxApi, repo: RepoRecord, creator: SandboxUser, input: NewDeployment, options: { silent?: boolean } = {}): DeploymentRecord {
  const id = sandbox.nextId();
  const at = input.createdAt ?? timestamp(sandbox.now());
  const deployment: DeploymentRecord = {
    id,
    node_id: nodeId('Deployment', id),
    sha: input.sha,
    ref: input.ref,
    task: input.task ?? 'deploy',
    payload: input.payload ?? {},
    environment: input.environment ?? 'production',
    description: input.description ?? null,
    creator: creator.login,
    created_at: at,
    updated_at: at,
    statuses: [],
  };
  repo.deployments.set(id, deployment);
  if (!options.silent) sandbox.emit('deployment', { action: 'created', deployment: deploymentJson(sandbox, repo, deployment, 'webhook'), workflow: null, workflow_run: null }, { repo, sender: creator });
  return deployment;
}

export interface NewDeploymentStatus {
  state: DeploymentStatusRecord['state'];
  description?: string;
  environment?: string;
  logUrl?: string;
  environmentUrl?: string;
  autoInactive?: boolean;
  createdAt?: string;
}

export function addDeploymentStatus(
  sandbox: SandboxApi,
  repo: RepoRecord,
  deployment: DeploymentRecord,
  creator: SandboxUser,
  input: NewDeploymentStatus,
  options: { silent?: boolean } = {},
): DeploymentStatusRecord {
  const at = input.createdAt ?? timestamp(sandbox.now());
  if (input.environment) deployment.environment = input.environment;
  const record = (state: DeploymentStatusRecord['state'], target: DeploymentRecord, description: string, logUrl: string, environmentUrl: string): DeploymentStatusRecord => {
    const id = sandbox.nextId();
    const status: DeploymentStatusRecord = {
      id,
      node_id: nodeId('DeploymentStatus', id),
      state,
      description,
      environment: target.environment,
      log_url: logUrl,
      environment_url: environmentUrl,
      creator: creator.login,
      created_at: at,
      updated_at: at,
    };
    target.statuses.push(status);
    target.updated_at = at;
    return status;
  };
  const status = record(input.state, deployment, input.description ?? '', input.logUrl ?? '', input.environmentUrl ?? '');
  if (input.state === 'success' && input.autoInactive !== false) {
    for (const other of repo.deployments.values()) {
      if (other.id === deployment.id || other.environment !== deployment.environment || other.created_at > deployment.created_at) continue;
      const last = other.statuses[other.statuses.length - 1];
      if (last?.state === 'success') record('inactive', other, '', last.log_url, last.environment_url);
    }
  }
  if (!options.silent) {
    sandbox.emit(
      'deployment_status',
      { action: 'created', deployment_status: deploymentStatusJson(sandbox, repo, deployment, status, 'webhook'), deployment: deploymentJson(sandbox, repo, deployment, 'webhook') },
      { repo, sender: creator },
    );
  }
  return status;
}

export function deploymentJson(sandbox: SandboxApi, repo: RepoRecord, deployment: DeploymentRecord, shape: 'rest' | 'webhook' = 'rest'): Json {
  const api = `${sandbox.apiUrl}/repos/${fullName(repo)}`;
  const url = `${api}/deployments/${deployment.id}`;
  return {
    url,
    id: deployment.id,
    node_id: deployment.node_id,
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: userByLogin(sandbox, deployment.creator),
    created_at: deployment.created_at,
    updated_at: deployment.updated_at,
    statuses_url: `${url}/statuses`,
    repository_url: api,
    ...(shape === 'rest' ? { transient_environment: false } : {}),
    production_environment: deployment.environment === 'production',
    performed_via_github_app: null,
  };
}

export function deploymentStatusJson(sandbox: SandboxApi, repo: RepoRecord, deployment: DeploymentRecord, status: DeploymentStatusRecord, shape: 'rest' | 'webhook' = 'rest'): Json {
  const api = `${sandbox.apiUrl}/repos/${fullName(repo)}`;
  const deploymentUrl = `${api}/deployments/${deployment.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: status.node_id,
    state: status.state,
    creator: userByLogin(sandbox, status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.log_url,
    created_at: status.created_at,
    updated_at: status.updated_at,
    deployment_url: deploymentUrl,
    repository_url: api,
    // Both descriptions require URIs when these are present at all, so unset ones are left out.
    ...(status.environment_url || shape === 'webhook' ? { environment_url: status.environment_url } : {}),
    ...(status.log_url ? { log_url: status.log_url } : {}),
    performed_via_github_app: null,
  };
}
