import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Metrics } from '../../ops/metrics';

/**
 * Delivers due reminders as Notification rows (Kind 'Reminder') for the assignee and the
 * followers, and sets ReminderSentDateTime, in one transaction per batch. Due rows are claimed
 * with FOR UPDATE SKIP LOCKED, so with several instances each reminder goes out exactly once;
 * an instance that was down catches up on what fell due meanwhile at its next poll.
 */
@Injectable()
export class ReminderScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('reminders_due', 'Reminders due and not yet delivered', async () =>
      Number(
        (
          await this.dataSource.query(
            `SELECT count(*) AS n FROM task WHERE "ReminderDateTime" <= now() AND "ReminderSentDateTime" IS NULL`,
          )
        )[0].n,
      ),
    );
    if (!this.config.live.workers) return;
    this.timer = setInterval(() => {
      this.running ??= this.deliverDue()
        .catch((e) => this.logger.warn(`reminder run failed: ${e.message}`))
        .finally(() => (this.running = undefined));
    }, this.config.live.reminderPollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Delivers what is due now; returns how many reminders went out. */
  async deliverDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (m) => {
        const due: Array<{ TaskItemId: string }> = await m.query(
          `SELECT "TaskItemId" FROM task WHERE "ReminderDateTime" <= now() AND "ReminderSentDateTime" IS NULL
           ORDER BY "ReminderDateTime" LIMIT 200 FOR UPDATE SKIP LOCKED`,
        );
        if (due.length === 0) return 0;
        const ids = due.map((d) => d.TaskItemId);
        await m.query(
          `INSERT INTO notification ("ContactId", "TaskItemId", "Kind", "Message")
           SELECT DISTINCT r."ContactId", t."TaskItemId", 'Reminder', 'Reminder: "' || COALESCE(t."Name", '') || '" is due'
           FROM task t
           CROSS JOIN LATERAL (SELECT t."ContactId" UNION SELECT f."ContactId" FROM task_follower f WHERE f."TaskItemId" = t."TaskItemId") r
           WHERE t."TaskItemId" = ANY($1::uuid[]) AND r."ContactId" IS NOT NULL`,
          [ids],
        );
        await m.query(`UPDATE task SET "ReminderSentDateTime" = now() WHERE "TaskItemId" = ANY($1::uuid[])`, [
          ids,
        ]);
        return ids.length;
      });
      total += n;
      if (n < 200) return total;
    }
  }
}
