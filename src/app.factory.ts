import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { mountODataRoutes } from './odata/http/fastify-binding';
import { ODataRequestHandler } from './odata/http/odata-request-handler';
import { failedRequestLine, requestIdOf, requestLogsOff } from './ops/logging';
import { Metrics } from './ops/metrics';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { Authenticator } from './features/access/authenticator';
import { PgThrottlerStorage } from './features/access/pg-throttler-storage';
import { serveBoard } from './board/serve-board';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONSISTENCY_HEADER, currentToken } from './odata/http/consistency';
import { setUpScaling } from './database/scale-setup';

export const SERVICE_ROOT = '/odata';

export interface AppOptions {
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
}

/** Builds the application (not yet listening): Nest on Fastify, the OData root mounted. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    logger: false,
    trustProxy: config.trustProxy,
    genReqId: requestIdOf,
    // SIGTERM: idle keep-alive connections close at once, running requests may finish.
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, options.logStream),
    adapter,
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // Once shutdown begins, responses end their connection: a keep-alive connection that was busy
  // when close() started would otherwise hold the server open until its client lets go.
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  const odata = app.get(ODataRequestHandler);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    if (closing) reply.header('Connection', 'close');
    // Before the client can follow a nextLink after its write, feeds read ahead are dropped.
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400)
      odata.dropReadAhead();
  });
  // Security headers. The API answers JSON (no policy needed); the board's pages set their own
  // Content-Security-Policy (src/board/serve-board.ts).
  await fastify.register(helmet, {
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  if (config.auth.corsOrigins.length) {
    await fastify.register(cors, {
      origin: config.auth.corsOrigins.includes('*') ? true : config.auth.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'If-Match',
        'If-None-Match',
        'Prefer',
        'OData-Version',
        'OData-MaxVersion',
        'Last-Event-ID',
        'X-Request-Id',
        CONSISTENCY_HEADER,
      ],
      exposedHeaders: [
        'ETag',
        'Location',
        'OData-EntityId',
        'OData-Version',
        'Preference-Applied',
        'Retry-After',
        'X-Request-Id',
        CONSISTENCY_HEADER,
      ],
    });
  }
  const metrics = app.get(Metrics);
  const authenticator = app.get(Authenticator);
  const throttler = app.get(PgThrottlerStorage);
  const perMinute = config.auth.rateLimitPerMinute;
  mountODataRoutes(fastify, odata, {
    prefix: SERVICE_ROOT,
    bodyLimit: config.bodyLimitBytes,
    authenticate: (headers, search) => authenticator.authenticate(headers, search),
    publicPaths: config.auth.publicMetadata ? ['', '/$metadata'] : [],
    rateLimit: perMinute
      ? async (key) => {
          const r = await throttler.increment(key, 60_000, perMinute, 0, 'odata');
          return r.isBlocked ? Math.max(1, Math.ceil(r.timeToBlockExpire / 1000)) : undefined;
        }
      : undefined,
    consistencyToken: () => currentToken(app.get<DataSource>(getDataSourceToken())),
    observe: (o) => {
      metrics.requests.inc({ entity_set: o.resource, method: o.method, status: String(o.status) });
      metrics.duration.observe({ entity_set: o.resource, method: o.method }, o.seconds);
      if (o.rows) metrics.rows.inc({ entity_set: o.resource }, o.rows);
      if (o.batchSize) metrics.batchSize.observe(o.batchSize);
    },
  });
  if (requestLogsOff(config.logLevel)) {
    // OData requests skip pino-http then (ops/logging.ts): their failures are logged here.
    fastify.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode < 400 || !request.url.startsWith(`${SERVICE_ROOT}`)) return;
      const raw = request.raw as typeof request.raw & { odataResource?: string; odataCaller?: string };
      const line = failedRequestLine(raw, reply.raw, reply.elapsedTime, {
        entitySet: raw.odataResource,
        contactId: raw.odataCaller,
      });
      PinoLogger.root[line.level](line.fields, line.msg);
    });
  }
  await serveBoard(fastify);
  const stopScaling = await setUpScaling(app, config);
  fastify.addHook('onClose', stopScaling);
  await app.init();
  return app;
}
