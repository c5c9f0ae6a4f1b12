import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase } from './database';
import { TEST_ADMIN_TOKEN } from './odata-client';
import { Writable } from 'node:stream';

export interface TestApp {
  baseUrl: string;
  app: NestFastifyApplication;
  dataSource: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The real application on its own fresh database, listening on a free port of 127.0.0.1. */
export async function startTestApp(
  opts: {
    env?: Record<string, string>;
    config?: (c: AppConfig) => void;
    logStream?: Writable;
    databaseUrl?: string;
  } = {},
): Promise<TestApp> {
  const db = opts.databaseUrl
    ? { url: opts.databaseUrl, drop: async () => undefined }
    : await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...(opts.env ?? {}) });
  opts.config?.(config);
  // Logs are discarded unless a test wants to read them.
  const logStream = opts.logStream ?? new Writable({ write: (_chunk, _enc, done) => done() });
  const app = await createApp(config, db.url, { logStream });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    databaseUrl: db.url,
    close: async () => {
      // As main.ts does with its deadline: connections a test left unread do not hold the close.
      const server = app.getHttpServer();
      const force = setTimeout(() => server.closeAllConnections(), 3000);
      await app.close();
      clearTimeout(force);
      await db.drop();
    },
  };
}
