import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';
import { prepareDatabase } from './database/database-lifecycle';

/** Bootstrap only: configuration, database, application, and a clean shutdown on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const logger = new Logger('Main');
  const config = loadConfig();
  const db = await prepareDatabase(config);
  const app = await createApp(config, db.url);
  await app.listen(config.port, config.host);
  logger.log(`OData service at http://localhost:${config.port}/odata (try /odata/Task?$top=5)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    try {
      // Stop accepting, let running requests finish (their transactions commit or roll back),
      // close the pool; past the deadline, leave anyway: PostgreSQL rolls back what is open.
      await Promise.race([app.close(), new Promise((r) => setTimeout(r, config.shutdownTimeoutMs).unref())]);
    } finally {
      await db.stop(); // the embedded database goes last
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  if (e instanceof ConfigError) console.error(e.message);
  else console.error(e);
  process.exit(1);
});
