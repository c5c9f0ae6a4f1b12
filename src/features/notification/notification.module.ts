import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Notification } from './notification.entity';
import { NotificationOperations } from './notification.operations';

@Module({
  imports: [TypeOrmModule.forFeature([Notification])],
  providers: [NotificationOperations],
  exports: [TypeOrmModule],
})
export class NotificationModule {}
