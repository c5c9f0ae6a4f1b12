import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { ODataRequestHandler } from '../odata/http/odata-request-handler';
import { Metrics } from '../ops/metrics';
import { sessionOptions } from './data-source';
import { ReadRouter } from './read-routing';
import { SchemaGuard } from './schema-guard';
import { ErrorCode, ODataError } from '../odata/errors/odata-error';

const SERVICE_ROOT = '/odata';

const logger = new Logger('Scaling');

/**
 * Read replicas (DATABASE_READ_URLS) and the prepared-statement check, wired once the
 * application exists. Returns what to stop at shutdown.
 */
export async function setUpScaling(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<() => Promise<void>> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  await reportPreparedStatements(dataSource, config.dbPreparedStatements);
  const guard = new SchemaGuard(dataSource, (m) => logger.warn(m));
  await guard.start(config.dbSchemaCheckMs);
  refuseWhileSchemaDiffers(app, guard);
  if (!config.databaseReadUrls.length) return async () => guard.stop();
  const router = new ReadRouter(dataSource, config.databaseReadUrls, {
    poolSize: config.dbPoolSize,
    maxLagMs: config.dbReplicaMaxLagMs,
    checkMs: config.dbReplicaCheckMs,
    options: sessionOptions({ statementTimeoutMs: config.statementTimeoutMs }),
    log: (m) => logger.warn(m),
  });
  await router.start();
  app.get(ODataRequestHandler).readRoute = router;
  const registry = app.get(Metrics).registry;
  // Which database answered reads: the proof that replicas serve them.
  let counted = new Map<string, number>();
  new Counter({
    name: 'db_reads_total',
    help: 'Reads outside transactions by the database that served them (primary, replica0, …)',
    labelNames: ['source'] as const,
    registers: [registry],
    collect() {
      // The counter catches up with the router's tallies whenever metrics are read.
      for (const [source, n] of router.served) this.inc({ source }, n - (counted.get(source) ?? 0));
      counted = new Map(router.served);
    },
  });
  new Gauge({
    name: 'db_replica_usable',
    help: 'Whether a read replica is in rotation (1) or not (0)',
    labelNames: ['replica'] as const,
    registers: [registry],
    collect() {
      for (const r of router.state()) this.set({ replica: String(r.index) }, r.usable ? 1 : 0);
    },
  });
  new Gauge({
    name: 'db_replica_lag_seconds',
    help: 'Replay lag of a read replica behind the primary, as last checked',
    labelNames: ['replica'] as const,
    registers: [registry],
    collect() {
      for (const r of router.state()) this.set({ replica: String(r.index) }, r.lagMs / 1000);
    },
  });
  logger.log(`Reads outside transactions go to ${config.databaseReadUrls.length} replica(s)`);
  return async () => {
    guard.stop();
    await router.stop();
  };
}

/**
 * While the database's migrations are not this instance's own (a newer version migrated it),
 * OData requests answer 503 and readiness fails, so the load balancer drains this instance.
 */
function refuseWhileSchemaDiffers(app: NestFastifyApplication, guard: SchemaGuard): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      if (!guard.refusal) return;
      const path = request.url.split('?')[0];
      if (path === '/health/ready') {
        return reply
          .code(503)
          .send({ status: 'error', error: { schema: { status: 'down', message: guard.refusal } } });
      }
      if (path !== SERVICE_ROOT && !path.startsWith(`${SERVICE_ROOT}/`)) return;
      const e = new ODataError(
        503,
        ErrorCode.ServiceUnavailable,
        "This instance does not serve: the database's schema is not this version's",
        undefined,
        undefined,
        { 'Retry-After': '30' },
      );
      return reply
        .code(503)
        .headers({ 'Content-Type': 'application/json;charset=utf-8', 'OData-Version': '4.0', ...e.headers })
        .send(JSON.stringify(e.toJSON()));
    });
}

/**
 * Reads run as named prepared statements (src/odata/plan), which a transaction-mode pooler
 * before PgBouncer 1.21 loses between transactions; DB_PREPARED_STATEMENTS=false sends unnamed ones
 * and skips the check. With it on (the default) the start looks for a pooler (PostgreSQL's own port differs
 * from the URL's) and uses a named statement in two transactions; what it finds is logged, so a
 * pooler that cannot keep named statements (PgBouncer before 1.21) is known before it matters.
 */
export async function reportPreparedStatements(dataSource: DataSource, enabled: boolean): Promise<string> {
  const say = (message: string, warn = false) => {
    if (warn) logger.warn(message);
    else logger.log(message);
    return message;
  };
  if (!enabled) return say('Named prepared statements: off (DB_PREPARED_STATEMENTS=false)');
  const runner = dataSource.createQueryRunner('master');
  try {
    const client = (await runner.connect()) as {
      query(q: { name: string; text: string } | string): Promise<{ rows: Array<{ port: number | null }> }>;
    };
    const [{ port }] = (await client.query('SELECT inet_server_port() AS port')).rows;
    const urlPort = Number(new URL((dataSource.options as { url: string }).url).port || 5432);
    const between = port !== null && port !== urlPort;
    const probe = { name: `odata_tasks_probe_${process.pid}`, text: 'SELECT 1' };
    await client.query(probe);
    await client.query(probe);
    return between
      ? say(
          `Named prepared statements: on, and a pooler or proxy is in between (PostgreSQL's port ${port}, ` +
            `the URL's ${urlPort}): unless it keeps prepared statements (PgBouncer 1.21+ with ` +
            'max_prepared_statements), set DB_PREPARED_STATEMENTS=false',
          true,
        )
      : say('Named prepared statements: on (a direct connection)');
  } catch {
    return say(
      'Named prepared statements: on, but the connection lost one between transactions (a pooler in ' +
        'transaction mode?): set DB_PREPARED_STATEMENTS=false',
      true,
    );
  } finally {
    await runner.release();
  }
}
