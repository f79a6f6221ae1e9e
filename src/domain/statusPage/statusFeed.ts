import { publicStatusText, incidentHeading } from './statusPageView.ts';
import type { StatusPageModel } from './statusPageModel.ts';
import { trimEndChars } from '../text/trimChars.ts';

function xml(text: string): string {
  // Characters XML 1.0 forbids are dropped rather than escaped: they cannot appear at all.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const FEED_ENTRIES = 50;

/** An Atom feed with one entry per public update, newest first; `siteUrl` (absolute) makes links absolute. */
export function statusFeed(model: StatusPageModel, options: { title: string; siteUrl?: string }): string {
  const base = options.siteUrl === undefined ? undefined : `${trimEndChars(options.siteUrl, '/')}/`;
  const entries = [...model.active, ...model.past]
    .flatMap((incident) => incident.updates.map((update) => ({ incident, update })))
    .sort((a, b) => Date.parse(b.update.at) - Date.parse(a.update.at))
    .slice(0, FEED_ENTRIES);
  const feedId = base ? `${base}feed.atom` : `urn:firewatch:status:${encodeURIComponent(options.title)}`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${xml(options.title)}</title>`,
    `  <id>${xml(feedId)}</id>`,
    `  <updated>${xml(entries[0]?.update.at ?? model.generatedAt)}</updated>`,
    '  <generator>firewatch</generator>',
    ...(base ? [`  <link rel="self" href="${xml(`${base}feed.atom`)}"/>`, `  <link rel="alternate" type="text/html" href="${xml(base)}"/>`] : []),
  ];
  for (const { incident, update } of entries) {
    const anchor = `incident-${incident.id.replace(/[^\w-]/g, '-')}`;
    lines.push(
      '  <entry>',
      `    <title>${xml(`${incidentHeading(incident)} — ${publicStatusText(update.status)}`)}</title>`,
      `    <id>${xml(`urn:firewatch:incident:${incident.id}:${update.at}`)}</id>`,
      `    <updated>${xml(update.at)}</updated>`,
      `    <author><name>${xml(options.title)}</name></author>`,
      ...(base ? [`    <link rel="alternate" type="text/html" href="${xml(`${base}#${anchor}`)}"/>`] : []),
      `    <content type="text">${xml(update.text)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** The JSON summary for other tools: the model itself, with a format version. */
export function statusJson(model: StatusPageModel, options: { title: string }): string {
  return `${JSON.stringify({ version: 1, title: options.title, ...model }, null, 2)}\n`;
}
