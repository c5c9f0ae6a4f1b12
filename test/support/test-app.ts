import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase } from './database';

export interface TestApp {
  baseUrl: string;
  app: NestFastifyApplication;
  dataSource: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The real application on its own fresh database, listening on a free port of 127.0.0.1. */
export async function startTestApp(opts: { env?: Record<string, string>; config?: (c: AppConfig) => void } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, ...(opts.env ?? {}) });
  opts.config?.(config);
  const app = await createApp(config, db.url);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    databaseUrl: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
