import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Metrics } from '../../ops/metrics';
import { checkWebhookUrl } from './webhook-address';
import { guardedLookup, postWebhook } from './webhook-post';

interface Claimed {
  WebhookDeliveryId: string;
  Attempts: number;
  CreatedDateTime: Date;
  Url: string;
  Secret: string;
  NotificationId: string;
  body: string;
}

/** The signature header: `sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook's Secret>`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs queued notifications to webhooks. A delivery is claimed by pushing its next attempt a
 * lease ahead (FOR UPDATE SKIP LOCKED, so instances never send the same attempt twice), sent
 * outside any transaction, then recorded: delivered, or retried with exponential backoff
 * (WEBHOOK_RETRY_BASE_MS x 2^attempt, at most an hour apart) until a day has passed.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge(
      'webhook_deliveries_pending',
      'Webhook deliveries not yet delivered or given up',
      async () =>
        Number(
          (
            await this.dataSource.query(
              `SELECT count(*) AS n FROM webhook_delivery WHERE "DeliveredDateTime" IS NULL AND NOT "GaveUp"`,
            )
          )[0].n,
        ),
    );
    if (!this.config.live.workers) return;
    this.timer = setInterval(() => {
      this.running ??= this.deliverDue()
        .catch((e) => this.logger.warn(`webhook run failed: ${e.message}`))
        .finally(() => (this.running = undefined));
    }, this.config.live.webhookPollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async deliverDue(): Promise<number> {
    const claimed: Claimed[] = await this.dataSource
      .query(
        `UPDATE webhook_delivery d SET "NextAttemptDateTime" = now() + make_interval(secs => $1), "Attempts" = d."Attempts" + 1
       FROM webhook w, notification n
       WHERE d."WebhookDeliveryId" IN (
           SELECT "WebhookDeliveryId" FROM webhook_delivery
           WHERE "DeliveredDateTime" IS NULL AND NOT "GaveUp" AND "NextAttemptDateTime" <= now()
           ORDER BY "NextAttemptDateTime" LIMIT 20 FOR UPDATE SKIP LOCKED)
         AND w."WebhookId" = d."WebhookId" AND n."NotificationId" = d."NotificationId"
       RETURNING d."WebhookDeliveryId", d."Attempts", d."CreatedDateTime", w."Url", w."Secret", n."NotificationId",
         json_build_object('NotificationId', n."NotificationId", 'ContactId', n."ContactId", 'TaskItemId', n."TaskItemId",
                           'Kind', n."Kind", 'Message', n."Message", 'CreatedDateTime', n."CreatedDateTime")::text AS body`,
        [Math.ceil(this.config.live.webhookTimeoutMs / 1000) + 30],
      )
      .then((r) => (Array.isArray(r[0]) ? r[0] : r));
    await Promise.all(claimed.map((d) => this.send(d)));
    return claimed.length;
  }

  private async send(d: Claimed): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    const refused = await checkWebhookUrl(d.Url, this.config.live.webhookAllowPrivate);
    if (refused) {
      await this.dataSource.query(
        `UPDATE webhook_delivery SET "GaveUp" = true, "LastError" = $2 WHERE "WebhookDeliveryId" = $1`,
        [d.WebhookDeliveryId, refused],
      );
      return;
    }
    try {
      status = await postWebhook({
        url: d.Url,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'odata-tasks-webhooks',
          'X-Webhook-Signature': signature(d.Secret, d.body),
          'X-Webhook-Delivery': d.WebhookDeliveryId,
        },
        body: d.body,
        timeoutMs: this.config.live.webhookTimeoutMs,
        lookup: guardedLookup(this.config.live.webhookAllowPrivate),
      });
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    if (!error) {
      await this.dataSource.transaction(async (m) => {
        await m.query(
          `UPDATE webhook_delivery SET "DeliveredDateTime" = now(), "LastStatus" = $2, "LastError" = NULL WHERE "WebhookDeliveryId" = $1`,
          [d.WebhookDeliveryId, status],
        );
        await m.query(
          `UPDATE notification SET "DeliveredDateTime" = COALESCE("DeliveredDateTime", now()) WHERE "NotificationId" = $1`,
          [d.NotificationId],
        );
      });
      return;
    }
    const delayMs = Math.min(this.config.live.webhookRetryBaseMs * 2 ** (d.Attempts - 1), 3_600_000);
    await this.dataSource.query(
      `UPDATE webhook_delivery SET "LastStatus" = $2, "LastError" = $3,
         "GaveUp" = "CreatedDateTime" < now() - interval '1 day',
         "NextAttemptDateTime" = now() + make_interval(secs => $4)
       WHERE "WebhookDeliveryId" = $1`,
      [d.WebhookDeliveryId, status, error.slice(0, 500), delayMs / 1000],
    );
  }
}
