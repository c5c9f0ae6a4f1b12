import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction, ODataFunction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { unknownReference } from '../../odata/write/check-references';
import { rows } from '../shared/sql';

/** Documents, relations and followers of a task. */
@Injectable()
export class TaskLinkOperations {
  @ODataAction({
    name: 'AddDocumentToTaskItem',
    bindTo: { entitySet: 'Task' },
    parameters: { documentIds: 'Collection(Edm.Guid)' },
    returns: 'Collection(Document)',
  })
  async addDocuments(ctx: OperationContext): Promise<OperationResult> {
    const ids: string[] = ctx.params.documentIds;
    // Documents the caller sees, of the task's project or outside any project.
    const [task] = await rows(ctx.manager, `SELECT * FROM task WHERE "TaskItemId" = $1`, [
      ctx.key!.TaskItemId,
    ]);
    await ctx.access.checkLinks('Task', 'Documents', task, ids, 'documentIds');
    await ctx.manager.query(
      `INSERT INTO task_document ("TaskItemId", "DocumentId") SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [ctx.key!.TaskItemId, ids],
    );
    const docs = await rows(ctx.manager, `SELECT "DocumentId" FROM task_document WHERE "TaskItemId" = $1`, [
      ctx.key!.TaskItemId,
    ]);
    return { kind: 'entities', entitySet: 'Document', keys: docs };
  }

  @ODataAction({
    name: 'RemoveDocumentFromTaskItem',
    bindTo: { entitySet: 'Task' },
    parameters: { documentId: 'Edm.Guid' },
  })
  async removeDocument(ctx: OperationContext): Promise<OperationResult> {
    const removed = await rows(
      ctx.manager,
      `DELETE FROM task_document WHERE "TaskItemId" = $1 AND "DocumentId" = $2 RETURNING 1`,
      [ctx.key!.TaskItemId, ctx.params.documentId],
    );
    if (!removed.length) throw ODataError.notFound('The document is not linked to this task');
    return { kind: 'none' };
  }

  @ODataAction({
    name: 'AddRelation',
    bindTo: { entitySet: 'Task' },
    parameters: { itemId: 'Edm.Guid' },
    returns: 'TaskRelation',
  })
  async addRelation(ctx: OperationContext): Promise<OperationResult> {
    const itemId: string = ctx.params.itemId;
    if (itemId === ctx.key!.TaskItemId)
      throw ODataError.badRequest('A task cannot be related to itself', 'itemId');
    // What the id names: a task, project, document or contact (keys are unique Guids).
    const [found] = await rows(
      ctx.manager,
      `SELECT 'Task' AS t FROM task WHERE "TaskItemId" = $1
       UNION ALL SELECT 'Project' FROM project WHERE "ProjectId" = $1
       UNION ALL SELECT 'Document' FROM document WHERE "DocumentId" = $1
       UNION ALL SELECT 'Contact' FROM contact WHERE "ContactId" = $1 LIMIT 1`,
      [itemId],
    );
    // An unknown id and one the caller cannot see answer alike.
    const unknown = () => unknownReference('itemId');
    if (!found) throw unknown();
    await ctx.access.requireVisible(found.t, [itemId]).catch(() => {
      throw unknown();
    });
    await ctx.manager.query(
      `INSERT INTO task_relation ("TaskItemId", "ItemId", "ItemType") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [ctx.key!.TaskItemId, itemId, found.t],
    );
    return {
      kind: 'entity',
      entitySet: 'TaskRelation',
      key: { TaskItemId: ctx.key!.TaskItemId, ItemId: itemId },
    };
  }

  @ODataAction({ name: 'RemoveRelation', bindTo: { entitySet: 'Task' }, parameters: { itemId: 'Edm.Guid' } })
  async removeRelation(ctx: OperationContext): Promise<OperationResult> {
    const removed = await rows(
      ctx.manager,
      `DELETE FROM task_relation WHERE "TaskItemId" = $1 AND "ItemId" = $2 RETURNING 1`,
      [ctx.key!.TaskItemId, ctx.params.itemId],
    );
    if (!removed.length) throw ODataError.notFound('No such relation on this task');
    return { kind: 'none' };
  }

  @ODataFunction({
    name: 'GetNotificationFollowerContacts',
    bindTo: { entitySet: 'Task' },
    returns: 'Collection(Contact)',
  })
  async followers(ctx: OperationContext): Promise<OperationResult> {
    const keys = await rows(ctx.manager, `SELECT "ContactId" FROM task_follower WHERE "TaskItemId" = $1`, [
      ctx.key!.TaskItemId,
    ]);
    return { kind: 'entities', entitySet: 'Contact', keys };
  }

  @ODataAction({
    name: 'AddNotificationFollowers',
    bindTo: { entitySet: 'Task' },
    parameters: { contactIds: 'Collection(Edm.Guid)', projectId: 'Edm.Guid?' },
    returns: 'Collection(Contact)',
  })
  async addFollowers(ctx: OperationContext): Promise<OperationResult> {
    const ids: string[] = ctx.params.contactIds;
    const found = await rows(
      ctx.manager,
      `SELECT "ContactId" FROM contact WHERE "ContactId" = ANY($1::uuid[])`,
      [ids],
    );
    const missing = ids.filter((id) => !found.some((f) => f.ContactId === id));
    if (missing.length)
      throw ODataError.badRequest(
        `Unknown contact ${missing.join(', ')}`,
        'contactIds',
        ErrorCode.BadForeignKey,
      );
    await ctx.manager.query(
      `INSERT INTO task_follower ("TaskItemId", "ContactId") SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [ctx.key!.TaskItemId, ids],
    );
    return this.followers(ctx);
  }

  @ODataAction({
    name: 'RemoveNotificationFollower',
    bindTo: { entitySet: 'Task' },
    parameters: { contactId: 'Edm.Guid' },
  })
  async removeFollower(ctx: OperationContext): Promise<OperationResult> {
    const removed = await rows(
      ctx.manager,
      `DELETE FROM task_follower WHERE "TaskItemId" = $1 AND "ContactId" = $2 RETURNING 1`,
      [ctx.key!.TaskItemId, ctx.params.contactId],
    );
    if (!removed.length) throw ODataError.notFound('The contact does not follow this task');
    return { kind: 'none' };
  }
}
