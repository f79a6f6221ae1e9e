/**
 * The page shell: one inline stylesheet in GitHub's Primer palette (no external assets), a
 * header with the sandbox's name, and the optional auto-refresh for `?watch=1` pages.
 */
import { html, trustedHtml, type HtmlValue, type SafeHtml } from './html.ts';

export interface PageOptions {
  title: string;
  /** Adds `<meta http-equiv="refresh" content="5">`. */
  watch?: boolean;
  breadcrumbs?: readonly { href?: string; text: string }[];
  body: HtmlValue;
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --border: #d0d7de; --canvas: #ffffff; --subtle: #f6f8fa;
  --accent: #0969da; --open: #1a7f37; --closed: #8250df; --danger: #cf222e; --draft: #59636e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--canvas); }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 1; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.top { background: #24292f; color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
header.top a { color: #fff; font-weight: 600; }
header.top nav ol { list-style: none; display: flex; gap: 6px; margin: 0; padding: 0; flex-wrap: wrap; }
header.top nav li + li::before { content: "/"; color: #d0d7de; margin-right: 6px; }
header.top .tag { font-size: 12px; border: 1px solid #8c959f; border-radius: 2em; padding: 0 8px; color: #f6f8fa; }
main { max-width: 1012px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 26px; font-weight: 400; margin: 0 0 8px; word-wrap: break-word; }
h1 .number { color: var(--muted); font-weight: 300; }
h2 { font-size: 18px; margin: 24px 0 8px; }
.muted { color: var(--muted); }
.box { border: 1px solid var(--border); border-radius: 6px; margin: 16px 0; overflow: hidden; }
.box > h2, .box-header { margin: 0; padding: 12px 16px; background: var(--subtle); border-bottom: 1px solid var(--border); font-size: 14px; }
.box-body { padding: 16px; }
.box-body > :first-child { margin-top: 0; }
.box-body > :last-child { margin-bottom: 0; }
ul.rows { list-style: none; margin: 0; padding: 0; }
ul.rows > li { padding: 10px 16px; border-top: 1px solid var(--border); }
ul.rows > li:first-child { border-top: 0; }
.row-title { font-weight: 600; font-size: 16px; color: var(--fg); }
.row-meta { color: var(--muted); font-size: 12px; margin-top: 2px; }
.empty { padding: 24px 16px; text-align: center; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 12px; border: 1px solid var(--border); vertical-align: top; }
th { background: var(--subtle); }
code, pre { font: 12px/1.45 ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; }
code { background: rgba(175,184,193,0.2); padding: 0.2em 0.4em; border-radius: 6px; }
pre { background: var(--subtle); padding: 12px 16px; border-radius: 6px; overflow: auto; white-space: pre; }
pre code { background: none; padding: 0; }
.state { display: inline-block; color: #fff; border-radius: 2em; padding: 3px 12px; font-weight: 600; font-size: 14px; }
.state-small { padding: 0 8px; font-size: 12px; }
.state-open { background: var(--open); }
.state-closed, .state-merged { background: var(--closed); }
.state-not_planned, .state-draft { background: var(--draft); }
.state-pr-closed { background: var(--danger); }
.label { display: inline-block; border-radius: 2em; padding: 0 8px; font-size: 12px; font-weight: 600; line-height: 20px; margin: 0 4px 2px 0; border: 1px solid rgba(31,35,40,0.15); white-space: nowrap; }
.labels { display: inline; }
.tabs { display: flex; gap: 16px; margin: 8px 0; padding: 0; list-style: none; }
.tabs a[aria-current="page"] { font-weight: 600; color: var(--fg); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 240px; gap: 24px; }
@media (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
aside h2 { font-size: 12px; color: var(--muted); margin: 0 0 6px; }
aside section { border-bottom: 1px solid var(--border); padding: 0 0 12px; margin: 0 0 12px; }
.comment > .box-header { font-weight: 400; display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; }
.comment .author { font-weight: 600; color: var(--fg); }
.association { border: 1px solid var(--border); border-radius: 2em; padding: 0 7px; font-size: 12px; color: var(--muted); }
.markdown { word-wrap: break-word; }
.markdown img { max-width: 100%; }
.markdown table { width: max-content; max-width: 100%; display: block; overflow: auto; }
.markdown blockquote { margin: 0; padding: 0 1em; color: var(--muted); border-left: 0.25em solid var(--border); }
.reactions { list-style: none; display: flex; gap: 6px; padding: 0 16px 12px; margin: 0; flex-wrap: wrap; }
.reactions li { border: 1px solid var(--border); border-radius: 2em; padding: 0 8px; font-size: 12px; background: var(--subtle); }
.notice { border: 1px solid; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.notice-error { border-color: #ff818266; background: #ffebe9; color: #82071e; }
.notice-info { border-color: #54aeff66; background: #ddf4ff; color: #0a3069; }
form label { display: block; font-weight: 600; margin: 0 0 6px; }
select, textarea { font: inherit; color: var(--fg); border: 1px solid var(--border); border-radius: 6px; padding: 5px 12px; background: var(--canvas); }
textarea { width: 100%; min-height: 120px; resize: vertical; }
.field { margin: 0 0 12px; }
.field-error { color: var(--danger); font-size: 12px; margin: 4px 0 0; }
button { font: inherit; font-weight: 600; color: #fff; background: #1f883d; border: 1px solid rgba(31,35,40,0.15); border-radius: 6px; padding: 5px 16px; cursor: pointer; }
button:hover { background: #1a7f37; }
.files li { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.diffstat-add { color: var(--open); }
.diffstat-del { color: var(--danger); }
.diff { margin: 8px 0 0; padding: 8px 0; }
.diff span { display: block; padding: 0 12px; }
.diff .add { background: #dafbe1; }
.diff .del { background: #ffebe9; }
.diff .hunk { background: #ddf4ff; color: var(--muted); }
details > summary { cursor: pointer; }
.markdown .task-list-item { list-style: none; }
.markdown .task-list-item input { margin: 0 0.2em 0.25em -1.4em; vertical-align: middle; }
.markdown .contains-task-list { padding-left: 2em; }
.markdown kbd { display: inline-block; padding: 3px 5px; font: 11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid var(--border); border-bottom-color: #afb8c1; border-radius: 6px; background: var(--subtle); }
.markdown details { margin: 0 0 16px; }
.markdown .user-mention, .markdown .issue-link { font-weight: 600; }
.markdown h1, .markdown h2 { padding-bottom: 0.3em; border-bottom: 1px solid var(--border); }
.markdown del, .timeline-event del { color: var(--muted); }
.timeline { position: relative; }
.timeline-event { display: flex; gap: 8px; align-items: baseline; margin: 0 0 0 16px; padding: 8px 0 8px 8px; border-left: 2px solid var(--border); color: var(--muted); }
.timeline-event .author { color: var(--fg); font-weight: 600; }
.timeline-event .label { margin: 0 2px; }
.timeline-icon { display: inline-block; width: 24px; height: 24px; line-height: 24px; text-align: center; margin-left: -21px; border-radius: 50%; background: var(--subtle); color: var(--fg); font-size: 12px; flex: none; }
.timeline-icon.event-closed, .timeline-icon.event-merged { background: var(--closed); color: #fff; }
.timeline-icon.event-reopened { background: var(--open); color: #fff; }
.path { font-size: 16px; }
.tree li { padding: 6px 16px; }
.file-header { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
.file-header .tabs { margin: 0; }
table.source { border: 0; width: 100%; }
table.source td { border: 0; padding: 0 8px; white-space: pre; }
table.source td code { background: none; padding: 0; }
table.source .line-number { width: 1%; text-align: right; color: var(--muted); user-select: none; }
table.source .line-number a { color: var(--muted); }
.commit-description { background: none; padding: 8px 0 0; margin: 0; white-space: pre-wrap; font-weight: 400; }
.box-header h2 { font-size: 16px; margin: 0; }
.deploy-state { display: inline-block; border-radius: 2em; padding: 0 8px; font-size: 12px; font-weight: 600; border: 1px solid var(--border); }
.deploy-success { background: #dafbe1; color: #116329; }
.deploy-failure, .deploy-error { background: #ffebe9; color: #82071e; }
.deploy-in_progress, .deploy-queued, .deploy-pending { background: #fff8c5; color: #4d2d00; }
.deploy-statuses { margin: 8px 0 0; }
.watch { font-size: 12px; }
footer { max-width: 1012px; margin: 32px auto; padding: 16px; border-top: 1px solid var(--border); color: var(--muted); font-size: 12px; }
`;

export function layout(options: PageOptions): SafeHtml {
  const crumbs = options.breadcrumbs ?? [];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.watch ? html`<meta http-equiv="refresh" content="5">` : ''}
<title>${options.title} · sandbox GitHub</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="top">
<a href="/">sandbox GitHub</a>
<span class="tag">firewatch sandbox</span>
${crumbs.length > 0 &&
  html`<nav aria-label="Breadcrumb"><ol>${crumbs.map((c, i) =>
    html`<li>${c.href ? html`<a href="${c.href}"${i === crumbs.length - 1 ? html` aria-current="page"` : ''}>${c.text}</a>` : c.text}</li>`,
  )}</ol></nav>`}
</header>
<main id="content">
${options.body}
</main>
<footer>An in-memory GitHub for trying firewatch. Everything here is lost when the sandbox stops.</footer>
</body>
</html>
`;
}
