/**
 * A real mail server on loopback for the e-mail channel: Debian's Exim (`exim4-daemon-light`),
 * run in the foreground with a config of our own on a free high port, accepting mail from
 * 127.0.0.1 only and delivering every message into one Maildir we read back. Exim drops root
 * when given its own config, so delivery runs as the Exim user (as root) or as us.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from './processes.ts';

const EXIM = '/usr/sbin/exim4';
const EXIM_PACKAGE = 'exim4-daemon-light';

export interface MailServer {
  host: string;
  port: number;
  /** Every message delivered so far, raw (headers and body), oldest first. */
  messages(): string[];
  stop(): Promise<void>;
}

function eximUser(): { name: string; uid: number; gid: number } {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid };
  }
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('Debian-exim:'));
  const [, , uid = '0', gid = '0'] = line?.split(':') ?? [];
  return { name: 'Debian-exim', uid: Number(uid), gid: Number(gid) };
}

export async function startMailServer(): Promise<MailServer> {
  if (!mailServerAvailable()) {
    throw new Error(`Exim is not installed (no executable at ${EXIM}): install it with \`apt-get install -y ${EXIM_PACKAGE}\` (CI does so in .ci/run); the e-mail paging test needs a real mail server on loopback.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-exim-'));
  const user = eximUser();
  for (const sub of ['spool', 'log', 'mail']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const config = [
    'primary_hostname = mail.firewatch.test',
    `spool_directory = ${dir}/spool`,
    `log_file_path = ${dir}/log/%slog`,
    `pid_file_path = ${dir}/exim.pid`,
    `daemon_smtp_ports = ${port}`,
    'local_interfaces = 127.0.0.1',
    'keep_environment =',
    'tls_advertise_hosts =',
    'host_lookup =',
    'acl_smtp_rcpt = check_rcpt',
    'begin acl',
    'check_rcpt:',
    '  accept hosts = 127.0.0.1',
    '  deny message = relay not permitted',
    'begin routers',
    'everything:',
    '  driver = accept',
    '  transport = maildir',
    'begin transports',
    'maildir:',
    '  driver = appendfile',
    `  directory = ${dir}/mail`,
    '  maildir_format',
    '  create_directory',
    '  envelope_to_add',
    '  return_path_add',
    `  user = ${user.name}`,
    'begin retry',
    '* * F,1h,1m',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'exim.conf'), config);
  // Exim gives up root for a config of ours and then writes as its own user.
  if (process.getuid?.() === 0) for (const path of [dir, join(dir, 'spool'), join(dir, 'log'), join(dir, 'mail')]) chownSync(path, user.uid, user.gid);
  chmodSync(dir, 0o755);
  const child: ChildProcess = spawn(EXIM, ['-C', join(dir, 'exim.conf'), '-bdf', '-oX', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const mainlog = () => (existsSync(join(dir, 'log', 'mainlog')) ? readFileSync(join(dir, 'log', 'mainlog'), 'utf8') : '');
  await eventually(async () => (mainlog().includes('daemon started') ? true : child.exitCode !== null ? Promise.reject(new Error(`exim exited: ${output}`)) : undefined), `exim listening on ${port}`, 10_000);
  const read = (folder: string) => (existsSync(folder) ? readdirSync(folder).sort().map((name) => readFileSync(join(folder, name), 'utf8')) : []);
  return {
    host: '127.0.0.1',
    port,
    messages: () => [...read(join(dir, 'mail', 'cur')), ...read(join(dir, 'mail', 'new'))],
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether Exim is installed here. */
function mailServerAvailable(): boolean {
  return existsSync(EXIM);
}
