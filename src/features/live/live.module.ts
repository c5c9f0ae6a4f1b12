import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OpsModule } from '../../ops/ops.module';
import { AccessModule } from '../access/access.module';
import { ChangeStream } from './change-stream';
import { ChangeLogReader } from './change-log-reader';
import { ReminderScheduler } from './reminder-scheduler';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookUrlValidator } from './webhook-url.validator';
import { ChangeEvent } from './change-event.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';

/** Live updates: the change stream, delta links' change log, reminders and webhook delivery. */
@Module({
  imports: [OpsModule, AccessModule, TypeOrmModule.forFeature([ChangeEvent, Webhook, WebhookDelivery])],
  providers: [ChangeStream, ChangeLogReader, ReminderScheduler, WebhookDispatcher, WebhookUrlValidator],
  exports: [ReminderScheduler, WebhookDispatcher, TypeOrmModule],
})
export class LiveModule {}
