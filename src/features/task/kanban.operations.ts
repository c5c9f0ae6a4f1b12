import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { unknownReference } from '../../odata/write/check-references';
import { rows } from '../shared/sql';
import { cardsIn, placeCard } from './kanban.sql';

export const CARD_POSITION_TYPES = [
  {
    name: 'CardPosition',
    properties: [
      { name: 'TaskItemId', type: 'Edm.Guid', collection: false, nullable: false },
      { name: 'TaskItemStatusId', type: 'Edm.Guid', collection: false, nullable: false },
      { name: 'CardPositionNumber', type: 'Edm.Int32', collection: false, nullable: false },
    ],
  },
  {
    name: 'MoveTaskItemResult',
    properties: [
      { name: 'TaskItemId', type: 'Edm.Guid', collection: false, nullable: false },
      { name: 'TaskItemStatusId', type: 'Edm.Guid', collection: false, nullable: false },
      { name: 'CardPositionNumber', type: 'Edm.Int32', collection: false, nullable: false },
      /** Every card whose position changed, the moved one included. */
      { name: 'Positions', type: 'CardPosition', collection: true, nullable: false },
      /** The target column holds more cards than its soft work-in-progress limit. */
      { name: 'WipLimitExceeded', type: 'Edm.Boolean', collection: false, nullable: false },
    ],
  },
];

/**
 * Kanban moves. CardPositionNumber is a strict order 1..n within a column. A move locks the
 * columns involved (in key order, so two moves never deadlock), so concurrent moves in one
 * column are serialised by PostgreSQL and each sees the order the previous one left.
 */
@Injectable()
export class KanbanOperations {
  @ODataAction({
    name: 'MoveTaskItem',
    bindTo: { entitySet: 'Task' },
    parameters: { taskItemStatusId: 'Edm.Guid', afterTaskItemId: 'Edm.Guid?' },
    returns: 'MoveTaskItemResult',
    complexTypes: CARD_POSITION_TYPES,
  })
  async moveTaskItem(ctx: OperationContext): Promise<OperationResult> {
    const m = ctx.manager;
    const taskId = ctx.key!.TaskItemId as string;
    const targetStatus: string = ctx.params.taskItemStatusId;
    const after: string | null = ctx.params.afterTaskItemId;
    if (after === taskId)
      throw ODataError.badRequest(
        'A card cannot be placed after itself',
        'afterTaskItemId',
        ErrorCode.BadRequest,
      );

    // The column must be one the caller sees, in the card's own project (like PATCH TaskItemStatusId).
    const [card] = await rows(m, `SELECT * FROM task WHERE "TaskItemId" = $1`, [taskId]);
    const move = { before: card, after: { TaskItemStatusId: targetStatus } };
    await ctx.access.checkReferences('Task', [move], { TaskItemStatusId: 'taskItemStatusId' });
    // Lock the columns involved (in key order, so two moves never deadlock), then the card.
    // A concurrent move of the same card may change its column in between: then retry, after
    // rolling back to a savepoint so the retry does not still hold the card's lock while it
    // waits for column locks (that order, card before column, deadlocks with other moves).
    // Moves of one card take turns (a transaction-scoped advisory lock, taken before any row
    // lock), so racing moves of the same card queue instead of exhausting the retries below.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('MoveTaskItem'), hashtext($1))`, [taskId]);
    let task: { TaskItemStatusId: string | null; ProjectId: string | null } | undefined;
    let locked: Array<{
      TaskItemStatusId: string;
      ProjectId: string;
      WipLimit: number | null;
      IsWipLimitHard: boolean;
    }> = [];
    for (let attempt = 0; attempt < 5 && !task; attempt++) {
      await m.query('SAVEPOINT move_task_item');
      // The first attempt trusts the card as read above; the lock below tells if it moved since.
      const [before] =
        attempt === 0
          ? [card]
          : await rows(m, `SELECT "TaskItemStatusId" FROM task WHERE "TaskItemId" = $1`, [taskId]);
      const columns = [...new Set([targetStatus, before.TaskItemStatusId].filter(Boolean))].sort();
      locked = await rows(
        m,
        `SELECT "TaskItemStatusId", "ProjectId", "WipLimit", "IsWipLimitHard" FROM task_status WHERE "TaskItemStatusId" = ANY($1::uuid[]) ORDER BY "TaskItemStatusId" FOR UPDATE`,
        [columns],
      );
      const [now] = await rows(
        m,
        `SELECT "TaskItemStatusId", "ProjectId" FROM task WHERE "TaskItemId" = $1 FOR UPDATE`,
        [taskId],
      );
      if (now.TaskItemStatusId === before.TaskItemStatusId) {
        task = now;
        await m.query('RELEASE SAVEPOINT move_task_item');
      } else {
        await m.query('ROLLBACK TO SAVEPOINT move_task_item');
      }
    }
    if (!task)
      throw new ODataError(409, ErrorCode.Conflict, 'The card is being moved by someone else; retry');
    const target = locked.find((s) => s.TaskItemStatusId === targetStatus);
    // The column was deleted, or the card moved to another project, since the check above.
    if (!target || target.ProjectId !== task.ProjectId) throw unknownReference('taskItemStatusId');

    let wipLimitExceeded = false;
    if (
      target.WipLimit !== null &&
      task.TaskItemStatusId !== targetStatus &&
      (await cardsIn(m, targetStatus, taskId)) >= target.WipLimit
    ) {
      if (target.IsWipLimitHard) {
        throw new ODataError(
          409,
          ErrorCode.Conflict,
          `The column is full: its work-in-progress limit is ${target.WipLimit}`,
          'taskItemStatusId',
        );
      }
      wipLimitExceeded = true;
    }
    const { anchored, position, changed } = await placeCard(
      m,
      taskId,
      targetStatus,
      after,
      task.TaskItemStatusId,
    );
    if (!anchored)
      throw ODataError.badRequest(
        `Task ${after} is not in the target column`,
        'afterTaskItemId',
        ErrorCode.BadRequest,
      );
    const moved = changed.find((c) => c.TaskItemId === taskId) ?? {
      TaskItemId: taskId,
      TaskItemStatusId: targetStatus,
      CardPositionNumber: position,
    };
    return {
      kind: 'value',
      value: { ...moved, Positions: changed, WipLimitExceeded: wipLimitExceeded },
    };
  }
}
