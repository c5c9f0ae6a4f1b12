import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { CalendarFeedController } from './calendar-feed.controller';
import { CalendarOperations } from './calendar.operations';
import { ContributorOperations } from './contributor.operations';
import { KanbanOperations } from './kanban.operations';
import { ProjectDefinedFieldOperations } from './project-defined-field.operations';
import { StopwatchOperations } from './stopwatch.operations';
import { TaskBatchOperations } from './task-batch.operations';
import { TaskLinkOperations } from './task-links.operations';
import { CalendarFeed } from './calendar-feed.entity';
import { ChecklistItem } from './checklist-item.entity';
import { Stopwatch } from './stopwatch.entity';
import { TaskContributor } from './task-contributor.entity';
import { TaskRelation } from './task-relation.entity';
import { Task } from './task.entity';
import { TimeEntry } from './time-entry.entity';

/** Task and what hangs off it: checklist, contributors, stopwatch, time entries, relations, calendar. */
@Module({
  imports: [
    // The calendar feed lists tasks through the access policy, like every OData read.
    AccessModule,
    TypeOrmModule.forFeature([
      Task,
      ChecklistItem,
      TaskContributor,
      TaskRelation,
      TimeEntry,
      Stopwatch,
      CalendarFeed,
    ]),
  ],
  controllers: [CalendarFeedController],
  providers: [
    KanbanOperations,
    StopwatchOperations,
    ContributorOperations,
    TaskLinkOperations,
    TaskBatchOperations,
    ProjectDefinedFieldOperations,
    CalendarOperations,
  ],
  exports: [TypeOrmModule],
})
export class TaskModule {}
