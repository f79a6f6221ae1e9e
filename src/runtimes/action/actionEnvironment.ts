/**
 * The adapter builds its Octokit from Probot's GHE_HOST/GHE_PROTOCOL, not from the runner's
 * GITHUB_API_URL; translate so the Action works on GitHub Enterprise Server (and the sandbox).
 */
export function enterpriseHostFromApiUrl(apiUrl: string | undefined): { host: string; protocol: string } | undefined {
  if (!apiUrl) return undefined;
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return undefined;
  }
  if (url.hostname === 'api.github.com') return undefined;
  return { host: url.host, protocol: url.protocol.replace(':', '') };
}
