import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MetricsReport } from '../../domain/metrics/metricsReport.ts';
import { reportFiles } from './reportFiles.ts';

export interface WrittenReport {
  /** Paths of the files written, the Markdown first. */
  files: string[];
}

/** The report on disk under `outDir` (see {@link reportFiles} for what it holds). */
export async function writeReport(report: MetricsReport, outDir: string): Promise<WrittenReport> {
  const { files } = await reportFiles(report);
  await mkdir(join(outDir, 'charts'), { recursive: true });
  const written: string[] = [];
  for (const [name, content] of files) {
    const path = join(outDir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    written.push(path);
  }
  return { files: written };
}
