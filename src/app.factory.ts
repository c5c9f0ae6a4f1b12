import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { mountODataRoutes } from './odata/http/fastify-binding';
import { ODataRequestHandler } from './odata/http/odata-request-handler';

export const SERVICE_ROOT = '/odata';

/** Builds the application (not yet listening): Nest on Fastify, the OData root mounted. */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    logger: ['error', 'warn'],
  });
  mountODataRoutes(app.getHttpAdapter().getInstance(), app.get(ODataRequestHandler), { prefix: SERVICE_ROOT, bodyLimit: config.bodyLimitBytes });
  await app.init();
  return app;
}
