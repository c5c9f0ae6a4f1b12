import type { EntityManager } from 'typeorm';
import { rows } from '../shared/sql';

/** What deciding a task's delete needs of it (its project, creator and assignee). */
export interface TaskOwnership {
  TaskItemId: string;
  ProjectId: string | null;
  CreatedByContactId: string | null;
  ContactId: string | null;
}

/** Locks the tasks (those that exist) for the rest of the transaction, in key order. */
export function lockTasks(m: EntityManager, ids: string[]): Promise<TaskOwnership[]> {
  return rows(
    m,
    `SELECT "TaskItemId", "ProjectId", "CreatedByContactId", "ContactId" FROM task
     WHERE "TaskItemId" = ANY($1::uuid[]) ORDER BY "TaskItemId" FOR UPDATE`,
    [ids],
  );
}

/** Deletes the tasks in one statement; returns the keys deleted. */
export async function deleteTasks(m: EntityManager, ids: string[]): Promise<Set<string>> {
  const deleted = await rows<{ TaskItemId: string }>(
    m,
    `DELETE FROM task WHERE "TaskItemId" = ANY($1::uuid[]) RETURNING "TaskItemId"`,
    [ids],
  );
  return new Set(deleted.map((d) => d.TaskItemId));
}
