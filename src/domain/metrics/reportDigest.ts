import { escapeInline, safeLink } from '../text/markdown.ts';
import { aggregateTable, summaryLines, type MetricsReport } from './metricsReport.ts';

/** Where the full report was committed, as absolute URLs (an issue body has no relative paths). */
export interface DigestLinks {
  /** The report's Markdown, where GitHub shows the charts beside the tables. */
  report: string;
  files: readonly { name: string; url: string }[];
  charts: readonly { alt: string; url: string }[];
}

function image(alt: string, url: string): string {
  if (!/^https?:\/\//i.test(url)) return '';
  return `![${escapeInline(alt)}](${url.replace(/[()<>\s]/g, (char) => encodeURIComponent(char))})`;
}

/**
 * The report's figures for an issue body (the incident review): the summary and the tables per
 * service and severity, then the charts and links to the committed report when there is one.
 * Empty when no incident was triggered in the period: the issue says so in its own words.
 */
export function reportDigest(report: MetricsReport, links?: DigestLinks): string {
  if (report.incidents.length === 0) return '';
  const lines = [...summaryLines(report), '', ...aggregateTable('Service', report.byService), '', ...aggregateTable('Severity', report.bySeverity), ''];
  if (links) {
    for (const chart of links.charts) {
      const markdown = image(chart.alt, chart.url);
      if (markdown) lines.push(markdown, '');
    }
    const files = links.files.map((file) => safeLink(file.name, file.url));
    lines.push(`Full report with charts, every incident's times and CSV: ${[safeLink('report', links.report), ...files].join(' · ')}`, '');
  }
  return lines.join('\n');
}
