import { Contact } from '../features/contact/contact.entity';
import { Document } from '../features/document/document.entity';
import { DynamicTaskItem } from '../features/dynamic-task-item/dynamic-task-item.entity';
import { Notification } from '../features/notification/notification.entity';
import { Planning } from '../features/project/planning.entity';
import { ProjectDefinedField } from '../features/project/project-defined-field.entity';
import { Project } from '../features/project/project.entity';
import { Risk } from '../features/project/risk.entity';
import { TaskItemNote } from '../features/task-item-note/task-item-note.entity';
import { TaskItemTemplate } from '../features/task-item-template/task-item-template.entity';
import { TaskStatus } from '../features/task-status/task-status.entity';
import { CalendarFeed } from '../features/task/calendar-feed.entity';
import { ChecklistItem } from '../features/task/checklist-item.entity';
import { Stopwatch } from '../features/task/stopwatch.entity';
import { TaskContributor } from '../features/task/task-contributor.entity';
import { TaskRelation } from '../features/task/task-relation.entity';
import { Task } from '../features/task/task.entity';
import { TimeEntry } from '../features/task/time-entry.entity';
import { ChangeEvent } from '../features/live/change-event.entity';
import { ApiToken } from '../features/access/api-token.entity';
import { ProjectMember } from '../features/access/project-member.entity';
import { Webhook } from '../features/live/webhook.entity';
import { WebhookDelivery } from '../features/live/webhook-delivery.entity';

/** Every TypeORM entity of the service. */
export const ENTITIES = [
  Project,
  Contact,
  TaskStatus,
  Planning,
  Risk,
  Document,
  ProjectDefinedField,
  Task,
  TaskItemNote,
  ChecklistItem,
  TimeEntry,
  TaskContributor,
  TaskRelation,
  Stopwatch,
  CalendarFeed,
  Notification,
  TaskItemTemplate,
  DynamicTaskItem,
  ChangeEvent,
  Webhook,
  WebhookDelivery,
  ApiToken,
  ProjectMember,
];
