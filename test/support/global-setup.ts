import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';

export const TEMPLATE = 'odata_template';

/** Starts test/support/embedded-server.ts and waits for its URL. */
async function startEmbeddedServer(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'odata-tasks-test-'));
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'embedded-server.ts'), dir, '--ephemeral'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  (globalThis as any).__EMBEDDED_PG__ = child;
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`the embedded PostgreSQL exited with ${code}`)));
  });
  return JSON.parse(line).adminUrl;
}

/**
 * Once per test run: a PostgreSQL server (DATABASE_URL's, or an embedded one in a temporary
 * directory) and a template database migrated once. Every test file clones its own database
 * from it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    adminUrl = await startEmbeddedServer();
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();

  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  const ds = new DataSource(dataSourceOptions(templateUrl.toString(), { poolSize: 1 }));
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
  process.env.TEST_PG_ADMIN_URL = adminUrl;
}
