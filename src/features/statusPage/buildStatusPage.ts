import { statusFeed, statusJson } from '../../domain/statusPage/statusFeed.ts';
import { statusPageModel, type StatusIncidentInput, type StatusPageOptions } from '../../domain/statusPage/statusPageModel.ts';
import { statusPageView } from '../../domain/statusPage/statusPageView.ts';
import { renderStatusHtml } from './renderStatusHtml.ts';

export interface StatusPageSettings extends Omit<StatusPageOptions, 'now'> {
  title: string;
  timezone?: string;
  /** Where the page is served (absolute URL), for absolute links in the feed. */
  siteUrl?: string;
}

/** The files of the static site, by path relative to its root. */
export type StatusPageFiles = Map<string, string>;

export function buildStatusPage(incidents: readonly StatusIncidentInput[], settings: StatusPageSettings, now: Date): StatusPageFiles {
  const model = statusPageModel(incidents, { ...settings, now });
  const view = statusPageView(model, { title: settings.title, ...(settings.timezone ? { timezone: settings.timezone } : {}) });
  return new Map([
    ['index.html', renderStatusHtml(view)],
    ['feed.atom', statusFeed(model, { title: settings.title, ...(settings.siteUrl ? { siteUrl: settings.siteUrl } : {}) })],
    ['status.json', statusJson(model, { title: settings.title })],
  ]);
}
