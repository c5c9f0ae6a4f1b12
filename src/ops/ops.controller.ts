import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Inject,
  Req,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from './metrics';

/** Health for load balancers and orchestrators, metrics for Prometheus. Never behind authentication. */
@Controller()
export class OpsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process answers. */
  @Get('health/live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** PostgreSQL answers within a second and every migration is applied. */
  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1000 }),
      async () => {
        const pending = await Promise.race([
          this.dataSource.showMigrations(),
          new Promise<boolean>((_, fail) => setTimeout(() => fail(new Error('timeout')), 1000)),
        ]).catch(() => true);
        if (pending)
          throw new ServiceUnavailableException({
            migrations: { status: 'down', message: 'migrations are pending' },
          });
        return { migrations: { status: 'up' } };
      },
    ]);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(@Req() req: FastifyRequest): Promise<string> {
    if (!this.allowed(req))
      throw new ForbiddenException('Metrics need the metrics token or an allowed address');
    return this.metrics.registry.metrics();
  }

  private allowed(req: FastifyRequest): boolean {
    const token = this.config.metrics.token;
    if (token) {
      const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
      const expected = Buffer.from(token);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    }
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    return this.config.metrics.allow.includes(ip);
  }
}
