import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'firewatch-contacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'firewatch.js'), ...args], { cwd: root, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const config = join(dir, 'firewatch.yml');
writeFileSync(config, "oncall:\n  layers:\n    - { name: rot-a, participants: [alice, bob], handoff: { time: '09:00' }, start: '2026-01-05' }\n  escalation:\n    steps: [{ afterMinutes: 10, mention: ['@carol'] }]\npaging:\n  policies:\n    P1: { channels: [sms] }\n");

describe('validate-config with contacts', () => {
  it('lists everyone on the schedule or an escalation step without a contact method, never printing a number', async () => {
    const contacts = join(dir, 'contacts.yml');
    writeFileSync(contacts, "people:\n  alice: { channels: [{ sms: '+15550100001' }] }\n  bob: { channels: [{ sms: 'call me' }] }\n");
    const result = await run(['validate-config', config, '--contacts', contacts]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning contacts people.bob.channels[0].sms: must be a phone number in E.164 form');
    expect(result.stdout).toContain('2 paging warnings:');
    expect(result.stdout).toContain('warning bob (rot-a) has no contact method: pages reach them on GitHub only');
    expect(result.stdout).toContain('warning carol (escalation step 1) has no contact method');
    expect(result.stdout).not.toContain('0100001');
    expect(result.stdout).not.toContain('call me');
  });

  it('reads FIREWATCH_CONTACTS from the environment, and says nothing about contacts without any', async () => {
    const withEnv = await run(['validate-config', config], { FIREWATCH_CONTACTS: '{"people":{"alice":{"channels":[{"email":"a@example.com"}]},"bob":{"channels":[{"email":"b@example.com"}]},"carol":{"channels":[{"email":"c@example.com"}]}}}' });
    expect(withEnv.stdout).not.toContain('paging warning');
    const without = await run(['validate-config', config]);
    expect(without.stdout).not.toContain('paging warning');
    expect(without.stdout).toContain('is valid');
  });
});
