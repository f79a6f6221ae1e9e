/**
 * One intake path (issue 16, item 3): alerts relayed with `repository_dispatch` to the server go
 * through the same processor as `POST /alerts/{source}`, under the same lock, config cache and
 * incident index, so a storm split between both paths files one issue per problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { ALERT_DISPATCH_EVENT } from '../../src/features/alerts/alertDispatch.ts';
import { startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops(new Date('2026-03-02T15:00:00.000Z'));
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

describe('a storm split between HTTP and repository_dispatch', () => {
  it('files one issue per problem, with every notification counted', async () => {
    const problems = 6;
    const perPath = 4;
    const { sandbox } = chat;
    const shop = sandbox.repo('acme', 'shop');
    const alice = sandbox.user('alice');
    if (!shop || !alice) throw new Error('the seeded acme/shop and alice are missing');
    const repository = { name: 'shop', full_name: 'acme/shop', owner: { login: 'acme' } };
    const sends: Promise<unknown>[] = [];
    for (let round = 0; round < perPath; round++) {
      for (let problem = 0; problem < problems; problem++) {
        const body = { title: `Split${problem}`, service: 'checkout', severity: 'P3' };
        sends.push(
          fetch(`${chat.running.server.url}/alerts/generic`, { method: 'POST', headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (response) => {
            expect(response.status).toBe(202);
            await response.text();
          }),
        );
        sandbox.emit('repository_dispatch', { action: ALERT_DISPATCH_EVENT, branch: 'main', client_payload: body, repository }, { repo: shop, sender: alice });
      }
    }
    await Promise.all(sends);
    const counted = async () => {
      await chat.settle();
      const { data } = await chat.as('alice').rest.issues.listForRepo({ ...chat.repo, labels: 'incident', state: 'all', per_page: 100 });
      return data.filter((issue) => issue.title.includes('Split'));
    };
    let issues = await counted();
    for (let attempt = 0; attempt < 100 && issues.reduce((sum, issue) => sum + (parseStateBlock(issue.body)?.alerts[0]?.count ?? 0), 0) < problems * perPath * 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      issues = await counted();
    }
    expect(issues).toHaveLength(problems);
    expect(new Set(issues.map((issue) => issue.title)).size).toBe(problems);
    for (const issue of issues) expect(parseStateBlock(issue.body)?.alerts[0]?.count).toBe(perPath * 2);
  }, 60_000);
});
