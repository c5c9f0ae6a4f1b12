import { Injectable } from '@nestjs/common';
import { ODataError } from '../../odata/errors/odata-error';
import { ODataAction, ODataFunction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { unknownReference } from '../../odata/write/check-references';
import { rows } from '../shared/sql';

const CONTRIBUTOR = {
  name: 'Contributor',
  properties: [
    { name: 'Id', type: 'Edm.Guid', collection: false, nullable: false },
    { name: 'ContactId', type: 'Edm.Guid', collection: false, nullable: false },
    { name: 'WorkAmount', type: 'Edm.Double', collection: false, nullable: false },
    { name: 'IsDone', type: 'Edm.Boolean', collection: false, nullable: false },
  ],
};
const COLUMNS = `"Id", "ContactId", "WorkAmount", "IsDone"`;

/** Contributors of a task; the task's ContributorsCount/ContributorsWorkAmount follow by trigger. */
@Injectable()
export class ContributorOperations {
  @ODataFunction({
    name: 'GetContributors',
    bindTo: { entitySet: 'Task' },
    returns: 'Collection(Contributor)',
    complexTypes: [CONTRIBUTOR],
  })
  async list(ctx: OperationContext): Promise<OperationResult> {
    const value = await rows(
      ctx.manager,
      `SELECT ${COLUMNS} FROM task_contributor WHERE "TaskItemId" = $1 ORDER BY "CreatedDateTime", "Id"`,
      [ctx.key!.TaskItemId],
    );
    return { kind: 'value', value };
  }

  @ODataAction({
    name: 'AddContributor',
    bindTo: { entitySet: 'Task' },
    parameters: { contactId: 'Edm.Guid', workAmount: 'Edm.Double?', isDone: 'Edm.Boolean?' },
    returns: 'Contributor',
    complexTypes: [CONTRIBUTOR],
  })
  async add(ctx: OperationContext): Promise<OperationResult> {
    await ctx.access.requireVisible('Contact', [ctx.params.contactId]).catch(() => {
      throw unknownReference('contactId');
    });
    const [row] = await rows(
      ctx.manager,
      `INSERT INTO task_contributor ("TaskItemId", "ContactId", "WorkAmount", "IsDone") VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [ctx.key!.TaskItemId, ctx.params.contactId, ctx.params.workAmount ?? 0, ctx.params.isDone ?? false],
    );
    return { kind: 'value', value: row };
  }

  @ODataAction({
    name: 'UpdateContributor',
    bindTo: { entitySet: 'Task' },
    parameters: { id: 'Edm.Guid', workAmount: 'Edm.Double?', isDone: 'Edm.Boolean?' },
    returns: 'Contributor',
    complexTypes: [CONTRIBUTOR],
  })
  async update(ctx: OperationContext): Promise<OperationResult> {
    const [row] = await rows(
      ctx.manager,
      `UPDATE task_contributor SET "WorkAmount" = COALESCE($3, "WorkAmount"), "IsDone" = COALESCE($4, "IsDone")
       WHERE "TaskItemId" = $1 AND "Id" = $2 RETURNING ${COLUMNS}`,
      [ctx.key!.TaskItemId, ctx.params.id, ctx.params.workAmount, ctx.params.isDone],
    );
    if (!row) throw ODataError.notFound(`Contributor ${ctx.params.id} not found on this task`);
    return { kind: 'value', value: row };
  }

  @ODataAction({ name: 'RemoveContributor', bindTo: { entitySet: 'Task' }, parameters: { id: 'Edm.Guid' } })
  async remove(ctx: OperationContext): Promise<OperationResult> {
    const removed = await rows(
      ctx.manager,
      `DELETE FROM task_contributor WHERE "TaskItemId" = $1 AND "Id" = $2 RETURNING "Id"`,
      [ctx.key!.TaskItemId, ctx.params.id],
    );
    if (!removed.length) throw ODataError.notFound(`Contributor ${ctx.params.id} not found on this task`);
    return { kind: 'none' };
  }
}
