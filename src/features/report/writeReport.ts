import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aggregatesCsv, incidentsCsv } from '../../domain/metrics/metricsCsv.ts';
import { reportCharts, reportMarkdown, type MetricsReport } from '../../domain/metrics/metricsReport.ts';
import { renderChartSvg } from './renderChartSvg.ts';

export interface WrittenReport {
  /** Paths of the files written, the Markdown first. */
  files: string[];
}

/**
 * The report on disk: `report.md`, `incidents.csv` (one row per incident), `summary.csv` (the
 * aggregates) and `charts/*.svg`, all linked relatively from the Markdown.
 */
export async function writeReport(report: MetricsReport, outDir: string): Promise<WrittenReport> {
  const charts = reportCharts(report);
  await mkdir(join(outDir, 'charts'), { recursive: true });
  const files: string[] = [];
  const write = async (name: string, content: string): Promise<void> => {
    const path = join(outDir, name);
    await writeFile(path, content);
    files.push(path);
  };
  await write('report.md', reportMarkdown(report, charts, { csv: 'incidents.csv' }));
  await write('incidents.csv', incidentsCsv(report.incidents));
  await write(
    'summary.csv',
    aggregatesCsv([
      { dimension: 'all', rows: [report.all] },
      { dimension: 'service', rows: report.byService },
      { dimension: 'severity', rows: report.bySeverity },
      { dimension: 'month', rows: report.byMonth },
    ]),
  );
  for (const chart of charts) await write(join('charts', `${chart.name}.svg`), await renderChartSvg(chart.spec));
  return { files };
}
