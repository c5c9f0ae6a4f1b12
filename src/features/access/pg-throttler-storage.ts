import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { DataSource } from 'typeorm';

/**
 * @nestjs/throttler's storage in PostgreSQL (an unlogged table), so every instance behind a load
 * balancer counts against the same limit. Fixed windows of `ttl` ms per key.
 */
@Injectable()
export class PgThrottlerStorage implements ThrottlerStorage {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const [row] = await this.dataSource.query(
      `INSERT INTO rate_limit ("Key", "WindowStart", "Hits")
       VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) * 1000 / $2) * $2 / 1000), 1)
       ON CONFLICT ("Key", "WindowStart") DO UPDATE SET "Hits" = rate_limit."Hits" + 1
       RETURNING "Hits", extract(epoch FROM ("WindowStart" + make_interval(secs => $2 / 1000.0) - now())) * 1000 AS "leftMs"`,
      [`${name}:${key}`, ttl],
    );
    const left = Math.max(Math.ceil(Number(row.leftMs)), 0);
    const blocked = row.Hits > limit;
    return {
      totalHits: row.Hits,
      timeToExpire: left,
      isBlocked: blocked,
      timeToBlockExpire: blocked ? left : 0,
    };
  }

  /** Old windows are of no use: removed now and then. */
  async prune(): Promise<void> {
    await this.dataSource
      .query(`DELETE FROM rate_limit WHERE "WindowStart" < now() - interval '1 hour'`)
      .catch(() => undefined);
  }
}
