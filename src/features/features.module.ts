import { Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { ContactModule } from './contact/contact.module';
import { DocumentModule } from './document/document.module';
import { DynamicTaskItemModule } from './dynamic-task-item/dynamic-task-item.module';
import { LiveModule } from './live/live.module';
import { NotificationModule } from './notification/notification.module';
import { ProjectModule } from './project/project.module';
import { TaskItemNoteModule } from './task-item-note/task-item-note.module';
import { TaskItemTemplateModule } from './task-item-template/task-item-template.module';
import { TaskStatusModule } from './task-status/task-status.module';
import { TaskModule } from './task/task.module';
import { HtmlTextModule } from './shared/html-text.service';

/**
 * The feature modules, one per folder, each registering its entities' repositories
 * (TypeOrmModule.forFeature) and its rules and operations. The protocol core serves every
 * @EntitySet entity from its declaration; it needs no module to do so.
 */
@Module({
  imports: [
    HtmlTextModule,
    TaskModule,
    TaskItemNoteModule,
    TaskStatusModule,
    TaskItemTemplateModule,
    DynamicTaskItemModule,
    ProjectModule,
    ContactModule,
    DocumentModule,
    NotificationModule,
    LiveModule,
    AccessModule,
  ],
  exports: [AccessModule],
})
export class FeaturesModule {}
