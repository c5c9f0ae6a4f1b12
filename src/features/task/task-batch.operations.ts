import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { insertEntities } from '../../odata/write/entity-writer';
import { callerContactId } from '../shared/caller';
import { rows } from '../shared/sql';
import { deleteTasks, lockTasks } from './task-batch.sql';

/** Properties of a task that a copy keeps (everything a client set; not counts, not dates the service keeps). */
const COPIED = [
  'Name',
  'TaskItemStatusId',
  'ContactId',
  'ProjectId',
  'PlanningId',
  'GroupId',
  'StartDateTime',
  'EndDateTime',
  'IsDone',
  'WorkAmount',
  'CustomColor',
  'CardPositionNumber',
  'DescriptionHTML',
  'IsBillable',
  'Recurrence',
  'AssignedByContactId',
  'RiskId',
  'WorkAmountOwner',
  'ReminderDateTime',
  'Tags',
  'ProjectDefinedFields',
].map((c) => `"${c}"`);

@Injectable()
export class TaskBatchOperations {
  @ODataAction({
    name: 'BatchInsert',
    bindTo: { entitySet: 'Task', collection: true },
    parameters: { items: 'Collection(Task)' },
    returns: 'Collection(Task)',
  })
  async batchInsert(ctx: OperationContext): Promise<OperationResult> {
    const items = ctx.params.items;
    if (!Array.isArray(items) || items.some((i) => !i || typeof i !== 'object' || Array.isArray(i))) {
      throw ODataError.badRequest('items must be an array of task objects', 'items', ErrorCode.BadBody);
    }
    const type = ctx.model.sets.get('Task')!;
    // Each item is checked like a POST (the project's Editor role, looked up once per project;
    // every reference, in one statement per foreign key for all items).
    const checked = new Set<string>();
    const keys = await insertEntities(ctx.manager, type, items, async (rows) => {
      for (const row of rows) {
        const project = String(row.ProjectId ?? '');
        if (!checked.has(project)) await ctx.access.checkWrite('Task', 'create', { after: row });
        row.CreatedByContactId = callerContactId(ctx);
        checked.add(project);
      }
      await ctx.access.checkReferences(
        'Task',
        rows.map((after) => ({ after })),
      );
    });
    return { kind: 'entities', entitySet: 'Task', keys };
  }

  @ODataAction({
    name: 'BatchDelete',
    bindTo: { entitySet: 'Task', collection: true },
    parameters: { TaskItemIds: 'Collection(Edm.Guid)' },
  })
  async batchDelete(ctx: OperationContext): Promise<OperationResult> {
    const ids: string[] = [...new Set<string>(ctx.params.TaskItemIds)];
    await ctx.access.requireVisible('Task', ids);
    const existing = await lockTasks(ctx.manager, ids);
    // A delete's rights depend on the task's project, creator and assignee: checked once for each
    // combination, not once per task (a batch of one project: one check).
    const checked = new Set<string>();
    for (const before of existing) {
      const { ProjectId, CreatedByContactId, ContactId } = before;
      const owner = JSON.stringify([ProjectId, CreatedByContactId, ContactId]);
      if (checked.has(owner)) continue;
      checked.add(owner);
      await ctx.access.checkWrite('Task', 'delete', { before: { ...before } });
    }
    const deleted = await deleteTasks(ctx.manager, ids);
    if (deleted.size !== ids.length) {
      const missing = ids.filter((id) => !deleted.has(id));
      // Throwing rolls the whole transaction back: nothing is deleted.
      throw ODataError.notFound(`Unknown task ${missing.join(', ')}: nothing was deleted`);
    }
    return { kind: 'none' };
  }

  @ODataAction({
    name: 'Copy',
    bindTo: { entitySet: 'Task' },
    parameters: { projectId: 'Edm.Guid?' },
    returns: 'Task',
  })
  async copy(ctx: OperationContext): Promise<OperationResult> {
    const source = ctx.key!.TaskItemId;
    const projectId: string | null = ctx.params.projectId;
    if (projectId) {
      // An unknown project and one the caller cannot see answer alike.
      await ctx.access.checkReferences('Task', [{ after: { ProjectId: projectId } }], {
        ProjectId: 'projectId',
      });
      await ctx.access.checkWrite('Task', 'create', { after: { ProjectId: projectId } });
    }
    // Into another project the column goes with it: the target project's first column by position.
    const [copy] = await rows(
      ctx.manager,
      `INSERT INTO task (${COPIED.join(', ')}, "CreatedByContactId")
       SELECT ${COPIED.map((c) => {
         if (c === '"ProjectId"') return 'COALESCE($2::uuid, t."ProjectId")';
         if (c === '"TaskItemStatusId"')
           return `CASE WHEN $2::uuid IS NULL OR $2::uuid = t."ProjectId" THEN t."TaskItemStatusId"
                ELSE (SELECT s."TaskItemStatusId" FROM task_status s WHERE s."ProjectId" = $2::uuid ORDER BY s."OrdinalPosition", s."TaskItemStatusId" LIMIT 1) END`;
         // Into another project, a planning or risk of the old one stays behind (ones outside any project come along).
         if (c === '"PlanningId"' || c === '"RiskId"') {
           const table = c === '"PlanningId"' ? 'planning' : 'risk';
           return `CASE WHEN $2::uuid IS NULL OR $2::uuid = t."ProjectId" THEN t.${c}
                ELSE (SELECT x.${c} FROM ${table} x WHERE x.${c} = t.${c} AND x."ProjectId" IS NULL) END`;
         }
         return `t.${c}`;
       }).join(', ')}, $3
       FROM task t WHERE t."TaskItemId" = $1 RETURNING *`,
      [source, projectId, callerContactId(ctx)],
    );
    // The copy sets every reference anew: each must still be the caller's to set.
    await ctx.access.checkReferences('Task', [{ after: copy }]);
    await ctx.manager.query(
      `INSERT INTO checklist_item ("TaskItemId", "Name", "IsDone", "OrdinalPosition")
       SELECT $2, "Name", "IsDone", "OrdinalPosition" FROM checklist_item WHERE "TaskItemId" = $1`,
      [source, copy.TaskItemId],
    );
    return { kind: 'entity', entitySet: 'Task', key: { TaskItemId: copy.TaskItemId } };
  }
}
