import { Module } from '@nestjs/common';
import { NotificationOperations } from './notification.operations';

@Module({ providers: [NotificationOperations] })
export class NotificationModule {}
