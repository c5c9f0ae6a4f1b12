import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

interface PgPool {
  on(event: 'connect', listener: (client: { on(event: 'error', l: (e: Error) => void): void }) => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
}

/**
 * When PostgreSQL goes away, node-postgres emits 'error' on every connection it holds, also
 * on ones a transaction has checked out; an 'error' nobody listens to would end the process.
 * Listening on each connection keeps the service up: the failed requests answer 503 and the
 * pool opens new connections once the database is back.
 */
@Injectable()
export class PoolErrorGuard implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const driver = this.dataSource.driver as unknown as { master?: PgPool; slaves?: PgPool[] };
    for (const pool of [driver.master, ...(driver.slaves ?? [])]) {
      if (!pool) continue;
      pool.on('error', (e) => this.logger.warn(`idle connection lost: ${e.message}`));
      pool.on('connect', (client) =>
        client.on('error', (e) => this.logger.warn(`connection lost: ${e.message}`)),
      );
    }
  }
}
