/**
 * Alert URLs as an attacker sent them (issue 16, item 11): an Alertmanager notification whose
 * `runbook_url` and `generatorURL` try to break out of their Markdown link to add an image and a
 * link of their own. Through the sandbox over HTTP, the incident body and the postmortem drafted on
 * `/resolve` render (with a GFM parser, as GitHub would) to exactly firewatch's own links: no
 * image, no attacker link text, only http(s) targets.
 */
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/processes.ts';
import { startChatops, type Chatops } from './chatopsHarness.ts';

const INJECTION = 'https://ok.example/)![pwn](https://evil.example/i.png)[Silence it](https://evil.example/';
const markdown = new MarkdownIt({ html: true });

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops();
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

function linksOf(text: string): { html: string; hrefs: string[]; texts: string[] } {
  const html = markdown.render(text);
  return { html, hrefs: [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1] ?? ''), texts: [...html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1] ?? '') };
}

describe('hostile alert URLs', () => {
  it('stay inside their link in the incident body and in the postmortem', async () => {
    const response = await fetch(`${chat.running.server.url}/alerts/alertmanager`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '4',
        status: 'firing',
        groupKey: '{}:{alertname="PaymentsDown"}',
        externalURL: 'http://alertmanager.internal:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'PaymentsDown', service: 'payments', severity: 'critical' },
            annotations: { summary: 'Payments down', runbook_url: INJECTION, dashboard_url: 'javascript:alert(1)' },
            startsAt: '2026-01-14T08:59:00Z',
            generatorURL: INJECTION,
            fingerprint: 'feedface00000001',
          },
        ],
      }),
    });
    expect(response.status).toBeLessThan(300);
    await chat.running.server.alertQueue.idle();
    const number = await eventually(async () => {
      const { data } = await chat.as('alice').rest.issues.listForRepo({ ...chat.repo, labels: 'incident' });
      return data.find((issue) => issue.title.includes('PaymentsDown'))?.number;
    }, 'the PaymentsDown incident');

    const { body } = await chat.view(number);
    const rendered = linksOf(body.split('<!-- firewatch:state')[0] ?? '');
    expect(rendered.html).not.toContain('<img');
    expect(rendered.texts).not.toContain('Silence it');
    expect(rendered.texts).toEqual(expect.arrayContaining(['source', 'runbook', 'silence']));
    expect(rendered.texts).not.toContain('dashboard');
    for (const href of rendered.hrefs) expect(href).toMatch(/^https?:\/\//);
    expect(rendered.hrefs.filter((href) => href.startsWith('https://ok.example/'))).toEqual([
      'https://ok.example/%29!%5Bpwn%5D%28https://evil.example/i.png%29%5BSilence%20it%5D%28https://evil.example/',
      'https://ok.example/%29!%5Bpwn%5D%28https://evil.example/i.png%29%5BSilence%20it%5D%28https://evil.example/',
    ]);

    const { reply } = await chat.say('bob', number, '/resolve payments back');
    expect(reply).toContain('Postmortem drafted');
    const pm = { owner: 'acme', repo: 'post_mortems' };
    const { data: pulls } = await chat.as('alice').rest.pulls.list({ ...pm, state: 'open' });
    const draft = pulls.find((pull) => pull.head.ref === `postmortem/shop-${number}`);
    if (!draft) throw new Error('no postmortem draft');
    const { data: files } = await chat.as('alice').rest.pulls.listFiles({ ...pm, pull_number: draft.number });
    const { data: file } = await chat.as('alice').rest.repos.getContent({ ...pm, path: files[0]?.filename ?? '', ref: draft.head.ref });
    const text = Buffer.from((file as { content: string }).content, 'base64').toString('utf8');
    const links = linksOf(text.slice(text.indexOf('## Supporting links')));
    expect(links.html).not.toContain('<img');
    expect(links.texts).not.toContain('Silence it');
    for (const href of links.hrefs) expect(href).toMatch(/^https?:\/\//);
    expect(links.hrefs).toContain('https://ok.example/%29!%5Bpwn%5D%28https://evil.example/i.png%29%5BSilence%20it%5D%28https://evil.example/');
    expect(linksOf(text).html).not.toContain('<img');
  }, 60_000);
});
