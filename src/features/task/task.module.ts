import { Module } from '@nestjs/common';
import { CalendarFeedController } from './calendar-feed.controller';
import { CalendarOperations } from './calendar.operations';
import { ContributorOperations } from './contributor.operations';
import { KanbanOperations } from './kanban.operations';
import { ProjectDefinedFieldOperations } from './project-defined-field.operations';
import { StopwatchOperations } from './stopwatch.operations';
import { TaskBatchOperations } from './task-batch.operations';
import { TaskLinkOperations } from './task-links.operations';

/** Task and what hangs off it: checklist, contributors, stopwatch, time entries, relations, calendar. */
@Module({
  controllers: [CalendarFeedController],
  providers: [
    KanbanOperations, StopwatchOperations, ContributorOperations, TaskLinkOperations, TaskBatchOperations,
    ProjectDefinedFieldOperations, CalendarOperations,
  ],
})
export class TaskModule {}
