import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction, ODataFunction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { callerContactId } from '../shared/caller';
import { rows } from '../shared/sql';
import { HtmlText } from '../shared/html-text.service';

@Injectable()
export class NoteOperations {
  constructor(private readonly html: HtmlText) {}

  @ODataAction({
    name: 'AddNote',
    bindTo: { entitySet: 'Task' },
    parameters: { htmlText: 'Edm.String', notificationContactIds: 'Collection(Edm.Guid)' },
    returns: 'TaskItemNote',
  })
  async addNote(ctx: OperationContext): Promise<OperationResult> {
    const html: string = ctx.params.htmlText;
    // The plain text (the seed's `Note`) is converted within HTML_MAX_LENGTH and HTML_MAX_DEPTH.
    const text = await this.html.checkedText(html, 'htmlText');
    const author = callerContactId(ctx);
    const [note] = await rows(
      ctx.manager,
      `INSERT INTO task_item_note ("TaskItemId", "Note", "NoteHtml", "ShortDescription", "CreatedByContactId")
       VALUES ($1, $2, $3, $4, $5) RETURNING "TaskItemNoteId"`,
      [ctx.key!.TaskItemId, text, html, text.slice(0, 100), author],
    );
    const recipients: string[] = [...new Set<string>(ctx.params.notificationContactIds)];
    if (recipients.length) {
      const found = await rows(
        ctx.manager,
        `SELECT "ContactId" FROM contact WHERE "ContactId" = ANY($1::uuid[])`,
        [recipients],
      );
      const missing = recipients.filter((id) => !found.some((f) => f.ContactId === id));
      if (missing.length)
        throw ODataError.badRequest(
          `Unknown contact ${missing.join(', ')}`,
          'notificationContactIds',
          ErrorCode.BadForeignKey,
        );
      await ctx.manager.query(
        `INSERT INTO notification ("ContactId", "TaskItemId", "Kind", "Message")
         SELECT c, $1, 'Note', $2 FROM unnest($3::uuid[]) AS c`,
        [ctx.key!.TaskItemId, `New note: ${text.slice(0, 200)}`, recipients],
      );
    }
    return { kind: 'entity', entitySet: 'TaskItemNote', key: { TaskItemNoteId: note.TaskItemNoteId } };
  }

  /** GET, as the seed defines it. */
  @ODataFunction({
    name: 'DeleteNote',
    bindTo: { entitySet: 'Task', collection: true },
    parameters: { noteRelationId: 'Edm.Guid' },
    returns: 'Edm.Boolean',
  })
  async deleteNote(ctx: OperationContext): Promise<OperationResult> {
    await ctx.access.requireVisible('TaskItemNote', [ctx.params.noteRelationId]);
    const [before] = await rows(
      ctx.manager,
      `SELECT * FROM task_item_note WHERE "TaskItemNoteId" = $1 FOR UPDATE`,
      [ctx.params.noteRelationId],
    );
    await ctx.access.checkWrite('TaskItemNote', 'delete', { before });
    const removed = await rows(
      ctx.manager,
      `DELETE FROM task_item_note WHERE "TaskItemNoteId" = $1 RETURNING 1`,
      [ctx.params.noteRelationId],
    );
    if (!removed.length) throw ODataError.notFound(`Note ${ctx.params.noteRelationId} not found`);
    return { kind: 'value', value: true };
  }
}
