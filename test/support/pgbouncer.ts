import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './service-process';

/**
 * Debian's PgBouncer (apt-get install pgbouncer) in transaction mode in front of a PostgreSQL
 * server, for `npm run test:pooler`. Session state does not survive a transaction here, and
 * the `options` startup parameter (the service's TimeZone and statement_timeout) is not passed
 * on, so the server connections get them from connect_query, as the README advises.
 */
export class PgBouncer {
  readonly dir = mkdtempSync(join(tmpdir(), 'odata-tasks-pgbouncer-'));
  private child?: ChildProcess;
  port = 0;
  readonly log: string[] = [];

  constructor(
    private readonly serverUrl: string,
    private readonly opts: { poolSize?: number; statementTimeoutMs?: number } = {},
  ) {}

  async start(): Promise<void> {
    const server = new URL(this.serverUrl);
    const user = decodeURIComponent(server.username);
    const password = decodeURIComponent(server.password);
    this.port = await freePort();
    writeFileSync(join(this.dir, 'users.txt'), `"${user}" "${password}"\n`);
    writeFileSync(
      join(this.dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${server.hostname} port=${server.port} timezone=UTC connect_query='SET statement_timeout = ${this.opts.statementTimeoutMs ?? 30000}'`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${this.port}`,
        'unix_socket_dir =',
        'auth_type = plain',
        `auth_file = ${join(this.dir, 'users.txt')}`,
        'pool_mode = transaction',
        `default_pool_size = ${this.opts.poolSize ?? 4}`,
        'max_client_conn = 500',
        'ignore_startup_parameters = extra_float_digits,options',
        'server_reset_query =',
        'admin_users = ' + user,
        '',
      ].join('\n'),
    );
    chmodSync(this.dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    // PgBouncer refuses to run as root: -u switches to the postgres user the embedded server uses.
    this.child = spawn(
      'pgbouncer',
      [...(asRoot ? ['-u', 'postgres'] : []), join(this.dir, 'pgbouncer.ini')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout!.on('data', (d) => this.log.push(String(d)));
    this.child.stderr!.on('data', (d) => this.log.push(String(d)));
    const until = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (this.child.exitCode !== null || Date.now() > until)
        throw new Error(`pgbouncer did not start: ${this.log.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The server URL, pointed at PgBouncer. */
  urlOf(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise((done) => {
        child.once('exit', done);
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}
