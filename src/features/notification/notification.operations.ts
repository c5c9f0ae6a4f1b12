import { Injectable } from '@nestjs/common';
import { ODataAction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { callerContactId } from '../shared/caller';

@Injectable()
export class NotificationOperations {
  @ODataAction({ name: 'MarkRead', bindTo: { entitySet: 'Notification' }, returns: 'Notification' })
  async markRead(ctx: OperationContext): Promise<OperationResult> {
    await ctx.manager.query(`UPDATE notification SET "IsRead" = true WHERE "NotificationId" = $1`, [
      ctx.key!.NotificationId,
    ]);
    return { kind: 'entity', entitySet: 'Notification', key: ctx.key! };
  }

  /** Every notification of the calling contact. */
  @ODataAction({
    name: 'MarkAllRead',
    bindTo: { entitySet: 'Notification', collection: true },
    returns: 'Edm.Int32',
  })
  async markAllRead(ctx: OperationContext): Promise<OperationResult> {
    const r = await ctx.manager.query(
      `UPDATE notification SET "IsRead" = true WHERE "ContactId" = $1 AND NOT "IsRead"`,
      [callerContactId(ctx)],
    );
    return { kind: 'value', value: Array.isArray(r) ? r[1] : 0 };
  }
}
