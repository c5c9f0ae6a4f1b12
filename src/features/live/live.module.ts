import { Module } from '@nestjs/common';
import { OpsModule } from '../../ops/ops.module';
import { AccessModule } from '../access/access.module';
import { ChangeStream } from './change-stream';
import { ReminderScheduler } from './reminder-scheduler';
import { WebhookDispatcher } from './webhook-dispatcher';

/** Live updates: the change stream, reminders and webhook delivery. */
@Module({ imports: [OpsModule, AccessModule], providers: [ChangeStream, ReminderScheduler, WebhookDispatcher], exports: [ReminderScheduler, WebhookDispatcher] })
export class LiveModule {}
