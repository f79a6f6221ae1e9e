import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/rest';
import { Sandbox } from '@firewatch/sandbox';
import { Probot, createNodeMiddleware, type ApplicationFunction } from 'probot';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The app under test: it thanks whoever opens an issue.
const thankYou: ApplicationFunction = (app) => {
  app.on('issues.opened', async (context) => {
    await context.octokit.rest.issues.createComment(context.issue({ body: `Thanks, @${context.payload.sender.login}!` }));
  });
};

let sandbox: Sandbox;
const server = createServer();

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'test-secret' });
  // The app authenticates as the sandbox's GitHub App, exactly as against GitHub Enterprise.
  const probot = new Probot({ appId: sandbox.appId, privateKey: sandbox.privateKey, secret: sandbox.webhookSecret, baseUrl: sandbox.apiUrl, logLevel: 'warn' });
  server.on('request', await createNodeMiddleware(thankYou, { probot, webhooksPath: '/api/github/webhooks' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sandbox.setWebhookTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`);
});
afterAll(async () => {
  await sandbox.close();
  server.close();
});

it('answers a new issue with a comment from its bot', async () => {
  const bob = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
  const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Refunds fail' });

  await sandbox.idle(); // every webhook so far delivered, and answered by the app
  const { data: comments } = await bob.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue.number });
  expect(comments.map((comment) => [comment.user?.login, comment.body])).toEqual([['firewatch[bot]', 'Thanks, @bob!']]);
  expect(sandbox.deliveries().find((delivery) => delivery.event === 'issues')?.status).toBe(200);
});
