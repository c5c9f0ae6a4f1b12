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

/**
 * The secret of the contact's feed URL, created on first use: 192 random bits of its own, not an
 * API token, so the URL (which calendar apps store and sync in the clear) grants nothing else.
 * Deleted when the contact's last API token is revoked (a trigger, see the TokenRevocation
 * migration); a new one is made on the next use.
 */
export async function feedToken(m: EntityManager, contactId: string): Promise<string> {
  await m.query(
    `INSERT INTO calendar_feed ("ContactId", "Token") VALUES ($1, $2) ON CONFLICT ("ContactId") DO NOTHING`,
    [contactId, newFeedSecret()],
  );
  const [row] = await rows(m, `SELECT "Token" FROM calendar_feed WHERE "ContactId" = $1`, [contactId]);
  return row.Token;
}

/** Replaces the contact's feed secret: the old URL answers 404 from now on. */
export async function rotateFeedToken(m: EntityManager, contactId: string): Promise<string> {
  const [row] = await rows(
    m,
    `INSERT INTO calendar_feed ("ContactId", "Token") VALUES ($1, $2)
     ON CONFLICT ("ContactId") DO UPDATE SET "Token" = EXCLUDED."Token", "CreatedDateTime" = now() RETURNING "Token"`,
    [contactId, newFeedSecret()],
  );
  return row.Token;
}

function newFeedSecret(): string {
  return randomBytes(24).toString('base64url');
}

function feedUrl(ctx: OperationContext, secret: string): string {
  return `${ctx.request.serviceRoot.replace(/\/odata$/, '')}/calendar/${secret}.ics`;
}

/**
 * Calendar sync: tasks with sync enabled appear in the iCalendar feed of their assignee,
 * creator and followers (see CalendarFeedController), at a URL a calendar app can subscribe to.
 */
@Injectable()
export class CalendarOperations {
  private async status(ctx: OperationContext): Promise<OperationResult> {
    const [task] = await rows(
      ctx.manager,
      `SELECT "IsCalendarSyncEnabled" FROM task WHERE "TaskItemId" = $1`,
      [ctx.key!.TaskItemId],
    );
    const token = await feedToken(ctx.manager, callerContactId(ctx));
    return { kind: 'value', value: { IsEnabled: task.IsCalendarSyncEnabled, FeedUrl: feedUrl(ctx, token) } };
  }

  /**
   * `POST Task/RotateCalendarFeedUrl`: a new feed URL for the caller (the old one leaked, or a
   * device is gone); returns it. Bound to the Task collection, beside the other calendar
   * operations, because the core routes bound operations only.
   */
  @ODataAction({
    name: 'RotateCalendarFeedUrl',
    bindTo: { entitySet: 'Task', collection: true },
    returns: 'Edm.String',
  })
  async rotate(ctx: OperationContext): Promise<OperationResult> {
    return { kind: 'value', value: feedUrl(ctx, await rotateFeedToken(ctx.manager, callerContactId(ctx))) };
  }

  @ODataFunction({
    name: 'GetCalendarSyncStatus',
    bindTo: { entitySet: 'Task' },
    returns: 'CalendarSyncStatus',
    complexTypes: [SYNC_STATUS],
  })
  get(ctx: OperationContext): Promise<OperationResult> {
    return this.status(ctx);
  }

  @ODataAction({
    name: 'EnableCalendarSync',
    bindTo: { entitySet: 'Task' },
    returns: 'CalendarSyncStatus',
    complexTypes: [SYNC_STATUS],
  })
  async enable(ctx: OperationContext): Promise<OperationResult> {
    await ctx.manager.query(`UPDATE task SET "IsCalendarSyncEnabled" = true WHERE "TaskItemId" = $1`, [
      ctx.key!.TaskItemId,
    ]);
    return this.status(ctx);
  }

  @ODataAction({
    name: 'DisableCalendarSync',
    bindTo: { entitySet: 'Task' },
    returns: 'CalendarSyncStatus',
    complexTypes: [SYNC_STATUS],
  })
  async disable(ctx: OperationContext): Promise<OperationResult> {
    await ctx.manager.query(`UPDATE task SET "IsCalendarSyncEnabled" = false WHERE "TaskItemId" = $1`, [
      ctx.key!.TaskItemId,
    ]);
    return this.status(ctx);
  }
}
