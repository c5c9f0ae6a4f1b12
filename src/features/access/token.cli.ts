import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { dataSourceOptions } from '../../database/data-source';
import { startEmbeddedPostgres } from '../../database/embedded-postgres';
import { createApiToken } from './tokens';

/**
 * `npm run token -- create --contact <id> [--name <name>]`: prints the new token alone on stdout.
 * `npm run token -- revoke --contact <id> [--token-id <id>]`: revokes one or all of a contact's tokens.
 */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const arg = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const contact = arg('contact');
  if (!['create', 'revoke'].includes(command) || !contact || !/^[0-9a-fA-F-]{36}$/.test(contact)) {
    throw new Error(
      'usage: npm run token -- create --contact <contact id> [--name <name>]\n       npm run token -- revoke --contact <contact id> [--token-id <id>]',
    );
  }
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const ds = new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url, { poolSize: 1 }));
  try {
    await ds.initialize();
    const [c] = await ds.query(`SELECT 1 FROM contact WHERE "ContactId" = $1`, [contact]);
    if (!c) throw new Error(`No contact ${contact}`);
    if (command === 'create') {
      const { token } = await createApiToken(ds.manager, contact, arg('name') ?? 'cli');
      process.stdout.write(`${token}\n`);
    } else {
      const r = await ds.query(
        `UPDATE api_token SET "RevokedDateTime" = now() WHERE "ContactId" = $1 AND "RevokedDateTime" IS NULL AND ($2::uuid IS NULL OR "ApiTokenId" = $2::uuid)`,
        [contact, arg('token-id') ?? null],
      );
      process.stderr.write(`revoked ${r[1]} token(s)\n`);
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
