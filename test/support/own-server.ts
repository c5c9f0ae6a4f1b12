import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A PostgreSQL server of a test's own (embedded, in a child process), for tests that stop and
 * start the database; the run's shared server is never stopped.
 */
export class OwnPostgres {
  private child?: ChildProcess;
  adminUrl = '';
  constructor(readonly dir = mkdtempSync(join(tmpdir(), 'odata-tasks-own-'))) {}

  async start(): Promise<string> {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'embedded-server.ts'), this.dir],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    this.child = child;
    const line = await new Promise<string>((ok, fail) => {
      createInterface({ input: child.stdout! }).once('line', ok);
      child.once('exit', (code) => fail(new Error(`embedded PostgreSQL exited with ${code}`)));
    });
    this.adminUrl = JSON.parse(line).adminUrl;
    return this.adminUrl;
  }

  urlOf(database: string): string {
    const u = new URL(this.adminUrl);
    u.pathname = `/${database}`;
    return u.toString();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((done) => {
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  }
}
