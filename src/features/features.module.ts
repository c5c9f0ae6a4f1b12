import { Module } from '@nestjs/common';
import { TaskItemNoteModule } from './task-item-note/task-item-note.module';
import { TaskItemTemplateModule } from './task-item-template/task-item-template.module';
import { TaskModule } from './task/task.module';
import { DynamicTaskItemModule } from './dynamic-task-item/dynamic-task-item.module';
import { LiveModule } from './live/live.module';
import { AccessModule } from './access/access.module';
import { NotificationModule } from './notification/notification.module';

/**
 * The feature modules. Entity sets need no module of their own: the protocol core serves
 * every @EntitySet entity (TaskStatus, Project, Contact, DynamicTaskItem, ...) from its
 * declaration; modules exist where a feature adds rules or operations.
 */
@Module({ exports: [AccessModule], imports: [TaskModule, TaskItemNoteModule, TaskItemTemplateModule, DynamicTaskItemModule, NotificationModule, LiveModule, AccessModule] })
export class FeaturesModule {}
