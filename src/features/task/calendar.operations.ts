import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ODataAction, ODataFunction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { callerContactId } from '../shared/caller';
import { rows } from '../shared/sql';

const SYNC_STATUS = {
  name: 'CalendarSyncStatus',
  properties: [
    { name: 'IsEnabled', type: 'Edm.Boolean', collection: false, nullable: false },
    { name: 'FeedUrl', type: 'Edm.String', collection: false, nullable: false },
  ],
};

/** The contact's feed token, created on first use (an unguessable 192-bit secret). */
export async function feedToken(m: EntityManager, contactId: string): Promise<string> {
  await m.query(`INSERT INTO calendar_feed ("ContactId", "Token") VALUES ($1, $2) ON CONFLICT ("ContactId") DO NOTHING`, [contactId, randomBytes(24).toString('base64url')]);
  const [row] = await rows(m, `SELECT "Token" FROM calendar_feed WHERE "ContactId" = $1`, [contactId]);
  return row.Token;
}

/**
 * Calendar sync: tasks with sync enabled appear in the iCalendar feed of their assignee,
 * creator and followers (see CalendarFeedController), at a URL a calendar app can subscribe to.
 */
@Injectable()
export class CalendarOperations {
  private async status(ctx: OperationContext): Promise<OperationResult> {
    const [task] = await rows(ctx.manager, `SELECT "IsCalendarSyncEnabled" FROM task WHERE "TaskItemId" = $1`, [ctx.key!.TaskItemId]);
    const token = await feedToken(ctx.manager, callerContactId(ctx));
    const origin = ctx.request.serviceRoot.replace(/\/odata$/, '');
    return { kind: 'value', value: { IsEnabled: task.IsCalendarSyncEnabled, FeedUrl: `${origin}/calendar/${token}.ics` } };
  }

  @ODataFunction({ name: 'GetCalendarSyncStatus', bindTo: { entitySet: 'Task' }, returns: 'CalendarSyncStatus', complexTypes: [SYNC_STATUS] })
  get(ctx: OperationContext): Promise<OperationResult> {
    return this.status(ctx);
  }

  @ODataAction({ name: 'EnableCalendarSync', bindTo: { entitySet: 'Task' }, returns: 'CalendarSyncStatus', complexTypes: [SYNC_STATUS] })
  async enable(ctx: OperationContext): Promise<OperationResult> {
    await ctx.manager.query(`UPDATE task SET "IsCalendarSyncEnabled" = true WHERE "TaskItemId" = $1`, [ctx.key!.TaskItemId]);
    return this.status(ctx);
  }

  @ODataAction({ name: 'DisableCalendarSync', bindTo: { entitySet: 'Task' }, returns: 'CalendarSyncStatus', complexTypes: [SYNC_STATUS] })
  async disable(ctx: OperationContext): Promise<OperationResult> {
    await ctx.manager.query(`UPDATE task SET "IsCalendarSyncEnabled" = false WHERE "TaskItemId" = $1`, [ctx.key!.TaskItemId]);
    return this.status(ctx);
  }
}
