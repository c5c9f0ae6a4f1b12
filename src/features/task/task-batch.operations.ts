import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { insertEntities } from '../../odata/write/entity-writer';
import { callerContactId } from '../shared/caller';
import { rows } from '../shared/sql';

/** Properties of a task that a copy keeps (everything a client set; not counts, not dates the service keeps). */
const COPIED = [
  'Name', 'TaskItemStatusId', 'ContactId', 'ProjectId', 'PlanningId', 'GroupId', 'StartDateTime', 'EndDateTime', 'IsDone',
  'WorkAmount', 'CustomColor', 'CardPositionNumber', 'DescriptionHTML', 'IsBillable', 'Recurrence', 'AssignedByContactId',
  'RiskId', 'WorkAmountOwner', 'ReminderDateTime', 'Tags', 'ProjectDefinedFields',
].map((c) => `"${c}"`);

@Injectable()
export class TaskBatchOperations {
  @ODataAction({ name: 'BatchInsert', bindTo: { entitySet: 'Task', collection: true }, parameters: { items: 'Collection(Task)' }, returns: 'Collection(Task)' })
  async batchInsert(ctx: OperationContext): Promise<OperationResult> {
    const items = ctx.params.items;
    if (!Array.isArray(items) || items.some((i) => !i || typeof i !== 'object' || Array.isArray(i))) {
      throw ODataError.badRequest('items must be an array of task objects', 'items', ErrorCode.BadBody);
    }
    const type = ctx.model.sets.get('Task')!;
    // Each item is checked like a POST (the project's Editor role); rights are looked up once per project.
    const checked = new Set<string>();
    const keys = await insertEntities(ctx.manager, type, items, async (row) => {
      const project = String(row.ProjectId ?? '');
      if (!checked.has(project)) await ctx.access.checkWrite('Task', 'create', { after: row });
      else row.CreatedByContactId = callerContactId(ctx);
      checked.add(project);
    });
    return { kind: 'entities', entitySet: 'Task', keys };
  }

  @ODataAction({ name: 'BatchDelete', bindTo: { entitySet: 'Task', collection: true }, parameters: { TaskItemIds: 'Collection(Edm.Guid)' } })
  async batchDelete(ctx: OperationContext): Promise<OperationResult> {
    const ids: string[] = [...new Set<string>(ctx.params.TaskItemIds)];
    await ctx.access.requireVisible('Task', ids);
    const existing: Array<Record<string, unknown>> = await ctx.manager.query(`SELECT * FROM task WHERE "TaskItemId" = ANY($1::uuid[]) FOR UPDATE`, [ids]);
    for (const before of existing) await ctx.access.checkWrite('Task', 'delete', { before });
    const deleted = await rows(ctx.manager, `DELETE FROM task WHERE "TaskItemId" = ANY($1::uuid[]) RETURNING "TaskItemId"`, [ids]);
    if (deleted.length !== ids.length) {
      const missing = ids.filter((id) => !deleted.some((d) => d.TaskItemId === id));
      // Throwing rolls the whole transaction back: nothing is deleted.
      throw ODataError.notFound(`Unknown task ${missing.join(', ')}: nothing was deleted`);
    }
    return { kind: 'none' };
  }

  @ODataAction({ name: 'Copy', bindTo: { entitySet: 'Task' }, parameters: { projectId: 'Edm.Guid?' }, returns: 'Task' })
  async copy(ctx: OperationContext): Promise<OperationResult> {
    const source = ctx.key!.TaskItemId;
    const projectId: string | null = ctx.params.projectId;
    if (projectId) {
      const [p] = await rows(ctx.manager, `SELECT 1 FROM project WHERE "ProjectId" = $1`, [projectId]);
      if (!p) throw ODataError.badRequest(`Project ${projectId} does not exist`, 'projectId', ErrorCode.BadForeignKey);
      await ctx.access.checkWrite('Task', 'create', { after: { ProjectId: projectId } });
    }
    // Into another project the column goes with it: the target project's first column by position.
    const [copy] = await rows(ctx.manager,
      `INSERT INTO task (${COPIED.join(', ')}, "CreatedByContactId")
       SELECT ${COPIED.map((c) => {
         if (c === '"ProjectId"') return 'COALESCE($2::uuid, t."ProjectId")';
         if (c === '"TaskItemStatusId"') return `CASE WHEN $2::uuid IS NULL OR $2::uuid = t."ProjectId" THEN t."TaskItemStatusId"
                ELSE (SELECT s."TaskItemStatusId" FROM task_status s WHERE s."ProjectId" = $2::uuid ORDER BY s."OrdinalPosition", s."TaskItemStatusId" LIMIT 1) END`;
         return `t.${c}`;
       }).join(', ')}, $3
       FROM task t WHERE t."TaskItemId" = $1 RETURNING "TaskItemId"`,
      [source, projectId, callerContactId(ctx)],
    );
    await ctx.manager.query(
      `INSERT INTO checklist_item ("TaskItemId", "Name", "IsDone", "OrdinalPosition")
       SELECT $2, "Name", "IsDone", "OrdinalPosition" FROM checklist_item WHERE "TaskItemId" = $1`,
      [source, copy.TaskItemId],
    );
    return { kind: 'entity', entitySet: 'Task', key: { TaskItemId: copy.TaskItemId } };
  }
}
