import { aggregatesCsv, incidentsCsv } from '../../domain/metrics/metricsCsv.ts';
import { reportCharts, reportMarkdown, type MetricsReport, type ReportChart } from '../../domain/metrics/metricsReport.ts';

export interface ReportFiles {
  /** Contents by path relative to the report's directory, `report.md` first, then the CSVs and `charts/*.svg`. */
  files: Map<string, string>;
  charts: ReportChart[];
}

/**
 * The report as files: `report.md`, `incidents.csv` (one row per incident), `summary.csv` (the
 * aggregates) and `charts/*.svg`, all linked relatively from the Markdown. Written to disk by
 * `firewatch report` and committed to the post_mortems repository by the incident review.
 */
export async function reportFiles(report: MetricsReport): Promise<ReportFiles> {
  const charts = reportCharts(report);
  const files = new Map<string, string>();
  files.set('report.md', reportMarkdown(report, charts, { csv: 'incidents.csv' }));
  files.set('incidents.csv', incidentsCsv(report.incidents));
  files.set(
    'summary.csv',
    aggregatesCsv([
      { dimension: 'all', rows: [report.all] },
      { dimension: 'service', rows: report.byService },
      { dimension: 'severity', rows: report.bySeverity },
      { dimension: 'month', rows: report.byMonth },
    ]),
  );
  if (charts.length) {
    // Vega takes most of a second to load: only when there is something to draw.
    const { renderChartSvg } = await import('./renderChartSvg.ts');
    for (const chart of charts) files.set(`charts/${chart.name}.svg`, await renderChartSvg(chart.spec));
  }
  return { files, charts };
}
