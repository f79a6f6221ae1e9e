/**
 * Writes the metric reference into docs/metrics.md from what a running server's `/metrics`
 * serves (a sandboxed firewatch on free ports, started and stopped here), so every metric is
 * listed with its type and help text exactly as Prometheus scrapes it. Part of `npm run schema`.
 */
import { fileURLToPath } from 'node:url';
import { startSandboxed } from '../src/runtimes/sandbox/startSandboxed.ts';
import { cell, writeSection } from './docsFile.ts';

/** Node's process metrics that prom-client adds (`collectDefaultMetrics`), prefixed `firewatch_`. */
const DEFAULT_METRIC = /^firewatch_(?:process|nodejs)_/;

export function metricsTable(exposition: string): string {
  const metrics = new Map<string, { type: string; help: string }>();
  for (const line of exposition.split('\n')) {
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help?.[1] && help[2] !== undefined) metrics.set(help[1], { type: metrics.get(help[1])?.type ?? '', help: help[2] });
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type?.[1] && type[2]) metrics.set(type[1], { help: metrics.get(type[1])?.help ?? '', type: type[2] });
  }
  const own = [...metrics].filter(([name]) => !DEFAULT_METRIC.test(name)).sort(([a], [b]) => a.localeCompare(b));
  return [
    '| metric | type | meaning |',
    '| --- | --- | --- |',
    ...own.map(([name, { type, help }]) => `| \`${name}\` | ${type} | ${cell(help.replace(/\\n/g, ' ').replace(/\\\\/g, '\\'))} |`),
    '',
    "Besides these, prom-client's Node.js process metrics (`firewatch_process_*`, `firewatch_nodejs_*`).",
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const running = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error' });
  try {
    const exposition = await (await fetch(`${running.server.url}/metrics`)).text();
    writeSection('docs/metrics.md', 'metrics-reference', metricsTable(exposition));
  } finally {
    await running.close();
  }
}
