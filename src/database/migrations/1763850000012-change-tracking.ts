import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change tracking (OData delta links) on the change_event outbox.
 *
 * - "Xid": the writing transaction's id. A delta link carries the pg_current_snapshot() of the
 *   read that issued it; the changes a later delta reports are the events whose transaction that
 *   snapshot did not see (pg_visible_in_snapshot). Unlike an event id, this catches a transaction
 *   that began before the link was issued and committed after it. Ids below the snapshot's xmin
 *   were all visible to it, so the index on ("EntitySet", "Xid") bounds the scan to what changed.
 * - "DeletedKeys": a project's delete writes one summary event instead of one per row (see
 *   1763850000007); it now lists the keys of the tracked rows that went with the project, by set,
 *   so a delta can report each as removed. Not part of the change stream's events.
 * - Events for the other tracked sets (Project, Contact), for what DynamicTaskItem shows of
 *   projects and plannings, for memberships (a caller's read scope) and for changes of a task's
 *   custom fields (which emit_change leaves out of task events).
 */
const TRACKED_TABLES = [
  { table: 'project', set: 'Project', key: 'ProjectId' },
  { table: 'contact', set: 'Contact', key: 'ContactId' },
  { table: 'planning', set: 'Planning', key: 'PlanningId' },
  // EntityKey is the member; ProjectId the project whose rows enter or leave its scope.
  { table: 'project_member', set: 'ProjectMember', key: 'ContactId' },
];

const PROJECT_BEFORE_DELETE = (withKeys: boolean) => `CREATE OR REPLACE FUNCTION project_before_delete()
  RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE n bigint; event_id bigint; deleted jsonb;
      BEGIN
        -- Read by emit_change: no per-row events for this project's rows in this transaction.
        PERFORM set_config('odata.deleting_projects',
          COALESCE(current_setting('odata.deleting_projects', true), '') || OLD."ProjectId"::text || ',', true);${
            withKeys
              ? `
        deleted := jsonb_build_object(
          'Task', (SELECT COALESCE(jsonb_agg(t."TaskItemId"), '[]') FROM task t WHERE t."ProjectId" = OLD."ProjectId"),
          'TaskItemNote', (SELECT COALESCE(jsonb_agg(x."TaskItemNoteId"), '[]') FROM task_item_note x
                             JOIN task t ON t."TaskItemId" = x."TaskItemId" WHERE t."ProjectId" = OLD."ProjectId"),
          'ChecklistItem', (SELECT COALESCE(jsonb_agg(x."ChecklistItemId"), '[]') FROM checklist_item x
                             JOIN task t ON t."TaskItemId" = x."TaskItemId" WHERE t."ProjectId" = OLD."ProjectId"),
          'TaskStatus', (SELECT COALESCE(jsonb_agg(s."TaskItemStatusId"), '[]') FROM task_status s
                           WHERE s."ProjectId" = OLD."ProjectId"));`
              : ''
          }
        DELETE FROM task WHERE "ProjectId" = OLD."ProjectId";
        GET DIAGNOSTICS n = ROW_COUNT;
        DELETE FROM change_event WHERE "ProjectId" = OLD."ProjectId";
        INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId", "Changes"${withKeys ? ', "DeletedKeys"' : ''})
          VALUES ('Project', OLD."ProjectId", 'deleted', OLD."ProjectId", jsonb_build_object('TaskCount', n)${withKeys ? ', deleted' : ''})
          RETURNING "Id" INTO event_id;
        PERFORM pg_notify('odata_change', event_id::text);
        RETURN OLD;
      END $$`;

export class ChangeTracking1763850000012 implements MigrationInterface {
  name = 'ChangeTracking1763850000012';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "change_event" ADD "Xid" xid8 NOT NULL DEFAULT pg_current_xact_id(), ADD "DeletedKeys" jsonb`,
    );
    await q.query(`CREATE INDEX "IDX_change_event_set_xid" ON "change_event" ("EntitySet", "Xid")`);
    for (const { table, set, key } of TRACKED_TABLES) {
      await q.query(
        `CREATE TRIGGER emit_change AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION emit_change('${set}', '${key}')`,
      );
    }
    await q.query(`CREATE FUNCTION emit_custom_fields_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId")
          VALUES ('DynamicTaskItem', NEW."TaskItemId", 'updated', NEW."ProjectId");
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER emit_custom_fields_change AFTER UPDATE OF "ProjectDefinedFields" ON "task"
      FOR EACH ROW WHEN (OLD."ProjectDefinedFields" IS DISTINCT FROM NEW."ProjectDefinedFields")
      EXECUTE FUNCTION emit_custom_fields_change()`);
    await q.query(PROJECT_BEFORE_DELETE(true));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(PROJECT_BEFORE_DELETE(false));
    await q.query(`DROP TRIGGER emit_custom_fields_change ON "task"`);
    await q.query(`DROP FUNCTION emit_custom_fields_change()`);
    for (const { table } of TRACKED_TABLES) await q.query(`DROP TRIGGER emit_change ON "${table}"`);
    await q.query(`DROP INDEX "IDX_change_event_set_xid"`);
    await q.query(`ALTER TABLE "change_event" DROP COLUMN "DeletedKeys", DROP COLUMN "Xid"`);
  }
}
