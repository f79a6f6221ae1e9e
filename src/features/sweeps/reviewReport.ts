import type { MetricsReport } from '../../domain/metrics/metricsReport.ts';
import { reportCharts } from '../../domain/metrics/metricsReport.ts';
import { reportDigest, type DigestLinks } from '../../domain/metrics/reportDigest.ts';
import type { CommitOctokit } from '../../adapters/github/commitFiles.ts';
import { httpStatus, type Params, type RepoRef } from '../../adapters/github/types.ts';
import { reportFiles } from '../report/reportFiles.ts';
import { repoName, type SweepAction } from './sweepAction.ts';

/** What committing the review's report takes besides the commit itself: the branch, and whether it is there already. */
export interface ReviewReportOctokit extends CommitOctokit {
  rest: CommitOctokit['rest'] & {
    repos: {
      get(params: RepoRef & Params): Promise<{ data: { default_branch: string; html_url: string } }>;
      getContent(params: RepoRef & { path: string; ref?: string } & Params): Promise<{ data: unknown }>;
    };
  };
}

/** Real Octokits always can; a test fake of the issues API cannot, and then the figures go into the issue without charts. */
export function canCommitReport(octokit: unknown): octokit is ReviewReportOctokit {
  const rest = (octokit as { rest?: Record<string, Record<string, unknown> | undefined> } | null)?.rest;
  const has = (namespace: string, ...methods: string[]) => methods.every((method) => typeof rest?.[namespace]?.[method] === 'function');
  return has('repos', 'get', 'getContent') && has('git', 'getRef', 'getCommit', 'createTree', 'createCommit', 'createRef', 'updateRef');
}

/** `reports/2026-03-16/acme/shop`: one directory per review and incident repository (several may share post_mortems). */
function reportDirectory(date: string, incidentRepo: RepoRef): string {
  return `reports/${date}/${incidentRepo.owner}/${incidentRepo.repo}`;
}

export interface PlannedReviewReport {
  /** Figures for the issue body, with charts and links to the committed report. Empty for an empty period. */
  digest: string;
  /** The same figures without charts or links, for when the commit fails. */
  plain: string;
  /** The commit to make first; null when there is nothing to commit or it is on the branch already. */
  files: Extract<SweepAction, { kind: 'files' }> | null;
}

function exists(error: unknown): never | false {
  if (httpStatus(error) === 404) return false;
  throw error;
}

/**
 * The review's report: figures for the issue, and the full report (Markdown, CSV, SVG charts)
 * committed to the review repository's default branch under {@link reportDirectory}, where
 * GitHub's Markdown view shows the charts. An issue body cannot hold SVG, so it links to them.
 * Two requests (the repository, the report's presence) before the commit; none for an empty
 * period. A report already on the branch (an earlier run committed it, then failed to open the
 * issue) is linked, not committed again.
 */
export async function planReviewReport(context: { octokit: unknown; reviewRepo: RepoRef; incidentRepo: RepoRef; date: string; report: MetricsReport }): Promise<PlannedReviewReport> {
  const { report, octokit } = context;
  const plain = reportDigest(report);
  if (!plain || !canCommitReport(octokit)) return { digest: plain, plain, files: null };
  const { data: repository } = await octokit.rest.repos.get({ ...context.reviewRepo });
  const branch = repository.default_branch;
  const directory = reportDirectory(context.date, context.incidentRepo);
  const committed = await octokit.rest.repos.getContent({ ...context.reviewRepo, path: `${directory}/report.md`, ref: branch }).then(() => true, exists);
  const at = (kind: 'blob' | 'raw', path: string) => `${repository.html_url}/${kind}/${branch.split('/').map(encodeURIComponent).join('/')}/${directory}/${path}`;
  const links: DigestLinks = {
    report: at('blob', 'report.md'),
    files: ['incidents.csv', 'summary.csv'].map((name) => ({ name, url: at('blob', name) })),
    charts: reportCharts(report).map((chart) => ({ alt: chart.alt, url: at('raw', `charts/${chart.name}.svg`) })),
  };
  const digest = reportDigest(report, links);
  if (committed) return { digest, plain, files: null };
  const { files } = await reportFiles(report);
  return {
    digest,
    plain,
    files: {
      kind: 'files',
      reason: 'review',
      repo: context.reviewRepo,
      key: `report:${repoName(context.reviewRepo)}:${directory}`,
      branch,
      directory,
      files: new Map([...files].map(([path, content]) => [`${directory}/${path}`, content])),
      message: `Incident report ${report.from.slice(0, 10)} – ${report.to.slice(0, 10)} of ${repoName(context.incidentRepo)} for the review of ${context.date}`,
      summary: `${report.all.count} incident${report.all.count === 1 ? '' : 's'}, charts and CSV for the review of ${context.date}`,
    },
  };
}
