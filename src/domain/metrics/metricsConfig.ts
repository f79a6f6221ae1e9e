import { z } from 'zod';

export const metricsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Refresh the incident gauges and histograms of the server\'s `/metrics` after sweeps.'),
    refreshMinutes: z
      .int()
      .min(1)
      .max(1440)
      .default(15)
      .describe(
        'Minutes between refreshes. Each costs one request per 100 incident issues updated in the window, plus one per incident whose issue changed since the last refresh (its comments, for the correlation verdict).',
      ),
    windowDays: z.int().min(1).max(366).default(90).describe('Incidents triggered in this many days are measured (the first refresh reads the comments of each of them once).'),
  })
  .describe('Incident figures as Prometheus gauges and histograms on the server\'s `/metrics`, per repository, service and severity. Per-month figures are in `firewatch report`.');

